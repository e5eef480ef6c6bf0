"""Paths and helpers shared by the tests (a plain module: conftest names collide across folders)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "articles"
GOLD = ROOT / "evals" / "gold"
HELDOUT = ROOT / "evals" / "heldout"
# (articles, gold) of every labelled set: the seeds, and articles written after the recognisers
SETS = {"seeds": (SEEDS, GOLD), **{s: (HELDOUT / s / "articles", HELDOUT / s / "gold") for s in ("dev", "test")}}


def answer_from_gold(g: dict) -> dict:
    """What a perfect model would answer for this article."""
    return {k: g[k] for k in ("headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives")}


def gold_strings(g: dict) -> list[tuple[str, str]]:
    """(field, value) for every string value a gold record labels that the article must hold as
    written (region names and dates are derived, so they are not among them)."""
    out = [("headline", g["headline"])]
    src = g["source"]
    out += [("source.outlet", src["outlet"])]
    out += [(f"source.{k}", v) for k in ("reporters", "photographers", "editors") for v in src[k]]
    m = g["meeting"] or {}
    out += [(f"meeting.{k}", m.get(k)) for k in ("name", "venue", "organizer")]
    for p in g["people"]:
        out += [("people.name", p["name"])] + [("people.titles", t) for t in p["titles"]]
    out += [("upstream_meetings", u) for u in g["upstream_meetings"]]
    out += [("slogans", s) for s in g["slogans"]]
    return [(f, v) for f, v in out if v is not None]
