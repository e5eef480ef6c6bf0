"""Page furniture in plain-text page dumps: find the article (title and body) inside a scraped page
and drop what the site wraps around it, keeping every kept character's offset into the ORIGINAL file.

A scraped page reads, top to bottom:

    某某县人民政府门户网站                      ← portal banner        (dropped)
    首页 | 政务公开 | 互动交流 | 办事服务        ← navigation           (dropped)
    当前位置: 首页 > 新闻中心 > 要闻             ← breadcrumb           (dropped)
    01.24 县委召开疫情防控工作调度会             ← title                (kept, less the list date;
                                                                        a wrapped title joined)
    来源: 某某县融媒体中心  发布时间: 2022-08-09 ← meta line            (kept: SPEC's source reads it)
    【字体: 大 中 小】 【打印】                  ← toolbar              (dropped)
    8月9日上午,县委书记…主持召开…。           ← body                 (kept)
    (责任编辑: 某某)                           ← credit               (kept)
    上一篇: …  下一篇: …                        ← link to other pages  (dropped, and all after it
    网友评论 / 用户甲: 这个“局长”…              ← comments               but credits and meta lines;
    版权所有 … ICP备…                           ← footer                 comments never feed a field)

Decisions are made on the normalised text (當前位置 and 网友評論 read as 当前位置, 网友评论) and by
structure — a line's length, its sentence punctuation, its separators (> » | ·), the furniture words
of furniture_lines.py and its place relative to the title and the body — never by one page's wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .repair import repair
from .furniture_lines import BYLINE_BULLETS, DOCUMENT_ENDINGS, FURNITURE, ISSUER_ENDINGS, TITLE_LABEL, TITLE_MAX, kind, title_bounds
from ..text import Normalised

__all__ = ["FURNITURE", "TITLE_LABEL", "Page", "find_article", "kind", "title_bounds"]

_KEEP = ("meta", "credit")  # SPEC: the 来源/发布日期 line and the credits feed `source`, wherever they are
_CUT = ("comments", "next", "related", "teaser", "footer")  # after the body: the article is over
_DROP_NEAR_TITLE = FURNITURE + ("banner",)
_RUN_MAX = 3  # more title-like lines in a row than a title, a kicker and a subtitle: a link list


@dataclass(frozen=True)
class Page:
    norm: Normalised  # the article: what was kept, in page order, offsets into the original file
    warnings: tuple[str, ...] = ()


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end including the newline, stripped line) per line of the text."""
    out, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw) + 1
        out.append((pos, min(end, len(text)), raw.strip()))
        pos = end
    return out


def _title_run(kinds: list[str], body: int) -> list[int]:
    """Indexes of the title-like lines right above the body (meta and credit lines, furniture and a
    ——subtitle may sit between them and the body)."""
    run: list[int] = []
    for i in range(body - 1, -1, -1):
        k = kinds[i]
        if k in ("title", "banner"):
            run.insert(0, i)
        elif k == "blank" or (not run and (k in _KEEP or k in FURNITURE or k == "other")):
            continue
        else:
            break
    titles = [i for i in run if kinds[i] == "title"]
    return titles[-1:] if len(titles) > _RUN_MAX else titles


_MEETING = re.compile(r"召开|举行|会议|会$|主持")
# a title line that ends so breaks off (…指挥部召开 / 防汛工作紧急会商会议)
_OPEN_END = (*"、,和及与暨的在为对并", "召开", "举行", "研究", "部署", "传达", "学习", "听取")
# a title line never starts so: it goes on from the line above (…集体学习时 / 的重要讲话精神)
_GOES_ON = (*"的、,和及与暨", "精神", "会议")


def _joins(first: str, second: str, text: str) -> bool:
    """A title wrapped over two lines (not a title over its subtitle: 抓紧抓实…工作 / 夺取…双胜利):
    the second part is a short remainder (`精神`), the first ends mid-phrase (`…、`), or the page
    repeats the whole title elsewhere (its <title> line). A bulleted line (■某某) is a byline."""
    whole = "".join((first + second).split())
    if _issued(first, second) and len(whole) <= TITLE_MAX:
        return True
    if first == second or len(whole) > 64 or not re.search(r"[\u4e00-\u9fff]", second) \
            or re.search(rf"讯$|^(?:本报|本网|记者|通讯员|\d|[{BYLINE_BULLETS}])", second):
        return False
    return len(second) <= 8 or first.endswith(_OPEN_END) or second.startswith(_GOES_ON) \
        or "".join(text.split()).count(whole) >= 2


