"""A folder run: stream files through an Extractor into a RecordWriter, N requests in flight."""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path

from .endpoint import EndpointFatal, LLMError
from .pipeline import Extractor, RunStats
from .read import ReadError, read_file
from .records import RecordWriter
from .walk import iter_articles


async def run(paths: Iterable[str | Path], writer: RecordWriter, extractor: Extractor, workers: int = 4,
              on_done: Callable[[str, bool], None] | None = None) -> RunStats:
    stats = RunStats()
    items = iter_articles(paths)

    async def handle(doc_id: str, path: Path) -> None:
        ok = False
        try:
            # decoding and normalising run off the event loop when requests are in flight
            doc = read_file(path, doc_id) if extractor.backend == "offline" else await asyncio.to_thread(read_file, path, doc_id)
            record = await extractor.aextract(doc)
            writer.write(record)
            stats.records += 1
            if record.usage:
                stats.add(record.usage)
            ok = True
        except ReadError as exc:
            writer.error(doc_id, str(path), str(exc))
            stats.failures += 1
        except LLMError as exc:
            s = exc.stats
            writer.error(doc_id, str(path), str(exc), attempts=s.attempts if s else 0,
                         prompt_tokens=s.prompt_tokens if s else 0, completion_tokens=s.completion_tokens if s else 0)
            stats.failures += 1
            if s:
                stats.add(s)
            if isinstance(exc, EndpointFatal):  # no other article can succeed: stop taking new ones
                stats.fatal = stats.fatal or str(exc)
        except Exception as exc:  # noqa: BLE001 - one bad article never ends the run
            writer.error(doc_id, str(path), f"{type(exc).__name__}: {exc}")
            stats.failures += 1
        if on_done:
            on_done(doc_id, ok)

    async def worker() -> None:
        for doc_id, path in items:  # one shared iterator: files are listed lazily, memory stays flat
            if stats.fatal:
                break
            if doc_id in writer.done:
                if on_done:
                    on_done(doc_id, True)
                continue
            await handle(doc_id, path)

    n = 1 if extractor.backend == "offline" else max(1, workers)
    await asyncio.gather(*(worker() for _ in range(n)))
    return stats
