"""`jiyao sample`: which articles of a corpus to label.

- random: a uniform sample (reservoir sampling, so a corpus of millions is read once in flat memory);
  the one to use when the numbers should estimate accuracy on the whole corpus.
- folder / length: stratified: each source folder (a site's pages; a table's rows) or each length
  band gets a share of N proportional to its size, at least one article while N allows, so small
  sites and long pages are not left out by chance.
- confidence: weighted by the extractor's own doubt, read from a records file: an article where the
  rules and the model disagreed (diagnostics.overrides) or a value has a low confidence score
  (records' `confidence`) is drawn more often. It finds errors fastest and is what calibration
  wants; its accuracy numbers over-represent hard articles (each drawn article's weight is kept in
  the list, so they can be re-weighted).
Every draw is reproducible from its seed, given the same corpus.
"""
from __future__ import annotations

import heapq
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..read.inputs import Item

STRATEGIES = ("random", "folder", "length", "confidence")
LENGTH_BANDS = (2_000, 6_000, 20_000)  # bytes of the article: short page, article, long report, beyond
DISAGREE_WEIGHT = 4.0  # extra weight of an article with an override (rules and model disagreed)
DOUBT_WEIGHT = 4.0  # extra weight per unit of doubt (1 - the lowest confidence score)
UNSURE_BELOW = 0.8  # a lowest score under this is an "unsure" article
NO_RECORD_WEIGHT = 1.0 + DOUBT_WEIGHT  # no record (the extractor failed): as doubtful as it gets


@dataclass(frozen=True)
class Doubt:
    """What a record says about how sure the extractor was."""
    doc_id: str
    overrides: int
    lowest: float | None  # lowest confidence score, None when the record has none (offline)

    @property
    def weight(self) -> float:
        return 1.0 + DISAGREE_WEIGHT * (self.overrides > 0) + DOUBT_WEIGHT * (1.0 - (self.lowest if self.lowest is not None else 1.0))

    @property
    def stratum(self) -> str:
        if self.overrides:
            return "disagree"
        return "unsure" if self.lowest is not None and self.lowest < UNSURE_BELOW else "sure"


@dataclass(frozen=True)
class Drawn:
    item: Item
    stratum: str
    stands_for: float | None = None  # random and stratified: corpus articles this one stands for (1/inclusion probability)
    draw_weight: float | None = None  # confidence: how strongly the draw favoured it
    doc_id: str | None = None  # the record's doc_id, when a record was matched


class Doubts(dict):
    """origin path → Doubt, and `base`: the folder the origin paths are relative to (the records')."""

    base: Path | None = None


def read_doubts(path: str | Path) -> dict[str, Doubt]:
    """origin path (the file as named to jiyao extract) → its record's doubt; a record without an
    origin is keyed by its doc_id. Only these few numbers are kept per record."""
    out = Doubts()
    out.base = Path(path).parent  # extract writes origins relative to its output's folder
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("doc_id"), str):
                continue
            diag = rec.get("diagnostics") if isinstance(rec.get("diagnostics"), dict) else {}
            conf = rec.get("confidence") if isinstance(rec.get("confidence"), dict) else {}
            scores = [c["score"] for c in conf.values() if isinstance(c, dict) and isinstance(c.get("score"), (int, float))]
            origin = rec.get("origin") if isinstance(rec.get("origin"), dict) else {}
            out[origin.get("path") or rec["doc_id"]] = Doubt(rec["doc_id"], len(diag.get("overrides") or []),
                                                             min(scores) if scores else None)
    return out


def doubt_of(item: Item, doubts: dict[str, Doubt]) -> Doubt | None:
    base = getattr(doubts, "base", None)
    return (doubts.get(item.origin(base)) if base is not None else None) or doubts.get(item.key) or doubts.get(item.doc_id)


def folder_of(item: Item) -> str:
    """The source an article came from: its folder, or the table its row is in."""
    return str(Path(item.path).parent) if item.path else item.key.rsplit("#", 1)[0]


def size_of(item: Item) -> int:
    if item.path:
        try:
            return Path(item.path).stat().st_size
        except OSError:
            return 0
    return len((item.text or "").encode("utf-8"))


