"""What a run reads: article files and folders, lists of paths (--files-from), and article tables
(JSONL or Parquet with `id` and `text` columns), optionally one shard of them (--shard i/N).

Each article becomes an `Item`: small and picklable, so worker processes and distributed engines
can take it; `Item.load()` makes the Document only where the work happens.
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from dataclasses import dataclass
from pathlib import Path

from .document import Document, ReadError, document, from_text, read_bytes
from .walk import iter_articles, origin_key, safe_doc_id

TABLE_SUFFIXES = (".jsonl", ".parquet")
ID_COLUMNS = ("id", "doc_id")


class InputError(ValueError):
    """An input that cannot be listed (a bad --shard, a table without id/text columns)."""


@dataclass(frozen=True)
class Item:
    doc_id: str  # proposed id (the output's RecordWriter makes it unique)
    key: str  # origin: the file as named, or "<table>#<id>" for a table row
    path: str | None = None  # an article file
    text: str | None = None  # or an article given as text (a table row)
    error: str | None = None  # set: not an article to read; the reason is its error line

    @property
    def where(self) -> str:
        return self.path or self.key

    def content(self) -> bytes:
        """The article's bytes, read once: hashed for resume, then decoded where the work happens."""
        if self.error:
            raise ReadError(self.error)
        if self.path is not None:
            return read_bytes(Path(self.path))
        if not isinstance(self.text, str):
            raise ReadError("table row without a text value")
        return self.text.encode("utf-8")

    def document(self, data: bytes, doc_id: str) -> Document:
        if self.path is not None:
            return document(data, doc_id, Path(self.path))
        return from_text(data.decode("utf-8"), doc_id, self.key)

    def load(self) -> Document:
        return self.document(self.content(), self.doc_id)


def parse_shard(spec: str | None) -> tuple[int, int] | None:
    """`i/N` (0 ≤ i < N): this machine takes the articles whose id hashes to i modulo N."""
    if not spec:
        return None
    try:
        i, n = (int(x) for x in spec.split("/"))
    except ValueError:
        raise InputError(f"--shard {spec!r}: expected i/N, e.g. 0/4") from None
    if not (n >= 1 and 0 <= i < n):
        raise InputError(f"--shard {spec!r}: need 0 <= i < N")
    return i, n


def in_shard(doc_id: str, shard: tuple[int, int] | None) -> bool:
    # crc32 of the id: the same split on every machine and every Python (hash() is salted)
    return shard is None or zlib.crc32(doc_id.encode("utf-8")) % shard[1] == shard[0]


def _rows_jsonl(path: Path) -> Iterator[Item]:
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n} is not JSON ({exc.msg})") from None
            yield _row_item(row, path, n)


def _parquet(path: Path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: Parquet input needs pyarrow (pip install 'jiyao[tables]')") from None
    return pq.ParquetFile(path)


def _rows_parquet(path: Path) -> Iterator[Item]:
    pf = _parquet(path)
    names = pf.schema_arrow.names
    id_col = next((c for c in ID_COLUMNS if c in names), None)
    if id_col is None or "text" not in names:
        raise InputError(f"{path}: a Parquet article table needs an id (or doc_id) and a text column")
    n = 0
    for batch in pf.iter_batches(columns=[id_col, "text"], batch_size=1024):  # streamed: flat memory
        for row in batch.to_pylist():
            n += 1
            yield _row_item({"id": row[id_col], "text": row["text"]}, path, n)


def _row_item(row, path: Path, n: int) -> Item:
    if not isinstance(row, dict):
        raise InputError(f"{path}: line {n} is not an object with id and text")
    raw_id = next((row[c] for c in ID_COLUMNS if row.get(c) is not None), None)
    if raw_id is None:
        raise InputError(f"{path}: row {n} has no id")
    return Item(safe_doc_id(str(raw_id)), f"{origin_key(path)}#{raw_id}", text=row.get("text"))


def _paths_from(list_file: str) -> Iterator[Path]:
    import sys

    f = sys.stdin if list_file == "-" else open(list_file, encoding="utf-8")
    try:
        for line in f:
            if line.strip():
                yield Path(line.rstrip("\n"))
    finally:
        if f is not sys.stdin:
            f.close()


def _is_table(p: Path) -> bool:
    return p.suffix.lower() in TABLE_SUFFIXES and p.is_file()


def count_items(paths: Iterable[str | Path] = (), files_from: str | None = None,
                shard: tuple[int, int] | None = None, follow_symlinks: bool = False) -> int:
    """How many articles iter_items will give (a progress bar's total). Without a shard a table is
    counted by its lines or its Parquet metadata, not parsed: a run should read its rows once."""
    if shard is not None:
        return sum(1 for _ in iter_items(paths, files_from, shard, follow_symlinks))
    paths = [Path(p) for p in paths]
    n = 0
    for p in filter(_is_table, paths):
        if p.suffix.lower() == ".parquet":
            n += _parquet(p).metadata.num_rows
        else:
            with open(p, "rb") as f:
                n += sum(1 for line in f if line.strip())
    files = chain((p for p in paths if not _is_table(p)), _paths_from(files_from) if files_from else ())
    return n + sum(1 for _ in iter_articles(files, follow_symlinks=follow_symlinks))


def iter_items(paths: Iterable[str | Path] = (), files_from: str | None = None,
               shard: tuple[int, int] | None = None, follow_symlinks: bool = False) -> Iterator[Item]:
    """Articles in a stable order, lazily (a list of millions of paths is never held): article
    tables given as arguments first, row by row; then files and folders, then --files-from."""
    paths = [Path(p) for p in paths]
    for p in filter(_is_table, paths):
        rows = _rows_parquet(p) if p.suffix.lower() == ".parquet" else _rows_jsonl(p)
        yield from (it for it in rows if in_shard(it.doc_id, shard))

    def files() -> Iterator[Path]:
        yield from (p for p in paths if not _is_table(p))
        if files_from:
            yield from _paths_from(files_from)

    for a in iter_articles(files(), follow_symlinks=follow_symlinks):
        if in_shard(a.doc_id, shard):
            yield Item(a.doc_id, a.key, path=str(a.path), error=a.error)
