"""The LLM layer: any OpenAI-compatible endpoint through `openai`, with instructor's request
handlers for the chosen mode, and jiyao's own lenient reading of the answer (salvage.py).

- the request (the answer's JSON schema as tools / response_format / system text) is built once
  per system prompt and answer schema, not once per call;
- messages are never rendered as templates, so article text such as `{{ 1/0 }}` or `{#` stays data;
- an answer is read leniently and validated field by field (salvage.py): a value that breaks the
  format is dropped, the rest kept; a value not found in the article is kept for grounding to
  drop. A re-ask asks only about the failing fields, with an answer schema of just those fields
  (salvage.reask_model), and merges what it gets; the first answer's valid fields stay;
- an answer fails only when nothing valid is left (no JSON object after the re-asks);
- API faults (429, 5xx, timeouts, connection resets, empty answers) are retried with exponential
  backoff and jitter (tenacity), honouring Retry-After, within a per-article and a run-wide retry
  budget (limits.py); a re-ask that cannot be sent leaves the answer as it is;
- each request has a TOTAL deadline (a server dripping one byte a second still times out);
- authentication / unknown-model errors (EndpointFatal) and a dead endpoint (EndpointDead) are
  latched: nothing more is sent;
- every attempt's tokens are counted, failed attempts included, and each call is kept in the
  article's trace (calllog.py) for the call log; the API key never appears in a message jiyao writes.

openai and instructor are imported here only, and this module is imported only when an endpoint
is used, so offline runs and `jiyao --help` start fast.
"""
from __future__ import annotations

import asyncio
import random
import time

import instructor
import openai
from instructor.v2.core.providers import Provider
from instructor.v2.core.registry import mode_registry
from instructor.v2.core.response_model import prepare_response_model
from pydantic import BaseModel
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from .calllog import TRACE, Call
from .endpoint import MODE_NAMES, CallStats, EndpointConfig, EndpointDead, EndpointFatal, LLMError, redact  # noqa: F401 - re-exported
from .limits import Allowance, Breaker, RateLimits, RetryBudget
from .salvage import Answer, clean, parse_json, reask_model, unit
from ..ground.checks import answer_problems, copied_values
from ..schema import ISO_DATE, MEETING_DATE, ExtractedReport

MODES = {name: getattr(instructor.Mode, name.upper()) for name in MODE_NAMES}
_PLACEHOLDER = "\x00jiyao-user-messages\x00"


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
    """instructor's request kwargs for one mode and answer schema, built once per system prompt:
    building them renders the answer's JSON schema (milliseconds a call); only the messages after
    the system prompt differ from article to article."""

    def __init__(self, mode: str, answer_model: type[BaseModel] | None = None):
        self.handlers = mode_registry.get_handlers(Provider.OPENAI, MODES[mode])
        self.answer_model = answer_model or ExtractedReport
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


class Reading:
    """One answer read: its text, the JSON object in it (None: nothing readable, `why`)."""

    def __init__(self, response, secret: str | None = None):
        text, self.finish, refusal = completion_text(response)
        # the key cut out first: an endpoint that echoes it into the answer would otherwise have it
        # cached, logged, and kept in the pointers of dropped values
        self.text = None if text is None else clean(redact(text, secret))  # echoed in a re-ask, kept in the call log
        self.data, self.why = parse_json(self.text)
        if self.data is None and refusal:
            self.why = f"the model refused: {clean(refusal[:200])}"
        self.taken = None  # what salvage made of it (salvage.Salvaged)
        self.notes = [self.why] if self.why else []


def grounding_problems(report: ExtractedReport, contains) -> tuple[set[str], list[str]]:
    """(the fields to re-ask, the problems in words) of a whole-record answer checked against the
    article: values not in it (ground.checks, the grounding matcher: a correct value is never
    re-asked), a region that is no place the article names, dates not in the record's form."""
    units, notes = set(), []
    found = answer_problems(report, contains)
    if found:
        notes += found
        units |= {unit(path, ExtractedReport) for path, v in copied_values(report) if not contains(v)}
        if any(p.startswith("meeting.region") for p in found):
            units.add("meeting.region")
    dates = [("source.published_date", report.source.published_date, ISO_DATE, "YYYY-MM-DD"),
             ("meeting.date", report.meeting.date if report.meeting else None, MEETING_DATE, "YYYY-MM-DD or --MM-DD")]
    for f, v, rx, form in dates:
        if v and not rx.fullmatch(v):
            units.add(f)
            notes.append(f"{f} must be {form} or null, not {v!r}.")
    return units, notes


def reask_message(notes: list[str], fields: list[str] | None) -> str:
    """The re-ask: what was wrong, and (when part of the answer was valid) only the fields to give again."""
    listed = "\n".join(f"- {n}" for n in notes)
    if fields is None:
        return f"Your answer could not be used:\n{listed}\nAnswer again with one JSON object as the schema describes."
    return (f"Part of your answer could not be used:\n{listed}\nAnswer again with only these fields: "
            f"{', '.join(fields)}. The rest of your answer is kept.")


