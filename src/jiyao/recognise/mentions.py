"""Upstream meetings (传达/学习/贯彻 … 会议精神, 收听收看 … 会议) and quoted slogans."""
from __future__ import annotations

import re

from . import region
from .lexicon import ATTEND_VERBS, CONGRESS, CONVENE_VERBS, DEICTIC, MEETING_END, RELAY, UNNAMED_MEETINGS
from .meeting import DATE_RE, Found, held_before

_TRIGGER = RELAY
_ITEM = rf"[^,。;:!?“”]{{4,120}}?{MEETING_END}"
_JOIN = r"(?:、|和|及|以及|与)"
# Between relayed meetings: …常务委员会会议精神和省委常委会扩大会议精神.
_BETWEEN = rf"(?:精神)?{_JOIN}"
# …会议和市分会场精神: the list may end with a relayed thing that is no meeting
_UPSTREAM = re.compile(rf"{_TRIGGER}(?:了|好|学习|贯彻|落实)*((?:{CONGRESS}|{_ITEM})(?:{_BETWEEN}{_ITEM})*)"
                       rf"(?=精神|后|,|。|$|{_JOIN}[^,。;]{{1,20}}?精神|提出的|作出的|确定的|部署)")
# The spirit taken up as an object: 对中央、省、市经济工作会议精神进行传达.
_OBJECT = re.compile(rf"(?:对|把|将)((?:{CONGRESS}|{_ITEM})(?:{_JOIN}{_ITEM})*)精神(?:进行|作了|作)?了?(?:传达|学习|贯彻)")
# A speech at a named meeting is relayed with the meeting's name: 学习…在中央经济工作会议上的重要讲话精神.
# Relayed when a verb does it or when the speech's 精神 is what the text takes up.
# A study session of a higher body is named like a meeting: 在中央政治局第十五次集体学习时的重要讲话.
# A course's opening or closing ceremony is where its speech was given, the ceremony the event relayed
# (在省部级主要领导干部学习贯彻…精神专题研讨班开班式上的重要讲话精神).
_SPEECH = re.compile(rf"在((?:{CONGRESS}|[^,。;:!?“”在]{{4,60}}?{MEETING_END}))"
                     r"(?:开幕式|闭幕式|开班式)?上(?:的|所作的|发表的)(?:重要)?讲话(?=精神)"
                     rf"|在([^,。;:!?“”在]{{4,60}}?(?:研讨班|培训班|读书班)(?:开班式|结业式))上(?:的|所作的|发表的)(?:重要)?讲话(?=精神)"
                     rf"|在([^,。;:!?“”在]{{2,30}}?第[一二三四五六七八九十百\d]{{1,4}}次集体学习)时(?:的|所作的|发表的)(?:重要)?讲话"
                     rf"|{_TRIGGER}[^。;]*?在((?:{CONGRESS}|[^,。;:!?“”在]{{4,60}}?{MEETING_END}))"
                     r"(?:开幕式|闭幕式|开班式)?上(?:的|所作的|发表的)(?:重要)?讲话")
