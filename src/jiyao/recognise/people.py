"""People taking part in the meeting: title sequences joined by 、 followed by names, shared list
headings (区领导…), and the roles SPEC.md names (主持 → chair; 讲话/指出/强调/… → speaker).

Names are delimited by names.py (surname rules, dotted names, and the NER model's PER spans on
the clauses the rules could not read with certainty); a name counts only inside a structure of
taking part — after a title, in a list under a heading, or before a predicate such as 出席/主持 —
so a cited leader (习近平总书记重要讲话) is never a participant (reporters are removed by the caller).

List structures read (SPEC: titles as written; a list heading qualifies every name under it):
- 县委常委、副县长张某、李某 → both ["县委常委", "副县长"]; 副县长张某,李某,王某 (commas) likewise;
- 张某、李某、王某等县领导出席 → each ["县领导"] (the heading after the list); 张某、李某出席 → [];
- 大会执行主席:张某、李某 → each ["大会执行主席"]; 在主席台就座的有:张某、李某 → [];
- 张某会长出席 / 李某同志(县委书记)主持 → the title after the name;
- the same person titled again later (市委常委…, later 常务副市长…) → titles merged in order;
- an unknown item between two names of one list is a name (副委员长甲、白玛赤林、乙).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import ner
from .lexicon import (ANY_CREDIT_WORD, CJK, DAY_AFTER_NAME, GROUP_WORDS, NAME_DOTS, NAME_FOLLOWERS, NOT_TITLE_WORDS, ORG_SUFFIXES,
                      PARTAKE, PARTAKE_WORDS, PEOPLE_FOLLOWERS, PEOPLE_TITLE_ENDINGS, SESSION_OFFICE, TIME_FOLLOWERS, TITLE_ENDINGS)
from .names import Names, is_name
from .roles import assign_roles

__all__ = ["PersonFound", "assign_roles", "find_people", "is_name", "split_name", "split_title_name"]

# Two readings of a clause, the first one's titles winning: spaces end a clause; spaces separate
# list items, as scraped lists do (区领导 张三 李四). 及 separates items too (副会长张某及市领导李某).
_READINGS = ((re.compile(r"[^,;:。!?()\[\]“”『』「」\s]+"), re.compile("、|以及|及")),
             (re.compile(r"[^,;:。!?()\[\]“”『』「」\n]+"), re.compile(r"、|以及|及|[ \t\u3000]+")))
# A heading that lets untitled names follow: 出席会议的有 / 在主席台就座的有 / 与会领导有
_HEADING = (rf"[{CJK}]{{0,12}}?(?:出席|参加|列席|就座|与会|参会|分会场)[{CJK}]{{0,8}}?的?(?:领导|同志|人员|嘉宾)?(?:还)?有"
            r"|与会(?:领导)?(?:还)?有")
_LEAD = re.compile(rf"^\s*(?:(?P<heading>{_HEADING})|[{CJK}]{{0,20}}?由(?=[^,;。]{{2,40}}?主持)"
                   rf"|(?:会议|会上|大会|全会)?(?:听取和审议|听取并审议|听取审议|审议通过|听取|审议)了?(?=[^,;。]{{2,40}}?所作)"
                   r"|(?:会议)?(?:还)?听取了?|会上|会议由|随后|最后|同时|其中|另外|此外|由|并|和|及|与|(?:现在)?请|经|对|以及)?\s*"
                   r"(?:在(?=[^,;。]{2,30}?(?:带领|率领|领导|指导|主持|陪同)下))?")  # (并)在镇长某某带领下: 在 is no title's
_PARTAKE = re.compile(PARTAKE)
# after the last name of an untitled list: 等县领导出席 / 等出席 / 出席 (the heading comes after the list)
_LIST_TAIL = re.compile(rf"^等(?:[一二三四五六七八九十\d]+[名位人])?(?P<title>[{CJK}]{{2,12}}?)?(?:{PARTAKE})")
# …等6位委员,围绕…作了发言 / …等6位代表围绕…发言: a counted heading, then what they spoke about (in the
# same clause, or in the next one when the heading ends its clause)
_SPOKE = r"(?:围绕|就|结合|聚焦)[^。;]{1,80}?(?:作了?|进行了?)?(?:交流)?发言"
_COUNTED_TAIL = re.compile(rf"等[一二三四五六七八九十\d]+[名位](?P<title>[{CJK}]{{2,6}}?)(?:{_SPOKE}|$)")
_SPOKE_NEXT = re.compile(rf",\s*{_SPOKE}")
# 李某同志(县委书记、县长): titles in brackets after the name
_BRACKETED = re.compile(rf"\(([{CJK}、]{{2,40}})\)")
_DOTTED_TAIL = re.compile(rf"[{CJK}]{{1,8}}[{NAME_DOTS}][{CJK}]{{1,8}}$")
_PLATFORM = re.compile(r"出席|参加|列席|就座|主席团|执行主席|分会场|与会|参会")
_WINDOW = 32
_NER_BUDGET = 3000  # characters the model reads per text at most (about 0.2 s)
_MAX_POST_TITLE = 6  # 会长, 副书记, 县委书记: the titles written after a name are short
_CJK_ONLY = re.compile(f"^[{CJK}]+$")
_FOLLOWERS = tuple(sorted(NAME_FOLLOWERS + PEOPLE_FOLLOWERS, key=len, reverse=True))
# quantifiers of a group (有关方面负责人 某某 is a heading over names, so 有关/相关 may lead a title)
_GROUP_LEADS = ("各", "全体", "部分", "广大", "其他", "其余")
_MAX_TITLE = 30  # no title is longer; bounding it keeps a megabyte-long clause linear
# cited, not present: 某某的讲话, 某某关于…, an instruction or a letter sent in (某某作出重要批示, SPEC v1.2)
# (a time word may come first, and what it is about: 某某近日对某某工作作出重要指示)
_CITED = re.compile(r"^(?:关于|重要|的|同志的|在[^,。]{0,20}的讲话|(?:" + "|".join(TIME_FOLLOWERS) + r"|\d{1,2}日)?"
                    r"(?:对[^,。;]{1,20}?)?(?:专门|亲自)?(?:作出|做出|作)?了?[^,。;]{0,4}?(?:批示|指示|贺信))")
_AND = ("和", "与")
# A leader cited through a speech at another, named meeting (SPEC v1.2: 省委书记某某在全省…会议上强调):
# not a person of this meeting; 在会上/在会议上 is this meeting.
CITED_AT = re.compile(r"(?:同志)?在([^,。;:在]{2,40}?(?:会议|大会|全会|会))(?:开幕式|闭幕式)?上(?:的|所作的|发表的)?(?:重要)?"
                      r"(?:讲话|强调|指出|要求|表示|提出)")
_THIS_MEETING = ("会", "会议", "会上", "大会", "此次会议", "本次会议", "这次会议", "全体会议")


@dataclass
class PersonFound:
    name: str
    titles: list[str]
    start: int  # offset of the name in the text it was found in
    title_starts: list[int] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)


_TITLE_WORD = "|".join(sorted(map(re.escape, TITLE_ENDINGS + list(PEOPLE_TITLE_ENDINGS)), key=len, reverse=True))
_TITLE_END = re.compile(f"(?:{_TITLE_WORD})$")
_HAS_TITLE = re.compile(_TITLE_WORD)
_TITLE_AT = re.compile(f"(?=({_TITLE_WORD}))")
_NEXT_ITEM = re.compile(r"[^,;:。!?()\[\]“”\s、]+")
_MAY_HOLD_PEOPLE = re.compile(f"{_TITLE_WORD}|{PARTAKE_WORDS}")
# A title, a few characters the surname rules cannot read as a name, then a verb of taking part
# (区委书记邝卫国主持会议: 邝 is a rare surname): the model is asked to read the name.
_TITLE_UNREAD_VERB = re.compile(f"(?:{_TITLE_WORD})[{CJK}]{{2,4}}?(?:同志)?(?:{PARTAKE_WORDS}|强调|指出|要求)")
# An unreadable first item of a list that takes part (铁某、谌某某出席会议: 铁 is a rare surname).
_UNREAD_LIST_HEAD = re.compile(f"[{CJK}]{{2,4}}")
# 某某研究中心张某 / BOSS某某公司李某: an organisation, then the name (list items of a symposium).
_ORG_END = re.compile(f"(?:{'|'.join(ORG_SUFFIXES)})")
_ORG_CHARS = re.compile(f"[{CJK}A-Za-z\\d]+$")
# An office's name ends so (县委组织部干部一科, 市政府办公室, 县纪委监委第三监督检查室)
_OFFICE_END = re.compile(r"(?:部|科|室|局|办|处|委|院|所|中心|站|队)")


def _title_end(s: str) -> bool:
    return bool(_TITLE_END.search(s))


_DAY_AFTER_NAME = re.compile(DAY_AFTER_NAME)
_QUOTED_TITLE = re.compile("[《》〈〉<>]")
# 总理李某28日在京同某国总理|梅某, 总理李某在某地同某国总理|范某: a sentence, no title
_DAY_IN_TITLE = re.compile(r"\d{1,2}[日号]|在[^,。;]{1,12}?[同与]")
# A counted group (多位全国政协委员和基层…, 12名委员…) heads no one's title.
_COUNTED = re.compile(r"(?:\d+|[一二三四五六七八九十百]+|多|数|几)(?:位|名|个)")
# 作/做 after a name is a predicate when it makes a report, a speech, an arrangement…
_ZUO = re.compile(r"[作做](?:了|出)?(?:《[^》]{0,120}》|[^,。;《]){0,30}?(?:报告|讲话|部署|安排|发言|说明|辅导|汇报|总结|动员|指示|批示|表态|交流|介绍"
                  r"|解读|点评|小结|培训|宣讲|述职|讲解|讲座|要求|强调|批示)"
                  r"|[作做](?:了|出)?[^,。;《]{0,30}?《[^》]*$"  # …作了关于《…(某国)…: a bracket cut the clause
                  r"|[作做]了?的?关于")  # 某某作的关于…草案、议程草案…的汇报: a report, however long its subject
_TITLE_ONLY = re.compile(f"(?:{_TITLE_WORD})$")
_SESSION_OFFICE = re.compile(SESSION_OFFICE)


def _rest_ok(rest: str) -> bool:
    """What may follow a name: nothing, a follower word, or the day and then one (某某16日主持召开);
    not a bare title word (国家主席: 国家 is no name before 主席)."""
    if not rest:
        return True
    if _TITLE_ONLY.match(rest):
        return False
    day = _DAY_AFTER_NAME.match(rest)
    after = rest[day.end():] if day else rest
    if after[:1] in "作做" and not _ZUO.match(after):
        return False  # 党领导经济工|作能力: 作 starts a word, not 作报告/作部署
    return rest.startswith(_FOLLOWERS) or bool(day) and after.startswith(_FOLLOWERS) or bool(_TOWARD.match(after))


def _post_then_follower(rest: str) -> int:
    """指挥长曾某副市长听取了…: the length of a short title written after a titled name and before a
    follower word (a title on both sides of the name, PATTERNS R4-9); 0 when none (等县领导出席 is a
    list's tail, 向居民代表作报告 a report's audience)."""
    for k in range(min(len(rest) - 1, _MAX_POST_TITLE), 1, -1):
        if _clean_title(rest[:k]) and rest[k:].startswith(_FOLLOWERS) and not rest.startswith(_NOT_POST_TITLE):
            return k
    return 0


_NOT_POST_TITLE = tuple("等向对在和与及为给同")
_AND_CHARS = "和与及"


def _rest_ok_titled(rest: str) -> bool:
    return _rest_ok(rest) or _post_then_follower(rest) > 0


def _title_words_ok(title: str) -> bool:
    """No word of a meeting's report inside the title; a session's office keeps its 会议
    (某某会议主席团常务主席)."""
    title = _SESSION_OFFICE.sub("", title)
    return not any(w in title for w in NOT_TITLE_WORDS)


# 向居民代表作工作报告, 向大会汇报: a report made to this meeting
_TOWARD = re.compile(r"向[^,。;]{1,12}?(?:作|汇报|报告|通报|介绍|述职)")


def _clean_title(seg: str) -> bool:
    return 2 <= len(seg) <= 24 and _title_end(seg) and _title_words_ok(seg) and bool(_CJK_ONLY.match(seg))


def split_name(seg: str, names: Names | None = None, start: int = 0) -> tuple[str, str] | None:
    """seg = NAME + REST where REST is empty or starts with a follower word."""
    return (names or Names()).split(seg, start, _rest_ok, _PARTAKE.match)


def split_title_name(seg: str, names: Names | None = None, start: int = 0) -> tuple[str, str, str] | None:
    """seg = TITLE + NAME + REST, the longest title that leaves a valid name."""
    # where a title word ends (any start: 县委副书记 has 书记 inside), longest title first
    ends = sorted({m.start() + len(m.group(1)) for m in _TITLE_AT.finditer(seg, 0, _MAX_TITLE)}, reverse=True)
    for k in ends:
        title = seg[:k]
        if _QUOTED_TITLE.search(title) or _DAY_IN_TITLE.search(title):
            continue  # 签署的〈某某组织成员|国关于…〉: a document's title, no person's
        # a group's heading (各级领导班子要…) or a credit label (审核领导:某某) is no person's title
        if k < 2 or k > len(seg) - 2 or not _title_words_ok(title) or title.startswith(_GROUP_LEADS + ANY_CREDIT_WORD) \
                or not _TITLE_CHARS.match(title) or _names_a_person(title, names) or _COUNTED.match(title):
            continue
        got = (names or Names()).split(seg[k:], start + k, _rest_ok_titled, _PARTAKE.match)
        if got and got[0][0] in _AND_CHARS and not _rest_ok(got[1]):
            continue  # 党组织书记和驻村工作队队长参加: 和 joins two groups, no 和某 has a title after it
        # 高志远市长强调: a verb after a name and its title is no name
        if got and got[0] not in _FOLLOWERS and got[0] not in NOT_TITLE_WORDS and got[0] not in GROUP_WORDS:
            return title, got[0], got[1]
    return None


_TITLE_CHARS = re.compile(rf"^[{CJK}\d()—\-·]+$")  # 副县长, 党组(扩大)成员, 中国—东盟…主席; no 《…》
_AND_AT = re.compile("[和与]")


def _names_a_person(title: str, names: Names | None) -> bool:
    """县委书记甲和县长 is two people, not a title: a title word and a name before 和/与."""
    for m in _AND_AT.finditer(title):
        left = title[: m.start()]
        for t in _TITLE_AT.finditer(left):
            k = t.start() + len(t.group(1))
            if k < len(left) and (names or Names()).ok(left[k:]):
                return True
    return False


def _post_title(rest: str) -> str | None:
    """张某会长出席 → 会长: a short title after the name, then a predicate of taking part. A group
    is no title (党总支理论学习中心组全体成员参加: 党 is a surname, 总支 is no given name)."""
    for k in range(min(len(rest), _MAX_POST_TITLE), 1, -1):
        # the group word is looked for before the title's ending: 委员长 ends in a title, 全体成员 is a group
        head = _TITLE_END.sub("", rest[:k])
        if _clean_title(rest[:k]) and _PARTAKE.match(rest[k:]) and not any(w in head for w in GROUP_WORDS):
            return rest[:k]
    return None


def _add_window(out: list[tuple[int, int]], s: int, e: int, text: str) -> None:
    """Windows of about _WINDOW characters: the model's time per character grows with the length
    of what it reads (0.3 ms for 10 characters, 2 ms for 60, 6 ms for 120 on one core), so a long
    clause is cut between list items (、) and short neighbours are read together."""
    while e - s > _WINDOW:
        cut = text.rfind("、", s + 1, s + _WINDOW)
        cut = cut + 1 if cut > s else s + _WINDOW
        _add_window(out, s, cut, text)
        s = cut
    if out and e <= out[-1][1]:
        return  # read already (the two readings of a clause overlap)
    if out and out[-1][1] >= s - 1 and e - out[-1][0] <= _WINDOW:
        s = out.pop()[0]
    out.append((s, e))


def _within_budget(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The first windows up to _NER_BUDGET characters: a real article needs a few dozen; a pasted
    list of thousands of names must not keep the model busy for a minute."""
    out, used = [], 0
    for s, e in windows:
        used += e - s
        if used > _NER_BUDGET:
            break
        out.append((s, e))
    return out


