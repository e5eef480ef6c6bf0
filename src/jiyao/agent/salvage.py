"""Keep every valid field of a model's answer.

A model's answer is read leniently (broken JSON repaired by json-repair, prose around the object
ignored, unknown keys pruned, strings cleaned of lone surrogates), then validated field by field,
each person and each list item on its own, so one value that breaks the record format drops that
value only, never the answer:

- a list where a string belongs, `null` where an object belongs (`source: null` → the default
  Source), a number where a list belongs: dropped, the pointer kept in `Salvaged.dropped`;
- one string where a list belongs (`titles: "县长"`): read as a list of one;
- a word for a closed value (傍晚, 主持, 视频, `下午3:00`, `15时`): mapped by SPEC v1.2's tables
  (recognise/lexicon.py) and kept, the mapping kept in `Salvaged.mapped`;
- anything else pydantic refuses (an enum value outside the set, a person without a name):
  dropped.

`reask_model` builds the small answer schema of just the failing fields for a re-ask, and
`Answer` merges what each answer gave, field by field.
"""
from __future__ import annotations

import copy
import functools
import json
import re
import types
import typing
from dataclasses import dataclass, field

import json_repair
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo

from ..recognise.lexicon import FORMAT_WORDS, ROLE_WORDS, TIME_OF_DAY

_SURROGATE = re.compile("[\ud800-\udfff]")
DROP = object()  # a value that did not survive validation
# SPEC v1.2: a clock time alone maps by the hour (before 11:00 上午, 11–13 中午, 13–18 下午, later 晚上)
_CLOCK = re.compile(r"(\d{1,2})\s*(?:[:：时点]\s*(\d{1,2})?|(?=[ap]\.?m\b))", re.I)
_HOUR_BANDS = ((11 * 60, "上午"), (13 * 60, "中午"), (18 * 60, "下午"), (24 * 60 + 1, "晚上"))
_PM = re.compile(r"(?<![a-z])p\.?m\b", re.I)
# Closed values read by the field they belong to (a model answers 傍晚 for time_of_day, 主持 for a role)
_WORDS = {"time_of_day": TIME_OF_DAY, "format": FORMAT_WORDS, "roles": ROLE_WORDS}


def clean(text: str) -> str:
    """A string that encodes as UTF-8: lone surrogates (`"\\ud800"` in a model's JSON) become U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def clean_all(data):
    """Every string (keys too) of parsed JSON cleaned."""
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, dict):
        return {clean(k) if isinstance(k, str) else k: clean_all(v) for k, v in data.items()}
    if isinstance(data, list):
        return [clean_all(v) for v in data]
    return data


def parse_json(text: str | None) -> tuple[dict | None, str | None]:
    """(the JSON object of an answer, or None; why not). Strict JSON first (the common case costs
    nothing more), then json-repair for fences, prose around the object, trailing commas, a cut-off
    end; strings cleaned."""
    if not text or not text.strip():
        return None, "the answer is empty"
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = json_repair.loads(text)
        except Exception:  # noqa: BLE001 - the repairer is best effort
            data = None
        if data == {}:  # `{` cut off, or prose the repairer made an empty object of: no field was said
            return None, f"no field could be read from the answer: {clean(text[:120])!r}"
    if not isinstance(data, dict):
        return None, f"the answer is not a JSON object: {clean(text[:120])!r}"
    return clean_all(data), None


def closed_value(name: str, value):
    """The record's value for a word a model used instead (傍晚 → 晚上, 主持人 → chair, 视频 → video,
    下午3:00 → 下午, 15时 → 下午); the value itself when there is no mapping."""
    words = _WORDS.get(name)
    if words is None or not isinstance(value, str):
        return value
    v = value.strip()
    if v in words.values():
        return v
    low = v.lower()
    if low in words:
        return words[low]
    if name == "time_of_day":
        for w in sorted(words, key=len, reverse=True):  # 下午3:00, 7月20日晚 → the word in it
            if w in low and not w.isascii():
                return words[w]
        m = _CLOCK.search(v)
        if m and int(m.group(1)) <= 24 and int(m.group(2) or 0) < 60:
            minutes = int(m.group(1)) * 60 + int(m.group(2) or 0)
            if _PM.search(v) and minutes < 12 * 60:
                minutes += 12 * 60
            return next(tod for end, tod in _HOUR_BANDS if minutes < end)
    return value


@dataclass
class Salvaged:
    value: dict  # the valid part of the answer, keyed as the answer model
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (JSON pointer, why)
    mapped: list[str] = field(default_factory=list)  # "pointer: 傍晚 → 晚上"
    valid: BaseModel | None = None  # the whole answer, when it was valid as it came


def salvage(data: dict, model: type[BaseModel]) -> Salvaged:
    """The valid part of `data` under `model`, field by field (see the module docstring)."""
    try:  # most answers are valid as they come: one validation, no walk
        return Salvaged(data, valid=model.model_validate(data))
    except ValidationError:
        pass
    out = Salvaged({})
    out.value = _object(data, model, "", out) or {}
    return out


def _optional(annotation) -> tuple[typing.Any, bool]:
    """(the annotation without None, whether None is allowed)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]), True
    return annotation, False


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@functools.lru_cache(maxsize=256)
def _adapter(annotation) -> TypeAdapter:
    return TypeAdapter(annotation)


