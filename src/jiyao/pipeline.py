"""The one core under the CLI and the Python API: document → record, with a chosen backend.

offline: recognisers only.  llm: the model alone.  hybrid: recogniser candidates go into the
prompt as hints; the model confirms, corrects and completes them.  Every backend's answer is
grounded the same way (ground.to_record).
"""
from __future__ import annotations

import asyncio
import functools
import json
import time
import typing

from .cache import Cache, cache_key
from .endpoint import EndpointConfig, EndpointFatal, LLMError
from .ground import Locator, ground, to_record
from .limits import Allowance, RetryBudget
from .prompting import load as load_prompts
from .read import Document
from .recognise import recognise
from .schema import ExtractedReport, MeetingReport, Usage
from .settings import BACKENDS, CONCURRENCY, RETRY_BUDGET, resolve_backend

if typing.TYPE_CHECKING:
    from .llm import LLMClient

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
                 concurrency: int = CONCURRENCY, retry_budget: int | None = RETRY_BUDGET, prompts_dir: str | None = None):
        """retry_budget: fault retries for the whole run; None = scales with the run (limits.RetryBudget)."""
        self.endpoint = endpoint or EndpointConfig.from_env()
        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        backend = resolve_backend(backend, self.endpoint.configured)
        if backend in ("llm", "hybrid") and not self.endpoint.configured:
            raise ConfigError(
                f"backend {backend!r} needs an OpenAI-compatible endpoint: pass --model and --base-url "
                "(or --api-key), or set JIYAO_MODEL with OPENAI_BASE_URL / OPENAI_API_KEY; "
                "or use --backend offline")
        self.backend = backend
        self.cache = cache
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.prompts = load_prompts(prompts_dir) if backend != "offline" else None
        self._client: "LLMClient | None" = None
        self._budget = RetryBudget(retry_budget)

    @property
    def client(self) -> "LLMClient":
        if self._client is None:
            from .llm import LLMClient  # openai + instructor: imported only when an endpoint is used
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

    async def aextract(self, doc: Document) -> MeetingReport:
        if self.backend == "offline":
            return self.extract_offline(doc)
        chunks = _chunks(doc.norm.text)
        allowance = Allowance(self.endpoint.max_calls)
        if len(chunks) > allowance.total:
            raise LLMError(f"article too long for the model: {len(doc.norm.text):,} characters need {len(chunks)} "
                           f"calls, over the per-article cap of {allowance.total} (--max-calls)")
        self._budget.grow()
        # per-article CPU (recognisers, grounding) runs off the event loop, which keeps the
        # requests of the other articles moving
        loc, hints, candidates = await asyncio.to_thread(self._prepare, doc)
        usage = Usage(backend=self.backend, model=self.endpoint.model, prompt_hash=self.prompts.hash)
        # chunks are asked concurrently (the semaphore bounds requests in flight); answers and
        # warnings stay in article order
        per_chunk: list[list[str]] = [[] for _ in chunks]
        try:
            async with asyncio.TaskGroup() as tg:  # one chunk failing cancels the others
                tasks = [tg.create_task(self._ask(c, hints, loc, usage, w, allowance)) for c, w in zip(chunks, per_chunk)]
        except ExceptionGroup as group:  # the article's error, a run-ending one first
            errors = sorted(group.exceptions, key=lambda e: not isinstance(e, EndpointFatal))
            raise errors[0] from None
        answers = [t.result() for t in tasks]
        warnings = [w for ws in per_chunk for w in ws]
        usage.latency_s = round(usage.latency_s, 3)
        return await asyncio.to_thread(self._finish, doc, answers, candidates, usage, warnings)

    def _prepare(self, doc: Document) -> tuple[Locator, str | None, ExtractedReport | None]:
        loc = Locator(doc)
        hints = candidates = None
        if self.backend == "hybrid":
            # grounded once: the same candidates are the prompt's hints and the fallback values
            candidates = ground(recognise(doc.norm.text, doc.page_date, doc.page_title), doc).report
            hints = _hints(candidates, loc)
        return loc, hints, candidates

    def _finish(self, doc: Document, answers: list[ExtractedReport], candidates: ExtractedReport | None,
                usage: Usage, warnings: list[str]) -> MeetingReport:
        merged = _merge(answers)
        model_dropped = []
        if candidates is not None:
            merged, model_dropped = _fall_back(merged, candidates, doc, warnings)
        record = to_record(doc, merged, usage, warnings)
        # diagnostics count what the model said that the text lacks, replaced or not
        d = record.diagnostics
        d.dropped_ungrounded = list(dict.fromkeys(model_dropped + d.dropped_ungrounded))
        return record

    async def _ask(self, text: str, hints: str | None, loc: Locator, usage: Usage, warnings: list[str],
                   allowance: Allowance | None = None) -> ExtractedReport:
        """One chunk's answer, from the cache or the endpoint; its warnings are added to `warnings`."""
        messages = self.prompts.messages(text, hints)
        key = cache_key(model=self.endpoint.model, messages=messages, schema=_schema_hash(), mode=self.client.mode,
                        temperature=self.endpoint.temperature, max_tokens=self.endpoint.max_tokens,
                        validation_retries=self.endpoint.validation_retries)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                usage.cache_hits += 1
                return ExtractedReport.model_validate(hit)
        async with self.semaphore:
            try:
                # the Locator itself: its explain() tells the model why a value was not found
                answer, stats, warn = await self.client.extract(messages, contains=loc, allowance=allowance)
            except LLMError as exc:
                if exc.stats:
                    usage.add(exc.stats)
                raise
        usage.add(stats)
        warnings.extend(warn)
        if self.cache is not None:
            self.cache.put(key, answer.model_dump())
        return answer


