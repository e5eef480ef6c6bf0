"""Fusion policy: per field, how the recognisers' value and the model's value are combined, and
how much each source is trusted (the record's `confidence` scores).

The default (mode `evidence`, fuse.py) decides each disagreement by the evidence in the text and
by how far this model is trusted on this article (trust.py: its agreement with the rules where they
are sure): a model must reach the field's `trust` threshold before it may overrule the rules, and
even then only where the evidence does not speak against it. A wrong, lazy or injected model never
reaches it; an oracle does. A policy written by `jiyao calibrate` from a labelled set sets, per
field, the mode and threshold that scored best there.

Policy file (JSON):
    {"policy_version": 1,
     "fields": {"people.titles": {"mode": "evidence", "trust": 0.9,
                                  "scores": {"both": 0.97, "rules": 0.9, "model": 0.6, "contested": 0.5}}, ...},
     "measured": {...}}          # optional: what calibrate measured, for people to read
Fields are jiyao.eval's field names; a field the file leaves out keeps its default; `trust` is
read by mode `evidence` only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..fields import FIELDS, LISTS, SCALARS

POLICY_VERSION = 1
SOURCES = ("rules", "model", "both")

# Every field: evidence (the evidence in the text and the model's trust on the article decide, fuse.py).
# Scalars also: rules (model ignored) | rules_first (model fills a gap) | model_first (the model's
# supported value wins a disagreement; rules fill its gap).
SCALAR_MODES = ("evidence", "rules", "rules_first", "model_first")
# Lists (and a person's titles or roles) also: rules | union (rules + supported model items) |
# intersection (items both give; rules alone where the model was not asked) | model (the model's
# supported items) | rules_first (rules' items, the model's only where the rules have none).
LIST_MODES = ("evidence", "rules", "union", "intersection", "model", "rules_first")

DEFAULT_MODES = {f: "evidence" for f in FIELDS}
# The agreement with the rules' sure values (trust.py) a model needs before it may overrule them:
# four agreements and no disagreement give (4+1)/(4+2) = 0.83; one miss in six sure values and one
# unsupported value in six of its own, (10+1)/(12+2) = 0.79 (a good model where the rules are wrong
# about a value they are sure of); the wrong and injected scripted models stay below 0.65.
DEFAULT_TRUST = 0.75
# What calibrate tries; 0.5 is what a model earns with nothing to measure it on (focused answers).
TRUST_LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
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
    trust: float = DEFAULT_TRUST


@dataclass
class Policy:
    fields: dict[str, FieldPolicy]
    measured: dict = field(default_factory=dict)

    @classmethod
    def default(cls) -> "Policy":
        return cls({f: FieldPolicy(DEFAULT_MODES[f]) for f in FIELDS})

    def mode(self, f: str) -> str:
        return self.fields[f].mode

    def trust(self, f: str) -> float:
        return self.fields[f].trust

    def score(self, f: str, source: str, contested: bool = False) -> float:
        s = self.fields[f].scores
        return round(s["contested"] if contested else s[source], 3)

    def to_json(self) -> dict:
        return {"policy_version": POLICY_VERSION,
                "fields": {f: {"mode": p.mode, "trust": p.trust, "scores": p.scores} for f, p in self.fields.items()},
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
            trust = spec.get("trust", DEFAULT_TRUST)
            if not isinstance(trust, (int, float)) or isinstance(trust, bool) or not 0 <= trust <= 1.01:
                raise PolicyError(f"{where}: field {f!r}: trust must be a number in [0, 1]")
            pol.fields[f] = FieldPolicy(mode, {k: float(scores[k]) for k in DEFAULT_SCORES}, float(trust))
        pol.measured = data.get("measured") or {}
        return pol

    @classmethod
    def load(cls, path: str | Path) -> "Policy":
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PolicyError(f"{path}: cannot read the policy: {exc}") from exc
        return cls.from_json(data, str(path))
