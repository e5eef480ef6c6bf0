"""`jiyao eval` end to end on the offline backend's output: report files, escaping, the HTML in Chromium."""
import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app

from helpers import GOLD, SEEDS


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    d = tmp_path_factory.mktemp("eval")
    r = CliRunner().invoke(app, ["extract", str(SEEDS), "-o", str(d / "a.jsonl"), "--backend", "offline"])
    assert r.exit_code == 0, r.output
    # a second system: the same records with one person removed, to compare
    lines = (d / "a.jsonl").read_text("utf-8").splitlines()
    rec = json.loads(lines[0]); rec["people"] = rec["people"][1:]; rec["headline"] = "<script>alert(1)</script>"
    (d / "b.jsonl").write_text("\n".join([json.dumps(rec, ensure_ascii=False)] + lines[1:]) + "\n", "utf-8")
    r = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(d / "a.jsonl"), "--pred", str(d / "b.jsonl"),
                                 "--articles", str(SEEDS), "--report", str(d / "rep")])
    assert r.exit_code == 0, r.output
    return d / "rep"


def test_report_files_and_stable_keys(reports):
    rep = json.loads((reports / "report.json").read_text("utf-8"))
    assert set(rep) >= {"report_version", "n_articles", "fields", "systems", "comparisons"}
    a, b = rep["systems"]
    assert a["fields"]["people.name"]["strict"]["f1"] >= 0.95
    assert a["grounding"]["rate"] == 1.0 and a["schema_valid_rate"] == 1.0
    assert b["fields"]["people.name"]["strict"]["recall"] < a["fields"]["people.name"]["strict"]["recall"]
    assert rep["comparisons"][0]["fields"]["people.name"]["diff"] < 0
    assert (reports / "report.md").read_text("utf-8").startswith("# jiyao eval")


def test_html_escapes_article_text(reports):
    html = (reports / "report.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_html_renders_in_headless_chromium(reports, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("chromium not installed (.ci/run installs Debian's chromium; it could not be installed here)")
    out = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path}",
                          "--dump-dom", (reports / "report.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert 'id="fields"' in out.stdout or "id='fields'" in out.stdout or "<table id=\"fields\">" in out.stdout
    assert "people.name" in out.stdout


def test_eval_names_a_missing_prediction_file(tmp_path):
    r = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(tmp_path / "typo.jsonl")])
    assert r.exit_code == 2 and "typo.jsonl" in r.output and "Traceback" not in r.output


def test_grounding_check_joins_the_parts_of_a_composed_value(tmp_path):
    from jiyao.eval.report import grounding

    text = "区委常委会召开会议\n3月5日上午,区委常委会召开会议。\n"
    (tmp_path / "c.txt").write_text(text, "utf-8")
    body, verb = text.index("区委常委会"), text.index("会议")
    rec = {"doc_id": "c", "meeting": {"name": "区委常委会会议"},
           "evidence": {"/meeting/name": [[body, body + 5], [verb, verb + 2]]}}
    assert grounding({"c": rec}, tmp_path) == {"checked": 1, "grounded": 1, "rate": 1.0}
    rec["evidence"]["/meeting/name"] = [[body, body + 5], [body, body + 2]]  # parts that spell 区委常委会区委
    assert grounding({"c": rec}, tmp_path)["grounded"] == 0
