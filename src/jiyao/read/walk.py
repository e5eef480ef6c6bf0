"""Streaming over files and folders: article files in a stable order, each directory once (symlink
loops are walked once), every file named by an origin key that does not depend on argument order.

Nothing inside a folder is skipped silently: a dangling symlink, a symlink leading out of the
folder (not followed unless asked), a folder that cannot be listed each come out as an Article
with an `error`, which the run writes as an error line. FIFOs and devices come out as Articles
too; reading them (read.read_bytes) refuses them without blocking.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .document import ARTICLE_SUFFIXES

_SAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class Article:
    doc_id: str  # proposed id: the safe file stem (RecordWriter.claim_id makes it unique in the output)
    path: Path
    key: str  # origin path: the file as named, relative to the working folder
    error: str | None = None  # set: not an article to read; the reason is its error line


def safe_doc_id(stem: str) -> str:
    """A doc_id that is a plain name: no separators, no '..', nothing that could name a path."""
    s = _SAFE.sub("_", stem).strip("._") or "doc"
    return s[:200]


def origin_key(path: str | Path) -> str:
    """The file as named, normalised: relative to the working folder when inside it, else
    absolute. `in/a/report.txt` and `./in//a/report.txt` are one key; `a/report.txt` and
    `b/report.txt` are two, whatever order the folders are given in."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute)
    return absolute if rel == ".." or rel.startswith(".." + os.sep) else rel


def _article(path: Path, error: str | None = None) -> Article:
    stem = path.stem if path.suffix.lower() in ARTICLE_SUFFIXES else path.name
    return Article(safe_doc_id(stem), path, origin_key(path), error)


def iter_articles(paths: Iterable[str | Path], follow_symlinks: bool = False) -> Iterator[Article]:
    """Every article file under the given files and folders. A symlink inside a folder is
    followed only when its target is inside the same given folder, unless follow_symlinks."""
    seen_dirs: set[tuple[int, int]] = set()
    for root in map(Path, paths):
        if root.is_dir():
            yield from _walk(root, os.path.realpath(root), seen_dirs, follow_symlinks)
        else:
            yield _article(root)  # a file named on the command line is read whatever it is


def _outside(target: str, top: str) -> bool:
    return os.path.commonpath([target, top]) != top


def _walk(folder: Path, top: str, seen_dirs: set, follow: bool) -> Iterator[Article]:
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen_dirs:
            return
        seen_dirs.add((st.st_dev, st.st_ino))
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _article(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for e in entries:
        p = Path(e.path)
        try:
            is_article = p.suffix.lower() in ARTICLE_SUFFIXES
            if e.is_symlink():
                target = os.path.realpath(p)
                if not os.path.exists(target):
                    if is_article:
                        yield _article(p, "dangling symlink: its target does not exist")
                    continue
                if not follow and _outside(target, top) and (is_article or os.path.isdir(target)):
                    yield _article(p, f"symlink leads outside {top}: not followed (use --follow-symlinks)")
                    continue
            if e.is_dir():  # follows symlinks; the (dev, inode) set stops loops
                yield from _walk(p, top, seen_dirs, follow)
            elif is_article:  # FIFOs and devices too: reading them is a per-file error
                yield _article(p)
        except OSError as exc:
            yield _article(p, f"cannot inspect: {exc.strerror or exc}")


def stdin_article() -> Path:
    """`jiyao extract -`: the article on standard input, kept in a temporary file named stdin.txt
    (doc_id `stdin`) so it goes through the same reading path as any file."""
    import atexit
    import shutil
    import sys
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="jiyao-stdin-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "stdin.txt"
    path.write_bytes(sys.stdin.buffer.read())
    return path
