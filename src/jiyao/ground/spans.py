"""Grounding: every string value of a record is located in the text; its offsets into the ORIGINAL
file go to `evidence`; a value that cannot be found is dropped and counted. Nothing invented
reaches the output. Values are matched modulo the record format's one value normalisation
(text.value_key), by the same Locator the answer validator asks before it re-asks; regions,
admin codes and directives are also checked against closed sets (answer_check).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .checks import checked_admin_code, full_region_name, person_names, region_mention
from .dates import date_span, date_spans
from ..read.document import Document
from ..recognise.meeting import COMPOSED_NAME
from ..recognise.mentions import LEVEL_LISTS, SHARED_CONGRESS_LISTS, expand_levels, expand_shared_congress
from ..schema import DIRECTIVE_CATEGORIES, Diagnostics, ExtractedReport, Meeting, MeetingReport, evidence_entry, evidence_spans, found_key
from ..text import QUOTE_PAIRS, keyed, normalise_value, value_key

MAX_DROPPED_VALUE = 40  # characters of a dropped value kept in its pointer (an invented value can be 100k)
# evidence of these is not the value as written: dates are derived, a region is written in full
_NOT_AS_WRITTEN = ("/meeting/date", "/source/published_date", "/meeting/region/name")
_NAMES = re.compile(r"^/(?:people/\d+/name|source/(?:reporters|photographers|editors)/\d+|directives/\d+/speaker)$")


# A composed meeting name (Locator.composed): what may stand between the body and the rest of the
# name — the date, time, place or subject of the meeting, then the verb that convenes it — within
# one sentence; and how the rest of the name must end to name a meeting.
_COMPOSED_GAP = 40
_CONVENE_GAP = re.compile(r"[^。;!?]{0,%d}?(?:召开|举行|举办|进行)了?" % (_COMPOSED_GAP - 3))
_MEETING_TAIL = re.compile(r"(?:会|会议|集体学习|座谈|论坛)$")


class Locator:
    """Finds values in a document modulo the record format's value normalisation (text.value_key:
    quotes, width, spaces, doubled punctuation, script, readings). The document's key is built
    once; each lookup is a str.find on it. Callable: `loc(value)` says whether the text has it
    (what the answer validator asks before it re-asks)."""

    def __init__(self, doc: Document):
        self.doc = doc
        k = keyed(doc.norm.text)
        self.key, self.idx = k.key, k.index

    def find(self, value: str, near: int = 0) -> tuple[int, int] | None:
        """Normalised [start, end) of value (the occurrence at or after `near`, else the first).
        The span is widened over a quotation mark whose partner it holds: value `五一期间…会议`
        in `“五一”期间…会议` covers the text from “."""
        k = value_key(value)
        if not k:
            return None
        at = self.key.find(k, bisect_left(self.idx, near)) if near else -1
        if at < 0:
            at = self.key.find(k)
        if at < 0:
            return None
        return _balance_quotes(self.doc.norm.text, self.idx[at], self.idx[at + len(k) - 1] + 1)

    def occurrences(self, value: str):
        """Every normalised [start, end) of value, in text order."""
        k = value_key(value)
        at = self.key.find(k) if k else -1
        while at >= 0:
            yield _balance_quotes(self.doc.norm.text, self.idx[at], self.idx[at + len(k) - 1] + 1)
            at = self.key.find(k, at + 1)

    def composed(self, value: str) -> list[tuple[int, int]] | None:
        """Normalised spans of a meeting name SPEC composes from a body and the meeting it convenes
        (市委常委会召开会议 → 市委常委会会议; 县十五届人大常委会召开第36次会议 → 县十五届人大常委会
        第36次会议; 中共中央政治局4月28日召开会议 → 中共中央政治局会议): the body, then within the
        same sentence a convening verb, then the rest of the name right after it. The longest body
        the text has wins; None when no such pair is written."""
        k = value_key(value)
        if not _MEETING_TAIL.search(k):
            return None
        for i in range(len(k) - 2, 1, -1):  # the body's length: at least 2 characters each side
            body, tail = k[:i], k[i:]
            at = self.key.find(body)
            while at >= 0:
                end = at + len(body)
                window = self.key[end: end + _COMPOSED_GAP + len(tail)]
                j = window.find(tail)
                while j >= 0:
                    if _CONVENE_GAP.fullmatch(window[:j]):
                        t0 = end + j
                        return [(self.idx[at], self.idx[end - 1] + 1), (self.idx[t0], self.idx[t0 + len(tail) - 1] + 1)]
                    j = window.find(tail, j + 1)
                at = self.key.find(body, at + 1)
        return None

    def meeting_name_spans(self, name: str) -> list[list[int]] | None:
        """Original spans of a meeting name: one where it is written as such, else the parts it is
        composed from (see `composed`)."""
        span = self.original_span(name)
        if span is not None:
            return [span]
        parts = self.composed(name)
        if parts:
            return [list(self.doc.span(*p)) for p in parts]
        span = self.phrase_span(name)
        return [span] if span else None

    def phrase_span(self, name: str) -> list[int] | None:
        """Last resort for a composed meeting name whose parts lie further apart than `composed`
        allows (十三届全国人大常委会4日上午在北京人民大会堂举行第一百三十六次委员长会议): the span of
        the whole phrase, body to name."""
        text = self.doc.norm.text
        m = COMPOSED_NAME.match(name)
        if m:
            hit = re.search(re.escape(m.group(1)) + r"[^,。;!?\n]{0,80}?(?:召开|举行|进行)了?\s*" + re.escape(m.group(2)), text)
            if hit:
                return list(self.doc.span(hit.start(), hit.end()))
        for k in (k for k in range(2, len(name) - 2) if name[k] == "第"):
            hit = re.search(re.escape(name[:k]) + r"[^,。;!?\n]{0,40}?(?:召开|举行)了?\s*" + re.escape(name[k:]), text)
            if hit:
                return list(self.doc.span(hit.start(), hit.end()))
        return None

    def level_list_span(self, value: str) -> list[int] | None:
        """Original span of a relayed meeting named through a level list (省经济工作会议 in
        省、市经济工作会议): the span of the whole list."""
        text = self.doc.norm.text
        for m in LEVEL_LISTS.finditer(text):
            for end in range(m.end() + 1, min(len(text), m.end() + 60) + 1):
                if value in expand_levels(text[m.start(): end]):
                    return list(self.doc.span(m.start(), end))
        return None

    def shared_congress_span(self, value: str) -> list[int] | None:
        """Original span of a congress named through a shared list (中共二十大 in 中共十九大和二十大):
        the span of the whole list."""
        for m in SHARED_CONGRESS_LISTS.finditer(self.doc.norm.text):
            if value in expand_shared_congress(m.group()):
                return list(self.doc.span(m.start(), m.end()))
        return None

    def __call__(self, value: str) -> bool:
        """Whether the article has this value (a meeting name also in its composed form)."""
        return self.meeting_name_spans(value) is not None

    def original_span(self, value: str, near: int = 0) -> list[int] | None:
        hit = self.find(value, near)
        return list(self.doc.span(*hit)) if hit else None

    def explain(self, value: str) -> str:
        """Why a value is not found, for the re-ask: the longest start of it the article has."""
        k = value_key(value)
        lo, hi = 0, len(k)  # the longest prefix found has length in [lo, hi]
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if k[:mid] in self.key else (lo, mid - 1)
        if lo >= 2:
            return f"the article has {k[:lo]!r} but not what follows it"
        return "no part of it is in the article"


def _balance_quotes(text: str, s: int, e: int) -> tuple[int, int]:
    """Widen [s, e) over a quotation mark next to it whose partner lies inside (`“五一”期间`)."""
    inner = text[s:e]
    for o, c in QUOTE_PAIRS:
        if o == c:  # "…" and '…': an odd count inside means one mark of the pair is outside
            if inner.count(o) % 2:
                if s > 0 and text[s - 1] == o:
                    s -= 1
                elif e < len(text) and text[e] == o:
                    e += 1
            continue
        if inner.count(c) > inner.count(o) and s > 0 and text[s - 1] == o:
            s -= 1
        if inner.count(o) > inner.count(c) and e < len(text) and text[e] == c:
            e += 1
    return s, e


@dataclass
class GroundResult:
    report: ExtractedReport
    evidence: dict[str, list] = field(default_factory=dict)  # pointer → [s, e] or [[s1, e1], …] (schema.evidence_entry)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # values corrected or dropped against a closed set


def ground(report: ExtractedReport, doc: Document, loc: Locator | None = None) -> GroundResult:
    """Locate every value; drop (and count) the ones the text does not contain. `loc`: the
    document's Locator when the caller has built one already (it is the same for every answer)."""
    loc = loc or Locator(doc)
    r = report.model_copy(deep=True)
    res = GroundResult(r)
    at = report._found_at  # where the recognisers found their values (a model's answer: none)
    keep, keep_list = _keepers(loc, res, at)

    if not keep("/headline", r.headline, at.get(found_key("headline"), 0)):
        r.headline = None
    s = r.source
    if not keep("/source/outlet", s.outlet):
        # 自贡网 from 自贡网讯 is fine; an outlet the text never names is not
        s.outlet = None
    s.reporters = keep_list("/source/reporters", s.reporters)
    s.photographers = keep_list("/source/photographers", s.photographers)
    s.editors = keep_list("/source/editors", s.editors)
    if s.published_date:
        span = date_span(doc.norm.text, s.published_date)
        if span:
            res.evidence["/source/published_date"] = list(doc.span(*span))
        elif doc.page_date != s.published_date:
            res.dropped.append("/source/published_date"); s.published_date = None
    m = r.meeting
    if m is not None:
        # a name the text lacks drops the name only: the meeting, its date, venue and people stand
        # or fall one by one (an unnamed meeting is a meeting too)
        spans = loc.meeting_name_spans(m.name) if m.name else None
        if spans:
            res.evidence["/meeting/name"] = evidence_entry(spans)
        elif m.name is not None:
            res.dropped.append("/meeting/name"); m.name = None
        if m.date:
            spans = date_spans(doc.norm.text, m.date, s.published_date or doc.page_date)
            if spans:
                res.evidence["/meeting/date"] = evidence_entry([doc.span(*x) for x in spans])
            else:
                res.dropped.append("/meeting/date"); m.date = None; m.time_of_day = None
        if not keep("/meeting/venue", m.venue, at.get(found_key("venue"), 0)):
            m.venue = None
        if not keep("/meeting/organizer", m.organizer):
            m.organizer = None
        if m.region is not None:
            _ground_region(loc, m, person_names(report), res)
    _ground_people(loc, r, res, at)
    r.upstream_meetings = keep_list("/upstream_meetings", r.upstream_meetings)
    r.slogans = keep_list("/slogans", r.slogans)
    _ground_directives(loc, r, res)
    _as_written(r, doc, res)
    return res


