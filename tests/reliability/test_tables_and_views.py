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


def test_csv_cells_never_start_a_formula_and_read_back_exactly(tmp_path, tally):
    rec = _record("f1", headline=FORMULAS[0], slogans=FORMULAS, upstream_meetings=["-会议"],
                  meeting={"name": "=1+1", "venue": "@场", "region": {"name": "+区", "admin_code": None}},
                  people=[{"name": "王大明", "titles": ["=cmd|' /c calc'!A1", "副县长"], "roles": []}],
                  evidence={"/slogans/0": [0, 3]})
    r = _export(_write(tmp_path / "r.jsonl", [rec]), tmp_path / "t")
    assert r.exit_code == 0, r.output
    tally["bad inputs tried"] += len(FORMULAS) + 4
    for table in ("meetings", "participants", "upstream_meetings", "slogans", "evidence", "people"):
        for row in _csv(tmp_path / "t" / f"{table}.csv"):
            for col, cell in row.items():
                assert not cell[:1] or cell[0] not in "=+-@\t\r＝＋－＠", (table, col, cell)
    got = [_unquote(row["slogan"]) for row in _csv(tmp_path / "t" / "slogans.csv")]
    assert got == FORMULAS
    ev = _csv(tmp_path / "t" / "evidence.csv")
    assert _unquote(next(row["text"] for row in ev if row["field_path"] == "/slogans/0")) == FORMULAS[0]
    m = _csv(tmp_path / "t" / "meetings.csv")[0]
    assert [_unquote(m[c]) for c in ("headline", "name", "venue", "region")] == [FORMULAS[0], "=1+1", "@场", "+区"]


def test_csv_list_columns_read_back_as_the_same_lists(tmp_path, tally):
    titles = ["副县长|区长", "县委常委、副县长", "a\"b", "[\"x\"]", "=1"]
    rec = _record("l1", people=[{"name": "王大明", "titles": titles, "roles": ["chair", "speaker"]},
                                {"name": "李小红", "titles": [], "roles": []}])
    r = _export(_write(tmp_path / "r.jsonl", [rec]), tmp_path / "t")
    assert r.exit_code == 0, r.output
    tally["bad inputs tried"] += 1
    rows = _csv(tmp_path / "t" / "participants.csv")
    assert [json.loads(row["titles"]) for row in rows] == [titles, []]
    assert [json.loads(row["roles"]) for row in rows] == [["chair", "speaker"], []]
    people = {row["name"]: row for row in _csv(tmp_path / "t" / "people.csv")}
    assert json.loads(people["王大明"]["titles"]) == titles and json.loads(people["王大明"]["doc_ids"]) == ["l1"]


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


def _extract(*args):
    return CliRunner().invoke(app, ["extract", *map(str, args), "--backend", "offline"])


def test_after_a_changed_file_is_extracted_again_export_and_view_show_only_its_latest_record(tmp_path, monkeypatch, tally):
    monkeypatch.chdir(tmp_path)
    Path("in").mkdir()
    Path("in/a.txt").write_text(ARTICLE, "utf-8")
    Path("in/b.txt").write_text(ARTICLE.replace("防汛", "森林防火"), "utf-8")
    assert _extract("in", "-o", "r.jsonl").exit_code == 0
    Path("in/a.txt").write_text(ARTICLE.replace("王春林", "钱春林"), "utf-8")  # a changes: a second record of a
    assert "changed" in _extract("in", "-o", "r.jsonl").output
    assert len(Path("r.jsonl").read_text("utf-8").splitlines()) == 3
    tally["bad inputs tried"] += 1
    r = _export("r.jsonl", "t", "--articles", "in")
    assert r.exit_code == 0, r.output
    meetings = _csv(Path("t/meetings.csv"))
    assert sorted(m["doc_id"] for m in meetings) == ["a", "b"]
    names = {p["name"] for p in _csv(Path("t/participants.csv")) if p["doc_id"] == "a"}
    assert "钱春林" in names and "王春林" not in names
    ev = [e for e in _csv(Path("t/evidence.csv")) if e["doc_id"] == "a" and e["field"] == "people.name"]
    assert all(_unquote(e["text"]) != "王春林" for e in ev)  # cut from the file as it is now
    tally["duplicates"] += len(meetings) - len({m["doc_id"] for m in meetings})
    r = CliRunner().invoke(app, ["view", "r.jsonl", "--articles", "in", "-o", "v.html"])
    assert r.exit_code == 0 and "2 records" in r.output, r.output
    html = Path("v.html").read_text("utf-8")
    assert html.count("data-doc='a'") == 1 and "钱春林" in html


