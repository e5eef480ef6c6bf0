"""Robustness set: noisy variants of gold articles that keep the same gold.

clean (normalised text), trad_pinyin (traditional script with a pinyin reading after every Han
character, as scraped pages have), doubled (',' doubled before punctuation), gbk (GB18030 bytes),
big5 (traditional, Big5 bytes), html (the article inside a page with scripts and navigation).
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import opencc
from pypinyin import Style, pinyin

from ..read.document import ReadError, read_file

VARIANTS = ("clean", "trad_pinyin", "doubled", "gbk", "big5", "html")
_S2T = opencc.OpenCC("s2t")
_S2TW = opencc.OpenCC("s2tw")  # Taiwan forms (為 not 爲): the ones Big5 can encode


def trad_pinyin(text: str) -> str:
    readings = pinyin(text, style=Style.TONE, errors=lambda chars: [[c] for c in chars])
    trad = _S2T.convert(text)
    out = []
    for ch, tr, r in zip(text, trad if len(trad) == len(text) else text, readings):
        out.append(tr + (f"({r[0]})" if "\u4e00" <= ch <= "\u9fff" and r[0] != ch else ""))
    return "".join(out)


def doubled(text: str) -> str:
    return re.sub(r"([,、。;])", r",\1", text)


def html_page(text: str, title: str) -> str:
    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    head = f"<title>{html.escape(title)}</title>" if title else ""
    h1 = f"<h1>{html.escape(title)}</h1>" if title else ""
    return f"""<!doctype html><html><head><meta charset="utf-8">{head}
<script>var nav = "首页 | 新闻 | 关于我们"; document.write("<b>广告</b>");</script><style>p{{margin:0}}</style></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a> | <a href="/gov">政务公开</a></div>
<div class="article">{h1}
{paras}
</div><div class="footer">版权所有 主办单位 网站地图 联系我们</div><script>console.log("tracker")</script></body></html>"""


def make(articles: Path, out: Path, doc_ids: set[str] | None = None,
         on_skip: Callable[[Path, str], None] | None = None) -> dict[str, int]:
    """Every variant of each article in `articles`; an article that cannot be read (empty,
    binary) has none, and on_skip hears why."""
    counts = {v: 0 for v in VARIANTS}
    for d in VARIANTS:
        (out / d).mkdir(parents=True, exist_ok=True)
    for path in sorted(articles.iterdir()):
        if not path.is_file() or (doc_ids and path.stem not in doc_ids):
            continue
        try:
            clean = read_file(path).norm.text
        except ReadError as exc:
            if on_skip:
                on_skip(path, str(exc))
            continue
        first = next((ln for ln in clean.split("\n") if ln.strip()), "")
        title = first.strip() if 0 < len(first.strip()) <= 64 and "。" not in first else ""
        (out / "clean" / f"{path.stem}.txt").write_text(clean, "utf-8")
        (out / "trad_pinyin" / f"{path.stem}.txt").write_text(trad_pinyin(clean), "utf-8")
        (out / "doubled" / f"{path.stem}.txt").write_text(doubled(clean), "utf-8")
        (out / "gbk" / f"{path.stem}.txt").write_bytes(clean.encode("gb18030"))
        try:
            (out / "big5" / f"{path.stem}.txt").write_bytes(_S2TW.convert(clean).encode("big5"))
            counts["big5"] += 1
        except UnicodeEncodeError:
            pass  # a character Big5 lacks: this article has no Big5 variant
        (out / "html" / f"{path.stem}.html").write_text(html_page(clean, title), "utf-8")
        for v in ("clean", "trad_pinyin", "doubled", "gbk", "html"):
            counts[v] += 1
    return counts
