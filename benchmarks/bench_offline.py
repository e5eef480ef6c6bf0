"""Offline backend throughput on one core: read + normalise + recognise + ground per article,
with the NER model (the default) and without it (JIYAO_NER=0).

    taskset -c 0 python benchmarks/bench_offline.py [ROUNDS]
"""
import os
import sys
import time
from pathlib import Path

from jiyao.pipeline import Extractor
from jiyao.read import read_file
from jiyao.recognise import ner

root = Path(__file__).resolve().parents[1] / "examples" / "articles"
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
files = sorted(root.glob("*.txt"))
docs = [read_file(f) for f in files]


def run(use_ner: bool) -> float:
    os.environ[ner.ENV] = "1" if use_ner else "0"
    ex = Extractor("offline")
    ex.extract_offline(read_file(files[0]))  # warm-up: loads OpenCC, pypinyin, the gazetteer (and the model) once
    t0 = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            ex.extract_offline(read_file(f))
    return rounds * len(files) / (time.perf_counter() - t0)


t0 = time.perf_counter()
tagger = ner.tagger()
print(f"NER model load: {time.perf_counter() - t0:.2f} s")
without = run(False)
runs0, chars0 = tagger.runs, tagger.chars
with_ner = run(True)
n = rounds * len(files)
model_chars = (tagger.chars - chars0) / (n + 1)
print(f"without NER: {without:.1f} articles/s on one core")
print(f"with NER:    {with_ner:.1f} articles/s on one core (goal >= 50); "
      f"the model read {model_chars:.0f} of {sum(len(d.original) for d in docs) / len(docs):.0f} characters "
      f"per article in {(tagger.runs - runs0) / (n + 1):.1f} calls")
t0 = time.perf_counter()
text = "\n".join(d.original for d in docs)
tagger.tag(text)
print(f"NER alone on whole articles: {len(text) / (time.perf_counter() - t0):.0f} characters/s")