def cited_at(text: str, people: list[PersonFound], own_meeting: str | None) -> dict[str, str]:
    """{name: the other meeting} for people named only as speaking at another, named meeting
    (省委书记某某在省委经济工作会议上强调): cited, not taking part (SPEC v1.2)."""
    out = {}
    for p in people:
        cited, other = None, None
        for m in re.finditer(re.escape(p.name), text):
            c = CITED_AT.match(text, m.end())
            meeting = c.group(1) if c else None
            if not meeting or meeting in _THIS_MEETING or (own_meeting and (own_meeting in meeting or meeting in own_meeting)):
                cited = False
                break
            cited, other = True, meeting
        if cited:
            out[p.name] = other
    return out


# A title of a higher body than a local meeting's (省委书记, 副省长, 中央…, 国务院…, 全国人大…)
_HIGHER_TITLE = re.compile(r"^(?:中共)?(?:省|中央|国务院|全国|国家)")
_HIGHER_MEETING = re.compile(r"^(?:中共)?(?:省|全省|中央|国务院|全国|国家)")
_PARTAKE_AFTER = re.compile(rf"(?:同志)?(?:[{CJK}]{{0,6}}?)?{PARTAKE}")


def cited_higher(text: str, people: list[PersonFound], own_meeting: str | None) -> set[str]:
    """People of a higher body (省委书记某某) named at a local meeting only as saying something
    (强调, 指出, 要求), never as taking part (出席, 参加, 主持, 讲话…): their words are relayed from
    elsewhere (SPEC v1.2, people cited, not present)."""
    if own_meeting and _HIGHER_MEETING.match(own_meeting):
        return set()
    out = set()
    for p in people:
        if not p.titles or not all(_HIGHER_TITLE.match(t) for t in p.titles):
            continue
        if not any(_PARTAKE_AFTER.match(text, m.end()) for m in re.finditer(re.escape(p.name), text)):
            out.add(p.name)
    return out


