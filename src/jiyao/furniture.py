"""Page furniture in plain-text page dumps: find the article (title and body) inside a scraped page
and drop what the site wraps around it, keeping every kept character's offset into the ORIGINAL file.

A scraped page reads, top to bottom:

    某某县人民政府门户网站                      ← portal banner        (dropped)
    首页 | 政务公开 | 互动交流 | 办事服务        ← navigation           (dropped)
    当前位置: 首页 > 新闻中心 > 要闻             ← breadcrumb           (dropped)
    县委召开疫情防控工作调度会                   ← title                (kept, first line)
    来源: 某某县融媒体中心  发布时间: 2022-08-09 ← meta line            (kept: SPEC's source reads it)
    【字体: 大 中 小】 【打印】                  ← toolbar              (dropped)
    8月9日上午,县委书记…主持召开…。           ← body                 (kept)
    (责任编辑: 某某)                           ← credit               (kept)
    上一篇: …  下一篇: …                        ← link to other pages  (dropped, and all after it
    网友评论 / 用户甲: 这个“局长”…              ← comments               but credits and meta lines;
    版权所有 … ICP备…                           ← footer                 comments never feed a field)

Decisions are made on the normalised text (當前位置 and 网友評論 read as 当前位置, 网友评论) and by
structure — a line's length, its sentence punctuation, its separators (> » | ·), the furniture words
below and its place relative to the title and the body — never by one page's wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Normalised

# ---- the furniture word lists (each once; the text is normalised, so simplified forms only) ----
BREADCRUMB_WORDS = ("当前位置", "您的位置", "您现在的位置", "你的位置", "你现在的位置", "所在位置", "现在位置")
COMMENT_WORDS = ("网友评论", "发表评论", "我要评论", "评论列表", "热门评论", "最新评论", "相关评论", "网友留言",
                 "我来说两句", "查看评论", "条评论", "暂无评论", "评论区", "跟帖", "网友回复", "条回复",
                 "发表于", "只看该作者", "楼主")  # a forum thread: the posts after the first are comments
NEXT_WORDS = ("上一篇", "下一篇", "上一条", "下一条", "上一页", "下一页", "上一则", "下一则")
RELATED_WORDS = ("相关新闻", "相关阅读", "相关链接", "相关文章", "相关报道", "相关稿件", "延伸阅读", "推荐阅读",
                 "热门推荐", "热点推荐", "新闻推荐", "精彩推荐", "智能推荐", "热门文章", "热门专题", "热点新闻",
                 "猜你喜欢", "友情链接", "图片新闻", "最新文章", "阅读排行", "点击排行", "热门排行", "更多新闻")
FOOTER_WORDS = ("版权所有", "copyright", "©", "icp备", "icp证", "公网安备", "网站标识码", "主办单位", "承办单位",
                "技术支持", "关于我们", "联系我们", "网站地图", "免责声明", "不得转载", "禁止转载", "produced by",
                "举报电话", "举报邮箱", "违法和不良信息", "建议使用", "浏览器", "分辨率")
TOOLBAR_WORDS = ("分享到", "分享至", "打印", "关闭窗口", "关闭本页", "字号", "字体", "收藏", "扫一扫", "返回顶部",
                 "返回首页", "发送给好友", "微信", "微博", "qq空间", "无障碍", "长辈版", "繁体版", "简体版")
# A site's name (portal banner, outlet header) ends so; a column label (新闻中心, 时政要闻) ends so.
SITE_ENDINGS = ("网", "网站", "门户", "客户端", "频道", "在线", "人民政府", "融媒")
_SITE_MARK = re.compile(r"[省市县区州旗镇乡]|中国|人民|政府|新闻|信息|政务|门户|日报|在线|融媒|网站|客户端|频道")
COLUMN_ENDINGS = ("新闻", "要闻", "动态", "公开", "中心", "专题", "首页", "导航", "频道", "栏目", "快讯", "资讯", "头条")
# The 来源/发布时间 line SPEC's `source` reads, and the credit lines (kept wherever they are).
_META = re.compile(r"(?:来源|发布时间|发布日期|发稿时间|更新时间|时间|日期|作者|浏览次数|阅读次数|点击数|点击量|"
                   r"访问量|浏览量|阅读量|信息来源|文章来源|发布者|摘要|导读)\s*:|\d+\s*次浏览|阅读\s*:"
                   r"|第\s*[A-Z]?\d{1,3}\s*版")  # a digital paper's page header: 某某日报 2019年08月06日 第1版
_CREDIT = re.compile(r"^[(\[【]?\s*(?:本条编辑|责任编辑|编辑|责编|记者|全媒体记者|融媒体记者|通讯员|摄影|审核|审稿|"
                     r"核稿|校对|监制|总监制|撰稿|文/|图/|一审|二审|三审)")
_CREDIT_BRACKET = re.compile(r"^[(\[【].*(?:记者|编辑|通讯员|来源|摄影).*[)\]】]$")

_SPACED_LABEL = re.compile(r"(?:^|\s)[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){1,3}\s")  # 名   称 …, 发 布 机 构 …
_COMMENT_HEAD = re.compile(r"^(?:评论|留言|回复|网友)\s*(?:\(\d+\))?\s*:?$")  # a bare 评论 / 评论(3) header
_JAM = re.compile(r"[%*;!\"\\]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = re.compile(r"[。!?;]")
_CRUMB_SEP = re.compile(r"\s*(?:>>?|»|›|→)\s*")
_NAV_SEP = re.compile(r"\s*[|丨·_]\s*")
_IMAGE = re.compile(r"^(?:!\[[^\]]*\]\([^)]*\)|\S+\.(?:jpe?g|png|gif|webp|bmp))$", re.I)
# Before the title: `01.24 `, `2023-05-06 `, `[05-06]`; after it: ` 2023-05-06`, `(2023-05-06)`.
_DATE_PREFIX = re.compile(r"^(?:\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?\s*|\d{1,2}[-./]\d{1,2}\s+"
                          r"|(?:0[1-9]|1[0-2])[-.](?:[0-2]\d|3[01])(?=[\u4e00-\u9fff])(?![亿万元千百个余多])"  # 01.24县委…, not 10.24亿元
                          r"|[\[(【]\d{1,4}[-./]\d{1,2}(?:[-./]\d{1,2})?[\])】]\s*)")
_TAG_PREFIX = re.compile(r"^【[^】]{1,20}】\s*")  # a column tag: 【聚焦两会】…
_PICTURE_SUFFIX = re.compile(r"\s*[(\[](?:图|组图|图文|视频|多图)[)\]]$")  # …会议(图)
_DATE_SUFFIX = re.compile(r"\s*[\[(]?\d{4}[-./]\d{1,2}[-./]\d{1,2}[\])]?$|\s*[\[(]\d{1,2}-\d{1,2}[\])]$")
_STAMP = re.compile(r"^\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?\s*\d{1,2}:\d{2}")  # a publication stamp, not a title
# `…_某某网`, `… - 某某人民政府`, `…|某某新闻网`: the page's <title> names the site after the article
_SITE_SUFFIX = re.compile(r"\s*(?:[_|]|\s[-–—]\s)\s*([^_|]{2,24})$")
TITLE_MIN, TITLE_MAX = 6, 80
_WORD_RES: dict[tuple[str, ...], re.Pattern] = {}


def _has(s: str, words: tuple[str, ...]) -> bool:
    rx = _WORD_RES.get(words)
    if rx is None:  # one alternation per list: a line is tested against each list once
        rx = _WORD_RES[words] = re.compile("|".join(map(re.escape, words)), re.I)
    return rx.search(s) is not None


def _site_like(s: str) -> bool:
    """A site's name (和平县政务信息网, 青川新闻网), not a title that ends in 网 (织密疫情防控网)."""
    return s.endswith(SITE_ENDINGS) and len(s) <= 20 and bool(_SITE_MARK.search(s)) \
        and not re.search("召开|举行|会议|部署|主持", s)


