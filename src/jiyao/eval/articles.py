"""Finding the article a record was made from, to check or show its evidence: by the record's
origin path first, then by its doc_id, and only a file whose bytes hash to the record's
origin.sha256 (when it has one) — evidence offsets cut from another file would mislead.

origin.path is the article file relative to the folder of the records file (absolute outside
it), or `<table>#<row id>` for a table row. From another working folder that path means nothing by itself, so it is tried inside the given articles folder by its tails too:
`in/b/report.txt` is found as `b/report.txt` under `--articles /data/in`. The doc_id is the file
stem, or `stem__<hash>` when another file took the stem, or a table row's id.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..read.document import Document, ReadError, document, from_text, read_bytes
from ..read.walk import safe_doc_id

TABLE_SUFFIXES = (".jsonl", ".parquet")
ID_COLUMNS = ("id", "doc_id")


def _inside(p: Path, root: Path) -> bool:
    return p == root or root in p.parents


class Articles:
    """doc_id/origin → the original article of a record, from a folder of article files and
    tables (or one file). Nothing outside the given folder is read."""

    def __init__(self, root: str | Path | None):
        self.root = Path(root).resolve() if root else None
        self._by_stem: dict[str, list[Path]] | None = None
        self._tables: dict[Path, dict[str, str]] = {}

    # -- candidates --------------------------------------------------------------------------
    def _under_root(self, named: str) -> list[Path]:
        """Files inside the root that a path as named may be: the path itself (absolute, or from
        here), then the root joined with it and with each of its tails, longest first."""
        out = []
        p = Path(named)
        parts = p.parts[1:] if p.is_absolute() else p.parts
        # the root itself when it is the one file named (`--articles table.jsonl`)
        alone = [self.root] if self.root.is_file() and self.root.name == p.name else []
        for cand in (p, *alone, *(self.root.joinpath(*parts[i:]) for i in range(len(parts)))):
            try:
                cand = cand.resolve()
            except (OSError, RuntimeError):
                continue
            if cand.is_file() and _inside(cand, self.root) and cand not in out:
                out.append(cand)
        return out

    def _stems(self) -> dict[str, list[Path]]:
        if self._by_stem is None:
            self._by_stem = {}
            files = [self.root] if self.root.is_file() else sorted(p for p in self.root.rglob("*") if p.is_file())
            for p in files:
                self._by_stem.setdefault(safe_doc_id(p.stem), []).append(p)
        return self._by_stem

    def _by_doc_id(self, doc_id: str) -> list[Path]:
        stem = doc_id.rsplit("__", 1)[0] if "__" in doc_id else doc_id
        found = self._stems()
        return list(dict.fromkeys(found.get(doc_id, []) + found.get(stem, [])))

    # -- reading -----------------------------------------------------------------------------
    def _rows(self, table: Path) -> dict[str, str]:
        """A table's rows, id → text (read once per table)."""
        if table not in self._tables:
            rows: dict[str, str] = {}
            if table.suffix.lower() == ".parquet":
                import pyarrow.parquet as pq

                pf = pq.ParquetFile(table)
                id_col = next((c for c in ID_COLUMNS if c in pf.schema_arrow.names), None)
                if id_col and "text" in pf.schema_arrow.names:
                    for batch in pf.iter_batches(columns=[id_col, "text"], batch_size=1024):
                        for row in batch.to_pylist():
                            rows.setdefault(str(row[id_col]), row["text"])
            else:
                with open(table, encoding="utf-8-sig", errors="replace") as f:
                    for line in f:
                        try:
                            row = json.loads(line)
                        except ValueError:
                            continue
                        raw = next((row[c] for c in ID_COLUMNS if row.get(c) is not None), None) \
                            if isinstance(row, dict) else None
                        if raw is not None and isinstance(row.get("text"), str):
                            rows.setdefault(str(raw), row["text"])
            self._tables[table] = rows
        return self._tables[table]

    def _row(self, named: str, doc_id: str, sha: str | None) -> Document | None:
        """A table row named `<table>#<id>` (the table's own name may hold a `#`)."""
        at = named.find("#")
        while at >= 0:
            table, row_id = named[:at], named[at + 1:]
            if table.lower().endswith(TABLE_SUFFIXES):
                for path in self._under_root(table):
                    try:
                        text = self._rows(path).get(row_id)
                    except (OSError, ValueError, ImportError):
                        continue
                    if text is not None and (sha is None or hashlib.sha256(text.encode("utf-8")).hexdigest() == sha):
                        return from_text(text, doc_id, named)
            at = named.find("#", at + 1)
        return None

    def _file(self, path: Path, doc_id: str, sha: str | None) -> Document | None:
        try:
            data = read_bytes(path)
            if sha is not None and hashlib.sha256(data).hexdigest() != sha:
                return None  # another file of that name, or this one changed since: not the record's
            return document(data, doc_id, path)
        except (ReadError, OSError):
            return None

    def document(self, record: dict) -> Document | None:
        """The record's article, or None when no file in the folder is it."""
        if self.root is None or not self.root.exists():
            return None
        doc_id = record.get("doc_id") if isinstance(record.get("doc_id"), str) else ""
        origin = record.get("origin") if isinstance(record.get("origin"), dict) else {}
        named = origin.get("path") if isinstance(origin.get("path"), str) else None
        sha = origin.get("sha256") if isinstance(origin.get("sha256"), str) else None
        tried: set[Path] = set()
        if named:
            if "#" in named:
                row = self._row(named, doc_id, sha)
                if row is not None:
                    return row
            for path in self._under_root(named):
                tried.add(path)
                doc = self._file(path, doc_id, sha)
                if doc is not None:
                    return doc
        for path in self._by_doc_id(doc_id):
            if path in tried or path.suffix.lower() in TABLE_SUFFIXES:
                continue
            doc = self._file(path, doc_id, sha)
            if doc is not None:
                return doc
            if sha is None:  # a record without origin (written before origins existed): the stem decides
                break
        return None
