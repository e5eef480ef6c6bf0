"""`jiyao calibrate`: how far to trust a model, measured on a labelled set with the eval harness.

The recognisers and the model each read every labelled article once (the model through the
chosen hybrid strategy, with the response cache). Then, offline and cheaply, every fusion mode of
every field (policy.py) — for mode `evidence`, each trust threshold of TRUST_LEVELS — is scored
with jiyao.eval's own precision/recall, and each field gets the choice with the best F1; ties keep
the default, then the choice that trusts the model least. Each source's precision per field
(smoothed) becomes its confidence score. The result is a policy file for `jiyao extract --policy`.

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
from ..agent.policy import DEFAULT_SCORES, DEFAULT_TRUST, TRUST_LEVELS, FieldPolicy, Policy, modes_for
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


# modes from the one that trusts the model least to the one that trusts it most
_TRUST_ORDER = ("rules", "rules_first", "union", "evidence", "intersection", "model_first", "model")


def _choices(f: str) -> list[tuple[str, FieldPolicy]]:
    """(label, field policy) of every choice for one field, the default first, then from the one
    that trusts the model least (rules) to the one that trusts it most."""
    default = Policy.default().fields[f]
    out = [(_label(default), default)]
    for mode in sorted(modes_for(f), key=_TRUST_ORDER.index):
        for tau in (sorted(TRUST_LEVELS, reverse=True) if mode == "evidence" else (DEFAULT_TRUST,)):
            fp = FieldPolicy(mode, trust=tau)
            if _label(fp) != out[0][0]:
                out.append((_label(fp), fp))
    return out


def _label(fp: FieldPolicy) -> str:
    return f"{fp.mode}@{fp.trust:g}" if fp.mode == "evidence" else fp.mode


def choose(samples: list[Sample], gold: dict[str, dict]) -> Policy:
    """The policy: per field the mode (and trust threshold) with the best F1 on this set, and
    measured source scores."""
    policy, measured = Policy.default(), {}
    for f in FIELDS:
        scores, choices = {}, _choices(f)
        for label, fp in choices:
            trial = Policy.default()
            trial.fields[f] = fp
            scores[label] = round(micro_f1(score_set(gold, _records(samples, trial)), [f]), 4)
        order = {label: i for i, (label, _) in enumerate(choices)}
        best = max(scores, key=lambda c: (scores[c], -order[c]))  # ties: the earlier choice
        policy.fields[f] = dict(choices)[best]
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
