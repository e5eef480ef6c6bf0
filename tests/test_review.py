"""Issue 19 without a browser: drawing a sample, decisions on a draft, the review folder on disk
(atomic saves, stale revisions refused, undo, resume, one server per folder), and the loop back
into jiyao eval and jiyao calibrate. The browser tests are in test_review_browser.py."""
import json
import random
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.eval.score import FIELDS, micro_f1, score_set
from jiyao.read.inputs import Item, iter_items
from jiyao.review.decisions import DecisionError
from jiyao.review import folder, sample
from jiyao.review.store import Stale, Store, ReviewError

from helpers import GOLD, SEEDS

ARTICLE = "县委召开安全生产工作会议\n3月2日上午,縣委書記王大明主持会议并讲话,强调要守住“安全第一”底线。副县长李小红出席会议。\n"


def _review(tmp_path: Path, articles: Path, records: list[dict] | None = None, n: int = 50) -> Path:
    """A review folder drawn from ARTICLES (every article), with RECORDS to pre-fill it."""
    out = tmp_path / "review"
    rec_path = None
    if records is not None:
        rec_path = tmp_path / "records.jsonl"
        rec_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    folder.write(sample.draw(iter_items([articles]), n, seed=1), out, records=rec_path)
    return out


def _gold_records() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(GOLD.glob("*.json"))]


def test_accepting_every_value_writes_gold_byte_for_byte_as_evals_gold(tmp_path):
    """The gold a review writes is SPEC form exactly: records equal to evals/gold, accepted, give
    the same files, byte for byte (no evidence, same key order, same indentation)."""
    root = _review(tmp_path, SEEDS, _gold_records())
    store = Store(root, "tester")
    for doc in store.order:
        st = store.state(doc)
        assert st["pending"] > 0
        store.decide(doc, st["draft"]["revision"], {"op": "done"})
    store.close()
    for p in sorted(GOLD.glob("*.json")):
        assert (root / "gold" / p.name).read_text("utf-8") == p.read_text("utf-8")
    journal = [json.loads(x) for x in (root / "review.jsonl").read_text("utf-8").splitlines()]
    assert [j["decision"] for j in journal] == ["done"] * 5 and all(j["reviewer"] == "tester" and j["time"] for j in journal)


def _one(tmp_path, record: dict | None = None, text: str = ARTICLE) -> tuple[Store, str, str]:
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "x.txt").write_text(text, "utf-8")
    root = _review(tmp_path, arts, [record] if record else None)
    store = Store(root, "tester")
    return store, "x", text


def test_decisions_correct_add_delete_roles_and_no_meeting(tmp_path):
    t = ARTICLE
    record = {"schema_version": "1", "doc_id": "x", "headline": "县委召开安全生产工作会议",
              "meeting": {"name": "安全生产工作会议", "date": "--03-02"},
              "people": [{"name": "王大", "titles": ["县委书记"], "roles": ["chair"]}],
              "slogans": ["安全第一", "底线"],
              # one span, and a composed value's list of spans: both shapes are read
              "evidence": {"/people/0/name": [t.index("王大明"), t.index("王大明") + 2],
                           "/slogans/0": [[t.index("安全第一"), t.index("安全第一") + 2], [t.index("第一"), t.index("第一") + 2]]}}
    store, doc, text = _one(tmp_path, record)
    d = store.state(doc)["draft"]
    assert d["people"][0]["name"]["spans"] == [[t.index("王大明"), t.index("王大明") + 2]]
    assert len(d["fields"]["slogans"][0]["spans"]) == 2
    rev = d["revision"]

    def go(op):
        nonlocal rev
        st = store.decide(doc, rev, op)
        rev = st["draft"]["revision"]
        return st

    p0 = d["people"][0]
    # correct a name by a selection written in traditional script: the value is SPEC-normalised
    s = text.index("縣委書記王大明") + 4
    go({"op": "correct", "id": p0["name"]["id"], "start": s, "end": s + 3})
    # add a missed person and their title
    s = text.index("李小红")
    st = go({"op": "add", "field": "people.name", "start": s - 1, "end": s + 3})  # a slip of the mouse: 长李小红
    assert st["draft"]["people"][1]["name"]["value"] == "长李小红"
    assert len(go({"op": "undo"})["draft"]["people"]) == 1  # undo takes it back
    st = go({"op": "add", "field": "people.name", "start": s, "end": s + 3})
    pid = st["draft"]["people"][1]["id"]
    s = text.index("副县长")
    go({"op": "add", "field": "people.titles", "person": pid, "start": s, "end": s + 3})
    go({"op": "roles", "person": p0["id"], "roles": ["speaker", "chair"]})
    # delete a spurious slogan; a selection with its quotes becomes the bare term
    go({"op": "delete", "id": d["fields"]["slogans"][1]["id"]})
    q = text.index("“安全第一”")
    with pytest.raises(DecisionError, match="already holds"):
        go({"op": "add", "field": "slogans", "start": q, "end": q + 6})
    # a date from its selection; a typed date that is no SPEC date is refused
    s = text.index("3月2日")
    go({"op": "correct", "id": d["fields"]["meeting.date"][0]["id"], "start": s, "end": s + 4})
    with pytest.raises(DecisionError):
        go({"op": "add", "field": "meeting.date", "text": "next Tuesday"})
    go({"op": "add", "field": "meeting.time_of_day", "text": "上午"})
    st = go({"op": "done"})
    gold = json.loads((store.root / "gold" / "x.json").read_text("utf-8"))
    assert gold["people"] == [{"name": "王大明", "titles": ["县委书记"], "roles": ["chair", "speaker"]},
                              {"name": "李小红", "titles": ["副县长"], "roles": []}]
    assert gold["slogans"] == ["安全第一"] and gold["meeting"]["date"] == "--03-02" and gold["meeting"]["time_of_day"] == "上午"
    assert "evidence" not in gold and st["progress"] == {"reviewed": 1, "total": 1}
    # no meeting: meeting null and no people (SPEC), slogans kept; undo brings everything back
    go({"op": "no_meeting", "on": True})
    gold = json.loads((store.root / "gold" / "x.json").read_text("utf-8"))
    assert gold["meeting"] is None and gold["people"] == [] and gold["slogans"] == ["安全第一"]
    go({"op": "undo"})
    assert json.loads((store.root / "gold" / "x.json").read_text("utf-8"))["people"][1]["name"] == "李小红"
    # undoing "done" takes the article out of the gold folder (a half-reviewed article is no gold)
    while store.state(doc)["can_undo"] and store.state(doc)["draft"]["reviewed"]:
        go({"op": "undo"})
    assert not (store.root / "gold" / "x.json").exists()


