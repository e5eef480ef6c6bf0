"""Every backend against scripted models on every labelled set, through the real openai client and
a local scripted server: offline, `llm` alone, hybrid one-shot, hybrid focused, and hybrid one-shot
under a policy calibrated on the other half of the set (two folds, so every article is tested by a
policy that never saw it).

    .venv/bin/python benchmarks/agent_oracle.py [--models oracle,wrong,...] [--sets ...] [OUT.md]

Sets: the seeds, evals/heldout dev and test, the page-shaped dev sets (webshaped, webshaped3,
webshaped4) and, when ../shared/data is there, the national dev and dev2 stories (written to a
temporary folder, never into the repository). Blind sets are read only with --blind, which runs
them instead (once: the measurement that ends their blindness). `--data` names the stories file
when ../shared/data is not beside the checkout. Per set and model: overall strict F1 with its 95% interval, the paired difference
against offline, the worst per-field change against offline, and model calls.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakeserver import FakeServer, Script  # noqa: E402
from scripted import MODELS, docs_of, which  # noqa: E402

from jiyao.agent.fuse import fused_record  # noqa: E402
from jiyao.agent.llm import EndpointConfig  # noqa: E402
from jiyao.eval.calibrate import choose, collect  # noqa: E402
from jiyao.eval.metrics import paired_difference, summary  # noqa: E402
from jiyao.eval.score import FIELDS, micro_f1, score_set  # noqa: E402
from jiyao.run.extractor import Extractor  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def national(tmp: Path, data: Path | None, part: str) -> tuple[Path, Path] | None:
    """One national set's stories written outside the repository (None without the data or the gold)."""
    gold = ROOT / "evals" / "national" / part / "gold"
    spec = importlib.util.spec_from_file_location("national_articles", ROOT / "tools" / "national_articles.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    data = data or tool.DATA
    if not gold.is_dir() or not data.exists():
        return None
    out = tmp / f"national-{part}"
    out.mkdir(parents=True, exist_ok=True)
    for sid, text in tool.articles(tool.story_ids(ROOT / "evals" / "national" / part), data).items():
        (out / f"{sid}.txt").write_text(text, "utf-8")
    return out, gold


def labelled_sets(tmp: Path, data: Path | None, blind: bool = False) -> dict[str, tuple[Path, Path]]:
    """Every tuned set; with `blind`, the blind sets only (measured once, reported apart)."""
    e = ROOT / "evals"
    if blind:
        sets = {"webshaped3-blind": (e / "webshaped3" / "blind" / "articles", e / "webshaped3" / "blind" / "gold")}
        parts = ["blind"]
    else:
        sets = {"seeds": (ROOT / "examples" / "articles", e / "gold"),
                "heldout-dev": (e / "heldout" / "dev" / "articles", e / "heldout" / "dev" / "gold"),
                "heldout-test": (e / "heldout" / "test" / "articles", e / "heldout" / "test" / "gold"),
                **{f"{w}-dev": (e / w / "dev" / "articles", e / w / "dev" / "gold")
                   for w in ("webshaped", "webshaped3", "webshaped4")}}
        parts = ["dev", "dev2", "dev3"]
    for part in parts:
        nat = national(tmp, data, part)
        if nat:
            sets[f"national-{part}"] = nat
    return sets


def _cfg(base_url):
    return EndpointConfig(model="scripted", base_url=base_url, api_key="k", mode="json", validation_retries=0, api_retries=0)


def extract(docs, backend, base_url=None, strategy="oneshot", policy=None):
    async def go():
        ex = Extractor(backend, _cfg(base_url) if base_url else None, strategy=strategy, policy=policy)
        try:
            return {d: (await ex.aextract(doc)).model_dump() for d, doc in docs.items()}
        finally:
            await ex.aclose()
    return asyncio.run(go())


def calibrated(docs, gold, base_url, strategy="oneshot"):
    """Two folds: each half is fused under the policy `choose` picked on the other half."""
    async def views():
        ex = Extractor("hybrid", _cfg(base_url), strategy=strategy)
        try:
            return (await collect(ex, list(docs.values())))[0]
        finally:
            await ex.aclose()
    samples = asyncio.run(views())
    ids = sorted(docs)
    folds = [set(ids[0::2]), set(ids[1::2])]
    out, policies = {}, []
    by_doc = {s[0].doc_id: s for s in samples}
    for test in folds:
        train = [by_doc[docs[d].doc_id] for d in ids if d not in test]
        pol = choose(train, {docs[d].doc_id: gold[d] for d in ids if d not in test})
        policies.append(pol)
        for d in test:
            doc, rules, view = by_doc[docs[d].doc_id]
            out[d] = fused_record(doc, rules, view, pol)[0].model_dump()
    return out, policies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=str(ROOT / "benchmarks" / "results" / "agent-oracle" / "README.md"))
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--sets", default="")
    ap.add_argument("--backends", default="llm,oneshot,focused,calibrated,calibrated-focused")
    ap.add_argument("--data", default=None, help="the xwlb stories file (default: tools/national_articles.py's)")
    ap.add_argument("--json", default=None, help="also write the numbers as JSON here")
    ap.add_argument("--blind", action="store_true", help="the blind sets instead: run once, report apart")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    sets = labelled_sets(tmp, Path(args.data) if args.data else None, args.blind)
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets.split(",")}
    backends = args.backends.split(",")
    rows, numbers = [], {}
    for name, (articles, gold_dir) in sets.items():
        for model in args.models.split(","):
            docs, gold = docs_of(articles, gold_dir, inject=model == "injected", tmp=tmp)
            by_id = {doc.doc_id: gold[d] for d, doc in docs.items()}
            offline = score_set(gold, extract(docs, "offline"))
            runs = {"offline": (offline, 0, 0.0)}
            for b in backends:
                script = Script(default=lambda req: MODELS[model](doc := which(req, docs), by_id[doc.doc_id], req))
                t0 = time.perf_counter()
                with FakeServer(script) as s:
                    if b == "llm":
                        recs = extract(docs, "llm", s.base_url)
                    elif b.startswith("calibrated"):
                        recs, _ = calibrated(docs, gold, s.base_url, "focused" if b.endswith("focused") else "oneshot")
                    else:
                        recs = extract(docs, "hybrid", s.base_url, b)
                runs[b] = (score_set(gold, recs), len(script.requests), time.perf_counter() - t0)
            for b, (per, calls, wall) in runs.items():
                o = summary(per)["overall"]["strict"]
                d = paired_difference(offline, per)["overall"]
                worst = min((micro_f1(per, [f]) - micro_f1(offline, [f]), f) for f in FIELDS)
                rows.append((name, len(docs), model, b, o, d, worst, calls, wall))
                numbers.setdefault(name, {}).setdefault(model, {})[b] = {
                    "f1": o["f1"], "ci95": o["ci95"], "minus_offline": d, "worst_field": worst, "calls": calls,
                    "fields": {f: round(micro_f1(per, [f]), 4) for f in FIELDS}}
            print(f"{name} {model}: " + " ".join(f"{b}={runs[b] and summary(runs[b][0])['overall']['strict']['f1']:.3f}"
                                                for b in runs), flush=True)
    lines = ["# Backends with scripted models on every labelled set", "",
             "Generated by `benchmarks/agent_oracle.py` (scripted models of tests/scripted.py, real openai client, "
             "local scripted server). `oneshot`/`focused`: hybrid under the default policy. `calibrated` "
             "(`calibrated-focused`): hybrid one-shot (focused) under the policy `jiyao calibrate` chose on the other "
             "half of the set (two folds: no article is scored by a policy that saw it). "
             + ("These are the blind sets, measured once." if args.blind else "Blind sets are not read."), "",
             "| set | n | model | backend | overall F1 [95% CI] | − offline [95% CI] | worst field Δ vs offline | calls |",
             "|---|---|---|---|---|---|---|---|"]
    for name, n, model, b, o, d, worst, calls, _ in rows:
        lines.append(f"| {name} | {n} | {model} | {b} | {o['f1']:.3f} [{o['ci95'][0]:.3f}, {o['ci95'][1]:.3f}] | "
                     f"{d['diff']:+.3f} [{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}] | {worst[0]:+.3f} ({worst[1]}) | {calls} |")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", "utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, ensure_ascii=False, indent=1), "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