def title_bounds(line: str) -> tuple[int, int]:
    """[start, end) of the title proper inside a title line: a leading date (`01.24 `) and a trailing
    date or site name (`_某某网`, ` - 某某县人民政府`) are not part of the headline."""
    a, b = len(line) - len(line.lstrip()), len(line.rstrip())
    for rx in (_DATE_PREFIX, _TAG_PREFIX):
        m = rx.match(line[a:b])
        if m and b - a - m.end() >= TITLE_MIN:
            a += m.end()
    m = _PICTURE_SUFFIX.search(line[a:b])
    if m and m.start() >= TITLE_MIN:
        b = a + m.start()
    while True:
        seg = line[a:b]
        m = _SITE_SUFFIX.search(seg) or _DATE_SUFFIX.search(seg)
        if not m or m.start() < TITLE_MIN:
            return a, b
        site = m.group(1).strip() if m.re is _SITE_SUFFIX else None
        if site is not None and not (_site_like(site) or site.endswith(COLUMN_ENDINGS)):
            return a, b
        b = a + m.start()


def kind(line: str) -> str:
    """What a stripped, non-empty line is: meta | credit | breadcrumb | nav | banner | toolbar | footer |
    comments | next | related | image | noise | site | prose | title | other."""
    s, n = line, len(line)
    sentence = bool(_SENTENCE_END.search(s))
    if _IMAGE.match(s):
        return "image"
    if n <= 40 and not _CJK.search(s) and len(_JAM.findall(s)) >= 2:
        return "noise"  # a forum's anti-copy jammer between paragraphs: 6 F0 u" p; c2 \% D* m
    if (n <= 40 and _has(s, COMMENT_WORDS)) or _COMMENT_HEAD.match(s):
        return "comments"
    if (n <= 40 or s.startswith(NEXT_WORDS)) and _has(s, NEXT_WORDS):
        return "next"
    if _has(s, BREADCRUMB_WORDS) and n <= 120:
        return "breadcrumb"
    if (n <= 80 or not sentence) and _has(s, FOOTER_WORDS):
        return "footer"
    if n <= 120 and not sentence and (_META.search(s) or _STAMP.match(s)):
        return "meta"
    if n <= 80 and not sentence and (_CREDIT.match(s) or _CREDIT_BRACKET.match(s)):
        return "credit"
    if n <= 24 and _has(s, RELATED_WORDS):
        return "related"
    crumbs = [p for p in _CRUMB_SEP.split(s) if p]
    if len(crumbs) >= 2 and all(len(p) <= 12 for p in crumbs) and ("首页" in s or "正文" in s or len(crumbs) >= 3):
        return "breadcrumb"
    segs = [p for p in _NAV_SEP.split(s) if p]
    if len(segs) >= 3 and all(len(p) <= 12 for p in segs) and not sentence:
        return "nav"
    if len(segs) == 2 and all(len(p) <= 12 for p in segs) and re.search(r"\s[·|]\s|丨", s):
        return "banner"  # a column banner over the title: 做好疫情防控 · 有序复工复产
    tokens = s.split()
    if len(tokens) >= 5 and sum(len(t) <= 4 for t in tokens) >= 0.8 * len(tokens) and not sentence:
        return "nav"  # 首 页 政务公开 互动交流 …, 即时 热门 政治 社会 …
    if not sentence and _SPACED_LABEL.search(s):
        return "meta"  # a disclosure page's table row: 名   称 某某办公室关于…的通知
    if n <= 40 and not sentence and _has(s, TOOLBAR_WORDS):
        return "toolbar"
    if ((n >= 20 and sentence) or n >= 60) and len(_CJK.findall(s)) >= 0.4 * n:
        return "prose"
    if re.fullmatch(r"[\d\s年月日时分:./\-]+", s):
        return "other"  # a bare date or time
    a, b = title_bounds(s)
    t = s[a:b]
    if _site_like(t) or (len(t) <= 8 and t.endswith(COLUMN_ENDINGS)):
        return "site"  # 某某县政务信息网, 新闻中心: the site's name or a column's, above the title
    if TITLE_MIN <= len(t) <= TITLE_MAX and not t.startswith(("——", "—", "(", "【")) and not t.endswith(":") \
            and t.count(",") <= 2 and len(segs) <= 2 and len(_CJK.findall(t)) >= 0.5 * len(t):
        return "title"
    return "other"


