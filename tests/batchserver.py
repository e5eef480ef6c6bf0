"""The scripted server of fakeserver.py plus the Files and Batches APIs: /v1/files (upload,
content) and /v1/batches (create, retrieve). A batch answers each request line with the script's
next step, as the chat route does; it reports in_progress on the first retrieve, completed after."""
from __future__ import annotations

import itertools
import json
import time
from email.parser import BytesParser
from email.policy import default as email_policy

from fakeserver import FakeServer, completion
from helpers import answer_from_gold

LATE = "副区长柯望舒在会上作了补充发言。"  # a speaker only a long article's last chunk holds


def which(gold, req) -> str | None:
    """The seed a request is about: the one whose first two gold people are both in its article."""
    article = req["messages"][-1]["content"].split("<article>")[-1]
    return next((d for d, g in gold.items() if all(p["name"] in article for p in g["people"][:2])), None)


def gold_answers(gold):
    """A scripted model: the gold answer of whichever seed the request's article is, one late
    speaker for a chunk that holds only filler, nothing otherwise."""
    def answer(req):
        doc_id = which(gold, req)
        if doc_id:
            return answer_from_gold(gold[doc_id])
        article = req["messages"][-1]["content"].split("<article>")[-1]
        if LATE in article:
            return {"people": [{"name": "柯望舒", "titles": ["副区长"], "roles": []}]}
        return {}
    return answer


class BatchServer(FakeServer):
    def __init__(self, script):
        super().__init__(script)
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.ids = itertools.count(1)

    def _new_file(self, data: bytes, purpose: str, name: str = "f.jsonl") -> dict:
        fid = f"file-{next(self.ids)}"
        self.files[fid] = data
        return {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()), "filename": name,
                "purpose": purpose, "status": "processed"}

    def _run(self, batch: dict) -> None:
        out, errs, ok = [], [], 0
        for n, raw in enumerate(self.files[batch["input_file_id"]].splitlines()):
            line = json.loads(raw)
            step = self.script.next(line["body"])
            if isinstance(step, dict):
                resp = {"status_code": 200, "request_id": f"req-{n}", "body": completion(line["body"], step)}
                out.append({"id": f"br-{n}", "custom_id": line["custom_id"], "response": resp, "error": None}); ok += 1
            elif step[0] == "status":
                resp = {"status_code": step[1], "request_id": f"req-{n}",
                        "body": {"error": {"message": f"scripted {step[1]}", "type": "server_error"}}}
                out.append({"id": f"br-{n}", "custom_id": line["custom_id"], "response": resp, "error": None})
            elif step[0] == "error":  # a request the batch could not run: it goes to the error file
                errs.append({"id": f"br-{n}", "custom_id": line["custom_id"], "response": None,
                             "error": {"code": "scripted", "message": step[1]}})
            # ("drop",): no line at all for this request
        dump = lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()  # noqa: E731
        batch["output_file_id"] = self._new_file(dump(out), "batch_output")["id"]
        batch["error_file_id"] = self._new_file(dump(errs), "batch_output")["id"] if errs else None
        batch["request_counts"] = {"total": n + 1, "completed": ok, "failed": n + 1 - ok}

    def _handler(self):
        base, server = super()._handler(), self

        class H(base):
            def do_POST(self):
                if self.path.endswith("/files"):
                    body = self.rfile.read(int(self.headers["Content-Length"]))
                    msg = BytesParser(policy=email_policy).parsebytes(
                        b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
                    parts = {p.get_param("name", header="content-disposition"): p for p in msg.iter_parts()}
                    f = parts["file"]
                    return self._send(200, server._new_file(f.get_payload(decode=True), parts["purpose"].get_content().strip(),
                                                            f.get_filename()))
                if self.path.endswith("/batches"):
                    req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    bid = f"batch_{next(server.ids)}"
                    server.batches[bid] = {"id": bid, "object": "batch", "endpoint": req["endpoint"],
                                           "input_file_id": req["input_file_id"], "completion_window": req["completion_window"],
                                           "created_at": int(time.time()), "status": "validating", "metadata": req.get("metadata")}
                    return self._send(200, server.batches[bid])
                return super().do_POST()

            def do_GET(self):
                parts = self.path.rstrip("/").split("/")
                if len(parts) >= 3 and parts[-3] == "files" and parts[-1] == "content":
                    data = server.files[parts[-2]]
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    return self.wfile.write(data)
                if len(parts) >= 2 and parts[-2] == "batches":
                    b = server.batches[parts[-1]]
                    if b["status"] == "validating":
                        b["status"] = "in_progress"
                    elif b["status"] == "in_progress":
                        server._run(b)
                        b["status"] = "completed"
                    return self._send(200, b)
                return super().do_GET()

        return H
