"""Draw the national-story evaluation sets (evals/national/) from ../shared/data/xwlb, reproducibly.

Stratified by the kind of meeting the title names, so that every kind the record format covers is
in both sets; stories over 3,000 characters are left out (a labeller must read every name).
Only story ids are written; the text stays in ../shared/data and is never committed.

    python tools/select_national.py            # writes evals/national/{dev,blind}/ids.txt
"""
from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from national_articles import DATA  # noqa: E402 - one place finds ../shared/data
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


def main() -> int:
    if not DATA.exists():
        print(f"{DATA} is absent: nothing to draw", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in gzip.open(DATA, "rt", encoding="utf-8")]
    rng = random.Random(20261204)
    by_kind: dict[str, list[dict]] = {k: [] for k, *_ in KINDS}
    for r in rows:
        if len(r["text"]) > MAX_CHARS:
            continue
        kind = next(k for k, rx, *_ in KINDS if re.search(rx, r["title"]))
        by_kind[kind].append(r)
    dev, blind = [], []
    for kind, _, n_dev, n_blind in KINDS:
        pool = sorted(by_kind[kind], key=lambda r: r["id"])
        picked = rng.sample(pool, n_dev + n_blind)
        dev += [(kind, r) for r in picked[:n_dev]]
        blind += [(kind, r) for r in picked[n_dev:]]
    for name, chosen in (("dev", dev), ("blind", blind)):
        out = ROOT / "evals" / "national" / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "ids.txt").write_text("".join(f"{r['id']}\t{kind}\t{r['date']}\n" for kind, r in chosen), "utf-8")
        print(f"{name}: {len(chosen)} stories -> {out / 'ids.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
