"""Where the text states a SPEC date: the evidence of `meeting.date` and `source.published_date`.

A date is written many ways (2022年5月18日, 2022-5-18, 2022/05/18, 5月18日, 5月18号) or relative to
the publication date (昨日下午 in a report published the next day). Searched in the normalised
text, so full-width digits are already folded.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..schema import ISO_DATE, MEETING_DATE

# Days before the publication date that a relative day word means (昨日 = the day before).
RELATIVE_DAYS = {"今天": 0, "今日": 0, "当天": 0, "当日": 0, "昨天": 1, "昨日": 1, "前天": 2, "前日": 2}


def date_patterns(iso: str) -> list[re.Pattern]:
    """How the text may write this date, fullest form first; [] for a value that is not a SPEC date.
    Digits are fenced so that 5月1日 is not found inside 5月18日 nor 2月5日 inside 12月5日."""
    if not MEETING_DATE.fullmatch(iso):
        return []
    parts = iso.lstrip("-").split("-")
    m, d = int(parts[-2]), int(parts[-1])
    month_day = rf"0?{m}\s*月\s*0?{d}\s*[日号]"
    out = []
    if len(parts) == 3:
        y = parts[0]
        # a stamp's two-digit day may run into its time (2024-12-2716:40:11, PATTERNS R4-17)
        out += [rf"(?<!\d){y}\s*年\s*{month_day}",
                rf"(?<!\d){y}\s*[-/.]\s*0?{m}\s*[-/.]\s*0?{d}(?:(?!\d)|(?<=\d\d)(?=\d{{1,2}}:\d{{2}}))",
                rf"(?<![\d.])0?{d}\.0?{m}\.{y}(?!\d)"]  # a page stamp day first: 20.04.2016
    out.append(rf"(?<!\d){month_day}")
    return [re.compile(p) for p in out]


def date_span(text: str, iso: str, published: str | None = None) -> tuple[int, int] | None:
    """Normalised [start, end) of the first place the text states the date: written out, else a
    relative day word that counts back from the publication date to it."""
    for pattern in date_patterns(iso):
        if hit := pattern.search(text):
            return hit.span()
    if not published or not ISO_DATE.fullmatch(published):
        return None
    pub = date.fromisoformat(published)
    try:
        day = date.fromisoformat(iso) if ISO_DATE.fullmatch(iso) else date(pub.year, *map(int, iso[2:].split("-")))
    except ValueError:
        return None
    words = [w for w, back in RELATIVE_DAYS.items() if pub - timedelta(days=back) == day]
    hits = [m.span() for w in words if (m := re.search(w, text))]
    return min(hits) if hits else None


_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")


def date_spans(text: str, iso: str, published: str | None = None) -> list[tuple[int, int]] | None:
    """The date's evidence: its own mention, and when that mention has no year (5月18日 for
    2022-05-18), where the year comes from — the publication line's date, else a year the text
    writes (2022年). A year found nowhere leaves the one span (the page's date may carry it, outside
    the text); None when the date itself is not stated."""
    span = date_span(text, iso, published)
    if span is None:
        return None
    if not ISO_DATE.fullmatch(iso) or re.search(r"\d{4}", text[span[0]: span[1]]):
        return [span]
    year = iso[:4]
    if published and ISO_DATE.fullmatch(published) and published[:4] in (year, str(int(year) + 1)):
        pub = date_span(text, published)
        if pub is not None and pub != span:
            return [span, pub]
    written = next((m for m in _YEAR.finditer(text) if m.group(1) == year), None)
    return [span, written.span()] if written else [span]
