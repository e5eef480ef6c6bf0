"""Output: JSONL records appended one by one (a killed run loses nothing already written), per-file
errors beside them, resume by origin (file path + content hash), and a lock on the output's real
path so two runs never share a file, whatever name (symlink) each was given.

An existing output is only appended to when every line is a jiyao record: `-o notes.txt` by
mistake is refused, never "repaired".
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from .resume import ResumeIndex
from ..read.document import RECORD_PREFIX
from ..schema import MeetingReport, Origin



class OutputLocked(RuntimeError):
    pass


class OutputError(RuntimeError):
    """The output cannot be opened or written (not a jiyao output, read-only, disk full...)."""


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


class _Output:
    """What every output does alike: claim a file's doc_id in the resume index, and write a
    record or an error as one JSON line."""
    index: ResumeIndex
    base: str | None = None  # the folder origin paths are relative to (None: the working folder)
    own_files: tuple[str, ...] = ()  # never read back as articles (an output named *.txt in the input folder)

    def inherited_fds(self) -> tuple[int, ...]:
        """What a forked worker must close: it must not hold the output's lock past this run."""
        return ()

    def claim_id(self, stem: str, path: str, sha256: str, changed: bool = False) -> str:
        """Take a file (so a file named twice is extracted once) and the doc_id its record gets."""
        self.index.claim(path, sha256)
        return self.index.unique_id(stem, path, changed)

    @staticmethod
    def _record_line(record: MeetingReport, origin: Origin | None) -> str:
        if origin is not None:
            record.origin = origin
        return record.model_dump_json(exclude_none=False) + "\n"

    @staticmethod
    def _error_line(doc_id: str | None, path: str | None, reason: str, **extra) -> str:
        return json.dumps({"doc_id": doc_id, "path": path, "error": reason, **extra}, ensure_ascii=False) + "\n"


