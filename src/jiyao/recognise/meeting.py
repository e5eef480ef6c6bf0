"""Headline, meeting name, date and time of day, format, venue, organizer."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import cn2an

from .. import furniture
from .lexicon import CJK

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE_RE = re.compile(rf"(?:((?:\d{{4}})|(?:[〇零一二三四五六七八九]{{4}}))年)?({_NUM})月({_NUM})日(上午|下午|晚上|晚间|晚|早上|中午)?")
_TIME_OF_DAY = {"上午": "上午", "早上": "上午", "下午": "下午", "晚上": "晚上", "晚间": "晚上", "晚": "晚上"}
_GENERIC_NAMES = {"会议", "专题会议", "视频会议", "电视电话会议", "工作会议", "会", "常务会议", "此次会议", "本次会议"}
_LEADING = re.compile(rf"^(?:[,\s]|日前|近日|今天|昨天|今日|昨日|当天|随后|{DATE_RE.pattern}|\d{{4}}年(?=.)|(?:我|全|本)[市区县州省旗]|立即|专门|又|再次|紧急|再|了|召开|举行)+")
_CLAUSE = re.compile(r"[^,。;:!?\n]+")
_CONVENE = re.compile(r"(?:召开|举行|主持召开)(?:了)?")
_VENUE = re.compile(rf"在([{CJK}\d\-A-Za-z]{{2,30}}?)(?:召开|举行|举办)")
# "X会议在Y召开": the venue phrase before the verb is not part of the name (Y may hold 会议室/会议中心).
_VENUE_TAIL = re.compile(rf"在[{CJK}\d\-A-Za-z]{{2,30}}$")
_ORGANIZER_END = r"(?:指挥部|领导小组|委员会|常委会|政府|党委|市委|区委|县委|州委|省委|办公室|工作组|中心组|党组)"
# The longest leading body of the name: 县委常委会会议 → 县委常委会, 市政府第18次常务会议 → 市政府.
_ORGANIZER_RE = re.compile(rf"^([{CJK}]{{0,24}}{_ORGANIZER_END})")
_VIDEO = re.compile(r"视频会议|电视电话会议|视频形式|分会场|视频连线|网络视频|视频调度")
_IN_PERSON = re.compile(r"线下召开|现场召开|以现场会形式")
_RELAY = re.compile(r"收听收看|收看|收听|传达|学习|贯彻|落实")


@dataclass
class Found:
    value: str
    start: int  # offset in the normalised text


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _cn_int(s: str) -> int:
    return int(s) if s.isdigit() else int(cn2an.cn2an(s, "smart"))


def headline(lines: list[tuple[int, str]]) -> Found | None:
    """The title line: the first short line that is not a banner, page furniture or a body paragraph;
    failing that, a short 召开…会议 line anywhere (scraped pages often put the title after the body).
    A date before the title (`01.24 `) and a site name after it (`_某某网`) are not the headline."""
    def title_like(s: str) -> bool:
        return 4 <= len(s) <= 64 and "。" not in s and not DATE_RE.match(s) and "讯" not in s[:8] \
            and not re.match(r"^(?:来源|发布|编辑|本条编辑|责任编辑|分享|相关|【)", s) and s.count(",") <= 2 \
            and furniture.kind(s) not in NOT_TITLES

    def bounded(o: int, line: str) -> tuple[int, str]:
        a, b = furniture.title_bounds(line)
        return o + a, line[a:b]

    nonempty = [(o, line) for o, line in lines if line.strip()]
    # the first lines, less the 发布时间/来源 lines and disclosure rows that may sit above the title
    top: list[tuple[int, str]] = []
    for o, line in nonempty[:10]:
        if len(top) < 4 and furniture.kind(line.strip()) not in _META_KINDS:
            top.append(bounded(o, line))
    for i, (o, s) in enumerate(top[:3]):
        if not title_like(s):
            break
        if ("·" in s or "|" in s) and i + 1 < len(top) and title_like(top[i + 1][1]):
            continue  # a column banner above the real title
        return Found(s, o)
    for o, line in nonempty:
        if len(line) <= 60 and re.search("召开|举行", line):
            o, s = bounded(o, line)
            if len(s) <= 40 and re.search("会议?$", s) and title_like(s):
                return Found(s, o)
    return None


# page furniture and the meta and credit lines are never the title (an HTML page's <title> may be the
# site's name; a text dump the furniture stage found no article in keeps its breadcrumbs)
_META_KINDS = ("meta", "credit")
NOT_TITLES = furniture.FURNITURE + _META_KINDS


def _clean_name(raw: str) -> str:
    name = _LEADING.sub("", raw).strip()
    name = re.sub(r"^(?:在[^,]{1,20}?)(?=[^,]*会议$)", "", name) if name.startswith("在") else name
    return name


def _ok_name(name: str) -> bool:
    return len(name) >= 4 and name not in _GENERIC_NAMES and not _RELAY.match(name) and "收看" not in name


def _up_to_meeting(part: str, before_verb: bool) -> str:
    """The part through its last 会议, or all of it when it ends in 会 (…工作会议暨…动员部署会);
    before 召开, a 常委会 is the body that convenes, not the meeting."""
    if part.endswith("会") and not (before_verb and part.endswith(_BODIES)):
        return part
    k = part.rfind("会议")
    return part[: k + 2] if k >= 0 else ""


_BODIES = ("常委会", "委员会", "联合会", "协会", "学会", "工会", "商会")  # end in 会, but convene meetings
# "市委常委会召开会议": the text names the meeting by its body; the name is composed from the two
# (SPEC: the meeting's name as the text gives it) and grounded on the whole phrase.
_MEETING_WORD = r"(?:专题|全体成员|全体|扩大|常务)?会议"
_BODY_MEETING = re.compile(rf"([{CJK}]{{2,20}}?{_ORGANIZER_END}|[{CJK}]{{0,16}}?常委会)(?:召开|举行)了?({_MEETING_WORD})")
COMPOSED_NAME = re.compile(rf"^(.+?)({_MEETING_WORD})$")

_HELD = re.compile(r"(?:召开|举行|主持)[^,。;]{0,30}?会|会(?:议)?(?:在[^,。;]{2,30}?)?(?:召开|举行)|主持会议")


def reports_a_meeting(body: str) -> bool:
    """Some meeting is held in the text (召开会议, 会议在…召开, 主持会议), named or not."""
    return bool(_HELD.search(body[:1500]))


def meeting_name(body: str, body_start: int, head: Found | None) -> Found | None:
    """The meeting's own name from the body (召开X会议 / X会议(在…)召开); else from the headline."""
    for m in _CLAUSE.finditer(body[:1200]):
        clause = m.group()
        if _RELAY.match(clause.strip()) or "收听收看" in clause or "精神" in clause:
            continue
        conv = _CONVENE.search(clause)
        if conv:
            # "召开X会议…" first; then "X会议(在Y)召开"
            for part, before in ((clause[conv.end():], False), (_VENUE_TAIL.sub("", clause[: conv.start()]), True)):
                name = _clean_name(_up_to_meeting(part, before))
                if _ok_name(name):
                    return Found(name, body_start + m.start() + clause.find(name))
        elif clause.endswith("会议") and m.end() < len(body) and re.match(r",\s*在[^,。]{2,30}?(?:召开|举行)", body[m.end():]):
            name = _clean_name(clause)
            if _ok_name(name):
                return Found(name, body_start + m.start() + clause.find(name))
    if head:
        # 我市召开X会议 / X会议(胜利)召开 (a page dump's title no longer sits in the body)
        for rx, before in ((r"(?:召开|举行)(.+?会议?)(?:$|\s)", False),
                           (r"^(.+?会议?)(?:在[^\s]{2,20}?)?(?:胜利|隆重)?(?:召开|举行|开幕)", True)):
            m = re.search(rx, head.value)
            # before the verb, 市委常委会 is the body that convenes (市委常委会召开会议), no meeting's name
            name = _clean_name(m.group(1) if not before else _up_to_meeting(m.group(1), True)) if m else ""
            if _ok_name(name):
                return Found(name, head.start + head.value.find(name, m.start(1)))
    m = _BODY_MEETING.search(body[:600])
    if m:
        org = _LEADING.sub("", m.group(1))
        if len(org) >= 2 and not org.startswith(("我", "全")):
            return Found(org + m.group(2), body_start + m.start(1) + m.group(1).find(org))
    return None


