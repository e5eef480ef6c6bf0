"""`jiyao review`: the review page, served on 127.0.0.1 by the standard library's HTTP server.

Why a local server and not a self-contained page that saves through downloads: a server writes each
decision to disk the moment it is made (atomically, with a journal line), so a closed tab, a
crashed browser or a killed server loses nothing that was answered, reopening resumes exactly
where one was, and two tabs on one article are told apart by revision numbers. A page saving
through downloads would leave the reviewer to collect files and could not stop two tabs from
overwriting each other.

Article text is hostile data. The page builds every piece of it with textContent (never
innerHTML); every response carries a Content-Security-Policy that allows only this server's own
script and style (no inline script, no eval, nothing from elsewhere). Requests must name this
server as their Host (a web page elsewhere cannot reach it through DNS rebinding), and a decision
must come as JSON with the page's own header (a form on another site cannot send one).
"""
from __future__ import annotations

import json
import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from urllib.parse import parse_qs, urlsplit

from ..fields import FIELDS, LISTS
from ..view.page import group
from .decisions import DecisionError
from .draft import PAGE_ROWS
from .store import ReviewError, Stale, Store

log = logging.getLogger("jiyao.review")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
DECISION_HEADER = "X-Jiyao-Review"  # sent by the page's script with every decision
MAX_BODY = 256 * 1024
ASSETS = {"/": ("jiyao.review", "review.html", "text/html; charset=utf-8"),
          "/review-text.js": ("jiyao.review", "review-text.js", "text/javascript; charset=utf-8"),
          "/review.js": ("jiyao.review", "review.js", "text/javascript; charset=utf-8"),
          "/review.css": ("jiyao.review", "review.css", "text/css; charset=utf-8"),
          "/view.css": ("jiyao.view", "view.css", "text/css; charset=utf-8")}  # the viewer's field colours


def _asset(package: str, name: str) -> bytes:
    return files(package).joinpath(name).read_bytes()


class Handler(BaseHTTPRequestHandler):
    server: "ReviewServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # noqa: A003 - the stdlib's name
        log.debug("%s %s", self.address_string(), fmt % args)

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").lower()
        return host in self.server.hosts

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if not self._host_ok():
            return self._json(HTTPStatus.FORBIDDEN, {"error": "wrong Host: open the address jiyao review printed"})
        url = urlsplit(self.path)
        if url.path in ASSETS:
            pkg, name, ctype = ASSETS[url.path]
            return self._send(HTTPStatus.OK, _asset(pkg, name), ctype)
        if url.path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        store = self.server.store
        if url.path == "/api/list":
            return self._json(HTTPStatus.OK, {"articles": store.listing(), "progress": store.progress(),
                                              "reviewer": store.reviewer, "groups": {f: group(f) for f in FIELDS},
                                              "rows": PAGE_ROWS, "lists": LISTS})
        if url.path == "/api/article":
            doc = (parse_qs(url.query).get("doc") or [""])[0]
            try:
                state = store.state(doc)
                return self._json(HTTPStatus.OK, {"doc_id": doc, "text": store.text(doc), **state})
            except KeyError:
                return self._json(HTTPStatus.NOT_FOUND, {"error": f"no article {doc!r} in this sample"})
            except ReviewError as exc:
                return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": str(exc)})
        return self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self):  # noqa: N802
        if not self._host_ok():
            return self._json(HTTPStatus.FORBIDDEN, {"error": "wrong Host"})
        if urlsplit(self.path).path != "/api/decide":
            return self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
        if self.headers.get(DECISION_HEADER) != "1" or not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return self._json(HTTPStatus.FORBIDDEN, {"error": "decisions come from the review page only"})
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True  # the body was not read: nothing more on this connection
            return self._json(HTTPStatus.BAD_REQUEST, {"error": "bad Content-Length"})
        if not 0 < n <= MAX_BODY:
            self.close_connection = True
            return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "bad request size"})
        try:
            req = json.loads(self.rfile.read(n))
            doc, base, op = req["doc"], req["base"], req["op"]
            if not isinstance(doc, str) or not isinstance(op, dict) or not isinstance(base, int):
                raise TypeError
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: JSON nested too deep
            return self._json(HTTPStatus.BAD_REQUEST, {"error": "a decision is {doc, base, op}"})
        store = self.server.store
        try:
            return self._json(HTTPStatus.OK, store.decide(doc, base, op))
        except (TypeError, AttributeError):  # a value of the wrong type inside op (an id that is a number…)
            log.debug("a decision of the wrong shape: %r", op, exc_info=True)
            return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "a decision of the wrong shape"})
        except KeyError:
            return self._json(HTTPStatus.NOT_FOUND, {"error": f"no article {doc!r} in this sample"})
        except Stale as stale:
            rev = stale.state["draft"]["revision"]
            return self._json(HTTPStatus.CONFLICT, {
                "error": f"Not saved: this article was changed elsewhere (another tab or window) and is now at "
                         f"revision {rev}; you decided on revision {base}. The page now shows the current state.",
                **stale.state})
        except DecisionError as exc:
            return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(exc)})
        except ReviewError as exc:
            return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": str(exc)})


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: Store, port: int = 0):
        super().__init__(("127.0.0.1", port), Handler)
        self.store = store
        p = self.server_address[1]
        self.hosts = {f"127.0.0.1:{p}", f"localhost:{p}"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"
