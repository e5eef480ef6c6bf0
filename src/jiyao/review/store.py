"""The review folder on disk, where every decision is saved the moment it is made.

    sample.jsonl     the articles drawn (jiyao sample), one JSON line each
    articles/        their files
    records.jsonl    the records that pre-fill the review (optional)
    drafts/<id>.json an article under review: its draft (with a revision number) and undo stack
    gold/<id>.json   the gold record of each article marked reviewed, in SPEC form
    review.jsonl     the journal: who decided what, when (one line per decision)

A decision is applied under the article's lock, only when it was made on the current revision (a
second tab on a stale page is refused, never merged); the draft is replaced atomically (a
temporary file, fsync, rename), then the gold file, then the journal line. A killed server loses
nothing it had answered; at start, a gold file left behind by a kill is brought in line with its
draft. A second server on one folder is refused (a lock released by the kernel when it dies).
"""
from __future__ import annotations

import fcntl
import getpass
import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

from ..eval.inputs import REVIEW_ARTICLES, REVIEW_GOLD, REVIEW_LIST, is_review_folder, loads
from ..read.decode import DecodeError, decode
from ..read.document import ReadError, read_bytes
from ..read.walk import is_plain_name
from . import draft as drafts
from .decisions import DecisionError, apply

RECORDS = "records.jsonl"
DRAFTS = "drafts"
JOURNAL = "review.jsonl"
LOCK = ".review.lock"
UNDO_DEPTH = 50  # decisions one can take back per article


class ReviewError(RuntimeError):
    """The folder cannot be reviewed (not a review folder, locked, unreadable); says why."""


