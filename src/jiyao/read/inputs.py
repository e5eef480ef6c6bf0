"""What a run reads: article files and folders, lists of paths (--files-from), and article tables
(JSONL or Parquet with `id` and `text` columns), optionally one shard of them (--shard i/N).

Each article becomes an `Item`: small and picklable, so worker processes and distributed engines
can take it; `Item.load()` makes the Document only where the work happens. A row that cannot be
an article (not JSON, not UTF-8, no id, an id an earlier row has, too large) and a table that
cannot be read become Items with an `error`: one error line each, the run goes on.
"""
from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .document import MAX_BYTES, Document, ReadError, document, from_text, read_bytes
from .keys import KeySet, digest
from .walk import Exclude, iter_articles, origin_key, printable, safe_doc_id

TABLE_SUFFIXES = (".jsonl", ".parquet")
ID_COLUMNS = ("id", "doc_id")
# a JSON line longer than this cannot hold an article under MAX_BYTES (\uXXXX escapes: 6 bytes a
# character at most): refused before it is parsed
MAX_ROW_BYTES = 6 * MAX_BYTES + 4096
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class InputError(ValueError):
    """An input that cannot be listed (a bad --shard, a --files-from list that cannot be read)."""


@dataclass(frozen=True)
class Item:
    doc_id: str  # proposed id (the output's RecordWriter makes it unique)
    key: str  # origin: the file as named, or "<table>#<id>" for a table row
    path: str | None = None  # an article file
    text: str | None = None  # or an article given as text (a table row)
    error: str | None = None  # set: not an article to read; the reason is its error line
    table: str | None = None  # a table row: the table file ...
    row: str | None = None  # ... and the row's id (or row-<n> for a row without a usable one)

    def origin(self, base: str | Path | None = None) -> str:
        """The key a record of this article is found by: `key`, made relative to `base` (an
        output's folder) instead of the working folder, so a resume from anywhere finds it."""
        if self.table is not None:
            return f"{origin_key(self.table, base)}#{self.row}"
        if self.path is not None:
            return origin_key(self.path, base)
        return self.key

    @property
    def where(self) -> str:
        return printable(self.path) if self.path is not None else self.key

    def content(self) -> bytes:
        """The article's bytes, read once: hashed for resume, then decoded where the work happens."""
        if self.error:
            raise ReadError(self.error)
        if self.path is not None:
            return read_bytes(Path(self.path))
        if not isinstance(self.text, str):
            raise ReadError("table row without a text value")
        # lone surrogates (JSON's "\ud800") kept as they are, replaced when the text is read
        data = self.text.encode("utf-8", "surrogatepass")
        if len(data) > MAX_BYTES:  # as for a file: no news article is larger
            raise ReadError(f"article too large ({len(data)} bytes > {MAX_BYTES})")
        return data

    def document(self, data: bytes, doc_id: str) -> Document:
        if self.path is not None:
            return document(data, doc_id, Path(self.path))
        text = data.decode("utf-8", "surrogatepass")
        warnings = []
        if n := len(_SURROGATE.findall(text)):  # one character for one: offsets unchanged
            text = _SURROGATE.sub("\ufffd", text)
            warnings.append(f"decoding: {n} lone surrogate(s) replaced by U+FFFD (table row)")
        return from_text(text, doc_id, self.key, warnings=warnings)

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


class RowIds:
    """The ids a table has given so far (8 bytes each), to refuse a row that repeats one: two
    records under one doc_id would be indistinguishable. Ids are compared as text: 1 and "1" are
    one id."""

    def __init__(self):
        self._keys = KeySet(8)

    def repeated(self, id_text: str) -> bool:
        key = digest(id_text, size=8)
        if key in self._keys:
            return True
        self._keys.add(key)
        return False


def bad_row(path: Path, n: int, reason: str, doc_id: str | None = None) -> Item:
    """The error Item of row n of a table: its error line names the table and the row."""
    return Item(doc_id or safe_doc_id(f"{path.stem}-row{n}"), f"{origin_key(path)}#row-{n}", error=reason,
                table=str(path), row=f"row-{n}")


def _rows_jsonl(path: Path) -> Iterator[Item]:
    ids = RowIds()
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if (it := line_item(raw, path, n, ids)) is not None:
                yield it


def line_item(raw: bytes, path: Path, n: int, ids: RowIds | None = None) -> Item | None:
    """Line n of a JSONL table as an Item (None for a blank line): an error Item when it is too
    large, not UTF-8, not JSON, or not a row with an id."""
    if not raw.strip():
        return None
    if len(raw) > MAX_ROW_BYTES:
        return bad_row(path, n, f"line {n}: article too large ({len(raw)} bytes of JSON)")
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return bad_row(path, n, f"line {n} is not UTF-8")
    except json.JSONDecodeError as exc:
        return bad_row(path, n, f"line {n} is not JSON ({exc.msg})")
    return row_item(row, path, n, ids)


