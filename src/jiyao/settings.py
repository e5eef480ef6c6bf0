"""Every user-facing default and environment variable, defined once: the CLI's options, the Python
API and the pipeline read them from here."""
from __future__ import annotations

from enum import Enum

# Environment variables (the CLI shows them in --help; the API reads them when an argument is None)
ENV_MODEL = "JIYAO_MODEL"
ENV_BASE_URL = "OPENAI_BASE_URL"
ENV_API_KEY = "OPENAI_API_KEY"

BACKENDS = ("auto", "offline", "llm", "hybrid")
MODES = ("tools", "json_schema", "json", "md_json")  # instructor modes, by the names users type
STRATEGIES = ("oneshot", "focused")  # hybrid: one whole-record prompt, or short questions (questions.py)

CONCURRENCY = 4  # requests in flight
RETRY_BUDGET: int | None = None  # fault retries for a whole run; None = scales with the run (limits.RetryBudget)
TIMEOUT_S = 120.0  # per request
TEMPERATURE = 0.0
MAX_TOKENS = 2048
VALIDATION_RETRIES = 2  # re-asks after the first answer
PARTITION_SIZE = 500  # jiyao distributed: articles per task (amortises a task, cheap to resume)


def resolve_backend(backend: str, endpoint_configured: bool) -> str:
    """`auto` is hybrid when an endpoint is configured, offline when none is."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "auto":
        return "hybrid" if endpoint_configured else "offline"
    return backend


# The choices as the command line offers them (typer shows and checks Enum values)
Backend = Enum("Backend", {b: b for b in BACKENDS}, type=str)
Mode = Enum("Mode", {m: m for m in MODES}, type=str)
Strategy = Enum("Strategy", {s: s for s in STRATEGIES}, type=str)
