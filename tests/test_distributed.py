"""The Dask runner on a local cluster: the records of a plain offline run, resume by partition and
by record, JSONL and Parquet article input."""
import asyncio
import json
import shutil

import pytest

pytest.importorskip("dask.distributed")

from typer.testing import CliRunner  # noqa: E402

from jiyao.run import distributed as dist  # noqa: E402
from jiyao.cli.main import app  # noqa: E402
from jiyao.run.extractor import Extractor  # noqa: E402
from jiyao.run.records import RecordWriter  # noqa: E402
from jiyao.read.inputs import iter_items  # noqa: E402
from jiyao.schema import evidence_spans  # noqa: E402
from jiyao.run.folder import run  # noqa: E402

from helpers import SEEDS  # noqa: E402

# Worker threads: the cluster starts in a fraction of a second and the scheduler, the task
# protocol and the per-partition files are the same as with worker processes.
LOCAL = {"workers": 2, "processes": False}


@pytest.fixture()
def folder(tmp_path):
    f = tmp_path / "articles"
    shutil.copytree(SEEDS, f)
    (f / "zz_empty.txt").write_bytes(b"  \n")  # unreadable: one error line, not a failed partition
    return f


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The plain offline run over the seeds, records in order, usage left out (latency varies)."""
    out = tmp_path_factory.mktemp("plain") / "records.jsonl"
    with RecordWriter(out) as w:
        asyncio.run(run(iter_items([SEEDS]), w, Extractor("offline")))
    return _strip(out.read_text("utf-8").splitlines())


def _strip(lines):
    # origin: the file as named, which differs between a folder and its copy
    return [{k: v for k, v in json.loads(x).items() if k not in ("usage", "origin")} for x in lines if x.strip()]


def _records(out):
    return _strip(line for p in sorted(out.glob("part-*.jsonl")) if not p.name.endswith(".errors.jsonl")
                  for line in p.read_text("utf-8").splitlines())


def test_a_folder_on_a_local_cluster_gives_the_plain_records_and_resumes(folder, tmp_path, plain):
    out = tmp_path / "out"
    t = dist.run([folder], out, dist.Options(), size=2, **LOCAL)
    assert (t.partitions, t.records, t.failures) == (3, 5, 1)
    assert _records(out) == plain
    errors = [json.loads(x) for x in (out / "part-000002.jsonl.errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["doc_id"] for e in errors] == ["zz_empty"]

    before = {p.name: p.read_bytes() for p in out.glob("part-*.jsonl")}
    again = dist.run([folder], out, dist.Options(), size=2, **LOCAL)
    assert (again.skipped_partitions, again.records) == (3, 0)  # finished partitions are not even submitted
    assert {p.name: p.read_bytes() for p in out.glob("part-*.jsonl")} == before

    # a worker killed mid-partition: no .done, one record written; the re-run adds only the rest
    part = out / "part-000001.jsonl"
    part.write_text(part.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    (out / "part-000001.done").unlink()
    resumed = dist.run([folder], out, dist.Options(), size=2, **LOCAL)
    assert (resumed.records, resumed.skipped, resumed.skipped_partitions) == (1, 1, 2)
    assert _records(out) == plain


def test_jsonl_and_parquet_articles(tmp_path, plain):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": p.stem, "text": p.read_text("utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "not json\n", "utf-8")
    parquet = tmp_path / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=2)

    out = tmp_path / "from_jsonl"
    t = dist.run([jsonl], out, dist.Options(), size=2, **LOCAL)
    assert (t.partitions, t.records, t.failures) == (3, 5, 1)  # the bad line is an error of its own
    assert _records(out) == plain
    out = tmp_path / "from_parquet"
    t = dist.run([parquet], out, dist.Options(), size=2, **LOCAL)
    assert (t.partitions, t.records) == (3, 5)
    assert _records(out) == plain


def test_other_inputs_into_the_same_folder_are_refused(folder, tmp_path):
    out = tmp_path / "out"
    dist.run([folder], out, dist.Options(), size=2, **LOCAL)
    with pytest.raises(ValueError, match="use a new output folder"):
        dist.run([folder], out, dist.Options(), size=3, **LOCAL)


def test_cli(folder, tmp_path, plain):
    out = tmp_path / "cli"
    res = CliRunner().invoke(app, ["distributed", str(folder), "-o", str(out), "--workers", "2", "--threads",
                                   "--partition-size", "4"])
    assert res.exit_code == 0, res.output
    assert _records(out) == plain
    res = CliRunner().invoke(app, ["distributed", str(folder), "-o", str(out), "--backend", "llm"])
    assert res.exit_code == 2 and "endpoint" in res.output


def test_llm_backends_run_on_the_workers_too(gold, tmp_path):
    from batchserver import gold_answers
    from fakeserver import FakeServer, Script
    from jiyao.agent.llm import EndpointConfig

    with FakeServer(Script(default=gold_answers(gold))) as s:
        cfg = EndpointConfig(model="scripted", base_url=s.base_url, api_key="sk-test", mode="json_schema")
        online = tmp_path / "online.jsonl"
        with RecordWriter(online) as w:
            asyncio.run(run(iter_items([SEEDS]), w, Extractor("hybrid", cfg)))
        t = dist.run([SEEDS], tmp_path / "out", dist.Options("hybrid", cfg), size=2, **LOCAL)
    assert (t.records, t.failures) == (5, 0)
    by_id = lambda recs: {r["doc_id"]: r for r in recs}  # noqa: E731 - requests in flight finish in any order
    assert by_id(_records(tmp_path / "out")) == by_id(_strip(online.read_text("utf-8").splitlines()))


def test_parquet_parts_read_as_one_table(tmp_path, plain):
    import pyarrow.dataset as ds

    out = tmp_path / "out"
    dist.run([SEEDS], out, dist.Options(parquet=True), size=2, **LOCAL)
    assert len(list(out.glob("part-*.parquet"))) == 3
    rows = ds.dataset(sorted(map(str, out.glob("part-*.parquet"))), format="parquet").to_table().to_pylist()
    assert [r["doc_id"] for r in rows] == [r["doc_id"] for r in plain]
    for row, rec in zip(rows, plain):
        # every evidence entry a list of spans in Parquet: one span, or a composed value's parts
        spans = {k: [list(x) for x in evidence_spans(v)] for k, v in rec["evidence"].items()}
        assert dict(row["evidence"]) == spans and row["people"] == rec["people"] and row["meeting"] == rec["meeting"]


def test_parquet_keeps_the_parts_of_a_composed_value(tmp_path):
    import pyarrow.parquet as pq

    from jiyao.run.records_parquet import jsonl_to_parquet

    rec = {"doc_id": "c", "headline": "区委常委会召开会议", "meeting": {"name": "区委常委会会议"},
           "evidence": {"/headline": [0, 9], "/meeting/name": [[0, 5], [7, 9]]}}
    (tmp_path / "r.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", "utf-8")
    jsonl_to_parquet(tmp_path / "r.jsonl", tmp_path / "r.parquet")
    row = pq.read_table(tmp_path / "r.parquet").to_pylist()[0]
    assert dict(row["evidence"]) == {"/headline": [[0, 9]], "/meeting/name": [[0, 5], [7, 9]]}