_KEEP = ("meta", "credit")  # SPEC: the 来源/发布日期 line and the credits feed `source`, wherever they are
_CUT = ("comments", "next", "related", "footer")  # after the body: the article is over
# lines that are never the article, wherever they stand (a title's banner only above or below it)
FURNITURE = ("breadcrumb", "nav", "toolbar", "footer", "image", "comments", "next", "related", "site", "noise")
_DROP_NEAR_TITLE = FURNITURE + ("banner",)
_RUN_MAX = 3  # more title-like lines in a row than a title, a kicker and a subtitle: a link list


@dataclass(frozen=True)
class Page:
    norm: Normalised  # the article: title first, then what was kept, in page order
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
# a title line never starts so: the line goes on from the one above (…集体学习时 / 的重要讲话精神)
# …ends so: the line breaks off (…指挥部召开 / 防汛工作紧急会商会议)
_OPEN_END = (*"、,和及与暨的在为对并", "召开", "举行", "研究", "部署", "传达", "学习", "听取")
_GOES_ON = (*"的、,和及与暨", "精神", "会议")


def _joins(first: str, second: str, text: str) -> bool:
    """A title wrapped over two lines (not a title over its subtitle: 抓紧抓实…工作 / 夺取…双胜利):
    the second part is a short remainder (`精神`), the first ends mid-phrase (`…、`), or the page
    repeats the whole title elsewhere (its <title> line)."""
    whole = "".join((first + second).split())
    if first == second or len(whole) > 64 or not re.search(r"[\u4e00-\u9fff]", second) \
            or re.search(r"讯$|^(?:本报|本网|记者|通讯员|\d)", second):
        return False
    return len(second) <= 8 or first.endswith(_OPEN_END) or second.startswith(_GOES_ON) \
        or "".join(text.split()).count(whole) >= 2


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
    """The article inside a page dump; the text itself (and no warning) when nothing is furniture."""
    text = norm.text
    lines = _lines(text)
    kinds = [kind(s) if s else "blank" for _, _, s in lines]
    for i in range(len(kinds) - 1):  # `发布时间:` / `2023-05-10`, `来源:` / `某镇党政办`: one meta line over two
        if kinds[i] == "meta" and lines[i][2].endswith(":") and kinds[i + 1] in ("title", "other", "site"):
            kinds[i + 1] = "meta"
    body = _body_start(kinds)
    if body is None:
        return Page(norm)
    run = _title_run(kinds, body)
    # a kicker above the title (以学促干 走在前列 / 全市…会议召开): the line that reports the meeting
    title = [next((i for i in run if _MEETING.search(lines[i][2])), run[0])] if run else []
    nxt = next((i for i in range(title[0] + 1, body) if kinds[i] != "blank"), None) if title else None
    if nxt is not None and kinds[nxt] in ("title", "other") and _joins(lines[title[0]][2], lines[nxt][2], text):
        title.append(nxt)
    if len(title) == 1:  # a page repeats its title (<title>, then <h1>): the first copy is the title line
        title[0] = next(i for i in range(title[0] + 1) if lines[i][2] == lines[title[0]][2])
    keep, dropped = _choose(lines, kinds, title, body)
    first = next(i for i, k in enumerate(kinds) if k != "blank")
    if not dropped and len(title) <= 1 and (not title or title[0] == first):
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


