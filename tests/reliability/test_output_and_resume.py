"""Issue 11, output side: records keyed by their source file, resume in any order, outputs that
are not jiyao's, symlinked outputs, read-only and full disks, corrupt caches, paths with
brackets. Records lost and duplicated are tallied (both must stay 0)."""
import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.run.records import RecordWriter

from fakeserver import FakeServer, Script
from test_bad_files import ARTICLE

OTHER = ARTICLE.replace("防汛", "森林防火").replace("王春林", "孙立新")


def _extract(*args, backend="offline"):
    return CliRunner().invoke(app, ["extract", *map(str, args), "--backend", backend])


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []


def _count(tally, out: Path, expected: int) -> list[dict]:
    """Records of out, with losses and duplicates (by origin) added to the tally."""
    recs = _jsonl(out)
    origins = [(r["origin"]["path"], r["origin"]["sha256"]) for r in recs]
    tally["records lost"] += max(0, expected - len(set(origins)))
    tally["duplicates"] = tally.get("duplicates", 0) + len(origins) - len(set(origins))
    return recs


def test_same_file_name_in_two_folders_resumes_in_any_order(tmp_path, monkeypatch, tally):
    monkeypatch.chdir(tmp_path)
    for d, text in (("a", ARTICLE), ("b", OTHER), ("c", ARTICLE)):  # c: same name and bytes as a
        Path(d).mkdir()
        Path(d, "report.txt").write_text(text, "utf-8")
    out = Path("out.jsonl")
    assert _extract("a", "-o", out).exit_code == 0
    r = _extract("c", "b", "a", "-o", out)  # resumed, folders in another order
    recs = _count(tally, out, 3)
    assert sorted(x["origin"]["path"] for x in recs) == ["a/report.txt", "b/report.txt", "c/report.txt"]
    assert r.exit_code == 0 and "skipped" in r.output
    ids = [x["doc_id"] for x in recs]
    assert len(set(ids)) == 3 and ids[0] == "report"  # the first keeps the stem, the others a suffix
    assert _extract("b", "a", "c", "-o", out).exit_code == 0
    assert len(_jsonl(out)) == 3  # nothing done twice
    Path("b", "report.txt").write_text(OTHER.replace("孙立新", "钱立新"), "utf-8")  # b changes
    r = _extract("a", "b", "c", "-o", out)
    assert "changed" in r.output
    recs = _jsonl(out)
    b_id = next(x["doc_id"] for x in recs if x["origin"]["path"] == "b/report.txt")
    assert len(recs) == 4 and recs[-1]["doc_id"] == b_id  # a new record under b's id
    assert "钱立新" in [p["name"] for p in recs[-1]["people"]]


def test_a_file_that_is_not_jiyao_output_is_refused_untouched(tmp_path, tally):
    notes = tmp_path / "notes.txt"
    for content in ("会议记录\n第二行没有换行", '{"a": 1}\n{"b": 2', ""):
        if not content:  # records, then a line of something else
            ok = tmp_path / "ok.jsonl"
            assert _extract(_article(tmp_path), "-o", ok).exit_code == 0
            content = ok.read_text("utf-8") + "这一行不是记录\n"
        notes.write_text(content, "utf-8")
        r = _extract(_article(tmp_path), "-o", notes)
        assert r.exit_code == 2 and "not a jiyao record" in r.output and "Traceback" not in r.output
        assert notes.read_text("utf-8") == content  # nothing deleted, nothing appended
        tally["bad inputs tried"] += 1


def _article(tmp_path: Path) -> Path:
    p = tmp_path / "meeting.txt"
    p.write_text(ARTICLE, "utf-8")
    return p


def test_a_symlinked_output_shares_the_lock(tmp_path):
    real = tmp_path / "real.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with RecordWriter(real):
        r = _extract(_article(tmp_path), "-o", link)
    assert r.exit_code == 2 and "another jiyao run" in r.output