# A relayed list goes on over commas, one 精神 per clause, without repeating the verb:
# 传达学习了…会议精神,2月19日省委常委会会议精神及2月20日省委农村工作会议精神。
_SENTENCE = re.compile(r"[^。;\n]+")
_LIST_CLAUSE = re.compile(rf"((?:{_ITEM})(?:{_BETWEEN}{_ITEM})*)精神$")
_ITEM_SPLIT = re.compile(rf"{MEETING_END}({_BETWEEN})")
# the verb and what leads it (深入学习、全面贯彻落实中央经济工作会议: the meeting is 中央经济工作会议;
# 全面学习、全面把握、全面落实党的二十大精神: a run of verbs, their adverbs and the 、 between them)
_LEADING_TRIGGERS = re.compile(rf"^(?:[、,\s]|{_TRIGGER}|了|好|全面|深入|认真|坚决|切实|持续|进一步|扎实|宣传|宣讲|把握)+")
# …等方面对党的二十届三中全会精神进行宣讲: the topic before 对 is no part of the meeting's name
_AFTER_TOPIC = re.compile(r"^.*(?:对|把|将)(?=党的|中共|中央|全国)")
# …会议关于防汛工作的会议: the name ends before 关于; a bare 关于…的会议 names no meeting
_ABOUT = re.compile(rf"^(.*{MEETING_END})?[^,。;]*?关于[^,。;]{{1,30}}?的(?:会议|讲话|指示)$")
# A relayed item starts after the last thing relayed before it: …重要指示精神及省委十三届九次全会
_AFTER_SPIRIT = re.compile(rf"^.*(?:精神|讲话|指示|批示|思想){_JOIN}")
# Not a meeting's name: the text's own meeting (此次会议), unnamed groups (其他各项会议, 有关会议),
# and clauses about people at a meeting (中心组成员等出席会议, 中心组举行…会议).
_GENERIC = re.compile("^(?:" + "|".join(w for w in DEICTIC + UNNAMED_MEETINGS if len(w) > 1) + ")|" + "|".join(
    ("有关会议", "相关会议", "各项会议", "系列会议", "收看", *CONVENE_VERBS, *ATTEND_VERBS)))
_DATE_LEAD = re.compile(rf"^(?:{DATE_RE.pattern})")
_SPEECH_PLACE = re.compile(r"[^,。;:!?在]{0,40}?上(?:的|所作的|发表的)(?:重要)?讲话")


def _items(group: str, base: int) -> list[tuple[str, int]]:
    """The meeting names in a relayed list (A、B和C), each with its offset."""
    out, last = [], 0
    for sep in _ITEM_SPLIT.finditer(group):
        out.append((group[last: sep.start(1)], base + last))
        last = sep.end(1)
    out.append((group[last:], base + last))
    return out


def _clean_item(raw: str) -> tuple[str, int]:
    """(the name, its offset in raw): triggers, an earlier relayed thing and a leading date dropped."""
    item = raw
    for rx in (_AFTER_SPIRIT, _AFTER_TOPIC, _LEADING_TRIGGERS, _DATE_LEAD):
        item = rx.sub("", item, count=1).strip()
    if m := _ABOUT.match(item):
        item = m.group(1) or ""
    return item, raw.find(item) if item else 0


# 省、市疫情防控会议 after the province's and the city's meetings were named: a collective re-mention.
_LEVEL_LIST = re.compile(r"^(?:中央|国家|全国|省|市|州|县|区)(?:、|和|及)(?:省|市|州|县|区)")


def _same(a: str, b: str) -> bool:
    """One meeting written twice: 中央政治局民主生活会 / 中央政治局民主生活会会议."""
    return a == b or a == b + "会议" or b == a + "会议"


# 省、市经济工作会议 / 中央、省委、市委经济工作会议 / 全国、省、市…会议 / 省、市、县委常委会会议: one name per level (the level
# list applies the rest to each; a 委 on the last level is every level's).
_LEVEL = r"(?:中央|国家|全国|省委?|市委?|州委?|县委?|区委?|旗委?)"
_LEVELS_SPLIT = re.compile(rf"^((?:{_LEVEL}(?:、|和|及))+)({_LEVEL})(.+)$")
LEVEL_LISTS = re.compile(rf"(?:{_LEVEL}(?:、|和|及))+{_LEVEL}")  # the list's head; the name runs on after it


def expand_levels(value: str) -> list[str]:
    m = _LEVELS_SPLIT.match(value)
    if not m:
        return [value]
    levels = re.split("、|和|及", m.group(1))[:-1] + [m.group(2)]
    if m.group(2).endswith("委"):
        levels = [lv if lv.endswith("委") or lv in ("中央", "国家", "全国") else lv + "委" for lv in levels]
    return list(dict.fromkeys(lv + m.group(3) for lv in levels))


