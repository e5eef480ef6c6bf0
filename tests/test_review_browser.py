"""Issue 19 in a real headless Chromium (system /usr/bin/chromium, CJK fonts): a reviewer corrects a
value by selecting text with the mouse, adds a missed person, deletes a spurious slogan and saves;
hostile article text stays text; a killed server loses no saved decision; two tabs on one article
do not corrupt it."""
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.eval.score import FIELDS, micro_f1, score_article
from jiyao.read.inputs import iter_items
from jiyao.review import folder, sample
from jiyao.review.server import ReviewServer
from jiyao.review.store import Store

from helpers import GOLD, ROOT, SEEDS

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else (shutil.which("chromium") or "/usr/bin/chromium")
SEED = "000_108e1976953c9e68"
HOSTILE = ("区委召开“<b>安全</b>”工作会议\n<script>window.__pwned = 1; alert('script ran')</script>\n"
           "<img src=x onerror=\"window.__pwned = 2; alert('img ran')\">\n"
           "\u202e右到左覆盖\u202c 3月2日上午,区委书记王大明主持召开区委常委会会议并讲话。副区长李小红出席会议。\n")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.browser


def _playwright():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no system Chromium at {CHROMIUM} (.ci/run installs Debian's chromium and fonts-noto-cjk)")
    return pytest.importorskip("playwright.sync_api", reason="python playwright is in the test extras")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Seed 000 and a hostile article, extracted offline once."""
    d = tmp_path_factory.mktemp("review-browser")
    arts = d / "articles"
    arts.mkdir()
    shutil.copy(SEEDS / f"{SEED}.txt", arts)
    (arts / "hostile.txt").write_text(HOSTILE, "utf-8")
    out = d / "records.jsonl"
    r = CliRunner().invoke(app, ["extract", str(arts), "-o", str(out), "--backend", "offline"])
    assert r.exit_code == 0, r.output
    recs = {json.loads(x)["doc_id"]: json.loads(x) for x in out.read_text("utf-8").splitlines() if x.strip()}
    return arts, recs


def _with_errors(rec: dict, text: str) -> dict:
    """The seed's record with three mistakes a reviewer must fix: a title cut short, a person
    missed, a holiday taken for a slogan."""
    rec = json.loads(json.dumps(rec))
    assert rec["people"][1]["titles"][0] == "市委副书记"  # 何树平
    rec["people"][1]["titles"][0] = "副书记"
    s, e = rec["evidence"]["/people/1/titles/0"]
    rec["evidence"]["/people/1/titles/0"] = [s + 2, e]
    assert rec["people"][4]["name"] == "李国贵"
    rec["people"].pop(4)
    rec["evidence"] = {k: v for k, v in rec["evidence"].items() if not k.startswith("/people/4/")}
    i = text.index("“五一”") + 1
    rec["evidence"][f"/slogans/{len(rec['slogans'])}"] = [i, i + 2]
    rec["slogans"].append("五一")
    return rec


def _folder(tmp_path: Path, arts: Path, records: list[dict]) -> Path:
    rec_path = tmp_path / "records.jsonl"
    rec_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    root = tmp_path / "review"
    folder.write(sample.draw(iter_items([arts]), 10, seed=0), root, records=rec_path)
    return root


class _Served:
    """jiyao review on a folder, in a thread of this process."""

    def __init__(self, root: Path):
        self.store = Store(root, "tester")
        self.srv = ReviewServer(self.store, 0)
        self.url = self.srv.url
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()
        self.store.close()


# where characters [s, e) of the article sit on screen: the points a mouse drag goes between
def _walkthrough():
    spec = importlib.util.spec_from_file_location("review_walkthrough", ROOT / "tools" / "review_walkthrough.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_RECTS = _walkthrough().RECTS  # the page coordinates of a span's first and last characters, defined once there


def select(pg, text: str, start: int, end: int) -> None:
    """Select article characters [start, end) with a mouse drag, as a person does."""
    x1, y1, x2, y2 = pg.evaluate(_RECTS, [start, end])
    pg.mouse.move(x1, y1)
    pg.mouse.down()
    pg.mouse.move(x2, y2, steps=8)
    pg.mouse.up()
    assert pg.evaluate("window.getSelection().toString()") == text[start:end]


def glyphs_differ(pg) -> bool:
    """Two different Chinese characters render differently: a real CJK font, not two tofu boxes."""
    shots = []
    for ch in "纪要":
        pg.evaluate("""ch => { const s = document.createElement('span'); s.id = 'glyph'; s.textContent = ch;
                              s.style.font = '48px sans-serif'; document.body.appendChild(s); }""", ch)
        shots.append(pg.locator("#glyph").screenshot())
        pg.evaluate("() => document.getElementById('glyph').remove()")
    return shots[0] != shots[1]


def saved(pg, revision: int) -> None:
    pg.wait_for_function(f"() => document.getElementById('saved').textContent.includes('saved ✓ revision {revision}')",
                         timeout=10_000)


def _open(pg, url: str, doc: str) -> None:
    pg.goto(f"{url}#{doc}")
    pg.wait_for_selector("#text mark", state="attached")
    assert doc in pg.inner_text("#pos")


def test_correct_by_selection_add_a_person_delete_a_slogan_and_save(extracted, tmp_path):
    sync_api = _playwright()
    arts, recs = extracted
    text = (arts / f"{SEED}.txt").read_text("utf-8")
    wrong = _with_errors(recs[SEED], text)
    root = _folder(tmp_path, arts, [wrong, recs["hostile"]])
    served = _Served(root)
    try:
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = b.new_page(viewport={"width": 1400, "height": 900})
            _open(pg, served.url, SEED)
            if not glyphs_differ(pg):
                pytest.skip("Chromium has no CJK font here (fonts-noto-cjk): Chinese would show as boxes")
            assert pg.inner_text("#progress") == "0 of 2 reviewed"
            # correct: focus the title cut short, select the right text, press c
            pg.locator("#record").get_by_text("副书记", exact=True).click()
            s = text.index("市委副書記、市長何樹平")
            select(pg, text, s, s + 5)
            pg.keyboard.press("c")
            saved(pg, 1)
            assert pg.locator(".chip.st-corrected", has_text="市委副书记").count() == 1
            # add the missed person: select the name, p; then the title before it, t (for the person in focus)
            s = text.index("市委副書記李國貴")
            select(pg, text, s + 5, s + 8)
            pg.keyboard.press("p")
            saved(pg, 2)
            select(pg, text, s, s + 5)
            pg.keyboard.press("t")
            saved(pg, 3)
            # delete the spurious slogan
            pg.locator("#record").get_by_text("五一", exact=True).click()
            pg.keyboard.press("x")
            saved(pg, 4)
            # done: the rest accepted, the gold written, the next article opened
            pg.keyboard.press("Enter")
            pg.wait_for_function("() => document.getElementById('progress').textContent === '1 of 2 reviewed'")
            b.close()
    finally:
        served.close()
    got = (root / "gold" / f"{SEED}.json").read_text("utf-8")
    assert got == (GOLD / f"{SEED}.json").read_text("utf-8")  # the expected JSON, byte for byte
    # and it scores 1.00 against a record with the same corrections made
    fixed = json.loads(json.dumps(wrong))
    fixed["people"][1]["titles"][0] = "市委副书记"
    fixed["people"].append({"name": "李国贵", "titles": ["市委副书记"], "roles": []})
    fixed["slogans"].remove("五一")
    assert micro_f1({SEED: score_article(json.loads(got), fixed)}, FIELDS) == 1.0
    decisions = [json.loads(x)["decision"] for x in (root / "review.jsonl").read_text("utf-8").splitlines()]
    assert decisions == ["correct", "add", "add", "delete", "done"]


def test_hostile_article_text_is_shown_as_text_and_never_runs(extracted, tmp_path):
    sync_api = _playwright()
    arts, recs = extracted
    root = _folder(tmp_path, arts, [recs["hostile"]])
    served = _Served(root)
    try:
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = b.new_page(viewport={"width": 1400, "height": 900})
            dialogs, violations = [], []
            pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            _open(pg, served.url, "hostile")
            shown = pg.inner_text("#text")
            assert "<script>window.__pwned = 1; alert('script ran')</script>" in shown
            assert "<img src=x onerror=" in shown
            # the right-to-left override is shown by name and kept inside its own box
            assert pg.locator('#text .ctl[data-cp="U+202E"]').count() == 1
            # a value typed by the reviewer is text too
            pg.locator('[data-key="+meeting.venue"]').click()
            pg.keyboard.press("e")
            pg.fill("#editor-input", "<img src=y onerror=alert('typed')>")
            pg.keyboard.press("Enter")
            saved(pg, 1)
            assert pg.locator(".chip", has_text="<img src=y onerror=alert('typed')>").count() == 1
            pg.wait_for_timeout(300)
            assert pg.evaluate("window.__pwned") is None and dialogs == []
            # nothing from the article became an element: the text holds only marks and spans of text
            assert pg.evaluate("document.querySelectorAll('#text *:not(mark):not(span)').length") == 0
            assert pg.evaluate("document.querySelectorAll('img, script:not([src^=\"/review\"])').length") == 0
            b.close()
    finally:
        served.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(root: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "jiyao", "review", str(root), "--port", str(port), "--reviewer", "t"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/list", timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode())
            time.sleep(0.1)
    raise AssertionError("jiyao review did not start")


def test_killing_the_server_mid_review_loses_no_saved_decision(extracted, tmp_path):
    sync_api = _playwright()
    arts, recs = extracted
    root = _folder(tmp_path, arts, [recs[SEED], recs["hostile"]])
    port = _free_port()
    proc = _start(root, port)
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = b.new_page(viewport={"width": 1400, "height": 900})
            _open(pg, url, SEED)
            pending = int(pg.inner_text("#pending").split()[0])
            for n in (1, 2, 3):
                pg.keyboard.press("a")
                saved(pg, n)
            proc.kill()  # SIGKILL: no chance to flush or clean up
            proc.wait()
            pg.keyboard.press("x")
            pg.wait_for_function("() => document.getElementById('saved').textContent.includes('NOT SAVED')")
            assert "not recorded" in pg.inner_text("#message")
            proc = _start(root, port)  # the reviewer starts it again and reloads
            pg.reload()
            pg.wait_for_selector("#text mark", state="attached")
            assert "revision 3" in pg.inner_text("#saved")
            assert pg.locator(".chip.st-accepted").count() == 3
            assert int(pg.inner_text("#pending").split()[0]) == pending - 3
            pg.keyboard.press("Enter")
            pg.wait_for_function("() => document.getElementById('progress').textContent === '1 of 2 reviewed'")
            b.close()
    finally:
        proc.kill()
        proc.wait()
    journal = [json.loads(x) for x in (root / "review.jsonl").read_text("utf-8").splitlines()]
    assert [j["decision"] for j in journal] == ["accept", "accept", "accept", "done"]
    assert json.loads((root / "gold" / f"{SEED}.json").read_text("utf-8")) == json.loads((GOLD / f"{SEED}.json").read_text("utf-8"))


def test_two_tabs_on_one_article_never_overwrite_each_other(extracted, tmp_path):
    sync_api = _playwright()
    arts, recs = extracted
    root = _folder(tmp_path, arts, [recs[SEED]])
    served = _Served(root)
    try:
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            a, bb = b.new_page(), b.new_page()
            _open(a, served.url, SEED)
            _open(bb, served.url, SEED)
            focus = a.locator(".chip.focus").get_attribute("data-key")
            a.keyboard.press("a")  # tab A accepts the headline
            saved(a, 1)
            bb.keyboard.press("x")  # tab B, still on revision 0, deletes it: refused
            bb.wait_for_function("() => !document.getElementById('message').hidden")
            assert "changed elsewhere" in bb.inner_text("#message") and "revision 1" in bb.inner_text("#message")
            # B now shows the saved state: A's decision, and the value B wanted gone still there
            assert bb.locator(f'.chip.st-accepted[data-key="{focus}"]').count() == 1
            state = json.loads((root / "drafts" / f"{SEED}.json").read_text("utf-8"))
            assert state["draft"]["revision"] == 1
            headline = state["draft"]["fields"]["headline"]
            assert headline and headline[0]["state"] == "accepted"
            bb.locator(f'[data-key="{focus}"]').click()
            bb.keyboard.press("x")  # decided again on the current state: saved
            saved(bb, 2)
            a.keyboard.press("j")
            a.keyboard.press("a")  # A is stale now: refused, and shown B's deletion
            a.wait_for_function("() => !document.getElementById('message').hidden")
            assert a.locator(f'[data-key="{focus}"]').count() == 0
            b.close()
    finally:
        served.close()
    state = json.loads((root / "drafts" / f"{SEED}.json").read_text("utf-8"))
    assert state["draft"]["revision"] == 2 and state["draft"]["fields"]["headline"] == []
    assert len((root / "review.jsonl").read_text("utf-8").splitlines()) == 2
