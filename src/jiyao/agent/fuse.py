"""The hybrid agent's arbiter: the recognisers' record and the model's answer, fused field by field
by evidence and a policy (policy.py), never by who spoke last.

- Agreement stands with high confidence (source `both`).
- A value only the model gives is kept only where the text supports it (evidence.py): a person the
  model adds must take part in a sentence of the article, a slogan must be quoted, an upstream
  meeting must follow a relay cue.
- A value only the rules give is not dropped because the model left it out (the default policy);
  a model that names nobody is treated as silent, not as a correction.
- Every value of one source set aside for the other's is recorded as an Override.

Values are compared by jiyao.eval's key (script, width, quotes, spaces folded) and tracked by
typed keys, never by JSON pointers parsed back (a name may contain `/`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..fields import FIELDS, key
from .evidence import Evidence
from ..ground.spans import Locator, to_record
from .policy import Policy
from ..read.document import Document
from ..schema import Confidence, ExtractedReport, Meeting, MeetingReport, Override, Person, Source, Usage

ALL_FIELDS = frozenset(FIELDS)
_MEETING_SCALARS = ("name", "date", "time_of_day", "format", "venue", "region", "organizer")
_LIST_ATTRS = {"source.reporters": ("source", "reporters"), "source.photographers": ("source", "photographers"),
               "source.editors": ("source", "editors"), "upstream_meetings": (None, "upstream_meetings"),
               "slogans": (None, "slogans")}


@dataclass
class ModelView:
    """The model's grounded answer and the fields it was asked about (all of them for one-shot
    hybrid; only the questioned ones for focused hybrid: the others are no opinion, not omissions)."""
    answer: ExtractedReport
    asked: frozenset[str] = ALL_FIELDS
    # focused answers saw only a few sentences: a list item they lack is not one they left out
    partial: bool = False


@dataclass
class Fusion:
    report: ExtractedReport
    # typed key → (source, contested): (field,) | (field, value) | (people.*, name[, item])
    sources: dict[tuple, tuple[str, bool]] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)


class _Arbiter:
    def __init__(self, ev: Evidence, policy: Policy, view: ModelView | None, fusion: Fusion):
        self.ev, self.policy, self.fusion = ev, policy, fusion
        self.asked = view.asked if view is not None else frozenset()
        self.partial = view is not None and view.partial

    def note(self, f: str, value, kept, winner: str | None, reason: str) -> None:
        self.fusion.overrides.append(Override(field=f, value=None if value is None else str(value),
                                              kept=None if kept is None else str(kept), winner=winner, reason=reason))

    def scalar(self, f: str, r, m, supported, label=lambda v: v):
        """The fused value of one scalar field; `label` gives the comparable string of a value."""
        if f not in self.asked:
            m = None
        kr, km = key(label(r)) if r is not None else "", key(label(m)) if m is not None else ""
        if kr and kr == km:
            self.fusion.sources[(f,)] = ("both", False)
            return r
        mode = self.policy.mode(f)
        m_ok = bool(km) and mode != "rules" and supported(label(m))
        why = "policy: rules" if mode == "rules" else "no evidence in the text"
        if not kr:
            if m_ok:
                self.fusion.sources[(f,)] = ("model", False)
                return m
            if km:
                self.note(f, label(m), None, None, f"model value rejected: {why}")
            return None
        if km and m_ok and mode == "model_first":
            self.note(f, label(r), label(m), "model", "policy model_first: the model's supported value wins")
            self.fusion.sources[(f,)] = ("model", True)
            return m
        if km:
            self.note(f, label(m), label(r), "rules", f"disagreement: {why if not m_ok else 'policy ' + mode}")
        self.fusion.sources[(f,)] = ("rules", bool(km))
        return r

    def items(self, f: str, r: list[str], m: list[str], supported, tag: tuple = (), mode: str | None = None) -> list[str]:
        """A fused list; `tag` prefixes the typed keys (a person's name for titles and roles)."""
        mode = mode or self.policy.mode(f)
        asked = f in self.asked
        m = m if asked else []
        rk, mk = {key(x) for x in r}, {key(x) for x in m}
        silent = not m or self.partial  # a model that gives nothing is lazy or unasked, not a correction
        extra = [x for x in dict.fromkeys(m) if key(x) not in rk]
        ok = [x for x in extra if mode != "rules" and supported(x)]
        for x in extra:
            if x not in ok:
                self.note(f, x, None, None, "model value rejected: " + ("policy: rules" if mode == "rules" else "no evidence in the text"))
        kept_r, kept_m = _select(mode, r, ok, mk, silent)
        for x in r:
            if x not in kept_r:
                self.note(f, x, None, "model", f"policy {mode}: the model left it out")
            elif not silent and key(x) not in mk:
                self.note(f, None, x, "rules", f"policy {mode}: kept though the model left it out")
        for x in kept_r:
            self.fusion.sources[(f, *tag, key(x))] = ("both", False) if key(x) in mk else ("rules", not silent)
        for x in kept_m:
            self.fusion.sources[(f, *tag, key(x))] = ("model", False)
        if mode == "rules_first" and r and ok:
            for x in ok:
                self.note(f, x, None, "rules", "policy rules_first: the rules have values")
        return kept_r + kept_m


def _select(mode: str, r: list[str], ok: list[str], mk: set[str], silent: bool) -> tuple[list[str], list[str]]:
    """The rules' items and the supported model items a list mode keeps."""
    if mode == "rules" or (silent and mode in ("intersection", "model")):
        return list(r), []
    if mode == "union":
        return list(r), ok
    if mode == "rules_first":
        return (list(r), []) if r else ([], ok)
    agreed = [x for x in r if key(x) in mk]  # intersection, or model: the rules' items the model left out go
    return agreed, ok if mode == "model" else []


def arbitrate(rules: ExtractedReport, view: ModelView | None, ev: Evidence, policy: Policy) -> Fusion:
    """Fuse the recognisers' grounded candidates with the model's grounded answer."""
    model = view.answer if view is not None else ExtractedReport()
    out = Fusion(ExtractedReport(directives=list(model.directives)))
    arb = _Arbiter(ev, policy, view, out)
    rep = out.report
    check = lambda f: (lambda v: ev.scalar(f, v, rules.upstream_meetings))  # noqa: E731
    rep.headline = arb.scalar("headline", rules.headline, model.headline, check("headline"))
    rs, ms = rules.source, model.source
    rep.source = Source(outlet=arb.scalar("source.outlet", rs.outlet, ms.outlet, check("source.outlet")),
                        published_date=arb.scalar("source.published_date", rs.published_date, ms.published_date,
                                                  check("source.published_date")))
    for f in ("source.reporters", "source.photographers", "source.editors"):
        attr = _LIST_ATTRS[f][1]
        setattr(rep.source, attr, arb.items(f, getattr(rs, attr), getattr(ms, attr), lambda v, a=attr: ev.credit(a, v)))
    rep.meeting = _meeting(arb, rules.meeting, model.meeting, check)
    own = rep.meeting.name if rep.meeting is not None else None
    rep.upstream_meetings = arb.items("upstream_meetings", rules.upstream_meetings, model.upstream_meetings,
                                      lambda v: ev.upstream(v, own, rules.upstream_meetings))
    rep.slogans = arb.items("slogans", rules.slogans, model.slogans, ev.slogan)
    credits = {key(n) for n in rep.source.reporters + rep.source.photographers + rep.source.editors}
    rep.people = _people(arb, rules.people, model.people if rep.meeting is not None else [], credits)
    return out


def fused_record(doc: Document, rules: ExtractedReport, view: ModelView | None, policy: Policy,
                 usage: Usage | None = None, warnings: list[str] | None = None,
                 loc: Locator | None = None) -> tuple[MeetingReport, Fusion]:
    """The grounded record of the fusion, with per-value confidence and the overrides."""
    fusion = arbitrate(rules, view, Evidence(doc), policy)
    # a value the rules found is grounded where they found it (keys name the value, so a value
    # only the model gave has none and is searched for)
    fusion.report._found_at.update(rules._found_at)
    record = to_record(doc, fusion.report, usage, warnings, loc)
    record.diagnostics.overrides = fusion.overrides
    record.confidence = confidence(record, fusion, policy)
    return record, fusion


def _meeting(arb: _Arbiter, r: Meeting | None, m: Meeting | None, check) -> Meeting | None:
    if r is None and m is None:
        return None
    r0, m0 = r or Meeting(name=None), m or Meeting(name=None)
    vals = {}
    for attr in _MEETING_SCALARS:
        f = f"meeting.{attr}"
        if attr == "region":
            vals[attr] = arb.scalar(f, r0.region, m0.region, check(f), label=lambda v: v.name if v is not None else None)
        else:
            vals[attr] = arb.scalar(f, getattr(r0, attr), getattr(m0, attr), check(f))
    if vals["date"] is None:
        vals["time_of_day"] = None
    if r is None and vals["name"] is None:
        # a meeting only the model reports needs at least its name in the text's own words
        return None
    return Meeting(**vals)


def _people(arb: _Arbiter, r: list[Person], m: list[Person], credits: set[str]) -> list[Person]:
    ev = arb.ev
    by_r, by_m = {key(p.name): p for p in r}, {key(p.name): p for p in m}
    names = arb.items("people.name", [p.name for p in r], [p.name for p in m],
                      lambda n: key(n) not in credits and ev.person(n) is not None)
    everyone = [*names]
    out = []
    for name in names:
        k = key(name)
        rp, mp = by_r.get(k), by_m.get(k)
        if mp is None or "people.name" not in arb.asked:
            titles, roles = (rp.titles, rp.roles) if rp else ([], [])
            for t in titles:
                arb.fusion.sources[("people.titles", k, key(t))] = arb.fusion.sources[("people.name", k)]
            for x in roles:
                arb.fusion.sources[("people.roles", k, x)] = arb.fusion.sources[("people.name", k)]
        else:
            # a person only the model gives: its titles and roles are the model's supported ones
            ft = "model" if rp is None else None
            titles = arb.items("people.titles", rp.titles if rp else [], mp.titles,
                               lambda t, n=name: ev.title(n, t), tag=(k,), mode=ft)
            roles = arb.items("people.roles", rp.roles if rp else [], mp.roles,
                              lambda x, n=name: ev.role(n, x, everyone), tag=(k,), mode=ft)
        out.append(Person(name=name, titles=titles, roles=roles))
    return out


def confidence(record: MeetingReport, fusion: Fusion, policy: Policy) -> dict[str, Confidence]:
    """JSON pointer → source and score, for every value of the final record the fusion decided."""
    return {ptr: Confidence(source=source, score=policy.score(f, source, contested))
            for ptr, (f, source, contested) in pointer_sources(record, fusion).items()}


def pointer_sources(record: MeetingReport, fusion: Fusion) -> dict[str, tuple[str, str, bool]]:
    """JSON pointer → (eval field, source, contested) for every value of the final record."""
    out: dict[str, tuple[str, str, bool]] = {}

    def put(pointer: str, f: str, tkey: tuple) -> None:
        got = fusion.sources.get(tkey)
        if got is not None:
            out[pointer] = (f, *got)

    put("/headline", "headline", ("headline",))
    put("/source/outlet", "source.outlet", ("source.outlet",))
    put("/source/published_date", "source.published_date", ("source.published_date",))
    for f, (parent, attr) in _LIST_ATTRS.items():
        values = getattr(record.source if parent else record, attr)
        base = f"/{parent}/{attr}" if parent else f"/{attr}"
        for i, v in enumerate(values):
            put(f"{base}/{i}", f, (f, key(v)))
    m = record.meeting
    if m is not None:
        for attr in _MEETING_SCALARS:
            if getattr(m, attr) is not None:
                put(f"/meeting/{attr}" + ("/name" if attr == "region" else ""), f"meeting.{attr}", (f"meeting.{attr}",))
    for i, p in enumerate(record.people):
        k = key(p.name)
        put(f"/people/{i}/name", "people.name", ("people.name", k))
        for j, t in enumerate(p.titles):
            put(f"/people/{i}/titles/{j}", "people.titles", ("people.titles", k, key(t)))
        for j, x in enumerate(p.roles):
            put(f"/people/{i}/roles/{j}", "people.roles", ("people.roles", k, x))
    return out
