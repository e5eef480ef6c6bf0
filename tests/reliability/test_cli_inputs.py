"""Issue 20, the command line: what it is given (options, outputs, endpoints, locales) is checked
before any work, and every refusal is one line with exit 2, never a traceback, a hang or silence."""
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app

from helpers import ROOT
from test_bad_files import ARTICLE, PEOPLE


def _cli(*args, **kw):
    return CliRunner().invoke(app, [str(a) for a in args], **kw)


def _one_line_error(r, *words) -> None:
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.output
    for w in words:
        assert w in lines[0], (w, lines[0])


def _article(tmp_path: Path) -> Path:
    p = tmp_path / "meeting.txt"
    p.write_text(ARTICLE, "utf-8")
    return p


def _jiyao(*args, env=None, timeout=120, cwd=None):
    return subprocess.run([sys.executable, "-m", "jiyao", *map(str, args)], capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=cwd)


ENDPOINT = ("--backend", "llm", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--api-key", "k")


@pytest.mark.parametrize("option, value", [("--rpm", "-5"), ("--tpm", "-5"), ("--temperature", "nan"),
                                           ("--temperature", "-1"), ("--max-calls", "0"), ("--timeout", "0"),
                                           ("--timeout", "-1"), ("--timeout", "nan"), ("--concurrency", "0"),
                                           ("--max-tokens", "0"), ("--retry-budget", "-1"), ("--workers", "-2")])
def test_option_values_are_checked_before_any_work(tmp_path, tally, option, value):
    out = tmp_path / "out.jsonl"
    r = _cli("extract", _article(tmp_path), "-o", out, *ENDPOINT, option, value)
    _one_line_error(r, option)
    assert not out.exists()  # refused before the output was touched
    tally["bad inputs tried"] += 1


def test_a_base_url_without_a_scheme_is_one_line_at_once(tmp_path, tally):
    t0 = time.monotonic()
    r = _cli("extract", _article(tmp_path), "-o", tmp_path / "out.jsonl", "--model", "m",
             env={"OPENAI_BASE_URL": "localhost:8000/v1"})
    _one_line_error(r, "http://")
    assert time.monotonic() - t0 < 10  # not "endpoint looks dead" after 20 s of retries
    r = _cli("batch", "prepare", _article(tmp_path), "-o", tmp_path / "req.jsonl", "--model", "m",
             "--base-url", "127.0.0.1:8000/v1")
    _one_line_error(r, "http://")
    tally["bad inputs tried"] += 2


def test_an_empty_model_with_a_base_url_says_it_runs_offline(tmp_path, tally):
    out = tmp_path / "out.jsonl"
    r = _jiyao("extract", _article(tmp_path), "-o", out, env={"JIYAO_MODEL": "", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert r.returncode == 0, r.stderr
    said = " ".join(r.stderr.decode().split())
    assert "offline" in said and "JIYAO_MODEL" in said  # at normal verbosity, not only at -v
    tally["bad inputs tried"] += 1


def test_output_to_a_fifo_is_refused_not_a_hang(tmp_path, tally):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    tally["bad inputs tried"] += 2
    r = _jiyao("extract", _article(tmp_path), "-o", fifo, "--backend", "offline", timeout=60)
    assert r.returncode == 2 and b"FIFO" in r.stderr and b"Traceback" not in r.stderr, r.stderr
    r = _jiyao("batch", "prepare", _article(tmp_path), "-o", fifo, "--model", "m", timeout=60)
    assert r.returncode == 2 and b"FIFO" in r.stderr and b"Traceback" not in r.stderr, r.stderr


def test_batch_prepare_never_overwrites_a_file_that_is_not_a_request_file(tmp_path, tally):
    notes = tmp_path / "notes.jsonl"
    notes.write_text("my notes\n", "utf-8")
    r = _cli("batch", "prepare", _article(tmp_path), "-o", notes, "--model", "m")
    _one_line_error(r, "notes.jsonl")
    assert notes.read_text("utf-8") == "my notes\n"
    req = tmp_path / "req.jsonl"
    for _ in range(2):  # its own request file is rewritten (prompts edited, articles added)
        r = _cli("batch", "prepare", _article(tmp_path), "-o", req, "--model", "m")
        assert r.exit_code == 0, r.output
        assert len(req.read_text("utf-8").splitlines()) == 1
    tally["bad inputs tried"] += 1


def test_batch_collect_bad_results_outputs_and_missing_files(tmp_path, tally):
    art = _article(tmp_path)
    results = tmp_path / "results.jsonl"
    results.write_text('{"custom_id": 5}\n[1, 2]\n{"custom_id": "a#b"}\nnot json\n', "utf-8")
    common = ("--articles", art, "--model", "m", "--backend", "llm")
    r = _cli("batch", "collect", results, "-o", tmp_path / "r.jsonl", *common)
    assert r.exit_code == 0 and r.exception is None, r.output
    errors = (tmp_path / "r.jsonl.errors.jsonl").read_text("utf-8")
    assert "no result" in errors  # the article's error line: its request has no answer
    notes = tmp_path / "notes.txt"
    notes.write_text("会议记录\n", "utf-8")
    _one_line_error(_cli("batch", "collect", results, "-o", notes, *common), "not a jiyao record")
    assert notes.read_text("utf-8") == "会议记录\n"
    _one_line_error(_cli("batch", "collect", tmp_path / "missing.jsonl", "-o", tmp_path / "x.jsonl", *common),
                    "missing.jsonl")
    tally["bad inputs tried"] += 3


def test_distributed_with_a_scheduler_that_refuses(tmp_path, tally):
    pytest.importorskip("dask.distributed")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    r = _cli("distributed", _article(tmp_path), "-o", tmp_path / "out", "--scheduler", f"tcp://127.0.0.1:{port}")
    _one_line_error(r, "scheduler")
    assert time.monotonic() - t0 < 15
    tally["faults injected"] += 1


def test_noisy_skips_an_unreadable_article_and_says_so(tmp_path, tally):
    src = tmp_path / "gold_articles"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    (src / "empty.txt").write_bytes(b"")
    r = _cli("noisy", "--articles", src, "-o", tmp_path / "noisy")
    assert r.exit_code == 0 and r.exception is None, r.output
    assert "empty.txt" in r.output and (tmp_path / "noisy" / "clean" / "a.txt").exists()
    _one_line_error(_cli("noisy", "--articles", tmp_path / "nowhere", "-o", tmp_path / "n2"), "nowhere")
    tally["bad inputs tried"] += 2


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
                                                                    "PYTHONCOERCECLOCALE": "0"}])
