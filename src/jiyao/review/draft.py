"""One article under review: its values as cells with stable ids, made from a record, changed by a
reviewer's decisions, written out as SPEC-form gold.

A cell is {"id", "value", "spans", "state", "conf"}: `spans` are [start, end) offsets into the
original file text (a record's evidence may give one span or a list of spans for a composed
value; both are read), `state` is pending (from the record, not yet looked at), accepted,
corrected or added. Every field of the scorer (fields.py) is a list of cells; a scalar holds at
most one. People are {"id", "name": cell, "titles": [cells], "roles": [...], "roles_state"}.
Ids never change while the article is reviewed, so a decision names exactly one value.
"""
from __future__ import annotations

import copy
import json

from pydantic import ValidationError

from ..fields import LISTS, SCALARS, key
from ..schema import MeetingReport
from . import coerce

PENDING, ACCEPTED, CORRECTED, ADDED = "pending", "accepted", "corrected", "added"
MEETING_FIELDS = [f for f in SCALARS if f.startswith("meeting.")]
# the rows of the review page, in reading order
PAGE_ROWS = ["headline", "source.outlet", "source.reporters", "source.photographers", "source.editors",
             "source.published_date", *MEETING_FIELDS, "people", "upstream_meetings", "slogans"]
# what a gold file leaves out of a MeetingReport (evals/gold/*.json carry none of it)
NOT_IN_GOLD = {"evidence", "usage", "diagnostics", "confidence", "origin"}


class DecisionError(ValueError):
    """A decision that cannot be applied; the message is shown to the reviewer as it is."""


def _path(field: str) -> list[str]:
    return field.split(".")


def _get(rec: dict, field: str):
    cur = rec
    for p in _path(field):
        cur = cur.get(p) if isinstance(cur, dict) else None
    return cur


def pointer(field: str, index: int | None = None) -> str:
    """The JSON pointer a record's evidence uses for a field's value (its index-th in a list)."""
    p = "/" + field.replace(".", "/") + ("/name" if field == "meeting.region" else "")
    return p if index is None else f"{p}/{index}"


def spans_of(evidence: dict, ptr: str) -> list[list[int]]:
    """A value's spans: evidence may hold [s, e] or, for a value composed of pieces, [[s1, e1], …]."""
    ev = evidence.get(ptr) if isinstance(evidence, dict) else None
    if not isinstance(ev, list) or not ev:
        return []
    pieces = ev if isinstance(ev[0], list) else [ev]
    return [[p[0], p[1]] for p in pieces
            if isinstance(p, list) and len(p) == 2 and all(isinstance(x, int) for x in p) and 0 <= p[0] < p[1]]


class _Ids:
    def __init__(self, draft: dict):
        self.d = draft

    def __call__(self, prefix: str = "v") -> str:
        self.d["seq"] += 1
        return f"{prefix}{self.d['seq']}"


def _cell(ids: _Ids, value: str, spans, state: str, conf=None, **extra) -> dict:
    return {"id": ids(), "value": value, "spans": spans, "state": state, "conf": conf, **extra}


def empty(doc_id: str) -> dict:
    return {"doc_id": doc_id, "revision": 0, "reviewed": False, "reviewed_by": None, "reviewed_at": None,
            "no_meeting": False, "seq": 0, "fields": {f: [] for f in SCALARS + LISTS}, "people": [], "hints": []}


