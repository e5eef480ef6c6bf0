"""What the model was asked and what it said, per article: an ArticleTrace collects each call while
the article is extracted (through a context variable, so the focused questions and the chunks of
an article land in its trace without passing it around), and CallLog writes traces to SQLite
(`<output>.calls.sqlite`) beside the records.

The log never slows the LLM path: a trace only keeps references (the request's messages, the
answer's text); hashing, JSON and inserts happen on one background thread, a batch of articles
per transaction (WAL). Messages and answer schemas are stored once each by content hash (the
system prompt of a run of 100k articles is one row). The API key is cut out of every text first.

Tables: calls (one row per request sent), texts (message and schema contents by hash), articles
(the model outcome per article and run), decisions (per value: kept / dropped / overridden).
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .endpoint import redact
from .salvage import clean
from ..schema import MeetingReport, ModelOutcome

log = logging.getLogger("jiyao")


@dataclass
class Call:
    kind: str  # oneshot | chunk i/n | focused:<question> | re-ask n of <kind>
    request: dict  # the request's kwargs (messages, model, sampling, tools / response_format)
    started: float = field(default_factory=time.time)
    latency_s: float = 0.0
    answer: str | None = None  # the raw text of the answer (a tool call's arguments, or the content)
    finish: str | None = None
    error: str | None = None  # a fault (timeout, 5xx…) or a refusal
    problems: str | None = None  # what did not validate (format, grounding)
    dropped: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ArticleTrace:
    """One article's questions to the model and what came of them."""

    def __init__(self, doc_id: str, keep_calls: bool = False):
        self.doc_id, self.keep_calls = doc_id, keep_calls
        self.calls: list[Call] = []
        self.answered = 0  # questions (or chunks) with a valid answer
        self.failures: list[str] = []  # questions with nothing valid: why
        self.dropped: list[str] = []  # pointers dropped from valid answers
        self.notes: list[str] = []  # why an answer is partial (cut at max_tokens, a re-ask that failed)

    def call(self, kind: str, request: dict) -> Call | None:
        if not self.keep_calls:
            return None
        c = Call(kind, request)
        self.calls.append(c)
        return c

    def answer(self, dropped: list[str], notes: list[str]) -> None:
        self.answered += 1
        self.dropped += [p for p in dropped if p not in self.dropped]
        self.notes += notes

    def fail(self, reason: str) -> None:
        self.failures.append(clean(reason))

    def outcome(self) -> ModelOutcome:
        """failed: no question got a valid answer; partial: some failed, or values were dropped;
        ok: every answer valid as it came (after re-asks)."""
        if self.failures and not self.answered:
            return ModelOutcome(status="failed", reason=self.failures[0][:500])
        reasons = self.failures + self.notes + ([f"{len(self.dropped)} value(s) dropped for breaking the format"]
                                                if self.dropped else [])
        if reasons:
            return ModelOutcome(status="partial", reason="; ".join(reasons)[:500], dropped=self.dropped)
        return ModelOutcome(status="ok")


TRACE: contextvars.ContextVar[ArticleTrace | None] = contextvars.ContextVar("jiyao_trace", default=None)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY, run TEXT, doc_id TEXT, seq INTEGER, kind TEXT,
    started REAL, latency_s REAL, model TEXT, request TEXT, answer TEXT, finish TEXT, error TEXT,
    problems TEXT, dropped TEXT, mapped TEXT, prompt_tokens INTEGER, completion_tokens INTEGER);
CREATE INDEX IF NOT EXISTS calls_doc ON calls (doc_id);
CREATE TABLE IF NOT EXISTS articles (run TEXT, doc_id TEXT, status TEXT, reason TEXT, error TEXT, finished REAL,
    PRIMARY KEY (run, doc_id));
CREATE TABLE IF NOT EXISTS decisions (run TEXT, doc_id TEXT, pointer TEXT, decision TEXT, source TEXT,
    score REAL, detail TEXT);
