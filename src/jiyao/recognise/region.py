"""Administrative-division gazetteer and the region of a meeting (我市/我区 resolved from the text)."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
             "新区", "林区", "特区", "地区", "省", "市", "区", "县", "旗", "盟")
# Short forms that are also everyday words (长治久安, 世界大同) are only trusted with their suffix.
_AMBIGUOUS_SHORT = frozenset("长治 大同 安康 东方 和平 城区 郊区 矿区 中山 永安 吉安 太平 开放 新城 城中 城东 城西 城南 城北 "
                             "河东 河西 江北 江南 南岸 北海 白山 白城 通化 高新 经开 开发 青山 铁山 东风 前进 红旗 建华 "
                             "新华 胜利 人民 和田 五指山 三沙 共青城 龙井 安定 长安 普兰 长宁 大安 宁安 "
                             "公安 平安 安宁 康乐 长乐 太和 大方 和顺 永和 光明 向阳 城关 新兴 富民 永安 兴业 振兴 新建 "
                             "清新 临江 大关 安远 兴国 新丰".split())


# Minority names inside autonomous divisions: 黔东南苗族侗族自治州 is written 黔东南州 or 黔东南.
_ETHNIC = re.compile("(?:" + "|".join(sorted(
    [g + "族" for g in "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 "
     "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 鄂温克 德昂 保安 裕固 京 "
     "独龙 鄂伦春 赫哲".split()] + "蒙古 哈萨克 柯尔克孜 锡伯 塔吉克".split(), key=len, reverse=True)) + ")$")


@dataclass(frozen=True)
class Division:
    code: str | None
    name: str
    level: str  # province | city | county
    province: str
    city: str

    @property
    def short(self) -> str:
        for s in _SUFFIXES:
            if self.name.endswith(s) and len(self.name) - len(s) >= 2:
                return self.name[: -len(s)]
        return self.name

    @property
    def aliases(self) -> list[str]:
        """Short forms the text may use instead of the full name."""
        out = [self.short] if self.short != self.name and self.short not in _AMBIGUOUS_SHORT \
            and not self.short.endswith("族") else []  # 东乡族 is a people, not 东乡族自治县
        m = re.match(r"^(.+)自治([州县旗])$", self.name)
        if m:
            stem = m.group(1)
            while (e := _ETHNIC.search(stem)) and e.start() >= 2:
                stem = stem[: e.start()]
            if stem != m.group(1):
                out.append(stem + m.group(2))  # 黔东南州, 互助县
                if m.group(2) == "州" and stem not in _AMBIGUOUS_SHORT:
                    out.append(stem)  # bare 恩施, 黔东南 name a prefecture; bare county stems (互助) are words
        return out


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    text = files("jiyao").joinpath("data/divisions.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return tuple(Division(r["code"] or None, r["name"], r["level"], r["province"], r["city"]) for r in rows)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], re.Pattern]:
    by_name: dict[str, list[Division]] = {}
    for d in divisions():
        by_name.setdefault(d.name, []).append(d)
        for alias in d.aliases:
            by_name.setdefault(alias, []).append(d)
    keys = sorted(by_name, key=len, reverse=True)
    return by_name, re.compile("|".join(map(re.escape, keys)))


def lookup(name: str) -> list[Division]:
    return list(_index()[0].get(name, []))


def mentions(text: str) -> Counter:
    """Divisions named in the text (full names count double: they are unambiguous)."""
    by_name, pattern = _index()
    counts: Counter = Counter()
    for m in pattern.finditer(text):
        for d in by_name[m.group()]:
            counts[d] += 2 if m.group() == d.name else 1
    return counts


def _level_of(self_ref: str) -> tuple[str, ...]:
    return {"市": ("city", "county"), "区": ("county",), "县": ("county",), "州": ("city",), "省": ("province",),
            "旗": ("county",)}.get(self_ref, ("city", "county"))


def resolve(text: str, self_ref: str | None, explicit: str | None = None) -> Division | None:
    """The jurisdiction: an explicit place name (the meeting's own name) wins; else 我市/我区 is
    resolved to the most-mentioned division of that level, parents mentioned breaking ties."""
    counts = mentions(text)
    if explicit:
        cands = lookup(explicit)
        if cands:
            return max(cands, key=lambda d: (counts[d], d.level == "city"))
    if not self_ref:
        return None
    levels = _level_of(self_ref)
    suffix_ok = {"市": ("市", "州", "盟"), "区": ("区",), "县": ("县", "旗"), "州": ("州",), "省": ("省",), "旗": ("旗",)}.get(self_ref)
    cands = [d for d in counts if d.level in levels and (not suffix_ok or d.name.endswith(suffix_ok))]
    if not cands:
        return None
    mentioned_parents = {d.name for d in counts if d.level in ("province", "city")}

    def score(d: Division) -> tuple:
        parent = d.city if d.level == "county" else d.province
        return (counts[d], parent in mentioned_parents)

    return max(cands, key=score)