def upstream_meetings(body: str, body_start: int, own_name: str | None) -> list[Found]:
    out = _upstream(body, body_start, own_name)

    def re_mention(f: Found) -> bool:
        """A level-list name in a later clause than a meeting named before it."""
        return bool(_LEVEL_LIST.match(f.value)) and any(
            not _LEVEL_LIST.match(g.value) and g.start < f.start
            and re.search("[,。;]", body[g.start - body_start + len(g.value): f.start - body_start]) for g in out)

    kept = [Found(v, f.start) for f in out if not re_mention(f) for v in expand_levels(f.value)]
    return [f for i, f in enumerate(kept) if f.value not in (g.value for g in kept[:i])]


def _continued(body: str) -> list[tuple[str, int]]:
    """Items of a relayed list in the comma clauses after its verb (not the verb's own clause)."""
    out = []
    for sm in _SENTENCE.finditer(body):
        trig = re.search(_TRIGGER, sm.group())
        if not trig:
            continue
        clauses = list(re.finditer(r"[^,]+", sm.group()[trig.end():]))
        for c in clauses[1:]:
            clause = c.group().strip()
            if re.search(_TRIGGER, clause) or clause.startswith("要"):
                break  # a clause with a verb of its own (要求学习领会…精神) ends the list
            lm = _LIST_CLAUSE.fullmatch(clause)
            if lm and "在" not in lm.group(1):
                base = sm.start() + trig.end() + c.start() + c.group().find(lm.group(1))
                out += _items(lm.group(1), base)
    return out


# 中共十八大和十九大精神, 党的十八大、十九大和二十大: the party's name written once applies to every congress
# of the list (like 省、市…会议); grounding finds each on the list's span.
_NTH = "[一二三四五六七八九十]+大"
SHARED_CONGRESS_LISTS = re.compile(rf"(?:党的|中共){_NTH}(?:{_JOIN}{_NTH})+")


def expand_shared_congress(value: str) -> list[str]:
    """中共十八大和十九大 → 中共十八大, 中共十九大 (a list of congresses under one party's name)."""
    m = SHARED_CONGRESS_LISTS.fullmatch(value)
    if not m:
        return [value]
    party = value[:2]
    return [party + n if not n.startswith(party) else n for n in re.split(_JOIN, value)]


def _shared_congress(body: str, raw: str, pos: int) -> list[tuple[str, int]]:
    """The congresses after the first of a shared list (the first is read as written)."""
    m = SHARED_CONGRESS_LISTS.match(body, pos)
    if not m or not re.match(rf"(?:精神|{_JOIN})", body[m.end(): m.end() + 2]) or not m.group().startswith(raw):
        return []
    out, at = [], pos
    for name, part in zip(expand_shared_congress(m.group())[1:], re.split(_JOIN, m.group())[1:]):
        at = body.index(part, at + 1)
        out.append((name, at))
    return out


def _upstream(body: str, body_start: int, own_name: str | None) -> list[Found]:
    out: list[Found] = []
    found = [(raw, pos) for rx in (_UPSTREAM, _OBJECT) for m in rx.finditer(body)
             for raw, pos in _items(m.group(1), m.start(1))]
    found += [more for raw, pos in found for more in _shared_congress(body, raw, pos)]
    found += [(m.group(g), m.start(g)) for m in _SPEECH.finditer(body) for g in (1, 2, 3, 4) if m.group(g)]
    found += [(f.value, f.start) for f in held_before(body, own_name)]
    found += _continued(body)
    # a trigger word inside the article's own meeting name (…暨理论学习中心组学习会议) relays nothing
    own = [(m.start(), m.end()) for m in re.finditer(re.escape(own_name), body)] if own_name else []
    for raw, pos in sorted(found, key=lambda x: x[1]):
        item, k = _clean_item(raw)
        if len(item) < 5 and not item.startswith("党的") or _GENERIC.search(item) or item == own_name:
            continue
        # 某某在…研讨班开班式上的讲话 holds a relay verb of its own (…学习贯彻党的二十届三中全会精神专题研讨班):
        # what it seems to relay is the course's topic, the speech's place the relayed thing
        if "在" in item and _SPEECH_PLACE.match(body, pos + k + len(item)):
            continue
        # …but the spirit a meeting is named for is relayed (学习贯彻党的二十届三中全会精神…报告会,
        # 召开“学习县委经济工作会议精神专题研讨会”: 县委经济工作会议 is relayed)
        if any(s <= pos + k < e for s, e in own) and not body.startswith("精神", pos + k + len(item)):
            continue
        if not any(_same(item, f.value) for f in out):
            out.append(Found(item, body_start + pos + k))
    return out


