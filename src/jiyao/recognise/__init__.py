"""Offline recognisers: deterministic candidates for every field, found in the normalised text.

`recognise(text)` returns an ExtractedReport (the offline backend's answer) together with the
normalised offsets each value was found at (the hybrid backend's hints).
"""
from __future__ import annotations

from ..schema import ExtractedReport, Meeting, Person, Region
from . import meeting as mt
from . import people as pp
from . import region as rg
from .mentions import slogans, upstream_meetings
from .source import source


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def recognise(text: str, page_date: str | None = None, page_title: str | None = None) -> ExtractedReport:
    lines = _lines(text)
    head = mt.headline(lines)
    if page_title and not head:
        head = mt.Found(page_title, text.find(page_title)) if page_title in text else None
    # The body is everything after the headline line(s); credits and page furniture stay in,
    # the recognisers know to ignore them.
    body_start = 0
    if head and head.start == text.find(head.value) and head.start < 200:
        body_start = head.start + len(head.value)
        # pages repeat the title (<title> and <h1>, or a scraped duplicate line)
        while text[body_start:].lstrip().startswith(head.value):
            body_start = text.index(head.value, body_start) + len(head.value)
    body = text[body_start:]
    src = source(text, page_date)

    name = mt.meeting_name(body, body_start, head)
    people = pp.find_people(mt.first_report(body))
    report = ExtractedReport(headline=head.value if head else None, source=src)
    # Quoted terms and relayed meetings are the article's, with or without a meeting of its own.
    upstream = upstream_meetings(body, body_start, name.value if name else None)
    report.upstream_meetings = [f.value for f in upstream]
    report.slogans = [f.value for f in slogans(body)]
    if name is None and not (people and mt.reports_a_meeting(body)):
        return report  # no meeting reported: nothing about one is invented
    date, tod, _ = mt.meeting_date(body, body_start, src.published_date)
    vn = mt.venue(body, body_start)
    name_text = name.value if name else None
    # People's names are no place mentions (刘南昌 is not 南昌市).
    place_text = text
    for n in [p.name for p in people] + src.reporters + src.photographers + src.editors:
        place_text = place_text.replace(n, "□" * len(n))
    div = rg.meeting_region(place_text, name_text, head.value if head else None, _mask(body, upstream), src.outlet)
    report.meeting = Meeting(
        name=name_text, date=date, time_of_day=tod, format=mt.meeting_format(_mask(text, upstream)),
        venue=vn.value if vn else None,
        region=Region(name=div.name, admin_code=div.code) if div else None,
        organizer=mt.organizer(name_text, body, head.value if head else None),
    )
    reporters = set(src.reporters) | set(src.photographers) | set(src.editors)
    # a credited name is a participant too where the body gives it a title or a role (街道党工委副书记、
    # 办事处主任某某 … 审核领导:某某)
    report.people = [Person(name=p.name, titles=p.titles, roles=sorted(p.roles)) for p in people
                     if p.name not in reporters or p.titles or p.roles]
    return report


def _mask(text: str, found: list) -> str:
    """The text with these mentions blanked, wherever they occur (the headline too): a relayed
    电视电话会议 says nothing of this meeting's format."""
    for f in found:
        text = text.replace(f.value, "□" * len(f.value))
    return text
