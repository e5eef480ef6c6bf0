"""A folder run: stream files through an Extractor into a RecordWriter, N requests in flight.

Each file is read once; its content hash decides whether the output already has its record
(skipped), has an older version's (extracted again: `changed`), or none. Per-file problems
become error lines; a failure to write the output (disk full) ends the run with OutputError.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from .llm import LLMError
from .pipeline import Extractor, RunStats
from .read import ReadError, document, read_bytes
from .records import OutputError, RecordWriter
from .schema import Origin
from .walk import Article, iter_articles


async def run(paths: Iterable[str | Path], writer: RecordWriter, extractor: Extractor, workers: int = 4,
              on_done: Callable[[str, bool], None] | None = None, follow_symlinks: bool = False) -> RunStats:
    stats = RunStats()
    items = iter_articles(paths, follow_symlinks=follow_symlinks)

    def failed(doc_id: str, item: Article, reason: str, **extra) -> None:
        writer.error(doc_id, str(item.path), reason, **extra)
        stats.failures += 1

    async def handle(item: Article) -> bool:
        if item.error:
            failed(item.doc_id, item, item.error)
            return False
        try:
            data = read_bytes(item.path)
        except ReadError as exc:
            failed(item.doc_id, item, str(exc))
            return False
        sha = hashlib.sha256(data).hexdigest()
        state = writer.index.state(item.key, sha, item.doc_id)
        if state == "done":
            writer.skipped += 1
            return True
        doc_id = writer.claim_id(item.doc_id, item.key, sha, changed=state == "changed")
        try:
            record = await extractor.aextract(document(data, doc_id, item.path))
        except ReadError as exc:
            failed(doc_id, item, str(exc))
            return False
        except LLMError as exc:
            s = exc.stats
            failed(doc_id, item, str(exc), attempts=s.attempts if s else 0,
                   prompt_tokens=s.prompt_tokens if s else 0, completion_tokens=s.completion_tokens if s else 0)
            if s:
                stats.add(s)
            return False
        except OutputError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad article never ends the run
            failed(doc_id, item, f"{type(exc).__name__}: {exc}")
            return False
        writer.write(record, Origin(path=item.key, sha256=sha))
        writer.changed += state == "changed"
        stats.records += 1
        if record.usage:
            stats.add(record.usage)
        return True

    async def worker() -> None:
        for item in items:  # one shared iterator: files are listed lazily, memory stays flat
            ok = await handle(item)
            if on_done:
                on_done(item.doc_id, ok)

    n = 1 if extractor.backend == "offline" else max(1, workers)
    await asyncio.gather(*(worker() for _ in range(n)))
    return stats
