"""The LLM layer at scale and under hostile conditions: template text in articles, long articles,
dripping and dead endpoints, bad keys, keys echoed back, call caps, budgets and rate limits."""
import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.agent.endpoint import EndpointConfig, EndpointFatal, LLMError
from jiyao.agent.limits import RateLimits, RetryBudget
from jiyao.run.extractor import Extractor
from jiyao.read.document import from_text, read_file

from fakeserver import FakeServer, Script
from helpers import SEEDS, answer_from_gold

DOC = "003_3f6239400a319930"
EMPTY = {"headline": None, "meeting": None, "people": [], "upstream_meetings": [], "slogans": [], "directives": []}
KEY = "sk-test-ECHOED-SECRET-123"


def _cfg(server_url, mode="tools", **kw):
    kw.setdefault("backoff_initial_s", 0.01)
    return EndpointConfig(model="scripted", base_url=server_url, api_key=KEY, mode=mode, **kw)


async def _extract_all(ex, docs, guard_s=10.0):
    """Each doc's record or exception; the guard turns a hang into a failure instead of a stuck suite."""
    out = []
    try:
        for d in docs:
            try:
                out.append(await asyncio.wait_for(ex.aextract(d), guard_s))
            except LLMError as exc:
                out.append(exc)
    finally:
        await ex.aclose()
    return out


def _one(ex, doc, guard_s=10.0):
    return asyncio.run(_extract_all(ex, [doc], guard_s))[0]


def _seed_text():
    return (SEEDS / f"{DOC}.txt").read_text("utf-8")


# --- article text is data, never a template -------------------------------------------------

@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_template_syntax_in_an_article_is_sent_as_written_in_every_mode(gold, mode):
    # scraped pages carry template fragments: a comment opener, an expression, a raw block
    hostile = "\n网页模板残留:{# 注释 {{ 1/0 }} {{ 7*191 }} {% raw %} {%- endraw %} {{ config }}"
    doc = from_text(_seed_text() + hostile, DOC)
    script = Script([answer_from_gold(gold[DOC])])
    with FakeServer(script) as s:
        rec = _one(Extractor("llm", _cfg(s.base_url, mode)), doc)
    assert not isinstance(rec, Exception), rec
    assert [p.name for p in rec.people] == [p["name"] for p in gold[DOC]["people"]]
    assert rec.usage.attempts == 1
    sent = script.requests[0]["messages"][-1]["content"]
    assert "{# 注释 {{ 1/0 }} {{ 7*191 }} {% raw %}" in sent and "1337" not in sent


def test_template_syntax_in_a_reasked_answer_stays_data(gold):
    # the re-ask quotes the model's answer and the error, both of which may carry article text
    bad = answer_from_gold(gold[DOC])
    bad = {**bad, "slogans": ["{{ 1/0 }}{# 口号"]}
    script = Script([bad, answer_from_gold(gold[DOC])])
    with FakeServer(script) as s:
        rec = _one(Extractor("llm", _cfg(s.base_url, "json")), from_text(_seed_text(), DOC))
    assert rec.usage.attempts == 2
    assert "{{ 1/0 }}{# 口号" in json.dumps(script.requests[1]["messages"], ensure_ascii=False)


# --- long articles: chunks in flight together --------------------------------------------------

def test_long_article_chunks_are_sent_concurrently():
    para = _seed_text().replace("\n", "")
    text = "\n".join(f"第{i}段。{para}" for i in range(100))  # ~20 chunks of 6000 characters
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def slow(req):
        with lock:
            state["now"] += 1; state["max"] = max(state["max"], state["now"])
        time.sleep(0.3)
        with lock:
            state["now"] -= 1
        return EMPTY
    script = Script(default=slow)

    async def go(ex):
        await ex.aextract(from_text("短文。", "warm-up"))  # first-call costs (imports, prompts) not timed
        script.requests.clear()
        t0 = time.monotonic()
        try:
            return await ex.aextract(from_text(text, "long")), time.monotonic() - t0
        finally:
            await ex.aclose()
    with FakeServer(script) as s:
        rec, wall = asyncio.run(go(Extractor("llm", _cfg(s.base_url), concurrency=32)))
    n = len(script.requests)
    assert not isinstance(rec, Exception), rec
    assert n >= 15 and rec.usage.calls == n
    # one after another: never more than 1 in flight, n × 0.3 s (6 s); concurrently: about 0.3 s
    # (bounds loose for a loaded 2-core machine)
    assert state["max"] >= n // 2, state
    assert wall < 0.3 * n / 2, wall


