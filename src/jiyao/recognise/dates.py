"""The meeting's date and time of day, as SPEC.md writes them (ISO, --MM-DD, or null).

Real pages date a meeting in several ways; the first one in the body is the meeting's:
- an absolute date, with or without a year: 2020年7月1日上午, 4月8日晚;
- a day relative to the publication date: 今天上午, 昨天下午, 今天(10月8日)上午 — resolved
  against the page's 发布时间 line, null without one (the text alone does not say which day);
- a day without its month: 17日傍晚 → date null (SPEC v1.1), the time of day still read;
- a vague day: 日前, 近日 → date null (a later date in the body is another event's).

Time of day maps onto SPEC's three values: 早上/早晨/清晨 are 上午; 傍晚, 晚间, 夜间 and 晚 are
晚上 (傍晚 is the start of the evening, after office hours); 中午 and 凌晨 are none of the three → null.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import cn2an

from .found import Found
from .lexicon import CONVENE, PAGE_META_RE

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_TOD = r"(?:上午|下午|晚上|晚间|傍晚|晚|早上|早晨|清晨|中午|凌晨|深夜|夜间)"
TIME_OF_DAY = {"上午": "上午", "早上": "上午", "早晨": "上午", "清晨": "上午", "下午": "下午",
               "晚上": "晚上", "晚间": "晚上", "傍晚": "晚上", "晚": "晚上", "深夜": "晚上", "夜间": "晚上"}
# An absolute date (other modules use it to recognise date lines and dates inside names).
DATE_RE = re.compile(rf"(?:({_YEAR})年)?({_NUM})月({_NUM})[日号]({_TOD})?")
# What follows a day written straight after a name (broadcast style, 李某16日主持召开): a verb of
# holding or attending, or 在/同 before the place or the guests.
_HOLD_AFTER_DAY = "(?:主持|召开|举行|开幕|闭幕|出席|在|同|与|至)"
RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "前日": 2}
_WHEN = re.compile(
    rf"(?:(?:(?P<y>{_YEAR})年)?(?P<m>{_NUM})月(?P<d>{_NUM})[日号]"
    rf"|(?P<rel>{'|'.join(RELATIVE_DAYS)})(?:\((?:(?P<py>{_YEAR})年)?(?P<pm>{_NUM})月(?P<pd>{_NUM})日\))?"
    rf"|(?:^|(?<=[,。;\s)]))(?P<dd>{_NUM})[日号](?=[,\s]|{_TOD})"
    # a day right after who or what holds the meeting: 总理某某16日主持召开, 某某会议19日在京召开
    rf"|(?<![\d月])(?P<dn>\d{{1,2}})[日号](?={_TOD}|{_HOLD_AFTER_DAY})"
    r"|(?P<vague>日前|近日|近期|前不久))"
    rf"(?P<tod>{_TOD})?")
# A year attached to the meeting's name in the same sentence: 召开2024年第18次常务会议. Not 年度:
# 2022年度民主生活会 is held in the following January.
_NAME_YEAR = re.compile(rf"{CONVENE}了?({_YEAR})年(?!度|{_NUM}月)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _cn_int(s: str) -> int:
    return int(s) if s.isdigit() else int(cn2an.cn2an(s, "smart"))


def _year(s: str) -> int:
    return int(s) if s.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in s))


def _year_from_published(month: int, day: int, published: str | None) -> int | None:
    """The publication date's year when the meeting falls in the 31 days before it."""
    if not published:
        return None
    py, pm, pd = map(int, published.split("-"))
    for y in (py, py - 1):
        try:
            if 0 <= (date(py, pm, pd) - date(y, month, day)).days <= 31:
                return y
        except ValueError:
            continue
    return None


def _absolute(y: str | None, m: str, d: str, published: str | None, sentence: str) -> str | None:
    try:
        month, day = _cn_int(m), _cn_int(d)
    except (ValueError, KeyError):
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    year = _year(y) if y else _year_from_published(month, day, published)
    if year is None and (ny := _NAME_YEAR.search(sentence)):
        year = _year(ny.group(1))
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _without_meta(text: str) -> str:
    """The text with its page meta lines blanked (same length): `发布时间:2023年06月21日` or
    `2021年11月26日 08:12  来源:金华日报` above the body dates the page, not the meeting."""
    return re.sub(r"[^\n]+", lambda ln: " " * len(ln.group()) if len(ln.group()) <= 120 and "。" not in ln.group()
                  and PAGE_META_RE.search(ln.group()) else ln.group(), text)


def meeting_date(body: str, body_start: int, published: str | None,
                 near: int | None = None) -> tuple[str | None, str | None, Found | None]:
    """(ISO or --MM-DD date, time of day, the mention) of the first date in the body. `near`: where
    the meeting's name is in the body; when the first date is vague (某某近日作出指示…) or none, a
    date in the sentence that holds the meeting (全国某某工作会议5月8日在京召开) is its date."""
    m = _WHEN.search(_without_meta(body[:600]))
    if near is not None and (m is None or m.group("vague")):
        start = max(body.rfind(c, 0, near) for c in "。\n") + 1
        end = min((e for e in (body.find(c, near) for c in "。\n") if e >= 0), default=len(body))
        held = _WHEN.search(_without_meta(body), start, end)
        m = held if held and not held.group("vague") else m
    if not m:
        return None, None, None
    tod = TIME_OF_DAY.get(m.group("tod") or "")
    found = Found(m.group(0), body_start + m.start())
    sentence = re.split(r"[。\n]", body[m.start():], maxsplit=1)[0]
    if m.group("m"):
        return _absolute(m.group("y"), m.group("m"), m.group("d"), published, sentence), tod, found
    if m.group("pm"):  # 今天(10月8日)上午
        return _absolute(m.group("py"), m.group("pm"), m.group("pd"), published, sentence), tod, found
    if m.group("rel") and published:
        day = date.fromisoformat(published) - timedelta(days=RELATIVE_DAYS[m.group("rel")])
        return day.isoformat(), tod, found
    return None, tod, found  # 17日, 日前, or 昨天 with no publication date


def relative_day_words(iso: str, published: str | None) -> list[str]:
    """How the text may have written this date relative to the publication date (今天, 昨天)."""
    if not published or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return []
    delta = (date.fromisoformat(published) - date.fromisoformat(iso)).days
    return [w for w, n in RELATIVE_DAYS.items() if n == delta]
