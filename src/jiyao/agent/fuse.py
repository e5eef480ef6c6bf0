"""The hybrid agent's arbiter: the recognisers' record and the model's answer, fused field by field
by evidence and a policy (policy.py), never by who spoke last.

- Agreement stands with high confidence (source `both`).
- Every value, the rules' and the model's alike, is checked against the text (evidence.py): a
  person must take part in a sentence of the article, a slogan must be quoted, an upstream meeting
  must follow a relay cue, a venue must follow 在…
- The model's trust on this article (trust.py) is how often it gave the rules' value where the
  rules are sure (their value has evidence). Under the default policy (mode `evidence`) a
  disagreement goes to the model only when it is trusted and the evidence does not speak against
  it: its value has evidence, or the rules' value has none. A value only the model gives is kept
  when the text supports it, or when the model is trusted; a value only the rules give is dropped
  only when a trusted model left it out and it has no evidence. A wrong or injected model
  contradicts the rules where they are sure and so is never trusted; a lazy one (no list at all) is
  silent, not a correction.
- The same mention cut two ways (韩正起身 / 韩正, 新当选的国家副主席 / 国家副主席) is one
  disagreement, decided like a scalar.
- Every value of one source set aside for the other's is recorded as an Override.

The fixed modes (rules, rules_first, model_first, union, intersection, model) remain for policies
that name them; `jiyao calibrate` picks, per field, a mode and the trust a model needs.

Values are compared by jiyao.eval's key (script, width, quotes, spaces folded) and tracked by
typed keys, never by JSON pointers parsed back (a name may contain `/`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..fields import FIELDS, SCALARS, key
from .evidence import Evidence
from ..ground.spans import Locator, to_record
from .policy import Policy
from .trust import Trust
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
    trust: Trust | None = None


class _Arbiter:
    def __init__(self, ev: Evidence, policy: Policy, view: ModelView | None, fusion: Fusion, checks: "Checks"):
        self.ev, self.policy, self.fusion, self.checks = ev, policy, fusion, checks
        self.asked = view.asked if view is not None else frozenset()
        self.partial = view is not None and view.partial
        self.trust = fusion.trust or Trust()

    def note(self, f: str, value, kept, winner: str | None, reason: str) -> None:
        self.fusion.overrides.append(Override(field=f, value=None if value is None else str(value),
                                              kept=None if kept is None else str(kept), winner=winner, reason=reason))

    def trusted(self, f: str, listwise: bool = False) -> bool:
        """Whether the model is trusted on this field of this article: its overall agreement with
        the rules' sure values reaches the field's threshold, and for a list its agreement on that
        list too (where there was any to measure)."""
        tau = self.policy.trust(f)
        ok = self.trust.rate() >= tau
        if listwise and self.trust.compared(f):
            ok = ok and self.trust.rate(f) >= tau
        return ok

    def believed(self, f: str, listwise: bool = False) -> bool:
        """Trusted enough to be believed where the text cannot check the model's value: a quarter
        of the way from the field's threshold to certainty (0.8 → 0.85)."""
        tau = self.policy.trust(f)
        strong = tau + (1 - tau) / 4
        ok = self.trust.rate() >= strong
        if listwise and self.trust.compared(f):
            ok = ok and self.trust.rate(f) >= strong
        return ok

    def _why(self, f: str) -> str:
        return f"model trust {self.trust.rate():.2f} vs {self.policy.trust(f):.2f} needed"

    def scalar(self, f: str, r, m, supported, label=lambda v: v):
        """The fused value of one scalar field; `label` gives the comparable string of a value."""
        if f not in self.asked:
            m = None
        kr, km = key(label(r)) if r is not None else "", key(label(m)) if m is not None else ""
        if kr and kr == km:
            self.fusion.sources[(f,)] = ("both", False)
            return r
        mode = self.policy.mode(f)
        if mode == "evidence":
            return self._scalar_by_evidence(f, r, m, kr, km, supported, label)
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

    def _scalar_by_evidence(self, f: str, r, m, kr: str, km: str, supported, label):
        trusted = self.trusted(f)
        r_ok = bool(kr) and supported(label(r))
        m_ok = bool(km) and supported(label(m))
        src = self.fusion.sources
        if not kr:
            # a gap: filled by a focused answer (it earns no trust) or a trusted one with evidence, or
            # a believed one; an untrusted whole answer fills nothing (a wrong model's 视频 has evidence too)
            if km and ((m_ok and (trusted or self.partial)) or self.believed(f)):
                src[(f,)] = ("model", False)
                return m
            if km:
                self.note(f, label(m), None, None, f"model value rejected: no evidence in the text ({self._why(f)})")
            return None
        if not km:
            if f in self.asked and trusted and not r_ok:
                self.note(f, label(r), None, "model", f"the model says none and the rules' value has no evidence ({self._why(f)})")
                return None
            src[(f,)] = ("rules", False)
            return r
        if (m_ok and trusted) or (not m_ok and not r_ok and self.believed(f)):
            why = "its value has evidence" if m_ok else "neither value has evidence"
            self.note(f, label(r), label(m), "model", f"disagreement: {why} ({self._why(f)})")
            src[(f,)] = ("model", True)
            return m
        why = self._why(f) if not trusted else "the model's value has no evidence, the rules' has"
        self.note(f, label(m), label(r), "rules", f"disagreement: {why}")
        src[(f,)] = ("rules", True)
        return r

    def _items_by_evidence(self, f: str, r: list[str], m: list[str], supported, tag: tuple) -> list[str]:
        silent = not m  # a model that gives nothing is lazy or unasked, not a correction
        omits = not silent and not self.partial  # focused answers saw a few sentences only
        trusted = self.trusted(f, listwise=True)
        src = self.fusion.sources
        rk, mk = {key(x) for x in r}, {key(y) for y in m}
        extra_m = [y for y in dict.fromkeys(m) if key(y) not in rk]
        pairs: dict[str, str] = {}  # one mention cut two ways: the rules' item → the model's
        for x in r:
            if key(x) not in mk:
                y = next((y for y in extra_m if y not in pairs.values() and _same_mention(x, y)), None)
                if y is not None:
                    pairs[x] = y
        kept: list[str] = []
        for x in r:
            if key(x) in mk:
                kept.append(x); src[(f, *tag, key(x))] = ("both", False)
            elif x in pairs:
                y = pairs[x]
                y_ok, x_ok = supported(y), supported(x)
                if (y_ok and trusted) or (not y_ok and not x_ok and self.believed(f, listwise=True)):
                    self.note(f, x, y, "model", f"the same mention cut two ways ({self._why(f)})")
                    kept.append(y); src[(f, *tag, key(y))] = ("model", True)
                else:
                    self.note(f, y, x, "rules", "the same mention cut two ways: " + (
                        self._why(f) if not trusted else "the model's value has no evidence, the rules' has"))
                    kept.append(x); src[(f, *tag, key(x))] = ("rules", True)
            elif omits and trusted and not supported(x):
                self.note(f, x, None, "model", f"left out by the model and no evidence in the text ({self._why(f)})")
            else:
                if omits:
                    self.note(f, None, x, "rules", "kept though the model left it out: " + (
                        "it has evidence in the text" if supported(x) else self._why(f)))
                kept.append(x); src[(f, *tag, key(x))] = ("rules", omits)
        for y in extra_m:
            if y in pairs.values():
                continue
            # with evidence, a trusted model adds to the list, and so does a focused answer (it earns
            # no trust: it was asked about these sentences only); an untrusted whole answer adds
            # nothing: a wrong model's values have evidence too (any quote, 习近平…强调 relayed).
            # Without evidence, only a model whose answer on this very list checked out is believed
            if (supported(y) and (trusted or self.partial)) \
                    or (self.believed(f, listwise=True) and self.trust.passed(f)):
                kept.append(y); src[(f, *tag, key(y))] = ("model", False)
            else:
                self.note(f, y, None, None, "model value rejected: " + (
                    self._why(f) if supported(y) else f"no evidence in the text ({self._why(f)})"))
        return kept

    def items(self, f: str, r: list[str], m: list[str], supported, tag: tuple = (), mode: str | None = None) -> list[str]:
        """A fused list; `tag` prefixes the typed keys (a person's name for titles and roles)."""
        mode = mode or self.policy.mode(f)
        asked = f in self.asked
        m = m if asked else []
        if mode == "evidence":
            return self._items_by_evidence(f, r, m, supported, tag)
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


