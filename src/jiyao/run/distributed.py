"""A distributed run on dask.distributed: the same core (read → Extractor → RecordWriter) per
partition of the input, on every worker of a cluster (or a LocalCluster on this machine).

Why Dask and not Ray: dask.distributed is pure Python (pip install in seconds, no 200 MB wheel,
no object store or dashboard daemon), the same code runs on a LocalCluster in CI and on a real
cluster (`dask scheduler` + `dask worker tcp://host:8786` on each machine, or dask-jobqueue on
SLURM/PBS, dask-kubernetes), and jiyao needs only futures, not a dataflow engine.

Input: article files and folders, or JSONL / Parquet files with an id and a text column.
Output: one folder; partition k writes part-0000k.jsonl (records), part-0000k.jsonl.errors.jsonl,
optionally part-0000k.parquet, part-0000k.plan (where it ends, written when first planned) and,
when finished, part-0000k.done. Resume (partitions.py): a partition whose .done marker matches what
it holds now is not submitted again; one that grew or changed, or was interrupted, skips the
records its part file already holds (RecordWriter). Workers read the inputs and write the folder
themselves, so on a real cluster both must be on a shared filesystem.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..read.inputs import ID_COLUMNS, Item, RowIds, line_item, row_item
from .partitions import Partition, done_path, is_done, part_path, plan

if TYPE_CHECKING:
    from ..agent.llm import EndpointConfig

from ..settings import PARTITION_SIZE
MANIFEST = "_jiyao_partitions.json"
MANIFEST_VERSION = 2  # 1: partitions by number (a grown input lost files and duplicated others)


@dataclass
class Options:
    """What every worker needs to build its own Extractor."""
    backend: str = "offline"
    endpoint: EndpointConfig | None = None
    concurrency: int = 4
    prompts_dir: str | None = None
    parquet: bool = False  # also part-NNNNNN.parquet (the JSONL stays: resume reads it)


def articles(part: Partition) -> Iterator[Item]:
    """A partition's articles; in a table, one bad row is one error line, not a failed partition
    (a repeated id is found within the partition)."""
    if part.kind == "files":
        yield from part.items
    elif part.kind == "jsonl":
        path, start, end, first = part.items
        with open(path, "rb") as f:
            f.seek(start)
            lines = f.read(end - start).splitlines()
        ids = RowIds()
        for n, raw in enumerate(lines, first):
            if (it := line_item(raw, Path(path), n, ids)) is not None:
                yield it
    else:
        import pyarrow.parquet as pq

        path, group, first = part.items
        pf = pq.ParquetFile(path)
        id_col = next((c for c in ID_COLUMNS if c in pf.schema_arrow.names), None)
        if id_col is None or "text" not in pf.schema_arrow.names:
            yield Item(f"row-group-{group}", f"{path}#group-{group}",
                       error="a Parquet article table needs an id (or doc_id) and a text column")
            return
        ids = RowIds()
        for n, row in enumerate(pf.read_row_group(group, columns=[id_col, "text"]).to_pylist(), first):
            yield row_item({"id": row[id_col], "text": row["text"]}, Path(path), n, ids)


def process(part: Partition, out: str, opts: Options) -> dict:
    """One partition on a worker: its own Extractor, its own part file (resumed if it exists)."""
    from .records import RecordWriter

    out_dir = Path(out)
    if is_done(out_dir, part):
        return {"pid": part.pid, "skipped_partition": True}
    with RecordWriter(part_path(out_dir, part.pid)) as writer:
        stats = asyncio.run(_extract(articles(part), writer, opts))
    stats["pid"] = part.pid
    if opts.parquet:
        from .records_parquet import jsonl_to_parquet

        jsonl_to_parquet(part_path(out_dir, part.pid), part_path(out_dir, part.pid).with_suffix(".parquet"))
    # last: a partition killed before this is resumed; the fingerprint: one that changes is run again
    done_path(out_dir, part.pid).write_text(json.dumps({**stats, "fingerprint": part.fingerprint}) + "\n", "utf-8")
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
    """Partitions are places in a listing of these inputs: refuse other inputs or another size."""
    want = {"version": MANIFEST_VERSION, "inputs": [str(Path(i).resolve()) for i in inputs], "partition_size": size}
    path = out / MANIFEST
    if path.exists():
        have = json.loads(path.read_text("utf-8"))
        if isinstance(have, dict) and have.get("version") != MANIFEST_VERSION:
            raise ValueError(f"{out} was written by an older jiyao (partitions by number, which a grown input "
                             "breaks); use a new output folder")
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
        todo = iter(plan(inputs, size, out))
        pending = as_completed()

        def feed(n: int) -> None:
            for part in itertools.islice(todo, n):
                totals.partitions += 1
                if is_done(out, part):  # finished before, and holds the same now: not even a task
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
