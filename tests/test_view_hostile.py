"""The viewer against hostile input: records whose values carry HTML, and `-o` pointing at files it
must not replace (issue 20)."""
import hashlib
import json
import shutil

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app

IMG = "<img src=x onerror=\"window.__pwned=(window.__pwned||0)+1\">"
ARTICLE = f"县委召开{IMG}工作会议\n3月2日上午,县委书记王大明主持会议。\n"


def _hostile_record() -> dict:
    """A record (not an article), valid by the schema, whose values, diagnostics and usage carry markup."""
    start = ARTICLE.index(IMG)
    return {
        "schema_version": "1", "doc_id": "evil" + IMG, "headline": "县委召开" + IMG + "工作会议",
        "source": {"outlet": IMG, "published_date": None},
        "meeting": {"name": IMG + "工作会议", "date": None, "venue": IMG, "organizer": None,
                    "region": {"name": IMG, "admin_code": None}},
        "people": [{"name": "王大明" + IMG, "titles": [IMG], "roles": ["chair"]}],
        "upstream_meetings": [IMG], "slogans": [IMG], "directives": [],
        "evidence": {"/meeting/name": [start, start + len(IMG) + 4], "/slogans/0": [start, start + len(IMG)]},
        "confidence": {"/slogans/0": {"source": "model", "score": 0.5}},
        "diagnostics": {"warnings": [IMG], "dropped_ungrounded": [IMG],
                        "overrides": [{"field": "slogans", "value": IMG, "kept": None, "winner": None, "reason": IMG}]},
        "usage": {"backend": IMG, "model": IMG},
        "origin": {"path": "evil.txt", "sha256": hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest()},
    }


@pytest.fixture
def hostile(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "evil.txt").write_text(ARTICLE, "utf-8")
    recs = tmp_path / "records.jsonl"
    recs.write_text(json.dumps(_hostile_record(), ensure_ascii=False) + "\n", "utf-8")
    return tmp_path, arts, recs


def test_view_escapes_every_record_value(hostile):
    d, arts, recs = hostile
    page = d / "view.html"
    r = CliRunner().invoke(app, ["view", str(recs), "--articles", str(arts), "-o", str(page)])
    assert r.exit_code == 0, r.output
    html = page.read_text("utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=" in html


def test_view_hostile_record_in_headless_chromium_runs_nothing_and_shows_the_text(hostile):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    d, arts, recs = hostile
    page = d / "view.html"
    CliRunner().invoke(app, ["view", str(recs), "--articles", str(arts), "-o", str(page)])
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        pg = b.new_page()
        pg.goto(page.as_uri())
        pg.wait_for_load_state("load")
        pg.locator("section:not([hidden]) .val").first.click()  # the script's handlers run over it
        pg.wait_for_timeout(200)  # an <img onerror> fires once its load fails
        assert pg.evaluate("window.__pwned") is None
        assert pg.locator("img").count() == 0
        panel = pg.locator("section:not([hidden]) .panel").inner_text()
        assert panel.count(IMG) >= 8  # the values are shown as the text they are
        assert IMG in pg.locator("section:not([hidden]) pre.text").inner_text()
        b.close()


def _view(recs, out):
    return CliRunner().invoke(app, ["view", str(recs), "-o", str(out)])


def test_view_never_replaces_the_records_or_a_file_it_did_not_write(hostile):
    d, arts, recs = hostile
    before = recs.read_bytes()
    for target in (recs, d / "other.jsonl", arts / "evil.txt"):
        r = _view(recs, target)
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
        assert len(r.output.strip().splitlines()) == 1
    assert recs.read_bytes() == before and (arts / "evil.txt").read_text("utf-8") == ARTICLE
    assert not (d / "other.jsonl").exists()
    # an HTML file that is not our page (an article, a report) stays as it is
    article = arts / "page.html"
    article.write_text("<html><body>县委召开会议</body></html>", "utf-8")
    r = _view(recs, article)
    assert r.exit_code == 2 and "not a page jiyao view wrote" in r.output
    assert article.read_text("utf-8") == "<html><body>县委召开会议</body></html>"
    # a page it wrote is replaced (a re-run), and a folder is refused in one line
    page = d / "view.html"
    assert _view(recs, page).exit_code == 0 and _view(recs, page).exit_code == 0
    assert "jiyao view" in page.read_text("utf-8")
    (d / "dir.html").mkdir()
    assert _view(recs, d / "dir.html").exit_code == 2
    assert [p.name for p in d.iterdir() if p.name.endswith(".tmp")] == []
