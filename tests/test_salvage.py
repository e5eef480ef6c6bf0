"""Degrade, never lose; keep every valid field; log what the model said. A scripted model on a real
HTTP server on 127.0.0.1, through the real openai client (issue 17 items 1, 2, 4; issue 20 item 1).

Whatever the model does, hybrid writes a record for every article: the rules' record (equal to the
offline one on every field) when no answer is valid, with the failure in diagnostics.model. A value
that breaks the format drops that value only; a re-ask asks only the failing fields."""
import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.agent.calllog import read as read_calls
from jiyao.agent.endpoint import EndpointConfig
from jiyao.agent.salvage import closed_value, parse_json, salvage
from jiyao.cli.main import app
from jiyao.eval.report import load_gold
from jiyao.eval.score import FIELDS, micro_f1, score_set
from jiyao.read.document import from_text
from jiyao.read.inputs import iter_items
from jiyao.recognise.dates import meeting_date
from jiyao.run.extractor import Extractor
from jiyao.run.folder import run
from jiyao.run.records import RecordWriter
from jiyao.schema import ExtractedReport

from fakeserver import FakeServer, Script
from helpers import SEEDS, SETS, answer_from_gold
from scripted import docs_of, which

KEY = "sk-test-SALVAGE-KEY-0123456789"
# what the record holds of the article (usage, diagnostics, confidence and origin say how it was made)
VALUES = ("doc_id", "headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives", "evidence")
# every field of the answer outside the format: nothing valid is left of it
INVALID = {"headline": ["不是", "字符串"], "source": 5, "meeting": "有", "people": "张三", "upstream_meetings": {"x": 1},
           "slogans": 7, "directives": "无"}


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _records(path: Path) -> dict[str, dict]:
    return {r["doc_id"]: r for r in map(json.loads, path.read_text("utf-8").splitlines())}


def _values(rec: dict) -> dict:
    return {k: rec[k] for k in VALUES}


def _extract(server, out, articles, *extra, backend="hybrid", mode="json_schema"):
    return _cli("extract", articles, "-o", out, "--backend", backend, "--model", "scripted", "--base-url",
                server.base_url, "--api-key", KEY, "--mode", mode, *extra)


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """The offline records of every labelled set, by doc_id."""
    out = {}
    for name, (articles, _) in SETS.items():
        path = tmp_path_factory.mktemp("offline") / f"{name}.jsonl"
        assert _cli("extract", articles, "-o", path, "--backend", "offline", "--workers", "1").exit_code == 0
        out.update(_records(path))
    return out


# --- degrade, never lose -------------------------------------------------------------------------

@pytest.mark.parametrize("strategy", ["oneshot", "focused"])
def test_schema_invalid_answers_for_every_article_give_the_offline_records(offline, tmp_path, strategy):
    sent = 0
    for name, (articles, _) in SETS.items():
        script = Script(default=INVALID)
        out = tmp_path / f"{name}.jsonl"
        with FakeServer(script) as s:
            r = _extract(s, out, articles, "--strategy", strategy)
        assert r.exit_code == 0, r.output
        recs = _records(out)
        assert set(recs) == {p.stem for p in articles.iterdir()}, name
        for doc_id, rec in recs.items():
            assert _values(rec) == _values(offline[doc_id]), (name, doc_id)
            model = rec["diagnostics"]["model"]
            if rec["usage"]["calls"]:  # focused asks nothing of an article the rules read fully
                assert model["status"] == "failed" and "no valid answer" in model["reason"], (doc_id, model)
                assert {c["source"] for c in rec["confidence"].values()} == {"rules"}
        sent += len(script.requests)
        asked = [d for d, rec in recs.items() if rec["usage"]["calls"]]
        assert "model failed, rules kept" in r.output and f"│ {len(asked)} " in r.output.split("rules kept")[1][:40]
    assert sent >= 5


