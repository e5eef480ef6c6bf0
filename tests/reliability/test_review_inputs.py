"""A fresh hostile review of `jiyao sample` and `jiyao review`: hostile records and review folders
must not write outside the review folder, lose a drawn article, or end in a traceback."""
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