class RecordWriter(_Output):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        real = Path(os.path.realpath(self.path))  # the lock must not be bypassed by a symlink
        if real.is_dir():
            raise OutputError(f"-o {self.path} is a folder; give a file name such as {self.path / 'records.jsonl'}")
        if real.exists() and not real.is_file():  # opening a FIFO to recover it would block for ever
            kind = "FIFO" if real.is_fifo() else "device or socket"
            raise OutputError(f"-o {self.path} is not a regular file ({kind}): records need a file to resume from; "
                              "give a file name, or - for standard output")
        self.real = real
        self.errors_path = real.with_name(real.name + ".errors.jsonl")
        # origins relative to the output's folder: the same keys from any working folder
        self.base = str(real.parent)
        self.own_files = (str(real), str(self.errors_path), str(real) + ".lock")
        self.index = ResumeIndex()
        self.skipped = self.changed = 0  # counted by the run: already done / re-extracted after a change
        self._lock_path = str(real) + ".lock"
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create {real.parent}: {_why(exc)}") from None
        self._lock_fd = _take_lock(self._lock_path, real)
        try:
            self._recover()
            self._out = os.open(real, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            self._err = None  # opened at the first error: a clean run leaves no errors file
        except OSError as exc:
            self._unlock()
            raise OutputError(f"cannot write to {real}: {_why(exc)}") from None
        except OutputError:
            self._unlock()
            raise

    def _recover(self) -> None:
        """Index the records already written, streaming. A torn last line (a run killed
        mid-write) is cut off so the file stays valid JSONL; any other line that is not a
        record means this is not a jiyao output, and nothing is touched."""
        if not self.real.exists():
            return
        offset, torn_at, newline_missing = 0, None, False
        with open(self.real, "rb") as f:
            head = f.read(len(RECORD_PREFIX))
            if head and not (head.startswith(RECORD_PREFIX) or RECORD_PREFIX.startswith(head)):
                raise self._not_ours(1)  # without reading a large foreign file line by line
            f.seek(0)
            for n, line in enumerate(f, 1):
                rec = _record(line)
                if rec is not None:
                    self.index.add(rec["doc_id"], rec.get("origin"))
                    newline_missing = not line.endswith(b"\n")
                elif not line.endswith(b"\n") and (line.startswith(RECORD_PREFIX) or RECORD_PREFIX.startswith(line)):
                    torn_at = offset
                elif line.strip():
                    raise self._not_ours(n)
                offset += len(line)
        if torn_at is not None:
            os.truncate(self.real, torn_at)
        elif newline_missing:
            with open(self.real, "ab") as f:
                f.write(b"\n")

    def _not_ours(self, line: int) -> OutputError:
        return OutputError(f"{self.path} line {line} is not a jiyao record: refusing to append to a file "
                           "that is not a jiyao output (choose another -o)")

    def _append(self, fd: int, data: bytes, name: Path) -> None:
        """All of data or nothing: a failed write (disk full) is cut back off, so a later run
        does not find half a line in the middle of the file."""
        start = os.lseek(fd, 0, os.SEEK_END)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError as exc:
            try:
                os.ftruncate(fd, start)
            except OSError:
                pass
            raise OutputError(f"cannot write to {name}: {_why(exc)}") from None

    def write(self, record: MeetingReport, origin: Origin | None = None) -> None:
        self._append(self._out, self._record_line(record, origin).encode("utf-8"), self.real)

    def error(self, doc_id: str | None, path: str | None, reason: str, **extra) -> None:
        if self._err is None:
            try:
                self._err = os.open(self.errors_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise OutputError(f"cannot write to {self.errors_path}: {_why(exc)}") from None
        line = self._error_line(doc_id, path, reason, **extra)
        self._append(self._err, line.encode("utf-8", "surrogateescape"), self.errors_path)

    def inherited_fds(self) -> tuple[int, ...]:
        return tuple(fd for fd in (self._lock_fd, self._out, self._err) if fd is not None)

    def _unlock(self) -> None:
        # removed while still held, so no run is left behind with a stale .lock; a run that opened
        # the old file meanwhile notices (_take_lock) and takes the new one instead
        try:
            os.unlink(self._lock_path)
        except OSError:
            pass
        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        os.close(self._lock_fd)

    def close(self) -> None:
        for fd in (self._out, self._err):
            if fd is not None:
                os.close(fd)
        self._out = self._err = None
        self._unlock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _take_lock(path: str, real: Path) -> int:
    """An exclusive lock on `path`, the file that is there now: a lock file another run unlinked
    after we opened it is not a lock, so we retry on the current one."""
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create {path}: {_why(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLocked(f"another jiyao run is writing to {real} (lock {path}); wait for it or choose another -o") from None
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # unlinked between our open and our lock: try again


def _record(line: bytes) -> dict | None:
    """The line as a record dict (the keys resume needs, checked), or None."""
    if not line.startswith(RECORD_PREFIX):
        return None
    try:
        rec = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(rec, dict) and rec.get("schema_version") == "1" and isinstance(rec.get("doc_id"), str):
        return rec
    return None


class StreamWriter(_Output):
    """`-o -`: records to a stream (stdout), one JSON line each, flushed; errors to stderr as JSON
    lines. Nothing to resume (an empty index) and nothing to lock."""

    def __init__(self, stream):
        import sys

        self.stream, self.err = stream, sys.stderr
        self.errors_path = "<stderr>"
        self.index = ResumeIndex()
        self.skipped = self.changed = 0

    def write(self, record: MeetingReport, origin: Origin | None = None) -> None:
        _put(self.stream, self._record_line(record, origin))

    def error(self, doc_id: str | None, path: str | None, reason: str, **extra) -> None:
        _put(self.err, self._error_line(doc_id, path, reason, **extra))

    def close(self) -> None:
        self.stream.flush()


def _put(stream, line: str) -> None:
    """A JSON line as UTF-8 bytes whatever the locale's encoding (LC_ALL=C, PYTHONIOENCODING=latin-1
    would refuse Chinese), through the text layer's buffer once what it holds is out."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(line)
    else:
        stream.flush()
        buffer.write(line.encode("utf-8"))
        buffer.flush()
    stream.flush()
