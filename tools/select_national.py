"""Draw the national-story evaluation sets (evals/national/) from ../shared/data/xwlb, reproducibly.

Stratified by the kind of meeting the title names, so that every kind the record format covers is
in every set; stories over 3,000 characters are left out (a labeller must read every name).
Only story ids are written; the text stays in ../shared/data and is never committed.

    python tools/select_national.py            # writes evals/national/{dev,blind}/ids.txt
    python tools/select_national.py --set dev2 --n 25 --seed 20261218 --since 2022
                                               # a further set, none of whose stories is in an
                                               # existing set's ids.txt (the newest years only)
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from national_articles import DATA, story_ids  # noqa: E402 - one place finds ../shared/data
# (kind, title pattern, dev count, blind count); a story goes to the first kind it matches
KINDS = [
    ("talks", r"会见|会谈|通话", 2, 1),
    ("state_council", r"国务院常务会议", 5, 3),
    ("politburo", r"政治局", 4, 2),
    ("npc", r"人大常委会|委员长会议", 4, 3),
    ("cppcc", r"政协", 3, 2),
    ("symposium", r"座谈会", 4, 3),
    ("work_conference", r"工作会议", 4, 2),
    ("plenum_congress", r"全会|代表大会", 2, 2),
    ("other", r".", 2, 2),
]
MAX_CHARS = 3000
NATIONAL = ROOT / "evals" / "national"


def _kind(title: str) -> str:
    return next(k for k, rx, *_ in KINDS if re.search(rx, title))


def _pools(rows: list[dict], since: int = 0, exclude: frozenset = frozenset()) -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {k: [] for k, *_ in KINDS}
    for r in rows:
        if len(r["text"]) > MAX_CHARS or int(r["date"][:4]) < since or r["id"] in exclude:
            continue
        by_kind[_kind(r["title"])].append(r)
    return {k: sorted(v, key=lambda r: r["id"]) for k, v in by_kind.items()}


def quotas(n: int) -> dict[str, int]:
    """n stories shared among the kinds in proportion to the dev+blind counts (largest remainder),
    every kind at least one."""
    weights = {k: d + b for k, _, d, b in KINDS}
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    out = {k: max(1, int(v)) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - int(exact[k]), reverse=True):
        if sum(out.values()) >= n:
            break
        out[k] += 1
    return out


def _write(name: str, chosen: list[tuple[str, dict]]) -> None:
    out = NATIONAL / name
    out.mkdir(parents=True, exist_ok=True)
    (out / "ids.txt").write_text("".join(f"{r['id']}\t{kind}\t{r['date']}\n" for kind, r in chosen), "utf-8")
    print(f"{name}: {len(chosen)} stories -> {out / 'ids.txt'}")


def draw_dev_blind(rows: list[dict]) -> None:
    """The first two sets, exactly as they were drawn (seed 20261204, all years)."""
    rng = random.Random(20261204)
    pools = _pools(rows)
    dev, blind = [], []
    for kind, _, n_dev, n_blind in KINDS:
        picked = rng.sample(pools[kind], n_dev + n_blind)
        dev += [(kind, r) for r in picked[:n_dev]]
        blind += [(kind, r) for r in picked[n_dev:]]
    _write("dev", dev)
    _write("blind", blind)


def draw_more(rows: list[dict], name: str, n: int, seed: int, since: int) -> None:
    """A further set: stories from `since` on, none listed in any existing set's ids.txt (only the
    ids are read there, never a story)."""
    taken = frozenset(sid for d in NATIONAL.iterdir() if d.name != name and (d / "ids.txt").exists()
                      for sid in story_ids(d))
    rng = random.Random(seed)
    pools = _pools(rows, since=since, exclude=taken)
    chosen = [(kind, r) for kind, k in quotas(n).items() for r in rng.sample(pools[kind], k)]
    _write(name, chosen)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", help="name of a further set to draw (dev and blind are drawn without it)")
    ap.add_argument("--n", type=int, default=25)
    ap.add_argument("--seed", type=int, default=20261218)
    ap.add_argument("--since", type=int, default=2022, help="first broadcast year drawn from")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"{DATA} is absent: nothing to draw", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in gzip.open(DATA, "rt", encoding="utf-8")]
    if args.set in (None, "dev", "blind"):
        draw_dev_blind(rows)
    else:
        draw_more(rows, args.set, args.n, args.seed, args.since)
    return 0


if __name__ == "__main__":
    sys.exit(main())
