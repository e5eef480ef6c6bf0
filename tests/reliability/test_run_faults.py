"""Issue 20, the run itself: killed runs and killed workers, a cache that cannot be written or
holds a damaged answer, and the three guards that no test used to notice missing (the output's
missing-newline repair, the lock's inode re-check, the reader's "grew while being read")."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.run.records import OutputLocked, RecordWriter

from fakeserver import FakeServer, Script
from test_bad_files import ARTICLE

EMPTY = {"headline": None, "meeting": None, "people": [], "upstream_meetings": [], "slogans": [], "directives": []}


def _extract(*args, backend="offline"):
    return CliRunner().invoke(app, ["extract", *map(str, args), "--backend", backend])


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i:03d}.txt").write_text(f"{ARTICLE}\n第{i}号", "utf-8")  # distinct texts
    return folder


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_pooled_run_leaves_no_worker_holding_the_lock(tmp_path, tally, sig):
    src = _corpus(tmp_path / "in", 150)
    out = tmp_path / "r.jsonl"
    cmd = [sys.executable, "-m", "jiyao", "extract", str(src), "-o", str(out), "--backend", "offline", "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline and (not out.exists() or len(out.read_bytes().splitlines()) < 3):
        time.sleep(0.05)
    workers = _children(proc.pid)
    proc.send_signal(sig)
    proc.wait()
    tally["crashes survived"] += 1
    assert workers, "the run had no worker processes"
    before = len(_jsonl(out))
    assert 0 < before < 150
    try:
        # at once: an orphaned worker must not hold the lock (it was inherited across fork)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0 and "another jiyao run" not in r.stderr, r.stderr
        ids = [x["doc_id"] for x in _jsonl(out)]
        tally["records lost"] += 150 - len(set(ids))
        tally["duplicates"] += len(ids) - len(set(ids))
        assert sorted(ids) == [f"doc{i:03d}" for i in range(150)]
        deadline = time.time() + 10  # and the orphans are gone, not idling forever
        while time.time() < deadline and any(map(_alive, workers)):
            time.sleep(0.1)
        assert not any(map(_alive, workers)), [w for w in workers if _alive(w)]
    finally:
        for w in filter(_alive, workers):  # a failed check leaves no process behind (ours only)
            if str(out).encode() in (Path("/proc") / str(w) / "cmdline").read_bytes():
                os.kill(w, signal.SIGKILL)


def test_a_killed_pool_worker_costs_only_the_article_that_kills_it(tmp_path, monkeypatch, tally):
    import jiyao.run.folder as folder

    src = _corpus(tmp_path / "in", 12)
    (src / "doc003.txt").write_text(ARTICLE + "\nKILL-ONCE", "utf-8")  # a worker killed once (OOM killer)
    (src / "doc007.txt").write_text(ARTICLE + "\nKILL-ALWAYS", "utf-8")  # an article that kills every worker
    monkeypatch.setitem(_DYING, "marker", tmp_path / "killed-once")
    monkeypatch.setitem(_DYING, "real", folder._extract)
    monkeypatch.setattr(folder, "_extract", _dying)  # forked workers inherit it
    tally["faults injected"] += 2
    out = tmp_path / "r.jsonl"
    r = _extract(src, "-o", out, "--workers", "2")
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output and "BrokenProcessPool" not in r.output
    ids = [x["doc_id"] for x in _jsonl(out)]
    assert ids == [f"doc{i:03d}" for i in range(12) if i != 7]  # input order kept
    errors = {x["doc_id"]: x["error"] for x in _jsonl(Path(str(out) + ".errors.jsonl"))}
    assert list(errors) == ["doc007"] and "died" in errors["doc007"]
    tally["crashes survived"] += 2


_DYING: dict = {}


def _dying(c):
    """A worker's job that dies as an out-of-memory kill would (module level: pickled by name)."""
    if b"KILL-ALWAYS" in c.data or (b"KILL-ONCE" in c.data and not _DYING["marker"].exists()):
        _DYING["marker"].touch()
        os._exit(9)
    return _DYING["real"](c)