def _dropped(value: str) -> str:
    """A dropped value as its pointer records it: bounded, whatever the model sent."""
    return value if len(value) <= MAX_DROPPED_VALUE else value[:MAX_DROPPED_VALUE] + "…"


def _as_written(r: ExtractedReport, doc: Document, res: GroundResult) -> None:
    """Each located value as the article writes it, not as the answer spelled it (`廖 蓝 蕾`,
    `“李秋玥”`, traditional, full width): the article's characters at its evidence, normalised
    (names without spaces), whenever they have the value's key; else the value stays."""
    for pointer, entry in res.evidence.items():
        spans = evidence_spans(entry)
        if pointer in _NOT_AS_WRITTEN or len(spans) != 1:
            continue  # (a composed value is written in parts: it stays as given)
        (s, e), = spans
        *path, leaf = pointer.strip("/").split("/")
        holder = r
        for part in path:
            holder = holder[int(part)] if isinstance(holder, list) else getattr(holder, part)
        old = holder[int(leaf)] if isinstance(holder, list) else getattr(holder, leaf)
        new = normalise_value(doc.original[s:e])
        if _NAMES.match(pointer):
            new = "".join(new.split())
        if not isinstance(old, str) or new == old or value_key(new) != value_key(old) or "\n" in new:
            continue  # (a value across a line break, a wrapped headline, stays joined as given)
        if isinstance(holder, list):
            holder[int(leaf)] = new
        else:
            setattr(holder, leaf, new)


