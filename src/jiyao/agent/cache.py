"""SQLite response cache: an unchanged re-run makes zero calls.

Keyed by model, messages, schema hash, instructor mode and sampling parameters. WAL mode so that
a killed run leaves a usable database; each put is its own transaction.

A damaged entry (cut short, or not the shape the caller expects) is a miss: the question is asked
again and the entry replaced. A put that fails (disk full) does not lose the answer it was given:
the cache remembers the failure in `broken`, stores nothing more, and the run stops once the
answers in flight are written (run/folder.py).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_key(**parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class CacheError(RuntimeError):
    """The cache could not be written: the run must stop (exit 2), what is written stays valid."""


class Cache:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self.broken: CacheError | None = None
        # `-o new/dir/out.jsonl` puts the cache beside an output whose folder does not exist yet
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL DEFAULT (unixepoch()))")
        self._db.commit()

    def get(self, key: str, parse: Callable[[Any], Any] | None = None) -> Any:
        """The stored answer (through `parse`, e.g. a model's validator), or None: not there,
        damaged, or unreadable."""
        try:
            with self._lock:
                row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            value = json.loads(row[0])
            return parse(value) if parse is not None else value
        except (sqlite3.Error, ValueError, TypeError):  # pydantic's ValidationError is a ValueError
            return None

    def put(self, key: str, value: dict) -> None:
        if self.broken is not None:
            return
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO responses (key, value) VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))
                self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            self.broken = CacheError(f"cannot write the response cache {self.path}: {exc}")

    def close(self) -> None:
        with self._lock:
            self._db.close()
