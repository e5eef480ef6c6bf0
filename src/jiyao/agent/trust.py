"""How far this model can be trusted on this article, measured where it can be: on the values the
rules are sure of (their value passes its field's evidence check, evidence.py), how often the model
gave the same value. A model that agrees with the rules almost everywhere they are sure is probably
right where they are unsure; one that contradicts them on sure values (a wrong or injected model)
is not. Fusion (fuse.py) lets a trusted model decide the disagreements the evidence leaves open.

Where the model says something of its own (a value the rules lack or contradict), the check is
whether the text supports it: a wrong model's values fail there too. The overall rate is smoothed
by one pass and one failure, so an article with nothing to check gives 0.5 and one with three
passes 0.8. A model that was not asked about a field, or gave no list at all (lazy, or a focused
answer about a few sentences), is not compared there.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PRIOR_AGREE, PRIOR_DISAGREE = 1, 1
FIELD_WEIGHT = 2  # a field's own rate counts as this many comparisons at the article's rate


@dataclass
class Trust:
    # field → [agreed, compared, supported, checked]: the rules' sure values the model repeated, and
    # the model's own values (where it differs or adds) the text supports
    counts: dict[str, list[int]] = field(default_factory=dict)

    def agree(self, f: str, agreed: bool) -> None:
        c = self.counts.setdefault(f, [0, 0, 0, 0])
        c[0] += int(agreed)
        c[1] += 1

    def check(self, f: str, supported: bool) -> None:
        c = self.counts.setdefault(f, [0, 0, 0, 0])
        c[2] += int(supported)
        c[3] += 1

    def compared(self, f: str | None = None) -> int:
        """How many of the rules' sure values the model was compared on (all: every check too)."""
        if f is not None:
            return self.counts.get(f, [0, 0, 0, 0])[1]
        return sum(c[1] + c[3] for c in self.counts.values())

    def passed(self, f: str) -> int:
        """How many checks of this field the answer passed (agreements and supported values)."""
        c = self.counts.get(f, [0, 0, 0, 0])
        return c[0] + c[2]

    def rate(self, f: str | None = None) -> float:
        """Overall (f None): the smoothed share of checks the answer passed, agreements and
        supported values together. For a field: its agreement with the rules' sure values, shrunk
        toward the overall rate (an unsupported value of the model's own is no contradiction of
        the rules, and a list of two is little evidence)."""
        passed = sum(c[0] + c[2] for c in self.counts.values())
        overall = (passed + PRIOR_AGREE) / (self.compared() + PRIOR_AGREE + PRIOR_DISAGREE)
        if f is None:
            return overall
        a, n = self.counts.get(f, [0, 0, 0, 0])[:2]
        return (a + FIELD_WEIGHT * overall) / (n + FIELD_WEIGHT)

    def summary(self) -> str:
        c = [sum(x[i] for x in self.counts.values()) for i in range(4)]
        return (f"the model repeated {c[0]} of the {c[1]} values the rules are sure of, and the text supports {c[2]} "
                f"of its {c[3]} own values: trust {self.rate():.2f}")
