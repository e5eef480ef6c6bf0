"""Issue 20, reading records back: CSV cells a spreadsheet would run, list columns that split on
their own separator, outputs that cannot be written, records of the wrong shape, stale records
of re-extracted files, and evidence cut from the wrong same-named file."""
import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app

from test_bad_files import ARTICLE

# what a spreadsheet takes for a formula, as it may come from article text (OWASP CSV injection)
FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"点击\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1",
            "＝1+1", "'already quoted"]


def _record(doc_id: str, **kw) -> dict:
    rec = {"schema_version": "1", "doc_id": doc_id, "headline": None, "source": {}, "meeting": None, "people": [],
           "upstream_meetings": [], "slogans": [], "directives": [], "evidence": {}}
    rec.update(kw)
    return rec


def _write(path: Path, recs: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in recs), "utf-8")
    return path


def _export(recs: Path, out: Path, *more):
    return CliRunner().invoke(app, ["export", str(recs), "-o", str(out), *map(str, more)])


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _unquote(cell: str) -> str:
    """The README's rule: a cell starting with ' had it added by jiyao; the value is the rest."""
    return cell[1:] if cell.startswith("'") else cell


def test_export_bad_outputs_and_bad_records_are_one_line_each(tmp_path, tally):
    recs = _write(tmp_path / "r.jsonl", [_record("ok", slogans=["安全生产"]),
                                         _record("strings", people=["王大明", "李小红"]),
                                         _record("bad-meeting", meeting="县委常委会"), "not json", "[1, 2]"])
    (tmp_path / "file.txt").write_text("keep me", "utf-8")
    for out in (tmp_path / "file.txt", tmp_path / "file.txt" / "tables", Path("/proc/version/tables")):
        r = _export(recs, out)
        assert r.exit_code == 2 and not isinstance(r.exception, Exception), r.output
        assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1, r.output
    assert (tmp_path / "file.txt").read_text("utf-8") == "keep me"
    r = _export(recs, tmp_path / "t")
    tally["bad inputs tried"] += 7
    assert r.exit_code == 0 and not isinstance(r.exception, Exception), r.output
    assert "Traceback" not in r.output
    assert "4 lines are not records" in r.output and "line 2" in r.output
    assert [row["doc_id"] for row in _csv(tmp_path / "t" / "meetings.csv")] == ["ok"]
    tally["crashes survived"] += 1