def test_strict_exits_1_when_a_record_has_no_valid_model_answer(tmp_path):
    with FakeServer(Script(default=INVALID)) as s:
        r = _extract(s, tmp_path / "r.jsonl", SEEDS, "--strict")
    assert r.exit_code == 1 and len(_records(tmp_path / "r.jsonl")) == 5


@pytest.mark.parametrize("step,why", [(("raw", "抱歉,我无法完成这个任务。"), "not a JSON object"), (("refusal",), "refused"),
                                      (("empty",), "without any choice"), (("status", 500), "500"),
                                      (("hang", 3), "Timeout"), (("length", '{"hea'), "max_tokens")])
def test_whatever_the_model_does_hybrid_keeps_the_rules_record(offline, step, why):
    doc = from_text((SEEDS / "003_3f6239400a319930.txt").read_text("utf-8"), "003_3f6239400a319930")
    script = Script(default=step)

    async def go(url):
        ex = Extractor("hybrid", EndpointConfig(model="m", base_url=url, api_key=KEY, mode="json", api_retries=0,
                                                validation_retries=1, timeout_s=0.5))
        try:
            return await ex.aextract(doc)
        finally:
            await ex.aclose()
    with FakeServer(script) as s:
        rec = asyncio.run(go(s.base_url)).model_dump()
    assert _values(rec) == _values(offline["003_3f6239400a319930"])
    assert rec["diagnostics"]["model"]["status"] == "failed" and why in rec["diagnostics"]["model"]["reason"]
    assert rec["usage"]["calls"] == len(script.requests) >= 1
    if step[0] == "length":  # asked again, it would be cut again: no re-ask
        assert len(script.requests) == 1


def test_option_values_that_make_every_call_fail_leave_the_offline_records(offline, tmp_path):
    # the CLI refuses --max-calls 0 up front (cli/checks.py); the Python API takes what it is given,
    # and a per-article cap of 0 calls must still leave every article its rules' record
    import jiyao

    script = Script(default=answer_from_gold(json.loads((SETS["seeds"][1] / "003_3f6239400a319930.json").read_text("utf-8"))))
    with FakeServer(script) as s, jiyao.Extractor("hybrid", model="scripted", base_url=s.base_url, api_key=KEY,
                                                  mode="json_schema", max_calls=0) as ex:
        recs = {r.doc_id: r.model_dump(mode="json") for r in ex.iter_extract_files([SEEDS])}
    assert {d: _values(x) for d, x in recs.items()} == {d: _values(offline[d]) for d in recs} and len(recs) == 5
    assert all("per-article cap of 0" in x["diagnostics"]["model"]["reason"] for x in recs.values())
    assert script.requests == []


def test_a_focused_question_without_an_answer_leaves_the_others(tmp_path):
    # the rules take no outlet from 江津头条消息 (an app without an outlet word) and name no region: two questions
    text = ("全市安全生产工作会议在渝召开 刘志远出席\n江津头条消息 全市安全生产工作会议5日在渝召开。副市长刘志远出席会议并讲话。"
            "市应急局局长陈思远,市住建委主任何立新参加会议。\n")
    (tmp_path / "x.txt").write_text(text, "utf-8")

    def step(req):  # the outlet question is answered; the region question gets prose
        if "Which media outlet" in req["messages"][-1]["content"]:
            return {"answer": "A"}
        return ("raw", "这是江津区的会议。")
    script = Script(default=step)
    out = tmp_path / "r.jsonl"
    with FakeServer(script) as s:
        assert _extract(s, out, tmp_path / "x.txt", "--strategy", "focused").exit_code == 0
    rec = _records(out)["x"]
    assert rec["source"]["outlet"] == "江津头条" and rec["confidence"]["/source/outlet"]["source"] == "model"
    model = rec["diagnostics"]["model"]
    assert model["status"] == "partial" and "meeting.region" in model["reason"] and "no valid answer" in model["reason"], model
    assert len(script.requests) == 2 + 2  # each question, and two re-asks of the one without an answer


