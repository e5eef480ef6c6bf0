"""Locator cost on a long article: building the comparison key once, then finding values.

    python benchmarks/bench_locator.py [TARGET_CHARS]

The seeds are concatenated up to TARGET_CHARS (default 200,000: the longest articles met) and
every gold value of the seeds is looked up, once as written and once with its quotes stripped.
"""
import json
import sys
import time
from pathlib import Path

from jiyao.ground.spans import Locator
from jiyao.read.document import from_text
from jiyao.text import QUOTES

root = Path(__file__).resolve().parents[1]
target = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
seeds = [p.read_text("utf-8") for p in sorted((root / "examples" / "articles").glob("*.txt"))]
text = ""
while len(text) < target:
    text += "\n".join(seeds) + "\n"
values = []
for g in sorted((root / "evals" / "gold").glob("*.json")):
    d = json.loads(g.read_text("utf-8"))
    values += [d["headline"], *d["slogans"], *(p["name"] for p in d["people"]),
               *(t for p in d["people"] for t in p["titles"])]
values = [v for v in values if v]
values += [v.translate({ord(q): None for q in QUOTES}) for v in values]

t0 = time.perf_counter()
doc = from_text(text, "long")
t1 = time.perf_counter()
loc = Locator(doc)
t2 = time.perf_counter()
found = sum(loc.find(v) is not None for v in values)
t3 = time.perf_counter()
print(f"{len(text):,} chars: read+normalise {t1 - t0:.2f} s, Locator build {(t2 - t1) * 1000:.0f} ms, "
      f"{len(values)} lookups {(t3 - t2) * 1000:.0f} ms ({found} found)")
