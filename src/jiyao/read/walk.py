"""Streaming over files and folders: article files in a stable order, each directory once (symlink
loops are walked once), every file named by an origin key that depends neither on argument order
nor on the working folder.

Nothing inside a folder is skipped silently: a dangling symlink, a symlink leading out of the
folder (not followed unless asked), a folder that cannot be listed each come out as an Article
with an `error`, which the run writes as an error line. FIFOs and devices come out as Articles
too; reading them (read.read_bytes) refuses them without blocking. The one exception: the run's
own output files (`exclude`), which are never read back as articles.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .document import ARTICLE_SUFFIXES

_SAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class Article:
    doc_id: str  # proposed id: the safe file stem (RecordWriter.claim_id makes it unique in the output)
    path: Path
    key: str  # origin path: the file as named, relative to the base folder (the output's)
    error: str | None = None  # set: not an article to read; the reason is its error line
    rank: tuple = ()  # its place in the listing: (argument index, *path parts below that argument)


def safe_doc_id(stem: str) -> str:
    """A doc_id that is a plain name: no separators, no '..', nothing that could name a path."""
    s = _SAFE.sub("_", stem).strip("._") or "doc"
    return s[:200]


def is_plain_name(doc_id) -> bool:
    """True for a doc_id that can name a file in a folder (as jiyao's own ids can): no separator,
    not hidden, not . or .. (a doc_id read from a records file may be anything)."""
    return isinstance(doc_id, str) and 0 < len(doc_id) <= 240 and not _SAFE.search(doc_id) and not doc_id.startswith(".")


def printable(path: str | os.PathLike) -> str:
    """A path as text that JSON can carry: a file name's bytes read as UTF-8 (under LC_ALL=C Python
    holds even 会议.txt as lone surrogates), those that are not UTF-8 written as \\xNN."""
    s = os.fspath(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return os.fsencode(s).decode("utf-8", "backslashreplace")


@lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:
    return os.path.realpath(folder)


def origin_key(path: str | Path, base: str | Path | None = None) -> str:
    """The file, named the same whatever the working folder and however it was spelled: relative
    to `base` (the output's folder; the working folder when None) when inside it, else absolute.
    `in/a/report.txt` and `./in//a/report.txt` are one key, and so are `in/a.txt` given from
    the output's folder and `/data/in/a.txt` given from anywhere else; `a/report.txt` and
    `b/report.txt` are two. The folders on the way are resolved (symlinks), the file name is not."""
    absolute = os.path.abspath(path)
    head, name = os.path.split(absolute)
    absolute = os.path.join(_real_dir(head), name)
    top = _real_dir(os.path.abspath(base) if base is not None else os.getcwd())
    rel = os.path.relpath(absolute, top)
    return printable(absolute if rel == ".." or rel.startswith(".." + os.sep) else rel)


class Exclude:
    """Files that are never articles of this run (its own outputs), matched by name, then by the
    real path; a cheap test for the many files that do not share a name with any of them."""

    def __init__(self, paths: Iterable[str | Path] = ()):
        self.real = {os.path.realpath(p) for p in paths}
        self.names = {os.path.basename(p) for p in self.real}

    def __contains__(self, path: str | Path) -> bool:
        return os.path.basename(path) in self.names and os.path.realpath(path) in self.real


def _article(path: Path, base, rank: tuple, error: str | None = None) -> Article:
    # the name's bytes read as UTF-8 whatever the locale (LC_ALL=C decodes 会议.txt as escapes)
    name = Path(printable(path.name))
    stem = name.stem if name.suffix.lower() in ARTICLE_SUFFIXES else name.name
    return Article(safe_doc_id(stem), path, origin_key(path, base), error, rank)


def iter_articles(paths: Iterable[str | Path], follow_symlinks: bool = False, base: str | Path | None = None,
                  exclude: Exclude | None = None, seen_dirs: set | None = None) -> Iterator[Article]:
    """Every article file under the given files and folders. A symlink inside a folder is
    followed only when its target is inside the same given folder, unless follow_symlinks.
    seen_dirs: folders already walked (shared by the calls of one listing)."""
    seen_dirs = set() if seen_dirs is None else seen_dirs
    exclude = exclude or Exclude()
    for i, root in enumerate(map(Path, paths)):
        if root.is_dir():
            yield from _walk(root, os.path.realpath(root), seen_dirs, follow_symlinks, base, exclude, i)
        elif root in exclude:
            continue
        elif not os.path.lexists(root):
            yield _article(root, base, (i,), "no such file or folder")
        else:
            yield _article(root, base, (i,))  # a file named on the command line is read whatever it is


def _outside(target: str, top: str) -> bool:
    return os.path.commonpath([target, top]) != top


def _listing(folder: Path, seen_dirs: set) -> list[os.DirEntry] | None:
    """The folder's entries sorted by name, or None when it was walked already (a loop)."""
    st = folder.stat()
    if (st.st_dev, st.st_ino) in seen_dirs:
        return None
    seen_dirs.add((st.st_dev, st.st_ino))
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _walk(root: Path, top: str, seen_dirs: set, follow: bool, base, exclude: Exclude, arg: int) -> Iterator[Article]:
    """Depth first, entries by name, with a stack of its own: a folder 1,500 levels deep is
    walked like any other (recursion would hit Python's limit)."""
    stack: list[tuple[tuple, Iterator[os.DirEntry]]] = []

    def enter(folder: Path, parts: tuple) -> Iterator[Article]:
        try:
            entries = _listing(folder, seen_dirs)
        except OSError as exc:
            yield _article(folder, base, (arg, *parts), f"cannot list folder: {exc.strerror or exc}")
            return
        if entries is not None:
            stack.append((parts, iter(entries)))

    yield from enter(root, ())
    while stack:
        parts, entries = stack[-1]
        e = next(entries, None)
        if e is None:
            stack.pop()
            continue
        p = Path(e.path)
        rank = (arg, *parts, e.name)
        try:
            is_article = p.suffix.lower() in ARTICLE_SUFFIXES
            if e.is_symlink():
                target = os.path.realpath(p)
                if not os.path.exists(target):
                    if is_article:
                        yield _article(p, base, rank, "dangling symlink: its target does not exist")
                    continue
                if not follow and _outside(target, top) and (is_article or os.path.isdir(target)):
                    yield _article(p, base, rank, f"symlink leads outside {printable(top)}: not followed (use --follow-symlinks)")
                    continue
            if e.is_dir():  # follows symlinks; the (dev, inode) set stops loops
                yield from enter(p, rank[1:])
            elif is_article and p not in exclude:  # FIFOs and devices too: reading them is a per-file error
                yield _article(p, base, rank)
        except OSError as exc:
            yield _article(p, base, rank, f"cannot inspect: {exc.strerror or exc}")


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