@functools.cache
def _schema_hash() -> str:
    import hashlib
    return hashlib.sha256(json.dumps(ExtractedReport.model_json_schema(), sort_keys=True).encode()).hexdigest()[:12]


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


def _fall_back(answer: ExtractedReport, cand: ExtractedReport, doc: Document,
               warnings: list[str]) -> tuple[ExtractedReport, list[str]]:
    """Hybrid: where the model gave a value the text does not contain (it will be dropped), use the
    recognisers' grounded candidate for that field instead. A field the model left empty stays
    empty: that may be a correction."""
    g = ground(answer, doc)
    dropped, grounded = g.dropped, g.report
    if not dropped:
        return answer, []
    out = answer.model_copy(deep=True)
    filled = []

    def fill_list(have: list, extra: list) -> None:
        have.extend(x for x in extra if x not in have)

    for ptr in dropped:
        parts = ptr.strip("/").split("/")
        if ptr == "/headline" and cand.headline:
            out.headline = cand.headline
        elif parts[0] == "source" and parts[1] == "outlet":
            out.source.outlet = cand.source.outlet
        elif parts[0] == "source" and parts[1] in ("reporters", "photographers", "editors"):
            fill_list(getattr(out.source, parts[1]), getattr(cand.source, parts[1]))
        elif parts[0] == "meeting" and out.meeting is not None and cand.meeting is not None:
            name = parts[1]
            setattr(out.meeting, name, getattr(cand.meeting, name))
            if name == "date":
                out.meeting.time_of_day = out.meeting.time_of_day or cand.meeting.time_of_day
        elif parts[0] == "people" and len(parts) == 4:  # /people/<i>/titles/<title>: i counts grounded people
            name = grounded.people[int(parts[1])].name
            mine = next(p for p in out.people if p.name == name)
            theirs = next((p for p in cand.people if p.name == name), None)
            if theirs is None:
                continue
            mine.titles = theirs.titles
        elif parts[0] == "people":
            have = {p.name for p in out.people}
            out.people.extend(p for p in cand.people if p.name not in have)
        elif parts[0] in ("upstream_meetings", "slogans"):
            fill_list(getattr(out, parts[0]), getattr(cand, parts[0]))
        else:
            continue
        filled.append(ptr)
    if filled:
        warnings.append("ungrounded model values replaced by offline candidates: " + "; ".join(filled))
    return out, dropped


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


def _merge(answers: list[ExtractedReport]) -> ExtractedReport:
    """Chunks' answers in article order: first non-null scalars, lists united without repeats."""
    if len(answers) == 1:
        return answers[0]
    out = answers[0].model_copy(deep=True)
    for a in answers[1:]:
        out.headline = out.headline or a.headline
        if out.meeting is None:
            out.meeting = a.meeting
        for f in ("reporters", "photographers", "editors"):
            cur = getattr(out.source, f)
            cur.extend(x for x in getattr(a.source, f) if x not in cur)
        out.source.outlet = out.source.outlet or a.source.outlet
        out.source.published_date = out.source.published_date or a.source.published_date
        names = {p.name: p for p in out.people}
        for p in a.people:
            if p.name in names:
                q = names[p.name]
                q.titles += [t for t in p.titles if t not in q.titles]
                q.roles = sorted(set(q.roles) | set(p.roles))
            else:
                out.people.append(p); names[p.name] = p
        out.upstream_meetings += [x for x in a.upstream_meetings if x not in out.upstream_meetings]
        out.slogans += [x for x in a.slogans if x not in out.slogans]
        out.directives += a.directives
    return out
