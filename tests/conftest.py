import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from jiyao.eval.report import load_gold  # noqa: E402

from helpers import GOLD, SEEDS  # noqa: E402


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return load_gold(GOLD)
