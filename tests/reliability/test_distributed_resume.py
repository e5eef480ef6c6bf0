"""Issue 20, `jiyao distributed`: a resume after the input grew or changed extracts what is new
and nothing twice (partitions used to be skipped by number); same-named files in different
folders get distinct doc_ids as with extract; a resume from another working folder finds its
records."""
import json
import os
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from jiyao.run import distributed as dist  # noqa: E402

from test_bad_files import ARTICLE  # noqa: E402

LOCAL = {"workers": 2, "processes": False}


def _text(i: int) -> str:
    return ARTICLE.replace("6月3日", f"6月{i + 1}日")  # distinct articles


def _records(out: Path) -> list[dict]:
    return [json.loads(x) for p in sorted(out.glob("part-*.jsonl")) if not p.name.endswith(".errors.jsonl")
            for x in p.read_text("utf-8").splitlines()]


def _count(tally, out: Path, expected: int) -> list[dict]:
    recs = _records(out)
    origins = [(r["origin"]["path"], r["origin"]["sha256"]) for r in recs]
    tally["records lost"] += max(0, expected - len(set(origins)))
    tally["duplicates"] += len(origins) - len(set(origins))
    return recs


def test_files_added_and_changed_after_a_run_are_extracted_once(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "c", "e"):
        (src / f"{name}.txt").write_text(_text(ord(name)), "utf-8")
    out = tmp_path / "out"
    t = dist.run([src], out, dist.Options(), size=2, **LOCAL)
    assert t.records == 3
    for name in ("b", "f", "0"):  # one before, one inside, one after the partitions already done
        (src / f"{name}.txt").write_text(_text(ord(name)), "utf-8")
    tally["bad inputs tried"] += 1
    t = dist.run([src], out, dist.Options(), size=2, **LOCAL)
    assert t.records == 3 and t.failures == 0
    recs = _count(tally, out, 6)
    assert sorted(r["doc_id"] for r in recs) == ["0", "a", "b", "c", "e", "f"]
    (src / "c.txt").write_text(_text(500), "utf-8")  # changed: a new record under its id, as extract does
    t = dist.run([src], out, dist.Options(), size=2, **LOCAL)
    assert t.records == 1
    recs = _count(tally, out, 7)
    assert sorted(r["doc_id"] for r in recs) == ["0", "a", "b", "c", "c", "e", "f"]
    again = dist.run([src], out, dist.Options(), size=2, **LOCAL)
    assert again.records == 0 and again.skipped_partitions == again.partitions  # nothing left to do


def test_a_table_appended_to_is_resumed_and_an_edited_one_refused(tmp_path, tally):
    table = tmp_path / "t.jsonl"
    rows = [json.dumps({"id": f"r{i}", "text": _text(i)}, ensure_ascii=False) + "\n" for i in range(5)]
    table.write_text("".join(rows[:3]), "utf-8")
    out = tmp_path / "out"
    assert dist.run([table], out, dist.Options(), size=2, **LOCAL).records == 3
    with open(table, "a", encoding="utf-8") as f:
        f.write("".join(rows[3:]))
    t = dist.run([table], out, dist.Options(), size=2, **LOCAL)
    assert t.records == 2
    assert sorted(r["doc_id"] for r in _count(tally, out, 5)) == [f"r{i}" for i in range(5)]
    table.write_text(rows[4] + "".join(rows[:4]), "utf-8")  # rows moved: partitions would mix
    tally["bad inputs tried"] += 2
    with pytest.raises(ValueError, match="changed"):
        dist.run([table], out, dist.Options(), size=2, **LOCAL)


def test_same_named_files_in_two_folders_get_two_ids(tmp_path, tally):
    for d, i in (("a", 1), ("b", 2), ("c", 3)):
        (tmp_path / "in" / d).mkdir(parents=True)
        (tmp_path / "in" / d / "report.txt").write_text(_text(i), "utf-8")
    out = tmp_path / "out"
    t = dist.run([tmp_path / "in"], out, dist.Options(), size=1, **LOCAL)  # each in its own partition
    assert t.records == 3
    ids = [r["doc_id"] for r in _count(tally, out, 3)]
    assert len(set(ids)) == 3 and "report" in ids
    assert all(i == "report" or i.startswith("report__") for i in ids)
    (tmp_path / "in" / "0").mkdir()  # a new one sorts first: it must not take an id already given
    (tmp_path / "in" / "0" / "report.txt").write_text(_text(4), "utf-8")
    dist.run([tmp_path / "in"], out, dist.Options(), size=1, **LOCAL)
    ids = [r["doc_id"] for r in _count(tally, out, 4)]
    assert len(ids) == len(set(ids)) == 4


def test_a_resume_from_another_working_folder_finds_its_records(tmp_path, monkeypatch, tally):
    src = tmp_path / "corpus" / "in"
    src.mkdir(parents=True)
    for i in range(3):
        (src / f"d{i}.txt").write_text(_text(i), "utf-8")
    monkeypatch.chdir(tmp_path / "corpus")
    assert dist.run(["in"], "out", dist.Options(), size=2, **LOCAL).records == 3
    for done in (tmp_path / "corpus" / "out").glob("part-*.done"):
        done.unlink()  # as if killed before the partitions were marked done: resumed record by record
    monkeypatch.chdir(tmp_path.parent)
    t = dist.run([src], tmp_path / "corpus" / "out", dist.Options(), size=2, **LOCAL)
    assert t.records == 0
    assert len(_count(tally, tmp_path / "corpus" / "out", 3)) == 3
