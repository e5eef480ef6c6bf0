"""Does the text support a value only the model gives? Grounding says the string occurs; evidence
says it occurs in a sentence that makes it this field's value.

- a person: a verb of taking part attributed to the name in its sentence (张三出席 / 由张三主持 /
  出席会议的有…张三), and the name not a credit (记者 张三) nor a cited leader (张三总书记…讲话精神);
- a title: written before the name in the same sentence (县委副书记、县长高志强);
- a role: 主持 / 讲话… in the name's own clause chain;
- a slogan: in quotation marks and not excluded by the recognisers' rules (apps, holidays, places);
- an upstream meeting: after a relay cue in its clause (传达学习…会议精神);
- a credit: after its credit word (记者 / 摄影 / 编辑);
- a scalar: a cue of its own (…讯 for an outlet, 在…召开 for a venue, …召开 for an organizer).
"""
from __future__ import annotations

import re

from ..read.document import Document
from ..recognise import region
from ..recognise.lexicon import CHAIR_RE, CREDIT_WORDS, RELAY, SPEAKER_RE  # the recognisers' word lists, defined once
from ..recognise.mentions import slogans as quoted_slogans


from ..text import normalise_value

_SENTENCE_END = re.compile(r"[。!?！？\n]")
_CLAUSE_END = re.compile(r"[,，;；。!?！？\n()（）]")
ATTEND_RE = re.compile(r"出席|参加|列席|参会|与会|主持|讲话|指出|强调|要求|发言|部署|作了?[^,。;]{0,8}(?:安排|报告|说明)|通报|汇报|宣读|传达")
# an attendance list names its people after the verb: 出席会议的领导还有张三、李四
_LIST_LEAD = re.compile(r"(?:出席|参加|列席)(?:会议|本次会议|活动)?的(?:领导|同志|人员)?(?:还)?有[::]?|与会(?:领导|人员)?(?:还)?有[::]?|由$")
_CITED_AFTER = re.compile(r"^\s*(?:总书记|同志的|同志关于|的|关于|重要)")
_CITED_CUE = re.compile(r"^(?:精神|指示|批示|重要)")
_CREDIT_TAIL = {f: re.compile("(?:" + "|".join(map(re.escape, words + (("文/", "撰稿", "作者", "实习生") if f == "reporters" else ())
                                                   + (("审核", "审稿", "核稿", "责编") if f == "editors" else ())))
                              + r")[\s::/|]*(?:[\u4e00-\u9fff·]{2,8}[\s、,,]+){0,4}$")
                for f, words in CREDIT_WORDS.items()}
_ANY_CREDIT = re.compile("|".join(p.pattern for p in _CREDIT_TAIL.values()))
_MEETING_END = re.compile(r"(?:会议|全会|大会|例会|[进度署谈频题公代]会|[一二三四五六七八九十]大)$")
_RELAY_BEFORE = re.compile(RELAY + r"[^,。;]{0,40}$")
_VIDEO_CUE = re.compile(r"视频|电视电话|分会场")
_IN_PERSON_CUE = re.compile(r"现场|线下")


class Evidence:
    """Checks on one document's normalised text, values compared as the recognisers write them."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.norm.text

    def _hits(self, value: str) -> list[int]:
        v = normalise_value(value)
        if not v:
            return []
        return [m.start() for m in re.finditer(re.escape(v), self.text)]

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

    def is_credit(self, name: str) -> bool:
        return any(_ANY_CREDIT.search(self.text[max(0, i - 30): i]) for i in self._hits(name))

    def person(self, name: str) -> str | None:
        """The reason the text makes this name a participant, or None."""
        if self.is_credit(name):
            return None
        for i in self._hits(name):
            end = i + len(normalise_value(name))
            after = self._sentence_after(end)
            if _CITED_AFTER.match(after):
                continue
            if _LIST_LEAD.search(self._clause_before(i)) or re.search(r"由$", self.text[max(0, i - 1): i]):
                return "named in an attendance list"
            # the first cue after the name, before the sentence ends or a parenthesis interrupts it
            run = re.split(r"[()（）]", after)[0]
            cue = ATTEND_RE.search(run)
            if cue and not _CITED_CUE.match(run[cue.end():]):
                return f"{cue.group()} attributed in its sentence"
        return None

    def title(self, name: str, title: str) -> bool:
        t = normalise_value(title)
        return bool(t) and any(t in self._sentence_before(i, 80) for i in self._hits(name))

    def role(self, name: str, role: str, others: list[str]) -> bool:
        rx = CHAIR_RE if role == "chair" else SPEAKER_RE
        for i in self._hits(name):
            if role == "chair" and self.text[max(0, i - 1): i] == "由" and rx.search(self._sentence_after(i)):
                return True
            after = self._sentence_after(i + len(normalise_value(name)))
            nxt = [after.find(o) for o in others if o != name and o in after]
            if rx.search(after[: min(nxt)] if nxt else after):
                return True
        return False

    def slogan(self, value: str) -> bool:
        v = normalise_value(value)
        for m in re.finditer(r"[“「‘『]\s*" + re.escape(v) + r"\s*[”」’』]", self.text):
            # the recognisers' exclusions (apps, holidays, places, brands) judge the quote in its context
            window = self.text[m.start(): m.end() + 12]
            if v in (f.value for f in quoted_slogans(window)):
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

    def scalar(self, field: str, value: str, rules_upstream: list[str] = ()) -> bool:
        v = normalise_value(value)
        hits = self._hits(v)
        after = [self.text[i + len(v): i + len(v) + 6] for i in hits]
        before = [self.text[max(0, i - 6): i] for i in hits]
        if field == "headline":
            first = next((ln.strip() for ln in self.text.split("\n") if ln.strip()), "")
            return v in (normalise_value(first), normalise_value(self.doc.page_title or ""))
        if field == "source.outlet":
            return any(a.startswith(("讯", "消息")) for a in after) or any(re.search(r"来源[::]\s*$", b) for b in before)
        if field == "meeting.name":
            return bool(_MEETING_END.search(v)) and v not in rules_upstream and not any(
                _RELAY_BEFORE.search(self._clause_before(i)) for i in hits)
        if field == "meeting.venue":
            return any(b.endswith("在") for b in before) and any(re.match(r"(?:召开|举行|举办)", a) for a in after)
        if field == "meeting.organizer":
            return any(re.match(r"(?:主持)?(?:召开|举行|组织召开)", a) for a in after)
        if field == "meeting.region":
            return bool(region.lookup(value))
        if field == "meeting.format":  # a relayed 视频会议 says nothing of this meeting's format
            text = self.text
            for u in rules_upstream:
                text = text.replace(normalise_value(u), "□")
            return bool((_VIDEO_CUE if value == "video" else _IN_PERSON_CUE).search(text))
        if field == "meeting.time_of_day":  # 4月8日上午: written right after a date
            return bool(re.search(r"日\s*" + re.escape(v), self.text))
        # dates: their form is checked where they are grounded
        return True
