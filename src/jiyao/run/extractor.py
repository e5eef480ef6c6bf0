"""The one core under the CLI and the Python API: document → record, with a chosen backend.

offline: recognisers only.  llm: the model alone.  hybrid: the recognisers' candidates and the
model's answer (one whole-record prompt with the candidates as hints, or focused questions about
what the rules are unsure of), fused value by value by the agent (agent.py) under a policy
(policy.py).  Every backend's answer is grounded the same way (ground.to_record).
"""
from __future__ import annotations

import asyncio
import functools
import json
import time
import typing

from pydantic import BaseModel

from ..agent.fuse import ModelView, fused_record
from ..agent.merge import merge_answers
from ..agent.cache import Cache, cache_key
from ..agent.endpoint import EndpointConfig, EndpointFatal, LLMError
from ..ground.spans import Locator, ground, to_record
from ..agent.limits import Allowance, RetryBudget
from ..agent.policy import Policy
from ..agent.prompting import load as load_prompts
from ..read.document import Document
from ..recognise import recognise
from ..schema import ExtractedReport, MeetingReport, Usage
from ..settings import BACKENDS, CONCURRENCY, RETRY_BUDGET, STRATEGIES, resolve_backend

if typing.TYPE_CHECKING:
    from ..agent.llm import LLMClient

CHUNK_CHARS = 6000  # longer articles go to the model in paragraph-aligned chunks


class ConfigError(ValueError):
    pass


class RunStats(Usage):
    """A run's totals: the records' costs summed, plus what failed articles spent."""
    backend: str = "run"
    records: int = 0
    failures: int = 0
    skipped: int = 0  # already in the output (resume)
    fatal: str | None = None  # why the run stopped early (bad key, unknown model, dead endpoint)