class LLMClient:
    def __init__(self, cfg: EndpointConfig, budget: RetryBudget | None = None):
        self.cfg = cfg
        self.mode = cfg.resolved_mode()
        self.budget = budget or RetryBudget(10_000)
        self.limits = RateLimits(cfg.rpm, cfg.tpm)
        self.breaker = Breaker(cfg.dead_after, cfg.dead_after_s)
        self.fatal: EndpointFatal | None = None
        self._requests: dict[type, _Request] = {}  # one per answer schema (focused questions', re-asks' are small)
        # openai's own retries are off: this layer owns them, so attempts are counted and bounded.
        self.openai = openai.AsyncOpenAI(base_url=cfg.base_url, api_key=cfg.api_key or "not-needed",
                                         timeout=cfg.timeout_s, max_retries=0)

    def _wait(self, retry_state) -> float:
        after = _retry_after(retry_state.outcome.exception())
        if after is not None:
            return min(after, self.cfg.backoff_max_s)
        base = self.cfg.backoff_initial_s * (2 ** (retry_state.attempt_number - 1))
        return min(self.cfg.backoff_max_s, base) * (0.5 + random.random())  # full jitter around the base

    def _request_for(self, answer_model: type[BaseModel]) -> _Request:
        if answer_model not in self._requests:
            self._requests[answer_model] = _Request(self.mode, answer_model)
        return self._requests[answer_model]

    async def extract(self, messages: list[dict], contains=None, allowance: Allowance | None = None,
                      answer_model: type[BaseModel] | None = None, kind: str = "oneshot"
                      ) -> tuple[BaseModel, CallStats, list[str]]:
        """(answer, stats, warnings): the valid part of the model's answer; stats.dropped lists what
        was dropped. Raises LLMError when nothing valid could be had, EndpointFatal when no answer
        can be had for any article. answer_model: a smaller answer schema (a focused question's);
        default the whole record, checked against the article (`contains`). kind: what the
        question is, for the call log."""
        stats, warnings, t0 = CallStats(), [], time.monotonic()
        faults = [self.cfg.api_retries]  # fault retries left for this question, re-asks included
        try:
            return await self._answer(messages, answer_model or ExtractedReport, contains, stats, warnings,
                                      allowance, kind, faults), stats, warnings
        except LLMError as exc:
            exc.stats = exc.stats or stats
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a per-article error
            raise self._error(exc, stats) from None
        finally:
            stats.latency_s = time.monotonic() - t0

    def _say(self, text: str, limit: int) -> str:
        """A message for records, error lines and logs: the key cut out first (a cut key would
        escape redaction), lone surrogates replaced, then cut to `limit` characters."""
        return clean(self.cfg.redact(text))[:limit]

    def _error(self, exc: BaseException, stats: CallStats) -> LLMError:
        if isinstance(exc, LLMError):
            return exc
        message = self._say(f"{type(exc).__name__}: {exc}", 300)
        if _is_fatal(exc):
            self.fatal = self.fatal or EndpointFatal(f"the endpoint refuses every request ({message}); check "
                                                     "--api-key, --model and --base-url", stats)
            return self.fatal
        return LLMError(message, stats)

    async def _answer(self, messages: list[dict], model: type[BaseModel], contains, stats: CallStats,
                      warnings: list[str], allowance: Allowance | None, kind: str, faults: list[int]) -> BaseModel:
        """The first answer, then re-asks of the failing fields only, merged field by field."""
        grounded = contains is not None and model is ExtractedReport
        answer, units, notes, last = Answer(model), None, [], None
        for n in range(self.cfg.validation_retries + 1):
            asked, msgs = model, messages
            if n:
                fields = None if units == {"*"} or not answer.any_valid else sorted(units)
                asked = reask_model(model, frozenset(fields)) if fields else model
                msgs = [*messages, {"role": "assistant", "content": last.text or "(no answer)"},
                        {"role": "user", "content": reask_message(notes, fields)}]
            kwargs = self._request_for(asked).kwargs(msgs, model=self.cfg.model, temperature=self.cfg.temperature,
                                                     max_tokens=self.cfg.max_tokens)
            try:
                response, call = await self._call(kwargs, stats, allowance, f"re-ask {n} of {kind}" if n else kind, faults)
            except Exception as exc:  # noqa: BLE001
                err = self._error(exc, stats)
                if n == 0 or isinstance(err, EndpointFatal) or not answer.any_valid:
                    raise err from None
                stats.notes.append(f"a re-ask failed ({err}); the answer is kept as it was")
                break
            # off the event loop: JSON repair, validation, grounding checks (CPU)
            last, units, notes = await asyncio.to_thread(read_answer, response, answer, asked, units,
                                                         contains if grounded else None, self.cfg.api_key)
            _note(call, last)
            if last.finish == "length":
                cut = f"an answer was cut at max_tokens ({self.cfg.max_tokens}; --max-tokens)"
                if last.data is None:  # asked again, it would be cut again
                    if not answer.any_valid:
                        raise LLMError(f"{cut} before any field could be read", stats)
                    stats.notes.append(cut)
                    break
                stats.notes.append(cut)
            if not units:
                break
        if not answer.any_valid:
            raise LLMError(self._say(f"no valid answer after {stats.attempts} attempts: {'; '.join(notes)}", 360), stats)
        if units:
            warnings.append(self._say(f"validation retries exhausted: {'; '.join(notes)}", 240))
        stats.dropped = answer.dropped_pointers()
        return answer.result()

    async def _call(self, kwargs: dict, stats: CallStats, allowance: Allowance | None, kind: str,
                    faults: list[int]) -> tuple[object, Call | None]:
        """One request, its faults retried (within this question's and the run's budgets)."""
        def may_retry(exc: BaseException) -> bool:
            if not _is_fault(exc) or faults[0] <= 0 or not self.budget.take():
                return False
            faults[0] -= 1
            return True
        retrying = AsyncRetrying(stop=stop_after_attempt(self.cfg.api_retries + 1), wait=self._wait, reraise=True,
                                 retry=retry_if_exception(may_retry))
        async for attempt in retrying:
            with attempt:
                return await self._send(kwargs, stats, allowance, kind)

    async def _send(self, kwargs: dict, stats: CallStats, allowance: Allowance | None, kind: str):
        if self.fatal is not None:  # latched: this article fails at once, nothing is sent
            raise type(self.fatal)(str(self.fatal), stats)
        if allowance is not None and not allowance.take():
            raise LLMError(f"per-article call cap reached ({allowance.total} calls); raise --max-calls "
                           "or split the article", stats)
        await self.limits.acquire(kwargs["messages"], self.cfg.max_tokens)
        stats.attempts += 1
        stats.calls += 1
        trace = TRACE.get()
        call = trace.call(kind, kwargs) if trace is not None else None
        t0 = time.monotonic()
        try:
            # the total deadline: openai's timeout is per read, so a dripping server never ends
            response = await asyncio.wait_for(self.openai.chat.completions.create(**kwargs), self.cfg.timeout_s)
        except (openai.APIConnectionError, TimeoutError) as exc:
            _failed(call, t0, exc)
            if self.breaker.failed():
                self.fatal = self.fatal or EndpointDead(
                    f"endpoint dead: it looks dead after {self.breaker.failures} connection failures or timeouts in "
                    f"a row (last: {self._say(f'{type(exc).__name__}: {exc}', 300)}); nothing more is sent", stats)
                raise self.fatal from None
            raise
        except Exception as exc:
            _failed(call, t0, exc)
            raise
        self.breaker.ok()
        usage = getattr(response, "usage", None)
        if usage is not None:
            p, c = getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0
            stats.prompt_tokens += p
            stats.completion_tokens += c
            if call is not None:
                call.prompt_tokens, call.completion_tokens = p, c
        if call is not None:
            call.latency_s = time.monotonic() - t0
        if not getattr(response, "choices", None):
            if call is not None:
                call.error = "the endpoint answered without any choice"
            raise EmptyResponse("the endpoint answered without any choice")
        return response, call

    async def aclose(self) -> None:
        await self.openai.close()


