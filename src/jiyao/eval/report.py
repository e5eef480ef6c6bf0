"""Eval reports: a dict with stable keys (report.json), Markdown, self-contained HTML, rich table."""
from __future__ import annotations

import html
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from .._version import __version__
from ..schema import COST_COUNTERS, evidence_spans
from ..text import normalise
from .articles import Articles
from .inputs import MAX_LISTED, EvalInputError, load_gold, read_predictions  # noqa: F401 - EvalInputError, load_gold: this module's API too
from .metrics import paired_difference, summary
from .reliability import reliability
from .reliability import to_markdown as reliability_markdown
from .score import FIELDS, key, score_set, value_at

REPORT_VERSION = 1


def grounding(records: dict[str, dict], articles: str | Path | None) -> dict | None:
    """Share of evidence entries whose original-file characters normalise to (a form of) the value; a
    value composed from several spans is checked on its parts joined."""
    if not articles:
        return None
    found = Articles(articles)  # by origin path, then doc_id; a same-named file is never taken
    total = ok = 0
    for doc_id, rec in records.items():
        doc = found.document(rec)
        if doc is None:
            continue
        original = doc.original
        for pointer, entry in (rec.get("evidence") or {}).items():
            value = value_at(rec, pointer)
            spans = evidence_spans(entry)
            if not isinstance(value, str) or not spans:
                continue
            total += 1
            # a composed value (县人大常委会 + 第3次会议) is its parts' characters joined
            parts = [key(normalise(original[s:e]).text) if 0 <= s < e <= len(original) else "" for s, e in spans]
            got, want = "".join(parts), key(value)
            if all(parts) and (got == want or (pointer.endswith(("region/name", "/date", "published_date"))
                                               and parts[0][:2] in want + parts[0])):
                ok += 1
    return {"checked": total, "grounded": ok, "rate": round(ok / total, 4) if total else None}


def usage_totals(records: dict[str, dict]) -> dict:
    tot = {"records": len(records), **{k: 0 for k in COST_COUNTERS}}
    for r in records.values():
        u = r.get("usage") or {}
        for k in COST_COUNTERS:
            tot[k] += u.get(k) or 0
    tot["latency_s"] = round(tot["latency_s"], 3)
    return tot


