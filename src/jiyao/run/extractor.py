"""The one core under the CLI and the Python API: document → record, with a chosen backend.

offline: recognisers only.  llm: the model alone.  hybrid: the recognisers' candidates and the
model's answer (one whole-record prompt with the candidates as hints, or focused questions about
what the rules are unsure of), fused value by value by the agent (agent.py) under a policy
(policy.py).  Every backend's answer is grounded the same way (ground.to_record).

Degrade, never lose: whatever the model does (no valid answer, refusals, timeouts, the call cap,
a dead endpoint), hybrid writes the rules' record, the offline record, and says why in
`diagnostics.model`; the llm backend fails an article only when no question got a valid answer.
Only a run-ending condition (bad key, unknown model: EndpointFatal) ends the run. After the
endpoint is declared dead (EndpointDead) nothing more is sent: hybrid gives every article left
the rules' record (status failed, "endpoint dead"), the llm backend stops the run.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
import typing

from pydantic import BaseModel

from ..agent.calllog import TRACE, ArticleTrace, CallLog
from ..agent.fuse import Fusion, ModelView, confidence, fused_record
from ..agent.merge import merge_answers
from ..agent.cache import Cache, cache_key
from ..agent.endpoint import EndpointConfig, EndpointDead, EndpointFatal, LLMError
from ..ground.spans import Locator, ground, to_record
from ..agent.limits import Allowance, RetryBudget
from ..agent.policy import Policy
from ..agent.prompting import load as load_prompts
from ..read.document import Document
from ..recognise import recognise
from ..schema import ExtractedReport, MeetingReport, ModelOutcome, Usage
from ..settings import BACKENDS, CONCURRENCY, RETRY_BUDGET, STRATEGIES, resolve_backend

if typing.TYPE_CHECKING:
    from ..agent.llm import LLMClient

log = logging.getLogger("jiyao")
CHUNK_CHARS = 6000  # longer articles go to the model in paragraph-aligned chunks


class ConfigError(ValueError):
    pass


class RunStats(Usage):
    """A run's totals: the records' costs summed, plus what failed articles spent."""
    backend: str = "run"
    records: int = 0
    failures: int = 0
    skipped: int = 0  # already in the output (resume)
    model_failed: int = 0  # records written without any valid model answer (hybrid: the rules' record)
    model_partial: int = 0  # records from model answers with fields or questions dropped
    fatal: str | None = None  # why the run stopped early (bad key, unknown model, dead endpoint)


class Extractor:
    def __init__(self, backend: str = "auto", endpoint: EndpointConfig | None = None, cache: Cache | None = None,
                 concurrency: int = CONCURRENCY, retry_budget: int | None = RETRY_BUDGET, prompts_dir: str | None = None,
                 policy: Policy | None = None, strategy: str = "oneshot", calls: CallLog | None = None):
        """retry_budget: fault retries for the whole run; None = scales with the run (limits.RetryBudget).
        policy / strategy: how the hybrid agent fuses rules and model (policy.py), and whether it asks
        one whole-record question or focused ones (questions.py). calls: where each article's model
        calls are logged (calllog.py), or None."""
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
        self.calls = calls

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
        trace = ArticleTrace(doc.doc_id, keep_calls=self.calls is not None)
        token = TRACE.set(trace)  # the article's calls land in its trace, chunks and questions included
        record, error = None, None
        try:
            # per-article CPU (recognisers, grounding) runs off the event loop, which keeps the
            # requests of the other articles moving
            loc = await asyncio.to_thread(Locator, doc)
            if self.backend == "hybrid":
                record = await self._hybrid(doc, loc, usage, warnings, trace)
            else:
                answers, _ = await self._ask_chunks(doc, loc, None, usage, warnings)
                usage.latency_s = round(usage.latency_s, 3)
                record = await asyncio.to_thread(to_record, doc, merge_answers(answers), usage, warnings, loc)
                record.diagnostics.model = trace.outcome()
            return record
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            TRACE.reset(token)
            if self.calls is not None:
                self.calls.write(trace, record, error)

    async def _hybrid(self, doc: Document, loc: Locator, usage: Usage, warnings: list[str],
                      trace: ArticleTrace) -> MeetingReport:
        """The recognisers' grounded candidates and the model's grounded answer, fused by the
        agent (agent.py) under the policy; the record says per value where it came from. Without
        any valid answer (or when the fusion fails), the rules' record."""
        found = await asyncio.to_thread(recognise, doc.norm.text, doc.page_date, doc.page_title)
        rules = await asyncio.to_thread(lambda: ground(found, doc, loc).report)
        view = None
        try:
            view, dropped = await self.model_view(doc, rules, usage, warnings, loc)
        except EndpointFatal as exc:
            if not isinstance(exc, EndpointDead):  # a bad key or an unknown model: the run stops (re-run resumes)
                raise
            failed = str(exc)  # nothing more is sent: this article and every later one keep the rules
        except LLMError as exc:  # whatever the model did, the article keeps the rules' record
            failed = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug on the model's side of the agent must not cost the article
            log.warning("%s: the model's answer could not be used (%s: %s); the rules' record is kept",
                        doc.doc_id, type(exc).__name__, exc, exc_info=log.isEnabledFor(logging.DEBUG))
            failed = f"{type(exc).__name__}: {exc}"
        usage.latency_s = round(usage.latency_s, 3)
        if view is None:
            trace.answered = 0  # answers to earlier questions are not used either
            if not trace.failures:
                trace.fail(failed)
        outcome = trace.outcome()
        if outcome.status != "failed":
            try:
                record, _ = await asyncio.to_thread(fused_record, doc, rules, view, self.policy, usage, warnings, loc)
            except Exception as exc:  # noqa: BLE001 - a fusion bug must not cost the article
                log.warning("%s: fusing the model's answer failed (%s: %s); the rules' record is kept",
                            doc.doc_id, type(exc).__name__, exc, exc_info=log.isEnabledFor(logging.DEBUG))
                outcome = ModelOutcome(status="failed", reason=f"fusion failed: {type(exc).__name__}: {exc}"[:500])
            else:
                d = record.diagnostics
                # diagnostics count what the model said that the text lacks
                d.dropped_ungrounded = list(dict.fromkeys(dropped + d.dropped_ungrounded))
                d.model = outcome
                return record
        record = await asyncio.to_thread(self.rules_record, doc, found, usage, warnings, loc)
        record.diagnostics.model = outcome
        return record

    def rules_record(self, doc: Document, found: ExtractedReport, usage: Usage, warnings: list[str],
                     loc: Locator) -> MeetingReport:
        """The offline record (the same values and evidence), every value's source the rules."""
        record = to_record(doc, found, usage, warnings, loc)
        record.confidence = confidence(record, Fusion(record, _AllRules()), self.policy)
        return record

    async def model_view(self, doc: Document, rules: ExtractedReport, usage: Usage, warnings: list[str],
                         loc: Locator | None = None) -> tuple[ModelView, list[str]]:
        """The model's grounded answer (and the pointers grounding dropped) under this strategy."""
        loc = loc or Locator(doc)
        if self.strategy == "focused":
            from ..agent.questions import ask_focused
            return await ask_focused(self, doc, rules, loc, usage, warnings)
        hints = await asyncio.to_thread(_hints, rules, loc)
        answers, failed = await self._ask_chunks(doc, loc, hints, usage, warnings)
        g = await asyncio.to_thread(ground, merge_answers(answers), doc, loc)
        # a chunk without an answer: what the others lack is not what the model left out
        return ModelView(g.report, partial=bool(failed)), g.dropped

    async def _ask_chunks(self, doc: Document, loc: Locator, hints: str | None, usage: Usage,
                          warnings: list[str]) -> tuple[list[ExtractedReport], list[LLMError]]:
        """(every chunk's answer, the chunks' errors). Chunks are asked concurrently (the semaphore
        bounds requests in flight); answers and warnings stay in article order. A chunk without a
        valid answer leaves the others; the article fails only when none has one, and a run-ending
        error cancels the other chunks at once."""
        chunks = _chunks(doc.norm.text)
        allowance = Allowance(self.endpoint.max_calls)
        if len(chunks) > allowance.total:
            raise LLMError(f"article too long for the model: {len(doc.norm.text):,} characters need {len(chunks)} "
                           f"calls, over the per-article cap of {allowance.total} (--max-calls)")
        per_chunk: list[list[str]] = [[] for _ in chunks]

        async def one(i: int, chunk: str, w: list[str]):
            kind = f"chunk {i + 1}/{len(chunks)}" if len(chunks) > 1 else "oneshot"
            try:
                return await self._ask(self.prompts.messages(chunk, hints), loc, usage, w, allowance=allowance, kind=kind)
            except EndpointFatal:
                raise
            except LLMError as exc:
                return exc
        try:
            async with asyncio.TaskGroup() as tg:  # a run-ending error cancels the other chunks
                tasks = [tg.create_task(one(i, c, w)) for i, (c, w) in enumerate(zip(chunks, per_chunk))]
        except ExceptionGroup as group:  # the article's error, a run-ending one first
            errors = sorted(group.exceptions, key=lambda e: not isinstance(e, EndpointFatal))
            raise errors[0] from None
        results = [t.result() for t in tasks]
        answers = [r for r in results if not isinstance(r, LLMError)]
        failed = [r for r in results if isinstance(r, LLMError)]
        if not answers:
            raise failed[0]
        warnings.extend(w for ws in per_chunk for w in ws)
        return answers, failed

    async def _ask(self, messages: list[dict], loc: Locator, usage: Usage, warnings: list[str],
                   answer_model: type[BaseModel] = ExtractedReport, allowance: Allowance | None = None,
                   kind: str | None = None) -> BaseModel:
        """One answer, from the cache or the endpoint; answer_model: a focused question's smaller
        schema. Its warnings are added to `warnings`; what became of it goes to the article's trace."""
        kind = kind or ("oneshot" if answer_model is ExtractedReport else f"focused:{answer_model.__name__}")
        trace = TRACE.get()
        key = cache_key(model=self.endpoint.model, messages=messages, schema=_schema_hash(answer_model),
                        mode=self.client.mode, temperature=self.endpoint.temperature,
                        max_tokens=self.endpoint.max_tokens, validation_retries=self.endpoint.validation_retries)
        if self.cache is not None:
            # a damaged entry (not JSON, not this schema) is asked again
            hit = self.cache.get(key, functools.partial(_from_cache, answer_model))
            if hit is not None:
                usage.cache_hits += 1
                answer, dropped = hit
                if trace is not None:
                    trace.answer(dropped, [])
                return answer
        async with self.semaphore:
            try:
                # the Locator itself: its explain() tells the model why a value was not found
                answer, stats, warn = await self.client.extract(
                    messages, contains=loc, allowance=allowance,
                    answer_model=None if answer_model is ExtractedReport else answer_model, kind=kind)
            except LLMError as exc:
                if exc.stats:
                    usage.add(exc.stats)
                if trace is not None:
                    trace.fail(f"{kind}: {exc}" if kind != "oneshot" else str(exc))
                if self.backend == "hybrid" and answer_model is not ExtractedReport and not isinstance(exc, EndpointFatal):
                    # a focused question without an answer is no opinion (focused views are partial):
                    # the other questions' answers stay; with none at all, the rules' record is kept
                    return answer_model.model_construct(**dict.fromkeys(answer_model.model_fields))  # no answer: null
                raise
        usage.add(stats)
        warnings.extend(warn)
        if trace is not None:
            trace.answer(stats.dropped, stats.notes)
        if self.cache is not None:
            self.cache.put(key, {**answer.model_dump(), **({_DROPPED: stats.dropped} if stats.dropped else {})})
        return answer


class _AllRules(dict):
    """The sources of the rules' record: every value is the rules' (fuse.pointer_sources asks)."""

    def get(self, key, default=None):
        return ("rules", False)


def _from_cache(answer_model: type[BaseModel], value) -> tuple[BaseModel, list[str]]:
    """(the cached answer, what salvage dropped from it); ValueError for an entry of another shape."""
    if not isinstance(value, dict):
        raise ValueError("not a cached answer")
    dropped = value.get(_DROPPED, [])
    if not isinstance(dropped, list) or not all(isinstance(p, str) for p in dropped):
        raise ValueError("not a cached answer: what was dropped is not a list of pointers")
    return answer_model.model_validate({k: v for k, v in value.items() if k != _DROPPED}), dropped


_DROPPED = "_jiyao_dropped"  # beside a cached answer: what salvage dropped from it (the outcome on a cache hit)


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