def _keepers(loc: Locator, res: GroundResult, at: dict[str, int]):
    """keep(pointer, value): the value's evidence, or its pointer in `dropped`; keep_list: the same
    for each string of a list, a dropped one recorded by value (/slogans/凭空捏造的口号), each at the
    occurrence its recogniser found (`at`) when there is one."""

    def keep(pointer: str, value: str | None, near: int = 0) -> bool:
        if value is None:
            return True
        span = loc.original_span(value, near)
        if span is None and pointer.startswith("/upstream_meetings/"):
            span = loc.level_list_span(value) or loc.shared_congress_span(value)
        if span is None:
            res.dropped.append(pointer)
            return False
        res.evidence[pointer] = span
        return True

    def keep_list(pointer: str, values: list[str]) -> list[str]:
        kept = []
        for v in values:
            if keep(f"{pointer}/{len(kept)}", v, at.get(found_key(pointer.rsplit("/", 1)[-1], v), 0)):
                kept.append(v)
            else:
                res.dropped[-1] = f"{pointer}/{_dropped(v)}"
        return kept

    return keep, keep_list


def _ground_region(loc: Locator, m: Meeting, names: list[str], res: GroundResult) -> None:
    """A region is a gazetteer division named in full or by an alias (黔东南州), or a 镇/乡/街道 named
    in full, in a mention that is not part of a person's name (`范付省` is no region, and `范付`
    inside 范付军 names none). A wrong admin_code is corrected or dropped, with a note."""
    span = region_mention(loc, m.region.name, names)
    if span is None:
        res.dropped.append("/meeting/region/name"); m.region = None
        return
    res.evidence["/meeting/region/name"] = list(loc.doc.span(*span))
    full = full_region_name(m.region.name)
    if full != m.region.name:
        res.notes.append(f"region {m.region.name} written in full: {full}")
        m.region.name = full
    m.region.admin_code, note = checked_admin_code(full, m.region.admin_code, loc.doc.norm.text)
    if note:
        res.notes.append(note)