CREATE INDEX IF NOT EXISTS decisions_doc ON decisions (doc_id);
"""
_SCHEMA_KEYS = ("tools", "tool_choice", "response_format")  # the answer schema, stored once by hash


def default_path(output: str | Path) -> Path:
    return Path(str(output) + ".calls.sqlite")


class CallLog:
    """Writes article traces on a background thread. `write` never blocks the event loop."""

    def __init__(self, path: str | Path, secret: str | None = None):
        self.path, self.secret = Path(path), secret
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.run = time.strftime("%Y-%m-%dT%H:%M:%S") + f".{time.time_ns() % 1_000_000:06d}"
        self._q: queue.Queue = queue.Queue()
        self._known: set[str] = set()
        self._db = self._open()  # in this thread, so that a bad path fails at once
        self._db.close()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._loop, name="jiyao-calllog", daemon=True)
        self._thread.start()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        db.commit()
        return db

    def write(self, trace: ArticleTrace, record: MeetingReport | None, error: str | None = None) -> None:
        self._q.put((trace, record, error))

    def close(self) -> None:
        self._q.put(None)
        self._thread.join()

    # --- the writer thread ------------------------------------------------------------------------

    def _loop(self) -> None:
        db = self._open()
        try:
            while True:
                batch = [self._q.get()]
                while len(batch) < 256:
                    try:
                        batch.append(self._q.get_nowait())
                    except queue.Empty:
                        break
                done = batch[-1] is None
                items = [b for b in batch if b is not None]
                if items and self.error is None:
                    try:
                        self._insert(db, items)
                    except (sqlite3.Error, OSError, ValueError) as exc:  # the log is a help, never the run's end
                        self.error = f"{type(exc).__name__}: {exc}"
                        log.warning("the call log %s cannot be written (%s); records are not affected", self.path, self.error)
                if done:
                    return
        finally:
            db.close()

    def _text(self, texts: list, value: str) -> str:
        value = self._safe(value)
        h = hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]
        if h not in self._known:
            self._known.add(h)
            texts.append((h, value))
        return h

    def _safe(self, value: str | None) -> str | None:
        return None if value is None else clean(redact(value, self.secret))

    def _insert(self, db: sqlite3.Connection, items: list) -> None:
        texts, calls, articles, decisions = [], [], [], []
        for trace, record, error in items:
            for seq, c in enumerate(trace.calls):
                req = {k: v for k, v in c.request.items() if k not in ("messages", *_SCHEMA_KEYS)}
                req["messages"] = [{"role": m.get("role"), "text": self._text(texts, _content(m))}
                                   for m in c.request.get("messages", [])]
                schema = {k: c.request[k] for k in _SCHEMA_KEYS if k in c.request}
                if schema:
                    req["schema"] = self._text(texts, json.dumps(schema, ensure_ascii=False, sort_keys=True, default=str))
                calls.append((self.run, trace.doc_id, seq, c.kind, c.started, round(c.latency_s, 4),
                               c.request.get("model"), json.dumps(req, ensure_ascii=False, default=str),
                               self._safe(c.answer), c.finish, _cut(self._safe(c.error)), self._safe(c.problems),
                               json.dumps(c.dropped, ensure_ascii=False), self._safe(json.dumps(c.mapped, ensure_ascii=False)),
                               c.prompt_tokens, c.completion_tokens))
            outcome = (record.diagnostics.model if record is not None and record.diagnostics else None) or trace.outcome()
            articles.append((self.run, trace.doc_id, "error" if record is None else outcome.status,
                             self._safe(outcome.reason), self._safe(error), time.time()))
            if record is not None:
                decisions += [(self.run, trace.doc_id, *d) for d in decided(record)]
        db.executemany("INSERT OR IGNORE INTO texts VALUES (?, ?)", texts)
        db.executemany("INSERT INTO calls (run, doc_id, seq, kind, started, latency_s, model, request, answer, finish, "
                       "error, problems, dropped, mapped, prompt_tokens, completion_tokens) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", calls)
        db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?)", articles)
        db.executemany("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)", decisions)
        db.commit()


def _cut(text: str | None, limit: int = 2000) -> str | None:
    """An error message shortened, after the key was cut out of it."""
    return text if text is None or len(text) <= limit else text[:limit] + "…"


def _content(message: dict) -> str:
    c = message.get("content")
    return c if isinstance(c, str) else json.dumps(c, ensure_ascii=False, default=str)


def decided(record: MeetingReport) -> list[tuple]:
    """(pointer, decision, source, score, detail) for each value: kept (with its source and
    confidence), dropped (format / not in the text) or overridden (the other source's value stands)."""
    out = []
    for ptr, c in (record.confidence or {}).items():
        out.append((ptr, "kept", c.source, c.score, None))
    d = record.diagnostics
    if d is None:
        return out
    if not record.confidence:  # the llm backend: every value is the model's
        out += [(ptr, "kept", "model", None, None) for ptr in record.evidence]
    for o in d.overrides:
        out.append((o.field, "overridden" if o.kept is not None else "rejected", o.winner, None,
                    f"{o.value!r} set aside for {o.kept!r}: {o.reason}"))
    if d.model is not None:
        out += [(ptr, "dropped", "model", None, "breaks the record format") for ptr in d.model.dropped]
    out += [(ptr, "dropped", None, None, "not found in the text") for ptr in d.dropped_ungrounded]
    return out


def read(path: str | Path, doc_ids: list[str] | None = None) -> list[dict]:
    """Each logged article (every run) with its calls and decisions, messages and schemas restored."""
    db = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        where, args = "", []
        if doc_ids:
            where, args = f" WHERE doc_id IN ({','.join('?' * len(doc_ids))})", list(doc_ids)
        arts = [dict(r) for r in db.execute(f"SELECT * FROM articles{where} ORDER BY finished", args)]
        texts = {}

        def text(h: str) -> str:
            if h not in texts:
                row = db.execute("SELECT text FROM texts WHERE hash = ?", (h,)).fetchone()
                texts[h] = row[0] if row else None
            return texts[h]

        for a in arts:
            key = (a["run"], a["doc_id"])
            a["calls"] = []
            for r in db.execute("SELECT * FROM calls WHERE run = ? AND doc_id = ? ORDER BY seq", key):
                c = dict(r)
                req = json.loads(c.pop("request"))
                req["messages"] = [{"role": m["role"], "content": text(m["text"])} for m in req.get("messages", [])]
                if "schema" in req:
                    req["schema"] = json.loads(text(req["schema"]) or "null")
                c["request"] = req
                c["dropped"], c["mapped"] = json.loads(c["dropped"] or "[]"), json.loads(c["mapped"] or "[]")
                a["calls"].append(c)
            a["decisions"] = [dict(r) for r in db.execute(
                "SELECT pointer, decision, source, score, detail FROM decisions WHERE run = ? AND doc_id = ?", key)]
        return arts
    finally:
        db.close()