def _same_title(a: str, b: str) -> bool:
    (i, j), (k, m) = title_bounds(a), title_bounds(b)
    return a[i:j] == b[k:m]


def _choose(lines: list[tuple[int, int, str]], kinds: list[str], title: list[int],
            body: int) -> tuple[list[int], list[tuple[int, str]]]:
    """(lines kept besides the title, in page order; (line, kind) of the furniture dropped)."""
    n = len(kinds)
    cut = next((i for i in range(body + 1, n) if kinds[i] in _CUT), n)
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
    """The kept characters with their original spans: the title line(s) first (a wrapped title joined
    into one line, grounded on the span of both parts), then the kept lines in page order."""
    text = norm.text
    idx: list[int] = []
    for i in title:  # the title proper: no list date (01.24), column tag (【聚焦…】) or site name (_某某网)
        start, end, s = lines[i]
        a, b = title_bounds(text[start:end])
        idx.extend(range(start + a, start + b))
    if title:
        nl = lines[title[-1]][1] - 1
        idx.append(nl if text[nl:nl + 1] == "\n" else -1)
    for i in keep:
        start, end, _ = lines[i]
        idx.extend(range(start, end))
    chars, starts, ends = [], [], []
    for j in idx:
        if j < 0:  # a line break the page lacks (the title was its last line)
            chars.append("\n"); starts.append(ends[-1] if ends else 0); ends.append(ends[-1] if ends else 0)
        else:
            chars.append(text[j]); starts.append(norm.starts[j]); ends.append(norm.ends[j])
    return Normalised(norm.original, "".join(chars), tuple(starts), tuple(ends))


def _warning(dropped: list[tuple[int, str]], title: list[int]) -> str:
    counts: dict[str, int] = {}
    for _, k in dropped:
        counts[k] = counts.get(k, 0) + 1
    what = ", ".join(f"{k} {c}" for k, c in counts.items())
    parts = [f"dropped {len(dropped)} line(s) ({what})"] if dropped else []
    parts += [f"title joined from {len(title)} lines"] if len(title) > 1 else []
    return "page furniture: " + ("; ".join(parts) or "title moved to the first line")
