"""A distributed run on dask.distributed: the same core (read → Extractor → RecordWriter) per
partition of the input, on every worker of a cluster (or a LocalCluster on this machine).

Why Dask and not Ray: dask.distributed is pure Python (pip install in seconds, no 200 MB wheel,
no object store or dashboard daemon), the same code runs on a LocalCluster in CI and on a real
cluster (`dask scheduler` + `dask worker tcp://host:8786` on each machine, or dask-jobqueue on
SLURM/PBS, dask-kubernetes), and jiyao needs only futures, not a dataflow engine.

Input: article files and folders, or JSONL / Parquet files with an id and a text column.
Output: one folder; partition k writes part-0000k.jsonl (records), part-0000k.jsonl.errors.jsonl,
optionally part-0000k.parquet, and, when finished, part-0000k.done. Resume: a finished partition is not submitted again, and an
interrupted one skips the records its part file already holds (RecordWriter). Workers read the
inputs and write the folder themselves, so on a real cluster both must be on a shared filesystem.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..read.inputs import ID_COLUMNS, Item, RowIds, iter_items, row_item

if TYPE_CHECKING:
    from ..agent.llm import EndpointConfig

from ..settings import PARTITION_SIZE
MANIFEST = "_jiyao_partitions.json"
TABLE_SUFFIXES = {".jsonl": "jsonl", ".parquet": "parquet"}  # article tables, as for extract


@dataclass(frozen=True)
class Partition:
    pid: int
    kind: str  # files | jsonl | parquet
    items: tuple  # files: (Item, ...); jsonl: (path, first byte, end byte); parquet: (path, row group)


@dataclass
class Options:
    """What every worker needs to build its own Extractor."""
    backend: str = "offline"
    endpoint: EndpointConfig | None = None
    concurrency: int = 4
    prompts_dir: str | None = None
    parquet: bool = False  # also part-NNNNNN.parquet (the JSONL stays: resume reads it)


def plan(inputs: Iterable[str | Path], size: int = PARTITION_SIZE) -> Iterator[Partition]:
    """Partitions in a stable order (the same inputs give the same partitions, so resume works):
    article files in `size` runs, JSONL files in runs of `size` lines, Parquet files by row group."""
    pid = itertools.count()
    inputs = [Path(i) for i in inputs]
    files = [p for p in inputs if p.suffix.lower() not in TABLE_SUFFIXES]
    for run in _batched(iter_items(files), size):
        yield Partition(next(pid), "files", tuple(run))
    for inp in inputs:
        kind = TABLE_SUFFIXES.get(inp.suffix.lower())
        if kind == "jsonl":
            for start, end in _line_ranges(inp, size):
                yield Partition(next(pid), "jsonl", (str(inp), start, end))
        elif kind == "parquet":
            import pyarrow.parquet as pq

            for group in range(pq.ParquetFile(inp).num_row_groups):
                yield Partition(next(pid), "parquet", (str(inp), group))


def _batched(it, n):
    it = iter(it)
    while run := list(itertools.islice(it, n)):
        yield run


def _line_ranges(path: Path, size: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of `size` lines each: one sequential read on the client, no parsing."""
    start = pos = 0
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            pos += len(line)
            if n % size == 0:
                yield start, pos
                start = pos
    if pos > start:
        yield start, pos


def articles(part: Partition) -> Iterator[Item]:
    if part.kind == "files":
        yield from part.items
        return
    path, ids = Path(part.items[0]), RowIds()
    for n, row in _rows(part):
        yield row_item(row, path, n, ids)  # one bad row is one error line, not a failed partition


def _rows(part: Partition) -> Iterator[tuple[int, dict]]:
    if part.kind == "jsonl":
        path, start, end = part.items
        with open(path, "rb") as f:
            f.seek(start)
            lines = f.read(end - start).splitlines()
        for n, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                row = {}
            yield n, row if isinstance(row, dict) else {}
    else:
        import pyarrow.parquet as pq

        path, group = part.items
        pf = pq.ParquetFile(path)
        cols = [c for c in (*ID_COLUMNS, "text") if c in pf.schema_arrow.names]
        yield from enumerate(pf.read_row_group(group, columns=cols).to_pylist())


def part_path(out: Path, pid: int) -> Path:
    return out / f"part-{pid:06d}.jsonl"


def _done_path(out: Path, pid: int) -> Path:
    return out / f"part-{pid:06d}.done"


