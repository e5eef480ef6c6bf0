"""The LLM layer: any OpenAI-compatible endpoint through `openai`, with instructor's request,
parse and re-ask handlers for the chosen mode.

- the request (the answer's JSON schema as tools / response_format / system text) is built once
  per system prompt, not once per call;
- answers are validated against the article with a pydantic validation context passed straight
  to pydantic: messages are never rendered as templates, so article text such as `{{ 1/0 }}`
  or `{#` stays data (instructor's `context=` would render every message with Jinja);
- validation errors (schema, or values not found in the article) are re-asked with instructor's
  re-ask message for the mode;
- API faults (429, 5xx, timeouts, connection resets) are retried with exponential backoff and
  jitter (tenacity), honouring Retry-After, within a per-article and a run-wide retry budget (limits.py);
- each request has a TOTAL deadline (a server dripping one byte a second still times out);
- authentication / unknown-model errors and a dead endpoint stop the run (EndpointFatal);
- every attempt's tokens are counted, failed attempts included; the API key never appears in
  a message jiyao writes.

openai and instructor are imported here only, and this module is imported only when an endpoint
is used, so offline runs and `jiyao --help` start fast.
"""
from __future__ import annotations

import asyncio
import json
import random
import time
import typing

import instructor
import openai
from instructor.v2.core.providers import Provider
from instructor.v2.core.registry import mode_registry
from instructor.v2.core.response_model import prepare_response_model
from instructor.core.exceptions import AsyncValidationError, ResponseParsingError
from pydantic import BaseModel, ValidationError, ValidationInfo, model_validator
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from .endpoint import MODE_NAMES, CallStats, EndpointConfig, EndpointFatal, LLMError  # noqa: F401 - re-exported
from .limits import Allowance, Breaker, RateLimits, RetryBudget
from ..ground.checks import answer_problems
from ..schema import ISO_DATE, MEETING_DATE, ExtractedReport

MODES = {name: getattr(instructor.Mode, name.upper()) for name in MODE_NAMES}
_PLACEHOLDER = "\x00jiyao-user-messages\x00"
# what instructor re-asks on: the answer did not parse or did not validate
_REASKABLE = (ValidationError, json.JSONDecodeError, AsyncValidationError, ResponseParsingError)


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
        problems = answer_problems(self, contains)  # the grounding matcher: a correct value is never re-asked
        dates = [("source.published_date", self.source.published_date, ISO_DATE, "YYYY-MM-DD"),
                 ("meeting.date", self.meeting.date if self.meeting else None, MEETING_DATE, "YYYY-MM-DD or --MM-DD")]
        problems += [f"{f} must be {form} or null, not {v!r}." for f, v, rx, form in dates if v and not rx.fullmatch(v)]
        if problems:
            raise ValueError(" ".join(problems))
        return self


class EmptyResponse(Exception):
    """A 200 answer without a single choice: a server hiccup, retried like a 5xx."""


def _is_fault(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, TimeoutError, EmptyResponse))


def _is_fatal(exc: BaseException) -> bool:
    """Errors no retry and no other article can fix: a bad key, no access, no such model."""
    return isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError))


def _retry_after(exc: BaseException) -> float | None:
    resp = getattr(exc, "response", None)
    if resp is None:
        return None
    value = resp.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class _Request:
    """instructor's request kwargs for one mode, built once per system prompt: building them
    renders the answer's JSON schema (milliseconds a call); only the messages after the system
    prompt differ from article to article."""

    def __init__(self, mode: str, answer_model: type[BaseModel] = None):
        self.handlers = mode_registry.get_handlers(Provider.OPENAI, MODES[mode])
        self.answer_model = answer_model or GroundedReport
        self.model = prepare_response_model(self.answer_model)
        self._by_system: dict[str, tuple[dict, int, list[str]]] = {}

    def kwargs(self, messages: list[dict], **params) -> dict:
        system = messages[0]["content"] if messages and messages[0].get("role") == "system" else None
        if system is None:  # no system prompt to key on: prepare this one request
            return self.handlers.request_handler(response_model=self.model, kwargs={"messages": messages, **params})[1]
        if system not in self._by_system:
            _, kw = self.handlers.request_handler(
                response_model=self.model, kwargs={"messages": [messages[0], {"role": "user", "content": _PLACEHOLDER}]})
            at = next(i for i, m in enumerate(kw["messages"]) if _PLACEHOLDER in str(m.get("content")))
            around = kw["messages"][at]["content"].split(_PLACEHOLDER)  # md_json appends an instruction
            self._by_system[system] = (kw, at, around)
        kw, at, (before, after) = self._by_system[system]
        tail = list(messages[1:])
        if (before or after) and tail:
            tail[-1] = {**tail[-1], "content": before + tail[-1]["content"] + after}
        return {**kw, **params, "messages": kw["messages"][:at] + tail + kw["messages"][at + 1:]}

    def parse(self, response, contains):
        return self.handlers.response_parser(response=response, response_model=self.model,
                                             validation_context={"contains": contains}, strict=True,
                                             stream=False, is_async=True)

    def reask(self, kwargs: dict, response, exc: Exception) -> dict:
        return self.handlers.reask_handler(kwargs={**kwargs, "messages": list(kwargs["messages"])},
                                           response=response, exception=exc)


