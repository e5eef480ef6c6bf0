"""Normalisation with an offset map back to the original text.

Everything downstream (recognisers, the LLM prompt, grounding) works on the normalised text;
every normalised character remembers the span of the original it came from, so a value found
in the normalised text can be reported as offsets into the ORIGINAL file.

Steps, in order (each keeps the map):
1. drop reading annotations `會(huì)` where the bracket holds a pinyin reading of the preceding
   character (pypinyin decides, so `Apple(iPhone)` and `(2022)` survive);
2. traditional → simplified with OpenCC (phrase-aware; per character if lengths would change);
3. full-width ASCII → half-width, ideographic and no-break spaces → space;
4. runs of doubled punctuation (`,,` `,、` `，，` `,。`) collapse to their strongest mark.

On top of that, `value_key` is THE value normalisation of the record format (docs/record-format.md):
the same steps plus quotation marks and whitespace ignored. The locator, the answer validator and
the scorer compare values only through it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import Style, pinyin

_T2S = opencc.OpenCC("t2s")

_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_READING = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[(（]\s*([a-zA-Z" + _TONE_LETTERS + r"]{1,7}[1-5]?)\s*[)）]"
)
# Strength order: the mark kept when a run of marks collapses.
_PUNCT_RANK = {",": 1, "、": 2, ":": 3, ";": 3, "!": 4, "?": 4, "。": 4}


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """Every pinyin reading of a character, with tone marks, tone numbers and without tone."""
    out: set[str] = set()
    for style in (Style.TONE, Style.TONE3, Style.NORMAL):
        for r in pinyin(char, style=style, heteronym=True, errors="ignore")[:1]:
            out.update(x.replace("v", "ü") for x in r)
    out.discard(char)
    return frozenset(out)


def is_reading(char: str, annotation: str) -> bool:
    # pypinyin knows some traditional characters only by their simplified form (績 → 绩)
    a = annotation.lower().replace("v", "ü")
    return a in readings(char) or a in readings(_T2S.convert(char))


def fold_width(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch in "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff":
        return " " if ch not in "\u200b\ufeff" else ""
    return ch


def to_simplified(s: str) -> str:
    return _T2S.convert(s)


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, per character, the [start, end) span of the original it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the normalised slice text[start:end] (end exclusive, non-empty)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad slice {start}:{end} of {len(self.text)}")
        return self.starts[start], self.ends[end - 1]

    def to_normalised(self, orig_offset: int) -> int:
        """Index of the first normalised character whose source starts at or after orig_offset."""
        return bisect_right(self.starts, orig_offset - 1)


def _punct_keep(chars: list[str]) -> list[int]:
    """Positions kept when each run of punctuation marks collapses to its strongest mark
    (`工作,。会议` → `工作。会议`; on ties the first mark)."""
    kept: list[int] = []
    i, n = 0, len(chars)
    while i < n:
        if chars[i] in _PUNCT_RANK:
            j = i
            while j + 1 < n and chars[j + 1] in _PUNCT_RANK:
                j += 1
            kept.append(max(range(i, j + 1), key=lambda k: (_PUNCT_RANK[chars[k]], -k)))
            i = j + 1
        else:
            kept.append(i)
            i += 1
    return kept


def normalise(original: str) -> Normalised:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    # 1. reading annotations
    pos = 0
    for m in _READING.finditer(original):
        if not is_reading(m.group(1), m.group(2)):
            continue
        for i in range(pos, m.start(1) + 1):
            chars.append(original[i]); starts.append(i); ends.append(i + 1)
        pos = m.end()
    for i in range(pos, len(original)):
        chars.append(original[i]); starts.append(i); ends.append(i + 1)

    # 2. script conversion: phrase-aware when it keeps the length, else character by character
    joined = "".join(chars)
    converted = _T2S.convert(joined)
    if len(converted) == len(joined):
        chars = list(converted)
    else:
        chars = [c2 if len(c2 := _T2S.convert(c)) == 1 else c for c in chars]

    # 3. width folding (a folded zero-width character disappears)
    c3, s3, e3 = [], [], []
    for c, s, e in zip(chars, starts, ends):
        f = fold_width(c)
        if f:
            c3.append(f); s3.append(s); e3.append(e)

    # 4. doubled punctuation: keep the strongest mark of each run
    kept = _punct_keep(c3)
    c4, s4, e4 = [c3[k] for k in kept], [s3[k] for k in kept], [e3[k] for k in kept]
    return Normalised(original, "".join(c4), tuple(s4), tuple(e4))


# Quotation marks, as pairs (opening, closing); after width folding ＂＇ are " '. SPEC: a value is
# the same value with or without them (`“五一”期间…会议` = `五一期间…会议`).
QUOTE_PAIRS = ("“”", "「」", "‘’", "『』", "〝〞", "﹁﹂", "﹃﹄", '""', "''")
QUOTES = "".join(dict.fromkeys("".join(QUOTE_PAIRS)))


def normalise_value(value: str) -> str:
    """A value in the record's written form: normalised, trimmed, surrounding quotes stripped
    (inner quotes kept as written: `“五一”期间…会议`)."""
    v = normalise(value).text.strip()
    while len(v) >= 2 and any(v[0] == o and v[-1] == c and c not in v[1:-1] for o, c in QUOTE_PAIRS):
        v = v[1:-1].strip()  # “双胜利” → 双胜利, but “五一”期间…“双胜利” is not one quotation
    return v


_KEPT = re.compile(r"[^\s" + re.escape(QUOTES) + r"]+")
_PUNCT_RUN = re.compile("[" + re.escape("".join(_PUNCT_RANK)) + "]{2,}")


@dataclass(frozen=True)
class Keyed:
    """The comparison key of a normalised text and, per key character, its index in that text."""

    key: str
    index: tuple[int, ...]


def keyed(norm_text: str) -> Keyed:
    """SPEC's comparison form of an already normalised text: quotes and whitespace removed, then
    punctuation runs the removal brought together collapsed again (`会议,“,”` → `会议,`).
    Built once per document (regular expressions, so a 200k-character article takes
    milliseconds), then values are found with str.find."""
    idx: list[int] = []
    for m in _KEPT.finditer(norm_text):
        idx.extend(range(m.start(), m.end()))
    key = "".join(m.group() for m in _KEPT.finditer(norm_text))
    drop = [r.start() + k for r in _PUNCT_RUN.finditer(key)
            for k in set(range(r.end() - r.start())) - set(_punct_keep(list(r.group())))]
    if drop:
        gone = set(drop)
        idx = [x for k, x in enumerate(idx) if k not in gone]
        key = "".join(c for k, c in enumerate(key) if k not in gone)
    return Keyed(key, tuple(idx))


def value_key(value: str) -> str:
    """THE value normalisation of the record format, for every comparison of a value with a text
    or another value (locator, answer validator, scorer): readings removed, traditional →
    simplified, full/half width folded (so `，` = `,`, `２０２２` = `2022`), doubled punctuation
    collapsed, quotes and spaces ignored; `、` is kept. `“五一”期间` and `五一期间` have one key."""
    return keyed(normalise(value).text).key
