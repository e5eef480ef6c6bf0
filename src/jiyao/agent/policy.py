"""Fusion policy: per field, how the recognisers' value and the model's value are combined, and
how much each source is trusted (the record's `confidence` scores).

The default is safe with any model, however small or hostile: the rules' value stands, the model
may only fill a gap or add a list item the text supports (agent.py checks the evidence). A
policy written by `jiyao calibrate` from a labelled set may trust a good model further.

Policy file (JSON):
    {"policy_version": 1,
     "fields": {"people.titles": {"mode": "rules_first",
                                  "scores": {"both": 0.97, "rules": 0.9, "model": 0.6, "contested": 0.5}}, ...},
     "measured": {...}}          # optional: what calibrate measured, for people to read
Fields are jiyao.eval's field names; a field the file leaves out keeps its default.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..fields import FIELDS, LISTS, SCALARS

POLICY_VERSION = 1
SOURCES = ("rules", "model", "both")

# Scalars: rules (model ignored) | rules_first (model fills a gap) | model_first (the model's
# supported value wins a disagreement; rules fill its gap).
SCALAR_MODES = ("rules", "rules_first", "model_first")
# Lists (and a person's titles or roles): rules | union (rules + supported model items) |
# intersection (items both give; rules alone where the model was not asked) | model (the model's
# supported items) | rules_first (rules' items, the model's only where the rules have none).
LIST_MODES = ("rules", "union", "intersection", "model", "rules_first")

DEFAULT_MODES = {**{f: "rules_first" for f in SCALARS}, **{f: "union" for f in LISTS},
                 "people.name": "union", "people.titles": "rules_first", "people.roles": "rules"}
# Before any calibration: agreement is near-certain; the rules are right on most reports of the
# genre; a value only a model gives has passed the evidence check but nothing else; a value the
# other source contradicted is a coin toss.
DEFAULT_SCORES = {"both": 0.95, "rules": 0.85, "model": 0.6, "contested": 0.5}


class PolicyError(ValueError):
    pass


def modes_for(f: str) -> tuple[str, ...]:
    return SCALAR_MODES if f in SCALARS else LIST_MODES


@dataclass
class FieldPolicy:
    mode: str
    scores: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SCORES))


@dataclass
class Policy:
    fields: dict[str, FieldPolicy]
    measured: dict = field(default_factory=dict)

    @classmethod
    def default(cls) -> "Policy":
        return cls({f: FieldPolicy(DEFAULT_MODES[f]) for f in FIELDS})

    def mode(self, f: str) -> str:
        return self.fields[f].mode

    def score(self, f: str, source: str, contested: bool = False) -> float:
        s = self.fields[f].scores
        return round(s["contested"] if contested else s[source], 3)

    def to_json(self) -> dict:
        return {"policy_version": POLICY_VERSION,
                "fields": {f: {"mode": p.mode, "scores": p.scores} for f, p in self.fields.items()},
                "measured": self.measured}

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")

    @classmethod
    def from_json(cls, data: dict, where: str = "policy") -> "Policy":
        if not isinstance(data, dict) or data.get("policy_version") != POLICY_VERSION:
            raise PolicyError(f"{where}: not a jiyao fusion policy (policy_version {POLICY_VERSION} expected)")
        pol = cls.default()
        for f, spec in (data.get("fields") or {}).items():
            if f not in pol.fields:
                raise PolicyError(f"{where}: unknown field {f!r}")
            mode = spec.get("mode") if isinstance(spec, dict) else None
            if mode not in modes_for(f):
                raise PolicyError(f"{where}: field {f!r}: mode {mode!r} is not one of {', '.join(modes_for(f))}")
            scores = {**DEFAULT_SCORES, **(spec.get("scores") or {})}
            if any(not isinstance(v, (int, float)) or not 0 <= v <= 1 for v in scores.values()):
                raise PolicyError(f"{where}: field {f!r}: scores must be numbers in [0, 1]")
            pol.fields[f] = FieldPolicy(mode, {k: float(scores[k]) for k in DEFAULT_SCORES})
        pol.measured = data.get("measured") or {}
        return pol

    @classmethod
    def load(cls, path: str | Path) -> "Policy":
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PolicyError(f"{path}: cannot read the policy: {exc}") from exc
        return cls.from_json(data, str(path))