class Stale(Exception):
    """A decision made on an old revision of the article; carries the current state."""

    def __init__(self, state: dict):
        super().__init__("stale revision")
        self.state = state


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def write_atomic(path: Path, text: str) -> None:
    """The file holds either its old or its new text, whatever happens while it is written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself survives a crash
    finally:
        os.close(fd)


def read_list(root: Path) -> list[dict]:
    out = []
    with open(root / REVIEW_LIST, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    raise ReviewError(f"{root / REVIEW_LIST}: line {n} is not JSON") from None
    return out


def _records_for(paths: list[Path], entries: list[dict]) -> dict[str, tuple[dict, bool]]:
    """doc_id → (record, spans valid) for the sampled articles: a record made from the same bytes
    (origin.sha256) is matched whatever its doc_id; else one with the same doc_id, whose spans may
    point into another version of the file."""
    by_sha = {e["sha256"]: e["doc_id"] for e in entries if e.get("sha256")}
    ids = {e["doc_id"]: e.get("sha256") for e in entries}
    out: dict[str, tuple[dict, bool]] = {}
    for path in paths:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            for line in f:
                try:
                    rec = loads(line)
                except json.JSONDecodeError:
                    continue
                if not isinstance(rec, dict):
                    continue
                sha = (rec.get("origin") or {}).get("sha256") if isinstance(rec.get("origin"), dict) else None
                if sha in by_sha:
                    out[by_sha[sha]] = (rec, True)
                elif rec.get("doc_id") in ids and rec["doc_id"] not in out:
                    out[rec["doc_id"]] = (rec, sha is None or sha == ids[rec["doc_id"]])
    return out


class Store:
    def __init__(self, root: str | Path, reviewer: str | None = None, records: list[Path] | None = None):
        self.root = Path(root)
        if not is_review_folder(self.root):
            raise ReviewError(f"{self.root} is not a review folder (no {REVIEW_LIST}): make one with jiyao sample")
        self.reviewer = reviewer or getpass.getuser()
        self.entries = read_list(self.root)
        for e in self.entries:  # a doc_id names the draft and gold files: never a path out of the folder
            if not isinstance(e, dict) or not is_plain_name(e.get("doc_id")):
                raise ReviewError(f"{self.root / REVIEW_LIST}: {str(e)[:120]}: its doc_id is not a plain file name")
        if len({e["doc_id"] for e in self.entries}) < len(self.entries):
            raise ReviewError(f"{self.root / REVIEW_LIST}: a doc_id repeats; each article needs its own")
        self.order = [e["doc_id"] for e in self.entries]
        self.by_id = {e["doc_id"]: e for e in self.entries}
        for sub in (DRAFTS, REVIEW_GOLD):
            (self.root / sub).mkdir(exist_ok=True)
        self._lock_fd = self._take_lock()
        paths = records if records is not None else [p for p in [self.root / RECORDS] if p.is_file()]
        self.records = _records_for(paths, self.entries)
        self._locks = {d: threading.Lock() for d in self.order}
        self._journal_lock = threading.Lock()
        self._texts: dict[str, str] = {}
        self._text_lock = threading.Lock()
        self._reviewed: set[str] = set()
        for d in self.order:  # a gold file out of line with its draft (a kill between the two writes)
            self._sync_gold(d, self._load(d))

    def _take_lock(self) -> int:
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ReviewError(f"another jiyao review is serving {self.root}; use that one (or stop it)") from None
        return fd

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- reading

    def text(self, doc_id: str) -> str:
        """The article's original text: what evidence offsets and selections count in."""
        with self._text_lock:
            if doc_id in self._texts:
                return self._texts[doc_id]
        rel = Path(self.by_id[doc_id].get("file") or "")
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ReviewError(f"{REVIEW_LIST}: {rel} is not a file of the review folder")
        path = self.root / rel
        try:
            text = decode(read_bytes(path))[0]
        except (ReadError, DecodeError) as exc:
            raise ReviewError(f"cannot read {path}: {exc}") from None
        with self._text_lock:
            self._texts[doc_id] = text
            if len(self._texts) > 64:
                self._texts.pop(next(iter(self._texts)))
        return text

    def _path(self, doc_id: str) -> Path:
        return self.root / DRAFTS / f"{doc_id}.json"

    def _load(self, doc_id: str) -> dict | None:
        p = self._path(doc_id)
        return json.loads(p.read_text("utf-8")) if p.is_file() else None

    def _open(self, doc_id: str) -> dict:
        """The saved state of an article; made from its record (and saved) the first time."""
        state = self._load(doc_id)
        if state is None:
            rec, spans_ok = self.records.get(doc_id, (None, True))
            state = {"draft": drafts.from_record(doc_id, rec, spans_ok), "undo": []}
            write_atomic(self._path(doc_id), json.dumps(state, ensure_ascii=False))
        return state

    def state(self, doc_id: str) -> dict:
        self._known(doc_id)
        with self._locks[doc_id]:
            return self._view(doc_id, self._open(doc_id))

    def _view(self, doc_id: str, state: dict) -> dict:
        d = state["draft"]
        return {"draft": d, "can_undo": len(state["undo"]), "pending": drafts.pending(d), "progress": self.progress()}

    def _known(self, doc_id: str) -> None:
        if doc_id not in self.by_id:
            raise KeyError(doc_id)

    def progress(self) -> dict:
        return {"reviewed": len(self._reviewed), "total": len(self.order)}

    def listing(self) -> list[dict]:
        return [{"doc_id": d, "reviewed": d in self._reviewed, "stratum": self.by_id[d].get("stratum")} for d in self.order]

    # -- deciding

    def decide(self, doc_id: str, base: int, op: dict) -> dict:
        """Apply one decision made on revision `base`; raises Stale or DecisionError."""
        self._known(doc_id)
        with self._locks[doc_id]:
            state = self._open(doc_id)
            cur = state["draft"]
            if base != cur["revision"]:
                raise Stale(self._view(doc_id, state))
            if op.get("op") == "undo":
                if not state["undo"]:
                    raise DecisionError("nothing to undo in this article")
                new = state["undo"].pop()
                change = {"undone_to": new["revision"]}
            else:
                new, change = apply(cur, op, self.text(doc_id))
                state["undo"] = (state["undo"] + [cur])[-UNDO_DEPTH:]
                if op.get("op") == "done":
                    new["reviewed_by"], new["reviewed_at"] = self.reviewer, now()
            new["revision"] = cur["revision"] + 1
            state["draft"] = new
            write_atomic(self._path(doc_id), json.dumps(state, ensure_ascii=False))
            self._sync_gold(doc_id, state)
            self._journal(doc_id, new["revision"], op, change)
            return {**self._view(doc_id, state), "change": change}

    def _sync_gold(self, doc_id: str, state: dict | None) -> None:
        """gold/<id>.json exists, with the draft's gold, exactly when the article is reviewed."""
        gold = self.root / REVIEW_GOLD / f"{doc_id}.json"
        if state is not None and state["draft"]["reviewed"]:
            self._reviewed.add(doc_id)
            text = drafts.gold_text(state["draft"])
            if not gold.is_file() or gold.read_text("utf-8") != text:
                write_atomic(gold, text)
        else:
            self._reviewed.discard(doc_id)
            gold.unlink(missing_ok=True)

    def _journal(self, doc_id: str, revision: int, op: dict, change: dict) -> None:
        line = json.dumps({"time": now(), "reviewer": self.reviewer, "doc_id": doc_id, "revision": revision,
                           "decision": op.get("op"), "op": op, "change": change}, ensure_ascii=False)
        with self._journal_lock, open(self.root / JOURNAL, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