class LLMClient:
    def __init__(self, cfg: EndpointConfig, budget: RetryBudget | None = None):
        self.cfg = cfg
        self.mode = cfg.resolved_mode()
        self.budget = budget or RetryBudget(10_000)
        self.limits = RateLimits(cfg.rpm, cfg.tpm)
        self.breaker = Breaker(cfg.dead_after, cfg.dead_after_s)
        self.fatal: EndpointFatal | None = None
        self._requests: dict[type, _Request] = {}  # one per answer schema (the focused questions' are small)
        # openai's own retries are off: this layer owns them, so attempts are counted and bounded.
        self.openai = openai.AsyncOpenAI(base_url=cfg.base_url, api_key=cfg.api_key or "not-needed",
                                         timeout=cfg.timeout_s, max_retries=0)

    def _wait(self, retry_state) -> float:
        after = _retry_after(retry_state.outcome.exception())
        if after is not None:
            return min(after, self.cfg.backoff_max_s)
        base = self.cfg.backoff_initial_s * (2 ** (retry_state.attempt_number - 1))
        return min(self.cfg.backoff_max_s, base) * (0.5 + random.random())  # full jitter around the base

    def _request_for(self, answer_model: type[BaseModel] | None) -> _Request:
        key = answer_model or GroundedReport
        if key not in self._requests:
            self._requests[key] = _Request(self.mode, key)
        return self._requests[key]

    async def extract(self, messages: list[dict], contains=None, allowance: Allowance | None = None,
                      answer_model: type[BaseModel] | None = None) -> tuple[ExtractedReport, CallStats, list[str]]:
        """(answer, stats, warnings). Raises LLMError when no answer could be had, EndpointFatal
        when no answer can be had for any article. answer_model: a smaller answer schema (the
        focused questions'); default the whole grounded record."""
        stats, warnings, t0 = CallStats(), [], time.monotonic()
        retrying = AsyncRetrying(stop=stop_after_attempt(self.cfg.api_retries + 1), wait=self._wait, reraise=True,
                                 retry=retry_if_exception(lambda exc: _is_fault(exc) and self.budget.take()))
        try:
            async for attempt in retrying:
                with attempt:
                    answer = await self._validated(messages, contains, stats, warnings, allowance,
                                                   self._request_for(answer_model))
            return answer, stats, warnings
        except LLMError as exc:
            exc.stats = exc.stats or stats
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a per-article error
            raise self._error(exc, stats) from None
        finally:
            stats.latency_s = time.monotonic() - t0

    def _error(self, exc: BaseException, stats: CallStats) -> LLMError:
        message = self.cfg.redact(f"{type(exc).__name__}: {exc}", 300)
        if _is_fatal(exc):
            self.fatal = self.fatal or EndpointFatal(f"the endpoint refuses every request ({message}); check "
                                                     "--api-key, --model and --base-url", stats)
            return self.fatal
        return LLMError(message, stats)

    async def _validated(self, messages, contains, stats: CallStats, warnings: list[str],
                         allowance: Allowance | None, request: _Request) -> ExtractedReport:
        """One answer, re-asked while it fails validation. Faults propagate to extract()."""
        kwargs = request.kwargs(messages, model=self.cfg.model, temperature=self.cfg.temperature,
                                      max_tokens=self.cfg.max_tokens)
        for attempt in range(self.cfg.validation_retries + 1):
            response = await self._send(kwargs, stats, allowance)
            try:
                # off the event loop: validation grounds every value in the article (CPU)
                return await asyncio.to_thread(request.parse, response, contains)
            except _REASKABLE as exc:
                last_exc = exc
                if attempt < self.cfg.validation_retries:
                    kwargs = request.reask(kwargs, response, exc)
        return self._lenient(response, last_exc, stats, warnings, request.answer_model)

    def _lenient(self, response, exc: Exception, stats: CallStats, warnings: list[str],
                 answer_model: type[BaseModel]) -> BaseModel:
        """Out of re-asks: keep the last answer if it parses; grounding then drops whatever is
        still not in the article."""
        lenient = ExtractedReport if answer_model is GroundedReport else answer_model
        text = _completion_json(response)
        if text is not None:
            try:  # leniently: unknown keys pruned, as for a validated answer
                report = lenient.model_validate(_prune(json.loads(text), lenient))
                warnings.append(self.cfg.redact(f"validation retries exhausted: {exc}", 230))
                return report
            except Exception:  # noqa: BLE001
                pass
        raise LLMError(self.cfg.redact(f"no valid answer after {stats.attempts} attempts: {exc}", 340), stats)

    async def _send(self, kwargs: dict, stats: CallStats, allowance: Allowance | None):
        if self.fatal is not None:  # latched: this article fails at once, nothing is sent
            raise EndpointFatal(str(self.fatal), stats)
        if allowance is not None and not allowance.take():
            raise LLMError(f"per-article call cap reached ({allowance.total} calls); raise --max-calls "
                           "or split the article", stats)
        await self.limits.acquire(kwargs["messages"], self.cfg.max_tokens)
        stats.attempts += 1
        stats.calls += 1
        try:
            # the total deadline: openai's timeout is per read, so a dripping server never ends
            response = await asyncio.wait_for(self.openai.chat.completions.create(**kwargs), self.cfg.timeout_s)
        except (openai.APIConnectionError, TimeoutError) as exc:
            if self.breaker.failed():
                self.fatal = self.fatal or EndpointFatal(
                    f"the endpoint looks dead: {self.breaker.failures} connection failures or timeouts in a row "
                    f"(last: {self.cfg.redact(f'{type(exc).__name__}: {exc}', 300)}); nothing more is sent", stats)
                raise self.fatal from None
            raise
        self.breaker.ok()
        usage = getattr(response, "usage", None)
        if usage is not None:
            stats.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
            stats.completion_tokens += getattr(usage, "completion_tokens", 0) or 0
        if not getattr(response, "choices", None):
            raise EmptyResponse("the endpoint answered without any choice")
        return response

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
