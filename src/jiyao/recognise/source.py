"""The source line: outlet, reporters, photographers, editors, publication date.

Credits come in brackets after the dateline (记者 张三 通讯员 李四), in sign-off lines at the bottom
(作者:张三 / 编辑:李四 / 一审:王五 二审:赵六), in 来源/作者/发布时间 meta lines, and with the
characters of a word or a two-character name padded with spaces (编 辑:苏 伟, 记 者 | 赵 鑫).
"""
from __future__ import annotations

import re

from ..schema import Source
from .lexicon import CJK, CREDIT_SLASHED, CREDIT_WORDS, NOT_OUTLETS, OUTLET_SUFFIX, PAGE_META_RE
from .people import is_name

_ROLES_OF: dict[str, tuple[str, ...]] = {w: (field,) for field, words in CREDIT_WORDS.items() for w in words}
_ROLES_OF.update(CREDIT_SLASHED)


def _spaced(word: str) -> str:
    """A credit word whose characters may be padded with a space (编 辑, 一 审)."""
    return r"[ \t]?".join(map(re.escape, word))


_ROLE_RE = re.compile("|".join(_spaced(w) for w in sorted(_ROLES_OF, key=len, reverse=True)))
_BRACKETED = re.compile(r"[(\[【]([^()\[\]【】\n]{2,80})[)\]】]")
# A sign-off line starts with a credit word, perhaps after the outlet (县融媒体中心记者:…);
# a meta line holds 来源/发布 with credits among them (来源:某某网 | 作者:张三 | 发布时间:…).
_SIGN_OFF = re.compile(rf"^[ \t]*(?:[{CJK}]{{0,12}}?{OUTLET_SUFFIX}|本版|本期)?(?:{_ROLE_RE.pattern})")
_META = re.compile(r"来源[::]|发布(?:时间|日期)[::]")
_NAME = re.compile(f"^(?:[{CJK}]{{2,4}}|[{CJK}]{{1,8}}·[{CJK}]{{1,8}})$")
_DATELINE = re.compile(rf"(?:^|\n)[ \t]*([{CJK}]{{2,12}}?{OUTLET_SUFFIX})讯")
# A broadcaster's dateline: 央视网消息(新闻联播): / 中国网络电视台消息: (the bracket names a programme)
_NEWS_DATELINE = re.compile(rf"(?:^|\n)[ \t]*([{CJK}]{{2,12}}?{OUTLET_SUFFIX})消息(?:[(（][^()（）\n]{{1,12}}[)）])?[:：]")
_SOURCE_LINE = re.compile(rf"来源[::]\s*([{CJK}]{{2,14}}?{OUTLET_SUFFIX})(?=[\s)）|]|$)"
                          # a reprint notice: 《…》由某某新闻网提供,转载请注明出处
                          rf"|》由([{CJK}]{{2,14}}?{OUTLET_SUFFIX})提供")
# A date on the page: 2022-5-18, 2022/05/18, 2022.5.18, 2022年05月18日.
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})(?!\d)"
# A labelled page date: 发布日期/发布时间/发表于 (forums)/上载日期 (disclosure pages)…, the label's
# characters perhaps padded apart (上 载 日 期) and the colon perhaps missing. Not a document's own
# 发文日期/成文日期 (the disclosure page's upload date is the page's, README labelling decisions).
_PUB_LABELS = ("发布日期", "发布时间", "发稿时间", "发表于", "发表时间", "上载日期", "更新时间")


def _label(words) -> str:
    return "|".join(_spaced(w) for w in words)


# bare 日期/时间 only where no word runs into it (会议时间 is no page date, 发 文 日 期 is the document's)
_PUBDATE = re.compile(rf"(?:{_label(_PUB_LABELS)}|(?<![{CJK}])(?<![{CJK}][ \t])(?:{_label(('日期', '时间'))}))[::]?\s*{_DATE}")
_OUTLET_STEM = re.compile(rf"^(.*?){OUTLET_SUFFIX}$")


_NEXT_LABEL = re.compile(rf"(?<=\s)[{CJK}]{{2,6}}[::]")


def _names(seg: str) -> list[str]:
    """The names in a credit's slot; single characters padded apart are joined (赵 鑫 → 赵鑫). The
    slot ends at the next label (作者:  时间:2022-11-25: an empty author, 时间 is no name)."""
    seg = _NEXT_LABEL.split(seg, maxsplit=1)[0]
    tokens = [t for t in re.split(r"[\s、,:;/|]+", seg) if t]
    out, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if len(t) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            t, i = t + tokens[i + 1], i + 1
        # a surname-led name (报道 after 记者王五 is not one); 阿依古丽·买买提 style names pass
        if _NAME.match(t) and (is_name(t) or "·" in t):
            out.append(t)
        i += 1
    return out