def provenance(records: dict[str, dict], pred_path: str | Path) -> dict:
    """What produced the predictions: backends, models, prompt hashes and jiyao versions seen in the
    records' usage (with counts), and when the predictions file was written."""
    seen: dict[str, dict[str, int]] = {k: {} for k in ("backend", "model", "prompt_hash", "jiyao_version")}
    for r in records.values():
        u = r.get("usage") if isinstance(r.get("usage"), dict) else {}
        for k, counts in seen.items():
            v = str(u.get(k)) if u.get(k) is not None else "unknown"
            counts[v] = counts.get(v, 0) + 1
    stamp = datetime.fromtimestamp(Path(pred_path).stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
    return {**seen, "predictions_written": stamp}


def _diffs(per_article) -> dict:
    out = {}
    for doc, fields in per_article.items():
        d = {f: {"missed": c.misses, "spurious": c.spurious} for f, c in fields.items() if c.misses or c.spurious}
        out[doc] = d
    return out


def build(gold_dir: str | Path, preds: list[str | Path], articles: str | Path | None = None) -> dict:
    gold = load_gold(gold_dir)
    systems, scored = [], []
    for p in preds:
        duplicates: list[dict] = []
        records, lines, valid, problems = read_predictions(p, duplicates)
        without_gold = [d for d in records if d not in gold]
        per = score_set(gold, records)
        scored.append(per)
        systems.append({
            "name": str(p), "n_records": len(records), "n_gold_covered": sum(d in records for d in gold),
            "n_gold_missing": sum(d not in records for d in gold),
            "provenance": provenance({d: r for d, r in records.items() if d in gold}, p),
            "schema_valid_rate": round(valid / lines, 4) if lines else None,
            "n_invalid": len(problems), "invalid_lines": problems[:MAX_LISTED],
            "n_duplicate_lines": len(duplicates), "duplicate_lines": duplicates[:MAX_LISTED],
            "n_without_gold": len(without_gold), "without_gold": without_gold[:MAX_LISTED],
            "grounding": grounding({d: r for d, r in records.items() if d in gold}, articles),
            "usage": usage_totals({d: r for d, r in records.items() if d in gold}),
            "fields": summary(per), "articles": _diffs(per),
            "reliability": reliability(records, gold),
        })
    comparisons = [{"a": str(preds[0]), "b": str(preds[i]), "fields": paired_difference(scored[0], scored[i])}
                   for i in range(1, len(preds))]
    return {"report_version": REPORT_VERSION, "gold": str(gold_dir), "n_articles": len(gold),
            "evaluated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "jiyao_version": __version__,
            "fields": FIELDS, "systems": systems, "comparisons": comparisons}


def _provenance_line(s: dict, rep: dict) -> str:
    pv = s.get("provenance") or {}
    fmt = lambda k: ", ".join(f"{v} ({n})" for v, n in (pv.get(k) or {}).items()) or "unknown"  # noqa: E731
    return (f"produced by: backend {fmt('backend')} · model {fmt('model')} · prompt {fmt('prompt_hash')} · "
            f"jiyao {fmt('jiyao_version')} · predictions written {pv.get('predictions_written', '?')} · "
            f"gold articles without a prediction: {s.get('n_gold_missing', '?')} · evaluated {rep.get('evaluated', '?')} "
            f"with jiyao {rep.get('jiyao_version', '?')}")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md(text) -> str:
    """Text as Markdown shows it literally: HTML and Markdown syntax from file names and values
    (`<img src=x onerror=…>`, `[link](…)`, `|` breaking a table row) is escaped, lines joined."""
    t = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", " ".join(t.split("\n")))


def to_markdown(rep: dict) -> str:
    out = [f"# jiyao eval: {rep['n_articles']} gold articles\n",
           "`articles`: how many gold articles have a value of the field — what its score and interval rest on.\n"]
    for s in rep["systems"]:
        out.append(f"## {md(s['name'])}\n")
        g = s["grounding"]
        out.append(f"schema-valid rate: {s['schema_valid_rate']} · grounding rate: {g['rate'] if g else 'n/a'} · "
                   f"calls: {s['usage']['calls']} · tokens: {s['usage']['prompt_tokens']}+{s['usage']['completion_tokens']} · "
                   f"cache hits: {s['usage']['cache_hits']}\n")
        out.append(md(_provenance_line(s, rep)) + "\n")
        if s.get("n_invalid"):
            out.append(f"{s['n_invalid']} prediction line(s) are not valid records and were not scored:\n")
            out += [f"- line {p['line']}: {md(p['error'])}" for p in s["invalid_lines"]] + [""]
        if s.get("n_duplicate_lines"):
            out.append(f"{s['n_duplicate_lines']} duplicate prediction line(s) (a doc_id seen before; the last is scored):\n")
            out += [f"- line {p['line']}: {md(p['doc_id'])} (first at line {p['first_line']})" for p in s["duplicate_lines"]] + [""]
        if s.get("n_without_gold"):
            out.append(f"{s['n_without_gold']} prediction(s) without gold (not scored): "
                       + ", ".join(md(d) for d in s["without_gold"]) + "\n")
        out.append("| field | strict P | strict R | strict F1 | 95% CI | partial F1 | macro F1 | gold | pred | articles |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for f in rep["fields"] + ["overall"]:
            m = s["fields"][f]
            st = m["strict"]
            if f == "overall":
                out.append(f"| **overall** | | | **{st['f1']:.3f}** | [{st['ci95'][0]:.3f}, {st['ci95'][1]:.3f}] | | | | | {rep['n_articles']} |")
            else:
                out.append(f"| {f} | {st['precision']:.3f} | {st['recall']:.3f} | {st['f1']:.3f} | [{st['ci95'][0]:.3f}, {st['ci95'][1]:.3f}] | "
                           f"{m['partial']['f1']:.3f} | {m['macro_f1'] if m['macro_f1'] is not None else '-'} | {m['n_gold']} | {m['n_pred']} | {m.get('n_articles', '-')} |")
        out += reliability_markdown(s.get("reliability") or {})
        out.append("\n### Per-article misses and spurious values\n")
        for doc, fields in s["articles"].items():
            if not fields:
                continue
            out.append(f"- **{md(doc)}**")
            for f, d in fields.items():
                out.append(f"  - {f}: missed {md(json.dumps(d['missed'], ensure_ascii=False))}; "
                           f"spurious {md(json.dumps(d['spurious'], ensure_ascii=False))}")
        out.append("")
    for c in rep["comparisons"]:
        out.append(f"## {md(c['b'])} − {md(c['a'])} (paired bootstrap)\n")
        out.append("| field | ΔF1 | 95% CI | significant |")
        out.append("|---|---|---|---|")
        for f, d in c["fields"].items():
            out.append(f"| {f} | {d['diff']:+.3f} | [{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}] | {'yes' if d['significant'] else 'no'} |")
        out.append("")
    return "\n".join(out) + "\n"


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}th{background:#f4f4f4}
.bar{position:relative;width:240px;height:14px;background:#eee}.fill{position:absolute;left:0;top:0;bottom:0;background:#4a7bd0}
.whisk{position:absolute;top:6px;height:2px;background:#111}.cap{position:absolute;top:2px;width:2px;height:10px;background:#111}
code{background:#f6f6f6}.miss{color:#a00}.spur{color:#a60}details{margin:.3em 0}"""


def _bar(f1: float, lo: float, hi: float) -> str:
    pct = lambda x: f"{max(0.0, min(1.0, x)) * 100:.1f}%"  # noqa: E731
    return (f'<div class="bar" title="F1 {f1:.3f} [{lo:.3f}, {hi:.3f}]"><div class="fill" style="width:{pct(f1)}"></div>'
            f'<div class="whisk" style="left:{pct(lo)};width:calc({pct(hi)} - {pct(lo)})"></div>'
            f'<div class="cap" style="left:{pct(lo)}"></div><div class="cap" style="left:{pct(hi)}"></div></div>')


def to_html(rep: dict) -> str:
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>jiyao eval</title><style>{_CSS}</style></head><body>",
             f"<h1>jiyao eval: {rep['n_articles']} gold articles</h1>"]
    for s in rep["systems"]:
        g = s["grounding"]
        parts.append(f"<h2>{e(s['name'])}</h2><p>schema-valid rate {e(str(s['schema_valid_rate']))} · grounding rate "
                     f"{e(str(g['rate'] if g else 'n/a'))} · calls {s['usage']['calls']} · cache hits {s['usage']['cache_hits']}</p>")
        parts.append(f"<p class='prov'>{e(_provenance_line(s, rep))}</p>")
        parts.append("<table id='fields'><tr><th>field</th><th>strict F1 (95% CI)</th><th></th><th>P</th><th>R</th><th>partial F1</th></tr>")
        for f in rep["fields"] + ["overall"]:
            m = s["fields"][f]
            st = m["strict"]
            lo, hi = st["ci95"]
            parts.append(f"<tr><td>{e(f)}</td><td>{st['f1']:.3f} [{lo:.3f}, {hi:.3f}]</td><td>{_bar(st['f1'], lo, hi)}</td>"
                         f"<td>{st.get('precision', '')}</td><td>{st.get('recall', '')}</td><td>{m.get('partial', {}).get('f1', '')}</td></tr>")
        parts.append("</table><h3>Per-article differences</h3>")
        for doc, fields in s["articles"].items():
            n = sum(len(d["missed"]) + len(d["spurious"]) for d in fields.values())
            link = f" <a href='{e(s['viewer'])}#{e(quote(doc))}'>view</a>" if s.get("viewer") else ""
            parts.append(f"<details><summary>{e(doc)}: {n} differences{link}</summary><ul>")
            for f, d in fields.items():
                parts.append(f"<li><b>{e(f)}</b> <span class='miss'>missed: {e(json.dumps(d['missed'], ensure_ascii=False))}</span> "
                             f"<span class='spur'>spurious: {e(json.dumps(d['spurious'], ensure_ascii=False))}</span></li>")
            parts.append("</ul></details>")
    for c in rep["comparisons"]:
        parts.append(f"<h2>{e(c['b'])} − {e(c['a'])}</h2><table><tr><th>field</th><th>ΔF1</th><th>95% CI</th><th>significant</th></tr>")
        for f, d in c["fields"].items():
            parts.append(f"<tr><td>{e(f)}</td><td>{d['diff']:+.3f}</td><td>[{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}]</td><td>{'yes' if d['significant'] else 'no'}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(rep: dict, directory: str | Path) -> list[Path]:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = [d / "report.json", d / "report.md", d / "report.html"]
    paths[0].write_text(json.dumps(rep, ensure_ascii=False, indent=2), "utf-8")
    paths[1].write_text(to_markdown(rep), "utf-8")
    paths[2].write_text(to_html(rep), "utf-8")
    return paths
