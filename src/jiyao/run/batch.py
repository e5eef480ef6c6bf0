"""Batch APIs: the online path's requests written as an OpenAI Batch API file, and the batch's
results turned into records exactly as the online path would.

Why through the Extractor itself: `prepare` runs the online path with a client that records each
request instead of sending it, and `collect` runs it again with a client that answers from the
results file. Chunking, hybrid hints, merging, grounding and the fallback to the recognisers are
the online code, not a copy of it, so a batch gives the records the online path gives.

Request line (what vLLM's `run-batch` and the OpenAI Batch API read):
    {"custom_id": "<doc_id>#<chunk>/<chunks>#<prompt digest>", "method": "POST",
     "url": "/v1/chat/completions", "body": {model, messages, temperature, max_tokens, + mode params}}
The digest is of the messages the pipeline built: at collect time a result is used only for the
very prompt it answered, so an article or prompt edited since `prepare` is an error, not a wrong record.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .batch_remote import MAX_BYTES, MAX_REQUESTS, URL
from ..read.inputs import iter_items
from ..agent.llm import CallStats, LLMError, _Request, read_answer
from ..agent.salvage import Answer
from .extractor import Extractor, RunStats
from .records import OutputError
from ..read.document import ReadError
from ..schema import ExtractedReport

NO_REASK = "batch answers are not re-asked; values not in the article are dropped"


def prompt_digest(messages: list[dict]) -> str:
    return hashlib.sha256(json.dumps(messages, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def custom_id(doc_id: str, chunk: int, chunks: int, messages: list[dict]) -> str:
    # doc_ids are plain names (walk.safe_doc_id): no '#', so the id splits back unambiguously
    return f"{doc_id}#{chunk}/{chunks}#{prompt_digest(messages)}"


def split_custom_id(cid: str) -> tuple[str, str, str]:
    """(doc_id, "chunk/chunks", digest)."""
    doc_id, part, digest = cid.rsplit("#", 2)
    return doc_id, part, digest


def request_body(messages: list[dict], extractor: Extractor, request: _Request) -> dict:
    """The body the online path sends for these messages: the LLM client's own request builder."""
    cfg = extractor.endpoint
    return request.kwargs(messages, model=cfg.model, temperature=cfg.temperature, max_tokens=cfg.max_tokens)


class _Recorder:
    """An LLM client that records what it is asked and answers with an empty record."""

    def __init__(self, mode: str):
        self.mode = mode
        self.asked: list[list[dict]] = []

    async def extract(self, messages: list[dict], contains=None, allowance=None, answer_model=None, kind=None):
        _oneshot_only(answer_model)
        self.asked.append(messages)
        return ExtractedReport(), CallStats(), []

    async def aclose(self) -> None:
        pass


@dataclass
class PrepareStats:
    articles: int = 0
    requests: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _may_write(path: Path) -> None:
    """A request file is rewritten by each prepare; any other file is never touched (`-o notes.jsonl`
    by mistake), and a FIFO or device is refused before it is opened (opening one blocks)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write to {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"-o {path} is a folder; give a file name such as {path / 'requests.jsonl'}")
    if not stat.S_ISREG(st.st_mode):
        kind = "FIFO" if stat.S_ISFIFO(st.st_mode) else "device or socket"
        raise OutputError(f"-o {path} is not a regular file ({kind}); give a file name")
    try:
        with open(path, "rb") as f:
            first = f.readline(1 << 20)
        line = json.loads(first) if first.strip() else {"custom_id": "", "body": {}}
    except (OSError, ValueError):
        line = None
    if not (isinstance(line, dict) and "custom_id" in line and "body" in line):
        raise OutputError(f"{path} exists and is not a batch request file: refusing to overwrite it (choose another -o)")


class _Files:
    """OUTPUT, then OUTPUT-00002.jsonl, … whenever one file would pass a batch's limits (each file
    is one batch; collect takes all their results together)."""

    def __init__(self, output: str | Path, max_requests: int, max_bytes: int, names: list[str]):
        self.output, self.max_requests, self.max_bytes, self.names = Path(output), max_requests, max_bytes, names
        self.f = None

    def write(self, line: str) -> None:
        data = line.encode("utf-8")
        if self.f is None or self.n >= self.max_requests or self.size + len(data) > self.max_bytes:
            self.close()
            k = len(self.names) + 1
            path = self.output if k == 1 else self.output.with_name(f"{self.output.stem}-{k:05d}{self.output.suffix}")
            _may_write(path)
            self.f, self.n, self.size = open(path, "wb"), 0, 0
            self.names.append(str(path))
        self.f.write(data)
        self.n, self.size = self.n + 1, self.size + len(data)

    def close(self) -> None:
        if self.f is not None:
            self.f.close()


async def prepare(paths: Iterable[str | Path], output: str | Path, extractor: Extractor,
                  max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES) -> PrepareStats:
    """One request line per article chunk into OUTPUT (overwritten), split at a batch's limits."""
    if extractor.backend == "offline":
        raise ValueError("a batch needs the llm or hybrid backend (offline makes no requests)")
    _may_write(Path(output))  # before any work
    stats = PrepareStats()
    out = _Files(output, max_requests, max_bytes, stats.files)
    request = _Request(extractor.endpoint.resolved_mode())
    try:
        for item in iter_items(paths, exclude=[output]):
            doc_id = item.doc_id
            try:
                doc = item.load()
            except ReadError as exc:  # collect will report it again, per article
                stats.unreadable.append((item.where, str(exc)))
                continue
            recorder = _Recorder(extractor.endpoint.resolved_mode())
            extractor._client = recorder
            await extractor.aextract(doc)
            for i, messages in enumerate(recorder.asked):
                line = {"custom_id": custom_id(doc_id, i, len(recorder.asked), messages), "method": "POST",
                        "url": URL, "body": request_body(messages, extractor, request)}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                stats.requests += 1
            stats.articles += 1
    finally:
        out.close()
        extractor._client = None
    return stats