def from_record(doc_id: str, record: dict | None, spans_ok: bool = True) -> dict:
    """The draft of an article: every value of its record pending, on its spans (none when the
    record was made from another version of the file: spans_ok False)."""
    d = empty(doc_id)
    if record is None:
        return d
    ids = _Ids(d)
    ev = (record.get("evidence") or {}) if spans_ok else {}
    conf = record.get("confidence") or {}
    d["no_meeting"] = record.get("meeting") is None
    for f in SCALARS:
        v = _get(record, f)
        extra = {}
        if f == "meeting.region" and isinstance(v, dict):
            v, extra = v.get("name"), {"code": v.get("admin_code")}
        if isinstance(v, str) and v:
            d["fields"][f].append(_cell(ids, v, spans_of(ev, pointer(f)), PENDING, conf.get(pointer(f)), **extra))
    for f in LISTS:
        for i, v in enumerate(_get(record, f) or []):
            if isinstance(v, str) and v:
                d["fields"][f].append(_cell(ids, v, spans_of(ev, pointer(f, i)), PENDING, conf.get(pointer(f, i))))
    for i, p in enumerate(record.get("people") or []):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            continue
        at = f"/people/{i}"
        d["people"].append({
            "id": ids("p"),
            "name": _cell(ids, p["name"], spans_of(ev, f"{at}/name"), PENDING, conf.get(f"{at}/name")),
            "titles": [_cell(ids, t, spans_of(ev, f"{at}/titles/{j}"), PENDING, conf.get(f"{at}/titles/{j}"))
                       for j, t in enumerate(p.get("titles") or []) if isinstance(t, str) and t],
            "roles": sorted({r for r in p.get("roles") or [] if r in coerce.ROLES}),
            "roles_state": PENDING})
    diag = record.get("diagnostics") or {}
    d["hints"] = [{"field": o.get("field"), "text": f"set aside {o.get('value')!r} ({o.get('winner') or 'neither'} kept "
                   f"{o.get('kept')!r}): {o.get('reason')}"} for o in diag.get("overrides") or [] if isinstance(o, dict)]
    d["hints"] += [{"field": None, "text": w} for w in diag.get("warnings") or [] if isinstance(w, str)]
    if not spans_ok:
        d["hints"].append({"field": None, "text": "the record was made from another version of this file: its spans are not shown"})
    return d


def to_gold(d: dict) -> dict:
    """The gold record of a draft, exactly as evals/gold/*.json write it (validated)."""
    one = lambda f: (d["fields"][f] or [{"value": None}])[0]["value"]  # noqa: E731
    many = lambda f: [c["value"] for c in d["fields"][f]]  # noqa: E731
    meeting = None
    if not d["no_meeting"]:
        region = d["fields"]["meeting.region"]
        meeting = {"name": one("meeting.name"), "date": one("meeting.date"), "time_of_day": one("meeting.time_of_day"),
                   "format": one("meeting.format"), "venue": one("meeting.venue"),
                   "region": {"name": region[0]["value"], "admin_code": region[0].get("code")} if region else None,
                   "organizer": one("meeting.organizer")}
    rec = {"doc_id": d["doc_id"], "headline": one("headline"),
           "source": {"outlet": one("source.outlet"), "reporters": many("source.reporters"),
                      "photographers": many("source.photographers"), "editors": many("source.editors"),
                      "published_date": one("source.published_date")},
           "meeting": meeting,
           "people": [{"name": p["name"]["value"], "titles": [t["value"] for t in p["titles"]], "roles": p["roles"]}
                      for p in d["people"]],
           "upstream_meetings": many("upstream_meetings"), "slogans": many("slogans"), "directives": []}
    return MeetingReport.model_validate(rec).model_dump(exclude=NOT_IN_GOLD)


def gold_text(d: dict) -> str:
    return json.dumps(to_gold(d), ensure_ascii=False, indent=2)


def cells(d: dict):
    """(field, cell, person or None) of every value, in the order the page lists them."""
    for f in SCALARS + LISTS:
        for c in d["fields"][f]:
            yield f, c, None
    for p in d["people"]:
        yield "people.name", p["name"], p
        for t in p["titles"]:
            yield "people.titles", t, p


def pending(d: dict) -> int:
    return sum(c["state"] == PENDING for _, c, _ in cells(d)) + sum(p["roles_state"] == PENDING for p in d["people"])


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
    ids = _Ids(d)
    person = _person(d, op.get("person")) if f == "people.titles" else None
    _unique(d, f, value, person)
    cell = _cell(ids, value, spans, ADDED, **extra)
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
