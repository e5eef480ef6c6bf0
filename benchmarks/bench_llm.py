"""LLM orchestration overhead: jiyao's LLM path against a plain instructor + AsyncOpenAI loop, over
the same files, prompt and schema, against a scripted OpenAI-compatible server (its own process)
that answers every request after a fixed latency L.

    python benchmarks/bench_llm.py [--quick] [--cs 64 --ls 0.5 --waves 8] [--no-calls] [--out benchmarks/results/bench_llm]

For each concurrency C and latency L both sides extract N = waves·C articles; efficiency = (N·L/C) /
wall (1.0 = every slot busy all the time), CPU = this process's CPU time per article (jiyao's call
log thread included). jiyao runs with its call log on (`<output>.calls.sqlite`, as `jiyao extract`
writes it) unless --no-calls. Then one long article (200k characters) through jiyao: its chunks
should take ⌈chunks/C⌉·L, not chunks·L.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import re
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS, GOLD = ROOT / "examples" / "articles", ROOT / "evals" / "gold"
MARK = re.compile(r"【稿件(\d+)】")
EMPTY = {"headline": None, "meeting": None, "people": [], "upstream_meetings": [], "slogans": [], "directives": []}


# --- the scripted server (a separate process, so its work is not counted as the client's CPU) -------

def _answers() -> list[dict]:
    keys = ("headline", "source", "meeting", "people", "upstream_meetings", "slogans", "directives")
    return [{k: json.loads(p.read_text("utf-8"))[k] for k in keys} for p in sorted(GOLD.glob("*.json"))]


def _serve(port_q, latency: float) -> None:
    answers = _answers()

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def log_message(self, *a):
            pass

        def do_POST(self):
            req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            m = MARK.search(req["messages"][-1]["content"])
            ans = answers[int(m.group(1))] if m else EMPTY
            time.sleep(latency)
            content = json.dumps(ans, ensure_ascii=False)
            msg = {"role": "assistant", "content": content}
            if req.get("tools"):
                msg = {"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function", "function": {
                    "name": req["tools"][0]["function"]["name"], "arguments": content}}]}
            body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                               "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}],
                               "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}},
                              ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class S(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

    httpd = S(("127.0.0.1", 0), H)
    port_q.put(httpd.server_address[1])
    httpd.serve_forever()


class Server:
    def __init__(self, latency: float):
        q = mp.Queue()
        self.proc = mp.Process(target=_serve, args=(q, latency), daemon=True)
        self.proc.start()
        self.url = f"http://127.0.0.1:{q.get(timeout=30)}/v1"

    def close(self):
        self.proc.terminate(); self.proc.join()


# --- the two clients ------------------------------------------------------------------------------

def make_files(folder: Path, n: int) -> list[Path]:
    seeds = sorted(SEEDS.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        k = i % len(seeds)
        p = folder / f"a{i:05d}.txt"
        p.write_text(seeds[k].read_text("utf-8") + f"\n【稿件{k}】第{i}份", "utf-8")
        out.append(p)
    return out


CALLS = True  # jiyao writes its call log (--no-calls: off)


async def run_jiyao(files: list[Path], url: str, c: int, out: Path, mode: str) -> tuple[int, int]:
    from jiyao.agent.calllog import CallLog, default_path
    from jiyao.agent.endpoint import EndpointConfig
    from jiyao.run.extractor import Extractor
    from jiyao.read.inputs import iter_items
    from jiyao.run.records import RecordWriter
    from jiyao.run.folder import run

    log = CallLog(default_path(out), "k") if CALLS else None
    ex = Extractor("llm", EndpointConfig(model="m", base_url=url, api_key="k", mode=mode), concurrency=c, calls=log)
    writer = RecordWriter(out)
    try:
        stats = await run(iter_items(files), writer, ex, c)
    finally:
        writer.close()
        await ex.aclose()
        if log is not None:
            log.close()  # every call written before the wall time stops
    return stats.records, stats.calls


async def run_raw(files: list[Path], url: str, c: int, out: Path, mode: str) -> tuple[int, int]:
    """What a user would write with instructor alone: same prompt, same schema, same output file."""
    import instructor
    from openai import AsyncOpenAI

    from jiyao.agent.prompting import load
    from jiyao.schema import ExtractedReport

    prompts = load()
    client = instructor.from_openai(AsyncOpenAI(base_url=url, api_key="k", max_retries=0),
                                    mode=getattr(instructor.Mode, mode.upper()))
    sem = asyncio.Semaphore(c)
    with open(out, "w", encoding="utf-8") as f:
        async def one(p: Path) -> int:
            messages = prompts.messages(p.read_text("utf-8"))
            async with sem:
                r = await client.chat.completions.create(model="m", messages=messages, response_model=ExtractedReport,
                                                         max_retries=2)
            f.write(r.model_dump_json() + "\n")
            return 1
        done = sum(await asyncio.gather(*(one(p) for p in files)))
    await client.client.close()
    return done, done


def measure(side: str, files: list[Path], url: str, c: int, tmp: Path, mode: str) -> dict:
    fn = run_jiyao if side == "jiyao" else run_raw
    out = tmp / f"{side}-{c}-{time.monotonic_ns()}.jsonl"
    cpu0, t0 = time.process_time(), time.perf_counter()
    records, calls = asyncio.run(fn(files, url, c, out, mode))
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return {"records": records, "calls": calls, "wall_s": round(wall, 3), "cpu_ms_per_article": round(1000 * cpu / len(files), 2)}


def long_article(url: str, c: int, latency: float, tmp: Path, mode: str) -> dict:
    from jiyao.agent.endpoint import EndpointConfig
    from jiyao.run.extractor import Extractor, _chunks
    from jiyao.read.document import from_text

    para = (SEEDS / "003_3f6239400a319930.txt").read_text("utf-8").replace("\n", "")
    text = "\n".join(f"第{i}段。{para}" for i in range(200_000 // len(para) + 1))[:200_000]
    n = len(_chunks(from_text(text, "x").norm.text))

    doc = from_text(text, "long")

    async def go():
        ex = Extractor("llm", EndpointConfig(model="m", base_url=url, api_key="k", mode=mode), concurrency=c)
        try:
            await ex.aextract(from_text(para, "warm-up"))
            t0 = time.perf_counter()
            rec = await ex.aextract(doc)
            return time.perf_counter() - t0, rec.usage.calls
        finally:
            await ex.aclose()
    wall, calls = asyncio.run(go())
    return {"chars": len(text), "chunks": n, "calls": calls, "C": c, "L": latency, "wall_s": round(wall, 2),
            "concurrent_ideal_s": math.ceil(n / c) * latency, "sequential_s": n * latency}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="C = 8/32 and L = 0.5 only")
    ap.add_argument("--mode", default="json_schema")
    ap.add_argument("--waves", type=int, default=4, help="N = waves × C articles per run")
    ap.add_argument("--cs", type=int, nargs="+", help="concurrencies (default 8 32 64; --quick 8 32)")
    ap.add_argument("--ls", type=float, nargs="+", help="latencies in seconds (default 0.5 2.0; --quick 0.5)")
    ap.add_argument("--no-calls", action="store_true", help="jiyao without its call log")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bench_llm")
    a = ap.parse_args()
    cs, ls = ((8, 32), (0.5,)) if a.quick else ((8, 32, 64), (0.5, 2.0))
    cs, ls = a.cs or cs, a.ls or ls
    global CALLS
    CALLS = not a.no_calls
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for latency in ls:
            server = Server(latency)
            try:
                warm = make_files(tmp / "warm", 4)  # imports, prompt loading, first connections: not measured
                for side in ("jiyao", "raw"):
                    measure(side, warm, server.url, 4, tmp, a.mode)
                for c in cs:
                    files = make_files(tmp / f"in{c}", a.waves * c)
                    row = {"C": c, "L": latency, "N": len(files)}
                    for side in ("raw", "jiyao"):
                        m = measure(side, files, server.url, c, tmp, a.mode)
                        m["efficiency"] = round(len(files) * latency / c / m["wall_s"], 3)
                        row[side] = m
                        print(f"C={c} L={latency} {side}: {m}", file=sys.stderr, flush=True)
                    rows.append(row)
                if latency == ls[0]:
                    long = long_article(server.url, 32, latency, tmp, a.mode)
            finally:
                server.close()
    report(rows, long, a.out, a.mode, a.waves)


def report(rows: list[dict], long: dict, out: Path, mode: str, waves: int = 4) -> None:
    import os
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"mode {mode}; N = {waves}·C articles per run; jiyao's call log {'on' if CALLS else 'off'}; "
             "efficiency = (N·L/C) / wall; CPU = client process CPU per article; "
             f"{os.cpu_count()} cores, load average at the end {load}", "",
             "| C | L (s) | N | raw eff. | jiyao eff. | wall jiyao/raw | raw CPU ms/art. | jiyao CPU ms/art. | CPU jiyao/raw |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        j, w = r["jiyao"], r["raw"]
        lines.append(f"| {r['C']} | {r['L']} | {r['N']} | {w['efficiency']:.3f} | {j['efficiency']:.3f} | "
                     f"{j['wall_s'] / w['wall_s']:.3f} | {w['cpu_ms_per_article']:.2f} | {j['cpu_ms_per_article']:.2f} | "
                     f"{j['cpu_ms_per_article'] / w['cpu_ms_per_article']:.2f} |")
    cpu_j = sum(r["jiyao"]["cpu_ms_per_article"] * r["N"] for r in rows) / sum(r["N"] for r in rows)
    cpu_w = sum(r["raw"]["cpu_ms_per_article"] * r["N"] for r in rows) / sum(r["N"] for r in rows)
    lines += ["", f"CPU per article over all runs: jiyao {cpu_j:.2f} ms, raw {cpu_w:.2f} ms ({cpu_j / cpu_w:.2f}×)", "",
              f"long article: {long['chars']:,} characters, {long['chunks']} chunks, C = {long['C']}, L = {long['L']} s: "
              f"{long['wall_s']} s (concurrent ideal ⌈chunks/C⌉·L = {long['concurrent_ideal_s']} s; "
              f"one after another = {long['sequential_s']} s)"]
    text = "\n".join(lines)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text(text + "\n", "utf-8")
    out.with_suffix(".json").write_text(json.dumps({"mode": mode, "calls": CALLS, "rows": rows, "long": long}, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