class Extractor:
    def __init__(self, backend: str = "auto", endpoint: EndpointConfig | None = None, cache: Cache | None = None,
                 concurrency: int = CONCURRENCY, retry_budget: int | None = RETRY_BUDGET, prompts_dir: str | None = None,
                 policy: Policy | None = None, strategy: str = "oneshot"):
        """retry_budget: fault retries for the whole run; None = scales with the run (limits.RetryBudget).
        policy / strategy: how the hybrid agent fuses rules and model (policy.py), and whether it asks
        one whole-record question or focused ones (questions.py)."""
        self.endpoint = endpoint or EndpointConfig.from_env()
        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        if strategy not in STRATEGIES:
            raise ConfigError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
        backend = resolve_backend(backend, self.endpoint.configured)
        if backend in ("llm", "hybrid") and not self.endpoint.configured:
            raise ConfigError(
                f"backend {backend!r} needs an OpenAI-compatible endpoint: pass --model and --base-url "
                "(or --api-key), or set JIYAO_MODEL with OPENAI_BASE_URL / OPENAI_API_KEY; "
                "or use --backend offline")
        self.backend = backend
        self.policy = policy or Policy.default()
        self.strategy = strategy
        self.cache = cache
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.prompts = load_prompts(prompts_dir) if backend != "offline" else None
        self._client: "LLMClient | None" = None
        self._budget = RetryBudget(retry_budget)

    @property
    def client(self) -> "LLMClient":
        if self._client is None:
            from ..agent.llm import LLMClient  # openai + instructor: imported only when an endpoint is used
            self._client = LLMClient(self.endpoint, self._budget)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def extract_offline(self, doc: Document) -> MeetingReport:
        t0 = time.perf_counter()
        found = recognise(doc.norm.text, doc.page_date, doc.page_title)
        usage = Usage(backend="offline", latency_s=round(time.perf_counter() - t0, 6))
        return to_record(doc, found, usage)

    def _usage(self) -> Usage:
        return Usage(backend=self.backend, model=self.endpoint.model, prompt_hash=self.prompts.hash)

    async def aextract(self, doc: Document) -> MeetingReport:
        if self.backend == "offline":
            return self.extract_offline(doc)
        self._budget.grow()
        usage, warnings = self._usage(), []
        # per-article CPU (recognisers, grounding) runs off the event loop, which keeps the
        # requests of the other articles moving
        loc = await asyncio.to_thread(Locator, doc)
        if self.backend == "hybrid":
            return await self._hybrid(doc, loc, usage, warnings)
        answers = await self._ask_chunks(doc, loc, None, usage, warnings)
        usage.latency_s = round(usage.latency_s, 3)
        return await asyncio.to_thread(to_record, doc, merge_answers(answers), usage, warnings, loc)

    async def _hybrid(self, doc: Document, loc: Locator, usage: Usage, warnings: list[str]) -> MeetingReport:
        """The recognisers' grounded candidates and the model's grounded answer, fused by the
        agent (agent.py) under the policy; the record says per value where it came from."""
        rules = await asyncio.to_thread(lambda: ground(recognise(doc.norm.text, doc.page_date, doc.page_title), doc, loc).report)
        view, dropped = await self.model_view(doc, rules, usage, warnings, loc)
        usage.latency_s = round(usage.latency_s, 3)
        record, _ = await asyncio.to_thread(fused_record, doc, rules, view, self.policy, usage, warnings, loc)
        d = record.diagnostics
        # diagnostics count what the model said that the text lacks
        d.dropped_ungrounded = list(dict.fromkeys(dropped + d.dropped_ungrounded))
        return record

    async def model_view(self, doc: Document, rules: ExtractedReport, usage: Usage, warnings: list[str],
                         loc: Locator | None = None) -> tuple[ModelView, list[str]]:
        """The model's grounded answer (and the pointers grounding dropped) under this strategy."""
        loc = loc or Locator(doc)
        if self.strategy == "focused":
            from ..agent.questions import ask_focused
            return await ask_focused(self, doc, rules, loc, usage, warnings)
        hints = await asyncio.to_thread(_hints, rules, loc)
        answers = await self._ask_chunks(doc, loc, hints, usage, warnings)
        g = await asyncio.to_thread(ground, merge_answers(answers), doc, loc)
        return ModelView(g.report), g.dropped

    async def _ask_chunks(self, doc: Document, loc: Locator, hints: str | None, usage: Usage,
                          warnings: list[str]) -> list[ExtractedReport]:
        """Every chunk's answer. Chunks are asked concurrently (the semaphore bounds requests in
        flight); answers and warnings stay in article order."""
        chunks = _chunks(doc.norm.text)
        allowance = Allowance(self.endpoint.max_calls)
        if len(chunks) > allowance.total:
            raise LLMError(f"article too long for the model: {len(doc.norm.text):,} characters need {len(chunks)} "
                           f"calls, over the per-article cap of {allowance.total} (--max-calls)")
        per_chunk: list[list[str]] = [[] for _ in chunks]
        try:
            async with asyncio.TaskGroup() as tg:  # one chunk failing cancels the others
                tasks = [tg.create_task(self._ask(self.prompts.messages(c, hints), loc, usage, w, allowance=allowance))
                         for c, w in zip(chunks, per_chunk)]
        except ExceptionGroup as group:  # the article's error, a run-ending one first
            errors = sorted(group.exceptions, key=lambda e: not isinstance(e, EndpointFatal))
            raise errors[0] from None
        warnings.extend(w for ws in per_chunk for w in ws)
        return [t.result() for t in tasks]

    async def _ask(self, messages: list[dict], loc: Locator, usage: Usage, warnings: list[str],
                   answer_model: type[BaseModel] = ExtractedReport, allowance: Allowance | None = None) -> BaseModel:
        """One answer, from the cache or the endpoint; answer_model: a focused question's smaller
        schema. Its warnings are added to `warnings`."""
        key = cache_key(model=self.endpoint.model, messages=messages, schema=_schema_hash(answer_model),
                        mode=self.client.mode, temperature=self.endpoint.temperature,
                        max_tokens=self.endpoint.max_tokens, validation_retries=self.endpoint.validation_retries)
        if self.cache is not None:
            hit = self.cache.get(key, answer_model.model_validate)  # a damaged entry is asked again
            if hit is not None:
                usage.cache_hits += 1
                return hit
        async with self.semaphore:
            try:
                # the Locator itself: its explain() tells the model why a value was not found
                answer, stats, warn = await self.client.extract(
                    messages, contains=loc, allowance=allowance,
                    answer_model=None if answer_model is ExtractedReport else answer_model)
            except LLMError as exc:
                if exc.stats:
                    usage.add(exc.stats)
                raise
        usage.add(stats)
        warnings.extend(warn)
        if self.cache is not None:
            self.cache.put(key, answer.model_dump())
        return answer


@functools.lru_cache(maxsize=16)
def _schema_hash(model: type[BaseModel]) -> str:
    import hashlib
    return hashlib.sha256(json.dumps(model.model_json_schema(), sort_keys=True).encode()).hexdigest()[:12]


def _hints(candidates: ExtractedReport, loc: Locator) -> str:
    """The recognisers' grounded candidates, people with their offsets in the normalised article."""
    data = candidates.model_dump(exclude={"directives"})
    spans = {}
    for p in candidates.people:
        hit = loc.find(p.name)
        if hit:
            spans[p.name] = list(hit)
    data["offsets_of_people"] = spans
    return json.dumps(data, ensure_ascii=False)


def _chunks(text: str) -> list[str]:
    if len(text) <= CHUNK_CHARS:
        return [text]
    chunks, cur = [], ""
    for para in text.split("\n"):
        while len(para) > CHUNK_CHARS:  # one very long line: cut it at sentence ends
            cut = para.rfind("。", 0, CHUNK_CHARS)
            cut = cut + 1 if cut > 0 else CHUNK_CHARS
            if cur:
                chunks.append(cur); cur = ""
            chunks.append(para[:cut]); para = para[cut:]
        if len(cur) + len(para) + 1 > CHUNK_CHARS and cur:
            chunks.append(cur); cur = ""
        cur = f"{cur}\n{para}" if cur else para
    if cur:
        chunks.append(cur)
    return chunks
