"""Issue 13 items 1–2 and issue 12's API: every core offline, inputs at scale (--files-from, article
tables, --shard), and a Python API that never guesses a path from a string."""
import asyncio
import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jiyao
from jiyao.cli.main import app
from jiyao.read.inputs import InputError, count_items, in_shard, iter_items, parse_shard

from helpers import GOLD, HELDOUT, SEEDS, answer_from_gold
from fakeserver import FakeServer, Script

SETS = [SEEDS, HELDOUT / "dev" / "articles", HELDOUT / "test" / "articles"]


def _records(path: Path) -> list[dict]:
    out = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    for r in out:
        r["usage"].pop("latency_s", None)  # differs between runs
        r.pop("origin", None)  # where the article came from: a file, a table row
    return out


def _extract(tmp_path, name, *args):
    out = tmp_path / f"{name}.jsonl"
    r = CliRunner().invoke(app, ["extract", *map(str, args), "-o", str(out), "--backend", "offline"])
    assert r.exit_code == 0, r.output
    return out


def test_workers_give_the_same_records_in_the_same_order(tmp_path):
    one = _records(_extract(tmp_path, "one", *SETS, "--workers", "1"))
    two = _records(_extract(tmp_path, "two", *SETS, "--workers", "2"))
    assert len(one) == 13 and one == two


def test_workers_resume_skips_what_is_written(tmp_path):
    out = _extract(tmp_path, "r", *SETS, "--workers", "2")
    r = CliRunner().invoke(app, ["extract", *map(str, SETS), "-o", str(out), "--workers", "2"])
    assert r.exit_code == 0 and "13" in r.output  # 13 skipped
    assert len(_records(out)) == 13


def test_files_from_a_list_and_from_stdin(tmp_path):
    paths = sorted(SEEDS.glob("*.txt"))
    lst = tmp_path / "list.txt"
    lst.write_text("\n".join(map(str, paths)) + "\n", "utf-8")
    a = _records(_extract(tmp_path, "a", "--files-from", lst))
    out = tmp_path / "b.jsonl"
    r = CliRunner().invoke(app, ["extract", "--files-from", "-", "-o", str(out), "--backend", "offline"], input=lst.read_text("utf-8"))
    assert r.exit_code == 0, r.output
    assert [x["doc_id"] for x in a] == [p.stem for p in paths] and _records(out) == a


def test_article_tables_jsonl_and_parquet(tmp_path):
    texts = {p.stem: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    table = tmp_path / "articles.jsonl"
    table.write_text("".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n" for k, v in texts.items()), "utf-8")
    from_files = _records(_extract(tmp_path, "files", SEEDS))
    from_jsonl = _records(_extract(tmp_path, "jsonl", table))
    assert from_jsonl == from_files  # same ids, same values, offsets into the same text
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    pq.write_table(pa.table({"id": list(texts), "text": list(texts.values())}), tmp_path / "articles.parquet")
    assert _records(_extract(tmp_path, "pq", tmp_path / "articles.parquet")) == from_files
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no id"}\n', "utf-8")
    r = CliRunner().invoke(app, ["extract", str(bad), "-o", str(tmp_path / "x.jsonl")])
    # a row without an id is that row's error line (issue 20 item 6), not the end of the run
    assert r.exit_code == 0 and "no id" in (tmp_path / "x.jsonl.errors.jsonl").read_text("utf-8")


def test_shards_partition_the_corpus():
    ids = [it.doc_id for it in iter_items(SETS)]
    parts = [[it.doc_id for it in iter_items(SETS, shard=(i, 3))] for i in range(3)]
    assert sorted(sum(parts, [])) == sorted(ids) and sum(map(len, parts)) == len(ids)
    assert all(in_shard(d, (i, 3)) for i, p in enumerate(parts) for d in p)
    for bad in ("3/3", "1", "a/b", "-1/2"):
        with pytest.raises(InputError):
            parse_shard(bad)


def test_a_string_is_text_never_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "县委召开会议").write_text("这是另一个文件的内容", "utf-8")
    rec = jiyao.extract("县委召开会议", backend="offline")
    assert rec.headline == "县委召开会议"  # the text itself, not the file of that name
    long_line = "会" * 5000  # was: OSError File name too long
    assert isinstance(jiyao.extract_many([long_line], backend="offline")[0], jiyao.MeetingReport)
    with pytest.raises(TypeError):
        jiyao.extract_many([tmp_path / "县委召开会议"], backend="offline")
    assert jiyao.extract_file(SEEDS / "001_23f819834aeefb67.txt", backend="offline").meeting.name


def test_sync_api_inside_a_running_event_loop_and_streaming(gold):
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    from jiyao.text import normalise
    # the prompt carries the normalised article (page furniture dropped): recognise each by its longest line
    by_text = {max(normalise(t).text.splitlines(), key=len): answer_from_gold(gold[p.stem])
               for t, p in zip(texts, sorted(SEEDS.glob("*.txt")))}

    import threading
    flight = {"now": 0, "max": 0}
    lock = threading.Lock()

    def answer(req):  # the scripted model answers each article with its gold, slowly; counts overlap
        with lock:
            flight["now"] += 1
            flight["max"] = max(flight["max"], flight["now"])
        time.sleep(0.3)
        with lock:
            flight["now"] -= 1
        user = req["messages"][-1]["content"]
        return next(a for first, a in by_text.items() if first in user)

    with FakeServer(Script(default=answer)) as srv:
        async def notebook_cell():  # Jupyter runs cells inside a running loop
            with jiyao.Extractor("llm", model="m", base_url=srv.base_url, api_key="k", mode="json", concurrency=5) as ex:
                return list(ex.iter_extract(texts))
        recs = asyncio.run(notebook_cell())
    assert [r.meeting.name for r in recs] == [gold[p.stem]["meeting"]["name"] for p in sorted(SEEDS.glob("*.txt"))]
    assert flight["max"] >= 3  # requests were in flight together; results still came in input order


def test_the_progress_count_matches_the_articles_listed(tmp_path):
    """count_items counts tables without parsing them; it must agree with what the run reads."""
    texts = {p.stem: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    table = tmp_path / "articles.jsonl"
    table.write_text("\n".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in texts.items()) + "\n\n", "utf-8")
    inputs = [table, *SETS]
    assert count_items(inputs) == len(list(iter_items(inputs))) == 5 + 13
    assert count_items(inputs, shard=(1, 3)) == len(list(iter_items(inputs, shard=(1, 3))))
