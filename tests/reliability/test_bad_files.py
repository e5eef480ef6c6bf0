"""Issue 11, input side: bytes and pages that used to lose an article or a paragraph, files that
are not files (FIFOs, devices, dangling or escaping symlinks). Each ends as a correct record or
an error line, never a hang, never silence."""
import json
import os
import subprocess
import sys
from pathlib import Path

import opencc
from typer.testing import CliRunner

from jiyao.cli.main import app
from jiyao.read.document import ReadError, from_text, read_file

# a short county meeting report in our own words (names invented)
ARTICLE = """我县召开防汛工作部署会议
6月3日上午，县委副书记、县长王春林主持召开全县防汛工作部署会议。会议传达学习了省防汛抗旱工作电视电话会议精神。
王春林强调，要坚持“人民至上、生命至上”，全力做好“防大汛、抗大灾”各项准备。
县领导李文华、赵明出席会议。
（记者 周晓燕）
"""
PEOPLE = ["王春林", "李文华", "赵明"]


def _extract(*args):
    return CliRunner().invoke(app, ["extract", *map(str, args), "--backend", "offline"])


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []


def _run(tmp_path, files: dict[str, bytes], *extra) -> tuple[dict, dict]:
    """Write files under in/, extract them, return (doc_id → record, doc_id → error)."""
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for name, data in files.items():
        (src / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    r = _extract(src, "-o", out, *extra)
    assert r.exit_code == 0, r.output
    return ({x["doc_id"]: x for x in _jsonl(out)},
            {x["doc_id"]: x["error"] for x in _jsonl(Path(str(out) + ".errors.jsonl"))})


def _names(rec: dict) -> list[str]:
    return [p["name"] for p in rec["people"]]


def test_one_bad_byte_keeps_the_article_and_warns(tmp_path, tally):
    gbk = ARTICLE.encode("gb18030")
    cut = ARTICLE.encode("utf-8")
    at = gbk.index(b"\n") + 1
    files = {"stray.txt": gbk[:at] + b"\x80" + gbk[at:],  # a GBK file with a stray byte
             "cut.txt": cut[:-2],  # cut mid-character (the last 。 is 3 bytes)
             "cut16.txt": ARTICLE.encode("utf-16")[:-1]}  # UTF-16 cut mid-unit
    tally["bad inputs tried"] += len(files)
    recs, errors = _run(tmp_path, files)
    assert not errors
    for doc in ("stray", "cut", "cut16"):
        assert _names(recs[doc]) == PEOPLE, doc
        assert any("U+FFFD" in w for w in recs[doc]["diagnostics"]["warnings"]), doc


def test_big5_hkscs_utf32_and_mixed_utf8_big5_decode_right(tmp_path, tally):
    hk = opencc.OpenCC("s2hk").convert(ARTICLE).replace("出席會議。", "出席會議，並到大埔邨了解情況㗎。")
    tw_lines = opencc.OpenCC("s2tw").convert(ARTICLE).split("\n")
    files = {"hkscs.txt": hk.encode("big5hkscs"),  # 㗎 exists only in HKSCS: plain Big5 rejects it
             "utf32.txt": ARTICLE.encode("utf-32"),  # its BOM starts like UTF-16's
             "mixed.txt": "\n".join(tw_lines[:2]).encode() + b"\n" + "\n".join(tw_lines[2:]).encode("big5"),
             "japanese.txt": ("今日は東京で会議が開かれました。山田さんが挨拶しました。" * 4).encode("shift_jis")}
    tally["bad inputs tried"] += len(files)
    recs, errors = _run(tmp_path, files)
    assert not errors
    for doc in ("hkscs", "utf32", "mixed"):
        assert _names(recs[doc]) == PEOPLE, doc
        assert not recs[doc]["diagnostics"]["warnings"], doc
    assert recs["hkscs"]["slogans"] == ["人民至上、生命至上", "防大汛、抗大灾"]
    # no Chinese encoding reads it well: kept, but the record says the decoding is doubtful
    assert any("may not be" in w for w in recs["japanese"]["diagnostics"]["warnings"])


def test_html_bare_ampersand_and_entity_without_semicolon(tmp_path, tally):
    paras = ARTICLE.strip().split("\n")
    page = ("<html><head><title>我县召开防汛工作部署会议</title></head><body><article>"
            f"<p>{paras[1]}</p><p>会上，县R&D中心负责人汇报了雨情监测情况。</p>"
            f"<p>{paras[2].replace('，', '&nbsp')}</p><p>{paras[3]}</p><p>{paras[4]}</p></article></body></html>")
    tally["bad inputs tried"] += 2
    doc = from_text(page, "amp", html=True)
    assert "县R&D中心负责人汇报了雨情监测情况" in doc.norm.text  # the paragraph is kept
    assert "王春林强调 要坚持" in doc.norm.text  # &nbsp without ';' is a space, the article is kept
    at = doc.norm.text.index("R&D")
    s, e = doc.span(at, at + 3)
    assert page[s:e] == "R&D"  # offsets still point into the page source
    recs, errors = _run(tmp_path, {"amp.html": page.encode()})
    assert _names(recs["amp"]) == PEOPLE and not errors


def test_cr_line_ends_keep_the_headline_and_deep_html_keeps_the_article(tmp_path, tally):
    body = "".join(f"<p>{x}</p>" for x in ARTICLE.strip().split("\n")[1:])
    deep = "<html><body>" + "<div>" * 300 + body + "</div>" * 300 + "</body></html>"
    tally["bad inputs tried"] += 2
    recs, errors = _run(tmp_path, {"mac.txt": ARTICLE.replace("\n", "\r").encode(), "deep.html": deep.encode()})
    assert not errors
    assert recs["mac"]["headline"] == "我县召开防汛工作部署会议"
    assert _names(recs["mac"]) == PEOPLE
    s, e = recs["mac"]["evidence"]["/headline"]
    assert ARTICLE.replace("\n", "\r")[s:e] == "我县召开防汛工作部署会议"
    assert _names(recs["deep"]) == PEOPLE
    assert any("nested" in w for w in recs["deep"]["diagnostics"]["warnings"])


def test_fifo_and_device_arguments_are_errors_not_hangs(tmp_path, tally):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    tally["bad inputs tried"] += 2
    # a subprocess with a deadline: the old reader blocked forever on the FIFO, /dev/zero filled memory
    r = subprocess.run([sys.executable, "-m", "jiyao", "extract", str(fifo), "/dev/zero", str(good), "-o", str(out),
                        "--backend", "offline"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    errors = {x["path"]: x["error"] for x in _jsonl(Path(str(out) + ".errors.jsonl"))}
    assert "FIFO" in errors[str(fifo)] and "device" in errors["/dev/zero"]
    assert [x["doc_id"] for x in _jsonl(out)] == ["good"]


def test_fifos_and_dangling_symlinks_in_a_folder_get_error_lines(tmp_path, tally):
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    os.symlink(tmp_path / "nowhere.txt", src / "dangling.txt")
    tally["bad inputs tried"] += 2
    recs, errors = _run(tmp_path, {"good.txt": ARTICLE.encode()})
    assert set(recs) == {"good"}
    assert "FIFO" in errors["pipe"] and "dangling" in errors["dangling"]


def test_symlinks_out_of_the_folder_are_not_followed_unless_asked(tmp_path, tally):
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "diary.txt").write_text(ARTICLE, "utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "own.txt").write_text(ARTICLE, "utf-8")
    os.symlink(secret / "diary.txt", src / "link.txt")
    os.symlink(secret, src / "linkdir")
    os.symlink(src / "own.txt", src / "inside.txt")  # stays in the tree: followed
    tally["bad inputs tried"] += 2
    recs, errors = _run(tmp_path, {})
    assert set(recs) == {"own", "inside"}
    assert "outside" in errors["link"] and "outside" in errors["linkdir"]
    out = tmp_path / "follow.jsonl"
    assert _extract(src, "-o", out, "--follow-symlinks").exit_code == 0
    assert {x["doc_id"] for x in _jsonl(out)} == {"own", "inside", "link", "diary"}


def test_unreadable_file_is_a_per_file_error_even_as_root(tmp_path, monkeypatch, tally):
    """chmod 0 does not stop root (CI runs as root), so the refusal is injected where the OS
    gives it: os.open raising PermissionError."""
    p = tmp_path / "locked.txt"
    p.write_text(ARTICLE, "utf-8")
    real_open = os.open

    def deny(path, *a, **k):
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)
    monkeypatch.setattr("jiyao.read.document.os.open", deny)
    tally["faults injected"] += 1
    try:
        read_file(p)
        raise AssertionError("read an unreadable file")
    except ReadError as exc:
        assert "permission denied" in str(exc)
    recs, errors = _run(tmp_path, {"other.txt": ARTICLE.encode()})
    assert set(recs) == {"other"}