def test_a_failing_chunk_leaves_the_others_and_a_run_ending_error_stops_them():
    para = _seed_text().replace("\n", "")
    text = "\n".join(f"第{i}段。{para}" for i in range(12))
    # a 400 on one chunk: the article keeps the other chunks' answers and says it is partial
    script = Script([("status", 400)], default=lambda req: (time.sleep(0.2), EMPTY)[1])
    with FakeServer(script) as s:
        res = _one(Extractor("llm", _cfg(s.base_url), concurrency=2), from_text(text, "long"))
    assert not isinstance(res, Exception), res
    assert res.diagnostics.model.status == "partial" and "400" in res.diagnostics.model.reason
    assert res.usage.calls == len(script.requests) >= 3
    # a bad key on one chunk: no other chunk can succeed, they are cancelled, not sent
    script = Script([("status", 401)], default=lambda req: (time.sleep(0.2), EMPTY)[1])
    with FakeServer(script) as s:
        res = _one(Extractor("llm", _cfg(s.base_url), concurrency=2), from_text(text, "long"))
    assert isinstance(res, EndpointFatal) and "401" in str(res)
    assert len(script.requests) < 6


# --- deadlines, dead endpoints, bad keys -------------------------------------------------------

def test_dripping_server_hits_the_total_deadline_and_is_retried(gold):
    # one byte every 20 ms: every read is quick, the whole answer would take about a minute
    script = Script([("drip", answer_from_gold(gold[DOC]), 0.02), answer_from_gold(gold[DOC])])
    with FakeServer(script) as s:
        t0 = time.monotonic()
        rec = _one(Extractor("llm", _cfg(s.base_url, timeout_s=0.5)), read_file(SEEDS / f"{DOC}.txt"), guard_s=8)
        wall = time.monotonic() - t0
    assert not isinstance(rec, Exception), rec
    assert len(script.requests) == 2 and rec.usage.attempts == 2
    assert wall < 3


def _closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens: every connection is refused
    return f"http://127.0.0.1:{port}/v1"


def test_dead_endpoint_trips_the_breaker_and_later_articles_fail_at_once():
    cfg = _cfg(_closed_port_url(), api_retries=6, dead_after=3, dead_after_s=0.0)
    docs = [from_text(_seed_text() + f"\n第{i}号", f"d{i}") for i in range(4)]
    t0 = time.monotonic()
    results = asyncio.run(_extract_all(Extractor("llm", cfg), docs))
    assert all(isinstance(r, EndpointFatal) for r in results), results
    assert "looks dead" in str(results[0]) and results[0].stats.attempts == 3  # not 7
    assert all(r.stats.attempts == 0 for r in results[1:])  # nothing more sent
    assert time.monotonic() - t0 < 5


