"""Offline backend throughput on one core: read + normalise + recognise + ground per article.

    python benchmarks/bench_offline.py [ROUNDS]
"""
import sys
import time
from pathlib import Path

from jiyao.pipeline import Extractor
from jiyao.read import read_file

root = Path(__file__).resolve().parents[1] / "examples" / "articles"
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
files = sorted(root.glob("*.txt"))
ex = Extractor("offline")
ex.extract_offline(read_file(files[0]))  # warm-up: loads OpenCC, pypinyin and the gazetteer once
t0 = time.perf_counter()
for _ in range(rounds):
    for f in files:
        ex.extract_offline(read_file(f))
dt = time.perf_counter() - t0
n = rounds * len(files)
print(f"{n} articles in {dt:.2f} s: {n / dt:.1f} articles/s on one core (goal >= 50)")
