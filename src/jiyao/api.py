"""Python API: the same core as the CLI.

    import jiyao
    record = jiyao.extract(text)                      # offline unless an endpoint is configured
    records = jiyao.extract_many(["a.txt", "b.html"])
"""
from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from .cache import Cache
from .endpoint import EndpointConfig
from .pipeline import Extractor
from .read import Document, from_text, read_file, text_hash
from .schema import MeetingReport


def _extractor(backend: str = "auto", model: str | None = None, base_url: str | None = None, api_key: str | None = None,
               mode: str | None = None, cache: str | Path | None = None, concurrency: int = 4, **endpoint) -> Extractor:
    cfg = EndpointConfig.from_env(model=model, base_url=base_url, api_key=api_key, mode=mode, **endpoint)
    return Extractor(backend, cfg, Cache(cache) if cache else None, concurrency=concurrency)


def _doc(item: str | Path | Document, doc_id: str | None = None) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, Path) or (isinstance(item, str) and len(item) < 4096 and "\n" not in item and Path(item).is_file()):
        return read_file(Path(item), doc_id)
    return from_text(item, doc_id or text_hash(item))


async def aextract(text: str, doc_id: str | None = None, **options) -> MeetingReport:
    """One article's text (plain or HTML) → a grounded MeetingReport."""
    ex = _extractor(**options)
    try:
        return await ex.aextract(from_text(text, doc_id or text_hash(text)))
    finally:
        await ex.aclose()


def extract(text: str, doc_id: str | None = None, **options) -> MeetingReport:
    return asyncio.run(aextract(text, doc_id, **options))


async def aextract_many(items: Iterable[str | Path], **options) -> list[MeetingReport | Exception]:
    """Texts or file paths → records in input order; a failing item yields its exception."""
    ex = _extractor(**options)
    try:
        async def one(item):
            try:
                return await ex.aextract(_doc(item))
            except Exception as exc:  # noqa: BLE001 - returned, so one bad item does not lose the others
                return exc
        return list(await asyncio.gather(*(one(i) for i in items)))
    finally:
        await ex.aclose()


def extract_many(items: Iterable[str | Path], **options) -> list[MeetingReport | Exception]:
    return asyncio.run(aextract_many(list(items), **options))
