"""Bad files, faulty endpoints, kill -9 and hostile text: the run goes on and loses nothing."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import opencc
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.run.records import RecordWriter

from fakeserver import FakeServer, Script
from helpers import SEEDS

SEED = SEEDS / "003_3f6239400a319930.txt"


def _extract(*args):
    return CliRunner().invoke(app, ["extract", *map(str, args)])


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()]


def _core(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k not in ("usage", "doc_id", "origin")}


def test_bad_inputs_each_get_an_error_or_a_correct_record(tmp_path, tally):
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True); (src / "b").mkdir()
    from jiyao.read.document import read_file
    clean_text = read_file(SEEDS / "002_b7cc8050b06c14b8.txt").norm.text  # Big5 can encode all of it
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("  \n\t \n")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (src / "undecodable.txt").write_bytes(b"\xff\xfe\xfa" * 10 + b"\x80\x81" * 50 + b"\x00")
    (src / "gbk.txt").write_bytes(clean_text.encode("gb18030"))
    (src / "big5.txt").write_bytes(opencc.OpenCC("s2tw").convert(clean_text).encode("big5", errors="strict"))
    (src / "longline.txt").write_text("会议" * 500_000, "utf-8")
    (src / "page.html").write_text("<html><head><script>alert('x')</script></head><body><nav>首页 新闻</nav><article>"
                                   + "".join(f"<p>{ln}</p>" for ln in clean_text.splitlines()) + "</article></body></html>", "utf-8")
    (src / "a" / "dup.txt").write_text(clean_text, "utf-8")
    (src / "b" / "dup.txt").write_text(clean_text, "utf-8")
    (src / "notice.txt").write_text("关于春节期间停车场开放时间的通知\n各位市民:春节期间停车场开放时间为上午8时至晚上10时。特此通知。", "utf-8")
    lines = clean_text.split("\n")  # scraped together: a UTF-8 head and a GBK body
    (src / "mixed.txt").write_bytes("\n".join(lines[:2]).encode() + b"\n" + "\n".join(lines[2:]).encode("gb18030"))
    with open(src / "huge.txt", "wb") as f:  # 20 MB: refused by size, without reading it
        f.write(clean_text.encode() * (20_000_000 // len(clean_text.encode()) + 1))
    os.symlink(src, src / "a" / "loop")
    tally["bad inputs tried"] += 13
    out = tmp_path / "out" / "r.jsonl"
    r = _extract(src, "-o", out)
    assert r.exit_code == 0, r.output
    recs = {x["doc_id"]: x for x in _lines(out)}
    errors = {x["doc_id"]: x["error"] for x in _lines(Path(str(out) + ".errors.jsonl"))}
    assert "empty file" in errors["empty"] and "empty" in errors["blank"]
    assert "binary" in errors["binary"] or "undecodable" in errors["binary"]
    assert "undecodable" in errors["undecodable"] or "binary" in errors["undecodable"]
    assert {"gbk", "big5", "page", "notice", "longline", "mixed"} <= set(recs)
    assert "too large" in errors["huge"] and "huge" not in recs
    assert recs["notice"]["meeting"] is None and recs["notice"]["people"] == []
    dup_ids = [d for d in recs if d.startswith("dup")]
    assert len(dup_ids) == 2  # same stem in two folders: two records, two ids
    reference = _core(recs[dup_ids[0]])
    assert _core(recs["gbk"]) == reference  # same text in GBK bytes: same record, same offsets
    assert _core(recs["mixed"]) == reference  # each line decoded in its own encoding
    assert [p["name"] for p in recs["big5"]["people"]] == [p["name"] for p in reference["people"]]
    assert [p["name"] for p in recs["page"]["people"]] == [p["name"] for p in reference["people"]]
    assert _extract(src, "-o", tmp_path / "strict.jsonl", "--strict").exit_code == 1


def test_vanished_files_are_per_file_errors(tmp_path, tally):
    # unreadable files: test_bad_files.test_unreadable_file_is_a_per_file_error_even_as_root
    from jiyao.read.document import ReadError, read_file
    tally["bad inputs tried"] += 1
    try:
        read_file(tmp_path / "gone.txt")
        raise AssertionError
    except ReadError as e:
        assert "vanished" in str(e)


def test_resume_skips_done_and_repairs_a_torn_last_line(tmp_path, tally):
    out = tmp_path / "r.jsonl"
    assert _extract(SEEDS, "-o", out).exit_code == 0
    full = out.read_text("utf-8")
    lines = full.splitlines(keepends=True)
    out.write_text("".join(lines[:3]) + lines[3][:50], "utf-8")  # killed mid-write
    assert _extract(SEEDS, "-o", out).exit_code == 0
    recs = _lines(out)
    assert sorted(r["doc_id"] for r in recs) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert [_core(r) for r in sorted(recs, key=lambda r: r["doc_id"])] == \
        [_core(json.loads(x)) for x in sorted(full.splitlines(), key=lambda x: json.loads(x)["doc_id"])]
    tally["crashes survived"] += 1


def test_second_run_on_a_locked_output_is_refused(tmp_path):
    out = tmp_path / "r.jsonl"
    with RecordWriter(out):
        r = _extract(SEEDS, "-o", out)
    assert r.exit_code == 2 and "another jiyao run" in r.output


def test_kill_9_mid_run_loses_and_duplicates_nothing(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    text = SEED.read_text("utf-8")
    for i in range(30):
        (src / f"doc{i:02d}.txt").write_text(f"{text}\n第{i}号", "utf-8")  # distinct texts: no cache hits
    empty = {"headline": None, "meeting": None, "people": [], "upstream_meetings": [], "slogans": [], "directives": []}

    def slow(req):
        time.sleep(0.5)
        return empty
    out = tmp_path / "r.jsonl"
    with FakeServer(Script(default=slow)) as s:
        cmd = [sys.executable, "-m", "jiyao", "extract", str(src), "-o", str(out), "--backend", "llm", "--model", "m",
               "--base-url", s.base_url, "--api-key", "sk-KEEP-THIS-SECRET", "--concurrency", "1"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and (not out.exists() or len(out.read_text().splitlines()) < 2):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        before = len(_lines(out))
        assert 0 < before < 30
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
    ids = [x["doc_id"] for x in _lines(out)]
    assert sorted(ids) == sorted(f"doc{i:02d}" for i in range(30))  # none lost, none duplicated
    tally["crashes survived"] += 1
    tally["records lost"] += 30 - len(set(ids))
    tally["duplicates"] = tally.get("duplicates", 0) + len(ids) - len(set(ids))
    for f in tmp_path.iterdir():
        if f.is_file():
            assert b"KEEP-THIS-SECRET" not in f.read_bytes(), f.name
    assert "KEEP-THIS-SECRET" not in r.stdout + r.stderr


def test_fault_storm_is_ridden_out_within_the_retry_budget(tmp_path, tally):
    # one article after another (--concurrency 1), so each meets the same storm: a reset, an answer
    # without choices, three error statuses, a non-JSON answer and a refusal, then a valid answer.
    # Faults are retried (budget), bad answers re-asked; the last answer is cut off by max_tokens.
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    empty = {"headline": None, "meeting": None, "people": [], "upstream_meetings": [], "slogans": [], "directives": []}
    now = {"Retry-After": "0"}
    # (faults without Retry-After first: their exponential backoff is shortest there)
    storm = [("reset",), ("empty",), ("status", 429, {"Retry-After": "0.05"}), ("status", 500, now), ("status", 503, now),
             ("raw", "garbage"), ("refusal",), empty]
    steps = storm * 3 + [("length", "{")]
    tally["faults injected"] += len(steps) - 3

    def run(budget, out):
        script = Script(list(steps), default=empty)
        with FakeServer(script) as s:
            r = _extract(src, "-o", out, "--backend", "llm", "--model", "m", "--base-url", s.base_url, "--timeout", "5",
                         "--retry-budget", budget, "--concurrency", "1", "--no-cache")
        assert r.exit_code == 0, r.output
        errors = Path(str(out) + ".errors.jsonl")
        return ({x["doc_id"] for x in _lines(out)}, {x["doc_id"]: x["error"] for x in _lines(errors)} if errors.exists() else {},
                len(script.requests))
    done, errs, sent = run("15", tmp_path / "r.jsonl")  # 3 articles × 5 faults
    assert done == {f"d{i}" for i in range(3)} and list(errs) == ["d3"] and "max_tokens" in errs["d3"]
    assert sent == len(steps)
    done, errs, _ = run("0", tmp_path / "none.jsonl")  # without retries the first fault ends each article
    assert len(done) < 3 and set(errs) >= {"d0"}


def test_doc_ids_cannot_name_paths():
    from jiyao.read.walk import safe_doc_id
    assert "/" not in safe_doc_id("../../etc/passwd") and not safe_doc_id("..").startswith(".")
