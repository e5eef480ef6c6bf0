"""A record's values with their evidence spans, one row per value, shared by the viewer and the
evidence table: the pointer says where the value sits in the record, the span where it sits in the
original file."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..eval.inputs import parse_record
from ..schema import evidence_spans

# JSON pointer → the scorer's field name (/people/3/titles/1 → people.titles)
_FIELD = [(re.compile(r"^/people/\d+/(name|titles|roles)"), lambda m: f"people.{m.group(1)}"),
          (re.compile(r"^/meeting/region"), lambda m: "meeting.region"),
          (re.compile(r"^/(source|meeting)/(\w+)"), lambda m: f"{m.group(1)}.{m.group(2)}"),
          (re.compile(r"^/(\w+)"), lambda m: m.group(1))]


def field_of(pointer: str) -> str:
    for rx, name in _FIELD:
        m = rx.match(pointer)
        if m:
            return name(m)
    return pointer


@dataclass(frozen=True)
class Value:
    pointer: str  # /people/0/titles/1
    field: str  # people.titles
    value: str
    # offsets into the original file, when the record has evidence for it: one span, or the parts
    # of a value the format composes (县人大常委会 + 第3次会议), in the order the value joins them
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def start(self) -> int | None:
        return self.spans[0][0] if self.spans else None

    @property
    def end(self) -> int | None:
        return self.spans[-1][1] if self.spans else None


def values(record: dict) -> list[Value]:
    """Every string value of the record, in record order, with its evidence spans if it has any."""
    ev = record.get("evidence") or {}
    out: list[Value] = []

    def walk(obj, pointer: str) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, f"{pointer}/{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, f"{pointer}/{i}")
        elif isinstance(obj, str) and obj:
            out.append(Value(pointer, field_of(pointer), obj, tuple(evidence_spans(ev.get(pointer)))))

    for key in ("headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives"):
        if record.get(key) is not None:
            walk(record[key], f"/{key}")
    return out


def _origin_key(rec: dict) -> bytes:
    """What identifies the article a record was made from: its origin path (a file extracted
    again after it changed gets a second record of the same path), else its doc_id."""
    origin = rec.get("origin")
    path = origin.get("path") if isinstance(origin, dict) else None
    key = f"path:{path}" if isinstance(path, str) else f"id:{rec.get('doc_id')}"
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()


class RecordLines:
    """The records of a JSONL file, streamed, the latest record per article only: a file that
    changed and was extracted again has an older record before its new one, which is left out
    (counted in `superseded`). Two passes: the first notes the last line of each article."""

    def __init__(self, path: str | Path):
        self.path = path
        self.superseded = 0

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        with open(self.path, "rb") as f:
            for n, line in enumerate(f, 1):
                if n == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                if line.strip():
                    yield n, line

    def __iter__(self) -> Iterator[tuple[int, dict | None, str | None]]:
        last: dict[bytes, int] = {}
        for n, line in self._lines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                last[_origin_key(rec)] = n
        self.superseded = 0
        for n, line in self._lines():
            rec, problem = parse_record(line)
            if rec is None:
                yield n, None, f"line {n}: {problem}"
            elif last.get(_origin_key(rec), n) != n:
                self.superseded += 1
            else:
                yield n, rec, None


def iter_records(path: str | Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record or None, error) for each non-empty line of a records JSONL file,
    streamed: a line that is not a record by the schema (bad JSON, people as strings…) is
    reported, never fatal; of several records of one article only the latest comes out."""
    return iter(RecordLines(path))