def _two_same_named(root: Path) -> None:
    """in/z/report.txt and in/a/report.txt: extracted z first, so z keeps the stem `report` and a,
    which sorts first in the folder, gets `report__<hash>`."""
    for d, text in (("z", ARTICLE), ("a", ARTICLE.replace("王春林", "钱春林").replace("李文华", "孙文华"))):
        (root / "in" / d).mkdir(parents=True)
        (root / "in" / d / "report.txt").write_text(text, "utf-8")


def test_export_and_view_from_another_folder_cut_evidence_from_the_records_own_file(tmp_path, monkeypatch, tally):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    _two_same_named(work)
    (elsewhere / "in" / "z").mkdir(parents=True)  # a decoy with the same relative path
    (elsewhere / "in" / "z" / "report.txt").write_text(ARTICLE.replace("王春林", "马春林"), "utf-8")
    monkeypatch.chdir(work)
    assert _extract("in/z", "in/a", "-o", "r.jsonl").exit_code == 0
    recs = [json.loads(x) for x in Path("r.jsonl").read_text("utf-8").splitlines()]
    names = {r["doc_id"]: {p["name"] for p in r["people"]} for r in recs}
    assert sorted(names) == sorted(["report", next(d for d in names if d.startswith("report__"))])
    monkeypatch.chdir(elsewhere)
    tally["bad inputs tried"] += 1
    r = _export(work / "r.jsonl", "t", "--articles", work / "in")
    assert r.exit_code == 0, r.output
    for e in _csv(Path("t/evidence.csv")):
        if e["field"] == "people.name":
            assert _unquote(e["text"]) in names[e["doc_id"]], e
    r = CliRunner().invoke(app, ["view", str(work / "r.jsonl"), "--articles", str(work / "in"), "-o", "v.html"])
    assert r.exit_code == 0 and "0 without their article file" in r.output, r.output
    html = Path("v.html").read_text("utf-8")
    for sec in html.split("<section")[1:]:
        text = sec.split("<pre class='text'>")[1].split("</pre>")[0]
        doc = sec.split("data-doc='")[1].split("'")[0]
        assert ("钱春林" in text) == ("钱春林" in names[doc]) and "马春林" not in text


def test_a_lone_surrogate_escape_in_a_record_is_no_traceback(tmp_path, tally):
    """`"\\ud800"` is valid JSON and passes the schema, but no UTF-8 file, table or page can hold
    the character it gives: export (every format), view, eval and a review of the article crashed
    with UnicodeEncodeError. It is read as U+FFFD, as extract reads one in a table row."""
    import subprocess
    import sys

    from jiyao.review import folder, sample
    from jiyao.read.inputs import iter_items
    from jiyao.review.store import Store

    rec = _record("a", headline="防汛\ud800会议", slogans=["人民至上", "\udfff"],
                  people=[{"name": "王春林", "titles": ["县\ud800长"], "roles": []}])
    recs = tmp_path / "r.jsonl"
    recs.write_text(json.dumps(rec) + "\n", "utf-8")  # ASCII JSON: the surrogates as \\u escapes
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(json.dumps({k: v for k, v in rec.items() if k != "evidence"}), "utf-8")
    tally["bad inputs tried"] += 1
    formats = ["csv"] + [f for f, mod in (("parquet", "pyarrow"), ("duckdb", "duckdb")) if _importable(mod)]
    runs = [["export", recs, "-o", tmp_path / f"t-{f}", "--format", f] for f in formats]
    runs += [["view", recs, "-o", tmp_path / "v.html"], ["eval", "--gold", gold, "--pred", recs]]
    for args in runs:
        r = subprocess.run([sys.executable, "-m", "jiyao", *map(str, args)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr[-2000:])
    tally["crashes survived"] += len(runs)
    assert "防汛\ufffd会议" in (tmp_path / "t-csv" / "meetings.csv").read_text("utf-8")
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a.txt").write_text(ARTICLE, "utf-8")
    root = tmp_path / "rev"
    folder.write(sample.draw(iter_items([arts]), 5), root, records=recs)
    st = Store(root, "tester").state("a")
    assert st["draft"]["fields"]["headline"][0]["value"] == "防汛\ufffd会议"


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
