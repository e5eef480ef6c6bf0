"""Does the text support a value only the model gives? Grounding says the string occurs; evidence
says it occurs in a sentence that makes it this field's value.

- a person: a verb of taking part attributed to the name in its sentence (张三出席 / 由张三主持 /
  出席会议的有…张三), and the name not a credit (记者 张三) nor a cited leader (张三总书记…讲话精神);
- a title: written before the name in the same sentence (县委副书记、县长高志强);
- a role: 主持 / 讲话… in the name's own clause chain;
- a slogan: in quotation marks and not excluded by the recognisers' rules (apps, holidays, places);
- an upstream meeting: after a relay cue in its clause (传达学习…会议精神);
- a credit: after its credit word (记者 / 摄影 / 编辑);
- a scalar: a cue of its own (…讯 for an outlet, 在…召开 for a venue, …召开 or the start of the
  meeting's name for an organizer, a day word before a time of day).

The checks are the same for either source: a value of the rules that fails its field's check is
one the rules are not sure of (fuse.py measures the model's agreement on the values they are sure
of, and lets a trusted model correct the others).
"""
from __future__ import annotations

import functools
import re

from ..ground.checks import region_forms
from ..read.document import Document
from ..recognise.meeting import first_report
# the recognisers' word lists, defined once
from ..recognise.lexicon import CHAIR_RE, CREDIT_WORDS, IN_PERSON_CUE, RELAY, SPEAKER_RE, TITLE_ENDINGS, VIDEO_CUE
from ..recognise.mentions import event_names, slogans as quoted_slogans


from ..text import QUOTE_PAIRS, normalise_value

_SENTENCE_END = re.compile(r"[。!?！？\n]")
_CLAUSE_END = re.compile(r"[,，;；。!?！？\n()（）]")
ATTEND_RE = re.compile(r"出席|参加|列席|参会|与会|主持|讲话|指出|强调|要求|发了?言|部署|作了?[^,。;]{0,8}(?:安排|报告|说明)|通报|汇报|宣读|传达"
                       r"|就座|致辞")
# an attendance list names its people after the verb: 出席会议的领导还有张三、李四
_LIST_LEAD = re.compile(r"(?:出席|参加|列席)(?:会议|本次会议|活动)?的(?:领导|同志|人员)?(?:还)?有[::]?|与会(?:领导|人员)?(?:还)?有[::]?|由$")
# a speaker: the recognisers' verbs, and what national stories write (发了言, 表示, 说:)
_SPEAKS = re.compile(SPEAKER_RE.pattern + r"|发了言|表示|说[,:，：]")
_ROLE_CUE = re.compile(CHAIR_RE.pattern + "|" + _SPEAKS.pattern)
_TITLE_NEXT = re.compile("(?:" + "|".join(map(re.escape, TITLE_ENDINGS)) + ")[、,，]")
_OPEN_QUOTE = "[" + re.escape("".join(o for o, _ in QUOTE_PAIRS)) + "]"
_CLOSE_QUOTE = "[" + re.escape("".join(c for _, c in QUOTE_PAIRS)) + "]"
_CITED_AFTER = re.compile(r"^\s*(?:总书记|同志的|同志关于|的|关于|重要)")
_CITED_CUE = re.compile(r"^(?:精神|指示|批示|重要)")
_CREDIT_TAIL = {f: re.compile("(?:" + "|".join(map(re.escape, words + (("文/", "撰稿", "作者", "实习生") if f == "reporters" else ())
                                                   + (("审核", "审稿", "核稿", "责编") if f == "editors" else ())))
                              + r")[\s::/|]*(?:[\u4e00-\u9fff·]{2,8}[\s、,,]+){0,4}$")
                for f, words in CREDIT_WORDS.items()}
_ANY_CREDIT = re.compile("|".join(p.pattern for p in _CREDIT_TAIL.values()))
_MEETING_END = re.compile(r"(?:会议|全会|大会|例会|[进度署谈频题公代习]会|[一二三四五六七八九十]大|集体学习)$")
_RELAY_BEFORE = re.compile(RELAY + r"[^,。;]{0,40}$")
_VIDEO_CUE = re.compile(VIDEO_CUE)
_HELD = re.compile(r"召开|举行|举办|主持|会议|会上")
_TITLE_LINES = 8
_NOT_IN_NAME = re.compile(r"主持|出席|讲话|并|。")
# SPEC v1.2's time-of-day words as the text writes them, after a day (4月8日下午, 今天上午, 20日晚)
_TIME_WORDS = {"上午": "上午|早上|早晨|凌晨", "中午": "中午", "下午": "下午", "晚上": "晚上|晚间|傍晚|夜间|晚"}
_DAY_BEFORE = r"(?:日|号|今天|今日|当天|当日|昨天|昨日|前天|前日)\s*"
_IN_PERSON_CUE = re.compile(IN_PERSON_CUE)


_SHARED_VERB = re.compile(r"^(?:等|分别|先后|依次|相继|也|都|均)")