def _why(exc: ValidationError) -> str:
    e = exc.errors(include_url=False)[0]
    return clean(f"{e['msg']} (got {json.dumps(e.get('input'), ensure_ascii=False, default=str)[:80]})")


def _object(data, model: type[BaseModel], ptr: str, out: Salvaged) -> dict | None:
    if not isinstance(data, dict):
        out.dropped.append((ptr or "/", f"an object was expected, not {_kind(data)}"))
        return None
    if not ptr and not any(name in data for name in model.model_fields):
        # an answer that has none of the asked fields answers nothing (a focused question's reply
        # given as a whole record), however lenient the rest is
        out.dropped.append(("/", "none of the asked fields (" + ", ".join(model.model_fields) + ") is in the answer"))
        return None
    kept = {}
    for name, f in model.model_fields.items():
        if name not in data:
            if f.is_required() and _optional(f.annotation)[1]:
                kept[name] = None  # required but nullable (Meeting.name): left out means null
            continue
        v = _value(data[name], f.annotation, f"{ptr}/{name}", name, out)
        if v is not DROP:
            kept[name] = v
    try:
        model.model_validate(kept)  # required fields, the model's own validators
    except ValidationError as exc:
        out.dropped.append((ptr or "/", _why(exc)))
        return None
    return kept


def _value(v, annotation, ptr: str, name: str, out: Salvaged):
    inner, nullable = _optional(annotation)
    if v is None:
        if nullable:
            return None
        out.dropped.append((ptr, "null where a value belongs"))  # the field's default stands
        return DROP
    if _is_model(inner):
        got = _object(v, inner, ptr, out)
        return DROP if got is None else got
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner) or (typing.Any,)
        if isinstance(v, (str, dict)):  # one value where a list belongs: a list of one
            out.mapped.append(f"{ptr}: one value read as a list of one")
            v = [v]
        if not isinstance(v, list):
            out.dropped.append((ptr, f"a list was expected, not {_kind(v)}"))
            return DROP
        items = [y for i, x in enumerate(v) if (y := _value(x, item, f"{ptr}/{i}", name, out)) is not DROP]
        return DROP if v and not items else items  # nothing left of a list given: the list is dropped
    mapped = closed_value(name, v)
    if mapped is not v and mapped != v:
        out.mapped.append(f"{ptr}: {v} → {mapped}")
    try:
        return _adapter(inner).validate_python(mapped)
    except ValidationError as exc:
        out.dropped.append((ptr, _why(exc)))
        return DROP


def _kind(v) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(type(v), type(v).__name__)


# --- fields, re-asks and merging -------------------------------------------------------------------

def unit(path: str, model: type[BaseModel]) -> str:
    """The field a problem at `path` (a JSON pointer /meeting/region/name, or a dotted path
    people[0].name) is re-asked as: a top-level field, or a field of a top-level object
    (meeting.time_of_day, source.outlet); a list is re-asked whole (people)."""
    parts = [p for p in re.split(r"[/.\[\]]", path) if p and not p.isdigit()]
    if not parts:
        return "*"
    top = parts[0]
    f = model.model_fields.get(top)
    if f is None:
        return "*"
    inner, _ = _optional(f.annotation)
    if _is_model(inner) and len(parts) > 1 and parts[1] in inner.model_fields:
        return f"{top}.{parts[1]}"
    return top


