"""What one line of a scraped page is (breadcrumb, menu, meta line, title, prose…), and where the title
proper sits inside a title line. The furniture word lists are defined here, once; lines are
normalised text (simplified, half-width), so simplified forms only.
"""
from __future__ import annotations

import re

BREADCRUMB_WORDS = ("当前位置", "您的位置", "您现在的位置", "您当前的位置", "你的位置", "你现在的位置", "所在位置",
                    "现在位置", "当前页面")
COMMENT_WORDS = ("网友评论", "发表评论", "我要评论", "评论列表", "热门评论", "最新评论", "相关评论", "网友留言",
                 "说两句", "查看评论", "条评论", "暂无评论", "评论区", "最热评论", "跟帖", "网友回复", "条回复")
# a forum post's header (楼主 发表于 2023-12-21 10:02 | 只看该作者): the first post's is the page's meta
# line (its date is the publication date), every later one starts the comments
POST_WORDS = ("发表于", "只看该作者", "楼主")
NEXT_WORDS = ("上一篇", "下一篇", "上一条", "下一条", "上一页", "下一页", "上一则", "下一则")
RELATED_WORDS = ("相关新闻", "相关阅读", "相关链接", "相关文章", "相关报道", "相关稿件", "延伸阅读", "推荐阅读",
                 "热门推荐", "热点推荐", "新闻推荐", "精彩推荐", "智能推荐", "热门文章", "热门专题", "热点新闻",
                 "猜你喜欢", "友情链接", "图片新闻", "最新文章", "阅读排行", "点击排行", "热门排行", "更多新闻")
# A teaser block under the article (R3-7): its paragraph reports another meeting, with that meeting's
# date and people; the article is over, whether a paragraph or a list of links follows.
TEASER_WORDS = ("新闻推荐", "推荐新闻", "相关推荐", "智能推荐", "推荐阅读", "精彩推荐", "热门推荐", "热点推荐", "相关解读",
                "猜你喜欢", "往期回顾", "往期推荐")
FOOTER_WORDS = ("版权所有", "copyright", "©", "icp备", "icp证", "公网安备", "网站标识码", "主办单位", "承办单位",
                "技术支持", "关于我们", "联系我们", "网站地图", "免责声明", "不得转载", "禁止转载", "produced by",
                "举报电话", "举报邮箱", "违法和不良信息", "建议使用", "浏览器", "分辨率", "转载请注明", "原创文章",
                "powered by")
TOOLBAR_WORDS = ("分享到", "分享至", "打印", "关闭窗口", "关闭本页", "字号", "字体", "收藏", "扫一扫", "返回顶部",
                 "返回首页", "发送给好友", "微信", "微博", "qq空间", "无障碍", "长辈版", "长者模式", "繁体版", "简体版",
                 "ipv6", "智能问答", "听全文", "用户登录", "立即注册", "展开详细", "读完约", "阅读全文", "复制链接")
# 主办单位/承办单位 in a sentence are the body's (各承办单位负责人参加会议), a footer's have a label's colon
_UNIT_IN_PROSE = re.compile(r"(?:主办|承办)单位(?![:\s])")
# A share or like button left on a line of its own (R4-22: a title, then `分享`): never a title's end.
_TOOL_LINE = re.compile(r"^(?:分享|转发|点赞|在看|收藏|赞|推荐)$")
# A forum thread's counters under its title (R4-21: 查看: 812|回复: 0): the post's header, like 发表于.
_FORUM_STATS = re.compile(r"^查看\s*:\s*\d+\s*[|丨]?\s*回复\s*:\s*\d+")
# A county app's name on a line of its own above the title (R4-16: 涟水发布): kept for source to read.
_APP_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:发布|融媒|融媒体)$")
# A site's name (portal banner, outlet header) ends so; a column label (新闻中心, 时政要闻) ends so.
SITE_ENDINGS = ("网", "网站", "门户", "客户端", "频道", "在线", "人民政府", "融媒", "数字报", "电子报", "数字报纸", "电子版")
_SITE_MARK = re.compile(r"[省市县区州旗镇乡]|中国|人民|政府|新闻|信息|政务|门户|日报|在线|融媒|网站|客户端|频道")
COLUMN_ENDINGS = ("新闻", "要闻", "动态", "公开", "中心", "专题", "首页", "导航", "频道", "栏目", "快讯", "资讯", "头条")
# The 来源/发布时间 line SPEC's `source` reads, and the credit lines (kept wherever they are).
_META = re.compile(r"(?:来源|发布时间|发布日期|发稿时间|更新时间|时间|日期|作者|浏览次数|阅读次数|点击数|点击量|"
                   r"访问量|浏览量|阅读量|信息来源|文章来源|发布者|摘要|导读)\s*:|\d+\s*次浏览|阅读\s*:"
                   r"|第\s*[A-Z]?\d{1,3}\s*版")  # a digital paper's page header: 某某日报 2019年08月06日 第1版
