"""Administrative-division gazetteer and the region of a meeting (我市/我区 resolved from the text).

When is a short form a place? A full name (宜宾市, 公安县) always is. A short form (宜宾, 公安, 海安)
is also an everyday word or a piece of one (县公安局, 抓好航海安全, 长治久安, 平安建设), so it counts
only where the text itself marks it as a place:
- in an outlet or dateline (大观新闻网讯, 来源:吉安新闻网, 江华融媒体中心): media are named by place;
- where a word segmenter keeps it whole and it is no frequent everyday word (jieba: 宜宾/ns in
  宜宾地处长江上游, 会泽/n, or 汝/城 that it knows no word for), but not where a word runs across
  its edge (航海|安全, 县公安局, 长治久安) or it is a frequent word (平安/a, 光明/n, 公安/n);
- where its parent (the province or city it belongs to) is named in the same text.
"""
from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .lexicon import (BILATERAL, CJK, CONVENE, DIVISION_SUFFIXES, INTERNATIONAL, NATIONAL_BODIES, NATIONAL_BODY, NATIONAL_CONGRESS,
                      NATIONAL_SCOPE, NATIONAL_TITLES, ORGANIZER_END, OUTLET_SUFFIX, PLACE_UNITS, PREFECTURE_BODIES,
                      SELF_REF_RE, TOWN_SUFFIXES)

# Minority names inside autonomous divisions: 黔东南苗族侗族自治州 is written 黔东南州 or 黔东南.
_ETHNIC = re.compile("(?:" + "|".join(sorted(
    [g + "族" for g in "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 "
     "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 鄂温克 德昂 保安 裕固 京 "
     "独龙 鄂伦春 赫哲".split()] + "蒙古 哈萨克 柯尔克孜 锡伯 塔吉克".split(), key=len, reverse=True)) + ")$")
_OUTLET_AFTER = re.compile(rf"^(?:{OUTLET_SUFFIX}|讯|发布)")
_WINDOW = 6  # characters either side a segmenter needs to see a word's boundaries


