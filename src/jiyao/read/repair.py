"""Broken scrapes repaired before the page's furniture is read (PATTERNS.md R3-11), every kept
character keeping its offset into the ORIGINAL file:

- a site watermark glued to the end of every paragraph (`…召开。R8c某某新闻网`) is removed;
- `??` where a scraper lost an ideographic-space indent (`??当前正值…`) is removed;
- a paragraph hard-wrapped into lines mid-sentence (`…紧急主持召开` / `查干花镇防汛工作调度会,…`) is
  joined again, so that a name, a date or a place broken over two lines reads as one.

Only deletions: the repaired text is a selection of the normalised one, offsets stay increasing.
"""
from __future__ import annotations

import re
from collections import Counter

from ..text import Normalised

_LOST_INDENT = re.compile(r"^\?+(?=[\u3400-\u9fff“「《(])", re.M)  # normalisation has made ?? one ?
# A watermark names a site (…网, …报, …台, …新闻) or mixes letters and digits (R8c…)
_SITE_MARK = re.compile(r"[网报台]|新闻|[A-Za-z]\d|\d[A-Za-z]")
_WATERMARK_MIN, _WATERMARK_MAX = 4, 16
_TERMINAL = tuple("。!?;:…”」』)")
_WRAP_MIN = 30  # a hard-wrapped line is a long piece of prose
# a line that opens with a dateline (央视网消息(新闻联播):, 某某网讯) starts the body: the line above
# it is a title, however long, never the first half of a wrapped sentence
_DATELINE_OPENS = re.compile(r"^[\u4e00-\u9fff]{2,14}?(?:消息|讯)(?:[(（:：\s]|$)")


def repair(norm: Normalised) -> tuple[Normalised, list[str]]:
    text = norm.text
    drop: list[tuple[int, int]] = []  # [start, end) of normalised text to remove
    notes = []
    mark = _watermark(text)
    if mark:
        drop += [(m.start(), m.end()) for m in re.finditer(re.escape(mark) + r"(?=[ \t]*(?:\n|$))", text)]
        notes.append(f"watermark {mark!r} removed from {len(drop)} line(s)")
    joins = _wraps(text)
    if joins:
        drop += [(i, i + 1) for i in joins]
        notes.append(f"{len(joins)} hard-wrapped line(s) joined")
    indents = [m.span() for m in _LOST_INDENT.finditer(text)]
    if indents:
        drop += indents
        notes.append(f"{len(indents)} lost indent(s) (??) removed")
    if not drop:
        return norm, []
    keep = [True] * len(text)
    for a, b in drop:
        for i in range(a, b):
            keep[i] = False
    idx = [i for i, k in enumerate(keep) if k]
    out = Normalised(norm.original, "".join(text[i] for i in idx), tuple(norm.starts[i] for i in idx),
                     tuple(norm.ends[i] for i in idx))
    return out, ["page repaired: " + "; ".join(notes)]


def _watermark(text: str) -> str | None:
    """The longest line ending that at least three lines and two in five of the prose lines share and
    that names a site: a watermark. Sentence endings (。) are shared by every page, so a watermark
    holds no sentence punctuation."""
    lines = [ln.rstrip() for ln in text.split("\n") if len(ln.strip()) >= 8]
    if len(lines) < 3:
        return None
    best = None
    for n in range(_WATERMARK_MIN, _WATERMARK_MAX + 1):
        ends = Counter(ln[-n:] for ln in lines if len(ln) > n)
        tail, count = ends.most_common(1)[0] if ends else ("", 0)
        if count < 3 or count < 0.4 * len(lines):
            break
        if _SITE_MARK.search(tail) and not re.search(r"[。!?;,]", tail):
            best = tail
    return best.strip() if best else None


def _wraps(text: str) -> list[int]:
    """Offsets of the line breaks inside hard-wrapped paragraphs: a long prose line that ends without
    a sentence's end, followed by a line that goes on without an indent."""
    out, pos = [], 0
    lines = text.split("\n")
    for i, line in enumerate(lines[:-1]):
        end = pos + len(line)
        nxt = lines[i + 1]
        s = line.strip()
        if len(s) >= _WRAP_MIN and re.search("[,、]", s) and not s.endswith(_TERMINAL) \
                and len(nxt.strip()) >= 10 and nxt[:1] not in (" ", "\t", "\u3000", "?") \
                and re.search(r"[\u3400-\u9fff]$", s) and re.match(r"[\u3400-\u9fff]", nxt) \
                and not _DATELINE_OPENS.match(nxt):
            out.append(end)
        pos = end + 1
    return out
