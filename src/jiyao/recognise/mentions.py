"""Upstream meetings (传达/学习/贯彻 … 会议精神, 收听收看 … 会议) and quoted slogans."""
from __future__ import annotations

import re

from . import region
from .meeting import DATE_RE, Found

_TRIGGER = r"(?:收听收看|收看|收听|传达|学习|贯彻|落实|领会|学习贯彻|贯彻落实|传达学习)"
# What a meeting's name ends with; 党的二十大 is a congress named without 会.
_CONGRESS = r"党的[一二三四五六七八九十]+大"
_MEETING_END = rf"(?:会议|全会|大会|例会|推进会|调度会|部署会|座谈会|视频会|专题会|办公会|党代会|{_CONGRESS})"
_UPSTREAM = re.compile(rf"{_TRIGGER}(?:了|好|学习|贯彻|落实)*((?:{_CONGRESS}|[^,。;:!?“”]{{4,120}}?{_MEETING_END})"
                       rf"(?:(?:、|和|及|以及|与)[^,。;:!?“”]{{4,120}}?{_MEETING_END})*)(?=精神|后|,|。|$)")
_ITEM_SPLIT = re.compile(r"(?<=会议|全会|大会|例会|[进度署谈频题公代]会|[一二三四五六七八九十]大)(?:、|和|及|以及|与)")
_LEADING_TRIGGERS = re.compile(rf"^(?:{_TRIGGER}|了|好)+")
_GENERIC = re.compile(r"^(?:此次|本次|这次|上述|该|会议|视频会议|电视电话会议|专题会议|有关会议)")

_QUOTE = re.compile(r"“([^“”\n]{1,60})”|「([^「」\n]{1,60})」|‘([^‘’\n]{1,60})’|『([^『』\n]{1,60})』")
_HOLIDAY = re.compile(r"^(?:五一|十一|国庆|春节|元旦|端午|中秋|清明|元宵|七一|八一|六一|三八|双十一|双节|两节|五四|国庆节|春节期间|\d+月\d+日|[一二三四五六七八九十]+月[一二三四五六七八九十]+日)$")
_APP_AFTER = re.compile(r"^(?:小程序|APP|App|app|公众号|客户端|平台|微信|抖音|码|热线)")


def upstream_meetings(body: str, body_start: int, own_name: str | None) -> list[Found]:
    out: list[Found] = []
    for m in _UPSTREAM.finditer(body):
        group, last, pieces = m.group(1), 0, []
        for sep in _ITEM_SPLIT.finditer(group):  # separators are 1 or 2 characters (、 / 以及)
            pieces.append((last, group[last: sep.start()]))
            last = sep.end()
        pieces.append((last, group[last:]))
        for pos, raw in pieces:
            item = _LEADING_TRIGGERS.sub("", raw.strip())
            start = body_start + m.start(1) + pos + raw.find(item)
            if len(item) < 5 and not item.startswith("党的") or _GENERIC.match(item) or item == own_name or "收看" in item:
                continue
            if item not in (f.value for f in out):
                out.append(Found(item, start))
    return out


def slogans(text: str) -> list[Found]:
    out: list[Found] = []
    for m in _QUOTE.finditer(text):
        idx = next(i for i in range(1, 5) if m.group(i) is not None)
        term, start = m.group(idx).strip(), m.start(idx)
        if len(term) < 2 or len(term) > 40 or re.search(r"[。!?]", term) or _HOLIDAY.match(term) or DATE_RE.fullmatch(term):
            continue
        if term.endswith("牌") or _APP_AFTER.match(text[m.end():]) or region.lookup(term) or re.match(r"^[A-Za-z]", term):
            continue  # brands, apps, places
        if term not in (f.value for f in out):
            out.append(Found(term, start))
    return out