# Straight ASCII quotes count too (national README: transcripts type "扫黄打非"), around Chinese text.
_QUOTE = re.compile(r"“([^“”\n]{1,60})”|「([^「」\n]{1,60})」|‘([^‘’\n]{1,60})’|『([^『』\n]{1,60})』"
                    r'|"([^"\n]{0,30}[\u4e00-\u9fff][^"\n]{0,30})"')
_HOLIDAY = re.compile(r"^(?:五一|十一|国庆|春节|元旦|端午|中秋|清明|元宵|七一|八一|六一|三八|双十一|双节|两节|五四|国庆节|春节期间|\d+月\d+日|[一二三四五六七八九十]+月[一二三四五六七八九十]+日)$")
# A quoted event is no slogan (README labelling decisions): “两会”, “进博会”, “亚运会” — short names of
# meetings, fairs and games all end in 会.
_EVENT = re.compile(r"^[^,、]{1,3}会$")
_HELD_BEFORE = re.compile(r"(?:召开|举行)了?$")
_NAME_END = re.compile(rf"{MEETING_END}$")
_NAME_CLOSED = re.compile(r"[,。;、\s]|$")
_APP_AFTER = re.compile(r"^(?:小程序|APP|App|app|公众号|客户端|平台|微信|抖音|码|热线)")


# A formulation runs long only in parts (少出门、少流动,不聚餐、不聚集…); an unbroken quoted run longer than
# this is a sentence (a welcome banner, an utterance: national README), no slogan.
_UNBROKEN_MAX = 24


# A quoted name of an event (2024年“读懂中国”国际会议): no formulation, wherever its words are reused
# (national README); a quoted topic before a meeting's own kind (“…”调研协商座谈会) still is one.
_EVENT_AFTER = re.compile(r"(?:国际)?(?:会议|论坛|峰会|博览会|大会|年会)")


def event_names(text: str) -> set[str]:
    return {m.group(i).strip() for m in _QUOTE.finditer(text) for i in range(1, 6)
            if m.group(i) is not None and _EVENT_AFTER.match(text, m.end())}


def slogans(text: str, events: set[str] | None = None) -> list[Found]:
    """Quoted formulations in text, in order; `events`: quoted event names known in the whole
    article (default: those of text)."""
    out: list[Found] = []
    events = event_names(text) if events is None else events
    for m in _QUOTE.finditer(text):
        idx = next(i for i in range(1, 6) if m.group(i) is not None)
        term, start = m.group(idx).strip(), m.start(idx)
        if len(term) < 2 or len(term) > 40 or re.search(r"[。!?]", term) or _HOLIDAY.match(term) or DATE_RE.fullmatch(term) \
                or _EVENT.match(term) or term in events or len(term) > _UNBROKEN_MAX and not re.search("[、,]", term):
            continue
        if term.endswith("牌") or _APP_AFTER.match(text[m.end():]) or region.lookup(term) or re.match(r"^[A-Za-z]", term):
            continue  # brands, apps, places
        if _HELD_BEFORE.search(text, 0, m.start()) and _NAME_END.search(term) and _NAME_CLOSED.match(text, m.end()):
            continue  # 召开“学习…专题研讨会”,: the meeting's whole name in quotes, no slogan (召开“邻里议事会”工作推进会: a term)
        if term not in (f.value for f in out):
            out.append(Found(term, start))
    return out
