"""Batch preparation/collection rate and the Dask runner against one plain offline process.

    python benchmarks/bench_batch_dask.py [COPIES] [WORKERS]

COPIES copies of the seed articles (default 40 → 200 articles) in a temporary folder:
- `batch prepare` (hybrid, json_schema): requests written per second;
- `batch collect` of perfect answers: records per second (recognisers + grounding + fallback);
- offline records per second: one process, then `jiyao distributed` on a LocalCluster of WORKERS
  processes (default 2) including the cluster's start and stop.
"""
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jiyao.run import batch

from jiyao.run import distributed as dist
from jiyao.agent.llm import EndpointConfig
from jiyao.run.extractor import Extractor
from jiyao.run.records import RecordWriter
from jiyao.run.folder import run

ROOT = Path(__file__).resolve().parents[1]


def _folder(tmp: Path, copies: int) -> Path:
    f = tmp / "articles"
    f.mkdir()
    for k in range(copies):
        for p in sorted((ROOT / "examples" / "articles").glob("*.txt")):
            shutil.copy(p, f / f"{p.stem}_{k:04d}.txt")
    return f


def _results(requests: Path, out: Path) -> None:
    """A perfect batch: every request answered with the gold record of its seed."""
    gold = {p.stem: json.loads(p.read_text("utf-8")) for p in (ROOT / "evals" / "gold").glob("*.json")}
    keys = ("headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives")
    with open(requests, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            req = json.loads(line)
            seed = req["custom_id"].split("#")[0].rsplit("_", 1)[0]
            body = {"id": "c", "object": "chat.completion", "created": 0, "model": "m",
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {
                        "role": "assistant", "content": json.dumps({k: gold[seed][k] for k in keys}, ensure_ascii=False)}}]}
            dst.write(json.dumps({"custom_id": req["custom_id"], "response": {"status_code": 200, "body": body}}) + "\n")


def main(copies: int, workers: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="jiyao-bench-"))
    try:
        folder = _folder(tmp, copies)
        n = copies * 5
        cfg = EndpointConfig(model="m", base_url="http://127.0.0.1:9/v1", mode="json_schema")
        t0 = time.perf_counter()
        stats = asyncio.run(batch.prepare([folder], tmp / "req.jsonl", Extractor("hybrid", cfg)))
        t1 = time.perf_counter()
        print(f"batch prepare: {stats.requests} requests in {t1 - t0:.2f} s ({stats.requests / (t1 - t0):.0f}/s)")
        _results(tmp / "req.jsonl", tmp / "res.jsonl")
        with RecordWriter(tmp / "batch.jsonl") as w:
            t0 = time.perf_counter()
            s = asyncio.run(batch.collect([tmp / "res.jsonl"], [folder], w, Extractor("hybrid", cfg)))
            t1 = time.perf_counter()
        print(f"batch collect: {s.records} records, {s.failures} failures in {t1 - t0:.2f} s ({s.records / (t1 - t0):.0f}/s)")
        with RecordWriter(tmp / "plain.jsonl") as w:
            t0 = time.perf_counter()
            asyncio.run(run([folder], w, Extractor("offline")))
            plain = time.perf_counter() - t0
        print(f"offline, one process: {n} records in {plain:.2f} s ({n / plain:.0f}/s)")
        t0 = time.perf_counter()
        t = dist.run([folder], tmp / "dask", dist.Options(), workers=workers, size=max(1, n // (4 * workers)))
        wall = time.perf_counter() - t0
        print(f"distributed, LocalCluster of {workers} processes: {t.records} records in {wall:.2f} s "
              f"({t.records / wall:.0f}/s, {plain / wall:.2f}x one process, cluster start and stop included)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":  # the guard matters: LocalCluster's worker processes import this file
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
