"""What the commands are given, checked before any work: a value that would make every call fail
(a negative rate limit, a NaN temperature, a zero timeout) or a base URL without a scheme is a
one-line error with exit 2, not a run of error lines or "endpoint looks dead" after 20 s."""
from __future__ import annotations

import math
import sys
from urllib.parse import urlsplit

import typer
from rich.console import Console

err = Console(stderr=True)


def fail(message: str) -> None:
    """A one-line error and exit 2 (never Rich markup: paths may hold [brackets])."""
    err.print(f"error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


def _positive(v) -> bool:
    return v is None or (math.isfinite(v) and v > 0)


def _at_least(low):
    return lambda v: v is None or v >= low


# option → (test, what it must be); None passes: the option was not given
RULES = {
    "--concurrency": (_at_least(1), "a whole number of at least 1"),
    "--timeout": (_positive, "a number of seconds above 0"),
    "--rpm": (_at_least(1), "a whole number of at least 1 (or left out: no limit)"),
    "--tpm": (_at_least(1), "a whole number of at least 1 (or left out: no limit)"),
    "--max-calls": (_at_least(1), "a whole number of at least 1"),
    "--temperature": (lambda v: v is None or (math.isfinite(v) and 0 <= v <= 2), "a number from 0 to 2"),
    "--max-tokens": (_at_least(1), "a whole number of at least 1"),
    "--retry-budget": (_at_least(0), "a whole number of at least 0 (or left out: it scales with the run)"),
    "--workers": (_at_least(0), "a whole number of at least 0 (0: every core)"),
    "--max-requests": (_at_least(1), "a whole number of at least 1"),
    "--partition-size": (_at_least(1), "a whole number of at least 1"),
}


def check(**options) -> None:
    """check(rpm=-5, ...): keyword names as the parameters are called (max_calls → --max-calls)."""
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        test, want = RULES[flag]
        if not test(value):
            fail(f"{flag} {value}: must be {want}")


def check_base_url(base_url: str | None) -> None:
    """An OpenAI-compatible base URL names its scheme: `localhost:8000/v1` is read by the client
    as a relative path, and every call then fails as if the endpoint were dead."""
    if not base_url:
        return
    if "://" in base_url and not base_url.lower().startswith(("http://", "https://")):
        fail(f"base URL {base_url!r} (--base-url or OPENAI_BASE_URL): only http:// and https:// are spoken")
    if not base_url.lower().startswith(("http://", "https://")):
        like = "http://HOST:PORT/v1" if base_url.lower().startswith(("http:", "https:")) else f"http://{base_url}"
        fail(f"base URL {base_url!r} (--base-url or OPENAI_BASE_URL) has no scheme: write it as {like} (or https://)")
    try:
        host = urlsplit(base_url).hostname
    except ValueError:  # a bad port or bracket
        host = None
    if not host:  # the client would fail every call as if the endpoint were dead
        fail(f"base URL {base_url!r} (--base-url or OPENAI_BASE_URL) names no host, e.g. http://127.0.0.1:8000/v1")


def utf8_safe_streams() -> None:
    """Messages never crash on a terminal that cannot show Chinese (PYTHONIOENCODING=latin-1,
    LC_ALL=C): what the stream cannot encode is written as \\uXXXX. Records to stdout are written
    as UTF-8 bytes whatever the locale (run/records.StreamWriter)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot be reconfigured
                pass
