"""Issue 11, eval side: malformed gold and predictions end as a clear error naming file and line,
or as counted, listed schema errors; report.md shows file names and values as text, not markup."""
import json
import shutil

from typer.testing import CliRunner

from jiyao.cli.main import app

from helpers import GOLD


def _eval(gold, *preds, report=None):
    args = ["eval", "--gold", str(gold)] + [x for p in preds for x in ("--pred", str(p))]
    return CliRunner().invoke(app, args + (["--report", str(report)] if report else []))


def _said(r) -> str:
    return " ".join(r.output.split())


def _gold_record() -> dict:
    return json.loads(sorted(GOLD.glob("*.json"))[0].read_text("utf-8"))


def test_malformed_prediction_lines_are_counted_not_fatal(tmp_path, tally):
    good = _gold_record()
    bad_lines = [
        b"{not json",
        b"[1, 2, 3]",
        "{\"doc_id\": \"x\", \"headline\": \"会议\"}".encode("gb18030"),  # not UTF-8
        json.dumps({**good, "doc_id": 7}).encode(),
        json.dumps({**good, "people": ["王春林", "李文华"]}, ensure_ascii=False).encode(),
        json.dumps({**good, "evidence": [[0, 4]]}).encode(),
    ]
    pred = tmp_path / "pred.jsonl"
    # line 1 carries a BOM (an editor's): the record after it must still count
    pred.write_bytes(b"\xef\xbb\xbf" + json.dumps(good, ensure_ascii=False).encode() + b"\n" + b"\n".join(bad_lines) + b"\n")
    tally["bad inputs tried"] += len(bad_lines) + 1
    r = _eval(GOLD, pred, report=tmp_path / "rep")
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output and "6 line(s) are not valid records" in _said(r)
    rep = json.loads((tmp_path / "rep" / "report.json").read_text("utf-8"))
    s = rep["systems"][0]
    assert s["n_records"] == 1 and s["n_gold_covered"] == 1  # the BOM line was scored
    assert s["n_invalid"] == 6 and [p["line"] for p in s["invalid_lines"]] == [2, 3, 4, 5, 6, 7]
    errors = [p["error"] for p in s["invalid_lines"]]
    assert "bad JSON" in errors[0] and "list" in errors[1] and "UTF-8" in errors[2]
    assert all(e.startswith("schema: ") for e in errors[3:]) and "doc_id" in errors[3] and "people" in errors[4]
    assert s["schema_valid_rate"] == round(1 / 7, 4)


def test_malformed_gold_is_an_error_naming_file_and_line(tmp_path, tally):
    cases = {"broken.json": b'{\n  "doc_id": "x",\n  "headline": \n}',
             "list.json": b"[]",
             "gbk.json": '{"doc_id": "x", "headline": "会议"}'.encode("gb18030"),
             "int_id.json": b'{"doc_id": 5}'}
    for name, data in cases.items():
        gold = tmp_path / name.replace(".json", "")
        shutil.copytree(GOLD, gold)
        (gold / name).write_bytes(data)
        pred = tmp_path / "p.jsonl"
        pred.write_text("", "utf-8")
        r = _eval(gold, pred)
        said = _said(r)
        assert r.exit_code == 2 and name in said and "Traceback" not in r.output, said
        tally["bad inputs tried"] += 1
    assert "line 4" in _said(_eval(tmp_path / "broken", pred))


def test_report_md_escapes_markup_from_file_names_and_values(tmp_path):
    good = _gold_record()
    evil = {**good, "headline": "<img src=x onerror=alert(1)>[点我](javascript:alert(1))|"}
    pred = tmp_path / "<b>sys|tem<i>.jsonl"
    pred.write_text(json.dumps(evil, ensure_ascii=False) + "\n", "utf-8")
    r = _eval(GOLD, pred, report=tmp_path / "rep")
    assert r.exit_code == 0, r.output
    md = (tmp_path / "rep" / "report.md").read_text("utf-8")
    assert "<img" not in md and "<b>" not in md and "](javascript" not in md
    assert "&lt;imgsrc=xonerror=alert\\(1\\)&gt;\\[点我\\]" in md and "&lt;b&gt;sys\\|tem&lt;i&gt;" in md
    for row in md.splitlines():  # a table row keeps its 10 cells: no raw | from a value
        if row.startswith("| people.name"):
            assert row.count("|") - row.count("\\|") == 11


def test_two_gold_files_with_one_doc_id_are_an_error_naming_both(tmp_path, tally):
    """A gold file copied to start another article, its doc_id left as it was: one of the two was
    silently dropped, and the set was scored on one article fewer than its files."""
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    first = sorted(gold.glob("*.json"))[0]
    (gold / "zz_copy.json").write_bytes(first.read_bytes())
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps(_gold_record(), ensure_ascii=False) + "\n", "utf-8")
    tally["bad inputs tried"] += 1
    r = _eval(gold, pred)
    assert r.exit_code == 2, r.output
    assert first.name in _said(r) and "zz_copy.json" in _said(r)
