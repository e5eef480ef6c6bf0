import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "articles"
GOLD = ROOT / "evals" / "gold"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(GOLD.glob("*.json"))}


def answer_from_gold(g: dict) -> dict:
    """What a perfect model would answer for this article."""
    return {k: g[k] for k in ("headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives")}
