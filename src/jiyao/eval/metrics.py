"""Aggregation: micro (headline) and macro P/R/F1 per field, 95% bootstrap intervals over
articles (scipy.stats.bootstrap), paired differences between two systems."""
from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import bootstrap

from .score import FIELDS, Counts, prf

N_RESAMPLES = 2000


def _arrays(per_article: dict[str, dict[str, Counts]], fields: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    docs = sorted(per_article)
    tp = np.array([sum(per_article[d][f].tp for f in fields) for d in docs], float)
    npred = np.array([sum(per_article[d][f].n_pred for f in fields) for d in docs], float)
    ngold = np.array([sum(per_article[d][f].n_gold for f in fields) for d in docs], float)
    return tp, npred, ngold


def _f1(tp, npred, ngold, axis=-1):
    tp, npred, ngold = (np.asarray(np.sum(x, axis=axis), float) for x in (tp, npred, ngold))
    with np.errstate(divide="ignore", invalid="ignore"):
        # same conventions as score.prf: nothing predicted and nothing to find is perfect
        p = np.where(npred > 0, tp / np.where(npred > 0, npred, 1), np.where(ngold == 0, 1.0, 0.0))
        r = np.where(ngold > 0, tp / np.where(ngold > 0, ngold, 1), np.where(npred == 0, 1.0, 0.0))
        return np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)


def _interval(stat, data: tuple[np.ndarray, ...]) -> list[float]:
    if len(data[0]) < 2:
        v = float(stat(*data))
        return [v, v]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = bootstrap(data, stat, paired=True, vectorized=True, n_resamples=N_RESAMPLES,
                        method="percentile", confidence_level=0.95, random_state=np.random.default_rng(0))
    lo, hi = res.confidence_interval
    v = float(stat(*data))
    lo = v if np.isnan(lo) else float(lo)
    hi = v if np.isnan(hi) else float(hi)
    return [round(lo, 4), round(hi, 4)]


def field_summary(per_article: dict[str, dict[str, Counts]], field: str) -> dict:
    tot = Counts()
    macro = []
    rests_on = 0  # articles whose gold has a value for this field: what the field's score rests on
    for d in per_article.values():
        c = d[field]
        tot.add(c)
        rests_on += c.n_gold > 0
        if c.n_gold or c.n_pred:
            macro.append(prf(c.tp, c.n_pred, c.n_gold)[2])
    p, r, f1 = prf(tot.tp, tot.n_pred, tot.n_gold)
    pp, pr, pf1 = prf(tot.ptp, tot.n_pred, tot.n_gold)
    return {
        "strict": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                   "ci95": _interval(_f1, _arrays(per_article, [field]))},
        "partial": {"precision": round(pp, 4), "recall": round(pr, 4), "f1": round(pf1, 4)},
        "macro_f1": round(float(np.mean(macro)), 4) if macro else None,
        "n_gold": tot.n_gold, "n_pred": tot.n_pred, "n_articles": rests_on, "tp": tot.tp, "fp": tot.fp, "fn": tot.fn,
    }


def summary(per_article: dict[str, dict[str, Counts]]) -> dict:
    out = {f: field_summary(per_article, f) for f in FIELDS}
    tp, npred, ngold = _arrays(per_article, FIELDS)
    out["overall"] = {"strict": {"f1": round(float(_f1(tp, npred, ngold)), 4), "ci95": _interval(_f1, (tp, npred, ngold))}}
    return out


def paired_difference(a: dict[str, dict[str, Counts]], b: dict[str, dict[str, Counts]]) -> dict:
    """F1(B) − F1(A) per field with a paired bootstrap interval over the same articles."""
    out = {}
    for f in FIELDS + ["overall"]:
        fields = FIELDS if f == "overall" else [f]
        data = _arrays(a, fields) + _arrays(b, fields)

        def diff(t1, p1, g1, t2, p2, g2, axis=-1):
            return _f1(t2, p2, g2, axis=axis) - _f1(t1, p1, g1, axis=axis)

        d = float(diff(*data))
        ci = _interval(diff, data)
        out[f] = {"diff": round(d, 4), "ci95": ci, "significant": bool(ci[0] > 0 or ci[1] < 0)}
    return out
