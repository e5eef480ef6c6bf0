"""A distributed run's partitions, planned so that a resume after the input grew or changed
extracts what is new and nothing twice.

Numbers alone cannot do that: a file added in the middle of a folder shifts every later file into
another partition, so a finished partition would hide the new file and the shifted file would get
a second record in its new partition. Instead each partition is written down when it is first
planned (part-NNNNNN.plan) by where it ends, and keeps its place:

- article files: a partition holds the files listed up to its last file (in listing order: the
  argument, then the path below it, by name); a file added later joins the partition whose
  range it falls in, files after every old partition form new ones. A file never moves, so the
  partition's own part file knows whether it has a record (RecordWriter: done, changed or new).
- JSONL tables: byte ranges. Rows added at the end form new partitions; a table whose planned
  ranges changed (rows edited, moved or removed) is refused: its rows would move between parts.
- Parquet tables: row groups, recognised by their ids; the same rule.

A partition is done when its .done marker holds the fingerprint of what it holds now (file names,
sizes and times; a range's bytes; a row group's ids and the file's time): a file changed since is
extracted again, as `extract` does. New files get their doc_id here, on the client, against every
id the part files hold, so that same-named files in different folders get `stem__<hash>` as
with `extract`, whichever partition each lands in.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..read.inputs import ID_COLUMNS, Item
from ..read.keys import KeySet, digest
from ..read.walk import iter_articles, origin_key
from .records import _record
from .resume import suffixed_id

TABLE_SUFFIXES = {".jsonl": "jsonl", ".parquet": "parquet"}  # article tables, as for extract


class PlanError(ValueError):
    """The output folder cannot be resumed over these inputs (a table changed, a plan damaged)."""


@dataclass(frozen=True)
class Partition:
    pid: int
    kind: str  # files | jsonl | parquet
    items: tuple  # files: (Item, ...); jsonl: (path, first byte, end byte); parquet: (path, row group)
    fingerprint: str = ""  # what it holds now: a .done marker with another one is not done


def part_path(out: Path, pid: int) -> Path:
    return out / f"part-{pid:06d}.jsonl"


def done_path(out: Path, pid: int) -> Path:
    return out / f"part-{pid:06d}.done"


def plan_path(out: Path, pid: int) -> Path:
    return out / f"part-{pid:06d}.plan"


def is_done(out: Path, part: Partition) -> bool:
    try:
        done = json.loads(done_path(out, part.pid).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(done, dict) and done.get("fingerprint") == part.fingerprint


def _plans(out: Path) -> dict[int, dict]:
    plans = {}
    for p in out.glob("part-*.plan"):
        try:
            plan = json.loads(p.read_text("utf-8"))
            plans[int(plan["pid"])] = plan
        except (OSError, ValueError, KeyError, TypeError):
            raise PlanError(f"{p} is damaged: use a new output folder") from None
    return plans


def _write_plan(out: Path, plan: dict) -> None:
    path = plan_path(out, plan["pid"])
    tmp = path.with_suffix(".plan.tmp")
    tmp.write_text(json.dumps(plan) + "\n", "utf-8")
    os.replace(tmp, path)  # a plan file is whole or absent


class _Ids:
    """doc_ids for new files, decided on the client: the part files' ids and origin paths, in a
    few bytes each, and the ids given so far in this plan."""

    def __init__(self, out: Path):
        self.ids, self.paths = KeySet(8), KeySet(8)
        for part in sorted(out.glob("part-*.jsonl")):
            if part.name.endswith(".errors.jsonl"):
                continue
            with open(part, "rb") as f:
                for line in f:
                    rec = _record(line)
                    if rec is None:
                        continue
                    self.ids.add(digest(rec["doc_id"], size=8))
                    origin = rec.get("origin")
                    if isinstance(origin, dict) and isinstance(origin.get("path"), str):
                        self.paths.add(digest(origin["path"], size=8))

    def assign(self, stem: str, key: str) -> str:
        """A file with a record keeps its stem (its partition's writer knows its id); a new one
        gets its stem unless taken anywhere, else stem__<hash of its path>."""
        if digest(key, size=8) in self.paths:
            return stem
        chosen = stem if digest(stem, size=8) not in self.ids else suffixed_id(stem, key)
        self.ids.add(digest(chosen, size=8))
        self.paths.add(digest(key, size=8))
        return chosen


def plan(inputs: Iterable[str | Path], size: int, out: Path) -> Iterator[Partition]:
    """Partitions in a stable order: the old ones where they were, new ones after them (with new
    numbers), so a resume finds each file where its record is. Article files first, then tables."""
    inputs = [Path(i) for i in inputs]
    old = _plans(out)
    fresh = itertools.count(max(old, default=-1) + 1)
    files = [p for p in inputs if p.suffix.lower() not in TABLE_SUFFIXES]
    yield from _file_partitions(files, size, out, old, fresh)
    for inp in inputs:
        kind = TABLE_SUFFIXES.get(inp.suffix.lower())
        if kind == "jsonl":
            yield from _jsonl_partitions(inp, size, out, old, fresh)
        elif kind == "parquet":
            yield from _parquet_partitions(inp, out, old, fresh)


def _file_partitions(files: list[Path], size: int, out: Path, old: dict, fresh) -> Iterator[Partition]:
    bounds = sorted((tuple(p["last"]), pid) for pid, p in old.items() if p["kind"] == "files")
    ids = _Ids(out)
    b, target, run, last = 0, None, [], ()

    def flush() -> Partition:
        pid = target
        if pid is None:  # beyond every old partition: a new one, written down before it is run
            pid = next(fresh)
            _write_plan(out, {"pid": pid, "kind": "files", "last": list(last)})
        return Partition(pid, "files", tuple(run), _files_fingerprint(run))

    for a in iter_articles(files):
        while b < len(bounds) and a.rank > bounds[b][0]:
            b += 1
        where = bounds[b][1] if b < len(bounds) else None
        if run and (where != target or (where is None and len(run) >= size)):
            yield flush()
            run = []
        target, last = where, a.rank
        key = origin_key(a.path, out)  # the key its record carries in this folder
        run.append(Item(ids.assign(a.doc_id, key), a.key, path=str(a.path), error=a.error))
    if run:
        yield flush()


def _files_fingerprint(items: list[Item]) -> str:
    h = hashlib.sha1()
    for it in items:
        try:
            st = os.stat(it.path)
            sig = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError as exc:
            sig = f"error {exc.errno}"
        h.update(f"{it.path}\0{sig}\0{it.error or ''}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _changed(path: Path, out: Path) -> PlanError:
    return PlanError(f"{path} changed since the run in {out} (rows edited, moved or removed, not only added at "
                     "its end): its rows would move between partitions; use a new output folder")


def _jsonl_partitions(path: Path, size: int, out: Path, old: dict, fresh) -> Iterator[Partition]:
    mine = sorted((p for p in old.values() if p["kind"] == "jsonl" and p["path"] == str(path)), key=lambda p: p["start"])
    end = 0
    with open(path, "rb") as f:
        for p in mine:  # each planned range must still hold the same bytes
            f.seek(p["start"])
            data = f.read(p["end"] - p["start"])
            if p["start"] != end or hashlib.sha1(data).hexdigest() != p["sha1"]:
                raise _changed(path, out)
            end = p["end"]
    for p in mine:
        yield Partition(p["pid"], "jsonl", (str(path), p["start"], p["end"], p["line"]), p["sha1"])
    line = mine[-1]["line"] + mine[-1]["lines"] if mine else 1
    for start, stop, lines, sha in _line_ranges(path, size, end):
        pid = next(fresh)
        _write_plan(out, {"pid": pid, "kind": "jsonl", "path": str(path), "start": start, "end": stop, "sha1": sha,
                          "line": line, "lines": lines})
        yield Partition(pid, "jsonl", (str(path), start, stop, line), sha)
        line += lines


def _line_ranges(path: Path, size: int, start: int = 0) -> Iterator[tuple[int, int, int, str]]:
    """(first byte, end byte, lines, SHA-1 of the bytes) of `size` lines each from `start`: one
    sequential read on the client, no parsing."""
    pos, n, h = start, 0, hashlib.sha1()
    with open(path, "rb") as f:
        f.seek(start)
        for line in f:
            pos += len(line)
            n += 1
            h.update(line)
            if n == size:
                yield start, pos, n, h.hexdigest()
                start, n, h = pos, 0, hashlib.sha1()
    if pos > start:
        yield start, pos, n, h.hexdigest()


def _parquet_partitions(path: Path, out: Path, old: dict, fresh) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    id_col = next((c for c in ID_COLUMNS if c in pf.schema_arrow.names), None)
    st = os.stat(path)
    mine = {p["group"]: p for p in old.values() if p["kind"] == "parquet" and p["path"] == str(path)}
    groups = []
    for g in range(pf.num_row_groups):  # a group is known by its ids (read alone: a column, not the texts)
        ids = pf.read_row_group(g, columns=[id_col]).column(0).to_pylist() if id_col else []
        groups.append(hashlib.sha1(json.dumps(ids, default=str).encode()).hexdigest())
    if any(g >= len(groups) or groups[g] != p["ids"] for g, p in mine.items()):
        raise _changed(path, out)
    first = 1
    for g, ids in enumerate(groups):
        if g in mine:
            pid = mine[g]["pid"]
        else:
            pid = next(fresh)
            _write_plan(out, {"pid": pid, "kind": "parquet", "path": str(path), "group": g, "ids": ids})
        # the file's time too: texts edited under the same ids are extracted again (changed)
        yield Partition(pid, "parquet", (str(path), g, first), f"{ids}:{st.st_size}:{st.st_mtime_ns}")
        first += pf.metadata.row_group(g).num_rows
