"""The meeting's date and time of day, as SPEC.md writes them (ISO, --MM-DD, or null).

Real pages date a meeting in several ways; the first one in the body is the meeting's:
- an absolute date, with or without a year: 2020年7月1日上午, 4月8日晚;
- a day relative to the publication date: 今天上午, 昨天下午, 今天(10月8日)上午 — resolved
  against the page's 发布时间 line, null without one (the text alone does not say which day);
- a day without its month: 17日傍晚 → date null (SPEC v1.1), the time of day still read;
- a vague day: 日前, 近日 → date null (a later date in the body is another event's).

Time of day maps onto SPEC v1.2's four values by lexicon.TIME_OF_DAY: 早上/早晨/清晨/凌晨 are 上午;
中午 is 中午; 傍晚, 晚间, 夜间 and 晚 are 晚上 (傍晚 is the start of the evening, after office hours). A
clock time says the same where no word does (7月20日15时 → 下午, 8:30 → 上午): before 11:00 上午,
11:00-13:00 中午, 13:00-18:00 下午, later 晚上; a word and a clock time together (下午3:00) go by the word.

A date that a dateline carries (某某网5月18日讯, 新华社北京5月18日电) is the report's, not the meeting's.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import cn2an

from .found import Found
from .lexicon import CJK, CONVENE, OUTLET_SUFFIX, PAGE_META_RE, TIME_OF_DAY

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_TOD = "(?:" + "|".join(sorted((w for w in TIME_OF_DAY if not w.isascii()), key=len, reverse=True)) + ")"
# A clock time right after the date or the time word: 15时, 8时30分, 8:30, 下午3:00, 上午八点半.
_CLOCK = rf"(?:(?P<hh>\d{{1,2}})[::]\d{{2}}|(?P<hc>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})[时点](?!间|期|候|刻|许多))"
# Clock-time bands (SPEC v1.2): [from hour, to hour) → time of day.
_BANDS = ((0, 11, "上午"), (11, 13, "中午"), (13, 18, "下午"), (18, 25, "晚上"))
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
    r"(?:\((?:星期|周)[一二三四五六日天]\))?"
    rf"(?P<tod>{_TOD})?(?:{_CLOCK})?")
# 某某网5月18日讯, 北京5月18日电: the dateline's date
_DATELINE_AFTER = re.compile(r"^\s*(?:讯|电|消息)")
# 今日竹山网消息, 今日某某讯: 今日 opening an outlet's name in a dateline is no day (R4-16)
_OUTLET_AFTER = re.compile(rf"^[{CJK}]{{1,8}}?{OUTLET_SUFFIX}?(?:消息|讯|报道)")
# A year attached to the meeting's ordinal in the same sentence: 召开2024年第18次常务会议. Not a year
# being planned or reviewed (召开2024年工作思路研讨会 in December, 2022年度民主生活会 in January).
_NAME_YEAR = re.compile(rf"{CONVENE}了?[\u4e00-\u9fff]{{0,12}}?({_YEAR})年(?=[\u4e00-\u9fff]{{0,8}}?第)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _cn_int(s: str) -> int:
    return int(s) if s.isdigit() else int(cn2an.cn2an(s, "smart"))


def _year(s: str) -> int:
    return int(s) if s.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in s))


def _year_from_published(month: int, day: int, published: str | None) -> int | None:
    """The year of the latest such date not after the publication date (SPEC v1.2: 12月31日 on a
    page published 2022-01-04 is 2021-12-31)."""
    if not published:
        return None
    py, pm, pd = map(int, published.split("-"))
    for y in (py, py - 1):
        try:
            if 0 <= (date(py, pm, pd) - date(y, month, day)).days <= 366:
                return y
        except ValueError:
            continue
    return None


# 近日我镇连续遭遇强降雨…: a vague day dates the meeting only in a sentence that holds it
_HOLDS = re.compile(rf"{CONVENE}|会议|会上|主持")


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    end = min((i for i in (text.find("。", at), text.find("\n", at)) if i >= 0), default=len(text))
    return text[start:end]


def _time_of_day(m: re.Match) -> str | None:
    """The time word's value, else the clock time's band."""
    if m.group("tod"):
        return TIME_OF_DAY.get(m.group("tod"))
    clock = m.group("hh") or m.group("hc")
    if not clock:
        return None
    try:
        hour = _cn_int(clock)
    except (ValueError, KeyError):
        return None
    return next((tod for lo, hi, tod in _BANDS if lo <= hour < hi), None)


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
    text = _without_meta(body[:600])
    m = next((w for w in _WHEN.finditer(text) if not _DATELINE_AFTER.match(text[w.end():])
              and not (w.group("rel") and not w.group("pm") and _OUTLET_AFTER.match(text[w.end():]))
              and not (w.group("vague") and not _HOLDS.search(_sentence(text, w.start())))), None)
    if near is not None and (m is None or m.group("vague")):
        start = max(body.rfind(c, 0, near) for c in "。\n") + 1
        end = min((e for e in (body.find(c, near) for c in "。\n") if e >= 0), default=len(body))
        held = _WHEN.search(_without_meta(body), start, end)
        m = held if held and not held.group("vague") else m
    if not m:
        return None, None, None
    tod = _time_of_day(m)
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