class ResultIndex:
    """Where each result line is in the results file(s): digest → (file, byte offset). Offsets, not
    answers, so a results file of millions of lines does not have to fit in memory."""

    def __init__(self, paths: Iterable[str | Path]):
        self.paths = [Path(p) for p in paths]
        self.at: dict[str, tuple[int, int]] = {}
        for n, p in enumerate(self.paths):
            with open(p, "rb") as f:
                pos = 0
                for raw in f:
                    try:
                        _, _, digest = split_custom_id(json.loads(raw)["custom_id"])
                    except (ValueError, KeyError, TypeError, AttributeError):  # {"custom_id": 5}: not ours
                        pos += len(raw)
                        continue
                    # a failed line never hides a good one for the same prompt (a batch run again)
                    prev = self.at.get(digest)
                    if prev is None or not _ok(self.line(*prev)):
                        self.at[digest] = (n, pos)
                    pos += len(raw)

    def line(self, n: int, pos: int) -> dict:
        with open(self.paths[n], "rb") as f:
            f.seek(pos)
            return json.loads(f.readline())

    def get(self, digest: str) -> dict | None:
        at = self.at.get(digest)
        return self.line(*at) if at else None


def results_model(paths: Iterable[str | Path]) -> str | None:
    """The model that answered, from the first result line that names one (for records' usage)."""
    for p in paths:
        with open(p, "rb") as f:
            for raw in f:
                try:
                    model = (json.loads(raw).get("response") or {}).get("body", {}).get("model")
                except (ValueError, AttributeError):
                    continue
                if model:
                    return model
    return None


def _ok(line: dict) -> bool:
    resp = line.get("response") or {}
    return not line.get("error") and resp.get("status_code") == 200


class _Replay:
    """An LLM client that answers each request from the batch's results, read as the online path
    reads an answer whose re-asks ran out: every valid field kept, then grounding drops the rest.
    A missing or failed result is this article's LLMError (hybrid: the rules' record)."""

    def __init__(self, index: ResultIndex, mode: str, redact=lambda text, limit: text[:limit]):
        self.index, self.mode = index, mode
        self.redact = redact  # the endpoint's: a provider's error line may echo the key

    async def extract(self, messages: list[dict], contains=None, allowance=None, answer_model=None, kind=None):
        _oneshot_only(answer_model)
        line = self.index.get(prompt_digest(messages))
        if line is None:
            raise LLMError("no result in the batch output for this request: the article, prompts or backend changed "
                           "since `jiyao batch prepare`, or the batch did not finish")
        resp = line.get("response") or {}
        body = resp.get("body") or {}
        if line.get("error") or resp.get("status_code") != 200:
            err = line.get("error") or body.get("error") or {}
            msg = err.get("message", err) if isinstance(err, dict) else err
            raise LLMError(self.redact(f"batch request failed (status {resp.get('status_code')}): {msg}", 340))
        usage = body.get("usage") or {}
        stats = CallStats(attempts=1, calls=1, prompt_tokens=usage.get("prompt_tokens") or 0,
                          completion_tokens=usage.get("completion_tokens") or 0)
        return _parse(body, contains, stats)

    async def aclose(self) -> None:
        pass


def _oneshot_only(answer_model) -> None:
    """A batch carries whole-record requests; the focused strategy's follow-up questions depend
    on the rules' answer article by article, so they are asked online."""
    if answer_model is not None:
        raise LLMError("batch runs use the oneshot strategy; use `jiyao extract --strategy focused` online")


def _parse(body: dict, contains, stats: CallStats) -> tuple[ExtractedReport, CallStats, list[str]]:
    from openai.types.chat import ChatCompletion

    try:
        response = ChatCompletion.model_validate(body)
    except ValidationError as exc:
        raise LLMError(f"batch answer is not a chat completion: {str(exc)[:200]}", stats) from None
    # the online path's reading and checks: every valid field kept, values not in the article listed
    answer = Answer(ExtractedReport)
    reading, units, notes = read_answer(response, answer, ExtractedReport, None, contains)
    if not answer.any_valid:
        raise LLMError(f"batch answer has no valid field: {'; '.join(notes)[:300]}", stats)
    stats.dropped = answer.dropped_pointers()
    return answer.result(), stats, [f"{NO_REASK}: {'; '.join(notes)[:200]}"] if units else []


async def collect(results: Iterable[str | Path], articles: Iterable[str | Path], writer, extractor: Extractor,
                  on_done=None) -> RunStats:
    """Records for ARTICLES from the batch RESULTS, through the online run loop (resume, errors)."""
    from .folder import run

    index = ResultIndex(results)
    extractor._client = _Replay(index, extractor.endpoint.resolved_mode(), extractor.endpoint.redact)
    items = iter_items(articles, exclude=writer.own_files)
    return await run(items, writer, extractor, 1, on_done)
