"""Streaming over files and folders: article files in a stable order, each directory once (symlink
loops are walked once), unique doc_ids (a repeated file stem gets a suffix from its path)."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .read import ARTICLE_SUFFIXES

_SAFE = re.compile(r"[^\w.\-]+")


def safe_doc_id(stem: str) -> str:
    """A doc_id that is a plain name: no separators, no '..', nothing that could name a path."""
    s = _SAFE.sub("_", stem).strip("._") or "doc"
    return s[:200]


def iter_articles(paths: Iterable[str | Path]) -> Iterator[tuple[str, Path]]:
    seen_dirs: set[tuple[int, int]] = set()
    seen_ids: set[str] = set()
    for root in map(Path, paths):
        if root.is_dir():
            files = _walk(root, seen_dirs)
        else:
            files = iter([root])
        for f in files:
            doc_id = safe_doc_id(f.stem)
            if doc_id in seen_ids:
                doc_id = f"{doc_id}__{hashlib.sha1(str(f).encode()).hexdigest()[:8]}"
            seen_ids.add(doc_id)
            yield doc_id, f


def _walk(root: Path, seen_dirs: set) -> Iterator[Path]:
    try:
        st = root.stat()
    except OSError:
        return
    if (st.st_dev, st.st_ino) in seen_dirs:
        return
    seen_dirs.add((st.st_dev, st.st_ino))
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        p = Path(e.path)
        try:
            if e.is_dir():  # follows symlinks; the (dev, inode) set stops loops
                yield from _walk(p, seen_dirs)
            elif e.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES:
                yield p
        except OSError:
            continue


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