def test_a_stale_revision_is_refused_and_changes_nothing(tmp_path):
    store, doc, _ = _one(tmp_path, {"schema_version": "1", "doc_id": "x", "slogans": ["安全第一"]})
    d = store.state(doc)["draft"]
    cid = d["fields"]["slogans"][0]["id"]
    store.decide(doc, 0, {"op": "accept", "id": cid})  # tab A
    with pytest.raises(Stale) as info:  # tab B still shows revision 0
        store.decide(doc, 0, {"op": "delete", "id": cid})
    assert info.value.state["draft"]["revision"] == 1
    assert store.state(doc)["draft"]["fields"]["slogans"][0]["state"] == "accepted"
    lines = (store.root / "review.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 1


def test_concurrent_decisions_on_one_article_never_lose_or_merge(tmp_path):
    """Many threads deciding on the revision they saw: each accepted decision is one revision,
    the others are refused; the saved draft is always whole JSON."""
    store, doc, _ = _one(tmp_path, {"schema_version": "1", "doc_id": "x", "slogans": [f"口号{i}" for i in range(20)]})
    ids = [c["id"] for c in store.state(doc)["draft"]["fields"]["slogans"]]
    ok, stale = [], []

    def worker(cid):
        for _ in range(50):
            base = store.state(doc)["draft"]["revision"]
            try:
                store.decide(doc, base, {"op": "accept", "id": cid})
                ok.append(cid)
                return
            except Stale:
                stale.append(cid)

    threads = [threading.Thread(target=worker, args=(c,)) for c in ids]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    d = json.loads((store.root / "drafts" / "x.json").read_text("utf-8"))["draft"]
    assert sorted(ok) == sorted(ids) and d["revision"] == len(ids)
    assert all(c["state"] == "accepted" for c in d["fields"]["slogans"])
    assert len((store.root / "review.jsonl").read_text("utf-8").splitlines()) == len(ids)


def test_reopening_resumes_and_a_second_server_is_refused(tmp_path):
    store, doc, _ = _one(tmp_path, {"schema_version": "1", "doc_id": "x", "slogans": ["安全第一"]})
    cid = store.state(doc)["draft"]["fields"]["slogans"][0]["id"]
    store.decide(doc, 0, {"op": "accept", "id": cid})
    with pytest.raises(ReviewError, match="another jiyao review"):
        Store(store.root)
    store.close()  # a killed server's lock goes with it (flock)
    again = Store(store.root)
    st = again.state(doc)
    assert st["draft"]["revision"] == 1 and st["draft"]["fields"]["slogans"][0]["state"] == "accepted" and st["can_undo"] == 1
    again.close()


def test_a_gold_file_out_of_line_with_its_draft_is_repaired_at_start(tmp_path):
    store, doc, _ = _one(tmp_path, {"schema_version": "1", "doc_id": "x", "slogans": ["安全第一"]})
    store.decide(doc, 0, {"op": "done"})
    store.close()
    gold = store.root / "gold" / "x.json"
    gold.unlink()  # as if killed between the draft and the gold write
    (store.root / "gold" / "stray.json").write_text("{}", "utf-8")
    Store(store.root).close()
    assert json.loads(gold.read_text("utf-8"))["slogans"] == ["安全第一"]


def test_records_for_another_version_of_the_file_prefill_without_spans(tmp_path):
    rec = {"schema_version": "1", "doc_id": "x", "slogans": ["安全第一"], "evidence": {"/slogans/0": [40, 44]},
           "origin": {"path": "elsewhere/x.txt", "sha256": "0" * 64}}
    store, doc, _ = _one(tmp_path, rec)
    d = store.state(doc)["draft"]
    assert d["fields"]["slogans"][0]["spans"] == [] and any("another version" in h["text"] for h in d["hints"])


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    for site, n in (("siteA", 12), ("siteB", 3), ("siteC", 1)):
        (corpus / site).mkdir(parents=True)
        for i in range(n):
            (corpus / site / f"a{i}.txt").write_text(f"{site} 第{i}篇" + "文" * (100 if i % 2 else 9000), "utf-8")
    return corpus


def test_random_sample_is_reproducible_from_its_seed(tmp_path):
    corpus = _corpus(tmp_path)
    one = [d.item.key for d in sample.draw(iter_items([corpus]), 5, seed=7)]
    assert one == [d.item.key for d in sample.draw(iter_items([corpus]), 5, seed=7)]
    assert one != [d.item.key for d in sample.draw(iter_items([corpus]), 5, seed=8)]
    assert len(set(one)) == 5


def test_stratified_samples_give_every_folder_and_length_band_a_share(tmp_path):
    corpus = _corpus(tmp_path)
    by_folder = sample.draw(iter_items([corpus]), 4, seed=0, by="folder")
    assert sorted(Path(d.stratum).name for d in by_folder) == ["siteA", "siteA", "siteB", "siteC"]
    by_length = sample.draw(iter_items([corpus]), 4, seed=0, by="length")
    assert len({d.stratum for d in by_length}) == 2
    assert sample.allocate({"a": 10, "b": 1, "c": 1}, 5) == {"a": 3, "b": 1, "c": 1}
    assert sample.allocate({"a": 2}, 5) == {"a": 2}


def test_confidence_sampling_favours_articles_where_rules_and_model_disagreed(tmp_path):
    corpus = _corpus(tmp_path)
    items = list(iter_items([corpus]))
    doubtful = {items[0].key, items[5].key}
    recs = tmp_path / "records.jsonl"
    with open(recs, "w", encoding="utf-8") as f:
        for it in items:
            over = [{"field": "people.name", "value": "甲", "kept": None, "winner": "rules", "reason": "r"}] if it.key in doubtful else []
            f.write(json.dumps({"doc_id": it.doc_id, "origin": {"path": it.key, "sha256": "x"},
                                "diagnostics": {"overrides": over}, "confidence": {"/headline": {"source": "both", "score": 0.95}}},
                               ensure_ascii=False) + "\n")
    doubts = sample.read_doubts(recs)
    hits = sum(d.item.key in doubtful for seed in range(200) for d in sample.draw(items, 3, seed, "confidence", doubts))
    # uniform draws would take each article 3/16 of the time: 2 × 200 × 3/16 = 75
    assert hits > 2 * 75
    drawn = sample.draw(items, 3, 1, "confidence", doubts)
    assert all(d.draw_weight and d.doc_id for d in drawn)
    with pytest.raises(ValueError, match="needs the corpus's records"):
        sample.draw(items, 3, 1, "confidence")


def test_sample_command_copies_files_table_rows_and_their_records(tmp_path):
    corpus = _corpus(tmp_path)
    table = tmp_path / "table.jsonl"
    table.write_text(json.dumps({"id": "row/1", "text": "表格里的文章"}, ensure_ascii=False) + "\n", "utf-8")
    (corpus / "siteB" / "a0.txt").rename(corpus / "siteB" / "a1_dup.txt")
    shutil.copy(corpus / "siteA" / "a1.txt", corpus / "siteB" / "a1.txt")  # same stem in two folders
    out = tmp_path / "rv"
    res = CliRunner().invoke(app, ["sample", str(corpus), str(table), "-n", "100", "-o", str(out), "--seed", "3"])
    assert res.exit_code == 0, res.output
    entries = [json.loads(x) for x in (out / "sample.jsonl").read_text("utf-8").splitlines()]
    assert len(entries) == 17 and len({e["doc_id"] for e in entries}) == 17
    assert any(e["doc_id"].startswith("a1__") for e in entries)
    for e in entries:
        assert (out / e["file"]).is_file()
    row = next(e for e in entries if e["origin"].endswith("#row/1"))
    assert (out / row["file"]).read_text("utf-8") == "表格里的文章"
    res = CliRunner().invoke(app, ["sample", str(corpus), "-n", "2", "-o", str(out)])
    assert res.exit_code == 2 and "already holds a sample" in res.output


def test_eval_and_calibrate_take_the_review_folder(tmp_path):
    """The loop closes: the reviewed folder is a gold folder for eval (its articles the default),
    with the number of articles each field rests on; calibrate takes it too."""
    from fakeserver import FakeServer
    from scripted import docs_of
    from test_agent import _scripted

    root = _review(tmp_path, SEEDS, _gold_records())
    store = Store(root, "tester")
    for doc in store.order[:3]:
        store.decide(doc, 0, {"op": "done"})
    store.close()
    preds = tmp_path / "pred.jsonl"
    preds.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _gold_records()), "utf-8")
    res = CliRunner().invoke(app, ["eval", "--gold", str(root), "--pred", str(preds), "--report", str(tmp_path / "rep")])
    assert res.exit_code == 0, res.output
    rep = json.loads((tmp_path / "rep" / "report.json").read_text("utf-8"))
    assert rep["n_articles"] == 3 and rep["systems"][0]["grounding"] is not None  # articles from the folder
    f = rep["systems"][0]["fields"]
    reviewed = [json.loads(p.read_text("utf-8")) for p in (root / "gold").glob("*.json")]
    assert f["headline"]["n_articles"] == sum(bool(g["headline"]) for g in reviewed)
    assert f["people.name"]["n_articles"] == sum(bool(g["people"]) for g in reviewed) and f["people.name"]["strict"]["f1"] == 1.0
    assert "articles" in res.output and "| articles |" in (tmp_path / "rep" / "report.md").read_text("utf-8")

    docs, gold = docs_of(root / "articles", root / "gold")
    with FakeServer(_scripted("oracle", docs, gold)) as s:
        res = CliRunner().invoke(app, ["calibrate", "--gold", str(root), "-o", str(tmp_path / "pol.json"),
                                       "--model", "scripted", "--base-url", s.base_url, "--mode", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "pol.json").read_text("utf-8"))["measured"]["articles"] == 3