@functools.lru_cache(maxsize=128)
def reask_model(model: type[BaseModel], units: frozenset[str]) -> type[BaseModel]:
    """The answer schema of just these fields (a re-ask asks nothing else): `meeting.time_of_day`
    gives {meeting: {time_of_day}}. Fields keep their types and descriptions."""
    if "*" in units:
        return model
    fields: dict[str, tuple] = {}
    for top in (n for n in model.model_fields if any(u == n or u.startswith(n + ".") for u in units)):
        f = model.model_fields[top]
        subs = [u.split(".", 1)[1] for u in units if u.startswith(top + ".")]
        inner, nullable = _optional(f.annotation)
        if top in units or not subs:
            fields[top] = (f.annotation, _copy(f))
            continue
        part = create_model(f"{inner.__name__}Fix", __config__=ConfigDict(extra="forbid"),
                            **{s: (inner.model_fields[s].annotation, _copy(inner.model_fields[s]))
                               for s in inner.model_fields if s in subs})
        fields[top] = ((part | None) if nullable else part, FieldInfo(default=None if nullable else ..., description=f.description))
    return create_model(f"{model.__name__}Fix", __config__=ConfigDict(extra="forbid"), **fields)


def _copy(f: FieldInfo) -> FieldInfo:
    return copy.copy(f)


class Answer:
    """The valid fields of a model's answers to one question, merged: the first answer, then each
    re-ask's answer for the fields it was asked about."""

    def __init__(self, model: type[BaseModel]):
        self.model = model
        self.data: dict = {}
        self.dropped: dict[str, list[tuple[str, str]]] = {}  # unit → (pointer, why) still dropped there
        self.mapped: list[str] = []
        self.any_valid = False  # a JSON object with at least one field kept
        self._valid: BaseModel | None = None  # self.data validated, while it is the first answer as it came

    def take(self, data: dict, asked: type[BaseModel], units: frozenset[str] | None = None) -> Salvaged:
        """Merge one answer (to the whole question when units is None, else to a re-ask of `units`)."""
        s = salvage(data, asked)
        self.mapped += s.mapped
        fresh: dict[str, list] = {}
        for ptr, why in s.dropped:
            fresh.setdefault(unit(ptr, self.model), []).append((ptr, why))
        if units is None:
            self.data, self.dropped, self._valid = s.value, fresh, s.valid
        else:
            self._valid = None
            for u in units:  # a field the re-ask gave replaces the first answer's; else that stays
                got = _get(s.value, u)
                if got == [] and _get(self.data, u) not in (DROP, []):
                    continue  # a lazy re-ask naming nobody does not take away the people first given
                if got is not DROP and _set(self.data, u, got):
                    self.dropped.pop(u, None)
                    if u in fresh:
                        self.dropped[u] = fresh[u]
        self.any_valid = self.any_valid or bool(s.value) or not s.dropped
        return s

    def result(self) -> BaseModel:
        if self._valid is None:
            self._valid = self.model.model_validate(self.data)
        return self._valid

    def dropped_pointers(self) -> list[str]:
        return [p for ps in self.dropped.values() for p, _ in ps]

    def problems(self) -> dict[str, str]:
        """unit → what is wrong there, for the re-ask."""
        return {u: "; ".join(f"{p}: {why}" for p, why in ps) for u, ps in self.dropped.items()}


def _get(data: dict, u: str):
    top, _, sub = u.partition(".")
    if top not in data:
        return DROP
    if not sub:
        return data[top]
    inner = data[top]
    return inner[sub] if isinstance(inner, dict) and sub in inner else DROP


def _set(data: dict, u: str, value) -> bool:
    top, _, sub = u.partition(".")
    if not sub:
        data[top] = value
        return True
    if isinstance(data.get(top), dict):
        data[top][sub] = value
        return True
    return False  # the object around it was dropped (or is null): a field alone does not bring it back