def find_people(text: str, use_ner: bool | None = None) -> list[PersonFound]:
    """People taking part, in text order. use_ner None → the JIYAO_NER switch (on by default);
    with NER on, a model that cannot be loaded raises ner.NERUnavailable.

    The rules read the text first; the model reads only the participant clauses the rules could
    not fully read (县长张和平讲话: 和 stops the rules) or had to guess a boundary in (王大同出席),
    and the text is read again with its names. Most articles need no model call at all."""
    if use_ner is None:
        use_ner = ner.enabled()
    if use_ner:
        ner.tagger()  # loaded (or failing loudly) whether or not this text needs it
    names = Names()
    found, unsure = _read(text, names)
    if use_ner and unsure:
        windows: list[tuple[int, int]] = []
        for s, e in sorted(set(unsure)):
            _add_window(windows, s, e, text)
        names = Names(ner.person_spans(text, _within_budget(windows)))
        found, _ = _read(text, names)
    people = sorted(found.values(), key=lambda p: p.start)  # text order
    assign_roles(text, people)
    return people


def _read(text: str, names: Names) -> tuple[dict[str, PersonFound], list[tuple[int, int]]]:
    """(people found, the spans of clauses the rules could not read with certainty)."""
    found: dict[str, PersonFound] = {}
    unsure: list[tuple[int, int]] = []
    for reading, (clause_re, sep_re) in enumerate(_READINGS):
        carry: list[tuple[str, int]] | None = None
        heading: list[tuple[str, int]] | None = None
        for cm in clause_re.finditer(text):
            sep = text[cm.end(): cm.end() + 1]
            inherited = carry if carry is not None else heading
            carry = None
            if inherited is None and not _MAY_HOLD_PEOPLE.search(cm.group()):
                heading = None
                continue  # nine clauses in ten: no title, no verb of taking part
            parse = _Clause(names, found, merge=reading == 0, text=text)
            guesses = names.guesses
            # the next clause after a comma may go on with the list (副县长甲,乙,丙)
            nxt = _NEXT_ITEM.match(text, cm.end() + 1) if sep == "," else None
            parse.read(cm.group(), cm.start(), sep_re, inherited, [(nxt.start(), nxt.group())] if nxt else [])
            if parse.stuck or names.guesses > guesses:
                unsure.append((cm.start(), cm.end()))
            carry = parse.open_list if sep == "," else None
            heading = _colon_heading(cm.group(), cm.start()) if sep == ":" else None
    _bracketed_titles(text, names, found)
    _handshakes(text, names, found)
    return found, unsure


