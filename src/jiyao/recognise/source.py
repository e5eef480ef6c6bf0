"""The source line: outlet, reporters, photographers, editors, publication date.

Credits come in brackets after the dateline (记者 张三 通讯员 李四), in sign-off lines at the bottom
(作者:张三 / 编辑:李四 / 一审:王五 二审:赵六), in 来源/作者/发布时间 meta lines, and with the
characters of a word or a two-character name padded with spaces (编 辑:苏 伟, 记 者 | 赵 鑫).
"""
from __future__ import annotations

import re

from ..schema import Source
from .lexicon import (BYLINE_BULLETS, CJK, CREDIT_SLASHED, CREDIT_WORDS, NOT_OUTLETS, OUTLET_BRANDS, OUTLET_PREFIX_APP,
                      OUTLET_SUFFIX, PAGE_META_RE)
from .names import is_credited_name
from .people import is_name
from .region import lookup

_ROLES_OF: dict[str, tuple[str, ...]] = {w: (field,) for field, words in CREDIT_WORDS.items() for w in words}
_ROLES_OF.update(CREDIT_SLASHED)


def _spaced(word: str) -> str:
    """A credit word whose characters may be padded with a space (编 辑, 一 审)."""
    return r"[ \t]?".join(map(re.escape, word))


_ROLE_RE = re.compile("|".join(_spaced(w) for w in sorted(_ROLES_OF, key=len, reverse=True)))
_BRACKETED = re.compile(r"[(\[【]([^()\[\]【】\n]{2,80})[)\]】]")
# A sign-off line starts with a credit word, perhaps after the outlet (县融媒体中心记者:…);
# a meta line holds 来源/发布 with credits among them (来源:某某网 | 作者:张三 | 发布时间:…).
# An outlet's name: a place or brand and an outlet word (自贡网, 法制周刊, 张家界在线, 某某发布), a
# portal's brand after it (红网时刻), or a county app (云上孝昌).
_BRAND = "(?:" + "|".join(OUTLET_BRANDS) + ")"
_OUTLET = (rf"(?:{OUTLET_PREFIX_APP}[{CJK}]{{2,4}}?(?=新闻|报道|讯|[\s(]|$)"
           rf"|[{CJK}]{{1,12}}?{OUTLET_SUFFIX}{_BRAND}|[{CJK}]{{2,12}}?{OUTLET_SUFFIX})")
_SIGN_OFF = re.compile(rf"^[ \t{BYLINE_BULLETS}]*(?:{_OUTLET}(?:新闻)?|[{CJK}]{{0,12}}?{OUTLET_SUFFIX}|本版|本期)?"
                       rf"(?:{_ROLE_RE.pattern})")
_META = re.compile(r"来源[::]|发布(?:时间|日期)[::]")
_NAME = re.compile(f"^(?:[{CJK}]{{2,4}}|[{CJK}]{{1,8}}·[{CJK}]{{1,8}})$")
# 某某网讯, 红网时刻新闻5月18日讯, 云上孝昌讯, 云上通城报道(记者…), 新华社北京6月20日电, 某某网记者 甲 通讯员 乙 报道
_DATELINE = re.compile(rf"(?:^|\n)[ \t{BYLINE_BULLETS}]*({_OUTLET}|[{CJK}]{{1,3}}社(?=[{CJK}]{{2,8}}?\d))(?:新闻)?"
                       rf"(?:[{CJK}]{{0,8}}?\d{{1,2}}月\d{{1,2}}日)?(?:讯|电|报道[(\[【]|[ \t]*(?:记者|通讯员))")
# A broadcaster's dateline: 央视网消息(新闻联播): / 中国网络电视台消息: (the bracket names a programme)
# or a space after 消息 instead of the colon (江津网消息 全市…); 据某某网消息 credits another outlet's story
_NEWS_DATELINE = re.compile(rf"(?:^|\n)[ \t]*(?!据)([{CJK}]{{2,12}}?{OUTLET_SUFFIX})消息(?:[(（][^()（）\n]{{1,12}}[)）])?"
                            rf"(?:[:：]|[ \t\u3000]+(?=[^\s]))")
