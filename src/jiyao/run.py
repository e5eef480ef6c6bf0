"""A run: stream articles through an Extractor into a RecordWriter.

Offline, articles are CPU work: `run_offline` spreads them over worker processes (one Extractor
each), keeps the input order in the output, and holds only a bounded window of articles in
flight. With an endpoint, articles are I/O: `run` keeps N requests in flight on one event loop.
"""
from __future__ import annotations

import asyncio
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from .llm import LLMError
from .pipeline import Extractor, RunStats
from .read import ReadError
from .records import RecordWriter
from .inputs import Item
from .schema import MeetingReport

OnDone = Callable[[str, bool], None]


def _error_fields(exc: Exception) -> tuple[str, dict]:
    """The error line of one failed article: a message, and what an LLM failure had cost."""
    if isinstance(exc, ReadError):
        return str(exc), {}
    if isinstance(exc, LLMError):
        s = exc.stats
        return str(exc), {"attempts": s.attempts if s else 0, "prompt_tokens": s.prompt_tokens if s else 0,
                          "completion_tokens": s.completion_tokens if s else 0}
    return f"{type(exc).__name__}: {exc}", {}


def _record(stats: RunStats, writer: RecordWriter, item: Item, record: MeetingReport | None,
            exc: Exception | None, on_done: OnDone | None) -> None:
    if record is not None:
        writer.write(record)
        stats.records += 1
        if record.usage:
            stats.add(record.usage)
    else:
        reason, extra = _error_fields(exc)
        writer.error(item.doc_id, item.where, reason, **extra)
        stats.failures += 1
        if isinstance(exc, LLMError) and exc.stats:
            stats.add(exc.stats)
    if on_done:
        on_done(item.doc_id, record is not None)


def _todo(items: Iterable[Item], writer: RecordWriter, stats: RunStats, on_done: OnDone | None) -> Iterator[Item]:
    """Items not yet in the output (resume)."""
    for item in items:
        if item.doc_id in writer.done:
            stats.skipped += 1
            if on_done:
                on_done(item.doc_id, True)
            continue
        yield item


async def run(items: Iterable[Item], writer: RecordWriter, extractor: Extractor, concurrency: int = 4,
              on_done: OnDone | None = None) -> RunStats:
    stats = RunStats()
    todo = _todo(items, writer, stats, on_done)

    async def worker() -> None:
        for item in todo:  # one shared iterator: articles are listed lazily, memory stays flat
            try:
                record, exc = await extractor.aextract(await asyncio.to_thread(item.load)), None
            except Exception as e:  # noqa: BLE001 - one bad article never ends the run
                record, exc = None, e
            _record(stats, writer, item, record, exc, on_done)

    n = 1 if extractor.backend == "offline" else max(1, concurrency)
    await asyncio.gather(*(worker() for _ in range(n)))
    return stats


_WORKER: dict[str, Extractor] = {}


def _extract_in_worker(item: Item) -> tuple[str | None, Exception | None]:
    """One article in a worker process: the record as JSON (cheap to send back), or the error."""
    ex = _WORKER.get("ex") or _WORKER.setdefault("ex", Extractor("offline"))
    try:
        return ex.extract_offline(item.load()).model_dump_json(), None
    except Exception as exc:  # noqa: BLE001 - sent back and written as this article's error line
        return None, exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")


def _picklable(exc: Exception) -> bool:
    import pickle
    try:
        pickle.dumps(exc)
        return True
    except Exception:  # noqa: BLE001
        return False


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_offline(items: Iterable[Item], writer: RecordWriter, workers: int | None = None,
                on_done: OnDone | None = None) -> RunStats:
    """The offline backend over every core: records in input order, a bounded window in flight."""
    stats = RunStats()
    todo = _todo(items, writer, stats, on_done)
    workers = workers or default_workers()
    if workers <= 1:
        ex = Extractor("offline")
        for item in todo:
            try:
                record, exc = ex.extract_offline(item.load()), None
            except Exception as e:  # noqa: BLE001 - one bad article never ends the run
                record, exc = None, e
            _record(stats, writer, item, record, exc, on_done)
        return stats
    window: deque[tuple[Item, Future]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        def drain_one() -> None:
            item, fut = window.popleft()
            js, exc = fut.result()
            _record(stats, writer, item, MeetingReport.model_validate_json(js) if js else None, exc, on_done)

        for item in todo:
            window.append((item, pool.submit(_extract_in_worker, item)))
            if len(window) >= workers * 8:  # enough to keep every worker busy, never the whole corpus
                drain_one()
        while window:
            drain_one()
    return stats
