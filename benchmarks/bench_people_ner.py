"""The people recogniser against person names labelled by others (People's Daily 1998 and the
SIGHAN 2006 MSRA test set, BIO files in ../shared/data/ner/, see its README), beside LAC alone.

    python benchmarks/bench_people_ner.py [--out benchmarks/results/people_ner.json]

Which sentences: those that name an official with a title — at least one labelled PER mention
stands next to a title. "Next to a title" uses the recognisers' own title words
(lexicon.TITLE_ENDINGS + lexicon.PEOPLE_TITLE_ENDINGS): the text right before the mention ends
with one (县委书记|张三, 副主席|李四), or the text right after it starts with one (张三|会长). Such a
mention is a *titled* mention.

What is measured, per sentence (names compared as strings after jiyao's normalisation, a name
counted once per sentence):
- recall: titled mentions whose name the system returns;
- recall at meetings: the same over sentences that hold a word of taking part in a meeting
  (lexicon.PARTAKE_WORDS: 出席, 主持, 参加, 讲话…), where the recogniser is meant to read names;
- precision: names the system returns that are labelled PER anywhere in the sentence.

Systems: jiyao's people recogniser as the pipeline runs it (recognise.people.find_people, rules
plus the NER model on the clauses the rules cannot read), the same rules alone (JIYAO_NER=0), and
LAC's PER spans over the whole sentence (recognise.ner, the model jiyao wraps). The recogniser
returns only people *taking part* in a meeting (a title and a name in a structure of taking part,
never a cited leader), so on newswire it is expected to return fewer names than an NER model:
recall here says how often a titled official is read at all, precision how often what it reads
is a person. The data is read where it lies and never copied; the script skips when it is absent.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

from jiyao.recognise import ner
from jiyao.recognise.lexicon import PARTAKE_WORDS, PEOPLE_TITLE_ENDINGS, TITLE_ENDINGS
from jiyao.recognise.people import find_people
from jiyao.text import normalise

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the checkout: $JIYAO_SHARED_DATA, else the first folder above the repository
# that holds shared/data (a git worktree lives deeper than the main checkout), as tools/ find it
DATA = (Path(os.environ["JIYAO_SHARED_DATA"]) / "ner" if os.environ.get("JIYAO_SHARED_DATA") else
        next((d / "shared" / "data" / "ner" for d in ROOT.parents if (d / "shared" / "data" / "ner").is_dir()),
             ROOT.parent / "shared" / "data" / "ner"))
FILES = {"peoples_daily_1998.test": "peoples_daily_1998.test.bio", "msra.test": "msra.test.bio"}
TITLES = tuple(sorted(set(TITLE_ENDINGS) | set(PEOPLE_TITLE_ENDINGS), key=len, reverse=True))


def read_bio(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(sentence, PER spans) per sentence of a BIO file (one character and its tag a line, the two
    separated by a space or a tab; a blank line between sentences)."""
    out, chars, tags = [], [], []

    def close():
        if chars:
            out.append(("".join(chars), _spans(tags)))
        chars.clear(); tags.clear()

    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if not parts:
            close()
            continue
        chars.append(line[0] if len(parts) == 1 else parts[0])
        tags.append(parts[-1])
    close()
    return out


def _spans(tags: list[str]) -> list[tuple[int, int]]:
    spans, cur = [], None
    for i, t in enumerate(tags):
        if t == "B-PER":
            cur = [i, i + 1]
            spans.append(cur)
        elif t == "I-PER" and cur is not None and cur[1] == i:
            cur[1] = i + 1
        else:
            cur = None
    return [tuple(s) for s in spans]


def titled(text: str, span: tuple[int, int]) -> bool:
    """The mention stands next to a title word: right after one, or right before one."""
    a, b = span
    return text[:a].endswith(TITLES) or text[b:].startswith(TITLES)


def _jiyao(use_ner: bool):
    def names(text: str) -> set[str]:
        return {p.name for p in find_people(normalise(text).text, use_ner=use_ner)}
    return names


def _lac(text: str) -> set[str]:
    return {normalise(e.text).text for e in ner.tagger().entities(text)}


SYSTEMS = {"jiyao people (rules + NER)": _jiyao(True), "jiyao people (rules only)": _jiyao(False), "LAC alone": _lac}


_PARTAKE = re.compile(PARTAKE_WORDS)


def evaluate(sentences, system) -> dict:
    tp_r = n_titled = tp_p = n_pred = tp_m = n_m = 0
    misses: Counter = Counter()
    wrong: Counter = Counter()
    t0 = time.perf_counter()
    for text, spans in sentences:
        gold = {normalise(text[a:b]).text for a, b in spans}
        gold_titled = {normalise(text[a:b]).text for a, b in spans if titled(text, (a, b))}
        got = system(text)
        n_titled += len(gold_titled)
        tp_r += len(gold_titled & got)
        if _PARTAKE.search(text):
            n_m += len(gold_titled)
            tp_m += len(gold_titled & got)
        n_pred += len(got)
        tp_p += len(got & gold)
        misses.update(gold_titled - got)
        wrong.update(got - gold)
    r = tp_r / n_titled if n_titled else 0.0
    p = tp_p / n_pred if n_pred else 0.0
    return {"titled_mentions": n_titled, "recall": round(r, 4), "titled_at_meetings": n_m,
            "recall_at_meetings": round(tp_m / n_m, 4) if n_m else 0.0, "returned": n_pred, "precision": round(p, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "seconds": round(time.perf_counter() - t0, 1),
            "wrong_examples": [w for w, _ in wrong.most_common(15)], "n_missed": sum(misses.values())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="write the numbers as JSON here")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the labelled sentences are read from ../shared/data, never copied)")
        return 0
    report = {"definition": "titled = a PER mention right after or right before one of lexicon.TITLE_ENDINGS + "
                            "PEOPLE_TITLE_ENDINGS; recall over titled mentions, precision over all names returned, "
                            "per sentence, names as strings",
              "sets": {}}
    for name, fname in FILES.items():
        path = DATA / fname
        if not path.exists():
            print(f"skipped {name}: {path} is absent")
            continue
        sents = [(t, s) for t, s in read_bio(path) if any(titled(t, sp) for sp in s)]
        report["sets"][name] = {"sentences": len(sents), "systems": {}}
        print(f"{name}: {len(sents)} sentences name an official with a title")
        for sys_name, system in SYSTEMS.items():
            res = evaluate(sents, system)
            report["sets"][name]["systems"][sys_name] = res
            print(f"  {sys_name:28s} recall {res['recall']:.3f} of {res['titled_mentions']}  "
                  f"at meetings {res['recall_at_meetings']:.3f} of {res['titled_at_meetings']}  "
                  f"precision {res['precision']:.3f} of {res['returned']}  ({res['seconds']} s)")
    if args.out:
        # the wrong names are the system's output on third-party text: counts only are stored
        for s in report["sets"].values():
            for res in s["systems"].values():
                res.pop("wrong_examples")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
