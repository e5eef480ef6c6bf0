"""A reviewer's decisions on a draft (draft.py): accept, correct, add, delete, roles, no meeting,
done. Each one either leaves a draft whose gold is a valid record or is refused with a message
for the reviewer (DecisionError); the draft given is never changed in place."""
from __future__ import annotations

import copy

from pydantic import ValidationError

from ..fields import LISTS, SCALARS, key
from . import coerce
from .draft import ACCEPTED, ADDED, CORRECTED, MEETING_FIELDS, PENDING, Ids, cells, new_cell, to_gold


class DecisionError(ValueError):
    """A decision that cannot be applied; the message is shown to the reviewer as it is."""


def _find(d: dict, cell_id: str) -> tuple[str, dict, dict | None]:
    for f, c, p in cells(d):
        if c["id"] == cell_id:
            return f, c, p
    raise DecisionError(f"no value {cell_id} in this article (reload the page)")


def _person(d: dict, person_id: str | None) -> dict:
    for p in d["people"]:
        if p["id"] == person_id:
            return p
    raise DecisionError("choose a person first (focus one of their values)")


def _unique(d: dict, field: str, value: str, person: dict | None, but: dict | None = None) -> None:
    """Lists hold each value once (SPEC: de-duplicated); one person per name."""
    if field == "people.name":
        same = [p["name"] for p in d["people"]]
    elif field == "people.titles":
        same = person["titles"]
    elif field in LISTS:
        same = d["fields"][field]
    else:
        return
    if any(key(c["value"]) == key(value) for c in same if c is not but):
        raise DecisionError(f"{field} already holds {value!r}")


def _meeting_needed(d: dict, field: str) -> None:
    if d["no_meeting"] and (field in MEETING_FIELDS or field.startswith("people.")):
        d["no_meeting"] = False  # a meeting value or a person says there is a meeting


def _from_selection(original: str, field: str, start, end) -> tuple[str, list[list[int]], dict]:
    if not isinstance(start, int) or not isinstance(end, int):
        raise DecisionError("a selection needs integer start and end offsets")
    try:
        s, e = coerce.trim(original, start, end)
        value = coerce.value_for(field, original[s:e])
    except ValueError as exc:
        raise DecisionError(str(exc)) from None
    extra = {"code": coerce.region_value(original[s:e])[1]} if field == "meeting.region" else {}
    return value, [[s, e]], extra


def _typed(field: str, text) -> tuple[str, list, dict]:
    if not isinstance(text, str):
        raise DecisionError("a typed value must be text")
    try:
        value = coerce.typed_value(field, text)
    except ValueError as exc:
        raise DecisionError(str(exc)) from None
    extra = {"code": coerce.region_value(value)[1]} if field == "meeting.region" else {}
    return value, [], extra


def _value(op: dict, original: str, field: str):
    if "text" in op:
        return _typed(field, op["text"])
    return _from_selection(original, field, op.get("start"), op.get("end"))


def apply(d: dict, op: dict, original: str) -> tuple[dict, dict]:
    """(the draft after the decision, what changed for the journal); the draft given is not changed."""
    d = copy.deepcopy(d)
    kind = op.get("op")
    handler = _OPS.get(kind)
    if handler is None:
        raise DecisionError(f"unknown decision {kind!r}")
    change = handler(d, op, original)
    try:
        to_gold(d)  # every decision leaves a valid record: a bad value is refused, never saved
    except ValidationError as exc:
        e = exc.errors()[0]
        raise DecisionError(f"not a valid record: {'/'.join(map(str, e['loc']))}: {e['msg']}") from None
    return d, change


def _accept(d, op, original):
    cid = op.get("id", "")
    if cid.endswith("/roles"):
        p = _person(d, cid[: -len("/roles")])
        if p["roles_state"] == PENDING:
            p["roles_state"] = ACCEPTED
        return {"field": "people.roles", "value": p["roles"], "person": p["name"]["value"]}
    f, c, _ = _find(d, cid)
    if c["state"] == PENDING:
        c["state"] = ACCEPTED
    return {"field": f, "value": c["value"]}


def _correct(d, op, original):
    f, c, p = _find(d, op.get("id", ""))
    value, spans, extra = _value(op, original, f)
    _unique(d, f, value, p, but=c)
    old = c["value"]
    c.update(value=value, spans=spans, state=CORRECTED, conf=None, **extra)
    _meeting_needed(d, f)
    return {"field": f, "old": old, "value": value, "spans": spans}


def _add(d, op, original):
    f = op.get("field")
    if f not in SCALARS + LISTS + ["people.name", "people.titles"]:
        raise DecisionError(f"not a field one can add to: {f!r}")
    value, spans, extra = _value(op, original, f)
    ids = Ids(d)
    person = _person(d, op.get("person")) if f == "people.titles" else None
    _unique(d, f, value, person)
    cell = new_cell(ids, value, spans, ADDED, **extra)
    old = None
    if f == "people.name":
        d["people"].append({"id": ids("p"), "name": cell, "titles": [], "roles": [], "roles_state": ADDED})
    elif f == "people.titles":
        person["titles"].append(cell)
    elif f in SCALARS:
        old = [c["value"] for c in d["fields"][f]] or None
        d["fields"][f] = [cell]  # a scalar holds one value: adding one replaces it
    else:
        d["fields"][f].append(cell)
    _meeting_needed(d, f)
    return {"field": f, "value": value, "spans": spans, "id": cell["id"], **({"replaced": old} if old else {})}


def _delete(d, op, original):
    f, c, p = _find(d, op.get("id", ""))
    if f == "people.name":
        d["people"].remove(p)
        return {"field": f, "value": c["value"], "titles": [t["value"] for t in p["titles"]]}
    (p["titles"] if f == "people.titles" else d["fields"][f]).remove(c)
    return {"field": f, "value": c["value"]}


def _roles(d, op, original):
    p = _person(d, op.get("person"))
    roles = op.get("roles")
    if not isinstance(roles, list) or not set(roles) <= set(coerce.ROLES):
        raise DecisionError(f"roles are a subset of {', '.join(coerce.ROLES)}")
    old, p["roles"] = p["roles"], sorted(set(roles))
    p["roles_state"] = CORRECTED if p["roles"] != old else (ACCEPTED if p["roles_state"] == PENDING else p["roles_state"])
    return {"field": "people.roles", "person": p["name"]["value"], "old": old, "value": p["roles"]}


def _no_meeting(d, op, original):
    on = bool(op.get("on", True))
    d["no_meeting"] = on
    if on:  # SPEC: no meeting → meeting null and people empty
        for f in MEETING_FIELDS:
            d["fields"][f] = []
        d["people"] = []
    return {"field": "meeting", "value": None if on else "meeting"}


def _done(d, op, original):
    n = 0
    for _, c, _ in cells(d):
        if c["state"] == PENDING:
            c["state"], n = ACCEPTED, n + 1
    for p in d["people"]:
        if p["roles_state"] == PENDING:
            p["roles_state"], n = ACCEPTED, n + 1
    d["reviewed"] = True
    return {"field": None, "accepted_with_done": n}


_OPS = {"accept": _accept, "correct": _correct, "add": _add, "delete": _delete, "roles": _roles,
        "no_meeting": _no_meeting, "done": _done}
