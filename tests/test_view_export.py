"""Issue 12: the span viewer (in a real headless browser), the analysis tables, people across
articles, and the eval as a gate."""
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.view.people import Mention, resolve
from jiyao.schema import evidence_spans
from jiyao.view.values import values

from helpers import GOLD, ROOT, SEEDS

HOSTILE = "县委召开安全生产工作会议\n<script>window.__pwned = 1</script>3月2日上午,县委书记王大明主持会议并讲话。副县长李小红出席会议。\n"
# a meeting SPEC names by composing two places of the text: 区委常委会 + 会议 around 召开
COMPOSED = "区委常委会召开会议\n3月5日上午,区委常委会召开会议。区委书记赵德明主持会议并讲话。\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Seeds plus a hostile article, extracted offline once for every test here."""
    d = tmp_path_factory.mktemp("view")
    arts = d / "articles"
    shutil.copytree(SEEDS, arts)
    (arts / "hostile.txt").write_text(HOSTILE, "utf-8")
    (arts / "composed.txt").write_text(COMPOSED, "utf-8")
    out = d / "records.jsonl"
    r = CliRunner().invoke(app, ["extract", str(arts), "-o", str(out), "--backend", "offline"])
    assert r.exit_code == 0, r.output
    return d, arts, out


def _records(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def test_view_writes_escaped_self_contained_page(run):
    d, arts, out = run
    page = d / "view.html"
    r = CliRunner().invoke(app, ["view", str(out), "--articles", str(arts), "--gold", str(GOLD), "-o", str(page)])
    assert r.exit_code == 0, r.output
    html = page.read_text("utf-8")
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned" in html
    assert "http://" not in html and "https://" not in html  # nothing loaded from the network
    recs = _records(out)
    n_spans = sum(len(v.spans) for rec in recs for v in values(rec))
    assert html.count('data-ref="v') >= n_spans  # every evidence span is a highlighted mark
    # a composed name is highlighted at both its parts, each mark naming the one value
    rec = next(r for r in recs if r["doc_id"] == "composed")
    i, name = next((i, v) for i, v in enumerate(values(rec)) if v.pointer == "/meeting/name")
    assert len(name.spans) == 2
    section = html[html.index("data-doc='composed'"):]
    section = section[:section.index("</section>")]
    marks = [m for m in section.split("<mark")[1:] if f"v{i}" in m.split(">", 1)[0].split("data-ref=")[1].split('"')[1].split()]
    assert [m.split(">", 1)[1].split("<", 1)[0] for m in marks] == ["区委常委会", "会议"]


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    return chromium, sync_api


def test_view_in_headless_chromium_click_links_value_and_span(run):
    chromium, sync_api = _browser()
    d, arts, out = run
    page_path = d / "view_browser.html"
    CliRunner().invoke(app, ["view", str(out), "--articles", str(arts), "--gold", str(GOLD), "-o", str(page_path)])
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=args)
        pg = b.new_page()
        pg.goto(page_path.as_uri())
        sec = "section:not([hidden])"
        assert pg.locator(f"{sec} pre.text mark").count() > 10  # spans present
        # click a person's name in the record: its span in the text lights up
        value = pg.locator(f"{sec} .val.f-name").first
        ref = value.get_attribute("data-ref")
        value.click()
        lit = pg.locator(f"{sec} pre.text mark.active")
        assert lit.count() >= 1 and ref in lit.first.get_attribute("data-ref").split()
        assert all(ref in m.split() for m in lit.evaluate_all("els => els.map(e => e.dataset.ref)"))
        # hovering another value previews its spans but never moves the clicked one
        other = pg.locator(f"{sec} .val:not(.f-missed)").nth(3)
        other.hover()
        assert pg.locator(f"{sec} .val.hover").count() >= 1
        assert all(ref in m.split() for m in lit.evaluate_all("els => els.map(e => e.dataset.ref)"))
        # and back: clicking a span lights up its value in the record
        pg.locator(f"{sec} pre.text mark.f-slogan").first.click()
        assert pg.locator(f"{sec} .val.f-slogan.active").count() >= 1
        # step to the hostile article: its <script> is text, never run
        for _ in range(10):
            if pg.locator(sec).get_attribute("data-doc") == "hostile":
                break
            pg.click("#next")
        assert pg.locator(sec).get_attribute("data-doc") == "hostile"
        assert "<script>window.__pwned = 1</script>" in pg.locator(f"{sec} pre.text").inner_text()
        assert pg.evaluate("window.__pwned") is None
        # the gold filter hides articles with nothing to compare (hostile has no gold), and brings them back
        hostile_li = pg.locator("nav li", has_text="hostile")
        pg.check("#only-diff")
        assert hostile_li.is_hidden()
        pg.uncheck("#only-diff")
        assert hostile_li.is_visible()
        b.close()


