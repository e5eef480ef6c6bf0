"""`jiyao eval --fail-under`: the eval as a gate. `0.90` applies to overall strict F1;
`people.name=0.95` to one field; several may be given; every system (--pred) must pass."""
from __future__ import annotations

from .score import FIELDS


class GateError(ValueError):
    pass


def parse(specs: list[str]) -> dict[str, float]:
    out = {}
    for spec in specs:
        name, _, value = spec.rpartition("=") if "=" in spec else ("overall", "", spec)
        name = name.strip() or "overall"
        if name not in FIELDS and name != "overall":
            raise GateError(f"--fail-under {spec!r}: unknown field {name!r} (fields: overall, {', '.join(FIELDS)})")
        try:
            v = float(value)
        except ValueError:
            raise GateError(f"--fail-under {spec!r}: {value!r} is not a number") from None
        if not 0.0 <= v <= 1.0:
            raise GateError(f"--fail-under {spec!r}: a threshold is between 0 and 1")
        out[name] = v
    return out


def failures(rep: dict, gates: dict[str, float]) -> list[str]:
    """One line per (system, field) below its threshold, on strict F1."""
    out = []
    for s in rep["systems"]:
        for name, t in gates.items():
            f1 = s["fields"][name]["strict"]["f1"]
            if f1 < t:
                out.append(f"{s['name']}: {name} strict F1 {f1:.3f} < {t:.3f}")
    return out
