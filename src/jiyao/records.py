"""Output: JSONL records appended and flushed one by one (a killed run loses nothing already
written), per-file errors beside them, resume by doc_id, and a lock so two runs never share a file."""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from .schema import MeetingReport


class OutputLocked(RuntimeError):
    pass


class RecordWriter:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.errors_path = self.path.with_name(self.path.name + ".errors.jsonl")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(str(self.path) + ".lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            raise OutputLocked(f"another jiyao run is writing to {self.path} (lock {self.path}.lock); wait for it or choose another -o") from None
        self.done = self._recover()
        self._out = open(self.path, "a", encoding="utf-8")
        self._err = open(self.errors_path, "a", encoding="utf-8")

    def _recover(self) -> set[str]:
        """doc_ids already written. A torn last line (a run killed mid-write) is cut off so the
        file stays valid JSONL; nothing before it is touched."""
        done: set[str] = set()
        if not self.path.exists():
            return done
        data = self.path.read_bytes()
        lines = data.splitlines(keepends=True)
        for i, line in enumerate(lines):
            try:
                done.add(json.loads(line)["doc_id"])
                if not line.endswith(b"\n"):
                    with open(self.path, "ab") as f:
                        f.write(b"\n")
            except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
                if i == len(lines) - 1:
                    with open(self.path, "r+b") as f:
                        f.truncate(len(data) - len(line))
        return done

    def write(self, record: MeetingReport) -> None:
        self._out.write(record.model_dump_json(exclude_none=False) + "\n")
        self._out.flush()
        self.done.add(record.doc_id)

    def error(self, doc_id: str | None, path: str | None, reason: str, **extra) -> None:
        self._err.write(json.dumps({"doc_id": doc_id, "path": path, "error": reason, **extra}, ensure_ascii=False) + "\n")
        self._err.flush()

    def close(self) -> None:
        self._out.close(); self._err.close()
        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        os.close(self._lock_fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_records(path: str | Path) -> tuple[dict[str, dict], int, int]:
    """(doc_id → record, lines, schema-valid lines) of a JSONL file."""
    out, lines, valid = {}, 0, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            lines += 1
            try:
                rec = json.loads(line)
                MeetingReport.model_validate(rec)
                valid += 1
            except Exception:  # noqa: BLE001 - an invalid line is counted, not fatal
                if isinstance(locals().get("rec"), dict) and "doc_id" in rec:
                    out.setdefault(rec["doc_id"], rec)
                continue
            out[rec["doc_id"]] = rec
    return out, lines, valid


class StreamWriter:
    """`-o -`: records to a stream (stdout), one JSON line each, flushed; errors to stderr as JSON
    lines. Nothing to resume and nothing to lock."""

    def __init__(self, stream):
        import sys

        self.stream, self.err, self.done = stream, sys.stderr, set()
        self.errors_path = "<stderr>"

    def write(self, record: MeetingReport) -> None:
        self.stream.write(record.model_dump_json(exclude_none=False) + "\n")
        self.stream.flush()

    def error(self, doc_id: str | None, path: str | None, reason: str, **extra) -> None:
        self.err.write(json.dumps({"doc_id": doc_id, "path": path, "error": reason, **extra}, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.stream.flush()