def test_a_dead_endpoint_mid_run_leaves_the_rules_record_and_sends_nothing_more(offline, tmp_path):
    gold = load_gold(SETS["seeds"][1])
    docs, _ = docs_of(*SETS["seeds"])
    first = sorted(docs)[0]

    def step(req):  # the first article is answered, then every connection is reset
        d = which(req, docs).doc_id
        return answer_from_gold(gold[d]) if d == first else ("reset",)
    script = Script(default=step)
    out = tmp_path / "r.jsonl"

    async def go(url):
        cfg = EndpointConfig(model="m", base_url=url, api_key=KEY, mode="json", api_retries=2, backoff_initial_s=0.01,
                             dead_after=3, dead_after_s=0.0)
        ex = Extractor("hybrid", cfg, concurrency=1)
        try:
            with RecordWriter(out) as w:
                return await run(iter_items([SEEDS]), w, ex, 1)
        finally:
            await ex.aclose()
    with FakeServer(script) as s:
        stats = asyncio.run(go(s.base_url))
    recs = _records(out)
    assert stats.records == 5 and stats.failures == 0 and stats.fatal is None
    assert recs[first]["diagnostics"]["model"]["status"] == "ok"
    dead = [d for d in recs if d != first]
    assert stats.model_failed == len(dead) == 4
    for d in dead:
        assert _values(recs[d]) == _values(offline[d])
        assert recs[d]["diagnostics"]["model"]["status"] == "failed" and "endpoint dead" in recs[d]["diagnostics"]["model"]["reason"]
    assert len(script.requests) == 1 + 3  # the first answer, then the three failures that declared it dead
    assert sum(recs[d]["usage"]["calls"] for d in dead[1:]) == 0  # nothing more is sent after that


def test_a_bad_key_ends_a_hybrid_run_and_a_rerun_resumes(offline, tmp_path):
    out = tmp_path / "r.jsonl"
    script = Script(default=("status", 401))
    with FakeServer(script) as s:
        r = _extract(s, out, SEEDS, "--concurrency", "1")
    assert r.exit_code == 2 and "refuses every request" in r.output
    assert not out.exists() or out.read_text("utf-8") == ""  # no rules' record in place of the model's answer
    assert len(script.requests) == 1
    with FakeServer(Script(default=INVALID)) as s:
        assert _extract(s, out, SEEDS).exit_code == 0
    assert set(_records(out)) == {p.stem for p in SEEDS.glob("*.txt")}


@pytest.mark.parametrize("escaped", [True, False])
def test_a_lone_surrogate_in_a_value_is_written_as_valid_utf8(tmp_path, escaped):
    gold = load_gold(SETS["seeds"][1])["003_3f6239400a319930"]
    ans = {**answer_from_gold(gold), "headline": "会议\ud800标题"}
    # in the answer's JSON text as an escape, or as a character of the content (the HTTP body escapes it)
    step = ("raw", json.dumps(ans, ensure_ascii=True)) if escaped else ans
    for backend in ("hybrid", "llm"):
        out = tmp_path / f"{backend}.jsonl"
        with FakeServer(Script(default=step)) as s:
            r = _extract(s, out, SEEDS / "003_3f6239400a319930.txt", backend=backend)
        assert r.exit_code == 0, r.output
        rec = json.loads(out.read_bytes().decode("utf-8"))  # strict UTF-8: a lone surrogate cannot be encoded
        assert [p["name"] for p in rec["people"]] == [p["name"] for p in gold["people"]]  # the rest is kept
        assert rec["headline"] != "会议\ud800标题" and rec["diagnostics"]["model"]["status"] == "ok"
        calls = read_calls(Path(str(out) + ".calls.sqlite"))[0]["calls"]
        assert calls and all("\ud800" not in (c["answer"] or "") for c in calls)


# --- keep every valid field ------------------------------------------------------------------------

def _oracle_with(gold_by_id, docs, change):
    def step(req):
        a = json.loads(json.dumps(answer_from_gold(gold_by_id[which(req, docs).doc_id])))
        change(a)
        return a
    return Script(default=step)


