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
