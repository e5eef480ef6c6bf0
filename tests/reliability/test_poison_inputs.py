"""Issue 20, input side: one poison input must cost its own article (an error line, or a record
with a warning), never the run, and never every resume after it. Table rows, file names, lists
of paths, NUL bytes, deep folders, outputs inside the input folder, repeated ids."""
import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from jiyao.cli.main import app

from test_bad_files import ARTICLE, PEOPLE

OTHER = ARTICLE.replace("防汛", "森林防火").replace("王春林", "孙立新")


def _extract(*args, backend="offline"):
    return CliRunner().invoke(app, ["extract", *map(str, args), "--backend", backend])


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []


def _errors(out: Path) -> dict:
    return {x["doc_id"]: x["error"] for x in _jsonl(Path(str(out) + ".errors.jsonl"))}


def _names(rec: dict) -> list[str]:
    return [p["name"] for p in rec["people"]]


def _row(i, text=ARTICLE) -> str:
    return json.dumps({"id": i, "text": text}, ensure_ascii=False)


def _poison_table(tmp_path: Path) -> Path:
    table = tmp_path / "rows.jsonl"
    lines = [_row("good1"),
             '{"id": "surrogate", "text": "' + json.dumps(ARTICLE, ensure_ascii=True)[1:-1] + '\\ud800"}',
             '{"id": null, "text": "x"}',
             "this line is not JSON",
             '{"id": "bad\\udc80id", "text": ' + json.dumps(OTHER, ensure_ascii=False) + "}",
             _row("good2", OTHER)]
    table.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b'{"id": "latin", "text": "caf\xe9"}\n')
    return table


def test_poison_table_rows_are_per_row_errors_and_resume_goes_past_them(tmp_path, tally):
    table = _poison_table(tmp_path)
    tally["bad inputs tried"] += 5
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        for _ in range(2):  # the run, then a resume: neither stops at the poison rows
            r = _extract(table, "-o", out, "--workers", workers)
            assert r.exit_code == 0, r.output
            assert "Traceback" not in r.output
        recs = {x["doc_id"]: x for x in _jsonl(out)}
        assert set(recs) == {"good1", "good2", "surrogate", "bad_id"}, workers
        # a lone surrogate is an undecodable character: U+FFFD, the article kept, a warning
        assert _names(recs["surrogate"]) == PEOPLE
        assert any("U+FFFD" in w for w in recs["surrogate"]["diagnostics"]["warnings"])
        assert "\\udc80" in recs["bad_id"]["origin"]["path"]  # the id as written, escaped
        errors = list(_errors(out).values())
        assert any("no id" in e for e in errors) and any("not JSON" in e for e in errors)
        assert any("UTF-8" in e for e in errors)