def _colon_heading(clause: str, start: int) -> list[tuple[str, int]] | None:
    """大会执行主席: / 主席团成员: → that heading qualifies the names after the colon;
    在主席台就座的有: → the names are participants without a title."""
    c = clause.strip()
    if c.startswith(ANY_CREDIT_WORD):
        return None  # 审核领导: / 责任编辑: a credit, its names are in `source`
    if _clean_title(c):
        return [(c, start + clause.index(c))]
    if re.fullmatch(_HEADING, c) or _PLATFORM.search(c) and len(c) <= 20:
        return []
    return None


class _Clause:
    """One clause: TITLE、TITLE NAME、NAME… or NAME、NAME…(等TITLE)出席."""

    def __init__(self, names: Names, found: dict[str, PersonFound], merge: bool, text: str = "") -> None:
        self.names, self.found, self.merge, self.text = names, found, merge, text
        self.open_list: list[tuple[str, int]] | None = None  # titles of a list the clause ends inside
        self.stuck = False
        self.orgs: dict[str, tuple[str, int]] = {}  # an untitled item's organisation (某某中心张某)
        self.heard = False  # the clause says what the meeting heard (听取了…)

    def read(self, clause: str, base: int, sep_re: re.Pattern, inherited: list[tuple[str, int]] | None,
             next_clause: list[tuple[int, str]] = ()) -> None:
        """inherited: the titles of a list the previous clause ended inside (副县长甲,乙,丙), or a
        heading before a colon; the clause's own titles replace them."""
        lead = _LEAD.match(clause)
        self.heard = "听取" in lead.group()  # 会议听取了…秘书长某某关于…的说明: a report made here
        if lead.group("heading") and inherited is None:
            inherited = []  # 出席会议的有张某、李某: names without titles take part
        clause, base = clause[lead.end():], base + lead.end()
        self.open_list = None
        self.stuck = False  # the clause ended at a segment nothing could read
        shared, pending = inherited, []
        bare: list[tuple[str, int]] = []  # untitled names waiting for 等县领导出席 / 出席
        segs = _segments(clause, sep_re)
        titled = False  # the segment before was a title and a name
        for i, (offset, seg) in enumerate(segs):
            seg_start = base + offset
            self.open_list = None
            titled_before, titled = titled, False
            tn = None if bare else split_title_name(seg, self.names, seg_start)
            if tn and shared is not None and (nm0 := split_name(seg, self.names, seg_start)) and nm0[1][:1] in _AND:
                tn = None  # 甲、乙和秘书长丙: 乙 is the list's, no 乙和秘书长 title
            if tn:
                title, name, rest = tn
                qual = title.rfind("的") + 1  # 新当选的国家副主席: what comes before 的 qualifies, it is no title
                shared, pending = pending + [(title[qual:], seg_start + qual)], []
                if not self._cited(rest, seg_start + len(title) + len(name)):
                    self._add(name, shared, seg_start + len(title))
                    if k := _post_then_follower(rest):
                        at = seg_start + len(title) + len(name)
                        self._add(name, [(rest[:k], at)], at)
                        rest = rest[k:]
                if rest:
                    rest, shared = self._and_more(rest, seg_start + len(title) + len(name), shared)
                    if rest:
                        return
                self.open_list = shared
                titled = True
                continue
            onp = None if bare else self._org_name_title(seg, seg_start)
            if onp:  # 县委组织部干部一科武建科长到会督导: the office and the title after the name are titles
                org, name, post, rest = onp
                shared, pending = [(org, seg_start), (post, seg_start + len(org) + len(name))], []
                self._add(name, shared, seg_start + len(org))
                if rest:
                    rest, shared = self._and_more(rest, seg_start + len(seg) - len(rest), shared)
                    if rest:
                        return
                self.open_list = shared
                continue
            nm = split_name(seg, self.names, seg_start) or self._name_then_title(seg, seg_start) \
                or (self._org_then_name(seg, seg_start) if not pending and shared is None else None)
            after = [(base + segs[i + 1][0], segs[i + 1][1])] if i + 1 < len(segs) else list(next_clause)
            if not nm and (bare or shared) and self._between_names(seg, after):
                nm = seg, ""
            if nm and not bare and (shared is not None or pending):
                shared, pending = pending or shared, []  # 区领导 张某 李某: the titles before the names
                self._add(nm[0], shared, seg_start)
                if nm[1]:
                    rest, shared = self._and_more(nm[1], seg_start + len(nm[0]), shared)
                    if rest:
                        return
                self.open_list = shared
                continue
            # a title after a titled name starts the next person's titles (县委副书记甲、县委常委、宣传部部长乙)
            if _clean_title(seg) and not bare and (shared is inherited or not shared or titled_before):
                shared = None
                pending.append((seg, seg_start))
                continue
            if nm and not pending:
                bare.append((nm[0], seg_start))
                if nm[1]:
                    self.stuck = not self._close_bare(bare, nm[1], seg_start + len(nm[0]))
                    return
                continue
            # an unreadable item inside a name list (市领导叶林、占卓夫、…), or a title before an
            # unreadable name and a verb of taking part: the model may know it
            self.stuck = shared is not None or bool(bare or pending) or bool(_TITLE_UNREAD_VERB.search(seg)) \
                or (i == 0 and len(segs) > 1 and bool(_UNREAD_LIST_HEAD.fullmatch(seg)) and bool(_PARTAKE.search(segs[-1][1])))
            return

    def _cited(self, rest: str, at: int) -> bool:
        """What follows the name sends an instruction or a letter in (SPEC v1.2: cited, not present),
        read on in the text where a quotation mark cut the clause (某某对“三农”工作作出重要指示)."""
        if self.heard and rest.startswith("关于"):
            return False  # 听取了某某关于…的说明: what the meeting heard, not a view cited
        cut = self.text[at + len(rest): at + len(rest) + 1]
        return bool(_CITED.match(rest) or cut and cut in "“”‘’「」" and _CITED.match(self.text[at: at + 40]))

    def _and_more(self, rest: str, start: int, shared: list[tuple[str, int]] | None) -> tuple[str, list | None]:
        """A list that goes on after 和/与 with one more name: 副书记甲、乙和丙出席 (丙 under the list's
        titles), 县委书记甲和县长乙出席 (乙 under a title of its own, which the names listed after it
        share: …和领导乙、丙、丁). Returns what is left of the segment and the titles in force."""
        while rest[:1] in _AND:
            nxt, at = rest[1:], start + 1
            tn = split_title_name(nxt, self.names, at)
            if tn and not _CITED.match(tn[2]):
                shared = [(tn[0], at)]
                self._add(tn[1], shared, at + len(tn[0]))
                rest, start = tn[2], at + len(tn[0]) + len(tn[1])
                continue
            nm = split_name(nxt, self.names, at)
            if not nm or not shared or _CITED.match(nm[1]):
                break
            self._add(nm[0], shared, at)
            rest, start = nm[1], at + len(nm[0])
        return rest, shared

    def _between_names(self, seg: str, after: list[tuple[int, str]]) -> bool:
        """An item of 2-4 characters between two names of one list is a name, though neither the
        surname rules nor the model know it (副委员长甲、白玛赤林、乙: a Tibetan name)."""
        if not (2 <= len(seg) <= 4 and _CJK_ONLY.match(seg)) or _title_end(seg) or not after \
                or any(w in seg for w in NOT_TITLE_WORDS) or not split_name(after[0][1], self.names, after[0][0]):
            return False
        self.names.accept(seg)
        return True

    def _name_then_title(self, seg: str, start: int) -> tuple[str, str] | None:
        """张某会长出席: the name, with the title after it recorded at once."""
        if not _HAS_TITLE.search(seg, 2):
            return None
        got = self.names.split(seg, start, lambda r: _post_title(r) is not None)
        if not got:
            return None
        title = _post_title(got[1])
        self._add(got[0], [(title, start + len(got[0]))], start)
        return got[0], got[1][len(title):]

    def _org_name_title(self, seg: str, start: int) -> tuple[str, str, str, str] | None:
        """(office, name, title, rest) of 县委组织部孙某科长到会督导: an office before the name (a title,
        national README) and a short title after it, then a verb of taking part (PATTERNS R4-9)."""
        for m in _OFFICE_END.finditer(seg, 3, 26):
            org = seg[: m.end()]
            if not _CJK_ONLY.match(org) or not _title_words_ok(org) or _title_end(org):
                continue
            got = self.names.split(seg[m.end():], start + m.end(), lambda r: _post_title(r) is not None)
            if got and got[0][0] not in _AND_CHARS:  # 某某工委和执法检查组成员参加: two groups
                post = _post_title(got[1])
                return org, got[0], post, got[1][len(post):]
        return None

    def _org_then_name(self, seg: str, start: int) -> tuple[str, str] | None:
        """某某中心张某: an untitled list item whose organisation stands before the name; the
        organisation is the title (recorded when the list closes with a verb of taking part)."""
        for m in _ORG_END.finditer(seg, 2, 26):
            got = split_name(seg[m.end():], self.names, start + m.end()) if _ORG_CHARS.match(seg[: m.end()]) else None
            if got:
                self.orgs[got[0]] = (seg[: m.end()], start)
                return got
        return None

    def _close_bare(self, bare: list[tuple[str, int]], rest: str, rest_start: int) -> bool:
        """The untitled list is a list of participants when a predicate of taking part follows it."""
        counted = _COUNTED_TAIL.match(rest)
        if counted and counted.end() == len(rest) and not counted.group().endswith("发言"):
            counted = counted if _SPOKE_NEXT.match(self.text, rest_start + len(rest)) else None
        m = counted or _LIST_TAIL.match(rest) or _PARTAKE.match(rest)
        if not m:
            return False
        heading = m.groupdict().get("title")
        titles = [(heading, rest_start + m.start("title"))] if heading and _clean_title(heading) else []
        for name, start in bare:
            self._add(name, [self.orgs[name]] + titles if name in self.orgs else titles, start)
        return True

    def _add(self, name: str, titles: list[tuple[str, int]], start: int) -> None:
        if not self.names.ok(name):
            return
        have = self.found.get(name)
        if have is None:
            self.found[name] = PersonFound(name, [t for t, _ in titles], start, [s for _, s in titles])
            return
        # the same person titled again elsewhere in the text: titles merged in order, once each
        for t, s in titles if self.merge else ():
            # the first full form wins: a later short form (总书记 after 中共中央总书记) adds nothing
            if not any(h.endswith(t) for h in have.titles) and s not in have.title_starts:
                have.titles.append(t)
                have.title_starts.append(s)


