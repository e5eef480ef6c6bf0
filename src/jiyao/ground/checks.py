"""What a model's answer must satisfy beyond the schema, defined once for the answer validator
(a failure is re-asked, with the reason) and for grounding (a failure is dropped and counted):

- every value copied from the article is in it, modulo the record format's value normalisation
  (text.value_key; the matcher is ground.Locator, so a correct value never costs a re-ask);
- `meeting.region.name` is a division of the gazetteer, or a 镇/乡/街道 the article names, or 中国
  where the article names the country or one of its national bodies (SPEC v1.2)
  (an invented `范付省` is neither, even when `范付` occurs inside a person's name);
- a directive's text is in the article, its speaker one of the answer's people or in the article.
"""
from __future__ import annotations

from typing import Callable

from ..recognise import region
from ..schema import ExtractedReport
from ..text import normalise_value, value_key

# Below the gazetteer's counties: a region of this kind is grounded by its full name only (SPEC v1.1).
TOWN_SUFFIXES = ("街道", "镇", "乡")
_MAX_LISTED = 20  # missing values named in one re-ask


def copied_values(r: ExtractedReport) -> list[tuple[str, str]]:
    """(field path, value) of every string the answer must copy from the article."""
    out = [("headline", r.headline), ("source.outlet", r.source.outlet)]
    for f in ("reporters", "photographers", "editors"):
        out += [(f"source.{f}[{i}]", v) for i, v in enumerate(getattr(r.source, f))]
    if r.meeting:
        out += [("meeting.name", r.meeting.name), ("meeting.venue", r.meeting.venue),
                ("meeting.organizer", r.meeting.organizer)]
    for i, p in enumerate(r.people):
        out += [(f"people[{i}].name", p.name), *((f"people[{i}].titles[{j}]", t) for j, t in enumerate(p.titles))]
    out += [(f"upstream_meetings[{i}]", v) for i, v in enumerate(r.upstream_meetings)]
    out += [(f"slogans[{i}]", v) for i, v in enumerate(r.slogans)]
    names = {value_key(p.name) for p in r.people}
    for i, d in enumerate(r.directives):
        out.append((f"directives[{i}].text", d.text))
        if d.speaker and value_key(d.speaker) not in names:  # one of the people, or copied from the text
            out.append((f"directives[{i}].speaker", d.speaker))
    return [(path, v) for path, v in out if v]


def is_town(name: str) -> bool:
    """城关镇, 南湖街道: a town or street name with at least one character before its suffix."""
    return any(name.endswith(s) and len(name) > len(s) for s in TOWN_SUFFIXES)


def region_forms(name: str) -> list[str] | None:
    """How an article may name this region (full name first, then the gazetteer's short forms:
    黔东南州 for 黔东南苗族侗族自治州), or None when it is no region at all."""
    n = normalise_value(name)
    if n == region.CHINA.name:
        return list(region.COUNTRY_FORMS)  # a national body's meeting (SPEC v1.2)
    divs = region.lookup(n)
    if divs:
        return list(dict.fromkeys([n, *(d.name for d in divs), *(a for d in divs for a in d.aliases)]))
    return [n] if is_town(n) else None


def person_names(r: ExtractedReport) -> list[str]:
    """Every person's name the answer gives (people, credits, speakers)."""
    s = r.source
    return [n for n in (*(p.name for p in r.people), *s.reporters, *s.photographers, *s.editors,
                        *(d.speaker for d in r.directives)) if n]


def region_mention(loc, name: str, names: list[str]) -> tuple[int, int] | None:
    """The first mention of the region (any of its forms) that is not part of a person's name:
    `南川` inside 李南川 names no region. `loc` is a ground.Locator; None when there is none."""
    inside = [hit for n in names for hit in loc.occurrences(n)]
    for f in region_forms(name) or ():
        hit = next((h for h in loc.occurrences(f) if not any(a < h[1] and h[0] < b for a, b in inside)), None)
        if hit:
            return hit
    return None


def full_region_name(name: str) -> str:
    """The full name for a short form that names one division only (自贡 → 自贡市); else as given."""
    n = normalise_value(name)
    full = {d.name for d in region.lookup(n)}
    return full.pop() if len(full) == 1 else n


def checked_admin_code(name: str, code: str | None, text: str) -> tuple[str | None, str | None]:
    """(the code to keep, a note when it changed). A code must be the gazetteer's code of the
    named division; a wrong one is replaced by the code of the division the text means (the
    most-mentioned one of that name), or dropped. A town has no code (SPEC v1.1)."""
    if code is None:
        return None, None
    if name == region.CHINA.name:
        return None, f"admin_code {code} dropped: the country carries no code"
    if is_town(name):
        return None, f"admin_code {code} dropped: {name} is a town, towns carry no code"
    if code in {d.code for d in region.lookup(name)}:
        return code, None
    best = region.resolve(text, None, name)
    fixed = best.code if best is not None else None
    return fixed, f"admin_code {code} is not the code of {name}: " + (f"corrected to {fixed}" if fixed else "dropped")


def answer_problems(r: ExtractedReport, contains: Callable[[str], bool]) -> list[str]:
    """What the model must fix, in words it can act on; [] for an answer the text supports.
    `contains` says whether the article has a value; a ground.Locator also explains a miss."""
    explain = getattr(contains, "explain", None)
    problems = []
    missing = [(path, v) for path, v in copied_values(r) if not contains(v)]
    if missing:
        listed = "; ".join(f"{path} = {v!r}" + (f" ({explain(v)})" if explain else "")
                           for path, v in missing[:_MAX_LISTED])
        problems.append("These values do not occur in the article, even ignoring quotes, full/half width, spaces "
                        "and doubled punctuation; copy each exactly as written or leave it out: " + listed + ".")
    if r.meeting and r.meeting.region:
        name = r.meeting.region.name
        forms = region_forms(name)
        if forms is None:
            problems.append(f"meeting.region.name {name!r} is neither an administrative division nor a 镇/乡/街道; "
                            "give the full name of the jurisdiction (自贡市, 南川区) or null.")
        elif not (region_mention(contains, name, person_names(r)) if hasattr(contains, "occurrences")
                  else any(contains(f) for f in forms)):
            problems.append(f"meeting.region.name {name!r} is not named in the article, in full or short form; "
                            "infer the region from the text only, or give null.")
    return problems