def meeting_date(body: str, body_start: int, published: str | None) -> tuple[str | None, str | None, Found | None]:
    """(ISO or --MM-DD date, time of day, the mention) of the first date in the body."""
    m = DATE_RE.search(body[:600])
    if not m:
        return None, None, None
    try:
        month, day = _cn_int(m.group(2)), _cn_int(m.group(3))
    except (ValueError, KeyError):
        return None, None, None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, None, None
    year = None
    if m.group(1):
        year = int(m.group(1)) if m.group(1).isdigit() else int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
    elif published:
        py, pm, pd = map(int, published.split("-"))
        for y in (py, py - 1):
            try:
                delta = (date(py, pm, pd) - date(y, month, day)).days
            except ValueError:
                continue
            if 0 <= delta <= 31:
                year = y
                break
    iso = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return iso, _TIME_OF_DAY.get(m.group(4) or ""), Found(m.group(0), body_start + m.start())


def meeting_format(text: str) -> str | None:
    if _VIDEO.search(text):
        return "video"
    if _IN_PERSON.search(text):
        return "in_person"
    return None


def venue(body: str, body_start: int) -> Found | None:
    m = _VENUE.search(body[:800])
    # a venue may be a 会议室 or 会议中心, never a meeting (在…会议上)
    if m and not m.group(1).endswith(("会议", "会")) and not m.group(1).startswith(("收听", "此", "本")):
        return Found(m.group(1), body_start + m.start(1))
    return None


def organizer(name: str | None, body: str, head: str | None = None) -> str | None:
    if name:
        m = _ORGANIZER_RE.match(name)
        if m and not m.group(1).startswith(("我", "全")) and len(m.group(1)) >= 3 and "会议" not in m.group(1):
            return m.group(1)
    # "区委理论学习中心组召开…" in the body, or a headline "县委召开…会" (the head is the text's first line)
    for text in (body[:600], head or ""):
        m = re.search(rf"(?:^|[,。\n])\s*([{CJK}]{{0,16}}?{_ORGANIZER_END})(?:召开|举行)", text)
        if m and not m.group(1).startswith(("我", "全")):
            return m.group(1)
    return None
