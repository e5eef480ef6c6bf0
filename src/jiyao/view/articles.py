"""Finding the article file a record came from, to show or cut its original text."""
from __future__ import annotations

from pathlib import Path

from ..read.document import Document, ReadError, read_file
from ..read.walk import safe_doc_id


class Articles:
    """doc_id → original text of the article, from a folder of article files. A record's
    `origin.path` wins when it lies in the folder; else the file whose stem gives the doc_id."""

    def __init__(self, root: str | Path | None):
        self.root = Path(root) if root else None
        self._by_id: dict[str, Path] | None = None

    def _index(self) -> dict[str, Path]:
        if self._by_id is None:
            self._by_id = {}
            if self.root is not None:
                for p in sorted(self.root.rglob("*")):
                    if p.is_file():
                        self._by_id.setdefault(safe_doc_id(p.stem), p)
        return self._by_id

    def path(self, record: dict) -> Path | None:
        if self.root is None:
            return None
        origin = record.get("origin")
        named = origin.get("path") if isinstance(origin, dict) else None
        if isinstance(named, str) and "#" not in named:
            # origin.path is the file as it was named to jiyao extract (relative to where it ran):
            # trusted only when it lies inside the given articles folder
            for p in (Path(named), self.root / named):
                p = p.resolve()
                if p.is_file() and self.root.resolve() in p.parents:
                    return p
        return self._index().get(record.get("doc_id", ""))

    def document(self, record: dict) -> Document | None:
        p = self.path(record)
        if p is None:
            return None
        try:
            return read_file(p, record.get("doc_id"))
        except (ReadError, OSError):
            return None