# An outlet's name in brackets opening a line, the brackets its whole dateline (【江津网】全市…)
_BRACKET_DATELINE = re.compile(rf"(?:^|\n)[ \t]*【({_OUTLET})】")
_SOURCE_LINE = re.compile(rf"来源[::]\s*({_OUTLET})(?=[\s)）|]|$)"
                          # a reprint notice: 《…》由某某新闻网提供,转载请注明出处
                          rf"|》由([{CJK}]{{2,14}}?{OUTLET_SUFFIX})提供"
                          # a sign-off naming its outlet: (张家界在线编辑:某某), 某某日报记者 某某, (江津网 记者 某某)
                          rf"|(?:^|\n|[(\[【])[ \t]*({_OUTLET})(?:新闻)?[ \t]*(?:记者|编辑|通讯员|责任编辑)"
                          # a county app's stamp under the title: 某某融媒 2023/3/16 9:41:27 (a digital
                          # paper's masthead with its issue date names no outlet: 本报讯 is unnamed)
                          rf"|(?:^|\n)[ \t]*([{CJK}]{{2,12}}?(?:融媒|发布))[ \t]+\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}")
# A date on the page: 2022-5-18, 2022/05/18, 2022.5.18, 2022年05月18日; a two-digit day may run into
# its time with no space (R4-17: 发布日期: 2024-12-2716:40:11).
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})(?:(?!\d)|(?<=\d\d)(?=\d{1,2}:\d{2}))"
# A labelled page date: 发布日期/发布时间/发表于 (forums)/上载日期 (disclosure pages)…, the label's
# characters perhaps padded apart (上 载 日 期) and the colon perhaps missing. Not a document's own
# 发文日期/成文日期 (the disclosure page's upload date is the page's, README labelling decisions).
_PUB_LABELS = ("发布日期", "发布时间", "发稿时间", "发表于", "发表时间", "上载日期", "更新时间")


def _label(words) -> str:
    return "|".join(_spaced(w) for w in words)


# bare 日期/时间 only where no word runs into it (会议时间 is no page date, 发 文 日 期 is the document's)
_PUBDATE = re.compile(rf"(?:{_label(_PUB_LABELS)}|(?<![{CJK}])(?<![{CJK}][ \t])(?:{_label(('日期', '时间'))}))[::]?\s*{_DATE}")
_OUTLET_STEM = re.compile(rf"^(.*?){OUTLET_SUFFIX}{_BRAND}?$")


_NEXT_LABEL = re.compile(rf"(?<=\s)[{CJK}]{{2,6}}[::]")
_UNIT_AFTER = re.compile(rf"\([{CJK}]{{2,16}}\)")


def _names(seg: str) -> list[str]:
    """The names in a credit's slot; single characters padded apart are joined (赵 鑫 → 赵鑫), two
    names glued together are parted (邓小川罗明华), a trailing 报道 is no name. The slot ends at the
    next label (作者:  时间:2022-11-25: an empty author, 时间 is no name)."""
    seg = _NEXT_LABEL.split(seg, maxsplit=1)[0]
    seg = _UNIT_AFTER.sub(" ", seg)  # 图文:胡某(县融媒体中心): the writer's unit in brackets after the name
    tokens = [t for t in re.split(r"[\s、,:;/|]+", seg) if t]
    out, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if len(t) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            t, i = t + tokens[i + 1], i + 1
        if t.endswith("报道") and len(t) >= 4:  # 吕守军报道; 平山报道 reports from a place
            t = t[:-2] if not lookup(t[:-2]) else ""
        # a surname-led name (报道 after 记者王五 is not one); 阿依古丽·买买提 style names pass
        if _an_outlet(t):  # (江津网): a sign-off naming the outlet, no writer
            pass
        elif _NAME.match(t) and (is_credited_name(t) or "·" in t):
            out.append(t)
        else:  # two names glued (邓小川罗明华), or a unit glued before the name (图文:东安路街道武馨)
            out += _glued(t) or [n for n in [_unit_glued(t)] if n]
        i += 1
    return out


