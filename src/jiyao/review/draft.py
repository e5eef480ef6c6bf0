"""One article under review: its values as cells with stable ids, made from a record, changed by a
reviewer's decisions (decisions.py), written out as SPEC-form gold.

A cell is {"id", "value", "spans", "state", "conf"}: `spans` are [start, end) offsets into the
original file text (a record's evidence may give one span or a list of spans for a composed
value; both are read), `state` is pending (from the record, not yet looked at), accepted,
corrected or added. Every field of the scorer (fields.py) is a list of cells; a scalar holds at
most one. People are {"id", "name": cell, "titles": [cells], "roles": [...], "roles_state"}.
Ids never change while the article is reviewed, so a decision names exactly one value.
"""
from __future__ import annotations

import json

from ..fields import LISTS, SCALARS
from ..schema import MeetingReport
from . import coerce

PENDING, ACCEPTED, CORRECTED, ADDED = "pending", "accepted", "corrected", "added"
MEETING_FIELDS = [f for f in SCALARS if f.startswith("meeting.")]
# the rows of the review page, in reading order
PAGE_ROWS = ["headline", "source.outlet", "source.reporters", "source.photographers", "source.editors",
             "source.published_date", *MEETING_FIELDS, "people", "upstream_meetings", "slogans"]
# what a gold file leaves out of a MeetingReport (evals/gold/*.json carry none of it)
NOT_IN_GOLD = {"evidence", "usage", "diagnostics", "confidence", "origin"}


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


class Ids:
    """Stable ids for new cells and people, counted in the draft."""

    def __init__(self, draft: dict):
        self.d = draft

    def __call__(self, prefix: str = "v") -> str:
        self.d["seq"] += 1
        return f"{prefix}{self.d['seq']}"


def new_cell(ids: Ids, value: str, spans, state: str, conf=None, **extra) -> dict:
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
    ids = Ids(d)
    ev = (record.get("evidence") or {}) if spans_ok else {}
    conf = record.get("confidence") or {}
    d["no_meeting"] = record.get("meeting") is None
    for f in SCALARS:
        v = _get(record, f)
        extra = {}
        if f == "meeting.region" and isinstance(v, dict):
            v, extra = v.get("name"), {"code": v.get("admin_code")}
        if isinstance(v, str) and v:
            d["fields"][f].append(new_cell(ids, v, spans_of(ev, pointer(f)), PENDING, conf.get(pointer(f)), **extra))
    for f in LISTS:
        for i, v in enumerate(_get(record, f) or []):
            if isinstance(v, str) and v:
                d["fields"][f].append(new_cell(ids, v, spans_of(ev, pointer(f, i)), PENDING, conf.get(pointer(f, i))))
    for i, p in enumerate(record.get("people") or []):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            continue
        at = f"/people/{i}"
        d["people"].append({
            "id": ids("p"),
            "name": new_cell(ids, p["name"], spans_of(ev, f"{at}/name"), PENDING, conf.get(f"{at}/name")),
            "titles": [new_cell(ids, t, spans_of(ev, f"{at}/titles/{j}"), PENDING, conf.get(f"{at}/titles/{j}"))
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
