"""Offline backend throughput on one core: read + normalise + recognise + ground per article,
with the NER model (the default) and without it (JIYAO_NER=0).

    taskset -c 0 python benchmarks/bench_offline.py [REPEATS]

The two settings are timed in turns, REPEATS passes each over the example articles; the best pass
is the number to compare (other processes on a shared machine only ever slow a pass down), the
median is printed beside it.
"""
import os
import statistics
import sys
import time
from pathlib import Path

from jiyao.run.extractor import Extractor
from jiyao.read.document import read_file
from jiyao.recognise import ner

root = Path(__file__).resolve().parents[1] / "examples" / "articles"
repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
files = sorted(root.glob("*.txt"))
ex = Extractor("offline")


def one_pass(use_ner: bool) -> float:
    """Articles per second over one pass (four rounds of the examples)."""
    os.environ[ner.ENV] = "1" if use_ner else "0"
    t0 = time.perf_counter()
    for _ in range(4):
        for f in files:
            ex.extract_offline(read_file(f))
    return 4 * len(files) / (time.perf_counter() - t0)


t0 = time.perf_counter()
tagger = ner.tagger()
print(f"NER model load: {time.perf_counter() - t0:.2f} s")
one_pass(True)  # warm-up: OpenCC, pypinyin, the gazetteer, the model's first run
runs0, chars0 = tagger.runs, tagger.chars
rates: dict[bool, list[float]] = {False: [], True: []}
for _ in range(repeats):
    for use_ner in (False, True):
        rates[use_ner].append(one_pass(use_ner))
n_ner = repeats * 4 * len(files)
chars = sum(len(read_file(f).original) for f in files) / len(files)
for use_ner, label in ((False, "without NER"), (True, "with NER   ")):
    r = rates[use_ner]
    print(f"{label}: {max(r):.1f} articles/s on one core, best pass (median {statistics.median(r):.1f}; goal >= 50)")
print(f"the model read {(tagger.chars - chars0) / n_ner:.0f} of {chars:.0f} characters per article "
      f"in {(tagger.runs - runs0) / n_ner:.2f} calls")
text = "\n".join(read_file(f).original for f in files)
t0 = time.perf_counter()
tagger.tag(text[:4000])
print(f"the model alone, 4000 characters in one call: {4000 / (time.perf_counter() - t0):.0f} characters/s")