_PROVIDED = re.compile(r"由[^,，。]{2,20}?(?:网|报|台|融媒体中心|新闻中心)提供")
# Bullets a page puts before a byline (■记者 某某, ●通讯员 某某, ■某某).
BYLINE_BULLETS = "■●◆▲★□▌"
# a credit line, perhaps bulleted (■记者 某某) or after the outlet's name (红网时刻新闻记者 某某, 本报记者 某某)
_CREDIT = re.compile(rf"^[(\[【{BYLINE_BULLETS}]?\s*(?:[\u4e00-\u9fff]{{0,12}}?(?:记者|通讯员)|本条编辑|责任编辑|编辑|责编|摄影|审核|"
                     r"审稿|核稿|校对|监制|总监制|撰稿|文/|图/|文:|图:|一审|二审|三审|初审|复审|终审|值班总编)")
_CREDIT_BRACKET = re.compile(r"^[(\[【].*(?:记者|编辑|通讯员|来源|摄影).*[)\]】]$")

_SPACED_LABEL = re.compile(r"(?:^|\s)[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){1,3}\s")  # 名   称 …, 发 布 机 构 …
# a bare 评论 / 评论(3) header; a numbered reply (2#, 3楼)
_COMMENT_HEAD = re.compile(r"^(?:(?:评论|留言|回复|网友)\s*(?:\(\d+\))?\s*:?$|\d{1,4}\s*(?:#|楼\s))")
_JAM = re.compile(r"[%*;!\"\\]")
# A photo caption among the paragraphs (R3-8): a speaker's caption (街道党工委书记某某讲话), the scene
# (会议现场), a photo credit (区委新闻办供图, 某某 摄影); never a sentence.
_CAPTION = re.compile(r"^(?:(?:会议|活动)?现场(?:图片?)?|会场|图片|[\u4e00-\u9fff、]{4,24}?(?:讲话|发言|致辞|作报告|作动员讲话)"
                      r"|[(\[]?[\u4e00-\u9fff\s]{2,16}?(?:供图|摄影?|/摄)[)\]]?)$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = re.compile(r"[。!?;]")
_CRUMB_SEP = re.compile(r"\s*(?:>>?|»|›|→)\s*|\s+-\s+")
_NAV_SEP = re.compile(r"\s*[|丨·_]\s*")
_IMAGE = re.compile(r"^(?:!\[[^\]]*\]\([^)]*\)|\S+(?:\s\(\d+\))?\.(?:jpe?g|png|gif|webp|bmp))$", re.I)  # 640 (1).jpg
# Before the title: `01.24 `, `2023-05-06 `, `[05-06]`; after it: ` 2023-05-06`, `(2023-05-06)`.
_DATE_PREFIX = re.compile(r"^(?:\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?\s*|\d{1,2}[-./]\d{1,2}\s+"
                          r"|(?:0[1-9]|1[0-2])[-.](?:[0-2]\d|3[01])(?=[\u4e00-\u9fff])(?![亿万元千百个余多])"  # 01.24县委…, not 10.24亿元
                          r"|[\[(【]\d{1,4}[-./]\d{1,2}(?:[-./]\d{1,2})?[\])】]\s*)")
_TAG_PREFIX = re.compile(r"^(?:【[^】]{1,20}】|[•·]\s*[\u4e00-\u9fff]{2,8}\s*[•·])\s*")  # a column tag: 【聚焦两会】…, • 会议题目 •
# A bulleted menu item (• 会议内容, • 视频报道, • 2021): a tab of the page, not a title
_MENU_ITEM = re.compile(r"^[•·▪◦]\s*[\w\u4e00-\u9fff]{1,8}$")
# The page's stamp with a brand before it or a count after it (某某融媒 2023/3/16 9:41:27, 2018-08-30 16:50:50 28)
_STAMP_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}\s+)?\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
                         r"(?:\s+(?:\d{1,7}|[\u4e00-\u9fff]{1,6}))?$")