def test_empty_review_folder_is_a_clear_eval_error(tmp_path):
    root = _review(tmp_path, SEEDS)
    preds = tmp_path / "pred.jsonl"
    preds.write_text("", "utf-8")
    res = CliRunner().invoke(app, ["eval", "--gold", str(root), "--pred", str(preds)])
    assert res.exit_code == 2 and "reviewed yet" in res.output


def test_server_headers_host_check_and_decision_header(tmp_path):
    import http.client

    from jiyao.review.server import CSP, ReviewServer

    store, doc, _ = _one(tmp_path, {"schema_version": "1", "doc_id": "x", "slogans": ["安全第一"]})
    srv = ReviewServer(store, 0)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    port = srv.server_address[1]
    try:
        def req(method, path, body=None, headers=None):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()

        status, headers, _ = req("GET", "/")
        assert status == 200 and headers["Content-Security-Policy"] == CSP and "'unsafe-inline'" not in CSP
        assert req("GET", "/api/list", headers={"Host": "evil.example:80"})[0] == 403  # DNS rebinding
        body = json.dumps({"doc": doc, "base": 0, "op": {"op": "done"}})
        assert req("POST", "/api/decide", body, {"Content-Type": "text/plain"})[0] == 403  # a form elsewhere
        status, _, out = req("POST", "/api/decide", body, {"Content-Type": "application/json", "X-Jiyao-Review": "1"})
        assert status == 200 and json.loads(out)["draft"]["reviewed"]
        status, _, out = req("POST", "/api/decide", body, {"Content-Type": "application/json", "X-Jiyao-Review": "1"})
        assert status == 409 and "revision 1" in json.loads(out)["error"]
    finally:
        srv.shutdown()
        srv.server_close()
        store.close()


def test_a_selection_is_trimmed_of_spaces_direction_marks_and_its_quotes():
    from jiyao.review.coerce import trim

    t = "会议强调 \u202e“双胜利”\u202c 底线"
    s, e = trim(t, t.index(" "), t.index("底"))
    assert t[s:e] == "双胜利"
    with pytest.raises(ValueError):
        trim(t, 0, len(t) + 1)


def test_a_list_naming_a_file_outside_the_folder_is_refused(tmp_path):
    store, doc, _ = _one(tmp_path, None)
    store.by_id[doc]["file"] = "../../etc/passwd"
    store._texts.clear()
    with pytest.raises(ReviewError, match="not a file of the review folder"):
        store.text(doc)
    store.close()