def _two_fields_outside(a):
    a["source"] = None
    if a["meeting"]:
        a["meeting"]["time_of_day"] = "傍晚"


@pytest.mark.parametrize("strategy", ["oneshot", "focused"])
def test_an_oracle_with_two_fields_outside_the_format_keeps_every_article_and_scores(tmp_path, strategy):
    preds, golds = {}, {}
    for name, (articles, gold_dir) in SETS.items():
        docs, gold = docs_of(articles, gold_dir)
        script = _oracle_with(gold, docs, _two_fields_outside)
        out = tmp_path / f"{name}.jsonl"
        with FakeServer(script) as s:
            assert _extract(s, out, articles, "--strategy", strategy).exit_code == 0
        recs = _records(out)
        assert set(recs) == {p.stem for p in articles.iterdir()}, name
        preds.update(recs)
        golds.update(gold)
        for rec in recs.values():
            if rec["usage"]["calls"] and strategy == "oneshot":
                model = rec["diagnostics"]["model"]
                assert model["status"] == "partial" and "/source" in model["dropped"], model
    scored = score_set(golds, preds)
    assert micro_f1(scored, FIELDS) >= 0.97


def test_the_llm_backend_keeps_the_valid_fields_and_maps_the_words_for_closed_values(tmp_path):
    gold = load_gold(SETS["seeds"][1])
    docs, _ = docs_of(*SETS["seeds"])
    words = {"chair": "主持", "speaker": "讲话"}

    def change(a):
        _two_fields_outside(a)
        assert a["meeting"], "every seed reports a meeting"
        a["meeting"]["organizer"] = [a["meeting"]["organizer"] or "市委", "市政府"]  # a list where a string belongs
        a["meeting"]["format"] = {"video": "视频", "in_person": "现场"}.get(a["meeting"]["format"])
        for p in a["people"]:
            p["roles"] = [words[r] for r in p["roles"]]
    out = tmp_path / "r.jsonl"
    with FakeServer(_oracle_with(gold, docs, change)) as s:
        assert _extract(s, out, SEEDS, backend="llm").exit_code == 0
    recs = _records(out)
    assert len(recs) == 5
    for d, rec in recs.items():
        g = gold[d]
        assert [(p["name"], p["roles"]) for p in rec["people"]] == [(p["name"], p["roles"]) for p in g["people"]]
        assert rec["meeting"]["name"] == g["meeting"]["name"] and rec["meeting"]["format"] == g["meeting"]["format"]
        assert rec["meeting"]["time_of_day"] in (None, "晚上") and rec["meeting"]["organizer"] is None
        assert rec["slogans"] == g["slogans"]
        assert set(rec["diagnostics"]["model"]["dropped"]) == {"/source", "/meeting/organizer"}


def test_a_reask_asks_only_the_failing_fields_and_merges_them_in(tmp_path):
    gold = load_gold(SETS["seeds"][1])["003_3f6239400a319930"]
    first = answer_from_gold(gold)
    first = {**first, "meeting": {**first["meeting"], "organizer": ["区委", "区政府"]}, "source": None}
    fixed = {"meeting": {"organizer": None}, "source": gold["source"]}
    script = Script([first, fixed])
    out = tmp_path / "r.jsonl"
    with FakeServer(script) as s:
        assert _extract(s, out, SEEDS / "003_3f6239400a319930.txt", backend="llm", mode="tools").exit_code == 0
    rec = _records(out)["003_3f6239400a319930"]
    assert len(script.requests) == 2
    schema = script.requests[1]["tools"][0]["function"]["parameters"]
    assert set(schema["properties"]) == {"meeting", "source"}
    meeting = next(d for n, d in schema["$defs"].items() if n.startswith("Meeting"))
    assert set(meeting["properties"]) == {"organizer"}
    assert "organizer" in script.requests[1]["messages"][-1]["content"]
    # the re-ask's fields merged in; the first answer's valid fields kept
    assert rec["source"] == gold["source"] and rec["meeting"]["name"] == gold["meeting"]["name"]
    assert [p["name"] for p in rec["people"]] == [p["name"] for p in gold["people"]]
    assert rec["diagnostics"]["model"] == {"status": "ok", "reason": None, "dropped": []}