_PICTURE_SUFFIX = re.compile(r"\s*[(\[](?:图|组图|图文|视频|多图)[)\]]$")  # …会议(图)
# A notice's salutation glued after its title (…活动公告 居民朋友们、辖区单位:)
_SALUTATION = re.compile(r"(?:(?<=通知)|(?<=通告)|(?<=公告)|(?<=公示)|(?<=倡议书)|(?<=告知书)|(?<=公开信))\s+[^\s]{2,24}:$")
_DATE_SUFFIX = re.compile(r"\s*[\[(]?\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\])]?$"
                          r"|\s*[\[(]\d{1,2}-\d{1,2}[\])]$")  # …会议 2023-08-22 10:13:05 / …会议 2023年08月22日: the page's stamp
# Pipes a scrape leaves around a title (`…胜利召开 |`, `| …会议 | ||`): table cells and menu bars.
_LEAD_PIPES = re.compile(r"(?:[|丨]\s*)+")
_TRAIL_PIPES = re.compile(r"\s*(?:[|丨]\s*)+$")
# A disclosure table's title row (`标  题: …`) or a content farm's trailer (`标题:…`): it names the title.
TITLE_LABEL = re.compile(r"\s*标\s*题\s*:\s*")
# Document titles: an issuing body on one line, `关于…的通知` on the next (one title wrapped after the body).
ISSUER_ENDINGS = ("人民政府", "政府", "办公室", "委员会", "指挥部", "领导小组", "局", "厅", "委", "院", "中心", "党委",
                  "党工委", "办事处", "街道", "镇", "乡", "公司", "协会")
DOCUMENT_ENDINGS = ("通知", "通告", "公告", "决定", "意见", "办法", "方案", "报告", "批复", "函", "规定", "细则", "规则",
                    "通报", "公示", "预案", "纪要", "请示")
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


# a line that reports a meeting (a title, not a column's banner)
_REPORTS_MEETING = re.compile("召开|举行|会议|会$")


def _site_like(s: str) -> bool:
    """A site's name (和平县政务信息网, 青川新闻网), not a title that ends in 网 (织密疫情防控网)."""
    return s.endswith(SITE_ENDINGS) and len(s) <= 20 and bool(_SITE_MARK.search(s)) \
        and not re.search("召开|举行|会议|部署|主持", s)


