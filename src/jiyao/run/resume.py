"""What an output already holds, in a few bytes per record: which files (origin path + content
hash) have records, which paths, and which doc_ids are taken.

Keys are fixed-size digests in sorted numpy arrays (16 bytes per origin, 8 per path and per
doc_id), so resuming a run over a large output neither re-reads records into memory nor grows
with their size. A false match on an origin would skip a file, so origins get 128 bits; paths
and doc_ids only decide "changed" and the suffix of a colliding doc_id, 64 bits is plenty.
"""
from __future__ import annotations

import hashlib

from ..read.keys import KeySet, digest


class ResumeIndex:
    def __init__(self):
        self.origins = KeySet(16)  # (path, sha256): this file, with these bytes, has a record
        self.paths = KeySet(8)  # path: some version of this file has a record
        self.ids = KeySet(8)  # doc_ids taken
        self.legacy = KeySet(8)  # doc_ids of records without an origin (written before origins existed)

    def add(self, doc_id: str, origin: dict | None) -> None:
        self.ids.add(digest(doc_id, size=8))
        if isinstance(origin, dict) and isinstance(origin.get("path"), str) and isinstance(origin.get("sha256"), str):
            self.claim(origin["path"], origin["sha256"])
        else:
            self.legacy.add(digest(doc_id, size=8))

    def state(self, path: str, sha256: str, doc_id: str) -> str:
        """'done' (a record of these bytes exists or is being made), 'changed' (a record of an
        older version exists) or 'new'. An old output without origins resumes by doc_id."""
        if digest(path, sha256) in self.origins:
            return "done"
        if digest(path, size=8) in self.paths:
            return "changed"
        return "done" if digest(doc_id, size=8) in self.legacy else "new"

    def claim(self, path: str, sha256: str) -> None:
        """Mark a file as taken before it is extracted: a file named twice is extracted once."""
        self.origins.add(digest(path, sha256))
        self.paths.add(digest(path, size=8))

    def unique_id(self, stem: str, path: str, changed: bool) -> str:
        """The doc_id for a file: its stem, or stem__<hash of its path> when another file took the
        stem. Deterministic, so a changed file gets back the id it had (a/report.txt keeps
        `report`, b/report.txt keeps `report__1a2b3c4d`) whatever order the files came in."""
        suffixed = suffixed_id(stem, path)
        if changed:
            chosen = suffixed if digest(suffixed, size=8) in self.ids else stem
        else:
            chosen = stem if digest(stem, size=8) not in self.ids else suffixed
        self.ids.add(digest(chosen, size=8))
        return chosen

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes for k in (self.origins, self.paths, self.ids, self.legacy))


def suffixed_id(stem: str, path: str) -> str:
    """The doc_id of a file whose stem another file took: stem__<8 hex of its path>."""
    return f"{stem}__{hashlib.sha1(path.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
