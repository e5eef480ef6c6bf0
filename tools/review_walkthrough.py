"""How long gold takes by reviewing: a scripted reviewer works through the 5 bundled examples in a
real (headless) Chromium, pressing the keys and making the mouse selections a person makes, and
every keystroke, selection and click is counted. Hand-writing the same gold JSON is estimated
from the gold files themselves. The reviewed gold must equal evals/gold byte for byte, or the run
fails.

Two reviews:
- check: the offline records (right on every value of these five) are checked value by value:
  `a` on each value, Enter per article.
- fix: the same records with three mistakes per article a reviewer must fix: the first person's
  first title cut short (select the right text, `c`), the last person missed (select the name, `p`;
  each title, `t`; roles 1/2), a spurious slogan (`x`); everything else accepted with `a`.

    .venv/bin/python tools/review_walkthrough.py [--screenshot docs/review.png] [--out benchmarks/results/review-time]

Human time is estimated with the keystroke-level model (Card, Moran and Newell): K = 0.28 s a
keystroke (an average typist), a mouse selection = point + press + point + release = 2.4 s,
M = 1.35 s to decide each value. Reading the article is the same for both ways and left out.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jiyao.read.inputs import iter_items  # noqa: E402
from jiyao.review import folder, sample  # noqa: E402
from jiyao.review.server import ReviewServer  # noqa: E402
from jiyao.review.store import Store  # noqa: E402

SEEDS, GOLD = ROOT / "examples" / "articles", ROOT / "evals" / "gold"
CHROMIUM = "/usr/bin/chromium"
K, DRAG, M = 0.28, 2.4, 1.35  # seconds: a keystroke, a mouse selection, a decision (KLM)
IME_KEYS_PER_HANZI = 3.5  # full pinyin: about 3 letters a syllable, plus choosing the candidate
PASTE_KEYS = 6  # Ctrl+C, Alt+Tab, Ctrl+V: a copied value costs a selection and six keys


def extract(articles: Path, out: Path) -> list[dict]:
    from typer.testing import CliRunner

    from jiyao.cli.main import app

    r = CliRunner().invoke(app, ["-q", "extract", str(articles), "-o", str(out), "--backend", "offline"])
    assert r.exit_code == 0, r.output
    return [json.loads(x) for x in out.read_text("utf-8").splitlines() if x.strip()]


def with_mistakes(rec: dict) -> tuple[dict, dict]:
    """(record with three mistakes, what the reviewer must do about them)."""
    rec = json.loads(json.dumps(rec))
    ev = rec["evidence"]
    todo = {}
    p0 = rec["people"][0]
    if p0["titles"] and len(p0["titles"][0]) >= 3:
        s, e = ev["/people/0/titles/0"]
        todo["cut"] = {"wrong": p0["titles"][0][2:], "span": [s, e]}
        p0["titles"][0] = p0["titles"][0][2:]
        ev["/people/0/titles/0"] = [s + 2, e]
    i = len(rec["people"]) - 1
    gone = rec["people"].pop()
    todo["missed"] = {"name": ev[f"/people/{i}/name"], "titles": [ev[f"/people/{i}/titles/{j}"] for j in range(len(gone["titles"]))],
                      "roles": gone["roles"]}
    for k in [k for k in ev if k.startswith(f"/people/{i}/")]:
        del ev[k]
    s = ev["/headline"][0] if "/headline" in ev else ev["/meeting/name"][0]
    wrong = (rec["headline"] or rec["meeting"]["name"])[:4]
    ev[f"/slogans/{len(rec['slogans'])}"] = [s, s + 4]
    rec["slogans"].append(wrong)
    todo["spurious"] = wrong
    return rec, todo


class Person:
    """Presses keys and drags the mouse like a reviewer, and counts both."""

    def __init__(self, pg, text: str):
        self.pg, self.text = pg, text
        self.keys = self.drags = self.clicks = 0

    def idle(self):
        self.pg.wait_for_selector('body[data-busy="0"]', state="attached", timeout=10_000)

    def press(self, key: str):
        self.pg.keyboard.press(key)
        self.keys += 1
        self.idle()

    def select(self, span):
        s, e = span
        x1, y1, x2, y2 = self.pg.evaluate(RECTS, [s, e])
        self.pg.mouse.move(x1, y1)
        self.pg.mouse.down()
        self.pg.mouse.move(x2, y2, steps=6)
        self.pg.mouse.up()
        self.drags += 1
        got = self.pg.evaluate("window.getSelection().toString()")
        assert got == self.text[s:e], (got, self.text[s:e])

    def focused(self) -> dict | None:
        return self.pg.evaluate("""() => { const c = document.querySelector('.chip.focus');
            return c ? {key: c.dataset.key, text: c.firstChild ? c.firstChild.textContent : '',
                        pending: c.classList.contains('st-pending')} : null; }""")


RECTS = """([s, e]) => {
  const pre = document.getElementById('text');
  function at(k) {
    const w = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let n = 0, node;
    while ((node = w.nextNode())) {
      const cps = Array.from(node.data);
      if (k < n + cps.length) return [node, cps.slice(0, k - n).join('').length];
      n += cps.length;
    }
  }
  const [sn, so] = at(s), [en, eo] = at(e - 1);
  sn.parentElement.scrollIntoView({block: 'center'});
  const r1 = document.createRange(); r1.setStart(sn, so); r1.setEnd(sn, so + 1);
  const r2 = document.createRange(); r2.setStart(en, eo); r2.setEnd(en, eo + 1);
  const a = r1.getBoundingClientRect(), b = r2.getBoundingClientRect();
  return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
}"""


def review_article(who: Person, todo: dict | None, shot: Path | None) -> None:
    """Value by value: accept, or fix the planted mistake when the focus reaches it; then add the
    missed person; then Enter."""
    for _ in range(500):
        f = who.focused()
        if f is None or who.pg.locator("#record .chip.st-pending").count() == 0:
            break
        if not f["pending"]:
            who.press("a")  # on to the next value to check
        elif todo and "cut" in todo and f["text"] == todo["cut"]["wrong"]:
            who.select(todo["cut"]["span"])
            who.press("c")
        elif todo and f["text"] == todo["spurious"]:
            who.press("x")
        else:
            who.press("a")
    if todo:
        m = todo["missed"]
        who.select(m["name"])
        if shot is not None:
            who.pg.screenshot(path=str(shot))
        who.press("p")
        for span in m["titles"]:
            who.select(span)
            who.press("t")
        for role in m["roles"]:
            who.press("1" if role == "chair" else "2")
    who.press("Enter")


def run(review: Path, texts: dict[str, str], todos: dict[str, dict] | None, shot: Path | None) -> dict:
    from playwright.sync_api import sync_playwright

    store = Store(review, "walkthrough")
    srv = ReviewServer(store, 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    per = {}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            pg = b.new_page(viewport={"width": 1440, "height": 900})
            pg.goto(srv.url)
            for doc in store.order:
                pg.wait_for_function("d => document.getElementById('pos').textContent.includes(d)", arg=doc)
                pg.wait_for_selector('body[data-busy="0"]', state="attached")
                who = Person(pg, texts[doc])
                t0 = time.perf_counter()
                review_article(who, todos and todos[doc], shot if doc.startswith("000") else None)
                per[doc] = {"keys": who.keys, "drags": who.drags, "clicks": who.clicks,
                            "machine_s": round(time.perf_counter() - t0, 2)}
            assert pg.inner_text("#progress") == f"{len(store.order)} of {len(store.order)} reviewed"
            b.close()
    finally:
        srv.shutdown()
        srv.server_close()
        store.close()
    for g in GOLD.glob("*.json"):  # the review must have produced exactly the gold
        got, want = (review / "gold" / g.name).read_text("utf-8"), g.read_text("utf-8")
        if got != want:
            import difflib
            sys.exit(f"{g.name}: the review did not give the gold:\n" + "".join(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "evals/gold", "reviewed")))
    return per


def by_hand(gold: dict) -> dict:
    """What writing this gold file by hand takes: its values, the characters typed, two ways."""
    vals = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k not in ("schema_version", "doc_id", "admin_code"):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            vals.append(x)

    walk(gold)
    people = len(gold.get("people") or [])
    items = sum(len(gold["source"][k]) for k in ("reporters", "photographers", "editors")) + \
        len(gold["upstream_meetings"]) + len(gold["slogans"]) + sum(len(p["titles"]) + len(p["roles"]) for p in gold["people"])
    hanzi = sum(sum(1 for c in v if ord(c) > 0x2e80) for v in vals)
    ascii_chars = sum(sum(1 for c in v if ord(c) <= 0x2e80) for v in vals)
    # JSON around the values, starting from a template with every key: "", per list item and a
    # person skeleton {"name": "", "titles": [], "roles": []}, (35 characters) per person
    syntax = 3 * items + 35 * people + 2 * len(vals)
    typed = round(hanzi * IME_KEYS_PER_HANZI + ascii_chars + syntax)
    pasted_keys = len(vals) * PASTE_KEYS + ascii_chars + syntax
    return {"values": len(vals), "hanzi": hanzi, "typed_keys": typed, "paste_keys": pasted_keys, "paste_drags": len(vals),
            "typed_s": round(typed * K + len(vals) * M), "paste_s": round(pasted_keys * K + len(vals) * (DRAG + M))}


def klm(r: dict, decisions: int) -> float:
    return round(r["keys"] * K + r["drags"] * DRAG + decisions * M, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "review-time")
    ap.add_argument("--screenshot", type=Path, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jiyao-walk-"))
    try:
        recs = {r["doc_id"]: r for r in extract(SEEDS, tmp / "records.jsonl")}
        texts = {p.stem: p.read_text("utf-8") for p in SEEDS.glob("*.txt")}
        results = {}
        for name in ("check", "fix"):
            todos = None
            use = list(recs.values())
            if name == "fix":
                pairs = {d: with_mistakes(r) for d, r in recs.items()}
                use, todos = [p[0] for p in pairs.values()], {d: p[1] for d, p in pairs.items()}
            rp = tmp / f"{name}.jsonl"
            rp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in use), "utf-8")
            review = tmp / f"review-{name}"
            folder.write(sample.draw(iter_items([SEEDS]), 5, seed=1), review, records=rp)
            results[name] = run(review, texts, todos, args.screenshot if name == "fix" else None)
        hand = {g.stem: by_hand(json.loads(g.read_text("utf-8"))) for g in sorted(GOLD.glob("*.json"))}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = []
    for doc in sorted(hand):
        h = hand[doc]
        c, f = results["check"][doc], results["fix"][doc]
        rows.append({"doc_id": doc, **h, "check": {**c, "klm_s": klm(c, h["values"])}, "fix": {**f, "klm_s": klm(f, h["values"])}})
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "review-time.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    (args.out / "review-time.md").write_text(markdown(rows), "utf-8")
    print(markdown(rows))


def markdown(rows: list[dict]) -> str:
    out = ["| article | values | hanzi | check: keys · selections · est. | fix: keys · selections · est. · scripted run | "
           "by hand, typed: keys · est. | by hand, pasted: keys · selections · est. |", "|---|---|---|---|---|---|---|"]
    tot = {k: 0.0 for k in ("values", "hanzi", "ck", "cs", "fk", "fd", "fs", "fm", "tk", "ts", "pk", "pd", "ps")}
    for r in rows:
        c, f = r["check"], r["fix"]
        out.append(f"| {r['doc_id'][:3]} | {r['values']} | {r['hanzi']} | {c['keys']} · {c['drags']} · {c['klm_s']:.0f} s | "
                   f"{f['keys']} · {f['drags']} · {f['klm_s']:.0f} s · {f['machine_s']} s | {r['typed_keys']} · {r['typed_s']} s | "
                   f"{r['paste_keys']} · {r['paste_drags']} · {r['paste_s']} s |")
        for k, v in (("values", r["values"]), ("hanzi", r["hanzi"]), ("ck", c["keys"]), ("cs", c["klm_s"]), ("fk", f["keys"]),
                     ("fd", f["drags"]), ("fs", f["klm_s"]), ("fm", f["machine_s"]), ("tk", r["typed_keys"]), ("ts", r["typed_s"]),
                     ("pk", r["paste_keys"]), ("pd", r["paste_drags"]), ("ps", r["paste_s"])):
            tot[k] += v
    n = len(rows)
    out.append(f"| **per article** | {tot['values'] / n:.0f} | {tot['hanzi'] / n:.0f} | {tot['ck'] / n:.0f} · 0 · {tot['cs'] / n:.0f} s | "
               f"{tot['fk'] / n:.0f} · {tot['fd'] / n:.1f} · {tot['fs'] / n:.0f} s · {tot['fm'] / n:.1f} s | "
               f"{tot['tk'] / n:.0f} · {tot['ts'] / n:.0f} s | {tot['pk'] / n:.0f} · {tot['pd'] / n:.0f} · {tot['ps'] / n:.0f} s |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
