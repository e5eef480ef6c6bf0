"""A record's values with their evidence spans, one row per value, shared by the viewer and the
evidence table: the pointer says where the value sits in the record, the span where it sits in the
original file."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


def iter_records(path: str | Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record or None, error) for each non-empty line of a records JSONL file,
    streamed: a bad line is reported, never fatal."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, f"line {n}: not JSON ({exc.msg})"
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("doc_id"), str):
                yield n, None, f"line {n}: not a jiyao record (no string doc_id)"
                continue
            yield n, rec, None