def test_export_round_trip_and_duckdb_joins(run, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    _, arts, out = run
    recs = _records(out)
    for fmt in ("csv", "parquet", "duckdb"):
        r = CliRunner().invoke(app, ["export", str(out), "-o", str(tmp_path / fmt), "--format", fmt, "--articles", str(arts)])
        assert r.exit_code == 0, r.output
    con = duckdb.connect(str(tmp_path / "duckdb" / "jiyao.duckdb"), read_only=True)
    # every evidence span of the JSONL is a row, with the original characters
    rows = set(con.execute("select doc_id, field_path, part, start, \"end\" from evidence").fetchall())
    want = {(rec["doc_id"], p, k, s, e) for rec in recs for p, entry in rec["evidence"].items()
            for k, (s, e) in enumerate(evidence_spans(entry))}
    assert rows == want
    # a composed value: one row per part, in the order the value joins them
    parts = con.execute("select text from evidence where doc_id = 'composed' and field_path = '/meeting/name' "
                        "order by part").fetchall()
    assert [t for (t,) in parts] == ["区委常委会", "会议"]
    # every value: people (names, titles, roles), upstream meetings, slogans, meeting fields
    got_people = {(d, n, tuple(t), tuple(r)) for d, n, t, r in con.execute("select doc_id, name, titles, roles from participants").fetchall()}
    assert got_people == {(rec["doc_id"], p["name"], tuple(p["titles"]), tuple(p["roles"])) for rec in recs for p in rec["people"]}
    assert sorted(con.execute("select doc_id, slogan from slogans order by doc_id, \"order\"").fetchall()) == \
        sorted((rec["doc_id"], s) for rec in recs for s in rec["slogans"])
    assert len(con.execute("select * from upstream_meetings").fetchall()) == sum(len(r["upstream_meetings"]) for r in recs)
    names = dict(con.execute("select doc_id, name from meetings").fetchall())
    assert names == {r["doc_id"]: (r["meeting"] or {}).get("name") for r in recs}
    # joins an analyst writes: participants → meetings → people
    joined = con.execute("""select p.name, m.region, pe.meetings_attended from participants p
        join meetings m using (doc_id) join people pe using (person_id)""").fetchall()
    assert len(joined) == sum(len(r["people"]) for r in recs)
    text = con.execute("select text from evidence where field_path = '/meeting/name' and doc_id like '000%'").fetchone()[0]
    assert "五一" in text
    # parquet and csv carry the same rows
    import pyarrow.parquet as pq
    assert pq.read_table(tmp_path / "parquet" / "participants.parquet").num_rows == len(got_people)
    header = (tmp_path / "csv" / "participants.csv").read_text("utf-8").splitlines()[0]
    assert header == "doc_id,person_id,name,titles,roles,order"


def test_person_resolution_on_labelled_pairs():
    ms = [json.loads(x) for x in (ROOT / "evals" / "people_pairs" / "mentions.jsonl").read_text("utf-8").splitlines() if x.strip()]
    people = resolve([Mention(m["doc_id"], 0, m["name"], m["titles"], m["region"], m["admin_code"], m["date"]) for m in ms])
    pid = {m.doc_id: p.person_id for p in people for m in p.mentions}
    tp = fp = fn = 0
    for i, a in enumerate(ms):
        for b in ms[i + 1:]:
            if a["name"] != b["name"]:
                continue
            same, pred = a["truth"] == b["truth"], pid[a["doc_id"]] == pid[b["doc_id"]]
            tp, fp, fn = tp + (same and pred), fp + (pred and not same), fn + (same and not pred)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"person resolution: pairs {tp + fp + fn}, precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.95 and recall >= 0.9
    # the two 张伟 of different districts stay apart; a promoted official stays one person
    assert pid["a01"] == pid["a02"] != pid["a04"]


def test_eval_gate_and_provenance(run, tmp_path):
    _, arts, out = run
    ok = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(out), "--fail-under", "0.5",
                                  "--fail-under", "people.name=0.5", "--report", str(tmp_path / "rep"), "--articles", str(arts)])
    assert ok.exit_code == 0, ok.output
    rep = json.loads((tmp_path / "rep" / "report.json").read_text("utf-8"))
    s = rep["systems"][0]
    assert s["provenance"]["backend"] == {"offline": 5} and s["n_gold_missing"] == 0
    assert "jiyao_version" in rep and (tmp_path / "rep" / "view.html").is_file()
    assert "view.html#" in (tmp_path / "rep" / "report.html").read_text("utf-8")
    # a gold article without a prediction is counted, and the gate fails on the field
    partial = tmp_path / "partial.jsonl"
    partial.write_text("\n".join(out.read_text("utf-8").splitlines()[1:]) + "\n", "utf-8")
    bad = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(partial), "--fail-under", "people.name=0.99"])
    assert bad.exit_code == 1 and "people.name" in bad.output
    assert CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--pred", str(out), "--fail-under", "nope=1"]).exit_code == 2


def test_schema_command_prints_the_record_json_schema():
    r = CliRunner().invoke(app, ["schema"])
    schema = json.loads(r.output)
    assert r.exit_code == 0 and {"doc_id", "people", "meeting", "evidence"} <= set(schema["properties"])
