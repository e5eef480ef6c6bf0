"""Resume over a large output: time and memory to open a RecordWriter on N existing records.

    python benchmarks/bench_resume.py [N=200000]

Writes N realistic-size records (about 2 KB each, with origins) to a temporary JSONL file, then
opens it for appending as a resumed run does (in a fresh process), and reports the wall time of
the scan, how much the peak resident memory grew during it, and the size of the resume index.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jiyao.run.records import RecordWriter
from jiyao.schema import MeetingReport, Origin, Person


def _record(i: int) -> str:
    people = [Person(name=f"王{i % 97}林", titles=["县委副书记", "县长"], roles=["chair", "speaker"]) for _ in range(8)]
    r = MeetingReport(doc_id=f"report{i}", headline="我县召开防汛工作部署会议" * 3, people=people,
                      slogans=["人民至上、生命至上"] * 10, evidence={f"/people/{k}/name": [k, k + 3] for k in range(30)},
                      origin=Origin(path=f"in/{i % 1000}/report{i}.txt", sha256=f"{i:064x}"))
    return r.model_dump_json()


def _open(path: str) -> None:
    """In a fresh process: the peak resident memory before and after the scan."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    w = RecordWriter(path)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"scan_s": round(wall, 2), "rss_growth_mb": round((after - before) / 1024, 1),
                      "index_mb": round(w.index.nbytes / 2**20, 2), "index_bytes_per_record": round(w.index.nbytes / len(w.index.origins), 1)}))
    w.close()


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "out.jsonl"
        line = _record(0)
        with open(out, "w", encoding="utf-8") as f:
            for i in range(n):
                rec = _record(i) if i < 1000 else line.replace('"report0"', f'"report{i}"').replace(
                    "report0.txt", f"report{i}.txt")
                f.write(rec + "\n")
        size = out.stat().st_size
        r = subprocess.run([sys.executable, __file__, "--open", str(out)], capture_output=True, text=True, check=True)
    print(json.dumps({"records": n, "output_mb": round(size / 2**20, 1), **json.loads(r.stdout)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--open"]:
        _open(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
