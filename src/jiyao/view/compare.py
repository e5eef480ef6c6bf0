"""A record against its gold, value by value, by the scorer's strict rule (values equal after
SPEC normalisation): which predicted values are spurious and which gold values were missed."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..fields import LISTS, SCALARS, key
from .values import Value

# scorer field → (pointer of the predicted value, path in the record)
_SCALAR_AT = {f: ("/" + f.replace(".", "/") + ("/name" if f == "meeting.region" else ""),
                  tuple(f.split(".")) + (("name",) if f == "meeting.region" else ())) for f in SCALARS}


def _get(rec: dict, path: tuple[str, ...]):
    cur = rec
    for p in path:
        cur = cur.get(p) if isinstance(cur, dict) else None
    return cur


def _unmatched(wanted: Counter, gold_values: list) -> list:
    """Gold values still wanted after the predictions took theirs (a multiset difference)."""
    out = []
    for x in gold_values:
        if wanted[key(x)] > 0:
            wanted[key(x)] -= 1
            out.append(x)
    return out


def _take(wanted: Counter, value) -> bool:
    """True when gold has this value (one occurrence is used up)."""
    if wanted[key(value)] > 0:
        wanted[key(value)] -= 1
        return True
    return False


@dataclass
class GoldDiff:
    spurious: set[str] = field(default_factory=set)  # pointers of predicted values gold does not have
    missed: list[tuple[str, str]] = field(default_factory=list)  # (field, gold value) the record lacks


def compare(record: dict, gold: dict, vals: list[Value]) -> GoldDiff:
    d = GoldDiff()
    for fld, (ptr, path) in _SCALAR_AT.items():
        g, p = _get(gold, path), _get(record, path)
        if key(g) != key(p):
            if p:
                d.spurious.add(ptr)
            if g:
                d.missed.append((fld, str(g)))
    for fld in LISTS:
        path = tuple(fld.split("."))
        golds = [x for x in _get(gold, path) or [] if isinstance(x, str)]
        wanted = Counter(key(x) for x in golds)
        d.spurious.update(v.pointer for v in vals if v.field == fld and not _take(wanted, v.value))
        d.missed += [(fld, x) for x in _unmatched(wanted, golds)]
    _people(record, gold, d)
    return d


def _people(record: dict, gold: dict, d: GoldDiff) -> None:
    gold_people = {key(p.get("name")): p for p in gold.get("people") or [] if isinstance(p, dict)}
    seen = set()
    for i, p in enumerate(record.get("people") or []):
        k = key(p.get("name"))
        g = gold_people.get(k)
        if g is None or k in seen:  # a person gold does not have: every value of theirs is spurious
            d.spurious.add(f"/people/{i}/name")
            for attr in ("titles", "roles"):
                d.spurious.update(f"/people/{i}/{attr}/{j}" for j in range(len(p.get(attr) or [])))
            continue
        seen.add(k)
        for attr in ("titles", "roles"):
            golds = list(g.get(attr) or [])
            wanted = Counter(key(x) for x in golds)
            d.spurious.update(f"/people/{i}/{attr}/{j}" for j, x in enumerate(p.get(attr) or []) if not _take(wanted, x))
            d.missed += [(f"people.{attr}", f"{g['name']}: {x}") for x in _unmatched(wanted, golds)]
    for k, g in gold_people.items():
        if k not in seen:
            d.missed.append(("people.name", g["name"]))
            d.missed += [("people.titles", f"{g['name']}: {t}") for t in g.get("titles") or []]
