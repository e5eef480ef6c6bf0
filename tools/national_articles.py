"""Write the articles of an evals/national/ set from ../shared/data/xwlb into a folder (never into
the repository): one `<story id>.txt` per story, `title + "\\n" + text` as the data's README says,
so that `jiyao extract` and `jiyao eval` run on them like on any folder.

    python tools/national_articles.py evals/national/dev out/national/dev/articles
"""
from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path



def shared_data() -> Path:
    """../shared/data beside the checkout: $JIYAO_SHARED_DATA, else the first folder above the
    repository that holds shared/data (a git worktree lives deeper than the main checkout)."""
    env = os.environ.get("JIYAO_SHARED_DATA")
    if env:
        return Path(env)
    for up in Path(__file__).resolve().parents[1:]:
        if (up / "shared" / "data").is_dir():
            return up / "shared" / "data"
    return Path(__file__).resolve().parents[2] / "shared" / "data"


DATA = shared_data() / "xwlb" / "xwlb_meetings_2012_2024.jsonl.gz"


def story_ids(set_dir: Path) -> list[str]:
    return [line.split("\t")[0] for line in (set_dir / "ids.txt").read_text("utf-8").splitlines() if line.strip()]


def articles(ids: list[str], data: Path = DATA) -> dict[str, str]:
    """story id → article text, for the ids asked (KeyError names an id the data lacks)."""
    wanted, out = set(ids), {}
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in wanted:
                out[row["id"]] = row["title"] + "\n" + row["text"]
    missing = wanted - set(out)
    if missing:
        raise KeyError(f"not in {data}: {', '.join(sorted(missing))}")
    return {i: out[i] for i in ids}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not DATA.exists():
        print(f"{DATA} is absent: the national sets need ../shared/data", file=sys.stderr)
        return 2
    set_dir, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    texts = articles(story_ids(set_dir))
    for sid, text in texts.items():
        (out / f"{sid}.txt").write_text(text, "utf-8")
    print(f"{len(texts)} articles -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