def _an_outlet(t: str) -> bool:
    """A place's outlet (江津网, 平遥日报): a name its surname rules would take for a person's."""
    m = _OUTLET_STEM.match(t)
    return m is not None and bool(lookup(m.group(1)))


def _unit_glued(t: str) -> str | None:
    """The name after a writer's unit glued to it: 东安路街道武馨 → 武馨."""
    for m in _UNIT_END.finditer(t):
        rest = t[m.end():]
        if m.start() >= 2 and is_name(rest):
            return rest
    return None


def _glued(t: str) -> list[str]:
    """Two names written as one word (邓小川罗明华, 王海李得春): the parting where both halves are names,
    three-character names first."""
    if not 4 <= len(t) <= 6 or not re.fullmatch(f"[{CJK}]+", t):
        return []
    for k in sorted(range(2, len(t) - 1), key=lambda k: (k != 3, len(t) - k != 3, k)):
        if is_name(t[:k]) and is_name(t[k:]):
            return [t[:k], t[k:]]
    return []


def _blocks(text: str) -> list[str]:
    lines = [_bare(ln) for ln in text.split("\n")]
    blocks = [m.group(1) for m in _BRACKETED.finditer(text)]
    # meta lines in any shape: `|| 2022-03-23 11:18 编辑: 某某 审核人:某某 阅读次数:2236 |`
    blocks += [ln for ln in lines if len(ln) <= 120 and (_SIGN_OFF.match(ln) or _META.search(ln) or PAGE_META_RE.search(ln))]
    blocks += [m.group(1) for m in _DATELINE_BYLINE.finditer(text[:600])]
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
    # names in brackets right after a dateline (本网某地讯(甲 乙 丙), 某某网讯( 甲 ), …讯(甲 乙 图/文)):
    # the writers, and the photographers where 图/文 says so
    for m in _DATELINE_NAMES.finditer(text[:600]):
        names = _names(m.group(1))
        if names and len("".join(names)) == len(re.sub(r"[\s、,]", "", m.group(1))):
            out["reporters"] += [n for n in names if n not in out["reporters"]]
            if m.group(2):
                out["photographers"] += [n for n in names if n not in out["photographers"]]
    if not out["reporters"]:
        out["reporters"] = [n for n in _byline(text) if n not in out["editors"] and n not in out["photographers"]]
    return out


_DATELINE_NAMES = re.compile(rf"(?:讯|电|消息)[ \t]*[(\[【][ \t]*([{CJK}·\s、,]{{2,40}}?)[ \t]*(图/文|文/图)?[ \t]*[)\]】]")
# …and without brackets, credit words and names spaced before the first sentence (本报讯 记者 某某
# 通讯员 某某 5月5日,…; 本报讯 记者某某 全市…): names of 2 to 4 characters, each followed by a space or
# the day, so the sentence after them is never read as a name.
_SPACE = "[ \t\u3000]"
_DATELINE_BYLINE = re.compile(
    rf"(?:讯|电|消息){_SPACE}+((?:(?:{'|'.join(sorted(CREDIT_WORDS['reporters'], key=len, reverse=True))}){_SPACE}*"
    rf"[{CJK}·]{{2,6}}(?:(?:{_SPACE}+|、)[{CJK}·]{{2,4}})*{_SPACE}*)+)(?={_SPACE}|\d|$)")


_UNIT = r"(?:办公室|局|办|委|部|中心|镇|乡|街道|政府|所|站|队|工委|人大|社区)"  # 办公室 before 办: 教科局办公室 is no 办 + 公室
_NAMES = rf"[{CJK}·\s、,]{{2,30}}"
# The article's last line may be its byline with no credit word: (王海), (朱小旭 李得春), (杨浩、林云帆),
# (商德艳/文), 张三 李四 报道.
_BYLINE = re.compile(rf"(?:^|[。!?])\s*[(\[【]({_NAMES}?)(?:/文)?[)\]】]$|^({_NAMES}?)\s*报道$")


