"""A real model behind a real OpenAI-compatible server (llama.cpp, vLLM, Ollama…). Skipped unless
JIYAO_TEST_BASE_URL and JIYAO_TEST_MODEL are set, e.g. for llama-cpp-python's server:

    JIYAO_TEST_BASE_URL=http://127.0.0.1:8080/v1 JIYAO_TEST_MODEL=qwen2.5-coder-0.5b \
    JIYAO_TEST_MODE=json pytest -m llm

What a small model answers is not asserted (that is the eval harness's job); what the agent
around it guarantees is: a schema-valid record, evidence that points at each value, nothing
ungrounded in the output, and a re-run that costs no calls.
"""
import asyncio
import os

import pytest

from jiyao.agent.cache import Cache
from jiyao.agent.llm import EndpointConfig
from jiyao.run.extractor import Extractor
from jiyao.read.document import read_file
from jiyao.schema import MeetingReport
from jiyao.text import normalise

from helpers import SEEDS

BASE_URL = os.environ.get("JIYAO_TEST_BASE_URL")
pytestmark = [pytest.mark.llm,
              pytest.mark.skipif(not BASE_URL, reason="set JIYAO_TEST_BASE_URL and JIYAO_TEST_MODEL to run")]


def _value(data, pointer):
    cur = data
    for part in pointer.strip("/").split("/"):
        cur = cur[int(part)] if isinstance(cur, list) else cur[part]
    return cur


@pytest.mark.parametrize("backend", ["hybrid", "llm"])
def test_real_model_record_is_grounded_and_cached(tmp_path, backend):
    cfg = EndpointConfig(model=os.environ.get("JIYAO_TEST_MODEL", "local"), base_url=BASE_URL,
                         api_key=os.environ.get("JIYAO_TEST_API_KEY", "none"), mode=os.environ.get("JIYAO_TEST_MODE"),
                         timeout_s=float(os.environ.get("JIYAO_TEST_TIMEOUT", "600")))
    doc = read_file(SEEDS / "003_3f6239400a319930.txt")
    cache = Cache(tmp_path / "c.sqlite")

    async def once():
        ex = Extractor(backend, cfg, cache, concurrency=1)
        try:
            return await ex.aextract(doc)
        finally:
            await ex.aclose()

    rec = asyncio.run(once())
    MeetingReport.model_validate(rec.model_dump())
    assert rec.usage.calls >= 1 and rec.usage.prompt_tokens > 0
    data = rec.model_dump()
    for pointer, (s, e) in rec.evidence.items():
        if pointer.endswith(("/date", "published_date", "region/name")):
            continue  # dates are found by their written form, regions by a short form
        assert "".join(normalise(doc.original[s:e]).text.split()) == "".join(str(_value(data, pointer)).split())
    for p in rec.people:  # nothing in the output that the article does not contain
        assert p.name in doc.norm.text
    again = asyncio.run(once())
    assert again.usage.calls == 0 and again.usage.cache_hits >= 1
    # the same record; only the call history differs (a replay has no re-ask warnings)
    history = {"usage": True, "diagnostics": {"warnings"}}
    assert again.model_dump(exclude=history) == rec.model_dump(exclude=history)