def _same_mention(x: str, y: str) -> bool:
    """Two list items that are one mention cut differently: one holds the other (韩正起身 / 韩正)."""
    a, b = key(x), key(y)
    return min(len(a), len(b)) >= 2 and (a in b or b in a)


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


def _scalar_value(r: ExtractedReport, f: str):
    """The comparable string of a scalar field of an answer (a region by its name)."""
    if f == "headline":
        return r.headline
    part, attr = f.split(".")
    if part == "source":
        return getattr(r.source, attr)
    v = getattr(r.meeting, attr) if r.meeting is not None else None
    return v.name if attr == "region" and v is not None else v


class Checks:
    """The evidence check of every field for one article's values, rules' and model's alike
    (evidence.py), with what they need beyond the value: the meeting names and people on the table."""

    def __init__(self, ev: Evidence, rules: ExtractedReport, model: ExtractedReport):
        self.ev, self.upstream = ev, rules.upstream_meetings
        self.names = [m.name for m in (rules.meeting, model.meeting) if m is not None and m.name]
        self.people = list(dict.fromkeys(p.name for p in rules.people + model.people))
        self.own = rules.meeting.name if rules.meeting else None  # arbitrate sets the fused one

    def scalar(self, f: str):
        return lambda v: self.ev.scalar(f, str(v), self.upstream, self.names)

    def item(self, f: str):
        ev = self.ev
        if f == "upstream_meetings":
            return lambda v: ev.upstream(v, self.own, self.upstream)
        if f == "slogans":
            return ev.slogan
        if f == "people.name":
            return lambda v: ev.person(v) is not None
        return lambda v, a=f.split(".")[1]: ev.credit(a, v)

    def title(self, name: str):
        return lambda t: self.ev.title(name, t, self.people)

    def role(self, name: str, everyone: list[str]):
        return lambda x: self.ev.role(name, x, everyone)


