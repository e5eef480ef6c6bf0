"""Is a record's confidence honest? Per field, how often a value is right by its source (rules,
model, both) and by confidence band: a band whose values score 0.9 should be right 90% of the time.

A value is right when gold has it: a scalar equal to gold's, a list item among gold's items, a
person's title or role among the gold person's (people matched by name), compared by the
harness's own key (score.key).
"""
from __future__ import annotations

from .score import key, value_at

BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.0001))


def band_label(lo: float, hi: float) -> str:
    return f"{lo:.1f}–{min(hi, 1.0):.1f}"


def pointer_field(pointer: str) -> str:
    """/people/0/titles/1 → people.titles; /meeting/region/name → meeting.region; /slogans/2 → slogans."""
    parts = [p for p in pointer.strip("/").split("/") if not p.isdigit()]
    if parts[:2] == ["meeting", "region"]:
        return "meeting.region"
    return ".".join(parts)


def is_right(record: dict, gold: dict, pointer: str) -> bool | None:
    """Whether the value at pointer is gold's (None: the pointer names no value)."""
    parts = pointer.strip("/").split("/")
    value = value_at(record, pointer)
    if value is None:
        return None
    v = key(value)
    if parts[0] == "people":
        person = value_at(record, "/".join(parts[:2])) or {}
        match = next((g for g in gold.get("people") or [] if key(g.get("name")) == key(person.get("name"))), None)
        if parts[2] == "name":
            return match is not None
        return match is not None and v in {key(x) for x in match.get(parts[2]) or []}
    if parts[-1].isdigit():  # an item of a list of strings
        return v in {key(x) for x in value_at(gold, pointer.rsplit("/", 1)[0]) or []}
    return v == key(value_at(gold, pointer))


def reliability(records: dict[str, dict], gold: dict[str, dict]) -> dict:
    """field → {"by_source": {source: {n, right, accuracy}}, "by_band": {band: {n, right, accuracy, mean_score}}}."""
    out: dict[str, dict] = {}
    for doc, g in gold.items():
        rec = records.get(doc) or {}
        for pointer, c in (rec.get("confidence") or {}).items():
            right = is_right(rec, g, pointer)
            if right is None:
                continue
            f = out.setdefault(pointer_field(pointer), {"by_source": {}, "by_band": {}})
            lo, hi = next(b for b in BANDS if b[0] <= c["score"] < b[1])
            for cell in (f["by_source"].setdefault(c["source"], {"n": 0, "right": 0}),
                         f["by_band"].setdefault(band_label(lo, hi), {"n": 0, "right": 0, "score_sum": 0.0})):
                cell["n"] += 1
                cell["right"] += int(right)
                if "score_sum" in cell:
                    cell["score_sum"] += c["score"]
    for f in out.values():
        for cell in [*f["by_source"].values(), *f["by_band"].values()]:
            cell["accuracy"] = round(cell["right"] / cell["n"], 4)
            if "score_sum" in cell:
                cell["mean_score"] = round(cell.pop("score_sum") / cell["n"], 4)
    return dict(sorted(out.items()))


def to_markdown(table: dict) -> list[str]:
    """The report section: per field, accuracy by source and by confidence band."""
    if not table:
        return []
    out = ["\n### Confidence: accuracy by source and by band\n",
           "| field | rules | model | both | " + " | ".join(band_label(*b) for b in BANDS) + " |",
           "|---|---|---|---|" + "---|" * len(BANDS)]

    def cell(c: dict | None, score: bool = False) -> str:
        if not c:
            return "-"
        return f"{c['accuracy']:.2f} (n={c['n']}" + (f", mean {c['mean_score']:.2f})" if score else ")")

    for f, t in table.items():
        srcs = [cell(t["by_source"].get(s)) for s in ("rules", "model", "both")]
        bands = [cell(t["by_band"].get(band_label(*b)), True) for b in BANDS]
        out.append(f"| {f} | " + " | ".join(srcs + bands) + " |")
    return out + [""]
