"""Python API: the same core as the CLI. A string is always article TEXT; paths go to the *_file(s)
functions (a one-line text is never guessed to be a file name).

    import jiyao
    record = jiyao.extract(text)                           # offline unless an endpoint is configured
    record = jiyao.extract_file("a.html")
    with jiyao.Extractor(model="qwen2.5-7b-instruct", base_url="http://127.0.0.1:8000/v1") as ex:
        for record in ex.iter_extract_files(["corpus/"]):  # streamed, N requests in flight
            ...

Synchronous calls work inside a running event loop (Jupyter): the work runs on the Extractor's
own loop in a background thread.
"""
from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from .agent.cache import Cache
from .read.inputs import Item, iter_items
from .agent.endpoint import EndpointConfig
from .run.extractor import Extractor as _Core
from .read.document import Document, from_text, read_file, text_hash
from .schema import MeetingReport
from .settings import CONCURRENCY


def _text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected article text (str), got {type(text).__name__}; use extract_file / extract_files for paths")
    return text


class Extractor:
    """One configured extractor for many articles: one endpoint client, one cache, one retry budget."""

    def __init__(self, backend: str = "auto", *, model: str | None = None, base_url: str | None = None,
                 api_key: str | None = None, mode: str | None = None, cache: str | Path | None = None,
                 concurrency: int = CONCURRENCY, prompts: str | Path | None = None,
                 policy: str | Path | None = None, strategy: str = "oneshot", **endpoint):
        """policy: a fusion policy file from `jiyao calibrate`; strategy: oneshot | focused (hybrid)."""
        from .agent.policy import Policy

        cfg = EndpointConfig.from_env(model=model, base_url=base_url, api_key=api_key, mode=mode, **endpoint)
        self.concurrency = max(1, concurrency)
        self.core = _Core(backend, cfg, Cache(cache) if cache else None, concurrency=self.concurrency,
                          prompts_dir=str(prompts) if prompts else None,
                          policy=Policy.load(policy) if policy else None, strategy=strategy)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def backend(self) -> str:
        return self.core.backend

    # -- the private loop: every model call runs on it, whichever thread or loop the caller is on
    def _submit(self, coro):
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="jiyao-loop", daemon=True)
            self._thread.start()
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _one(self, doc: Document) -> MeetingReport:
        if self.core.backend == "offline":
            return self.core.extract_offline(doc)
        return self._submit(self.core.aextract(doc)).result()

    def extract(self, text: str, doc_id: str | None = None) -> MeetingReport:
        """One article's text (plain or HTML) → a grounded MeetingReport."""
        text = _text(text)
        return self._one(from_text(text, doc_id or text_hash(text)))

    def extract_file(self, path: str | Path, doc_id: str | None = None) -> MeetingReport:
        return self._one(read_file(Path(path), doc_id))

    async def aextract(self, text: str, doc_id: str | None = None) -> MeetingReport:
        text = _text(text)
        return await self._aone(from_text(text, doc_id or text_hash(text)))

    async def aextract_file(self, path: str | Path, doc_id: str | None = None) -> MeetingReport:
        return await self._aone(await asyncio.to_thread(read_file, Path(path), doc_id))

    async def _aone(self, doc: Document) -> MeetingReport:
        if self.core.backend == "offline":
            return self.core.extract_offline(doc)
        return await asyncio.wrap_future(self._submit(self.core.aextract(doc)))

    def _stream(self, items: Iterable[Item]) -> Iterator[MeetingReport | Exception]:
        """Records in input order; a failing article yields its exception. At most `concurrency`
        articles are in flight, so an endless input streams in flat memory."""
        def job(item: Item):
            async def go():
                return await self.core.aextract(await asyncio.to_thread(item.load))
            return self._submit(go())

        if self.core.backend == "offline":
            for item in items:
                try:
                    yield self.core.extract_offline(item.load())
                except Exception as exc:  # noqa: BLE001 - returned, so one bad item does not lose the others
                    yield exc
            return
        window: deque = deque()
        for item in items:
            window.append(job(item))
            if len(window) >= self.concurrency:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())

    def iter_extract(self, texts: Iterable[str]) -> Iterator[MeetingReport | Exception]:
        """Texts → records, streamed in order."""
        return self._stream(Item(h, f"<text>#{h}", text=t) for t in texts for h in [text_hash(_text(t))])

    def iter_extract_files(self, paths: Iterable[str | Path], files_from: str | None = None) -> Iterator[MeetingReport | Exception]:
        """Files, folders and article tables (.jsonl/.parquet) → records, streamed in order."""
        return self._stream(iter_items(paths, files_from))

    def close(self) -> None:
        if self._loop is not None:
            self._submit(self.core.aclose()).result()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()
            self._loop = None
        if self.core.cache is not None:
            self.core.cache.close()

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    async def __aenter__(self) -> "Extractor":
        return self

    async def __aexit__(self, *exc) -> None:
        await asyncio.to_thread(self.close)


def _result(fut) -> MeetingReport | Exception:
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001
        return exc


def extract(text: str, doc_id: str | None = None, **options) -> MeetingReport:
    with Extractor(**options) as ex:
        return ex.extract(text, doc_id)


def extract_file(path: str | Path, doc_id: str | None = None, **options) -> MeetingReport:
    with Extractor(**options) as ex:
        return ex.extract_file(path, doc_id)


async def aextract(text: str, doc_id: str | None = None, **options) -> MeetingReport:
    async with Extractor(**options) as ex:
        return await ex.aextract(text, doc_id)


async def aextract_file(path: str | Path, doc_id: str | None = None, **options) -> MeetingReport:
    async with Extractor(**options) as ex:
        return await ex.aextract_file(path, doc_id)


def extract_many(texts: Iterable[str], **options) -> list[MeetingReport | Exception]:
    """Texts → records in input order; a failing item yields its exception."""
    with Extractor(**options) as ex:
        return list(ex.iter_extract(texts))


def extract_files(paths: Iterable[str | Path], **options) -> list[MeetingReport | Exception]:
    """Files, folders, article tables → records in input order; a failing item yields its exception."""
    with Extractor(**options) as ex:
        return list(ex.iter_extract_files(paths))


def iter_extract(texts: Iterable[str], **options) -> Iterator[MeetingReport | Exception]:
    """Texts → records, streamed (for inputs too large to hold)."""
    with Extractor(**options) as ex:
        yield from ex.iter_extract(texts)


def iter_extract_files(paths: Iterable[str | Path], **options) -> Iterator[MeetingReport | Exception]:
    with Extractor(**options) as ex:
        yield from ex.iter_extract_files(paths)