def _issued(first: str, second: str) -> bool:
    """某某县人民政府办公室 / 关于印发…的通知: a document's title wrapped after its issuing body;
    某某指挥部办公室 / 第三次汛期会商研判: a meeting's title wrapped after the body that held it (R4-22)."""
    return first.endswith(ISSUER_ENDINGS) and len(first) <= 30 and (
        second.startswith("关于") and second.endswith(DOCUMENT_ENDINGS) or bool(_HELD_LINE.match(second)))


# what a body's title line goes on with: its numbered sitting, or the verb that holds it
_HELD_LINE = re.compile(r"^(?:第[一二三四五六七八九十百\d]{1,4}次|召开|举行)[\u4e00-\u9fff()]{2,30}$")


def _body_start(kinds: list[str]) -> int | None:
    """The first paragraph of the body: the first prose line that page furniture does not follow (a
    lone notice between menus — a disclaimer, a browser hint — is no body); else the first prose line."""
    prose = [i for i, k in enumerate(kinds) if k == "prose"]
    for i in prose:
        nxt = next((kinds[j] for j in range(i + 1, len(kinds)) if kinds[j] != "blank"), None)
        if nxt is not None and nxt not in _DROP_NEAR_TITLE:
            return i
    return prose[0] if prose else None


def find_article(norm: Normalised) -> Page:
    """The article inside a page dump; the text itself (and no warning) when nothing is furniture
    and nothing needed repair (read/repair.py)."""
    norm, repaired = repair(norm)
    page = _find_article(norm)
    return Page(page.norm, (*repaired, *page.warnings)) if repaired else page


def _find_article(norm: Normalised) -> Page:
    text = norm.text
    lines = _lines(text)
    kinds = [kind(s) if s else "blank" for _, _, s in lines]
    for i in range(len(kinds) - 1):  # `发布时间:` / `2023-05-10`, `来源:` / `某镇党政办`: one meta line over two
        if kinds[i] == "meta" and lines[i][2].endswith(":") and kinds[i + 1] in ("title", "other", "site"):
            kinds[i + 1] = "meta"
    body = _body_start(kinds)
    if body is None:
        return Page(norm)
    kinds = [("meta" if i < body else "comments") if k == "post" else k for i, k in enumerate(kinds)]
    run = _title_run(kinds, body)
    # a kicker above the title (以学促干 走在前列 / 全市…会议召开): the line that reports the meeting
    title = [next((i for i in run if _MEETING.search(lines[i][2])), run[0])] if run else []
    nxt = next((i for i in range(title[0] + 1, body) if kinds[i] != "blank"), None) if title else None
    if nxt is not None and kinds[nxt] in ("title", "other") and _joins(lines[title[0]][2], lines[nxt][2], text):
        title.append(nxt)
    if len(title) == 1:  # a page repeats its title (<title>, then <h1>): the first copy is the title line
        title[0] = next(i for i in range(title[0] + 1) if lines[i][2] == lines[title[0]][2])
    keep, dropped = _choose(lines, kinds, title, body)
    if not dropped and len(title) <= 1:
        return Page(norm)  # a clean article: not a character moves
    return Page(_select(norm, lines, title, keep), (_warning(dropped, title),))


def _link_runs(kinds: list[str], lo: int, hi: int) -> set[int]:
    """Lines in [lo, hi) that belong to a run of 3+ short title-like lines: another page's links."""
    out: set[int] = set()
    run: list[int] = []
    for i in list(range(lo, hi)) + [hi]:
        if i < hi and kinds[i] == "title":
            run.append(i)
        elif i < hi and kinds[i] == "blank":
            continue
        else:
            if len(run) >= 3:
                out.update(run)
            run = []
    return out


