"""The source line: outlet, reporters, photographers, editors, publication date."""
from __future__ import annotations

import re

from ..schema import Source
from .lexicon import CJK
from .people import is_name

_ROLE_WORDS = {
    "reporters": ("全媒体记者", "融媒体记者", "首席记者", "见习记者", "特约记者", "记者", "通讯员"),
    "photographers": ("摄影记者", "摄影", "图"),
    "editors": ("本条编辑", "责任编辑", "编辑"),
}
_ROLE_OF = {w: k for k, ws in _ROLE_WORDS.items() for w in ws if w != "图"}
# 文/张三 图/李四: with the slash these are credits (bare 图 is too common a character)
_ROLE_OF.update({"文/": "reporters", "图/": "photographers"})
_ROLE_RE = re.compile("|".join(sorted(map(re.escape, _ROLE_OF), key=len, reverse=True)))
_CREDIT_BLOCK = re.compile(r"[(\[【]([^()\[\]【】\n]{2,60})[)\]】]|^[ \t]*((?:本条编辑|责任编辑|编辑|全媒体记者|融媒体记者|记者|通讯员"
                           r"|摄影|文/|图/)\s*[::|/ ]?[^\n]{1,60})$", re.M)
_NAME = re.compile(f"^(?:[{CJK}]{{2,4}}|[{CJK}]{{1,8}}·[{CJK}]{{1,8}})$")
_OUTLET_SUFFIX = r"(?:融媒体中心|新闻网|日报|晚报|早报|时报|电视台|广播电视台|网|报|台)"
_DATELINE = re.compile(rf"(?:^|\n)[ \t]*([{CJK}]{{2,12}}?{_OUTLET_SUFFIX})讯")
_SOURCE_LINE = re.compile(rf"来源[::]\s*([{CJK}]{{2,14}}?{_OUTLET_SUFFIX})(?=[\s)）]|$)")
_PUBDATE = re.compile(r"(?:发布日期|发布时间|发稿时间|日期|时间)[::]\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})")
_NOT_OUTLETS = ("本报", "本网", "本台", "本刊")


def credits(text: str) -> dict[str, list[str]]:
    """Names after 记者/摄影/编辑 words inside a bracketed credit or an editor sign-off line."""
    out: dict[str, list[str]] = {"reporters": [], "photographers": [], "editors": []}
    for m in _CREDIT_BLOCK.finditer(text):
        block = m.group(1) or m.group(2)
        hits = list(_ROLE_RE.finditer(block))
        if not hits:
            continue
        for i, h in enumerate(hits):
            seg = block[h.end(): hits[i + 1].start() if i + 1 < len(hits) else len(block)]
            for name in re.split(r"[\s、,:;/]+", seg):
                # a surname-led name (报道 after 记者王五 is not one); 阿依古丽·买买提 style names pass
                if _NAME.match(name) and (is_name(name) or "·" in name) and name not in out[_ROLE_OF[h.group()]]:
                    out[_ROLE_OF[h.group()]].append(name)
    return out


def outlet(text: str) -> str | None:
    for rx in (_DATELINE, _SOURCE_LINE):
        for m in rx.finditer(text):
            name = m.group(1)
            if not name.startswith(_NOT_OUTLETS):
                return name
    return None


def published_date(text: str, page_date: str | None = None) -> str | None:
    m = _PUBDATE.search(text)
    if m:
        y, mo, d = map(int, m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return page_date


def source(text: str, page_date: str | None = None) -> Source:
    return Source(outlet=outlet(text), published_date=published_date(text, page_date), **credits(text))
