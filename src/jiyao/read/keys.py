"""Compact sets of fixed-size keys: digests in sorted numpy arrays, a few bytes each. The resume
index (run/resume.py) holds every record of an output in them; a table's reader holds every id it
has seen, to refuse a repeated one."""
from __future__ import annotations

import hashlib

import numpy as np

_MERGE_EVERY = 65536  # keys held in a Python set before they join the sorted array


def digest(*parts: str, size: int = 16) -> bytes:
    d = bytearray(hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=size).digest())
    d[-1] |= 1  # numpy's fixed-width bytes drop trailing NULs: never end a key with one
    return bytes(d)


class KeySet:
    """A set of fixed-size byte keys in about `size` bytes each."""

    def __init__(self, size: int):
        self._dtype = f"S{size}"
        self._sorted = np.empty(0, self._dtype)
        self._new: set[bytes] = set()

    def add(self, key: bytes) -> None:
        self._new.add(key)
        if len(self._new) >= _MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        fresh = np.fromiter(self._new, self._dtype, len(self._new))
        self._sorted = np.unique(np.concatenate([self._sorted, fresh]))  # unique sorts
        self._new.clear()

    def __contains__(self, key: bytes) -> bool:
        if key in self._new:
            return True
        i = int(np.searchsorted(self._sorted, key))
        return i < len(self._sorted) and self._sorted[i] == key

    def __len__(self) -> int:
        return len(self._sorted) + len(self._new)

    @property
    def nbytes(self) -> int:
        return self._sorted.nbytes + len(self._new) * (self._sorted.itemsize + 80)
