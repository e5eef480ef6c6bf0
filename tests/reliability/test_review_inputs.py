"""A fresh hostile review of `jiyao sample` and `jiyao review`: hostile records and review folders
must not write outside the review folder, lose a drawn article, or end in a traceback."""
import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jiyao.review.store import ReviewError, Store

from test_bad_files import ARTICLE

OTHER = ARTICLE.replace("防汛", "森林防火").replace("王春林", "孙立新")


def _jiyao(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "jiyao", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_record_doc_id_that_names_a_path_writes_nothing_outside_the_review_folder(tmp_path, tally):
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    (work / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    (work / "in" / "b.txt").write_text(OTHER, "utf-8")
    assert _jiyao("extract", "in", "-o", "r.jsonl", "--backend", "offline", cwd=work).returncode == 0
    recs = _jsonl(work / "r.jsonl")
    recs[0]["doc_id"] = "../../escaped"  # a hostile (or hand-edited) records file
    recs[1]["doc_id"] = str(tmp_path / "absolute")
    (work / "r.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    tally["bad inputs tried"] += 2
    before = _files(tmp_path)
    for by in ("random", "confidence"):
        r = _jiyao("sample", "in", "-n", "5", "-o", f"rev-{by}", "--records", "r.jsonl", "--by", by, cwd=work)
        assert r.returncode == 0, r.stderr
        rev = work / f"rev-{by}"
        new = _files(tmp_path) - before
        assert all(rev in p.parents for p in new), sorted(map(str, new))  # nothing outside the review folder
        entries = _jsonl(rev / "sample.jsonl")
        assert len(entries) == 2 and all((rev / e["file"]).is_file() for e in entries)
        before = _files(tmp_path)


def test_a_review_folder_whose_list_names_a_path_as_doc_id_is_refused(tmp_path, tally):
    root = tmp_path / "rev"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "a.txt").write_text(ARTICLE, "utf-8")
    entry = {"doc_id": "../../outside", "file": "articles/a.txt", "origin": "a.txt", "sha256": ""}
    (root / "sample.jsonl").write_text(json.dumps(entry) + "\n", "utf-8")
    tally["bad inputs tried"] += 1
    with pytest.raises(ReviewError, match="doc_id"):
        Store(root, "tester")
    assert not (tmp_path / "outside.json").exists()


def test_two_drawn_articles_whose_records_share_a_doc_id_are_both_kept(tmp_path, tally):
    """Records of two runs put together (cat run1.jsonl run2.jsonl): each run called its report.txt
    `report`. Both articles are drawn; neither may overwrite the other in the review folder."""
    for name, text in (("c1", ARTICLE), ("c2", OTHER)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.txt").write_text(text, "utf-8")
        assert _jiyao("extract", name, "-o", f"{name}.jsonl", "--backend", "offline", cwd=tmp_path).returncode == 0
    (tmp_path / "all.jsonl").write_text((tmp_path / "c1.jsonl").read_text("utf-8") + (tmp_path / "c2.jsonl").read_text("utf-8"))
    assert [r["doc_id"] for r in _jsonl(tmp_path / "all.jsonl")] == ["report", "report"]
    tally["bad inputs tried"] += 1
    r = _jiyao("sample", "c1", "c2", "-n", "5", "-o", "rev", "--records", "all.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rev = tmp_path / "rev"
    entries = _jsonl(rev / "sample.jsonl")
    ids = [e["doc_id"] for e in entries]
    tally["duplicates"] += len(ids) - len(set(ids))
    assert len(set(ids)) == 2, ids
    texts = {(rev / e["file"]).read_text("utf-8") for e in entries}
    tally["records lost"] += 2 - len(texts)
    assert texts == {ARTICLE, OTHER}
    assert len(Store(rev, "tester").order) == 2


def test_a_review_list_with_a_repeated_doc_id_is_refused(tmp_path, tally):
    root = tmp_path / "rev"
    (root / "articles").mkdir(parents=True)
    for n in ("a", "b"):
        (root / "articles" / f"{n}.txt").write_text(ARTICLE + n, "utf-8")
    (root / "sample.jsonl").write_text("".join(json.dumps({"doc_id": "x", "file": f"articles/{n}.txt"}) + "\n"
                                               for n in ("a", "b")), "utf-8")
    tally["bad inputs tried"] += 1
    with pytest.raises(ReviewError, match="repeat"):
        Store(root, "tester")


@pytest.mark.parametrize("where", ["beside", "elsewhere"])
def test_records_written_in_another_folder_are_matched_to_their_articles(tmp_path, tally, where):
    """extract writes origin paths relative to the OUTPUT's folder (absolute outside it), so a
    resume works from anywhere; sample --records must read them the same way, or it finds no
    record (a confidence draw blind to doubts) and gives articles ids their records do not have."""
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    (tmp_path / "in" / "a" / "report.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "b" / "report.txt").write_text(OTHER, "utf-8")
    out = "out/r.jsonl" if where == "elsewhere" else "r.jsonl"
    assert _jiyao("extract", "in", "-o", out, "--backend", "offline", cwd=tmp_path).returncode == 0
    recs = {r["origin"]["sha256"]: r["doc_id"] for r in _jsonl(tmp_path / out)}
    (tmp_path / "elsewhere").mkdir()
    runs = {"beside": (tmp_path / "elsewhere", Path("..") / "in", Path("..") / out),
            "elsewhere": (tmp_path, Path("in"), Path(out))}
    cwd, corpus, records = runs[where]
    tally["bad inputs tried"] += 1
    r = _jiyao("sample", corpus, "-n", "5", "-o", "rev", "--records", records, "--by", "confidence", cwd=cwd)
    assert r.returncode == 0, r.stderr
    entries = _jsonl(cwd / "rev" / "sample.jsonl")
    assert len(entries) == 2 and all(e["stratum"] != "no record" for e in entries), r.stdout
    assert {e["sha256"]: e["doc_id"] for e in entries} == recs  # gold and records meet in jiyao eval
    assert len(_jsonl(cwd / "rev" / "records.jsonl")) == 2


def test_sample_skips_articles_it_cannot_read_and_says_so(tmp_path, tally):
    """A table row without text ended jiyao sample in a raw traceback (ReadError); an empty or a
    binary file was drawn and copied, to fail only when opened in the review."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00" * 500)
    rows = [{"id": "r1", "text": OTHER}, {"id": "r2", "text": None}, {"id": "r3"}]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), "utf-8")
    tally["bad inputs tried"] += 4
    r = _jiyao("sample", "in", "t.jsonl", "-n", "10", "-o", "rev", cwd=tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    entries = _jsonl(tmp_path / "rev" / "sample.jsonl")
    assert sorted(e["doc_id"] for e in entries) == ["good", "r1"]
    said = r.stdout + r.stderr
    assert all(w in said for w in ("empty.txt", "binary.txt", "r2", "r3")), said
    store = Store(tmp_path / "rev", "tester")
    assert all(store.text(d) for d in store.order)


@contextlib.contextmanager
def _review_server(tmp_path: Path):
    """A review folder of one article served on a free port: (its store, the port)."""
    import threading

    from jiyao.read.inputs import iter_items
    from jiyao.review import folder, sample
    from jiyao.review.server import ReviewServer

    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a.txt").write_text(ARTICLE, "utf-8")
    folder.write(sample.draw(iter_items([arts]), 5), tmp_path / "rev")
    store = Store(tmp_path / "rev", "tester")
    srv = ReviewServer(store, 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield store, srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()
        store.close()


def test_malformed_decisions_get_an_answer_not_a_dropped_connection(tmp_path, tally, capsys):
    """A decision that is JSON of the wrong shape (a list as doc, a number as a value's id), a bad
    Content-Length or JSON nested too deep ended in a traceback on the server's terminal and a
    dropped connection the page can only call a network error. Each gets a 4xx answer it can show."""
    import http.client

    with _review_server(tmp_path) as (_, port):
        head = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json", "X-Jiyao-Review": "1"}

        def post(body: bytes, **headers):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.putrequest("POST", "/api/decide", skip_host=True, skip_accept_encoding=True)
            for k, v in {**head, "Content-Length": str(len(body)), **headers}.items():
                c.putheader(k, v)
            c.endheaders()
            c.send(body)
            r = c.getresponse()
            return r.status, json.loads(r.read())

        bad = [json.dumps({"doc": ["a"], "base": 0, "op": {"op": "done"}}).encode(),
               json.dumps({"doc": {"a": 1}, "base": 0, "op": {"op": "done"}}).encode(),
               json.dumps({"doc": "a", "base": 0, "op": {"op": "accept", "id": 5}}).encode(),
               json.dumps({"doc": "a", "base": 0, "op": {"op": "roles", "person": ["p1"], "roles": []}}).encode(),
               b'{"doc": "a", "base": 0, "op": ' + b"[" * 100000 + b"]" * 100000 + b"}"]
        for body in bad:
            status, answer = post(body)
            assert 400 <= status < 500 and answer["error"], (body[:80], status, answer)
        status, answer = post(b"{}", **{"Content-Length": "abc"})
        assert status == 400 and answer["error"]
        tally["bad inputs tried"] += len(bad) + 1
        status, answer = post(json.dumps({"doc": "a", "base": 0, "op": {"op": "done"}}).encode())
        assert status == 200 and answer["draft"]["reviewed"]  # the server goes on
    assert "Traceback" not in capsys.readouterr().err


def test_each_cross_site_guard_of_a_decision_refuses_on_its_own(tmp_path, tally):
    """A decision needs both the page's header and a JSON body: a form elsewhere can send a JSON
    text as text/plain, and a script elsewhere cannot add the header without a preflight this
    server never answers. The only test sent neither, so dropping either check went unnoticed."""
    import http.client

    with _review_server(tmp_path) as (store, port):
        body = json.dumps({"doc": "a", "base": 0, "op": {"op": "done"}})
        for headers in ({"Content-Type": "text/plain", "X-Jiyao-Review": "1"},  # a form's enctype=text/plain
                        {"Content-Type": "application/json"}):  # no header: not the page
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("POST", "/api/decide", body, {"Host": f"127.0.0.1:{port}", **headers})
            assert c.getresponse().status == 403, headers
            tally["bad inputs tried"] += 1
        assert not store.state("a")["draft"]["reviewed"]
