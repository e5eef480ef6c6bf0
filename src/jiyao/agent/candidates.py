"""Candidate values the text offers for a field, for the focused questions a small model answers by
letter (questions.py): every candidate is copied from the text at a place whose shape makes it a
value of that field (a line above the body for a headline, 在…召开 for a venue, …讯 for an outlet),
so whichever the model picks is grounded, and the rules' own value is always one of them.
"""
from __future__ import annotations

import re

from ..recognise import region
from ..recognise.lexicon import CJK, NOT_OUTLETS, OUTLET_SUFFIX, RELAY
from ..text import normalise_value

MAX_CHOICES = 4  # options per question: a longer list is a reading test, not a choice
_TITLE_LINES = 6
_NOT_TITLE = re.compile(r"来源|发布|时间|日期|浏览|点击|作者|编辑|记者|分享|打印|首页|当前位置|[|>»]|\d{4}[-/.年]\d")
_MEETING_WORDS = r"(?:会议|大会|全会|例会|座谈会|推进会|部署会|调度会|培训会|协商会|学习会|集体学习|[一二三四五六七八九十]大)"
# a meeting's name as a phrase ending in a meeting word, after a verb that holds or convenes it
_HELD_NAME = re.compile(rf"(?:召开|举行|举办|进行|主持召开|出席)了?([{CJK}0-9()（）“”第次届、]{{2,40}}?{_MEETING_WORDS})")
_WHEN = r"(?:\d{1,2}月)?(?:\d{1,2}日)?(?:上午|下午|晚上|晚)?"
_NAME_HELD = re.compile(rf"([{CJK}0-9()（）“”第次届]{{4,40}}?{_MEETING_WORDS}){_WHEN}(?:在[^,，。;；]{{1,30}}?)?(?:召开|举行|开幕)")
# SPEC's composed name: a body that convenes an unnamed meeting (中共中央政治局4月28日召开会议 → 中共中央政治局会议)
_BODY_CONVENES = re.compile(rf"^([{CJK}]{{2,20}}?){_WHEN}(?:召开|举行)了?((?:全体|常务|专题)?会议)")
_CLAUSE = re.compile(r"[^,，。;；:：\n]+")
_VENUE = re.compile(rf"在([{CJK}0-9()（）\-#号楼层室厅]{{1,30}}?)(?:召开|举行|举办)")
_NOT_VENUES = ("此", "这里", "该", "会上", "期间")
_DATELINE = re.compile(rf"([{CJK}]{{2,12}}?)(?:讯|消息)")
_SOURCE = re.compile(rf"来源[:：]\s*([{CJK}]{{2,14}}?{OUTLET_SUFFIX})")
_SIGN_OFF = re.compile(rf"[(（]([{CJK}]{{2,14}}?{OUTLET_SUFFIX})[)）]")
_RELAY_NAME = re.compile(RELAY + rf"了?([{CJK}0-9()（）“”第次届、]{{4,50}}?{_MEETING_WORDS})(?:精神|后|上的)")
_LEADING = re.compile(rf"^(?:{RELAY}|了|好|我市|我区|我县|全市|全区|全县)+")


def _unique(values, limit: int = MAX_CHOICES) -> list[str]:
    out: list[str] = []
    for v in values:
        v = normalise_value(v)
        if v and v not in out:
            out.append(v)
    return out[:limit]


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def headline(text: str, page_title: str | None = None) -> list[str]:
    """Whole lines above the body (before the first sentence that ends in 。) that read as a title."""
    out = [page_title] if page_title else []
    for ln in lines(text)[:_TITLE_LINES]:
        if "。" in ln:
            break
        if 6 <= len(ln) <= 60 and not _NOT_TITLE.search(ln):
            out.append(ln)
    return _unique(out)


def meeting_name(text: str, head: str | None) -> list[str]:
    """Meeting names the headline and the opening sentences give, as written."""
    opening = "\n".join([head or ""] + lines(text)[1:4])
    found = [_LEADING.sub("", m.group(1)) for rx in (_HELD_NAME, _NAME_HELD) for m in rx.finditer(opening)]
    found += [m.group(1) + m.group(2) for c in _CLAUSE.finditer(opening) if (m := _BODY_CONVENES.match(c.group().strip()))]
    return _unique(x for x in found if len(x) >= 4)


def venue(text: str) -> list[str]:
    return _unique(m.group(1) for m in _VENUE.finditer(text[:3000]) if m.group(1) not in _NOT_VENUES)


def outlet(text: str) -> list[str]:
    """Outlets a dateline (…讯), a 来源 line or a sign-off names."""
    head = "\n".join(lines(text)[:4])
    found = [m.group(1) for m in _DATELINE.finditer(head) if not m.group(1).startswith(NOT_OUTLETS)]
    found = [re.sub(r"^.*?[:：(（]", "", x) for x in found]  # 央视网消息(新闻联播) → 央视网
    found += [m.group(1) for rx in (_SOURCE, _SIGN_OFF) for m in rx.finditer(text)]
    return _unique(x for x in found if len(x) >= 2)


def meeting_region(text: str) -> list[str]:
    """The divisions the text names most, and the country where a national body is named."""
    counts = region.mentions(text)
    out = [d.name for d, _ in counts.most_common(MAX_CHOICES)]
    if any(m in text for m in region.COUNTRY_FORMS):
        out.insert(0, region.CHINA.name)
    return _unique(out)


def upstream(text: str) -> list[str]:
    """Meeting names after a relay cue (传达学习…会议精神), as written."""
    return _unique((_LEADING.sub("", m.group(1)) for m in _RELAY_NAME.finditer(text)), limit=6)
