"""`jiyao calibrate`: how far to trust a model, measured on a labelled set with the eval harness.

The recognisers and the model each read every labelled article once (the model through the
chosen hybrid strategy, with the response cache). Then, offline and cheaply, every fusion mode of
every field (policy.py) is scored with jiyao.eval's own precision/recall, and each field gets the
mode with the best F1; ties keep the default, which trusts the model least. Each source's
precision per field (smoothed) becomes its confidence score. The result is a policy file for
`jiyao extract --policy`.

Fields are chosen one at a time with the others at their defaults (titles and roles depend on
which people are kept), so the chosen combination is a good policy, not provably the best one.
"""
from __future__ import annotations

import asyncio
from pathlib import Path


from ..agent.fuse import ModelView, fused_record, pointer_sources  # noqa: F401 - ModelView names the Sample type
from .metrics import paired_difference
from .reliability import is_right
from .report import load_gold
from .score import FIELDS, micro_f1, score_set
from ..ground.spans import ground
from ..agent.endpoint import LLMError
from ..run.extractor import Extractor
from ..agent.policy import DEFAULT_SCORES, FieldPolicy, Policy, modes_for
from ..read.inputs import iter_items
from ..read.document import Document, ReadError
from ..recognise import recognise
from ..schema import ExtractedReport

Sample = tuple[Document, ExtractedReport, "ModelView | None"]


async def collect(extractor: Extractor, docs: list[Document]) -> tuple[list[Sample], int]:
    """(document, rules' candidates, model's view) per article; a failed model call is a silent model."""
    samples, failures = [], 0
    for doc in docs:
        rules = ground(recognise(doc.norm.text, doc.page_date, doc.page_title), doc).report
        try:
            view, _ = await extractor.model_view(doc, rules, extractor._usage(), [])
        except LLMError:
            view, failures = None, failures + 1
        samples.append((doc, rules, view))
    return samples, failures


def _records(samples: list[Sample], policy: Policy) -> dict[str, dict]:
    return {doc.doc_id: fused_record(doc, rules, view, policy)[0].model_dump() for doc, rules, view in samples}


def choose(samples: list[Sample], gold: dict[str, dict]) -> Policy:
    """The policy: per field the mode with the best F1 on this set, and measured source scores."""
    policy, measured = Policy.default(), {}
    for f in FIELDS:
        scores = {}
        for mode in modes_for(f):
            trial = Policy.default()
            trial.fields[f] = FieldPolicy(mode)
            scores[mode] = round(micro_f1(score_set(gold, _records(samples, trial)), [f]), 4)
        best = max(scores, key=lambda m: (scores[m], m == policy.mode(f)))
        policy.fields[f] = FieldPolicy(best)
        measured[f] = {"f1_by_mode": scores, "chosen": best}
    _measure_scores(samples, gold, policy, measured)
    offline = score_set(gold, _records(samples, _ignore_model()))
    fused = score_set(gold, _records(samples, policy))
    diff = paired_difference(offline, fused)
    policy.measured = {"articles": len(samples), "fields": measured,
                       "overall_f1": {"offline": round(micro_f1(offline, FIELDS), 4), "fused": round(micro_f1(fused, FIELDS), 4)},
                       "fused_minus_offline": diff["overall"]}
    return policy


def _ignore_model() -> Policy:
    p = Policy.default()
    for f in FIELDS:
        p.fields[f] = FieldPolicy("rules")
    return p


def _measure_scores(samples: list[Sample], gold: dict[str, dict], policy: Policy, measured: dict) -> None:
    """Each source's precision per field under the chosen policy, smoothed toward the default."""
    tally: dict[tuple[str, str], list[int]] = {}
    for doc, rules, view in samples:
        record, fusion = fused_record(doc, rules, view, policy)
        rec = record.model_dump()
        for ptr, (f, source, contested) in pointer_sources(record, fusion).items():
            right = is_right(rec, gold.get(doc.doc_id) or {}, ptr)
            if right is not None:
                cell = tally.setdefault((f, "contested" if contested else source), [0, 0])
                cell[0] += int(right); cell[1] += 1
    for f, fp in policy.fields.items():
        for src, default in DEFAULT_SCORES.items():
            right, n = tally.get((f, src), (0, 0))
            # two pseudo-observations at the default: one article cannot swing a score to 0 or 1
            fp.scores[src] = round((right + 2 * default) / (n + 2), 3)
        measured[f]["precision_n"] = {src: tally.get((f, src), (0, 0))[1] for src in DEFAULT_SCORES}


def run(gold: Path, articles: Path, output: Path, extractor: Extractor, err) -> Policy | None:
    """Read the labelled articles, ask the model, choose and save the policy (None: nothing to read)."""
    gold_recs = load_gold(gold)
    docs = []
    for item in iter_items([articles]):
        try:
            doc = item.load()
        except ReadError as exc:
            err.print(f"skipped {item.where}: {exc}", markup=False)
            continue
        if doc.doc_id in gold_recs:
            docs.append(doc)
    if not docs:
        return None

    async def go():
        try:
            return await collect(extractor, docs)
        finally:
            await extractor.aclose()

    samples, failures = asyncio.run(go())
    policy = choose(samples, {d.doc_id: gold_recs[d.doc_id] for d in docs})
    policy.measured["model_failures"] = failures
    policy.save(output)
    return policy
