"""A reviewer's selection or typed text → the value SPEC writes for that field.

Text fields take the selection normalised the way the record format says (text.normalise_value);
dates, time of day and format are read from what was selected (4月29日 → --04-29, 下午3时 → 下午,
视频会议 → video); a region becomes its full place name with its code when the gazetteer knows
exactly one division of that name. A value that cannot be read raises ValueError with a message
the page shows as it is.
"""
from __future__ import annotations

import re
from typing import get_args

import cn2an

from ..schema import ISO_DATE, MEETING_DATE, Meeting
from ..text import QUOTE_PAIRS, normalise_value



def _choices(field: str) -> tuple[str, ...]:
    """The closed set the schema allows for a meeting field (Literal[...] | None)."""
    return tuple(x for a in get_args(Meeting.model_fields[field].annotation) for x in get_args(a))


TIME_OF_DAY_VALUES = _choices("time_of_day")
FORMAT_VALUES = _choices("format")
ROLES = ("chair", "speaker")
# invisible marks that reorder text (an article may hold them): never the edge of a value
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# SPEC v1.2's mapping of what a text writes to the time of day (longest words first)
_TOD_WORDS = {"早上": "上午", "早晨": "上午", "清晨": "上午", "凌晨": "上午", "上午": "上午", "中午": "中午",
              "下午": "下午", "傍晚": "晚上", "晚间": "晚上", "夜间": "晚上", "深夜": "晚上", "晚上": "晚上", "晚": "晚上"}
_FORMAT_WORDS = {"视频": "video", "电视电话": "video", "分会场": "video", "线上": "video", "网络": "video",
                 "现场": "in_person", "线下": "in_person"}
_NUM = r"(\d{1,4}|[〇零一二三四五六七八九十]{1,4})"
_DATE = re.compile(rf"(?:{_NUM}\s*年)?\s*{_NUM}\s*月\s*{_NUM}\s*[日号]|(\d{{4}})\s*[-/.]\s*(\d{{1,2}})\s*[-/.]\s*(\d{{1,2}})")
_CN_DIGIT = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0"}


def _int(s: str, year: bool = False) -> int:
    if s.isdigit():
        return int(s)
    if year:  # 二〇二二 is read digit by digit
        return int("".join(_CN_DIGIT[c] for c in s))
    return int(cn2an.cn2an(s, "smart"))


def date_value(text: str, with_year: bool = True) -> str:
    """ISO (YYYY-MM-DD) when the selection states the year, else --MM-DD."""
    m = _DATE.search(normalise_value(text))
    if not m:
        raise ValueError(f"no date in {text!r}: select it as written (2022年1月14日, 1月14日) or type it (e)")
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5), m.group(6))
    try:
        month, day = _int(mo), _int(d)
        year = _int(y, year=True) if y else None
    except (ValueError, KeyError):
        raise ValueError(f"cannot read the date {m.group(0)!r}") from None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"not a date: {m.group(0)!r}")
    if year and with_year:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if not with_year:
        raise ValueError(f"a publication date needs its year: {m.group(0)!r}")
    return f"--{month:02d}-{day:02d}"


def _from_words(text: str, words: dict[str, str], allowed: tuple[str, ...], what: str) -> str:
    t = normalise_value(text)
    if t in allowed:
        return t
    for w in sorted(words, key=len, reverse=True):
        if w in t and words[w] in allowed:
            return words[w]
    raise ValueError(f"{what}: {text!r} is none of {', '.join(allowed)}")


def region_value(text: str) -> tuple[str, str | None]:
    """(full place name, admin code or None): 自贡 → (自贡市, 510300) when one division has that name."""
    from ..recognise import region as gazetteer  # the gazetteer loads only when a region is set

    name = normalise_value(text)
    hits = gazetteer.lookup(name)
    if len({d.name for d in hits}) == 1:
        codes = {d.code for d in hits}
        return hits[0].name, codes.pop() if len(codes) == 1 else None
    return name, None


def value_for(field: str, text: str) -> str:
    """The value of FIELD (a scorer field name: meeting.date, people.titles…) that TEXT states."""
    if field == "meeting.date":
        v = date_value(text)
    elif field == "source.published_date":
        v = date_value(text, with_year=False)
    elif field == "meeting.time_of_day":
        v = _from_words(text, _TOD_WORDS, TIME_OF_DAY_VALUES, "time of day")
    elif field == "meeting.format":
        v = _from_words(text, _FORMAT_WORDS, FORMAT_VALUES, "format")
    elif field == "meeting.region":
        v = region_value(text)[0]
    else:
        v = normalise_value(text)
    if not v:
        raise ValueError("empty value: select or type some text")
    return v


def typed_value(field: str, text: str) -> str:
    """A typed value: the canonical forms are taken as they are (2022-01-14, --01-14, video), the
    rest is read as if selected."""
    t = text.strip()
    if field == "meeting.date" and MEETING_DATE.fullmatch(t):
        return t
    if field == "source.published_date" and ISO_DATE.fullmatch(t):
        return t
    return value_for(field, t)


def trim(original: str, start: int, end: int) -> tuple[int, int]:
    """A selection without the spaces, direction marks and pair of quotes around it (the value has none)."""
    if not (0 <= start < end <= len(original)):
        raise ValueError(f"selection [{start}, {end}) is outside the article (length {len(original)})")
    while start < end and (original[start].isspace() or original[start] in BIDI_CONTROLS):
        start += 1
    while end > start and (original[end - 1].isspace() or original[end - 1] in BIDI_CONTROLS):
        end -= 1
    while end - start >= 2 and any(original[start] == o and original[end - 1] == c for o, c in QUOTE_PAIRS):
        start, end = start + 1, end - 1
    if start >= end:
        raise ValueError("the selection holds no text")
    return start, end