def test_output_errors_are_one_line_with_exit_2(tmp_path, monkeypatch, tally):
    art = _article(tmp_path)
    r = _extract(art, "-o", tmp_path)  # -o names a folder
    assert r.exit_code == 2 and "is a folder" in r.output and len(r.output.strip().splitlines()) == 1
    real_open = os.open

    def read_only(path, flags, *a, **k):  # what a read-only file or folder gives (chmod cannot stop root)
        if str(path).endswith("ro.jsonl") and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)
    monkeypatch.setattr("jiyao.run.records.os.open", read_only)
    r = _extract(art, "-o", tmp_path / "ro.jsonl")
    assert r.exit_code == 2 and "Permission denied" in r.output and len(r.output.strip().splitlines()) == 1
    tally["faults injected"] += 1


def test_a_full_disk_inside_the_error_handler_ends_cleanly(tmp_path, tally):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    (src / "b_empty.txt").write_text("")  # fails: its error line goes to a full disk
    out = tmp_path / "out.jsonl"
    Path(str(out) + ".errors.jsonl").symlink_to("/dev/full")
    r = _extract(src, "-o", out)
    assert r.exit_code == 2 and "No space left" in r.output and "Traceback" not in r.output
    assert [x["doc_id"] for x in _jsonl(out)] == ["a"]  # what was written stays valid
    tally["faults injected"] += 1


def test_a_record_cut_by_a_full_disk_is_removed_and_resumed(tmp_path, monkeypatch, tally):
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate((ARTICLE, OTHER, ARTICLE + "\n第三篇")):
        (src / f"d{i}.txt").write_text(text, "utf-8")
    out = tmp_path / "out.jsonl"
    real_write, calls = os.write, []

    def fill_up(fd, data):
        calls.append(fd)
        if len(calls) == 2:  # the second record: half of it fits, then the disk is full
            real_write(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)
    monkeypatch.setattr("jiyao.run.records.os.write", fill_up)
    r = _extract(src, "-o", out)
    assert r.exit_code == 2 and "No space left" in r.output
    assert [x["doc_id"] for x in _jsonl(out)] == ["d0"]  # no half line left behind
    monkeypatch.setattr("jiyao.run.records.os.write", real_write)
    assert _extract(src, "-o", out).exit_code == 0
    assert sorted(x["doc_id"] for x in _count(tally, out, 3)) == ["d0", "d1", "d2"]
    tally["faults injected"] += 1
    tally["crashes survived"] += 1


def test_llm_output_in_a_new_folder_and_a_corrupt_cache(tmp_path, tally):
    empty = {"headline": None, "meeting": None, "people": [], "upstream_meetings": [], "slogans": [], "directives": []}
    art = _article(tmp_path)
    out = tmp_path / "new" / "dir" / "out.jsonl"
    with FakeServer(Script(default=empty)) as s:
        endpoint = ["--model", "m", "--base-url", s.base_url, "--api-key", "k"]
        r = _extract(art, "-o", out, *endpoint, backend="llm")
        assert r.exit_code == 0, r.output  # the cache opened after its folder existed
        assert len(_jsonl(out)) == 1
        bad = tmp_path / "bad.jsonl"
        Path(str(bad) + ".cache.sqlite").write_bytes(b"this is not an SQLite database" * 100)
        r = _extract(art, "-o", bad, *endpoint, backend="llm")
    assert r.exit_code == 2 and "cache" in r.output and "Traceback" not in r.output
    tally["bad inputs tried"] += 1


def test_paths_with_brackets_are_printed_literally(tmp_path):
    src = tmp_path / "in[draft]"
    src.mkdir()
    shutil.copy(_article(tmp_path), src / "meeting[v2].txt")
    out = tmp_path / "a[" / "b]out.jsonl"  # its path contains "[/b]": a closing tag to Rich
    r = _extract(src, "-o", out)
    assert r.exit_code == 0, r.output
    assert "b]out.jsonl" in r.output.replace("\n", "").replace("│", "").replace(" ", "")
    assert [x["origin"]["path"].endswith("in[draft]/meeting[v2].txt") for x in _jsonl(out)] == [True]
