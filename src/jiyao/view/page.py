"""`jiyao view`: one self-contained HTML file (no network) showing each article's original text with
every evidence span highlighted by field, the record beside it, and — with gold — misses and
spurious values in place.

Everything from an article or a record goes through html.escape on the server; the page's script
only toggles classes and `hidden`, so a `<script>` in an article stays text.
"""
from __future__ import annotations

import html
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..eval.report import load_gold
from .articles import Articles
from .compare import GoldDiff, compare
from .values import RecordLines, Value, values

# CSS class of each field's highlight (one colour per group of fields)
_GROUP = {"headline": "headline", "people.name": "name", "people.titles": "title", "people.roles": "role",
          "upstream_meetings": "upstream", "slogans": "slogan"}


def group(field: str) -> str:
    return _GROUP.get(field) or field.split(".")[0].replace("_", "-")


@dataclass
class Span:
    start: int
    end: int
    ref: str  # "v3": value 3 of the record; "m1": missed gold value 1
    css: str


def _segments(text: str, spans: list[Span]) -> str:
    """The text cut at every span boundary; each piece inside spans becomes a <mark> naming them all,
    coloured by the innermost (shortest) one."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    e = html.escape
    out = []
    for a, b in zip(cuts, cuts[1:]):
        cover = [s for s in spans if s.start <= a and b <= s.end]
        if not cover:
            out.append(e(text[a:b]))
            continue
        inner = min(cover, key=lambda s: s.end - s.start)
        refs = " ".join(s.ref for s in cover)
        out.append(f'<mark class="f-{inner.css}" data-ref="{refs}">{e(text[a:b])}</mark>')
    return "".join(out)


def _record_panel(rec: dict, vals: list[Value], diff: GoldDiff | None, missed_at: dict[int, bool]) -> str:
    e = html.escape
    rows: dict[str, list[str]] = {}
    for i, v in enumerate(vals):
        cls = f"val f-{group(v.field)}" + (" wrong" if diff and v.pointer in diff.spurious else "") \
            + ("" if v.start is not None else " nospan")
        conf = (rec.get("confidence") or {}).get(v.pointer)
        tip = f"{v.pointer}" + ("".join(f" [{a}, {b}]" for a, b in v.spans) if v.spans else " (no span)") \
            + (f" · {conf.get('source')} {conf.get('score')}" if isinstance(conf, dict) else "")
        person = v.pointer.split("/")[2] if v.pointer.startswith("/people/") else None
        row = f"people[{person}]" if person is not None else v.field
        rows.setdefault(row, []).append(f'<span class="{cls}" data-ref="v{i}" tabindex="0" title="{e(tip)}">'
                                        f'{e(v.value)}</span>')
    parts = ["<table class='rec'>"]
    for row, items in rows.items():
        parts.append(f"<tr><th>{e(row)}</th><td>{' '.join(items)}</td></tr>")
    if diff:
        for j, (fld, val) in enumerate(diff.missed):
            where = "" if missed_at.get(j) else " nospan"
            parts.append(f"<tr class='missed-row'><th>missed {e(fld)}</th><td><span class='val f-missed{where}' "
                         f"data-ref='m{j}' tabindex='0'>{e(val)}</span></td></tr>")
    parts.append("</table>")
    diag = rec.get("diagnostics") or {}
    for title, items in (("warnings", diag.get("warnings")), ("dropped as ungrounded", diag.get("dropped_ungrounded")),
                         ("overrides", diag.get("overrides"))):
        if items:
            parts.append(f"<details open><summary>{e(title)} ({len(items)})</summary><ul>"
                         + "".join(f"<li>{e(json.dumps(x, ensure_ascii=False) if not isinstance(x, str) else x)}</li>"
                                   for x in items) + "</ul></details>")
    u = rec.get("usage") or {}
    if u:
        parts.append(f"<p class='usage'>{e(' · '.join(f'{k} {u[k]}' for k in ('backend', 'model', 'calls', 'prompt_hash') if u.get(k) is not None))}</p>")
    return "".join(parts)


def _missed_spans(doc, diff: GoldDiff) -> tuple[list[Span], dict[int, bool]]:
    """Where the gold values the record missed sit in the article (found with the grounding locator)."""
    from ..ground.spans import Locator  # only with --gold

    loc, spans, found = Locator(doc), [], {}
    for j, (fld, val) in enumerate(diff.missed):
        text = val.split(": ", 1)[1] if fld in ("people.titles", "people.roles") else val
        if fld in ("people.roles", "meeting.date", "meeting.format", "meeting.time_of_day", "source.published_date"):
            continue
        try:
            span = loc.original_span(text)
        except Exception:  # noqa: BLE001 - a value the locator cannot take is shown without a span
            span = None
        if span:
            spans.append(Span(span[0], span[1], f"m{j}", "missed"))
            found[j] = True
    return spans, found


def render_article(n: int, rec: dict, doc, gold: dict | None) -> tuple[str, dict]:
    e = html.escape
    vals = values(rec)
    diff = compare(rec, gold, vals) if gold is not None else None
    # a composed value is highlighted at each of its parts, all linked to the one value
    spans = [Span(a, b, f"v{i}", group(v.field)) for i, v in enumerate(vals) for a, b in v.spans]
    missed_at: dict[int, bool] = {}
    if diff and doc is not None:
        extra, missed_at = _missed_spans(doc, diff)
        spans += extra
    text = doc.original if doc is not None else None
    body = _segments(text, spans) if text is not None else "<em>article file not found: only the record is shown</em>"
    diag = rec.get("diagnostics") or {}
    flags = {"warn": bool(diag.get("warnings") or diag.get("dropped_ungrounded")),
             "diff": bool(diff and (diff.spurious or diff.missed))}
    head = f"<h2>{e(rec['doc_id'])}</h2>" + (f"<p class='score'>gold: {len(diff.spurious)} spurious, {len(diff.missed)} missed</p>" if diff else "")
    section = (f"<section class='doc' id='doc-{n}' data-doc='{e(rec['doc_id'])}' hidden>{head}<div class='cols'>"
               f"<pre class='text'>{body}</pre><div class='panel'>{_record_panel(rec, vals, diff, missed_at)}</div></div></section>")
    return section, flags


PAGE_SUFFIXES = (".html", ".htm")
_MARK = b"<title>jiyao view</title>"  # in the first bytes of every page build() writes


class ViewOutputError(ValueError):
    """An output the viewer must not write: the records, an input, anything not its own page."""


def check_output(out: Path, records: str | Path) -> None:
    """The page goes to a new .html file or replaces a page this viewer wrote; never the records,
    an article or any other file (`-o r.jsonl` once replaced the records with HTML)."""
    if out.suffix.lower() not in PAGE_SUFFIXES:
        raise ViewOutputError(f"{out}: the page is HTML, name it *.html")
    if not out.exists():
        return
    if not out.is_file():
        raise ViewOutputError(f"{out} exists and is not a file")
    if os.path.samefile(out, records):
        raise ViewOutputError(f"{out} is the records file; choose another name for the page")
    try:
        with open(out, "rb") as f:
            head = f.read(512)
    except OSError as exc:
        raise ViewOutputError(f"cannot read {out}: {exc.strerror or exc}") from None
    if _MARK not in head:
        raise ViewOutputError(f"{out} exists and is not a page jiyao view wrote; it is left as it is "
                              "(remove it, or choose another name)")


@contextmanager
def _replacing(out: Path) -> Iterator:
    """A file beside OUT, renamed over it once complete: a failed run leaves the old page whole."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            yield f
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def build(records: str | Path, articles: str | Path | None, out: str | Path, gold_dir: str | Path | None = None) -> dict:
    """Write the viewer; returns counts (records shown, bad lines, records without article file,
    older records of articles extracted again).
    Raises ViewOutputError for an output it must not replace (check_output)."""
    golds = load_gold(gold_dir) if gold_dir else None
    arts = Articles(articles)
    asset = files("jiyao.view")
    css, js = asset.joinpath("view.css").read_text("utf-8"), asset.joinpath("view.js").read_text("utf-8")
    nav, stats = [], {"records": 0, "bad_lines": 0, "no_article": 0}
    out = Path(out)
    check_output(out, records)
    out.parent.mkdir(parents=True, exist_ok=True)
    e = html.escape
    with _replacing(out) as f:
        f.write(f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>jiyao view</title>"
                f"<style>{css}</style></head><body><header><button id='prev' title='previous (←)'>◀</button>"
                f"<span id='pos'></span><button id='next' title='next (→)'>▶</button>"
                f"<label><input type='checkbox' id='only-warn'> only records with warnings or dropped values</label>"
                + ("<label><input type='checkbox' id='only-diff'> only records that differ from gold</label>" if golds else "")
                + "<span class='legend'>" + "".join(f"<mark class='f-{c}'>{c}</mark>" for c in (
                    "headline", "source", "meeting", "name", "title", "upstream", "slogan", "directives", "missed")) +
                "</span></header><main>")
        lines = RecordLines(records)
        for _, rec, error in lines:
            if rec is None:
                stats["bad_lines"] += 1
                continue
            doc = arts.document(rec)
            stats["no_article"] += doc is None
            gold = golds.get(rec["doc_id"]) if golds is not None else None
            section, flags = render_article(stats["records"], rec, doc, gold)
            f.write(section + "\n")
            nav.append(f"<li data-n='{stats['records']}' data-warn='{int(flags['warn'])}' data-diff='{int(flags['diff'])}'>"
                       f"{e(rec['doc_id'])}</li>")
            stats["records"] += 1
        f.write(f"</main><nav><ol>{''.join(nav)}</ol></nav><script>{js}</script></body></html>\n")
        stats["superseded"] = lines.superseded
    return stats
