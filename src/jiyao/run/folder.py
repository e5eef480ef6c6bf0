"""A run: stream articles through an Extractor into a RecordWriter.

Each article is read once in this process; its content hash decides whether the output already
has its record (skipped), has an older version's (extracted again: `changed`), or none. Per-file
problems become error lines; a failure to write the output (disk full) ends the run (OutputError).

Offline, articles are CPU work: `run_offline` spreads them over worker processes (one Extractor
each), keeps the input order in the output, and holds only a bounded window in flight. With an
endpoint, articles are I/O: `run` keeps N requests in flight on one event loop.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ..read.inputs import Item
from ..agent.endpoint import EndpointFatal, LLMError
from .extractor import Extractor, RunStats
from ..read.document import ReadError
from .records import OutputError, RecordWriter
from ..schema import MeetingReport, Origin

OnDone = Callable[[str, bool], None]


@dataclass
class Claimed:
    """An article this run extracts: its final doc_id, bytes and hash."""
    item: Item
    doc_id: str
    data: bytes
    sha256: str
    changed: bool
    key: str  # its origin path in this output


class _Run:
    def __init__(self, writer: RecordWriter, on_done: OnDone | None):
        self.writer, self.on_done, self.stats = writer, on_done, RunStats()

    def claim(self, item: Item, data: bytes | ReadError | None = None) -> Claimed | None:
        """Read the article (unless `data` was read elsewhere) and decide: extract it (Claimed),
        or it is done / failed (None). Only ever called from one thread: it updates the index."""
        try:
            data = item.content() if data is None else data
            if isinstance(data, ReadError):
                raise data
        except ReadError as exc:
            self.failed(item, item.doc_id, str(exc))
            return None
        sha = hashlib.sha256(data).hexdigest()
        key = item.origin(self.writer.base)  # relative to the output's folder: the same from any working folder
        state = self.writer.index.state(key, sha, item.doc_id)
        if state == "done":
            self.writer.skipped += 1
            self.stats.skipped += 1
            self._done(item.doc_id, True)
            return None
        doc_id = self.writer.claim_id(item.doc_id, key, sha, changed=state == "changed")
        return Claimed(item, doc_id, data, sha, state == "changed", key)

    def finish(self, c: Claimed, record: MeetingReport | None, exc: Exception | None) -> None:
        if record is None:
            self.failed(c.item, c.doc_id, *_error_fields(exc))
            if isinstance(exc, LLMError) and exc.stats:
                self.stats.add(exc.stats)
            if isinstance(exc, EndpointFatal):  # no other article can succeed: stop taking new ones
                self.stats.fatal = self.stats.fatal or str(exc)
            return
        self.writer.write(record, Origin(path=c.key, sha256=c.sha256))
        self.writer.changed += c.changed
        self.stats.records += 1
        outcome = record.diagnostics.model if record.diagnostics else None
        if outcome is not None:  # a record written, the model's answers kept in part or not at all
            self.stats.model_failed += outcome.status == "failed"
            self.stats.model_partial += outcome.status == "partial"
        if record.usage:
            self.stats.add(record.usage)
        self._done(c.doc_id, True)

    def failed(self, item: Item, doc_id: str, reason: str, extra: dict | None = None) -> None:
        self.writer.error(doc_id, item.where, reason, **(extra or {}))
        self.stats.failures += 1
        self._done(doc_id, False)

    def _done(self, doc_id: str, ok: bool) -> None:
        if self.on_done:
            self.on_done(doc_id, ok)


def _error_fields(exc: Exception) -> tuple[str, dict]:
    """The error line of one failed article: a message, and what an LLM failure had cost."""
    if isinstance(exc, ReadError):
        return str(exc), {}
    if isinstance(exc, LLMError):
        s = exc.stats
        return str(exc), {"attempts": s.attempts if s else 0, "prompt_tokens": s.prompt_tokens if s else 0,
                          "completion_tokens": s.completion_tokens if s else 0}
    return f"{type(exc).__name__}: {exc}", {}


async def run(items: Iterable[Item], writer: RecordWriter, extractor: Extractor, concurrency: int = 4,
              on_done: OnDone | None = None) -> RunStats:
    r = _Run(writer, on_done)
    it = iter(items)
    cache = extractor.cache

    async def worker() -> None:
        for item in it:  # one shared iterator: articles are listed lazily, memory stays flat
            if r.stats.fatal or (cache is not None and cache.broken):
                break
            c = r.claim(item, await asyncio.to_thread(_read, item))
            if c is None:
                continue
            try:
                doc = await asyncio.to_thread(c.item.document, c.data, c.doc_id)
                record, exc = await extractor.aextract(doc), None
            except Exception as e:  # noqa: BLE001 - one bad article never ends the run
                record, exc = None, e
            r.finish(c, record, exc)

    n = 1 if extractor.backend == "offline" else max(1, concurrency)
    await asyncio.gather(*(worker() for _ in range(n)))
    if cache is not None and cache.broken:  # disk full: the answers in flight are written, then stop
        raise OutputError(str(cache.broken))
    return r.stats


def _read(item: Item) -> bytes | ReadError:
    try:
        return item.content()
    except ReadError as exc:
        return exc


_WORKER: dict[str, Extractor] = {}


class WorkerDied(RuntimeError):
    """The worker process extracting an article died (killed, out of memory) on it twice."""


def _init_worker(inherited: tuple[int, ...], parent: int) -> None:
    """A pool worker, just forked: it lets go of the files it inherited (the output's lock among
    them: a worker left behind by a killed run must not keep every resume out), and ends when
    its parent is gone (SIGKILL and SIGTERM leave no time to shut the pool down)."""
    import threading
    import time

    for fd in inherited:
        try:
            os.close(fd)  # the parent's copy still holds the lock: only a close, never an unlock
        except OSError:
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _extract(c: Claimed) -> tuple[str | None, Exception | None]:
    """One article in a worker process: the record as JSON (cheap to send back), or the error."""
    ex = _WORKER.get("ex") or _WORKER.setdefault("ex", Extractor("offline"))
    try:
        return ex.extract_offline(c.item.document(c.data, c.doc_id)).model_dump_json(), None
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
    r = _Run(writer, on_done)
    workers = workers or default_workers()
    if workers <= 1:
        ex = Extractor("offline")
        for item in items:
            c = r.claim(item)
            if c is None:
                continue
            try:
                record, exc = ex.extract_offline(c.item.document(c.data, c.doc_id)), None
            except Exception as e:  # noqa: BLE001 - one bad article never ends the run
                record, exc = None, e
            r.finish(c, record, exc)
        return r.stats
    pool = _Pool(workers, writer, r)
    try:
        for item in items:
            c = r.claim(item)
            if c is not None:
                pool.submit(c)
            if len(pool.window) >= workers * 8:  # enough to keep every worker busy, never the whole corpus
                pool.drain_one()
        while pool.window:
            pool.drain_one()
    finally:
        pool.close()
    return r.stats


class _Pool:
    """Worker processes with a window of articles in flight, answered in input order. A worker
    that dies (killed, out of memory) breaks the whole pool: the articles it left unanswered are
    tried again one at a time in a fresh pool, so only the one that kills a worker again gets an
    error line, and the run goes on."""

    def __init__(self, workers: int, writer, r: _Run):
        self.workers, self.writer, self.r = workers, writer, r
        self.window: deque[tuple[Claimed, Future | None]] = deque()
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker,
                                   initargs=(self.writer.inherited_fds(), os.getpid()))

    def submit(self, c: Claimed) -> None:
        try:
            self.window.append((c, self.pool.submit(_extract, c)))
        except BrokenProcessPool:
            self.window.append((c, None))
            self._recover()

    def drain_one(self) -> None:
        c, fut = self.window[0]
        try:
            js, exc = fut.result()
        except BrokenProcessPool:
            self._recover()
            return
        self.window.popleft()
        self.r.finish(c, MeetingReport.model_validate_json(js) if js else None, exc)

    def _recover(self) -> None:
        """Answer the whole window: finished futures as they are, the others one by one."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()
        window, self.window = list(self.window), deque()
        for c, fut in window:
            if fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None:
                js, exc = fut.result()
            else:
                try:
                    js, exc = self.pool.submit(_extract, c).result()
                except BrokenProcessPool:
                    self.pool.shutdown(wait=False, cancel_futures=True)
                    self.pool = self._new()
                    js, exc = None, WorkerDied("the worker process extracting this article died twice "
                                               "(killed, or out of memory); re-run to try it again")
            self.r.finish(c, MeetingReport.model_validate_json(js) if js else None, exc)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