class _FullDisk:
    """An SQLite connection whose writes fail as on a full disk."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_a_cache_that_cannot_be_written_stops_the_run_with_exit_2(tmp_path, monkeypatch, tally):
    src = _corpus(tmp_path / "in", 3)
    out = tmp_path / "r.jsonl"
    real_connect = sqlite3.connect
    monkeypatch.setattr("jiyao.agent.cache.sqlite3.connect", lambda *a, **k: _FullDisk(real_connect(*a, **k)))
    tally["faults injected"] += 1
    with FakeServer(Script(default=EMPTY)) as s:
        endpoint = ["--model", "m", "--base-url", s.base_url, "--api-key", "k", "--concurrency", "1"]
        r = _extract(src, "-o", out, *endpoint, backend="llm")
        assert r.exit_code == 2 and "cache" in r.output and "full" in r.output, r.output
        assert "Traceback" not in r.output
        paid = len(s.script.requests)
        recs = _jsonl(out)
        assert len(recs) == paid == 1  # the answer paid for is a record, and nothing more was asked
        assert not Path(str(out) + ".errors.jsonl").exists()  # no paid answer became an error line
        monkeypatch.setattr("jiyao.agent.cache.sqlite3.connect", real_connect)
        r = _extract(src, "-o", out, *endpoint, backend="llm")
        assert r.exit_code == 0, r.output
    assert sorted(x["doc_id"] for x in _jsonl(out)) == ["doc000", "doc001", "doc002"]


def test_a_damaged_cache_entry_is_asked_again(tmp_path, tally):
    src = _corpus(tmp_path / "in", 3)
    cache = tmp_path / "answers.sqlite"
    answer = {**EMPTY, "people": [{"name": "王春林", "titles": ["县长"]}]}
    with FakeServer(Script(default=answer)) as s:
        endpoint = ["--model", "m", "--base-url", s.base_url, "--api-key", "k", "--cache", cache]
        assert _extract(src, "-o", tmp_path / "first.jsonl", *endpoint, backend="llm").exit_code == 0
        asked = len(s.script.requests)
        with sqlite3.connect(cache) as db:
            keys = [k for (k,) in db.execute("SELECT key FROM responses ORDER BY key")]
            db.execute("UPDATE responses SET value = ? WHERE key = ?", ('{"people": [{"na', keys[0]))  # torn
            db.execute("UPDATE responses SET value = ? WHERE key = ?", ('{"people": 5}', keys[1]))  # wrong shape
        tally["bad inputs tried"] += 2
        for _ in range(2):  # asked again once, then the cache holds a good answer again
            r = _extract(src, "-o", tmp_path / f"again{_}.jsonl", *endpoint, backend="llm")
            assert r.exit_code == 0, r.output
            recs = _jsonl(tmp_path / f"again{_}.jsonl")
            assert len(recs) == 3 and all("王春林" in [p["name"] for p in x["people"]] for x in recs)
            assert not Path(str(tmp_path / f"again{_}.jsonl") + ".errors.jsonl").exists()
        assert len(s.script.requests) == asked + 2


@pytest.mark.parametrize("backend", ["hybrid", "llm"])
def test_a_cached_answer_with_a_damaged_dropped_list_is_asked_again(tmp_path, tally, backend):
    """Beside a cached answer, what salvage dropped from it (a list of pointers). Damaged (a number,
    a string, objects), it made the record's outcome "failed" or a list of letters, or cost a
    hybrid article its record; it is a damaged entry like any other: asked again."""
    src = _corpus(tmp_path / "in", 3)
    cache = tmp_path / "answers.sqlite"
    answer = {**EMPTY, "people": [{"name": "王春林", "titles": ["县长"]}]}
    with FakeServer(Script(default=answer)) as s:
        endpoint = ["--model", "m", "--base-url", s.base_url, "--api-key", "k", "--cache", cache]
        assert _extract(src, "-o", tmp_path / "first.jsonl", *endpoint, backend=backend).exit_code == 0
        asked = len(s.script.requests)
        with sqlite3.connect(cache) as db:
            rows = db.execute("SELECT key, value FROM responses ORDER BY key").fetchall()
            for (key, value), bad in zip(rows, (5, "abc", [{"a": 1}])):
                db.execute("UPDATE responses SET value = ? WHERE key = ?", (json.dumps({**json.loads(value), "_jiyao_dropped": bad}), key))
        tally["bad inputs tried"] += 3
        r = _extract(src, "-o", tmp_path / "again.jsonl", *endpoint, backend=backend)
        assert r.exit_code == 0, r.output
        recs = _jsonl(tmp_path / "again.jsonl")
        tally["records lost"] += 3 - len(recs)
        assert len(recs) == 3 and not Path(str(tmp_path / "again.jsonl") + ".errors.jsonl").exists()
        assert [x["diagnostics"]["model"]["status"] for x in recs] == ["ok"] * 3
        assert len(s.script.requests) == asked + 3


@pytest.mark.parametrize("where, why", [("fused_record", "fusion failed"), ("model_view", "a bug")])
def test_a_bug_on_the_model_side_keeps_the_rules_record(tmp_path, tally, monkeypatch, where, why):
    """Hybrid never loses an article, even to a bug in reading or fusing a valid answer: the two
    guards around them had no test (turning either into a re-raise left the whole suite green)."""
    from jiyao.run import extractor

    src = _corpus(tmp_path / "in", 2)
    offline = tmp_path / "offline.jsonl"
    assert _extract(src, "-o", offline).exit_code == 0

    def broken(*a, **k):
        raise KeyError("a bug")
    if where == "fused_record":
        monkeypatch.setattr(extractor, "fused_record", broken)
    else:
        async def broken_view(*a, **k):
            broken()
        monkeypatch.setattr(extractor.Extractor, "model_view", broken_view)
    answer = {**EMPTY, "people": [{"name": "王春林", "titles": ["县长"]}]}
    out = tmp_path / "r.jsonl"
    with FakeServer(Script(default=answer)) as s:
        r = _extract(src, "-o", out, "--model", "m", "--base-url", s.base_url, "--api-key", "k", backend="hybrid")
    assert r.exit_code == 0, r.output
    tally["faults injected"] += 1
    recs, rules = _jsonl(out), {x["doc_id"]: x for x in _jsonl(offline)}
    tally["records lost"] += 2 - len(recs)
    assert len(recs) == 2
    for x in recs:
        assert x["people"] == rules[x["doc_id"]]["people"] and x["evidence"] == rules[x["doc_id"]]["evidence"]
        assert x["diagnostics"]["model"]["status"] == "failed" and why in x["diagnostics"]["model"]["reason"]


def test_a_last_record_without_its_newline_is_repaired_before_appending(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "r.jsonl"
    assert _extract(src, "-o", out).exit_code == 0
    out.write_bytes(out.read_bytes().rstrip(b"\n"))  # a complete record, its newline lost
    (src / "b.txt").write_text(ARTICLE + "\n补记", "utf-8")
    tally["bad inputs tried"] += 1
    assert _extract(src, "-o", out).exit_code == 0
    assert [x["doc_id"] for x in _jsonl(out)] == ["a", "b"]  # two lines, not two records glued on one


def test_a_lock_file_unlinked_between_open_and_lock_is_not_a_lock(tmp_path, monkeypatch, tally):
    """A finishing run unlinks its lock file, then unlocks it. A run that opened the old file just
    before gets the lock on an unlinked file; a third run creates a new lock file and would get
    that too: two writers. The inode re-check makes the second retry on the current file."""
    import jiyao.run.records as records

    out = tmp_path / "r.jsonl"
    lock = str(out) + ".lock"
    Path(lock).touch()
    real_flock, calls = records.fcntl.flock, []

    def finishing_run_in_between(fd, op):
        calls.append(op)
        if len(calls) == 1:
            os.unlink(lock)  # the other run removed its lock file after we opened it
        return real_flock(fd, op)
    monkeypatch.setattr(records.fcntl, "flock", finishing_run_in_between)
    tally["faults injected"] += 1
    with RecordWriter(out):
        monkeypatch.setattr(records.fcntl, "flock", real_flock)
        with pytest.raises(OutputLocked):
            RecordWriter(out)  # the third run is refused: the second holds the current lock file


def test_a_file_that_grows_while_being_read_is_refused(tmp_path, monkeypatch, tally):
    import jiyao.read.document as document

    p = tmp_path / "growing.txt"
    p.write_text(ARTICLE, "utf-8")
    monkeypatch.setattr(document, "MAX_BYTES", len(ARTICLE.encode()) + 10)
    real_fstat = os.fstat

    def stat_then_grow(fd):
        st = real_fstat(fd)
        with open(p, "ab") as f:  # a writer appends after the size was checked
            f.write(ARTICLE.encode())
        return st
    monkeypatch.setattr(document.os, "fstat", stat_then_grow)
    tally["faults injected"] += 1
    with pytest.raises(document.ReadError, match="too large"):
        document.read_bytes(p)
    monkeypatch.setattr(document.os, "fstat", real_fstat)
    p.write_text(ARTICLE, "utf-8")
    assert document.read_bytes(p) == ARTICLE.encode()  # a file that keeps still is read
