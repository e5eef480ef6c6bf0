"""People across articles: each participant mention resolved to a `person_id`.

The same official appears in hundreds of reports with changing titles; two officials who share a
name in different places must stay apart. A mention is (name, region of the meeting, titles, date).
Rules, in order (each decision is recorded in `resolution`):

1. Mentions are grouped by name; different names are never the same person.
2. A mention's place is the meeting's region (its gazetteer code), or a division named inside one of
   its titles (`南川区委书记` → 南川区) when the record has no region.
3. Places on one branch of the hierarchy are compatible (重庆市 500000 ⊃ 南川区 500119); places on
   different branches are different people (张伟 of 南川区 ≠ 张伟 of 綦江区).
4. A mention placed only at a higher level (city) joins the one person of that name below it when
   there is exactly one; with several, it stays its own person (ambiguous).
5. A mention with no place joins the name's only placed person; with none or several, all placeless
   mentions of the name are one person, marked `name only`.
Titles change with promotions (副县长 → 县长), so titles do not split people; places do.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..recognise import region as gazetteer


@dataclass
class Mention:
    doc_id: str
    order: int  # index in the record's people list
    name: str
    titles: list[str]
    region: str | None
    admin_code: str | None
    date: str | None  # ISO meeting date, else publication date, else None


@dataclass
class Person:
    person_id: str
    name: str
    place: str | None  # code prefix the person is anchored at ("500119", "5001", or a town name)
    region: str | None
    admin_code: str | None
    mentions: list[Mention] = field(default_factory=list)
    resolution: str = ""


def _prefix(code: str | None) -> str | None:
    """A division code without its trailing zero levels: 500119 → 500119, 510300 → 5103, 500000 → 50."""
    if not code or not code.isdigit() or len(code) != 6:
        return None
    for n in (2, 4):
        if code[n:] == "0" * (6 - n):
            return code[:n]
    return code


def _place(m: Mention) -> tuple[str | None, str | None, str | None]:
    """(anchor, region name, code): the meeting's region, else a division named in a title."""
    if m.region:
        code = m.admin_code or next((d.code for d in gazetteer.lookup(m.region) if d.code), None)
        return (_prefix(code) or f"name:{m.region}"), m.region, code
    for t in m.titles:
        hits = gazetteer.mentions(t)
        best = max(hits, key=lambda d: (hits[d], len(d.name)), default=None)
        if best is not None and best.code:
            return _prefix(best.code), best.name, best.code
    return None, None, None


def _pid(name: str, anchor: str | None) -> str:
    return "P" + hashlib.sha1(f"{name}|{anchor or '?'}".encode()).hexdigest()[:10]


def _compatible(a: str, b: str) -> bool:
    return not a.startswith("name:") and not b.startswith("name:") and (a.startswith(b) or b.startswith(a)) or a == b


def resolve(mentions: list[Mention]) -> list[Person]:
    by_name: dict[str, list[Mention]] = {}
    for m in mentions:
        by_name.setdefault(m.name, []).append(m)
    people: list[Person] = []
    for name, ms in by_name.items():
        placed: dict[str, Person] = {}
        loose: list[Mention] = []
        # most specific places first, so a city-level mention can find the one county below it
        places = [(m, _place(m)) for m in ms]  # a gazetteer scan per mention, done once
        for m, (anchor, reg, code) in sorted(places, key=lambda mp: -len(mp[1][0] or "")):
            if anchor is None:
                loose.append(m)
                continue
            below = [p for a, p in placed.items() if _compatible(a, anchor)]
            if anchor in placed:
                placed[anchor].mentions.append(m)
            elif len(below) == 1:
                below[0].mentions.append(m)
                below[0].resolution = "same name, places on one branch of the division hierarchy"
            else:
                placed[anchor] = Person(_pid(name, anchor), name, anchor, reg, code, [m],
                                        "same name and place" if not below else "ambiguous: several people of this name below this place")
        if loose:
            if len(placed) == 1:
                only = next(iter(placed.values()))
                only.mentions += loose
                only.resolution += "; mentions without a place joined the only person of this name"
            else:
                people.append(Person(_pid(name, None), name, None, None, None, loose, "name only (no place known)"))
        people.extend(placed.values())
    for p in people:
        p.mentions.sort(key=lambda m: (m.date or "", m.doc_id, m.order))
    return people
