"""The LLM layer: any OpenAI-compatible endpoint through `openai` + `instructor`.

- validation errors (schema, or values not found in the article) are re-asked by instructor;
- API faults (429, 5xx, timeouts, connection resets) are retried by tenacity with exponential
  backoff and jitter, honouring Retry-After, within a per-article and a run-wide retry budget;
- every attempt's tokens are counted, failed attempts included.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import time
import typing
from dataclasses import dataclass, field

import instructor
try:  # instructor >= 1.11 keeps its exceptions here; older releases in instructor.exceptions
    from instructor.core.exceptions import InstructorRetryException
except ImportError:  # pragma: no cover
    from instructor.exceptions import InstructorRetryException
import openai
from pydantic import BaseModel, ValidationInfo, model_validator
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from .schema import ISO_DATE, MEETING_DATE, ExtractedReport

# json: response_format json_object + the schema in the prompt, for servers without json_schema
# (llama-cpp-python's server, older Ollama).
MODES = {"tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA, "json": instructor.Mode.JSON,
         "md_json": instructor.Mode.MD_JSON}


class LLMError(Exception):
    """The endpoint could not produce a record for this article; the message says why."""

    def __init__(self, message: str, stats: "CallStats | None" = None):
        super().__init__(message)
        self.stats = stats


@dataclass
class EndpointConfig:
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    mode: str | None = None
    temperature: float = 0.0
    max_tokens: int = 2048
    timeout_s: float = 120.0
    validation_retries: int = 2  # re-asks after the first answer
    api_retries: int = 6  # per article, for faults
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0

    @classmethod
    def from_env(cls, **overrides) -> "EndpointConfig":
        vals = {"model": os.environ.get("JIYAO_MODEL"), "base_url": os.environ.get("OPENAI_BASE_URL"),
                "api_key": os.environ.get("OPENAI_API_KEY")}
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


class RetryBudget:
    """Run-wide cap on fault retries, so a dead endpoint cannot make a run last for hours."""

    def __init__(self, total: int):
        self.left = total

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


@dataclass
class CallStats:
    attempts: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    errors: list[str] = field(default_factory=list)


def _submodel(annotation) -> type[BaseModel] | None:
    """The model inside a field's type: Meeting | None, list[Person] → Meeting, Person."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for a in typing.get_args(annotation) if (m := _submodel(a))), None)


def _prune(data, model: type[BaseModel]):
    """Keys the schema does not know, removed at every level: small models echo hint keys
    (offsets_of_people) or add their own, and a whole answer should not fail for that."""
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        f = model.model_fields.get(key)
        if f is None:
            continue
        sub = _submodel(f.annotation)
        if sub is not None:
            value = [_prune(v, sub) for v in value] if isinstance(value, list) else _prune(value, sub)
        out[key] = value
    return out


class GroundedReport(ExtractedReport):
    """The answer schema with one more rule: every copied value must be in the article."""

    @model_validator(mode="before")
    @classmethod
    def _drop_unknown_keys(cls, data):
        return _prune(data, ExtractedReport)

    @model_validator(mode="after")
    def _values_in_article(self, info: ValidationInfo):
        ctx = info.context or {}
        contains = ctx.get("contains")
        if contains is None:
            return self
        problems = []
        missing = [v for v in _copied_values(self) if not contains(v)]
        if missing:
            problems.append("These values do not occur in the article; copy values exactly as written or leave them "
                            "out: " + "; ".join(missing[:20]))
        dates = [("source.published_date", self.source.published_date, ISO_DATE, "YYYY-MM-DD"),
                 ("meeting.date", self.meeting.date if self.meeting else None, MEETING_DATE, "YYYY-MM-DD or --MM-DD")]
        problems += [f"{f} must be {form} or null, not {v!r}." for f, v, rx, form in dates if v and not rx.fullmatch(v)]
        if problems:
            raise ValueError(" ".join(problems))
        return self


def _copied_values(r: ExtractedReport) -> list[str]:
    vals = [r.headline, r.source.outlet, *r.source.reporters, *r.source.photographers, *r.source.editors,
            *r.upstream_meetings, *r.slogans]
    if r.meeting:
        vals += [r.meeting.name, r.meeting.venue, r.meeting.organizer]
    for p in r.people:
        vals += [p.name, *p.titles]
    return [v for v in vals if v]


