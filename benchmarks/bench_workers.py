"""Offline throughput with 1 worker process vs every core, side by side in one run.

    python benchmarks/bench_workers.py [N_ARTICLES]

The articles are the labelled sets' articles copied N/13 times (distinct files, so nothing is
cached), read, normalised, recognised, grounded and written as JSONL.
"""
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jiyao.read.inputs import iter_items
from jiyao.run.records import RecordWriter
from jiyao.run.folder import default_workers, run_offline

root = Path(__file__).resolve().parents[1]
sources = sorted(root.glob("examples/articles/*.txt")) + sorted(root.glob("evals/heldout/*/articles/*.txt"))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
tmp = Path(tempfile.mkdtemp(prefix="jiyao-bench-"))
corpus = tmp / "corpus"
corpus.mkdir()
for i in range(n):
    src = sources[i % len(sources)]
    shutil.copy(src, corpus / f"{i:06d}_{src.name}")

# warm up first (OpenCC, jieba's dictionary, the NER model): forked workers inherit what the parent
# loaded, so without this the one-worker run alone would pay the loading
from jiyao.run.extractor import Extractor
from jiyao.read.document import read_file
Extractor("offline").extract_offline(read_file(sources[0]))

results = {}
for workers in sorted({1, default_workers()}):
    out = tmp / f"w{workers}.jsonl"
    t0 = time.perf_counter()
    with RecordWriter(out) as w:
        stats = run_offline(iter_items([corpus]), w, workers)
    dt = time.perf_counter() - t0
    results[workers] = dt
    print(f"workers={workers}: {stats.records} records in {dt:.2f} s = {stats.records / dt:.1f} articles/s")
if len(results) > 1:
    w = max(results)
    print(f"speed-up with {w} workers: {results[1] / results[w]:.2f}x (goal >= 1.8x on 2 cores)")
shutil.rmtree(tmp)
