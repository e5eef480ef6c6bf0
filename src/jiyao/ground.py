"""Grounding: every string value of a record is located in the text; its offsets into the ORIGINAL
file go to `evidence`; a value that cannot be found is dropped and counted. Nothing invented
reaches the output.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .read import Document
from .recognise import region
from .recognise.meeting import COMPOSED_NAME
from .schema import MEETING_DATE, Diagnostics, ExtractedReport, MeetingReport
from .text import normalise, normalise_value

_REGION_SUFFIX = re.compile(r"(?:自治区|自治州|自治县|特别行政区|省|市|区|县|州|旗|盟)$")


class Locator:
    """Finds values in a document's normalised text, ignoring whitespace."""

    def __init__(self, doc: Document):
        self.doc = doc
        text = doc.norm.text
        self.idx = [i for i, c in enumerate(text) if not c.isspace()]
        self.compact = "".join(text[i] for i in self.idx)

    def find(self, value: str, near: int = 0) -> tuple[int, int] | None:
        """Normalised [start, end) of value (the occurrence at or after `near`, else the first)."""
        # the value as given first; then without surrounding quotes (SPEC strips them)
        for key in dict.fromkeys("".join(f(value).split()) for f in (lambda v: normalise(v).text, normalise_value)):
            if not key:
                continue
            at = self.compact.find(key, bisect_left(self.idx, near)) if near else -1
            if at < 0:
                at = self.compact.find(key)
            if at >= 0:
                return self.idx[at], self.idx[at + len(key) - 1] + 1
        return None

    def original_span(self, value: str, near: int = 0) -> list[int] | None:
        hit = self.find(value, near)
        return list(self.doc.span(*hit)) if hit else None


@dataclass
class GroundResult:
    report: ExtractedReport
    evidence: dict[str, list[int]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


def _date_keys(iso: str) -> list[str]:
    """How the text may write this date; nothing for a value that is not a SPEC date."""
    if not MEETING_DATE.fullmatch(iso):
        return []
    parts = iso.lstrip("-").split("-")
    m, d = int(parts[-2]), int(parts[-1])
    keys = [f"{m}月{d}日", f"{m:02d}月{d:02d}日"]
    if len(parts) == 3:
        keys[:0] = [f"{parts[0]}年{m}月{d}日", f"{parts[0]}-{m:02d}-{d:02d}"]
    return keys


def _composed_span(loc: Locator, name: str) -> list[int] | None:
    """A name the text gives as body + verb + 会议 (市委常委会召开会议 → 市委常委会会议): the span of the phrase."""
    m = COMPOSED_NAME.match(name)
    if not m:
        return None
    hit = re.search(re.escape(m.group(1)) + r"\s*(?:召开|举行)了?\s*" + re.escape(m.group(2)), loc.doc.norm.text)
    return list(loc.doc.span(hit.start(), hit.end())) if hit else None


def ground(report: ExtractedReport, doc: Document) -> GroundResult:
    """Locate every value; drop (and count) the ones the text does not contain."""
    loc = Locator(doc)
    r = report.model_copy(deep=True)
    res = GroundResult(r)

    def keep(pointer: str, value: str | None, near: int = 0) -> bool:
        if value is None:
            return True
        span = loc.original_span(value, near)
        if span is None:
            res.dropped.append(pointer)
            return False
        res.evidence[pointer] = span
        return True

    def keep_list(pointer: str, values: list[str]) -> list[str]:
        kept = []
        for v in values:
            if keep(f"{pointer}/{len(kept)}", v):
                kept.append(v)
            else:
                res.dropped[-1] = f"{pointer}/{v}"
        return kept

    if not keep("/headline", r.headline):
        r.headline = None
    s = r.source
    if not keep("/source/outlet", s.outlet):
        # 自贡网 from 自贡网讯 is fine; an outlet the text never names is not
        s.outlet = None
    s.reporters = keep_list("/source/reporters", s.reporters)
    s.photographers = keep_list("/source/photographers", s.photographers)
    s.editors = keep_list("/source/editors", s.editors)
    if s.published_date:
        span = next((sp for k in _date_keys(s.published_date) if (sp := loc.original_span(k))), None)
        if span:
            res.evidence["/source/published_date"] = span
        elif doc.page_date != s.published_date:
            res.dropped.append("/source/published_date"); s.published_date = None
    m = r.meeting
    if m is not None:
        span = (loc.original_span(m.name) or _composed_span(loc, m.name)) if m.name else None
        if span:
            res.evidence["/meeting/name"] = span
        elif m.name is None:
            pass  # an unnamed meeting: its other fields are grounded one by one
        else:
            res.dropped.append("/meeting/name")
            r.meeting = m = None
    if m is not None:
        if m.date:
            span = next((sp for k in _date_keys(m.date) if (sp := loc.original_span(k))), None)
            if span:
                res.evidence["/meeting/date"] = span
            else:
                res.dropped.append("/meeting/date"); m.date = None; m.time_of_day = None
        if not keep("/meeting/venue", m.venue):
            m.venue = None
        if not keep("/meeting/organizer", m.organizer):
            m.organizer = None
        if m.region is not None:
            # a region is named in full or by a gazetteer alias (黔东南州 for 黔东南苗族侗族自治州)
            short = _REGION_SUFFIX.sub("", m.region.name) or m.region.name
            forms = [m.region.name, *(a for d in region.lookup(m.region.name) for a in d.aliases)]
            forms += [short] if len(short) >= 2 else []
            span = next((sp for f in dict.fromkeys(forms) if (sp := loc.original_span(f))), None)
            if span:
                res.evidence["/meeting/region/name"] = span
            else:
                res.dropped.append("/meeting/region/name"); m.region = None
    people = []
    for p in r.people:
        i = len(people)
        hit = loc.find(p.name)
        if hit is None:
            res.dropped.append(f"/people/{p.name}")
            continue
        res.evidence[f"/people/{i}/name"] = list(doc.span(*hit))
        titles = []
        for t in p.titles:
            # the title nearest before the name is the one that qualifies it
            span = loc.original_span(t, max(0, hit[0] - 120))
            if span is None:
                res.dropped.append(f"/people/{i}/titles/{t}")
                continue
            res.evidence[f"/people/{i}/titles/{len(titles)}"] = span
            titles.append(t)
        p.titles = titles
        people.append(p)
    r.people = people
    r.upstream_meetings = keep_list("/upstream_meetings", r.upstream_meetings)
    r.slogans = keep_list("/slogans", r.slogans)
    directives = []
    for d in r.directives:
        if keep(f"/directives/{len(directives)}/text", d.text):
            directives.append(d)
        else:
            res.dropped[-1] = "/directives/" + d.text[:20]
    r.directives = directives
    return res


def to_record(doc: Document, extracted: ExtractedReport, usage=None, warnings: list[str] | None = None) -> MeetingReport:
    g = ground(extracted, doc)
    data = g.report.model_dump()
    return MeetingReport(doc_id=doc.doc_id, **data, evidence=g.evidence, usage=usage,
                         diagnostics=Diagnostics(dropped_ungrounded=g.dropped, warnings=[*doc.warnings, *(warnings or [])]))