def _blocks(text: str) -> list[str]:
    lines = text.split("\n")
    blocks = [m.group(1) for m in _BRACKETED.finditer(text)]
    # meta lines in any shape: `|| 2022-03-23 11:18 编辑: 某某 审核人:某某 阅读次数:2236 |`
    blocks += [ln for ln in lines if len(ln) <= 120 and (_SIGN_OFF.match(ln) or _META.search(ln) or PAGE_META_RE.search(ln))]
    return blocks


def credits(text: str) -> dict[str, list[str]]:
    """Names after 记者/摄影/编辑/审核… words inside a bracketed credit or a sign-off line."""
    out: dict[str, list[str]] = {"reporters": [], "photographers": [], "editors": []}
    for block in _blocks(text):
        hits = list(_ROLE_RE.finditer(block))
        for i, h in enumerate(hits):
            seg = block[h.end(): hits[i + 1].start() if i + 1 < len(hits) else len(block)]
            for field in _ROLES_OF[re.sub(r"[ \t]", "", h.group())]:
                out[field] += [n for n in _names(seg) if n not in out[field]]
    if not out["reporters"]:
        out["reporters"] = [n for n in _byline(text) if n not in out["editors"] and n not in out["photographers"]]
    return out


_UNIT = r"(?:局|办|委|部|中心|镇|乡|街道|政府|办公室|所|站|队)"
# The article's last line may be its byline with no credit word: (王海), (朱小旭 李得春), 张三 李四 报道.
_BYLINE = re.compile(rf"(?:^|[。!?])\s*[(\[【]([{CJK}·\s]{{2,30}})[)\]】]$|^([{CJK}·\s]{{2,30}}?)\s*报道$")


# A byline on a line of its own anywhere (pages put furniture after it, or a second report): (甲 乙),
# with the writer's unit before the names and 供稿 after them: (市水务局 某某 供稿).
_BYLINE_LINE = re.compile(rf"^[(\[【]\s*((?:[{CJK}]{{2,12}}?{_UNIT}\s+)?)([{CJK}·\s]{{2,30}}?)\s*(?:供稿)?\s*[)\]】]$")


def _byline(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.strip().split("\n") if ln.strip()]
    m = _BYLINE.search(lines[-1]) if lines else None
    segs = [m.group(1) or m.group(2)] if m else []
    segs += [b.group(2) for ln in lines[:-1] if (b := _BYLINE_LINE.match(ln))]
    out: list[str] = []
    for seg in segs:
        names = _names(seg)
        # every word of it a name, or it is no byline (…(扩大)…, (草案))
        if names and len("".join(names)) == len(re.sub(r"\s", "", seg)):
            out += [n for n in names if n not in out]
    return out


def _named(outlet: str) -> bool:
    """本报/本网 and a bare level (县融媒体中心) name no outlet (SPEC: unnamed → null)."""
    stem = _OUTLET_STEM.match(outlet).group(1)
    return not outlet.startswith(NOT_OUTLETS) and len(stem) >= 2


def outlet(text: str) -> str | None:
    for rx in (_DATELINE, _NEWS_DATELINE, _SOURCE_LINE):
        for m in rx.finditer(text):
            got = next(g for g in m.groups() if g)
            if _named(got):
                return got
    return None


# An unlabelled date on a meta line: `2021-11-08 15:14:10  来源:县融媒体中心  责任编辑:`, a forum's
# `2022-5-18 07:52| 发布者: 某某| 查看: 968| 评论: 3`, a digital paper's `某某晚报 2021年06月02日 第A03版`.
_META_DATE = re.compile(rf"(?<!\d){_DATE}")


def published_date(text: str, page_date: str | None = None) -> str | None:
    m = _PUBDATE.search(text) or next((d for ln in text.split("\n") if len(ln) <= 120 and PAGE_META_RE.search(ln)
                                        for d in [_META_DATE.search(ln)] if d), None)
    if m:
        y, mo, d = map(int, m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return page_date


def source(text: str, page_date: str | None = None) -> Source:
    return Source(outlet=outlet(text), published_date=published_date(text, page_date), **credits(text))