def test_records_to_stdout_are_utf8_whatever_the_locale(tmp_path, tally, env):
    src = tmp_path / "输入"
    src.mkdir()
    (src / "会议.txt").write_text(ARTICLE, "utf-8")
    (src / "空白.txt").write_text("")  # its error line goes to stderr
    r = _jiyao("extract", src, "-o", "-", "--backend", "offline", env=env)
    assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr
    rec = json.loads(r.stdout.decode("utf-8"))
    assert [p["name"] for p in rec["people"]] == PEOPLE and rec["doc_id"] == "会议"
    tally["bad inputs tried"] += 1


def test_benchmarks_take_no_option_as_an_output_path(tmp_path):
    assert not (ROOT / "--help").exists()  # the stray file the old benchmark wrote
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "agent_scripted.py"), "--help"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0 and "usage" in r.stdout.lower(), r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option, value", [("--timeout", "0"), ("--temperature", "nan"), ("--max-tokens", "0"),
                                           ("--base-url", "localhost:9/v1")])
def test_calibrate_checks_its_option_values_before_any_work(tmp_path, tally, option, value):
    """Items 36 and 38 for calibrate: a value that makes every call fail measured a policy from no
    model answer at all, wrote it and exited 0."""
    from helpers import GOLD, SEEDS

    out = tmp_path / "policy.json"
    args = {"--base-url": "http://127.0.0.1:9/v1", option: value}
    r = _cli("calibrate", "--gold", GOLD, "--articles", SEEDS, "-o", out, "--model", "m",
             *[x for kv in args.items() for x in kv])
    _one_line_error(r, option.lstrip("-").split("-")[0] if option != "--base-url" else "http://")
    assert not out.exists()
    tally["bad inputs tried"] += 1


def test_calibrate_never_overwrites_a_file_that_is_not_a_policy(tmp_path, tally):
    """Item 5 for calibrate: -o replaced whatever it named (a records file) with a policy, and a
    folder as -o ended in a raw IsADirectoryError after every model call was paid for."""
    from helpers import GOLD, SEEDS

    records = tmp_path / "records.jsonl"
    records.write_text('{"doc_id": "a"}\n', "utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    for out in (records, folder):
        r = _cli("calibrate", "--gold", GOLD, "--articles", SEEDS, "-o", out, "--model", "m",
                 "--base-url", "http://127.0.0.1:9/v1")
        _one_line_error(r, str(out))
        tally["bad inputs tried"] += 1
    assert records.read_text("utf-8") == '{"doc_id": "a"}\n'


@pytest.mark.parametrize("url", ["http://", "http://:8000/v1", "https:///v1", "ftp://127.0.0.1:8000/v1", "http:/127.0.0.1:8000/v1"])
def test_a_base_url_without_a_host_or_with_another_scheme_is_one_line(tmp_path, tally, url):
    """Item 38, one step to the side: a scheme and no host passed the check, and every article of
    the run became the rules' record alone after 20 s of "endpoint dead" (records final for
    resume); another scheme was told to write http://ftp://…"""
    t0 = time.monotonic()
    out = tmp_path / "out.jsonl"
    r = _cli("extract", _article(tmp_path), "-o", out, "--model", "m", "--base-url", url)
    _one_line_error(r, url)
    assert "http://ftp" not in r.output and "http://http" not in r.output
    assert time.monotonic() - t0 < 10 and not out.exists()
    tally["bad inputs tried"] += 1


def test_noisy_to_an_output_that_is_a_file_is_one_line(tmp_path, tally):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a.txt").write_text(ARTICLE, "utf-8")
    taken = tmp_path / "notes.txt"
    taken.write_text("mine", "utf-8")
    r = _cli("noisy", "--articles", arts, "-o", taken)
    _one_line_error(r, str(taken))
    assert taken.read_text("utf-8") == "mine"
    tally["bad inputs tried"] += 1


def test_an_articles_folder_that_does_not_exist_is_one_line(tmp_path, tally):
    """A typo in --articles was silently no folder: eval said `grounding None`, export cut no
    evidence text, view showed every record without its article, each with exit 0."""
    from helpers import GOLD

    recs = tmp_path / "r.jsonl"
    assert _cli("extract", _article(tmp_path), "-o", recs, "--backend", "offline").exit_code == 0
    missing = tmp_path / "artciles"
    for args in (["eval", "--gold", GOLD, "--pred", recs], ["export", recs, "-o", tmp_path / "t"],
                 ["view", recs, "-o", tmp_path / "v.html"]):
        _one_line_error(_cli(*args, "--articles", missing), str(missing))
        tally["bad inputs tried"] += 1
