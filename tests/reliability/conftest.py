"""Reliability tally, printed at the end of the run."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# records lost, duplicates and leaks (pieces of an API key found in any output) must stay 0
TALLY = {"bad inputs tried": 0, "faults injected": 0, "crashes survived": 0, "records lost": 0, "duplicates": 0,
         "leaks": 0, "leak checks": 0}


@pytest.fixture
def tally():
    return TALLY


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("reliability: " + ", ".join(f"{k} {v}" for k, v in TALLY.items()))