def process(part: Partition, out: str, opts: Options) -> dict:
    """One partition on a worker: its own Extractor, its own part file (resumed if it exists)."""
    from .records import RecordWriter

    out_dir = Path(out)
    done = _done_path(out_dir, part.pid)
    if done.exists():
        return {"pid": part.pid, "skipped_partition": True}
    with RecordWriter(part_path(out_dir, part.pid)) as writer:
        stats = asyncio.run(_extract(articles(part), writer, opts))
    stats["pid"] = part.pid
    if opts.parquet:
        from .records_parquet import jsonl_to_parquet

        jsonl_to_parquet(part_path(out_dir, part.pid), part_path(out_dir, part.pid).with_suffix(".parquet"))
    done.write_text(json.dumps(stats) + "\n", "utf-8")  # last: a partition killed before this is resumed
    return stats


async def _extract(items: Iterator[Item], writer, opts: Options) -> dict:
    """run.run over one partition, with this worker's own Extractor."""
    from ..agent.llm import EndpointConfig
    from .extractor import Extractor
    from .folder import run as run_items

    ex = Extractor(opts.backend, opts.endpoint or EndpointConfig(), None, concurrency=opts.concurrency,
                   prompts_dir=opts.prompts_dir)
    try:
        s = await run_items(items, writer, ex, opts.concurrency)
    finally:
        await ex.aclose()
    return {"records": s.records, "failures": s.failures, "skipped": s.skipped}


@dataclass
class Totals:
    partitions: int = 0
    skipped_partitions: int = 0
    records: int = 0
    failures: int = 0
    skipped: int = 0
    parts: list[str] = field(default_factory=list)


def _check_manifest(out: Path, inputs: list[str], size: int) -> None:
    """Partition numbers mean something only for the same inputs and size: refuse a mismatch."""
    want = {"inputs": [str(Path(i).resolve()) for i in inputs], "partition_size": size}
    path = out / MANIFEST
    if path.exists():
        have = json.loads(path.read_text("utf-8"))
        if have != want:
            raise ValueError(f"{out} holds a run over other inputs or another --partition-size ({path}); "
                             "use a new output folder")
    else:
        path.write_text(json.dumps(want, ensure_ascii=False, indent=1) + "\n", "utf-8")


def run(inputs: list[str | Path], out: str | Path, opts: Options, scheduler: str | None = None,
        workers: int | None = None, size: int = PARTITION_SIZE, processes: bool = True,
        on_done: Callable[[dict], None] | None = None) -> Totals:
    """Submit every unfinished partition to the cluster, at most two per worker thread in flight
    (the plan is a generator: a million files never sit in the client's memory as futures)."""
    from dask.distributed import Client, LocalCluster, as_completed

    # absolute: a worker on another machine (or in another directory) must find the same files
    inputs, out = [os.path.abspath(i) for i in inputs], Path(os.path.abspath(out))
    out.mkdir(parents=True, exist_ok=True)
    _check_manifest(out, [str(i) for i in inputs], size)
    if scheduler:
        cluster, client = None, connect(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=processes,
                               dashboard_address=None)
        client = Client(cluster)
    totals = Totals()
    try:
        slots = 2 * max(1, sum(client.nthreads().values()))
        todo = iter(plan(inputs, size))
        pending = as_completed()

        def feed(n: int) -> None:
            for part in itertools.islice(todo, n):
                totals.partitions += 1
                if _done_path(out, part.pid).exists():  # finished before: not even a task
                    totals.skipped_partitions += 1
                    continue
                pending.add(client.submit(process, part, str(out), opts, pure=False, key=f"jiyao-part-{part.pid}"))
        feed(slots)
        while not pending.is_empty() or _refill(feed, pending, slots):
            for fut in pending:
                _add(totals, fut.result(), out)
                if on_done:
                    on_done(fut.result())
                feed(1)
        return totals
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class ClusterError(RuntimeError):
    """The scheduler cannot be reached: one line, not dask's traceback after its 30 s timeout."""


CONNECT_TIMEOUT_S = 10


def connect(scheduler: str):
    """A client of a running scheduler. A TCP address is tried first with a plain socket, so a
    refused connection is said at once."""
    from urllib.parse import urlsplit

    from dask.distributed import Client

    url = urlsplit(scheduler if "://" in scheduler else f"tcp://{scheduler}")
    if url.scheme == "tcp" and url.hostname:
        import socket

        try:
            socket.create_connection((url.hostname, url.port or 8786), timeout=CONNECT_TIMEOUT_S).close()
        except OSError as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc.strerror or exc}") from None
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _refill(feed, pending, slots) -> bool:
    """Everything in flight finished but the plan may still hold partitions (all skipped so far)."""
    feed(slots)
    return not pending.is_empty()


def _add(t: Totals, s: dict, out: Path) -> None:
    if s.get("skipped_partition"):
        t.skipped_partitions += 1
        return
    t.records += s["records"]; t.failures += s["failures"]; t.skipped += s["skipped"]
    t.parts.append(str(part_path(out, s["pid"])))
