"""A value a recogniser found, with its offset in the normalised text."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Found:
    value: str
    start: int  # offset in the normalised text
