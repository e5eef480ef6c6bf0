"""A scripted OpenAI-compatible server on 127.0.0.1 for protocol and fault tests.

Each POST /v1/chat/completions takes the next step of the script: a record to answer with (as a
tool call when the request offered tools, else as JSON content), or a fault.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(req: dict, payload: dict | str, finish_reason: str = "stop", usage=(100, 20)) -> dict:
    content = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    msg: dict = {"role": "assistant", "content": content}
    if req.get("tools"):
        name = req["tools"][0]["function"]["name"]
        msg = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}]}
    return {"id": "cmpl-1", "object": "chat.completion", "created": int(time.time()), "model": req.get("model", "m"),
            "choices": [{"index": 0, "message": msg, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}}


class Script:
    """Steps: dict (answer), ("status", code, headers[, message]), ("hang", seconds), ("reset",), ("drip", answer, seconds),
    ("length", payload), ("raw", text), ("empty",), ("refusal",). A callable step gets the request."""

    def __init__(self, steps=None, default=None):
        self.steps = list(steps or [])
        self.default = default
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def next(self, req):
        with self.lock:
            self.requests.append(req)
            step = self.steps.pop(0) if self.steps else self.default
        return step(req) if callable(step) else step


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog of 5 refuses connections when 64 requests start together


class FakeServer:
    def __init__(self, script: Script):
        self.script = script
        handler = self._handler()
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        script = self.script

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, code, body: dict | str, headers=None):
                data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
                try:
                    data = data.encode()
                except UnicodeEncodeError:  # a lone surrogate in an answer: escaped, as JSON allows
                    data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                req["_auth"] = self.headers.get("Authorization")
                step = script.next(req)
                if isinstance(step, dict):
                    return self._send(200, completion(req, step))
                kind = step[0]
                if kind == "status":
                    message = step[3] if len(step) > 3 else f"scripted {step[1]}"
                    return self._send(step[1], {"error": {"message": message, "type": "server_error"}}, step[2] if len(step) > 2 else None)
                if kind == "hang":
                    time.sleep(step[1])
                    return
                if kind == "drip":  # a valid answer, one byte every step[2] seconds: no read ever times out
                    data = json.dumps(completion(req, step[1]), ensure_ascii=False).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    try:
                        for i in range(len(data)):
                            self.wfile.write(data[i:i + 1]); self.wfile.flush()
                            time.sleep(step[2])
                    except OSError:  # the client gave up
                        pass
                    return
                if kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.connection.close()
                    return
                if kind == "length":
                    return self._send(200, completion(req, step[1], finish_reason="length"))
                if kind == "raw":
                    return self._send(200, completion(req, step[1]))
                if kind == "empty":
                    return self._send(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": [],
                                            "usage": {"prompt_tokens": 5, "completion_tokens": 0, "total_tokens": 5}})
                if kind == "refusal":
                    body = completion(req, "I can't help with that.")
                    body["choices"][0]["message"] = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
                    return self._send(200, body)
                raise ValueError(step)

            def do_GET(self):
                self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})

        return H