# A byline on a line of its own anywhere (pages put furniture after it, or a second report): (甲 乙),
# with the writer's unit before the names, spaced or glued (平山县板桥镇 某某, 县委办刘某某), and
# 供稿 after them: (市水务局 某某 供稿); a bulleted line of names (■某某 某某).
_BYLINE_LINE = re.compile(rf"^[(\[【]\s*([{CJK}·\s、,]{{2,40}}?)\s*(?:供稿|/文)?\s*[)\]】]$|^[{BYLINE_BULLETS}]\s*({_NAMES})$")
_UNIT_END = re.compile(_UNIT)
# A sign-off line after the body: a unit, a space, the writer (太平街道人大工委 林可欣).
_UNIT_SIGN_OFF = re.compile(rf"^([{CJK}]{{2,16}}?{_UNIT})[ \t]+([{CJK}]{{2,4}}(?:[ \t]+[{CJK}]{{2,4}})?)$")
_TAIL_LINES = 4  # a sign-off stands among the article's last lines
_GLUED_SIGN_OFF = re.compile(rf"^[{CJK}]{{5,18}}$")
_PLACE_UNIT_END = re.compile(r"(?:镇|乡|街道|县|区|市|办|局|办公室|中心)$")


def _after_unit(seg: str) -> str:
    """The names of a byline after the writer's unit: the shortest unit after which only names are
    left (平山县板桥镇人民政府 某某 → 某某; no unit where all of it is names)."""
    ends = [m.end() for m in _UNIT_END.finditer(seg) if m.start() >= 2]
    # a first word ending in a unit word is the unit where names follow it ((许镇镇 李文娟): 许镇镇
    # reads as a name to the surname rules, but a town writes the byline)
    first = re.match(r"\s*(\S+)\s", seg)
    if first and len(first.group(1)) >= 3 and first.end(1) in ends:
        ends.remove(first.end(1)); ends.insert(0, first.end(1))
    else:
        ends.insert(0, 0)
    for end in ends:
        rest = seg[end:].strip()
        if rest and len("".join(_names(rest))) == len(re.sub(r"[\s、,]", "", rest)):
            return rest
    return seg


def _bare(line: str) -> str:
    """A line without the pipes a scrape leaves around it (`(甲 乙) |`, `|| 编辑: 某某 |`)."""
    return line.strip().strip("|丨").strip()


def _byline(text: str) -> list[str]:
    lines = [b for ln in text.strip().split("\n") if (b := _bare(ln))]
    m = _BYLINE.search(lines[-1]) if lines else None
    segs = [_after_unit(m.group(1) or m.group(2))] if m else []
    segs += [_after_unit(b.group(1) or b.group(2)) for ln in lines if (b := _BYLINE_LINE.match(ln))]
    segs += [u.group(2) for ln in lines[-_TAIL_LINES:] if (u := _UNIT_SIGN_OFF.match(ln)) and not is_name(u.group(1))]
    # the last line a unit glued to the writer's name, no brackets (某县某镇王某某, R4-14)
    if lines and _GLUED_SIGN_OFF.match(lines[-1]) and (n := _unit_glued(lines[-1])) and _PLACE_UNIT_END.search(lines[-1][: -len(n)]):
        segs.append(n)
    out: list[str] = []
    for seg in segs:
        names = _names(seg)
        # every word of it a name, or it is no byline (…(扩大)…, (草案))
        if names and len("".join(names)) == len(re.sub(r"[\s、,]", "", seg)):
            out += [n for n in names if n not in out]
    return out


def _named(outlet: str) -> bool:
    """本报/本网 and a bare level (县融媒体中心) name no outlet (SPEC: unnamed → null)."""
    m = _OUTLET_STEM.match(outlet)
    stem = m.group(1) if m else outlet
    return not outlet.startswith(NOT_OUTLETS) and (len(stem) >= 2 or re.search(f"{_BRAND}$", outlet) is not None)


