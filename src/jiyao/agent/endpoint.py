"""What the LLM layer is configured with and what it raises. Light on purpose (no openai, no
instructor): the CLI and the API import it even for offline runs."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .. import settings

# json: response_format json_object + the schema in the prompt, for servers without json_schema
# (llama-cpp-python's server, older Ollama).
MODE_NAMES = settings.MODES


class LLMError(Exception):
    """The endpoint could not produce a record for this article; the message says why."""

    def __init__(self, message: str, stats: "CallStats | None" = None):
        super().__init__(message)
        self.stats = stats


class EndpointFatal(LLMError):
    """No article can succeed (bad key, unknown model, dead endpoint): the run stops."""


class EndpointDead(EndpointFatal):
    """The endpoint stopped answering (connection failures or timeouts in a row): nothing more is
    sent. The llm backend stops the run; hybrid keeps the rules' record for every article left."""


@dataclass
class EndpointConfig:
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a repr: dask logs a failed task's arguments
    mode: str | None = None
    temperature: float = settings.TEMPERATURE
    max_tokens: int = settings.MAX_TOKENS
    timeout_s: float = settings.TIMEOUT_S  # total per request, not per read
    validation_retries: int = settings.VALIDATION_RETRIES  # re-asks after the first answer
    api_retries: int = 6  # per article, for faults
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0
    rpm: int | None = None  # requests per minute, None = no limit
    tpm: int | None = None  # tokens per minute (prompt estimate + max_tokens), None = no limit
    max_calls: int = 60  # per article: chunks × attempts; an 8 MB file must not become 500 calls
    dead_after: int = 5  # connection failures in a row that mark the endpoint dead ...
    dead_after_s: float = 10.0  # ... if they span at least this long (limits.Breaker)

    @classmethod
    def from_env(cls, **overrides) -> "EndpointConfig":
        vals = {"model": os.environ.get(settings.ENV_MODEL), "base_url": os.environ.get(settings.ENV_BASE_URL),
                "api_key": os.environ.get(settings.ENV_API_KEY)}
        vals.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**vals)

    @property
    def configured(self) -> bool:
        return bool(self.model and (self.base_url or self.api_key))

    def resolved_mode(self) -> str:
        """tools for hosted APIs that implement tool calls well; json_schema for local servers
        (llama.cpp, vLLM, Ollama) whose grammar-constrained JSON is more reliable than tools."""
        if self.mode:
            return self.mode
        url = (self.base_url or "https://api.openai.com").lower()
        if any(h in url for h in ("localhost", "127.0.0.1", "0.0.0.0", ":11434", ":8080", ":8000")):
            return "json_schema"
        return "tools"

    def redact(self, text: str, limit: int | None = None) -> str:
        """The configured key cut out of a message (some endpoints echo it in their error body),
        then the message shortened to `limit` characters."""
        return redact(text, self.api_key, limit)


def redact(text: str, secret: str | None, limit: int | None = None) -> str:
    """`text` without `secret`, then cut to `limit`: in that order, or a key longer than the
    limit (a 1,000-character JWT) would be cut first and no longer match."""
    if secret and len(secret) >= 4 and secret in text:
        text = text.replace(secret, "[redacted key]")
    return text if limit is None else text[:limit]


@dataclass
class CallStats:
    attempts: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # pointers of the answer dropped for breaking the format
    notes: list[str] = field(default_factory=list)  # why the answer is partial though valid (cut at max_tokens…)