@pytest.fixture
def articles(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        (src / f"a{i:02d}.txt").write_text(_seed_text() + f"\n第{i}号", "utf-8")
    return src


def _cli(src, out, url, *extra):
    return CliRunner().invoke(app, ["extract", str(src), "-o", str(out), "--backend", "llm", "--model", "m",
                                    "--base-url", url, "--api-key", KEY, "--no-cache", *extra])


@pytest.mark.parametrize("status", [401, 403, 404])
def test_bad_key_or_unknown_model_stops_the_run_and_exits_non_zero(articles, tmp_path, status):
    script = Script(default=("status", status))
    with FakeServer(script) as s:
        r = _cli(articles, tmp_path / "r.jsonl", s.base_url, "--concurrency", "2")
    assert r.exit_code == 2, r.output
    assert "refuses every request" in r.output and "--api-key" in r.output
    assert len(script.requests) <= 2  # the requests already in flight, not one per article


def test_an_echoed_key_is_written_nowhere(articles, tmp_path):
    # a 400 (per article) and a 401 (fatal), both echoing the Authorization header back
    echo = lambda code: (lambda req: ("status", code, {}, f"invalid request from {req['_auth']}"))  # noqa: E731
    script = Script([echo(400), echo(400), echo(400)], default=echo(401))
    out = tmp_path / "r.jsonl"
    with FakeServer(script) as s:
        r = _cli(articles, out, s.base_url, "--concurrency", "1")
    assert r.exit_code == 2
    errors = Path(str(out) + ".errors.jsonl").read_text("utf-8")
    assert errors.count("[redacted key]") >= 4  # the key was there, and was cut out
    assert KEY not in errors and KEY not in r.output


def test_new_output_folder_is_created_for_the_cache(tmp_path, gold):
    out = tmp_path / "new" / "dir" / "out.jsonl"
    with FakeServer(Script(default=answer_from_gold(gold[DOC]))) as s:
        r = CliRunner().invoke(app, ["extract", str(SEEDS / f"{DOC}.txt"), "-o", str(out), "--backend", "llm",
                                     "--model", "m", "--base-url", s.base_url])
    assert r.exit_code == 0, r.output
    assert out.exists() and Path(str(out) + ".cache.sqlite").exists()


# --- bounded spending -------------------------------------------------------------------------

def test_huge_article_is_refused_before_any_call():
    text = "\n".join(f"第{i}段。" + _seed_text().replace("\n", "") for i in range(60))  # ~20 chunks
    script = Script(default=EMPTY)
    with FakeServer(script) as s:
        res = _one(Extractor("llm", _cfg(s.base_url, max_calls=10)), from_text(text, "huge"))
    assert isinstance(res, LLMError) and "per-article cap of 10" in str(res)
    assert script.requests == []


def test_call_cap_bounds_reasks_and_retries_of_one_article():
    script = Script(default=("raw", "not json"))
    with FakeServer(script) as s:
        res = _one(Extractor("llm", _cfg(s.base_url, max_calls=3, validation_retries=10)), from_text(_seed_text(), "x"))
    assert isinstance(res, LLMError) and "call cap" in str(res)
    assert len(script.requests) == 3


def test_retry_budget_zero_means_no_fault_is_retried(gold):
    script = Script([("status", 503), answer_from_gold(gold[DOC])])
    with FakeServer(script) as s:
        res = _one(Extractor("llm", _cfg(s.base_url), retry_budget=0), read_file(SEEDS / f"{DOC}.txt"))
    assert isinstance(res, LLMError) and len(script.requests) == 1


def test_default_retry_budget_grows_with_the_run():
    fixed, scaled = RetryBudget(3), RetryBudget(floor=2, per_article=0.5)
    for _ in range(100):
        fixed.grow(); scaled.grow()
    assert fixed.left == 3 and scaled.left == 52
    assert sum(scaled.take() for _ in range(60)) == 52 and not scaled.take()


def test_requests_and_tokens_per_period_are_limited():
    async def go(limits, n):
        t0 = time.monotonic()
        for _ in range(n):
            await limits.acquire([{"role": "user", "content": "会议" * 50}], 100)  # 200 tokens each
        return time.monotonic() - t0
    # capacity 4 a period of 0.4 s: 4 at once, then one every 0.1 s
    assert 0.35 < asyncio.run(go(RateLimits(rpm=4, period_s=0.4), 8)) < 1.0
    assert 0.35 < asyncio.run(go(RateLimits(tpm=800, period_s=0.4), 8)) < 1.0
    assert asyncio.run(go(RateLimits(), 50)) < 0.1


# --- start-up ---------------------------------------------------------------------------------

def test_import_and_offline_use_do_not_load_the_llm_stack():
    code = ("import sys, jiyao, jiyao.cli.main; "
            f"r = jiyao.extract(open({str(SEEDS / (DOC + '.txt'))!r}, encoding='utf-8').read(), backend='offline'); "
            "assert r.people; print(sorted(m for m in ('openai', 'instructor', 'httpx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_breaker_needs_failures_spread_over_time_not_one_burst():
    from jiyao.agent.limits import Breaker
    b = Breaker(threshold=3, min_span_s=0.2)
    assert not any(b.failed() for _ in range(10))  # 64 requests refused at once: a hiccup
    time.sleep(0.25)
    assert b.failed()
    b.ok()
    assert not b.failed() and b.failures == 1
