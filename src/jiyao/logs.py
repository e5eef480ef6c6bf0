"""Logging for the CLI: -q shows errors only, -v info, -vv debug. instructor, openai and httpx log
at INFO on every call; their lines stay off unless -vv asks for them."""
from __future__ import annotations

import logging
import sys

_NOISY = ("instructor", "openai", "httpx", "httpcore")
_state = {"verbosity": 0}


def configure(verbosity: int) -> None:
    """verbosity: -1 quiet, 0 warnings, 1 info, 2+ debug (third-party libraries too)."""
    _state["verbosity"] = verbosity
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    root = logging.getLogger("jiyao")
    root.setLevel(level)
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)


def quiet() -> bool:
    return _state["verbosity"] < 0
