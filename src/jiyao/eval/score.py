"""Scoring by SPEC.md's comparison rules.

Strings compare after normalisation (script, width, quotes, spaces). Lists are matched one to one
by best assignment (scipy's linear_sum_assignment). People are matched by name first; titles and
roles are scored inside each matched pair; an unmatched person counts every field as missed
(gold) or spurious (prediction). Strict = exact match; partial = character-level F1 (DuEE).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..fields import FIELDS, LISTS, PEOPLE, SCALARS, key  # noqa: F401 - the scorer's API too


def char_f1(a: str, b: str) -> float:
    if not a or not b:
        return float(a == b)
    common = sum((Counter(a) & Counter(b)).values())
    return 0.0 if common == 0 else 2 * common / (len(a) + len(b))


@dataclass
class Counts:
    tp: float = 0.0  # strict true positives
    fp: float = 0.0
    fn: float = 0.0
    ptp: float = 0.0  # partial (character-F1) credit
    n_pred: int = 0
    n_gold: int = 0
    misses: list = field(default_factory=list)  # (gold, pred-or-None)
    spurious: list = field(default_factory=list)

    def add(self, o: "Counts") -> None:
        self.tp += o.tp; self.fp += o.fp; self.fn += o.fn; self.ptp += o.ptp
        self.n_pred += o.n_pred; self.n_gold += o.n_gold


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def value_at(record, pointer: str):
    """The value a JSON pointer (/people/0/titles/1) names in a record dict, or None."""
    cur = record
    for raw in pointer.strip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")  # RFC 6901 escapes
        if isinstance(cur, list):
            cur = cur[int(part)] if part.isdigit() and int(part) < len(cur) else None
        elif isinstance(cur, dict):
            cur = cur.get(part)
        else:
            return None
        if cur is None:
            return None
    return cur


def micro_f1(per_article: dict[str, dict[str, Counts]], fields) -> float:
    """Strict micro F1 over these fields of a scored set (score_set's output)."""
    c = Counts()
    for doc in per_article.values():
        for f in fields:
            c.add(doc[f])
    return prf(c.tp, c.n_pred, c.n_gold)[2]


def _get(rec: dict | None, path: str):
    cur = rec
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    if path == "meeting.region" and isinstance(cur, dict):
        return cur.get("name")
    return cur


def _match_lists(gold: list[str], pred: list[str]) -> Counts:
    g = [key(x) for x in gold if key(x)]
    p = [key(x) for x in pred if key(x)]
    c = Counts(n_pred=len(p), n_gold=len(g))
    if g and p:
        sim = np.array([[char_f1(a, b) + (1.0 if a == b else 0.0) for b in p] for a in g])
        rows, cols = linear_sum_assignment(-sim)
        matched_g, matched_p = set(), set()
        for r_, c_ in zip(rows, cols):
            if sim[r_, c_] <= 0:
                continue
            c.ptp += char_f1(g[r_], p[c_])
            if g[r_] == p[c_]:
                c.tp += 1; matched_g.add(r_); matched_p.add(c_)
        c.fn = len(g) - len(matched_g); c.fp = len(p) - len(matched_p)
        c.misses = [gold_v for i, gold_v in enumerate(g) if i not in matched_g]
        c.spurious = [pv for j, pv in enumerate(p) if j not in matched_p]
    else:
        c.fn, c.fp, c.misses, c.spurious = len(g), len(p), list(g), list(p)
    return c


def _scalar(gold, pred) -> Counts:
    g, p = key(gold), key(pred)
    c = Counts(n_pred=int(bool(p)), n_gold=int(bool(g)))
    if g and p and g == p:
        c.tp = c.ptp = 1
    else:
        c.ptp = char_f1(g, p) if g and p else 0.0
        if g:
            c.fn = 1; c.misses = [(g, p or None)]
        if p:
            c.fp = 1; c.spurious = [(p, g or None)]
    return c


def _people(gold: list[dict], pred: list[dict]) -> dict[str, Counts]:
    out = {f: Counts() for f in PEOPLE}
    g = [x for x in gold if key(x.get("name"))]
    p = [x for x in pred if key(x.get("name"))]
    out["people.name"] = _match_lists([x["name"] for x in g], [x["name"] for x in p])
    pairs = {}
    used = set()
    for i, gp in enumerate(g):  # strict pairing by name (one to one)
        for j, pp in enumerate(p):
            if j not in used and key(gp["name"]) == key(pp["name"]):
                pairs[i] = j; used.add(j); break
    for fld, attr in (("people.titles", "titles"), ("people.roles", "roles")):
        c = out[fld]
        for i, gp in enumerate(g):
            gv = gp.get(attr) or []
            pv = p[pairs[i]].get(attr) or [] if i in pairs else []
            sub = _match_lists(gv, pv)
            sub.misses = [f"{gp['name']}: {m}" for m in sub.misses]
            sub.spurious = [f"{gp['name']}: {s}" for s in sub.spurious]
            c.add(sub); c.misses += sub.misses; c.spurious += sub.spurious
        for j, pp in enumerate(p):
            if j not in used:
                pv = pp.get(attr) or []
                sub = _match_lists([], pv)
                c.add(sub); c.spurious += [f"{pp['name']}: {s}" for s in sub.spurious]
    return out


def score_article(gold: dict, pred: dict | None) -> dict[str, Counts]:
    """Per-field counts for one article (pred None = the system produced no record)."""
    pred = pred or {}
    out: dict[str, Counts] = {}
    for f in SCALARS:
        out[f] = _scalar(_get(gold, f), _get(pred, f))
    for f in LISTS:
        out[f] = _match_lists(_get(gold, f) or [], _get(pred, f) or [])
    out.update(_people(gold.get("people") or [], pred.get("people") or []))
    return out


def score_set(gold: dict[str, dict], pred: dict[str, dict]) -> dict[str, dict[str, Counts]]:
    """doc_id → field → Counts, for every gold article (missing predictions score as empty)."""
    return {doc: score_article(g, pred.get(doc)) for doc, g in sorted(gold.items())}