def _segments(clause: str, sep_re: re.Pattern) -> list[tuple[int, str]]:
    out, last = [], 0
    for m in sep_re.finditer(clause):
        out.append((last, clause[last: m.start()]))
        last = m.end()
    out.append((last, clause[last:]))
    return [piece for o, s in out if s for piece in _split_at_he(o, s)]


def _split_at_he(offset: int, seg: str) -> list[tuple[int, str]]:
    """某市委书记甲和某市长乙发言, 副主席甲、乙和秘书长丙出席: 和 after a name joins two people
    (党和国家领导人 stays whole, no name stands before its 和)."""
    for m in re.finditer("和", seg):
        i = m.start()
        # 某某和秘书长乙: a list's last name, then a titled one
        if 2 <= i <= 3 and is_name(seg[:i]) and _HAS_TITLE.search(seg, i + 1, i + 1 + _MAX_TITLE):
            return [(offset, seg[:i]), *_split_at_he(offset + i + 1, seg[i + 1:])]
        for n in (3, 2):
            if i - n >= 2 and is_name(seg[i - n: i]) and _TITLE_END.search(seg[:i - n]) and i + 1 < len(seg):
                return [(offset, seg[:i]), *_split_at_he(offset + i + 1, seg[i + 1:])]
    return [(offset, seg)]