def test_the_call_cap_during_reasks_keeps_what_was_valid(tmp_path):
    gold = load_gold(SETS["seeds"][1])["003_3f6239400a319930"]
    bad = {**answer_from_gold(gold), "source": None}
    out = tmp_path / "r.jsonl"
    with FakeServer(Script(default=bad)) as s:
        assert _extract(s, out, SEEDS / "003_3f6239400a319930.txt", "--max-calls", "2", backend="llm").exit_code == 0
    rec = _records(out)["003_3f6239400a319930"]
    assert rec["usage"]["calls"] == 2 and [p["name"] for p in rec["people"]] == [p["name"] for p in gold["people"]]
    assert rec["diagnostics"]["model"]["status"] == "partial" and "call cap" in rec["diagnostics"]["model"]["reason"]


def test_a_cut_off_answer_keeps_its_valid_part(tmp_path):
    gold = load_gold(SETS["seeds"][1])["003_3f6239400a319930"]
    text = json.dumps(answer_from_gold(gold), ensure_ascii=False)
    cut = text[: text.index('"upstream_meetings"') + 30]  # the people are whole, the rest is cut off
    out = tmp_path / "r.jsonl"
    with FakeServer(Script(default=("length", cut))) as s:
        assert _extract(s, out, SEEDS / "003_3f6239400a319930.txt", backend="llm").exit_code == 0
    rec = _records(out)["003_3f6239400a319930"]
    assert [p["name"] for p in rec["people"]] == [p["name"] for p in gold["people"]]
    assert rec["diagnostics"]["model"]["status"] == "partial" and "max_tokens" in rec["diagnostics"]["model"]["reason"]


def test_field_by_field_validation_drops_only_what_breaks_the_format():
    data = {"headline": "会议", "source": None, "note": "unknown keys are ignored",
            "meeting": {"name": "会", "time_of_day": "下午3:00", "organizer": ["a", "b"], "format": "线上"},
            "people": [{"name": "张三", "titles": "县长", "roles": ["主持人", "发言", "旁听"]}, {"titles": ["无名"]},
                       {"name": "李四", "roles": "强调"}],
            "slogans": [1, "一个口号"]}
    s = salvage(data, ExtractedReport)
    r = ExtractedReport.model_validate(s.value)
    assert r.headline == "会议" and r.source.reporters == [] and r.meeting.organizer is None
    assert (r.meeting.name, r.meeting.time_of_day, r.meeting.format) == ("会", "下午", "video")
    assert [(p.name, p.titles, p.roles) for p in r.people] == [("张三", ["县长"], ["chair", "speaker"]), ("李四", [], ["speaker"])]
    assert r.slogans == ["一个口号"]
    assert {p for p, _ in s.dropped} == {"/source", "/meeting/organizer", "/people/0/roles/2", "/people/1", "/slogans/0"}


@pytest.mark.parametrize("said,tod", [("傍晚", "晚上"), ("晚", "晚上"), ("夜间", "晚上"), ("7月20日晚", "晚上"), ("中午", "中午"),
                                      ("下午3:00", "下午"), ("15时", "下午"), ("凌晨", "上午"), ("早上", "上午"), ("10:30", "上午"),
                                      ("12点", "中午"), ("13:00", "下午"), ("19:30", "晚上"), ("3pm", "下午"), ("午后", "午后")])
def test_time_of_day_words_and_clock_times_map_by_spec_v12(said, tod):
    assert closed_value("time_of_day", said) == tod


def test_the_recognisers_read_time_words_from_the_same_table():
    assert meeting_date("5月3日中午,召开会议", 0, None)[1] == "中午"
    assert meeting_date("5月3日凌晨,召开会议", 0, None)[1] == "上午"