def _prose_follows(kinds: list[str], i: int) -> bool:
    """A `相关新闻` line with paragraphs right after it is a caption or a heading inside the body, not
    the start of a link list."""
    if kinds[i] != "related":
        return False
    return "prose" in [k for k in kinds[i + 1:] if k != "blank"][:2]


def _same_title(a: str, b: str) -> bool:
    (i, j), (k, m) = title_bounds(a), title_bounds(b)
    return a[i:j] == b[k:m]


def _choose(lines: list[tuple[int, int, str]], kinds: list[str], title: list[int],
            body: int) -> tuple[list[int], list[tuple[int, str]]]:
    """(lines kept besides the title, in page order; (line, kind) of the furniture dropped)."""
    n = len(kinds)
    cut = next((i for i in range(body + 1, n) if kinds[i] in _CUT and not _prose_follows(kinds, i)), n)
    last_prose = max(i for i in range(body, cut) if kinds[i] == "prose")
    links = _link_runs(kinds, last_prose + 1, cut)
    comments = next((i for i in range(cut, n) if kinds[i] == "comments"), n)
    keep, dropped = [], []
    for i, k in enumerate(kinds):
        if i in title:
            continue
        if i < (title[0] if title else 0):  # above the title: banners, menus, breadcrumbs, other pages' links
            drop = k not in _KEEP
        elif i < body and title and k == "title" and _same_title(lines[i][2], lines[title[0]][2]):
            drop, k = True, "title copy"  # 市委召开…会 / 市委召开…会_某某网: the page's <title> again
        elif i < cut:
            drop = k in _DROP_NEAR_TITLE or i in links
        else:  # the page after the article: only credits and meta lines before any comment section
            drop = k not in _KEEP or i >= comments
        if not drop:
            keep.append(i)
        elif k != "blank":
            dropped.append((i, k))
    return keep, dropped


def _select(norm: Normalised, lines: list[tuple[int, int, str]], title: list[int], keep: list[int]) -> Normalised:
    """The kept characters with their original spans, in page order (the offsets stay increasing): the
    title proper (no list date 01.24, column tag 【聚焦…】 or site name _某某网), a wrapped title
    joined into one line and grounded on the span of both parts, and the kept lines."""
    text = norm.text
    spans: list[tuple[int, int]] = []  # [start, end) slices of the normalised text, in order
    for i in sorted({*title, *keep}):
        start, end, _ = lines[i]
        if i not in title:
            if not title or not title[0] < i < title[-1]:  # blank lines inside a wrapped title go
                spans.append((start, end))
            continue
        a, b = title_bounds(text[start:end])
        spans.append((start + a, start + b))
        stamp = _STAMP_AFTER.match(text, start + b, end)
        if stamp:  # …会议 2023-02-10 09:12 |: the page's stamp stays, on a line of its own under the title
            spans += [(-1, -1), stamp.span(1)]
        if i == title[-1]:
            spans.append((end - 1, end) if text[end - 1:end] == "\n" else (-1, -1))
    chars, starts, ends = [], [], []
    for a, b in spans:
        if a < 0:  # a line break the page lacks (the title was its last line)
            chars.append("\n"); starts.append(ends[-1]); ends.append(ends[-1])
        else:
            chars.extend(text[a:b]); starts.extend(norm.starts[a:b]); ends.extend(norm.ends[a:b])
    return Normalised(norm.original, "".join(chars), tuple(starts), tuple(ends))


_STAMP_AFTER = re.compile(r"\s*[\[(]?(\d{4}[-./]\d{1,2}[-./]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)[\])]?[\s|丨]*$",
                          re.M)


def _warning(dropped: list[tuple[int, str]], title: list[int]) -> str:
    counts: dict[str, int] = {}
    for _, k in dropped:
        counts[k] = counts.get(k, 0) + 1
    what = ", ".join(f"{k} {c}" for k, c in counts.items())
    parts = [f"dropped {len(dropped)} line(s) ({what})"] if dropped else []
    parts += [f"title joined from {len(title)} lines"] if len(title) > 1 else []
    return "page furniture: " + "; ".join(parts)