def _own_clauses(after: str, others: list[str]) -> list[str]:
    """What may attribute a verb to a name, given the rest of its sentence: the text up to the next
    person named, and, when the name opens or continues a list (、 then another name), the text
    after the list's last name if it shares its verb (等发了言, 分别发言)."""
    def next_name(pos: int):
        hits = [(after.find(o, pos), o) for o in others]
        return min(((j, o) for j, o in hits if j >= 0), default=None)

    first = next_name(0)
    own = [after[: first[0]] if first else after]
    pos, nxt = 0, first
    while nxt is not None and after[pos: nxt[0]].strip().startswith(("、", ",", "，")) \
            and not _ROLE_CUE.search(after[pos: nxt[0]]):
        pos = nxt[0] + len(nxt[1])
        nxt = next_name(pos)
    tail = after[pos: nxt[0] if nxt else len(after)]
    if pos and _SHARED_VERB.match(tail):
        own.append(tail)
    return own


@functools.lru_cache(maxsize=1)
def _segmenter():
    """jieba's word segmenter, loaded once (about a second) when a person is first checked."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


class Evidence:
    """Checks on one document's normalised text, values compared as the recognisers write them."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.norm.text
        self.report_end = len(first_report(self.text))
        self._events: set[str] | None = None

    def _hits(self, value: str) -> list[int]:
        v = normalise_value(value)
        if not v:
            return []
        return [m.start() for m in re.finditer(re.escape(v), self.text)]

    def _own_hits(self, value: str) -> list[int]:
        """Mentions in the first report (a second one, 又讯…, has its own people and roles)."""
        return [i for i in self._hits(value) if i < self.report_end]

    def _sentence_after(self, end: int) -> str:
        m = _SENTENCE_END.search(self.text, end)
        return self.text[end: m.start() if m else len(self.text)]

    def _clause_before(self, start: int) -> str:
        cut = max((m.end() for m in _CLAUSE_END.finditer(self.text, max(0, start - 60), start)), default=max(0, start - 60))
        return self.text[cut:start]

    def _sentence_before(self, start: int, width: int = 80) -> str:
        lo = max(0, start - width)
        cut = max((m.end() for m in _SENTENCE_END.finditer(self.text, lo, start)), default=lo)
        return self.text[cut:start]

    def _whole_word(self, start: int, end: int) -> bool:
        """Whether a word segmenter cuts the text at both ends of [start, end): 国家 in 国家主席 or
        经济工 in 经济工作 is part of another word, not a name."""
        lo, hi = max(0, start - 12), min(len(self.text), end + 12)
        cuts, pos = {lo}, lo
        for w in _segmenter().cut(self.text[lo:hi], HMM=False):
            pos += len(w)
            cuts.add(pos)
        return start in cuts and end in cuts

    def _in_titles(self, i: int, after: str) -> bool:
        """A mention inside a list of titles (总书记、国家主席、…: 国家 + 主席) is part of a title."""
        return self.text[max(0, i - 1): i] == "、" and bool(_TITLE_NEXT.match(after))

    def is_credit(self, name: str) -> bool:
        return any(_ANY_CREDIT.search(self.text[max(0, i - 30): i]) for i in self._hits(name))

    def person(self, name: str) -> str | None:
        """The reason the text makes this name a participant, or None."""
        if self.is_credit(name):
            return None
        for i in self._own_hits(name):
            end = i + len(normalise_value(name))
            after = self._sentence_after(end)
            if _CITED_AFTER.match(after) or not self._whole_word(i, end) or self._in_titles(i, after):
                continue
            if _LIST_LEAD.search(self._clause_before(i)) or re.search(r"由$", self.text[max(0, i - 1): i]):
                return "named in an attendance list"
            # the first cue after the name, before the sentence ends or a parenthesis interrupts it
            run = re.split(r"[()（）]", after)[0]
            cue = ATTEND_RE.search(run)
            if cue and not _CITED_CUE.match(run[cue.end():]):
                return f"{cue.group()} attributed in its sentence"
        return None

    def title(self, name: str, title: str, others: list[str] = ()) -> bool:
        """The title is in the name's own title chain: before it in its sentence, with no other
        person's name in between unless that name only continues a list under the same heading
        (区领导、副组长黄友明、冉庆国: both; 区委书记张三、区长李四: 区委书记 is 张三's only)."""
        t = normalise_value(title)
        return bool(t) and any(t in self._chain(i, name, others) for i in self._own_hits(name))

    def _chain(self, i: int, name: str, others: list[str]) -> str:
        """The text before the mention at i that may qualify it, back over list continuations."""
        others = [normalise_value(o) for o in others if o and normalise_value(o) != normalise_value(name)]
        chain, pos = "", i
        while True:
            before = self._sentence_before(pos, 80)
            prev = max(((before.rfind(o), o) for o in others if o in before), default=(-1, ""))
            if prev[0] < 0:
                return before + chain
            seg = before[prev[0] + len(prev[1]):]
            chain = seg + chain
            if seg.strip() not in ("、", ",", "，", ""):
                return chain
            pos = pos - len(before) + prev[0]

    def role(self, name: str, role: str, others: list[str]) -> bool:
        """主持 / 讲话… in the name's own clause: up to the next person named, or, for a name in a
        list whose verb is shared (张三、李四等发了言, 张三、李四分别发言), after the list."""
        rx = CHAIR_RE if role == "chair" else _SPEAKS
        others = [o for o in (normalise_value(x) for x in others if x) if o and o != normalise_value(name)]
        for i in self._own_hits(name):
            if role == "chair" and self.text[max(0, i - 1): i] == "由" and rx.search(self._sentence_after(i)):
                return True
            after = self._sentence_after(i + len(normalise_value(name)))
            if any(rx.search(part) for part in _own_clauses(after, others)):
                return True
        return False

    def slogan(self, value: str) -> bool:
        v = normalise_value(value)
        for m in re.finditer(_OPEN_QUOTE + r"\s*" + re.escape(v) + r"\s*" + _CLOSE_QUOTE, self.text):
            # the recognisers' exclusions (apps, holidays, places, brands) judge the quote in its context
            # (in “” whatever quotes the text used: "净网2014" is quoted too)
            window = "“" + v + "”" + self.text[m.end(): m.end() + 12]
            # (…and a quote the article elsewhere names an event by, “读懂中国”国际会议, is no slogan)
            if self._events is None:
                self._events = event_names(self.text)
            if v in (f.value for f in quoted_slogans(window, self._events)):
                return True
        return False

    def upstream(self, value: str, own: str | None = None, known: list[str] = ()) -> bool:
        """After a relay cue, and neither this meeting's own name nor a piece of a longer relayed
        name (疫情防控工作会议 inside 全省疫情防控工作会议)."""
        v = normalise_value(value)
        if v == normalise_value(own or "") or any(v != k and v in normalise_value(k) for k in known):
            return False
        return bool(_MEETING_END.search(v)) and any(_RELAY_BEFORE.search(self._clause_before(i)) for i in self._hits(v))

    def credit(self, field: str, name: str) -> bool:
        rx = _CREDIT_TAIL[field]
        return any(rx.search(self.text[max(0, i - 30): i]) for i in self._hits(name))

    def scalar(self, field: str, value: str, rules_upstream: list[str] = (), names: list[str] = ()) -> bool:
        """Whether a scalar value has its field's cue; `names`: the meeting names on the table (an
        organizer is the body a name starts with)."""
        v = normalise_value(value)
        hits = self._hits(v)
        after = [self.text[i + len(v): i + len(v) + 6] for i in hits]
        before = [self.text[max(0, i - 6): i] for i in hits]
        if field == "headline":  # a title line: a whole line near the top (page furniture comes first), or the page's title
            lines = []
            for ln in [x for x in self.text.split("\n") if x.strip()][:_TITLE_LINES]:
                if "。" in ln:
                    break  # the body has begun: a line after it is a subheading (会议指出), not the title
                lines.append(normalise_value(ln))
            return v in lines or v == normalise_value(self.doc.page_title or "")
        if field == "source.outlet":
            return any(a.startswith(("讯", "消息")) for a in after) or any(re.search(r"来源[::]\s*$", b) for b in before)
        if field == "meeting.name":  # a name, not a clause that ends in 会议 (…习近平主持会议)
            return bool(_MEETING_END.search(v)) and len(v) <= 40 and not _NOT_IN_NAME.search(v) and v not in rules_upstream and not any(
                _RELAY_BEFORE.search(self._clause_before(i)) for i in hits)
        if field == "meeting.venue":  # 在北京人民大会堂举行: 在 may stand before the city
            before = [self.text[max(0, i - 12): i] for i in hits]
            return any(re.search(r"在[^,。;]{0,6}$", b) for b in before) and any(re.match(r"(?:召开|举行|举办)", a) for a in after)
        if field == "meeting.organizer":  # the subject of 召开, or the body the meeting's name starts with
            return any(re.match(r"(?:主持)?(?:召开|举行|组织召开)", a) for a in after) or any(
                normalise_value(n).startswith(v) and len(normalise_value(n)) > len(v) for n in names if n)
        if field == "meeting.region":  # a division, a town, or the country (grounding found its mention)
            return region_forms(value) is not None
        if field == "meeting.format":  # in a sentence that holds a meeting; a relayed 视频会议 says nothing of this one's
            text = self.text
            for u in rules_upstream:
                text = text.replace(normalise_value(u), "□")
            cue = _VIDEO_CUE if value == "video" else _IN_PERSON_CUE
            return any(cue.search(x) and _HELD.search(x) for x in _SENTENCE_END.split(text))
        if field == "meeting.time_of_day":  # 4月8日上午, 今天下午: written right after a day
            return bool(re.search(_DAY_BEFORE + "(?:" + _TIME_WORDS.get(v, re.escape(v)) + ")", self.text))
        # dates: their form is checked where they are grounded
        return True