def _is_fault(exc: BaseException) -> bool:
    exc = _root(exc)
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, asyncio.TimeoutError))


def _root(exc: BaseException) -> BaseException:
    while isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def _retry_after(exc: BaseException) -> float | None:
    exc = _root(exc)
    resp = getattr(exc, "response", None)
    if resp is None:
        return None
    value = resp.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class LLMClient:
    def __init__(self, cfg: EndpointConfig, budget: RetryBudget | None = None):
        self.cfg = cfg
        self.mode = cfg.resolved_mode()
        self.budget = budget or RetryBudget(10_000)
        # openai's own retries are off: tenacity owns them, so attempts are counted and bounded.
        self.openai = openai.AsyncOpenAI(base_url=cfg.base_url, api_key=cfg.api_key or "not-needed",
                                         timeout=cfg.timeout_s, max_retries=0)

    def _wait(self, retry_state) -> float:
        exc = retry_state.outcome.exception()
        after = _retry_after(exc) if exc else None
        if after is not None:
            return min(after, self.cfg.backoff_max_s)
        base = self.cfg.backoff_initial_s * (2 ** (retry_state.attempt_number - 1))
        return min(self.cfg.backoff_max_s, base) * (0.5 + random.random())  # full jitter around the base

    async def extract(self, messages: list[dict], contains=None,
                      answer_model: type[BaseModel] | None = None) -> tuple[ExtractedReport, CallStats, list[str]]:
        """(answer, stats, warnings). Raises LLMError when no answer could be had. answer_model: a
        smaller answer schema (the focused questions'); default the whole grounded record."""
        stats = CallStats()
        warnings: list[str] = []
        t0 = time.monotonic()

        def should_retry(exc: BaseException) -> bool:
            return _is_fault(exc) and self.budget.take()

        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(self.cfg.api_retries + 1), wait=self._wait,
                                               retry=retry_if_exception(should_retry), reraise=True):
                with attempt:
                    result = await self._once(messages, contains, stats, warnings, answer_model)
        except LLMError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a per-article error
            root = _root(exc)
            stats.latency_s = time.monotonic() - t0
            raise LLMError(f"{type(root).__name__}: {str(root)[:300]}", stats) from exc
        stats.latency_s = time.monotonic() - t0
        return result, stats, warnings

    async def _once(self, messages, contains, stats: CallStats, warnings: list[str], answer_model=None) -> ExtractedReport:
        ic = instructor.from_openai(self.openai, mode=MODES[self.mode])

        def on_kwargs(*_a, **_k):
            stats.attempts += 1
            stats.calls += 1

        def on_response(response, *_a, **_k):
            usage = getattr(response, "usage", None)
            if usage is not None:
                stats.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
                stats.completion_tokens += getattr(usage, "completion_tokens", 0) or 0

        ic.on("completion:kwargs", on_kwargs)
        ic.on("completion:response", on_response)
        try:
            return await ic.chat.completions.create(
                model=self.cfg.model, messages=messages, response_model=answer_model or GroundedReport,
                max_retries=self.cfg.validation_retries, context={"contains": contains},
                temperature=self.cfg.temperature, max_tokens=self.cfg.max_tokens,
            )
        except InstructorRetryException as exc:
            if _is_fault(exc):
                raise
            # Out of re-asks on validation: keep the last answer if it parses; grounding then
            # drops whatever is still not in the article.
            last = exc.last_completion
            text = _completion_json(last)
            if text is not None:
                try:  # leniently: unknown keys pruned, as for a validated answer
                    lenient = answer_model or ExtractedReport
                    report = lenient.model_validate(_prune(json.loads(text), lenient))
                    warnings.append(f"validation retries exhausted: {str(_root(exc))[:200]}")
                    return report
                except Exception:  # noqa: BLE001
                    pass
            raise LLMError(f"no valid answer after {stats.attempts} attempts: {str(_root(exc))[:300]}", stats) from exc

    async def aclose(self) -> None:
        await self.openai.close()


def _completion_json(completion) -> str | None:
    """The JSON text of a chat completion, from a tool call or the message content."""
    try:
        msg = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    if getattr(msg, "tool_calls", None):
        return msg.tool_calls[0].function.arguments
    content = msg.content or ""
    if "```" in content:
        parts = content.split("```")
        content = parts[1][4:] if parts[1].startswith("json") else parts[1]
    return content or None
