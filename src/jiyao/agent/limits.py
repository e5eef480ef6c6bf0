"""Bounds on what a run may spend: rate limits, retry budgets, call caps, a dead-endpoint breaker.

Hosted APIs limit requests and tokens per minute; a run of a million articles must stay under
both without a 429 storm (RateLimits, aiolimiter's leaky bucket). Faults are retried, but the
retries of the whole run are bounded by a budget that grows with the number of articles
(RetryBudget), one article cannot turn into hundreds of calls (Allowance), and an endpoint that
refuses every connection ends the run instead of costing a minute of backoff per article (Breaker).
"""
from __future__ import annotations

import time

from aiolimiter import AsyncLimiter

# Default run-wide fault retries: a floor for small runs, plus this many per article started.
RETRY_FLOOR = 20
RETRIES_PER_ARTICLE = 0.5


class RetryBudget:
    """Run-wide cap on fault retries, so a flaky or dead endpoint cannot make a run last for hours.

    A fixed total (``RetryBudget(100)``; 0 = never retry) or, by default, one that scales with
    the run: RETRY_FLOOR plus RETRIES_PER_ARTICLE for every article started, so a run of 100k
    articles may ride out a few outages while a run of 10 still gives up quickly."""

    def __init__(self, total: int | None = None, floor: int = RETRY_FLOOR, per_article: float = RETRIES_PER_ARTICLE):
        self.fixed = total is not None
        self._allowed = float(total if total is not None else floor)
        self.per_article = per_article
        self.used = 0

    def grow(self) -> None:
        """One more article started (a fixed budget does not grow)."""
        if not self.fixed:
            self._allowed += self.per_article

    @property
    def left(self) -> int:
        return max(0, int(self._allowed) - self.used)

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.used += 1
        return True


class Allowance:
    """Calls one article may make (its chunks, their re-asks and retries together)."""

    def __init__(self, total: int):
        self.total = total
        self.used = 0

    def take(self) -> bool:
        if self.used >= self.total:
            return False
        self.used += 1
        return True


class Breaker:
    """Connection failures (refused, reset, timed out) in a row, across the whole run. Any
    response from the server, even an error status, resets it. The endpoint is taken for dead
    after `threshold` failures spanning at least `min_span_s` seconds: a burst of 64 requests
    overflowing a server's accept queue at once is a hiccup, not a dead endpoint."""

    def __init__(self, threshold: int = 5, min_span_s: float = 10.0):
        self.threshold = max(1, threshold)
        self.min_span_s = min_span_s
        self.failures = 0
        self._since = 0.0

    def ok(self) -> None:
        self.failures = 0

    def failed(self) -> bool:
        """Count one failure; True when the endpoint is now taken for dead."""
        if self.failures == 0:
            self._since = time.monotonic()
        self.failures += 1
        return self.failures >= self.threshold and time.monotonic() - self._since >= self.min_span_s


def estimate_tokens(messages: list[dict], max_tokens: int) -> int:
    """Tokens a request may count against a tokens-per-minute limit before its usage is known:
    one per character of the prompt (Chinese text is about one token per character; English
    is fewer, so this errs on the safe side) plus the completion allowance, as hosted APIs count."""
    chars = sum(len(m.get("content") or "") if isinstance(m.get("content"), str) else len(str(m.get("content")))
                for m in messages)
    return chars + max_tokens


class RateLimits:
    """Requests-per-minute and tokens-per-minute limits; either may be None (no limit). A full
    minute's allowance may go at once (the bucket starts full), then it refills steadily."""

    def __init__(self, rpm: int | None = None, tpm: int | None = None, period_s: float = 60.0):
        self.requests = AsyncLimiter(rpm, period_s) if rpm else None
        self.tokens = AsyncLimiter(tpm, period_s) if tpm else None

    async def acquire(self, messages: list[dict], max_tokens: int) -> None:
        if self.requests is not None:
            await self.requests.acquire()
        if self.tokens is not None:
            # a request larger than the whole minute's budget waits for a full bucket, not forever
            await self.tokens.acquire(min(estimate_tokens(messages, max_tokens), self.tokens.max_rate))