def measure_trust(rules: ExtractedReport, view: ModelView | None, checks: Checks) -> Trust:
    """How far the model's answer checks out on this article (trust.py): where the rules are sure
    (their value has evidence), did the model give the same value; where the model says something
    of its own, does the text support it. Compared: every scalar the model was asked about, every
    item of a list it gave (a focused answer's lists cover a few sentences: their omissions are not
    counted), and the titles and roles of the people."""
    trust = Trust()
    if view is None or view.partial:
        # focused answers are about what the rules are unsure of, from candidates the text offers:
        # they check out by construction, so they earn no trust (the policy may grant it, calibrated)
        return trust
    model, asked = view.answer, view.asked

    def compare(f: str, r: list[str], m: list[str], ok, omissions: bool = True) -> None:
        rk, mk = {key(x) for x in r}, {key(y) for y in m}
        for x in r:
            if omissions and ok(x):
                trust.agree(f, key(x) in mk)
        for y in dict.fromkeys(m):
            if key(y) not in rk:
                trust.check(f, ok(y))

    for f in SCALARS:
        if f in asked:
            r, m = _scalar_value(rules, f), _scalar_value(model, f)
            if r is not None and checks.scalar(f)(r):
                trust.agree(f, m is not None and key(m) == key(r))
            elif m is not None and (r is None or key(m) != key(r)):
                trust.check(f, checks.scalar(f)(m))
    for f, (parent, attr) in _LIST_ATTRS.items():
        r, m = (getattr(x.source if parent else x, attr) for x in (rules, model))
        if f in asked and m:
            compare(f, r, m, checks.item(f), omissions=not view.partial)
    if "people.name" not in asked or not model.people:
        return trust
    compare("people.name", [p.name for p in rules.people], [p.name for p in model.people], checks.item("people.name"),
            omissions=not view.partial)
    by_r = {key(p.name): p for p in rules.people}
    everyone = checks.people
    for mp in model.people:
        rp = by_r.get(key(mp.name))
        compare("people.titles", rp.titles if rp else [], mp.titles, checks.title(mp.name))
        compare("people.roles", rp.roles if rp else [], mp.roles, checks.role(mp.name, everyone))
    return trust


