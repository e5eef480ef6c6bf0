"""Issue 20, leaks: an API key as long as real JWT / Azure AD tokens, echoed back by the endpoint,
must reach no error line, no message, no traceback and no worker log — not even in part. Every
place a piece of the key turns up is counted in the tally's `leaks` (which must stay 0)."""
import io
import json
import logging
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.agent.endpoint import EndpointConfig, redact
from jiyao.cli.main import app

from fakeserver import FakeServer, Script
from test_bad_files import ARTICLE

# a JWT-shaped key of 600 characters (header.payload.signature), as Azure AD hands out
KEY = "eyJhbGciOiJSUzI1NiJ9." + "".join(f"QmF{i:03d}xYz" for i in range(55)) + ".c2lnbmF0dXJl-_"
assert len(KEY) > 500
WINDOW = 16  # any 16 characters of the key in a row count as a leak


def _leaks(text: str) -> int:
    """How many distinct 16-character pieces of the key the text holds."""
    return sum(1 for i in range(0, len(KEY) - WINDOW + 1, WINDOW) if KEY[i:i + WINDOW] in text)


def _count(tally, *texts: str) -> int:
    n = sum(_leaks(t) > 0 for t in texts)
    tally["leaks"] += n
    tally["leak checks"] += len(texts)
    return n


def test_redact_cuts_the_whole_key_before_any_message_is_shortened():
    msg = f"Error code: 400 - invalid request from Bearer {KEY} (see docs)"
    assert redact(msg, KEY, 300) == "Error code: 400 - invalid request from Bearer [redacted key] (see docs)"
    assert len(redact("x" * 1000 + KEY, KEY, 300)) == 300
    assert _leaks(redact("y" * 250 + KEY, KEY, 300)) == 0


def test_a_long_echoed_key_reaches_neither_errors_nor_output(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text(ARTICLE + f"\n第{i}号\n", "utf-8")
    echo = lambda code: (lambda req: ("status", code, {}, f"invalid request from {req['_auth']}"))  # noqa: E731
    script = Script([echo(400), echo(422), echo(400), echo(400), echo(400)], default=echo(401))
    out = tmp_path / "r.jsonl"
    with FakeServer(script) as s:
        r = CliRunner().invoke(app, ["extract", str(src), "-o", str(out), "--backend", "llm", "--model", "m",
                                     "--base-url", s.base_url, "--api-key", KEY, "--no-cache", "--concurrency", "1"])
    errors = Path(str(out) + ".errors.jsonl").read_text("utf-8")
    assert "[redacted key]" in errors  # the key was echoed, and cut out
    assert _count(tally, errors, r.output) == 0, (errors[:2000], r.output[-2000:])


class _Echo(BaseHTTPRequestHandler):
    """Every request refused with the Authorization header echoed in the error body."""
    status = 401

    def log_message(self, *a):
        pass

    def _answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        body = json.dumps({"error": {"message": f"bad credentials: {self.headers.get('Authorization')}",
                                     "type": "invalid_request_error"}}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture(params=[401, 400])
def echo_server(request):
    handler = type("Echo", (_Echo,), {"status": request.param})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_batch_submit_and_status_never_print_an_echoed_key(tmp_path, echo_server, tally):
    req = tmp_path / "req.jsonl"
    req.write_text(json.dumps({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}) + "\n")
    for args in (["submit", str(req)], ["status", "batch_1"]):
        # the real entry point, whose tracebacks print a frame's locals: not CliRunner
        r = subprocess.run([sys.executable, "-m", "jiyao", "batch", *args, "--base-url", echo_server, "--api-key", KEY],
                           capture_output=True, text=True, timeout=120)
        assert _count(tally, r.stdout, r.stderr) == 0, r.stderr[-3000:]
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-3000:]
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("error:"), r.stderr


def test_endpoint_config_repr_and_a_failed_distributed_partition_show_no_key(tmp_path, tally):
    pytest.importorskip("dask.distributed")
    from jiyao.run import distributed as dist

    cfg = EndpointConfig(model="m", base_url="http://127.0.0.1:9", api_key=KEY, mode="json")
    # a partition that fails on its worker (an unknown backend: its Extractor refuses it): dask
    # logs the task with its arguments, the endpoint config among them
    opts = dist.Options("no-such-backend", cfg)
    assert _count(tally, repr(cfg), str(cfg), repr(opts)) == 0
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"id": 1, "text": ARTICLE}, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "out"
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.getLogger("distributed").addHandler(handler)
    try:
        with pytest.raises(Exception):
            dist.run([table], out, opts, size=10, workers=1, processes=False)
    finally:
        logging.getLogger("distributed").removeHandler(handler)
    assert "Compute Failed" in log.getvalue()  # the failure was logged ...
    assert _count(tally, log.getvalue()) == 0  # ... without the key


@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_a_long_echoed_key_reaches_no_call_log(tmp_path, tally, backend):
    """The call log keeps each failed call's error: the key must be cut out of it before the
    message is shortened (a 600-character key cut at 300 no longer matches, and its first half stays)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    echo = lambda req: ("status", 400, {}, f"invalid request from {req['_auth']}")  # noqa: E731
    out = tmp_path / "r.jsonl"
    with FakeServer(Script(default=echo)) as s:
        r = CliRunner().invoke(app, ["extract", str(src), "-o", str(out), "--backend", backend, "--model", "m",
                                     "--base-url", s.base_url, "--api-key", KEY, "--no-cache"])
    assert r.exit_code == 0, r.output
    log = Path(str(out) + ".calls.sqlite")
    with sqlite3.connect(log) as db:
        cells = [c for t, in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                 for row in db.execute(f"SELECT * FROM {t}") for c in row if isinstance(c, str)]
    assert any("[redacted key]" in c for c in cells)  # the key was echoed into an error, and cut out
    shown = CliRunner().invoke(app, ["calls", str(out), "--json"]).output
    assert _count(tally, "\n".join(cells), shown) == 0


@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_a_key_echoed_inside_the_answer_reaches_no_file(tmp_path, tally, backend):
    """An endpoint (a proxy, a misconfigured gateway) that puts the Authorization header into the
    answer itself: the key was stored in the response cache with the answer."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")

    def echo(req):
        k = req["_auth"].split()[-1]
        return {"headline": k, "slogans": [k], "people": [{"name": "王春林", "titles": [k], "roles": []}],
                "meeting": {"name": k}, "upstream_meetings": [k]}
    out = tmp_path / "out" / "r.jsonl"
    with FakeServer(Script(default=echo)) as s:
        r = CliRunner().invoke(app, ["extract", str(src), "-o", str(out), "--backend", backend, "--model", "m",
                                     "--base-url", s.base_url, "--api-key", KEY])
    assert r.exit_code == 0, r.output
    files = [p.read_bytes().decode("utf-8", "replace") for p in out.parent.iterdir() if p.is_file()]
    assert len(files) >= 3  # records, cache, call log
    assert _count(tally, *files, r.output) == 0