# A county app's name alone on the page's first line (R4-16: 涟水发布 above the title): the outlet
# where its stem is a place (权威发布, 信息发布 are column names).
_APP_FIRST_LINE = re.compile(rf"^\s*([{CJK}]{{2,6}}?)(发布|融媒|融媒体)[ \t]*(?:\n|$)")
# …or opening the body as its dateline, a space after it (平遥发布 6月2日,…)
_APP_DATELINE = re.compile(rf"(?:^|\n)[ \t]*([{CJK}]{{2,6}}?)(发布|融媒体|融媒)[ \t\u3000]+(?=\d{{1,2}}月|[{CJK}])")


_OUTLET_SIGN_OFF = re.compile(rf"(?:^|\n)[ \t]*[(（]({_OUTLET})[)）][ \t]*\s*$")


def outlet(text: str) -> str | None:
    for rx in (_DATELINE, _NEWS_DATELINE, _BRACKET_DATELINE, _SOURCE_LINE):
        for m in rx.finditer(text):
            got = next(g for g in m.groups() if g)
            if _named(got):
                return got
    # a sign-off that is a place's outlet alone, the article's last line: (江津网); not (此件公开发布)
    m = _OUTLET_SIGN_OFF.search(text)
    if m and _an_outlet(m.group(1)):
        return m.group(1)
    for m in (_APP_FIRST_LINE.match(text), _APP_DATELINE.search(text[:600])):
        if m and lookup(m.group(1)):
            return m.group(1) + m.group(2)
    return None


# An unlabelled date on a meta line: `2021-11-08 15:14:10  来源:县融媒体中心  责任编辑:`, a forum's
# `2022-5-18 07:52| 发布者: 某某| 查看: 968| 评论: 3`, a digital paper's `某某晚报 2021年06月02日 第A03版`.
_META_DATE = re.compile(rf"(?<!\d){_DATE}")


# A date line of the page's head without a label (R3-6 in PATTERNS.md): a bare `2023-08-22` or
# `2022年01月04日 10:12` above or under the title, the title and its stamp on one line (`…会议 2023-08-22
# 10:13:05`), a stamp with a view count (`2018-08-30 16:50:50 28`), a column and a province around it
# (`政务 2024-12-28 12:34 上海`), an app's name before it (`某某融媒 2024/8/30 9:58:03`), day first
# (`20.04.2016 13:06`). No sentence punctuation on the line; the date ends it or only a time, a count
# or a short word follows.
_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_HEAD_DATE = re.compile(rf"(?:^|\s){_DATE}日?{_TIME}(?:\s+(?:\d{{1,7}}|[{CJK}]{{1,6}}))?\s*$")
_DAY_FIRST = re.compile(rf"(?:^|\s)(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_TIME}\s*$")
_HEAD_LINES = 8  # the page's head: the first non-blank lines above the body, where the title and its stamp stand


def _head_date(text: str) -> tuple[int, int, int] | None:
    lines = [_bare(ln) for ln in text.split("\n") if _bare(ln)][:_HEAD_LINES]
    for ln in lines:
        if "。" in ln or len(ln) > 60:
            return None  # the body has begun: a date under it signs a notice, it is no page stamp
        if re.search(r"[,;!?]", ln):
            continue  # a title may hold them (凝心聚力谋新篇!…召开…研讨会)
        if m := _HEAD_DATE.search(ln):
            return int(m.group(1)), int(m.group(2)), int(m.group(3))
        if m := _DAY_FIRST.search(ln):
            return int(m.group(3)), int(m.group(2)), int(m.group(1))
    return None


def published_date(text: str, page_date: str | None = None) -> str | None:
    m = _PUBDATE.search(text) or next((d for ln in text.split("\n") if len(ln) <= 120 and PAGE_META_RE.search(ln)
                                        for d in [_META_DATE.search(ln)] if d), None)
    ymd = tuple(map(int, m.groups())) if m else _head_date(text)
    if ymd:
        y, mo, d = ymd
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return page_date


def source(text: str, page_date: str | None = None) -> Source:
    return Source(outlet=outlet(text), published_date=published_date(text, page_date), **credits(text))