def test_broken_json_is_repaired_and_prose_is_no_answer():
    assert parse_json('好的,结果如下:```json\n{"headline": "会议",}\n```')[0] == {"headline": "会议"}
    assert parse_json('{"headline": "会议", "people": [{"name": "张三"')[0]["people"] == [{"name": "张三"}]
    assert parse_json("抱歉,我无法完成。")[0] is None and parse_json("[1, 2]")[0] is None


# --- the call log ----------------------------------------------------------------------------------

def test_the_call_log_holds_each_call_and_jiyao_calls_prints_it_without_the_key(tmp_path):
    gold = load_gold(SETS["seeds"][1])["003_3f6239400a319930"]
    first = {**answer_from_gold(gold), "source": None, "note": f"echo {KEY}"}
    # an answer that echoes the key, its re-ask's answer, then a 400 that echoes it (the next article)
    echo = ("status", 400, {}, f"bad request from Bearer {KEY}")
    script = Script([first, {"source": gold["source"]}, echo])
    out = tmp_path / "r.jsonl"
    with FakeServer(script) as s:
        r = _extract(s, out, SEEDS / "003_3f6239400a319930.txt", SEEDS / "004_8fd5fd1d54fa5885.txt", "--concurrency", "1")
    assert r.exit_code == 0, r.output
    log = Path(str(out) + ".calls.sqlite")
    for written in (out, log, Path(str(out) + ".errors.jsonl")):
        assert not written.exists() or KEY.encode() not in written.read_bytes(), written
    arts = {a["doc_id"]: a for a in read_calls(log)}
    calls = arts["003_3f6239400a319930"]["calls"]
    assert [c["kind"] for c in calls] == ["oneshot", "re-ask 1 of oneshot"]
    assert calls[0]["prompt_tokens"] == 100 and calls[0]["problems"] and "/source" in calls[0]["dropped"]
    assert calls[1]["request"]["messages"][-1]["content"].startswith("Part of your answer")
    assert "[redacted key]" in calls[0]["answer"]
    assert arts["004_8fd5fd1d54fa5885"]["status"] == "failed" and "[redacted key]" in arts["004_8fd5fd1d54fa5885"]["calls"][0]["error"]
    decisions = arts["003_3f6239400a319930"]["decisions"]
    assert any(d["decision"] == "kept" and d["source"] == "both" for d in decisions)
    # the messages are stored once: both calls name the same system prompt and article
    db = sqlite3.connect(log)
    assert db.execute("SELECT count(*) FROM calls").fetchone()[0] == 3
    first_msgs = [json.loads(x)["messages"] for (x,) in db.execute("SELECT request FROM calls ORDER BY id LIMIT 2")]
    assert first_msgs[0][:2] == first_msgs[1][:2]
    shown = _cli("calls", out, "003_3f6239400a319930")
    assert shown.exit_code == 0 and "re-ask 1 of oneshot" in shown.output and "/source" in shown.output
    assert "fields: source" in shown.output and KEY not in shown.output
    as_json = json.loads(_cli("calls", out, "--json").output)
    assert {a["doc_id"] for a in as_json} == {"003_3f6239400a319930", "004_8fd5fd1d54fa5885"}
    assert _cli("calls", out, "nope").exit_code == 2


def test_no_call_log_for_stdout_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    gold = load_gold(SETS["seeds"][1])["003_3f6239400a319930"]
    with FakeServer(Script(default=answer_from_gold(gold))) as s:
        assert _extract(s, "-", SEEDS / "003_3f6239400a319930.txt").exit_code == 0
        assert list(tmp_path.iterdir()) == []
        assert _extract(s, "-", SEEDS / "003_3f6239400a319930.txt", "--calls", tmp_path / "c.sqlite").exit_code == 0
    assert read_calls(tmp_path / "c.sqlite")[0]["calls"][0]["kind"] == "oneshot"