def _failed(call: Call | None, t0: float, exc: BaseException) -> None:
    if call is not None:
        call.latency_s = time.monotonic() - t0
        # whole: the call log cuts the key out before it shortens anything (a key cut here would escape it)
        call.error = f"{type(exc).__name__}: {exc}"


def read_answer(response, answer: Answer, asked: type[BaseModel], units: set[str] | None, contains,
                secret: str | None = None) -> tuple[Reading, set[str], list[str]]:
    """Read one answer into `answer` (all of it, or the re-asked `units`): (the reading, the fields
    still failing, the problems in words). `contains`: check a whole-record answer against the article."""
    reading = Reading(response, secret)
    if reading.data is None:  # nothing readable: ask again, for the whole answer when nothing is valid yet
        return reading, (units if answer.any_valid else {"*"}), [reading.why]
    reading.taken = answer.take(reading.data, asked, None if asked is answer.model else frozenset(units))
    problems = answer.problems()
    units, notes = set(problems), list(problems.values())
    if contains is not None:
        g_units, g_notes = grounding_problems(answer.result(), contains)
        units |= g_units
        notes += g_notes
    reading.notes = notes
    return reading, units, notes


def _note(call: Call | None, reading: Reading) -> None:
    """What the call log keeps of one answer (references only: the log thread does the rest)."""
    if call is None:
        return
    call.answer, call.finish = reading.text, reading.finish
    call.problems = "\n".join(reading.notes) or None
    if reading.taken is not None:
        call.dropped, call.mapped = [p for p, _ in reading.taken.dropped], reading.taken.mapped


def completion_text(completion) -> tuple[str | None, str | None, str | None]:
    """(the answer's text, from a tool call or the message content; finish reason; refusal)."""
    try:
        choice = completion.choices[0]
        msg = choice.message
    except (AttributeError, IndexError, TypeError):
        return None, None, None
    finish, refusal = getattr(choice, "finish_reason", None), getattr(msg, "refusal", None)
    if getattr(msg, "tool_calls", None):
        return msg.tool_calls[0].function.arguments, finish, refusal
    return msg.content or None, finish, refusal