def _parquet(path: Path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: Parquet input needs pyarrow (pip install 'jiyao[tables]')") from None
    try:
        return pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ReadError(f"not a Parquet file that can be read ({str(exc)[:200]})") from None


def _rows_parquet(path: Path) -> Iterator[Item]:
    def whole(reason: str) -> Item:
        return Item(safe_doc_id(path.stem), origin_key(path), path=str(path), error=reason)

    try:
        pf = _parquet(path)
    except ReadError as exc:
        yield whole(str(exc))
        return
    names = pf.schema_arrow.names
    id_col = next((c for c in ID_COLUMNS if c in names), None)
    if id_col is None or "text" not in names:
        yield whole("a Parquet article table needs an id (or doc_id) and a text column")
        return
    ids, n = RowIds(), 0
    try:
        for batch in pf.iter_batches(columns=[id_col, "text"], batch_size=1024):  # streamed: flat memory
            for row in batch.to_pylist():
                n += 1
                yield row_item({"id": row[id_col], "text": row["text"]}, path, n, ids)
    except (OSError, ValueError) as exc:
        yield bad_row(path, n + 1, f"rows from {n + 1} on cannot be read ({str(exc)[:200]})")


def row_item(row, path: Path, n: int, ids: RowIds | None = None) -> Item:
    """Row n of a table as an Item; an error Item when it cannot be an article."""
    if not isinstance(row, dict):
        return bad_row(path, n, f"line {n} is not an object with id and text")
    raw_id = next((row[c] for c in ID_COLUMNS if row.get(c) is not None), None)
    if raw_id is None:
        return bad_row(path, n, f"row {n} has no id")
    # a lone surrogate ("\udc80" in the JSON) written as \udc80: a record's JSON must carry the key
    id_text = str(raw_id).encode("utf-8", "backslashreplace").decode("utf-8")
    doc_id = safe_doc_id(str(raw_id))
    if ids is not None and ids.repeated(id_text):
        return bad_row(path, n, f"row {n}: id {id_text!r} repeats an earlier row's id (ids are compared as text); "
                                "give each row its own id", doc_id)
    return Item(doc_id, f"{origin_key(path)}#{id_text}", text=row.get("text"), table=str(path), row=id_text)


def _paths_from(list_file: str) -> Iterator[Path]:
    """The paths listed one a line, as bytes the file system would take (a name that is not
    UTF-8 is still that file); relative paths are taken from the working folder."""
    import sys

    try:
        f = sys.stdin.buffer if list_file == "-" else open(list_file, "rb")
    except OSError as exc:
        raise InputError(f"--files-from {list_file}: {exc.strerror or exc}") from None
    try:
        for n, line in enumerate(f):
            if n == 0:  # a list saved by Notepad starts with a BOM: not part of the first path
                line = line.removeprefix(b"\xef\xbb\xbf")
            line = line.rstrip(b"\r\n") if line.endswith(b"\r\n") else line.rstrip(b"\n")
            if line.strip():
                yield Path(os.fsdecode(line))
    finally:
        if list_file != "-":
            f.close()


def _is_table(p: Path) -> bool:
    return p.suffix.lower() in TABLE_SUFFIXES and p.is_file()


def _table_rows(p: Path) -> Iterator[Item]:
    return _rows_parquet(p) if p.suffix.lower() == ".parquet" else _rows_jsonl(p)


def _table_size(p: Path) -> int:
    if p.suffix.lower() == ".parquet":
        try:
            return _parquet(p).metadata.num_rows
        except ReadError:
            return 1
    with open(p, "rb") as f:
        return sum(1 for line in f if line.strip())


def count_items(paths: Iterable[str | Path] = (), files_from: str | None = None,
                shard: tuple[int, int] | None = None, follow_symlinks: bool = False,
                exclude: Iterable[str | Path] = ()) -> int:
    """How many articles iter_items will give (a progress bar's total). Without a shard a table is
    counted by its lines or its Parquet metadata, not parsed: a run should read its rows once."""
    if shard is not None:
        return sum(1 for _ in iter_items(paths, files_from, shard, follow_symlinks, exclude=exclude))
    n, seen_dirs, skip = 0, set(), Exclude(exclude)
    for kind, p in _inputs(paths, files_from):
        n += _table_size(p) if kind == "table" else sum(1 for _ in iter_articles(p, follow_symlinks, None, skip, seen_dirs))
    return n


def _inputs(paths: Iterable[str | Path], files_from: str | None) -> Iterator[tuple[str, object]]:
    """("table", path) and ("files", [paths]) in reading order: tables given as arguments first,
    then files and folders, then --files-from (where a table is a table too)."""
    paths = [Path(p) for p in paths]
    for p in filter(_is_table, paths):
        yield "table", p
    yield "files", [p for p in paths if not _is_table(p)]
    if files_from:
        run: list[Path] = []
        for p in _paths_from(files_from):
            if _is_table(p):
                if run:
                    yield "files", run
                    run = []
                yield "table", p
            else:
                run.append(p)
                if len(run) >= 1024:  # a list of millions of paths is never held
                    yield "files", run
                    run = []
        if run:
            yield "files", run


def iter_items(paths: Iterable[str | Path] = (), files_from: str | None = None,
               shard: tuple[int, int] | None = None, follow_symlinks: bool = False,
               exclude: Iterable[str | Path] = ()) -> Iterator[Item]:
    """Articles in a stable order, lazily (a list of millions of paths is never held): article
    tables given as arguments first, row by row; then files and folders, then --files-from.
    exclude: the run's own output files, never read as articles."""
    seen_dirs: set = set()
    skip = Exclude(exclude)
    for kind, what in _inputs(paths, files_from):
        if kind == "table":
            yield from (it for it in _table_rows(what) if in_shard(it.doc_id, shard))
            continue
        for a in iter_articles(what, follow_symlinks, None, skip, seen_dirs):
            if in_shard(a.doc_id, shard):
                yield Item(a.doc_id, a.key, path=str(a.path), error=a.error)