def title_bounds(line: str) -> tuple[int, int]:
    """[start, end) of the title proper inside a title line: a leading date (`01.24 `) and a trailing
    date or site name (`_某某网`, ` - 某某县人民政府`) are not part of the headline."""
    a, b = len(line) - len(line.lstrip()), len(line.rstrip())
    m = _LEAD_PIPES.match(line, a, b) or TITLE_LABEL.match(line, a, b)
    if m and m.end() < b:
        a = m.end()
    m = _TRAIL_PIPES.search(line[a:b])
    if m and m.start() > 0:
        b = a + m.start()
    for rx in (_DATE_PREFIX, _TAG_PREFIX):
        m = rx.match(line[a:b])
        if m and b - a - m.end() >= TITLE_MIN:
            a += m.end()
    m = _PICTURE_SUFFIX.search(line[a:b]) or _SALUTATION.search(line[a:b])
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
    comments | post | next | related | teaser | caption | image | noise | site | prose | title | other."""
    s, n = line, len(line)
    sentence = bool(_SENTENCE_END.search(s))
    if _IMAGE.match(s):
        return "image"
    if _TOOL_LINE.match(s):
        return "toolbar"
    if _FORUM_STATS.match(s):
        return "post"
    if _APP_LINE.match(s):
        return "meta"
    if n <= 40 and not _CJK.search(s) and len(_JAM.findall(s)) >= 2:
        return "noise"  # a forum's anti-copy jammer between paragraphs: 6 F0 u" p; c2 \% D* m
    if (n <= 40 and _has(s, COMMENT_WORDS)) or _COMMENT_HEAD.match(s):
        return "comments"
    if n <= 80 and not sentence and _has(s, POST_WORDS):
        return "post"
    if (n <= 40 or s.startswith(NEXT_WORDS)) and _has(s, NEXT_WORDS):
        return "next"
    if n <= 120 and _has(s, BREADCRUMB_WORDS):
        return "breadcrumb"
    if n <= 120 and _PROVIDED.search(s):
        return "meta"  # a reprint notice naming the outlet (《…》由某某网提供,转载请注明出处): source reads it
    if (n <= 80 or not sentence) and _has(s, FOOTER_WORDS) and not (sentence and _UNIT_IN_PROSE.search(s)
                                                                   and not _has(_UNIT_IN_PROSE.sub("", s), FOOTER_WORDS)):
        return "footer"
    if n > 120 and sentence:  # a paragraph (the common case, so decided before the finer tests)
        return "prose" if len(_CJK.findall(s)) >= 0.4 * n else "other"
    if n <= 120 and not sentence and (_META.search(s) or _STAMP.match(s) or _STAMP_LINE.match(s)):
        return "meta"
    if _MENU_ITEM.match(s):
        return "nav"
    if s.startswith(("首页 ", "首 页 ")) and not sentence and n <= 60:
        return "breadcrumb"  # 首页 资讯 某某资讯 …: a breadcrumb with spaces for separators
    if n <= 80 and not sentence and (_CREDIT.match(s) or _CREDIT_BRACKET.match(s)):
        return "credit"
    if n <= 24 and _has(s, TEASER_WORDS):
        return "teaser"
    if n <= 24 and _has(s, RELATED_WORDS):
        return "related"
    # …出席…并致辞 is a title (某某出席第七届某某论坛全会并致辞), no caption
    if n <= 30 and not sentence and _CAPTION.match(s) and not re.search("召开|举行|会议|出席", s):
        return "caption"
    crumbs = [p for p in _CRUMB_SEP.split(s) if p]
    if len(crumbs) >= 2 and all(len(p) <= 12 for p in crumbs) and ("首页" in s or "正文" in s or len(crumbs) >= 3):
        return "breadcrumb"
    segs = [p for p in _NAV_SEP.split(s) if p]
    if len(segs) >= 3 and all(len(p) <= 12 for p in segs) and not sentence:
        return "nav"
    # (not a title and the site's name after it: 某某县召开…会议 | 某某县人民政府)
    if len(segs) == 2 and all(len(p) <= 12 for p in segs) and re.search(r"\s[·|]\s|丨", s) \
            and not (_site_like(segs[1].strip()) and _REPORTS_MEETING.search(segs[0].strip())):
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
    if re.fullmatch(r"[\d\s年月日时分:./\-]+(?:\s*(?:星期|周)[一二三四五六日天])?", s):
        # a bare date with its year is the page's stamp (source reads it); a bare time is nothing
        return "meta" if re.search(r"\d{4}\s*[-./年]\s*\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}", s) else "other"
    a, b = title_bounds(s)
    t = s[a:b]
    if _site_like(t) or (len(t) <= 8 and t.endswith(COLUMN_ENDINGS)):
        return "site"  # 某某县政务信息网, 新闻中心: the site's name or a column's, above the title
    if TITLE_MIN <= len(t) <= TITLE_MAX and not t.startswith(("——", "—", "(", "【")) and not t.endswith(":") \
            and t.count(",") <= 2 and len(segs) <= 2 and len(_CJK.findall(t)) >= 0.5 * len(t):
        return "title"
    return "other"


# lines that are never the article, wherever they stand (a title's banner only above or below it)
FURNITURE = ("breadcrumb", "nav", "toolbar", "footer", "image", "comments", "next", "related", "teaser", "site", "noise",
             "caption")
