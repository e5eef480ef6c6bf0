"""Batch APIs: prepare → submit → status → collect through the real openai client against a scripted
server on 127.0.0.1 gives the records the online path gives for the same answers."""
import asyncio
import json
import shutil

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.agent.llm import EndpointConfig
from jiyao.run.extractor import CHUNK_CHARS, Extractor
from jiyao.run.records import RecordWriter
from jiyao.read.inputs import iter_items
from jiyao.run.folder import run

from batchserver import LATE, BatchServer, which, gold_answers as _answers
from fakeserver import Script
from helpers import SEEDS, answer_from_gold

# Filler that makes one article long enough for several chunks; its only person is in the last chunk.
FILLER = "会议还听取了各部门关于近期重点工作的汇报,并就下一步安排作了部署。"


@pytest.fixture()
def articles(tmp_path):
    """The seeds plus one long article (a seed with filler paragraphs and a late speaker)."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    base = (SEEDS / "003_3f6239400a319930.txt").read_text("utf-8")
    n = CHUNK_CHARS // len(FILLER) + 5
    (folder / "zz_long.txt").write_text(base + "\n" + "\n".join([FILLER] * n) + "\n" + LATE + "\n", "utf-8")
    return folder


def _cli(*args):
    res = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def _online(server, articles, out, backend, mode):
    cfg = EndpointConfig(model="scripted", base_url=server.base_url, api_key="sk-test", mode=mode)
    ex = Extractor(backend, cfg, None)

    async def go():
        try:
            with RecordWriter(out) as w:
                return await run(iter_items([articles]), w, ex, 4)
        finally:
            await ex.aclose()
    asyncio.run(go())


def _body(body: dict) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def _records(path):
    recs = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return {r["doc_id"]: {k: v for k, v in r.items() if k != "usage"} for r in recs}


def _batch(server, articles, tmp_path, backend, mode, endpoint=()):
    req = tmp_path / "requests.jsonl"
    common = ("--model", "scripted", "--base-url", server.base_url, "--api-key", "sk-test", "--backend", backend, "--mode", mode)
    _cli("batch", "prepare", articles, "-o", req, *common)
    batch_id = _cli("batch", "submit", req, "--base-url", server.base_url, "--api-key", "sk-test").strip()
    results = tmp_path / "results.jsonl"
    first = json.loads(_cli("batch", "status", batch_id, "--download", results, "--base-url", server.base_url, "--api-key", "x"))
    assert first["status"] == "in_progress" and not results.exists()
    _cli("batch", "status", batch_id, "--download", results, "--wait", "--poll", "0.01", "--base-url", server.base_url, "--api-key", "x")
    _cli("batch", "collect", results, "--articles", articles, "-o", tmp_path / "batch.jsonl", *common)
    return req, results, tmp_path / "batch.jsonl"


@pytest.mark.parametrize("backend,mode", [("hybrid", "json_schema"), ("llm", "tools"), ("hybrid", "json"), ("llm", "md_json")])
def test_batch_round_trip_gives_the_online_records(gold, articles, tmp_path, backend, mode):
    script = Script(default=_answers(gold))
    with BatchServer(script) as s:
        _online(s, articles, tmp_path / "online.jsonl", backend, mode)
        online_requests = [{k: v for k, v in r.items() if k != "_auth"} for r in script.requests]
        req, _, collected = _batch(s, articles, tmp_path, backend, mode)
    online, batch = _records(tmp_path / "online.jsonl"), _records(collected)
    assert len(online) == 6 and batch == online
    assert [p["name"] for p in batch["zz_long"]["people"]][-1] == "柯望舒"  # the last chunk's answer merged
    # each request body is the body the online path sent, chunks of the long article included
    lines = [json.loads(x) for x in req.read_text("utf-8").splitlines()]
    assert sorted(x["custom_id"].split("#")[1] for x in lines if x["custom_id"].startswith("zz_long#"))[-1] != "0/1"
    assert {x["url"] for x in lines} == {"/v1/chat/completions"} and {x["method"] for x in lines} == {"POST"}
    assert sorted(map(_body, (x["body"] for x in lines))) == sorted(map(_body, online_requests))
    if backend == "hybrid":
        assert "Candidates found by rule-based recognisers" in lines[0]["body"]["messages"][-1]["content"]


def _offline(articles, tmp_path):
    out = tmp_path / "offline.jsonl"
    _cli("extract", articles, "-o", out, "--backend", "offline", "--workers", "1")
    return _records(out)


VALUES = ("headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives", "evidence")


@pytest.mark.parametrize("backend", ["hybrid", "llm"])
def test_failed_and_missing_results_keep_the_rules_record_and_collect_resumes(gold, articles, tmp_path, backend):
    answer = _answers(gold)
    failing = {"000_108e1976953c9e68": ("status", 500), "001_23f819834aeefb67": ("drop",),
               "002_b7cc8050b06c14b8": ("error", "scripted expiry")}

    def step(req):
        return failing.get(which(gold, req)) or answer(req)

    with BatchServer(Script(default=step)) as s:
        _, results, collected = _batch(s, articles, tmp_path, backend, "json_schema")
    records = _records(collected)
    reasons = {"000_108e1976953c9e68": "status 500", "001_23f819834aeefb67": "no result in the batch output",
               "002_b7cc8050b06c14b8": "scripted expiry"}
    if backend == "hybrid":  # every article has a record: the failed ones the rules' record, saying why
        offline = _offline(articles, tmp_path)
        assert set(records) == set(offline)
        for doc_id, why in reasons.items():
            model = records[doc_id]["diagnostics"]["model"]
            assert model["status"] == "failed" and why in model["reason"]
            assert {k: records[doc_id][k] for k in VALUES} == {k: offline[doc_id][k] for k in VALUES}
            assert {c["source"] for c in records[doc_id]["confidence"].values()} == {"rules"}
        assert all(records[d]["diagnostics"]["model"]["status"] == "ok" for d in records if d not in failing)
    else:  # the model alone: no record without an answer, an error line saying why
        errors = {e["doc_id"]: e["error"] for e in map(json.loads, open(str(collected) + ".errors.jsonl", encoding="utf-8"))}
        assert set(errors) == set(failing) and all(why in errors[d] for d, why in reasons.items())
        assert set(records) == {"003_3f6239400a319930", "004_8fd5fd1d54fa5885", "zz_long"}
    n = len(collected.read_text("utf-8").splitlines())
    # a second collect over the same results writes nothing twice
    _cli("batch", "collect", results, "--articles", articles, "-o", collected, "--model", "scripted", "--backend", backend)
    assert len(collected.read_text("utf-8").splitlines()) == n


def test_ungrounded_values_are_dropped_and_the_record_says_no_reask(gold, articles, tmp_path):
    doc = "003_3f6239400a319930"
    bad = answer_from_gold(gold[doc])
    bad = {**bad, "note": "x", "people": bad["people"] + [{"name": "王小二", "titles": [], "roles": []}]}
    for f in articles.iterdir():
        if f.stem != doc:
            f.unlink()
    with BatchServer(Script(default=bad)) as s:
        _, _, collected = _batch(s, articles, tmp_path, "llm", "json_schema")
    rec = json.loads(collected.read_text("utf-8"))
    assert "王小二" not in [p["name"] for p in rec["people"]] and "/people/王小二" in rec["diagnostics"]["dropped_ungrounded"]
    assert any("not re-asked" in w for w in rec["diagnostics"]["warnings"])
    assert rec["usage"]["attempts"] == 1 and rec["usage"]["prompt_tokens"] == 100


def test_an_article_edited_after_prepare_is_an_error_not_a_wrong_record(gold, articles, tmp_path):
    with BatchServer(Script(default=_answers(gold))) as s:
        req, results, _ = _batch(s, articles, tmp_path, "hybrid", "json_schema")
    edited = articles / "004_8fd5fd1d54fa5885.txt"
    edited.write_text(edited.read_text("utf-8") + "\n本文发布后又补充了一句。\n", "utf-8")
    out = tmp_path / "again.jsonl"
    _cli("batch", "collect", results, "--articles", articles, "-o", out, "--model", "scripted", "--backend", "hybrid")
    # the edited article gets the rules' record (never a record from an answer to another text)
    model = {d: r["diagnostics"]["model"] for d, r in _records(out).items()}
    edited = model.pop("004_8fd5fd1d54fa5885")
    assert edited["status"] == "failed" and "changed since" in edited["reason"]
    assert {m["status"] for m in model.values()} == {"ok"}


def test_template_syntax_in_an_article_is_sent_as_written(gold, articles, tmp_path):
    # article text is data: `{#`, `{{ 1/0 }}` and `{% raw %}` reach the request unrendered
    doc = articles / "003_3f6239400a319930.txt"
    hostile = "{# 注释 {{ 1/0 }} {% raw %} {{ config }}"
    lines = doc.read_text("utf-8").split("\n")
    # inside the body (a trailing line after the sign-off would be dropped as page furniture)
    lines[2] = lines[2] + hostile
    doc.write_text("\n".join(lines), "utf-8")
    with BatchServer(Script(default=_answers(gold))) as s:
        req, _, collected = _batch(s, articles, tmp_path, "hybrid", "json_schema")
    sent = [json.loads(x) for x in req.read_text("utf-8").splitlines() if x.startswith('{"custom_id": "003_')]
    assert hostile in sent[0]["body"]["messages"][-1]["content"]
    assert "003_3f6239400a319930" in _records(collected)


def test_a_large_batch_is_split_into_files_within_the_limits(gold, articles, tmp_path):
    one, split = tmp_path / "one.jsonl", tmp_path / "split.jsonl"
    common = ("--model", "scripted", "--base-url", "http://127.0.0.1:9/v1", "--backend", "llm")
    _cli("batch", "prepare", articles, "-o", one, *common)
    names = _cli("batch", "prepare", articles, "-o", split, "--max-requests", "3", *common).split()
    lines = one.read_text("utf-8").splitlines()
    assert len(lines) > 6 and names[0] == str(split) and names[1].endswith("split-00002.jsonl")
    parts = [open(n, encoding="utf-8").read().splitlines() for n in names]
    assert all(len(p) <= 3 for p in parts) and sum(parts, []) == lines