def band_of(item: Item) -> str:
    n = size_of(item)
    lo = 0
    for hi in LENGTH_BANDS:
        if n < hi:
            return f"{lo}-{hi} bytes"
        lo = hi
    return f">={lo} bytes"


def _reservoir(items: Iterable, n: int, rng: random.Random) -> tuple[list, int]:
    """A uniform sample of n (Algorithm R) and how many there were."""
    kept, seen = [], 0
    for x in items:
        seen += 1
        if len(kept) < n:
            kept.append(x)
        else:
            j = rng.randrange(seen)
            if j < n:
                kept[j] = x
    return kept, seen


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """N split over strata in proportion to their sizes (largest remainder), every stratum at
    least one while N allows, never more than a stratum holds."""
    total = sum(sizes.values())
    if not total:
        return {}
    n = min(n, total)
    share = {s: 0 for s in sizes}
    if n >= len(sizes):
        share = {s: 1 for s in sizes}
    rest = n - sum(share.values())
    exact = {s: rest * c / total for s, c in sizes.items()}
    for s in share:
        share[s] += min(int(exact[s]), sizes[s] - share[s])
    order = sorted(sizes, key=lambda s: (-(exact[s] - int(exact[s])), s))
    while sum(share.values()) < n:
        for s in order:
            if sum(share.values()) < n and share[s] < sizes[s]:
                share[s] += 1
    return share


def _stratified(items: Iterable[Item], n: int, rng: random.Random, stratum_of) -> list[Drawn]:
    pools: dict[str, tuple[list, int]] = {}
    for it in items:
        s = stratum_of(it)
        kept, seen = pools.get(s, ([], 0))
        seen += 1
        if len(kept) < n:
            kept.append(it)
        elif (j := rng.randrange(seen)) < n:
            kept[j] = it
        pools[s] = (kept, seen)
    share = allocate({s: seen for s, (_, seen) in pools.items()}, n)
    out = []
    for s in sorted(pools):
        kept, seen = pools[s]
        rng.shuffle(kept)
        out += [Drawn(it, s, stands_for=seen / max(share[s], 1)) for it in kept[: share[s]]]
    return out


def _weighted(items: Iterable[Item], n: int, rng: random.Random, doubts: dict[str, Doubt]) -> list[Drawn]:
    """Weighted sampling without replacement (Efraimidis and Spirakis): key u^(1/w), the n largest."""
    heap: list[tuple[float, int, Drawn]] = []
    for i, it in enumerate(items):
        d = doubt_of(it, doubts)
        w = d.weight if d else NO_RECORD_WEIGHT
        drawn = Drawn(it, d.stratum if d else "no record", draw_weight=w, doc_id=d.doc_id if d else None)
        k = rng.random() ** (1.0 / w)
        if len(heap) < n:
            heapq.heappush(heap, (k, i, drawn))
        elif k > heap[0][0]:
            heapq.heapreplace(heap, (k, i, drawn))
    return [x[2] for x in sorted(heap, key=lambda x: (-x[0], x[1]))]


def draw(items: Iterable[Item], n: int, seed: int = 0, by: str = "random",
         doubts: dict[str, Doubt] | None = None) -> list[Drawn]:
    """N articles of ITEMS (articles that cannot be read are never drawn)."""
    if by not in STRATEGIES:
        raise ValueError(f"unknown sampling {by!r}; choose one of {', '.join(STRATEGIES)}")
    if by == "confidence" and doubts is None:
        raise ValueError("sampling by confidence needs the corpus's records (--records)")
    rng = random.Random(seed)
    items = (it for it in items if not it.error)
    if by == "random":
        kept, seen = _reservoir(items, n, rng)
        rng.shuffle(kept)
        out = [Drawn(it, "all", stands_for=seen / max(len(kept), 1)) for it in kept]
    elif by == "confidence":
        out = _weighted(items, n, rng, doubts or {})
    else:
        out = _stratified(items, n, rng, folder_of if by == "folder" else band_of)
    if doubts:  # the record's doc_id, so gold and records meet in jiyao eval
        out = [Drawn(x.item, x.stratum, x.stands_for, x.draw_weight,
                     x.doc_id or ((d := doubt_of(x.item, doubts)) and d.doc_id) or None) for x in out]
    return out