@dataclass(frozen=True)
class Division:
    code: str | None
    name: str
    level: str  # province | city | county | town
    province: str
    city: str

    @property
    def short(self) -> str:
        for s in DIVISION_SUFFIXES:
            if self.name.endswith(s) and len(self.name) - len(s) >= 2:
                return self.name[: -len(s)]
        return self.name

    @property
    def stem(self) -> str | None:
        """The bare stem of an autonomous division (黔东南, 江华), or None."""
        m = re.match(r"^(.+)自治[州县旗]$", self.name)
        if not m:
            return None
        stem = m.group(1)
        while (e := _ETHNIC.search(stem)) and e.start() >= 2:
            stem = stem[: e.start()]
        return stem if stem != m.group(1) else None

    @property
    def aliases(self) -> list[str]:
        """Short forms the text may use instead of the full name (each judged in context, see above)."""
        out = [self.short] if self.short != self.name and not self.short.endswith("族") else []  # 东乡族 is a people
        if self.stem:
            out.append(self.stem + self.name[-1])  # 黔东南州, 江华县
            out.append(self.stem)  # bare 黔东南, 江华: a short form like any other
        return out


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    text = files("jiyao").joinpath("data/divisions.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return tuple(Division(r["code"] or None, r["name"], r["level"], r["province"], r["city"]) for r in rows)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], set[str], dict[str, tuple[int, ...]]]:
    """Names and short forms → divisions; full names; for each first character, the key lengths
    starting with it, longest first (a scan over these is several times faster than one regex
    alternation of 8,000 names)."""
    by_name: dict[str, list[Division]] = {}
    full: set[str] = set()
    for d in divisions():
        by_name.setdefault(d.name, []).append(d)
        full.add(d.name)
        for alias in d.aliases:
            by_name.setdefault(alias, []).append(d)
    lengths: dict[str, set[int]] = {}
    for k in by_name:
        lengths.setdefault(k[0], set()).add(len(k))
    return by_name, full, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


def _names_in(text: str, pos: int = 0):
    """(start, name) of the leftmost-longest gazetteer key at or after pos, or None."""
    by_name, _, lengths = _index()
    for i in range(pos, len(text)):
        for n in lengths.get(text[i], ()):
            if text[i: i + n] in by_name:
                return i, text[i: i + n]
    return None


def lookup(name: str) -> list[Division]:
    return list(_index()[0].get(name, []))


@lru_cache(maxsize=1)
def _tagger():
    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tagger.tokenizer.check_initialized()  # its dictionary (FREQ) is read by _place_like
    return tagger


# How jieba judges a whole-word short form: a word it tags as a place name (宜宾/ns, 南京/ns), or a
# word rare in general text whatever its tag (jieba tags many small places as nouns or person
# names: 会泽/n, 烟台/n, 邵阳/nr). A frequent word of another kind is read as that word: 公安/n,
# 平安/a, 光明/n, 和平/nz, 资源/n, 南部/f. The counts are jieba's dictionary frequencies.
_RARE = 500


def word_tag(word: str) -> tuple[str | None, int]:
    """(jieba's part of speech, its dictionary frequency) of a word, (None, 0) for a word it does not
    know: how common an everyday word a string is (names.py asks it of name candidates)."""
    t = _tagger()
    return t.word_tag_tab.get(word), t.tokenizer.FREQ.get(word) or 0


def _place_like(word: str, flag: str) -> bool:
    return flag.startswith("ns") or (_tagger().tokenizer.FREQ.get(word) or 0) < _RARE


def _segmented_as_place(text: str, start: int, end: int) -> bool:
    """A segmenter, reading the words around text[start:end], keeps it whole as a place-like word
    (宜宾/ns, 会泽/n), or as pieces it knows no word for (汝/城, 龙马/潭) that no word crosses."""
    lo = max(0, start - _WINDOW)
    pos, inside = lo, []
    for tok in _tagger().cut(text[lo: end + _WINDOW], HMM=False):
        t_end = pos + len(tok.word)
        if pos < start < t_end or pos < end < t_end:
            return False  # a word across its edge: 航海|安全, 县公安局
        if start <= pos and t_end <= end:
            inside.append(tok)
        if pos >= end:
            break
        pos = t_end
    if len(inside) == 1:
        return _place_like(inside[0].word, inside[0].flag)
    # no dictionary word of its own: single characters (汝/城), or pieces of a longer name (龙马/潭)
    return bool(inside) and (end - start >= 3 or all(len(t.word) == 1 for t in inside))


# 甲和县长乙, 区委和区政府: a two-character full name (和县, 和区…) whose level starts a title or a body
# there is no mention of that place
_TITLE_AFTER_LEVEL = re.compile(r"长|委|政府|级|直")


def mentions(text: str) -> Counter:
    """Divisions named in the text: full names count 2, short forms 1 where they stand as places."""
    by_name, full, _ = _index()
    counts: Counter = Counter()
    pending: list[Division] = []  # short forms without context: places if a parent is named
    pos = 0
    while hit := _names_in(text, pos):
        start, word = hit
        end = start + len(word)
        if word in full and not (len(word) == 2 and _TITLE_AFTER_LEVEL.match(text, end)):
            for d in by_name[word]:
                counts[d] += 2
            pos = end
        elif _OUTLET_AFTER.match(text[end:]) or _segmented_as_place(text, start, end):
            for d in by_name[word]:
                counts[d] += 1
            pos = end
        else:
            pending.extend(by_name[word])
            pos = start + 1  # a word inside another (航海安全): the next character may start a name
    named = {d.name for d in counts}
    for d in pending:
        if d.province in named and d.province != d.name or d.city in named and d.city != d.name:
            counts[d] += 1
    return counts


_DATELINE = re.compile(rf"(?:^|\n)[ \t]*([{CJK}]{{2,12}}?)讯")


def outlet_places(outlet: str | None, text: str = "") -> list[Division]:
    """The places an outlet or a dateline is named after: 大观新闻网 → 大观区, 江华融媒体中心 and
    江华讯 → 江华瑶族自治县."""
    names = [outlet] if outlet else [m.group(1) for m in _DATELINE.finditer(text[:2000])][:1]
    for name in names:
        m = re.match(rf"^([{CJK}]{{2,12}}?)(?:{OUTLET_SUFFIX})?$", name)
        if m and lookup(m.group(1)):
            return lookup(m.group(1))
    return []


def _level_of(self_ref: str) -> tuple[str, ...]:
    return {"市": ("city", "county"), "区": ("county",), "县": ("county",), "州": ("city",), "省": ("province",),
            "旗": ("county",), "盟": ("city",)}.get(self_ref, ("city", "county"))


_SUFFIX_OK = {"市": ("市", "州", "盟"), "区": ("区",), "县": ("县", "旗"), "州": ("州",), "省": ("省",), "旗": ("旗",), "盟": ("盟",)}


def resolve(text: str, self_ref: str | None, explicit: str | None = None, outlet: str | None = None,
            level_hint: str | None = None) -> Division | None:
    """The jurisdiction: an explicit place name (the meeting's own name) wins; else 我市/我区 is
    resolved to the most-mentioned division of that level, the outlet's place and named parents
    breaking ties; with no self-reference at all, the outlet's place (the text has no other)."""
    counts = mentions(text)
    if explicit:
        cands = lookup(explicit)
        if cands:
            return max(cands, key=lambda d: (counts[d], d.level == "city"))
    from_outlet = outlet_places(outlet, text)
    if not self_ref:
        # 市政协召开… with 来源:吉安新闻网: the body's bare level word picks 吉安市 over 吉安县
        if level_hint:
            from_outlet = [d for d in from_outlet if d.name.endswith(_SUFFIX_OK.get(level_hint, ()))] or from_outlet
        return max(from_outlet, key=lambda d: counts[d]) if len({d.name for d in from_outlet}) == 1 else None
    levels, suffix_ok = _level_of(self_ref), _SUFFIX_OK.get(self_ref)
    pool = set(counts) | set(from_outlet)
    cands = [d for d in pool if d.level in levels and (not suffix_ok or d.name.endswith(suffix_ok))]
    if not cands:
        return None
    mentioned_parents = {d.name for d in counts if d.level in ("province", "city")}

    def score(d: Division) -> tuple:
        parent = d.city if d.level == "county" else d.province
        return (counts[d] + 2 * (d in from_outlet), parent in mentioned_parents)

    return max(cands, key=score)


# A town or street holding the meeting: 板桥镇召开…, 九宫庙街道党工委召开…, 茶山街道丽华二村社区召开… (a
# community is no division level: its street is the region), or the place of 全镇/我乡.
_TOWN = "|".join(TOWN_SUFFIXES)
_TOWN_NAME = rf"[{CJK}]{{2,12}}?(?:{_TOWN})"
_NOT_TOWN = "(?!各|全|我|本|该|乡镇|城乡|城镇|村镇)"
_COMMUNITY = rf"(?:[{CJK}\d]{{2,10}}?(?:社区|村|居委会))?"
# (赵化镇分三个会场同时召开…: how it holds the meeting may stand between the town and the verb)
_TOWN_HOLDS = re.compile(rf"({_NOT_TOWN}{_TOWN_NAME}){_COMMUNITY}"
                         rf"(?:党委|党工委|政府|人民政府|办事处)?:?(?:在[^,。;]{{2,20}}?|分[^,。;]{{1,8}}?)?(?:并|随即|随后|同时|分别)?"
                         rf"(?:{CONVENE}|组织|传达|学习)")
# A meeting named after its town (大海乡第十七届人民代表大会第四次会议, 板桥镇防汛工作会议)
_NAMED_BY_TOWN = re.compile(rf"^({_NOT_TOWN}{_TOWN_NAME})(?=[{CJK}])")
# Parts of speech that end a place name read backwards (正式|进驻|板桥镇: the verb is no part of it)
_NOT_IN_PLACE = ("v", "d", "p", "c", "ad", "u", "r", "q", "m")


def _lowest(text: str, start: int, cand: str) -> str | None:
    """The town or street of a candidate as the text writes it: without a county before it (平山县板桥镇
    → 板桥镇), without a verb run into it (正式进驻板桥镇 → 板桥镇); None where a word runs across its end
    (美丽乡|村) or what is left is no name."""
    end = start + len(cand)
    prefix = next((cand[: k] for k in range(len(cand) - 2, 1, -1)
                   if cand[k - 1] in "省市县区旗州盟" and lookup(cand[: k])), "")
    cand, start = cand[len(prefix):], start + len(prefix)
    lo = max(0, start - _WINDOW)
    pos, toks = lo, []
    for tok in _tagger().cut(text[lo: end + 2], HMM=False):
        t_end = pos + len(tok.word)
        if pos < end < t_end:
            return None  # 美丽乡村: 乡 ends no place here
        if t_end > start and pos < end:
            toks.append((max(pos, start), tok))
        pos = t_end
    # read backwards from the suffix: the place name stops at a verb, an adverb, a preposition…
    keep = start
    for at, tok in reversed(toks):
        # a word of its own (进驻, 正式), not a character of a name jieba does not know (曹/家/渡)
        if tok.flag.startswith(_NOT_IN_PLACE) and at + len(tok.word) < end and len(tok.word) > 1:
            keep = at + len(tok.word)
            break
    name = text[keep:end]
    cut = max(name.rfind(c) for c in "在于到赴和与及对向")
    if cut >= 0:  # a function word is no part of a name: 在某镇召开 says where, not whose
        if name[cut] in "在于":
            return None
        name = name[cut + 1:]
    if re.search("各|乡镇|城乡|城镇|村镇|^(?:全|我|本|该)", name):
        return None  # 各乡镇, 全镇: no one town
    return name if len(name) - max(len(s) for s in TOWN_SUFFIXES if name.endswith(s)) >= 2 else None


def _town_at(text: str, m: re.Match) -> Division | None:
    name = _lowest(text, m.start(1), m.group(1))
    return Division(None, name, "town", "", "") if name and not lookup(name) else None


def town(head: str | None, body: str, self_ref: str | None, name: str | None = None) -> Division | None:
    """The town or street whose meeting it is (SPEC v1.1: by name, admin_code null): one holding it,
    or the one its name starts with (大海乡第十七届人民代表大会第四次会议, 板桥镇防汛工作会议)."""
    m = _NAMED_BY_TOWN.match(name or "")
    if m and (t := _town_at(name, m)):
        return t
    for text in (head or "", body[:600]):
        for m in _TOWN_HOLDS.finditer(text):
            if t := _town_at(text, m):
                return t
    if self_ref in ("镇", "乡"):
        names = Counter(re.findall(rf"[{CJK}]{{2,6}}?{self_ref}(?=党委|政府|人民政府|[,。])", body))
        for name, _ in names.most_common():
            if not re.match(r"^(?:各|全|我|本|该|乡镇|城乡|城镇|村镇)", name):
                return Division(None, name, "town", "", "")
    return None


def _explicit_place(name: str) -> str | None:
    """A county-or-higher place name the meeting's own name starts with (兴隆台区…会议, 中共某某区
    第十四届委员会第16次常委会: the party's name before the place), a prefecture's body (阿克苏地委 →
    阿克苏地区)."""
    name = name[2:] if name.startswith("中共") else name
    for length in range(min(12, len(name) - 2), 1, -1):
        if lookup(name[:length]) and name[:length][-1] in "省市区县州旗盟":
            return name[:length]
        if name.startswith(PREFECTURE_BODIES, length) and (pref := [d for d in lookup(name[:length]) if d.name.endswith("地区")]):
            return pref[0].name
    return None


# A unit named after its place holds the meeting or convenes it (巢湖经开区党工委, 苍溪中学在…召开,
# 宜宾市第二人民医院党委…): the place, full or short, then the unit word (a few words between: 城乡建设投资集团).
_UNIT_WORD = "|".join(sorted(PLACE_UNITS, key=len, reverse=True))
_PLACE_UNIT = re.compile(rf"^([{CJK}]{{2,8}}?)(?:第[一二三四五六七八九十]{{1,3}})?[{CJK}]{{0,8}}?(?:{_UNIT_WORD})")
_UNIT_HOLDS = re.compile(rf"(?:^|[,。;:\s])([{CJK}]{{4,30}}?)(?:在[^,。;]{{2,20}}?)?{CONVENE}")


def _unit_place(organizer: str | None, head: str | None, body: str) -> str | None:
    """The place a unit holding this meeting is named after: its organizer, or the subject of the verb
    in the headline or the body's first sentences. A full name may stand a few words before the unit
    word (宜宾市第二人民医院); a short form only right before it (苍溪中学, 巢湖经开区)."""
    subjects = [organizer] if organizer else []
    subjects += [m.group(1) for text in (head or "", body[:300]) for m in _UNIT_HOLDS.finditer(text)]
    for s in subjects:
        if not _PLACE_UNIT.match(s):
            continue
        for length in range(min(8, len(s) - 2), 1, -1):
            cands = lookup(s[:length])
            if cands and (s[length - 1] in "省市区县州旗盟" or s.startswith(PLACE_UNITS, length)):
                return cands[0].name
    return None


# A county or city named as the one that holds the meeting: 清水县立即召开…, 宜宾市召开…, or one of
# its bodies: 兴义市防汛抗旱指挥部召开….
_HOLDER = re.compile(rf"(?:^|[,。;:\s])([{CJK}]{{2,12}}?[省市区县州旗盟])(?:委|政府|人民政府|[{CJK}]{{0,10}}?{ORGANIZER_END})?"
                     rf"(?:随即|立即|紧接着|专门|紧急)?{CONVENE}")


def _holder(head: str | None, body: str, name: str | None) -> str | None:
    """The full name before 召开 of this meeting (not of one held before it: 四川省召开…视频会议)."""
    for text in (head or "", body[:600]):
        for m in _HOLDER.finditer(text):
            ours = not name or name in text[m.end(): m.end() + len(name) + 12]
            if ours and m.group(1) in {d.name for d in lookup(m.group(1))}:
                return m.group(1)
    return None


# A body named by its level alone (市政协, 县委, 区政府): the level of the meeting's jurisdiction.
_BARE_LEVEL = re.compile(rf"(?<![{CJK}])([市区县州旗])(?:委|政府|政协|人大|长)")


def meeting_region(text: str, name: str | None, head: str | None, body: str, outlet: str | None,
                   organizer: str | None = None) -> Division | None:
    """Whose meeting it is: the place in its name, a town holding it, or 我市/全县 resolved."""
    self_ref = SELF_REF_RE.search(name or "") or SELF_REF_RE.search(head or "") or SELF_REF_RE.search(body[:400])
    level = self_ref.group(1) if self_ref else None
    explicit = (_explicit_place(name) if name else None) or _holder(head, body, name) \
        or (_explicit_place(organizer) if organizer else None)
    if not explicit:  # 全区 in a development zone's report is the zone: its place is the region
        explicit = _unit_place(organizer, head, body)
    t = town(head, body, level, name)
    if explicit and t and any(explicit + t.name in s for s in (name or "", head or "", body[:600])):
        return t  # 平山县板桥镇党委召开…: the lowest unit named is the town
    if not explicit:
        if t or level in ("镇", "乡"):
            return t  # a town's own meeting: the county around it is not the region
    hint = _BARE_LEVEL.search(head or "") or _BARE_LEVEL.search(body[:400])
    found = resolve(text, level, explicit, outlet, hint.group(1) if hint else None)
    if found is None and not level and hint:
        found = _only_one_named(body, hint.group(1))
    return found


def _only_one_named(body: str, level: str) -> Division | None:
    """市政府召开… with no 我市 and no outlet: the one division of that level the body names in full
    (会议还研究了介休市城区…). Relayed meetings are masked out of `body` by the caller (晋中市政府…)."""
    _, full, _ = _index()
    of_level = {d: n for d, n in mentions(body).items() if d.level in ("city", "county") and d.name.endswith(_SUFFIX_OK.get(level, ()))}
    named = {d.name: d for d, n in of_level.items() if d.name in full and n >= 2}
    if not named:  # named only by its short form where it stands as a place (临泉慢一步就会失一片)
        named = {d.name: d for d in of_level}
    return next(iter(named.values())) if len(named) == 1 else None


# National meetings (SPEC v1.2): the region of a national body's meeting is the country, with no code,
# wherever it is held (国务院在某省某市召开全国…会议).
CHINA = Division(None, "中国", "country", "", "")
# How a story names the country whose meeting it reports: by name, or by the national bodies and the
# national scope words (grounding finds the region's evidence among these).
COUNTRY_FORMS = ("中国", *NATIONAL_BODIES, "全国", "中央", "在京")
_NATIONAL_BODY_AT = re.compile(NATIONAL_BODY)
_NATIONAL_SCOPE_RE = re.compile(NATIONAL_SCOPE)
_INTERNATIONAL = re.compile(INTERNATIONAL)


def national_body(name: str | None, organizer: str | None) -> bool:
    """The meeting is a national body's: its organizer or its name starts with one (国务院常务会议,
    十三届全国政协…, a democratic party's 第十届中央委员会)."""
    return any(s and _NATIONAL_BODY_AT.match(s) for s in (organizer, name))


def between_countries(name: str | None) -> bool:
    """An international body's or summit's meeting, or a bilateral mechanism's (national README:
    region null; no leader at it is cited from a higher body)."""
    return bool(name and (_INTERNATIONAL.search(name) or re.match(BILATERAL, name)))


def national_scope(name: str | None, titles: list[str], venue: str | None = None) -> bool:
    """No place of its own named, the meeting is still the country's when its name gives a national
    scope (中央经济工作会议, 第八次全国…工作会议), a national leader takes part in it (a chairman's
    talk with deputies, 全国人大常委会委员长某某…座谈), it is a party's national congress, or it is held 在京 (the national stories' idiom
    for the capital; Beijing's own meetings name 北京市)."""
    if between_countries(name):
        return False  # 二十国集团领导人峰会, 中俄投资合作委员会会议: a leader attends, no country holds it
    return bool(name and (_NATIONAL_SCOPE_RE.match(name) or re.search(NATIONAL_CONGRESS, name))) \
        or any(t.endswith(NATIONAL_TITLES) for t in titles) \
        or venue == "京"