def arbitrate(rules: ExtractedReport, view: ModelView | None, ev: Evidence, policy: Policy) -> Fusion:
    """Fuse the recognisers' grounded candidates with the model's grounded answer."""
    model = view.answer if view is not None else ExtractedReport()
    checks = Checks(ev, rules, model)
    out = Fusion(ExtractedReport(directives=list(model.directives)), trust=measure_trust(rules, view, checks))
    arb = _Arbiter(ev, policy, view, out, checks)
    rep = out.report
    check = checks.scalar
    rep.headline = arb.scalar("headline", rules.headline, model.headline, check("headline"))
    rs, ms = rules.source, model.source
    rep.source = Source(outlet=arb.scalar("source.outlet", rs.outlet, ms.outlet, check("source.outlet")),
                        published_date=arb.scalar("source.published_date", rs.published_date, ms.published_date,
                                                  check("source.published_date")))
    for f in ("source.reporters", "source.photographers", "source.editors"):
        attr = _LIST_ATTRS[f][1]
        setattr(rep.source, attr, arb.items(f, getattr(rs, attr), getattr(ms, attr), lambda v, a=attr: ev.credit(a, v)))
    rep.meeting = _meeting(arb, rules.meeting, model.meeting, check)
    checks.own = rep.meeting.name if rep.meeting is not None else None
    # a report of no meeting relays none (national labelling decisions): like its people, a model's
    # relayed meetings need the meeting
    rep.upstream_meetings = arb.items("upstream_meetings", rules.upstream_meetings,
                                      model.upstream_meetings if rep.meeting is not None else [],
                                      checks.item("upstream_meetings"))
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
    if view is not None and fusion.trust is not None and fusion.trust.compared():
        record.diagnostics.warnings.append("hybrid: " + fusion.trust.summary())
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
    # a time of day stands without a date (24日上午: a day without a month has no date, SPEC)
    if r is None and vals["name"] is None and not (m is not None and arb.trusted("meeting.name")):
        # a meeting only the model reports needs its name in the text's own words, or a trusted
        # model (an unnamed 座谈 the rules did not see is a meeting too, SPEC)
        return None
    return Meeting(**vals)


def _people(arb: _Arbiter, r: list[Person], m: list[Person], credits: set[str]) -> list[Person]:
    ev = arb.ev
    by_r, by_m = {key(p.name): p for p in r}, {key(p.name): p for p in m}
    for p in m:  # a credited name is no participant, however trusted the model
        if key(p.name) in credits and key(p.name) not in by_r:
            arb.note("people.name", p.name, None, None, "model value rejected: a credited name (记者/编辑…)")
    names = arb.items("people.name", [p.name for p in r], [p.name for p in m if key(p.name) not in credits or key(p.name) in by_r],
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
            ft = "model" if rp is None and arb.policy.mode("people.titles") != "evidence" else None
            titles = arb.items("people.titles", rp.titles if rp else [], mp.titles,
                               arb.checks.title(name), tag=(k,), mode=ft)
            fr = "model" if rp is None and arb.policy.mode("people.roles") != "evidence" else None
            roles = arb.items("people.roles", rp.roles if rp else [], mp.roles,
                              lambda x, n=name: ev.role(n, x, everyone), tag=(k,), mode=fr)
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
