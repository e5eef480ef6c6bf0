"""Issue 20, eval side: grounding is checked against each record's own article, found by its
origin (doc ids that are not their file's stem — spaces, `stem__hash`, table rows — included),
and duplicate prediction lines and predictions without gold are reported, not passed silently."""
import json
from pathlib import Path

from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.eval.report import build

from test_bad_files import ARTICLE

OTHER = ARTICLE.replace("王春林", "钱春林").replace("李文华", "孙文华").replace("防汛", "森林防火")


def _corpus(root: Path) -> Path:
    """Articles whose doc ids are not their stems, extracted offline from root: returns the records."""
    (root / "in" / "z").mkdir(parents=True)
    (root / "in" / "a").mkdir(parents=True)
    (root / "in" / "z" / "report.txt").write_text(ARTICLE, "utf-8")
    (root / "in" / "a" / "report.txt").write_text(OTHER, "utf-8")  # doc id report__<hash>
    (root / "in" / "a b.txt").write_text(ARTICLE.replace("王春林", "马春林"), "utf-8")  # doc id a_b
    rows = [{"id": "row 7", "text": OTHER.replace("钱春林", "陆春林")}, {"id": 8, "text": ARTICLE.replace("赵明", "韩明")}]
    (root / "in" / "t.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = root / "r.jsonl"
    r = CliRunner().invoke(app, ["extract", "in/t.jsonl", "in/z", "in/a", "in/a b.txt", "-o", str(out), "--backend", "offline"])
    assert r.exit_code == 0, r.output
    return out


def _gold_from(records: Path, gold: Path) -> list[dict]:
    """Each record as its own gold: grounding is then all that can differ."""
    gold.mkdir()
    recs = [json.loads(x) for x in records.read_text("utf-8").splitlines()]
    for rec in recs:
        (gold / f"{rec['doc_id']}.json").write_text(json.dumps(rec, ensure_ascii=False), "utf-8")
    return recs


def test_grounding_finds_each_records_own_article_from_any_folder(tmp_path, monkeypatch, tally):
    monkeypatch.chdir(tmp_path)
    records = _corpus(tmp_path)
    recs = _gold_from(records, tmp_path / "gold")
    ids = sorted(r["doc_id"] for r in recs)
    assert "a_b" in ids and "row_7" in ids and "8" in ids and any(i.startswith("report__") for i in ids)
    want = sum(len(r["evidence"]) for r in recs)
    tally["bad inputs tried"] += 4
    for where in (tmp_path, tmp_path / "in"):  # from the folder extract ran in, and from another
        monkeypatch.chdir(where)
        g = build(tmp_path / "gold", [records], tmp_path / "in")["systems"][0]["grounding"]
        assert g["checked"] == want and g["grounded"] == want, g


def test_duplicate_prediction_lines_and_predictions_without_gold_are_reported(tmp_path, monkeypatch, tally):
    monkeypatch.chdir(tmp_path)
    records = _corpus(tmp_path)
    recs = _gold_from(records, tmp_path / "gold")
    (tmp_path / "gold" / "8.json").unlink()  # row 8 now has no gold
    lines = records.read_text("utf-8").splitlines()
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(lines + [lines[0]]) + "\n", "utf-8")  # line 1 again at the end
    tally["bad inputs tried"] += 2
    rep = build(tmp_path / "gold", [pred], tmp_path / "in")["systems"][0]
    assert rep["n_duplicate_lines"] == 1
    assert rep["duplicate_lines"] == [{"line": len(lines) + 1, "doc_id": recs[0]["doc_id"], "first_line": 1}]
    assert rep["n_without_gold"] == 1 and rep["without_gold"] == ["8"]
    r = CliRunner().invoke(app, ["eval", "--gold", str(tmp_path / "gold"), "--pred", str(pred), "--report", "rep"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "1 duplicate" in said and "1 prediction(s) without gold" in said and "8" in said
    md = Path("rep/report.md").read_text("utf-8")
    assert "duplicate" in md and "without gold" in md
