"""A fresh hostile review of the call log and `jiyao calls`: what it prints comes from article text
and from the model, and the log itself may be damaged; neither may reach the terminal as control
sequences or end the command in a traceback."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app

from fakeserver import FakeServer, Script
from test_bad_files import ARTICLE

# a terminal's control sequences: set the window title, clear the screen, colour, and OSC 52 (write the clipboard)
CONTROL = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x1b]52;c;ZWNobyBwd25lZA==\x07\x9b1m"


def _logged(tmp_path: Path, answer) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE.replace("县领导", "县领导" + CONTROL), "utf-8")
    out = tmp_path / "r.jsonl"
    with FakeServer(Script(default=answer)) as s:
        r = CliRunner().invoke(app, ["extract", str(src), "-o", str(out), "--backend", "hybrid", "--model", "m",
                                     "--base-url", s.base_url, "--api-key", "k", "--no-cache"])
    assert r.exit_code == 0, r.output
    return out


def _calls(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jiyao", "calls", *map(str, args)], capture_output=True,
                          timeout=120)


def test_calls_prints_no_control_sequence_from_the_article_or_the_model(tmp_path, tally):
    out = _logged(tmp_path, ("raw", "I cannot answer." + CONTROL))  # prose: re-asked with the answer quoted
    tally["bad inputs tried"] += 2
    for extra in ([], ["--full"]):
        r = _calls(out, *extra)
        assert r.returncode == 0, r.stderr
        shown = r.stdout.decode("utf-8")
        assert "I cannot answer." in shown and "pwned" in shown  # shown, as text
        assert not any(c in shown for c in "\x1b\x07\x9b"), repr(shown[:500])


@pytest.mark.parametrize("column, value", [("request", "not json"), ("dropped", "{"), ("mapped", "[1,")])
def test_calls_on_a_damaged_log_is_one_line(tmp_path, tally, column, value):
    out = _logged(tmp_path, {"headline": None})
    with sqlite3.connect(str(out) + ".calls.sqlite") as db:
        db.execute(f"UPDATE calls SET {column} = ?", (value,))
    tally["bad inputs tried"] += 1
    for extra in ([], ["--json"]):
        r = _calls(out, *extra)
        err = r.stderr.decode()
        assert r.returncode == 2 and "Traceback" not in err, err[-2000:]
        assert err.strip().startswith("error:") and len(err.strip().splitlines()) == 1, err