def _ground_people(loc: Locator, r: ExtractedReport, res: GroundResult, at: dict[str, int]) -> None:
    people = []
    for p in r.people:
        i = len(people)
        hit = loc.find(p.name, at.get(found_key("people", p.name), 0))
        if hit is None:
            res.dropped.append(f"/people/{_dropped(p.name)}")
            continue
        res.evidence[f"/people/{i}/name"] = list(loc.doc.span(*hit))
        titles = []
        for t in p.titles:
            # the title nearest before the name is the one that qualifies it
            span = loc.original_span(t, max(0, hit[0] - 120))
            if span is None:
                res.dropped.append(f"/people/{i}/titles/{_dropped(t)}")
                continue
            res.evidence[f"/people/{i}/titles/{len(titles)}"] = span
            titles.append(t)
        p.titles = titles
        people.append(p)
    r.people = people


def _ground_directives(loc: Locator, r: ExtractedReport, res: GroundResult) -> None:
    """A directive's text must be in the article; its speaker is one of the grounded people or in
    the article, else null; its category comes from the closed list, else null."""
    directives = []
    for d in r.directives:
        i = len(directives)
        span = loc.original_span(d.text)
        if span is None:
            res.dropped.append("/directives/" + d.text[:20])
            continue
        res.evidence[f"/directives/{i}/text"] = span
        # the grounded people are all in the text, so "one of the people or in the text" is one test
        who = loc.original_span(d.speaker) if d.speaker else None
        if who:
            res.evidence[f"/directives/{i}/speaker"] = who
        elif d.speaker:
            res.dropped.append(f"/directives/{i}/speaker/{_dropped(d.speaker)}"); d.speaker = None
        if d.category is not None and d.category not in DIRECTIVE_CATEGORIES:
            res.notes.append(f"directive category {d.category!r} is not one of {', '.join(DIRECTIVE_CATEGORIES)}: dropped")
            d.category = None
        directives.append(d)
    r.directives = directives


def to_record(doc: Document, extracted: ExtractedReport, usage=None, warnings: list[str] | None = None,
              loc: Locator | None = None) -> MeetingReport:
    g = ground(extracted, doc, loc)
    data = g.report.model_dump()
    return MeetingReport(doc_id=doc.doc_id, **data, evidence=g.evidence, usage=usage,
                         diagnostics=Diagnostics(dropped_ungrounded=g.dropped,
                                                 warnings=[*doc.warnings, *(warnings or []), *g.notes]))
