"""Offline recognisers: deterministic candidates for every field, found in the normalised text.

`recognise(text)` returns an ExtractedReport (the offline backend's answer) together with the
normalised offsets each value was found at (the hybrid backend's hints).
"""
from __future__ import annotations

from ..read import furniture
from ..schema import ExtractedReport, Meeting, Person, Region, found_key
from . import meeting as mt
from . import people as pp
from . import region as rg
from .mentions import event_names, slogans, upstream_meetings
from .source import source


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def recognise(text: str, page_date: str | None = None, page_title: str | None = None) -> ExtractedReport:
    head, body_start = _head(text, page_title)
    body = mt.first_brief(text[body_start:])
    src = source(text, page_date)

    name = mt.meeting_name(body, body_start, head)
    reported = mt.first_report(body)
    people = pp.find_people(reported)
    if head:
        pp.assign_roles(head.value, people)  # 某某主持…闭幕会并讲话: the headline's roles are the body's people's
    # a leader cited through a speech at another named meeting is not at this one (SPEC v1.2)
    cited = pp.cited_at(reported, people, name.value if name else None)
    # a national body's meeting, or one of national scope (a national leader takes part), has no
    # higher body whose leaders could only be cited: its 国务院/全国 people are there; nor has a meeting
    # between countries
    name_text = name.value if name else None
    national = rg.national_body(name_text, mt.organizer(name_text, body, head.value if head else None)) \
        or rg.national_scope(name_text, [t for p in people for t in p.titles]) or rg.between_countries(name_text)
    higher = set() if national else pp.cited_higher(reported, people, name_text)
    people = [p for p in people if p.name not in cited and p.name not in higher]
    report = ExtractedReport(headline=head.value if head else None, source=src)
    # Quoted terms are the article's, with or without a meeting of its own; relayed meetings are
    # relayed at one (national README: no meeting, no upstream meetings either).
    upstream = upstream_meetings(body, body_start, name.value if name else None)
    for meeting in dict.fromkeys(cited.values()):  # the meeting a cited leader spoke at is relayed
        if meeting not in (f.value for f in upstream) and (at := body.find(meeting)) >= 0:
            upstream.append(mt.Found(meeting, body_start + at))
    # the headline's quoted terms count, a term's first appearance may be there (national README);
    # not the lines between it and the body (a subscribe line's “某某发布”), nor later briefs
    events = event_names(body) | (event_names(head.value) if head else set())
    in_head = [mt.Found(f.value, head.start + f.start) for f in slogans(head.value, events)] \
        if head and head.start < body_start and text.startswith(head.value, head.start) else []
    in_body = [mt.Found(f.value, body_start + f.start) for f in slogans(body, events)]
    first: dict[str, mt.Found] = {}
    for f in in_head + in_body:  # in order of first appearance, de-duplicated
        first.setdefault(f.value, f)
    quoted = list(first.values())
    report.slogans = [f.value for f in quoted]
    # where each value was found travels with the report to grounding (schema.found_key)
    report._found_at.update({found_key("slogans", f.value): f.start for f in quoted})
    if head:
        report._found_at[found_key("headline")] = head.start
    if name is None and not (people and mt.reports_a_meeting(body)) or mt.talks_only(body, name.value if name else None) \
            or mt.commentary(head.value if head else None):
        return report  # no meeting reported: nothing about one is invented, nothing relayed at one
    report.upstream_meetings = [f.value for f in upstream]
    report._found_at.update({found_key("upstream_meetings", f.value): f.start for f in upstream})
    near = name.start - body_start if name and name.start >= body_start else None
    date, tod, _ = mt.meeting_date(body, body_start, src.published_date, near)
    vn = mt.venue(body, body_start)
    name_text = name.value if name else None
    # People's names are no place mentions (刘南昌 is not 南昌市).
    place_text = text
    for n in [p.name for p in people] + src.reporters + src.photographers + src.editors:
        place_text = place_text.replace(n, "□" * len(n))
    org = mt.organizer(name_text, body, head.value if head else None)
    if rg.national_body(name_text, org):
        div = rg.CHINA
    else:
        div = rg.meeting_region(place_text, name_text, head.value if head else None, _mask(body, upstream), src.outlet, org)
        # a meeting abroad (当地时间9月7日…在某国某地举行) is not the country's for a national leader at it
        if div is None and rg.national_scope(name_text, [t for p in people for t in p.titles], vn.value if vn else None) \
                and not mt.abroad(body):
            div = rg.CHINA
    report.meeting = Meeting(
        name=name_text, date=date, time_of_day=tod, format=mt.meeting_format(_mask(text, upstream)),
        venue=vn.value if vn else None,
        region=Region(name=div.name, admin_code=div.code) if div else None,
        organizer=org,
    )
    reporters = set(src.reporters) | set(src.photographers) | set(src.editors)
    # a credited name is a participant too where the body gives it a title or a role (街道党工委副书记、
    # 办事处主任某某 … 审核领导:某某)
    report.people = [Person(name=p.name, titles=p.titles, roles=sorted(p.roles)) for p in people
                     if p.name not in reporters or p.titles or p.roles]
    report._found_at.update({found_key("people", p.name): body_start + p.start for p in people})
    if vn:
        report._found_at[found_key("venue")] = vn.start
    return report


def _head(text: str, page_title: str | None) -> tuple[mt.Found | None, int]:
    """(the headline, where the body starts). The body is everything after the title line, its
    repeats (a page gives <title> and <h1>, a dump a duplicated line) and the meta lines right under
    it; credits further down stay in, the recognisers know to ignore them. A plain-text page dump
    arrives without its furniture (read.py's furniture stage), a wrapped title joined into one line."""
    head = mt.headline(_lines(text))
    if page_title and not head and furniture.kind(page_title.strip()) not in mt.NOT_TITLES:
        head = mt.Found(page_title, text.find(page_title)) if page_title in text else None
    if not (head and head.start == text.find(head.value) and head.start < 200):
        return head, 0
    body_start = _line_end(text, head.start)
    while True:
        nxt = text[body_start:].lstrip()
        at = len(text) - len(nxt)
        line = nxt.split("\n", 1)[0].strip()
        a, b = furniture.title_bounds(line)
        # the title's repeats and the meta lines under it (某某日报 2021年06月02日 第A03版: its date is
        # the paper's, not the meeting's) are not the body
        if not nxt or (line[a:b] != head.value and furniture.kind(line) not in ("meta", "credit")):
            return head, body_start
        body_start = _line_end(text, at)


def _line_end(text: str, at: int) -> int:
    nl = text.find("\n", at)
    return len(text) if nl < 0 else nl


def _mask(text: str, found: list) -> str:
    """The text with these mentions blanked, wherever they occur (the headline too): a relayed
    电视电话会议 says nothing of this meeting's format."""
    for f in found:
        text = text.replace(f.value, "□" * len(f.value))
    return text