# …分别同某某握手, 某某又同十三届全国人大常委会委员长某某握手: whom a participant shakes hands with at
# the meeting is there too (national README), titled as written before the name.
_HANDSHAKE = re.compile(r"同([^,。;:!?同]{2,30}?)(?:同志)?握手")


def _handshakes(text: str, names: Names, found: dict[str, PersonFound]) -> None:
    for m in _HANDSHAKE.finditer(text):
        seg, at = m.group(1), m.start(1)
        tn = split_title_name(seg, names, at)
        if tn and not tn[2]:
            _Clause(names, found, merge=True, text=text)._add(tn[1], [(tn[0], at)], at + len(tn[0]))
        elif names.ok(seg):
            _Clause(names, found, merge=True, text=text)._add(seg, [], at)


def _bracketed_titles(text: str, names: Names, found: dict[str, PersonFound]) -> None:
    """李某同志(县委书记、县长)主持会议: titles in brackets after a participant's name."""
    for m in _BRACKETED.finditer(text):
        before = text[max(0, m.start() - 16): m.start()]
        if before.endswith("同志"):
            before = before[:-2]
        dotted = _DOTTED_TAIL.search(before)
        cands = [dotted.group()] if dotted else [before[-L:] for L in (3, 2, 4) if len(before) >= L]
        name = next((c for c in cands if names.ok(c)), None)
        if name is None or name not in found and not _PARTAKE.match(text[m.end(): m.end() + 20]):
            continue
        titles, pos = [], m.start(1)
        for t in m.group(1).split("、"):
            if _clean_title(t):
                titles.append((t, pos))
            pos += len(t) + 1
        _Clause(names, found, merge=True)._add(name, titles, text.rindex(name, 0, m.start()))