def test_a_file_name_with_invalid_utf8_bytes(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(OTHER, "utf-8")
    bad_name = os.fsencode(src) + b"/\xff\xfeminutes.txt"
    with open(bad_name, "wb") as f:
        f.write(ARTICLE.encode())
    tally["bad inputs tried"] += 1
    out = tmp_path / "out.jsonl"
    for _ in range(2):
        r = _extract(src, "-o", out)
        assert r.exit_code == 0, r.output
    recs = _jsonl(out)  # valid UTF-8 JSON lines, each file once
    assert len(recs) == 2 and not _errors(out)
    bad = next(x for x in recs if x["doc_id"] != "good")
    assert bad["origin"]["path"].endswith("\\xff\\xfeminutes.txt") and _names(bad) == PEOPLE


def test_a_jsonl_table_in_files_from_is_a_table(tmp_path, tally):
    table = tmp_path / "t.jsonl"
    table.write_text(_row("r1") + "\n" + _row("r2", OTHER) + "\n", "utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{table}\n", "utf-8")
    out = tmp_path / "out.jsonl"
    tally["bad inputs tried"] += 1
    r = _extract("--files-from", listing, "-o", out)
    assert r.exit_code == 0, r.output
    assert sorted(x["doc_id"] for x in _jsonl(out)) == ["r1", "r2"]


def test_nul_bytes_anywhere_keep_the_article_with_a_warning(tmp_path, tally):
    data = ARTICLE.encode()
    at = data.index("会议".encode()) + 6
    src = tmp_path / "in"
    src.mkdir()
    (src / "early.txt").write_bytes(data[:at] + b"\x00" + data[at:])
    (src / "late.txt").write_bytes(data + "。".encode() * 3000 + b"\x00")  # after 8 KB
    tally["bad inputs tried"] += 2
    out = tmp_path / "out.jsonl"
    assert _extract(src, "-o", out).exit_code == 0
    recs = {x["doc_id"]: x for x in _jsonl(out)}
    assert set(recs) == {"early", "late"}, _errors(out)
    for doc in recs.values():
        assert _names(doc) == PEOPLE
        assert any("NUL" in w for w in doc["diagnostics"]["warnings"])


def test_a_few_nul_bytes_in_a_short_article_keep_it(tmp_path, tally):
    """Item 8, one step to the side: NULs were judged twice, as bytes (a binary file) and again as
    characters against the decoded text, where a short Chinese article has a third as many: four
    NULs in 70 characters refused a valid UTF-8 article as "undecodable bytes: not UTF-8"."""
    src = tmp_path / "in"
    src.mkdir()
    data = ARTICLE.encode()
    (src / "lead.txt").write_bytes(b"\x00" * 10 + data)
    (src / "spread.txt").write_text("\x00".join(ARTICLE[i:i + 15] for i in range(0, len(ARTICLE), 15)), "utf-8")
    (src / "binary.txt").write_bytes(b"\x00" * 400 + data)  # mostly NULs: not an article
    tally["bad inputs tried"] += 3
    out = tmp_path / "out.jsonl"
    assert _extract(src, "-o", out).exit_code == 0
    recs = {x["doc_id"]: x for x in _jsonl(out)}
    assert set(recs) == {"lead", "spread"}, _errors(out)
    assert all(any("NUL" in w for w in doc["diagnostics"]["warnings"]) for doc in recs.values())
    assert _names(recs["lead"]) == PEOPLE
    assert "binary" in _errors(out)["binary"]


def test_a_list_of_paths_saved_with_a_byte_order_mark_loses_no_article(tmp_path, tally):
    """A --files-from list saved by Notepad starts with a UTF-8 BOM: it became part of the first
    path, and that article was an error line "no such file or folder"."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    (src / "b.txt").write_text(OTHER, "utf-8")
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"\xef\xbb\xbf" + f"{src / 'a.txt'}\r\n{src / 'b.txt'}\r\n".encode())
    tally["bad inputs tried"] += 1
    out = tmp_path / "out.jsonl"
    assert _extract("--files-from", listing, "-o", out).exit_code == 0
    assert sorted(x["doc_id"] for x in _jsonl(out)) == ["a", "b"], _errors(out)


def test_repeated_table_ids_are_error_lines_not_duplicate_doc_ids(tmp_path, tally):
    table = tmp_path / "t.jsonl"
    table.write_text("\n".join([_row(1), _row("1", OTHER), _row("x"), _row("x", OTHER)]) + "\n", "utf-8")
    tally["bad inputs tried"] += 2
    out = tmp_path / "out.jsonl"
    for _ in range(2):
        assert _extract(table, "-o", out).exit_code == 0
    ids = [x["doc_id"] for x in _jsonl(out)]
    assert sorted(ids) == ["1", "x"]
    tally["duplicates"] += len(ids) - len(set(ids))
    errors = [json.loads(x) for x in Path(str(out) + ".errors.jsonl").read_text("utf-8").splitlines()]
    assert len(errors) == 4 and all("repeats" in e["error"] for e in errors)


def test_resuming_from_another_working_directory_extracts_nothing_again(tmp_path, monkeypatch, tally):
    src = tmp_path / "corpus" / "in"
    src.mkdir(parents=True)
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    (src / "b.txt").write_text(OTHER, "utf-8")
    out = tmp_path / "out.jsonl"
    monkeypatch.chdir(tmp_path / "corpus")
    assert _extract("in", "-o", out).exit_code == 0  # origin paths relative: in/a.txt
    for cwd, arg in ((tmp_path.parent, src), (src, "."), (tmp_path / "corpus", "in")):
        monkeypatch.chdir(cwd)  # absolute, then relative from below, then as at first
        r = _extract(arg, "-o", out)
        assert r.exit_code == 0 and "skipped" in r.output, r.output
        recs = _jsonl(out)
        tally["duplicates"] += len(recs) - 2
        assert sorted(x["doc_id"] for x in recs) == ["a", "b"], cwd
    (src / "c.txt").write_text(ARTICLE + "\n补记", "utf-8")
    monkeypatch.chdir(tmp_path.parent)
    assert _extract(src, "-o", out).exit_code == 0
    assert sorted(x["doc_id"] for x in _jsonl(out)) == ["a", "b", "c"]


def test_an_output_inside_the_input_folder_is_not_read_back(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    tally["bad inputs tried"] += 3
    for name in ("records.txt", "records.md", "records.html"):
        out = src / name
        for _ in range(2):
            r = _extract(src, "-o", out)
            assert r.exit_code == 0, r.output
        assert [x["doc_id"] for x in _jsonl(out)] == ["a"], name
        assert not _errors(out), name
        out.unlink()


def test_another_runs_output_inside_the_input_folder_is_no_article(tmp_path, tally):
    """Item 20, one step to the side: two runs writing into the input folder (offline to
    in/offline.txt, then hybrid to in/hybrid.txt, or two shards) each read the other's records as
    an article, and a record of a JSON dump joined the output."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    tally["bad inputs tried"] += 2
    for name in ("first.txt", "second.md"):
        assert _extract(src, "-o", src / name).exit_code == 0
    assert [x["doc_id"] for x in _jsonl(src / "second.md")] == ["a"]
    assert "first" in _errors(src / "second.md") and "jiyao records" in _errors(src / "second.md")["first"]


def test_a_huge_table_row_is_refused_like_a_huge_file(tmp_path, tally):
    table = tmp_path / "t.jsonl"
    big = "会" * (3 * 1024 * 1024)  # 9 MB as UTF-8: over the 8 MB cap
    table.write_text(_row("big", big) + "\n" + _row("small") + "\n", "utf-8")
    tally["bad inputs tried"] += 1
    out = tmp_path / "out.jsonl"
    assert _extract(table, "-o", out).exit_code == 0
    assert [x["doc_id"] for x in _jsonl(out)] == ["small"]
    assert "too large" in _errors(out)["big"]


def test_a_folder_1500_levels_deep(tmp_path, tally):
    src = tmp_path / "in"
    levels = [src]
    for _ in range(1500):  # one by one: os.makedirs and shutil.rmtree recurse too
        levels.append(levels[-1] / "d")
        levels[-1].mkdir(parents=True)
    (levels[-1] / "a.txt").write_text(ARTICLE, "utf-8")
    (src / "b.txt").write_text(OTHER, "utf-8")
    tally["bad inputs tried"] += 1
    out = tmp_path / "out.jsonl"
    try:
        r = _extract(src, "-o", out)
        assert r.exit_code == 0, r.output
        assert sorted(x["doc_id"] for x in _jsonl(out)) == ["a", "b"]
    finally:
        (levels[-1] / "a.txt").unlink()
        for level in reversed(levels[1:]):
            level.rmdir()


def test_a_parquet_file_that_is_not_parquet(tmp_path, tally):
    fake = tmp_path / "t.parquet"
    fake.write_text("id,text\n1,hello\n", "utf-8")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, "utf-8")
    tally["bad inputs tried"] += 1
    out = tmp_path / "out.jsonl"
    r = _extract(fake, good, "-o", out)
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    assert [x["doc_id"] for x in _jsonl(out)] == ["good"]
    assert "Parquet" in _errors(out)["t"]


def test_files_from_a_missing_list_or_an_undecodable_path(tmp_path, tally):
    out = tmp_path / "out.jsonl"
    r = _extract("--files-from", tmp_path / "nope.txt", "-o", out)
    assert r.exit_code == 2 and "nope.txt" in r.output and len(r.output.strip().splitlines()) == 1, r.output
    weird = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(weird, "wb") as f:
        f.write(ARTICLE.encode())
    listing = tmp_path / "list.txt"
    listing.write_bytes(weird + b"\n" + os.fsencode(tmp_path / "missing.txt") + b"\n")
    tally["bad inputs tried"] += 2
    r = _extract("--files-from", listing, "-o", out)
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    recs = _jsonl(out)
    assert len(recs) == 1 and _names(recs[0]) == PEOPLE
    # cosmetic (37): a file that never existed is not "vanished"
    assert "no such file" in _errors(out)["missing"] and "vanished" not in _errors(out)["missing"]


def test_files_from_help_says_paths_are_taken_from_the_working_directory():
    out = subprocess.run([sys.executable, "-m", "jiyao", "extract", "--help"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "300"}).stdout
    assert "working directory" in " ".join(out.replace("│", " ").split())
