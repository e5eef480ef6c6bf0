"""Bytes → text for Chinese articles: which encoding, and whether the result is plausible Chinese.

A stray byte never costs the article: undecodable bytes become U+FFFD and the record says so in
its diagnostics. The choice between the legacy encodings (GB18030, Big5-HKSCS) is made by how
much of the decoded text is made of common Chinese characters: the right decoding of a news
report is almost all common characters (会 议 召 开 …); a wrong one is mostly rare ones
(Big5 bytes read as GB18030 give 穨 甧-like strings), private-use code points or U+FFFD.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


class DecodeError(Exception):
    """Bytes that are not text in any encoding jiyao reads; the message says why."""


# Chinese legacy encodings, in the order they win a tie. Big5-HKSCS is a superset of Big5: Hong
# Kong pages use its extra characters (e.g. 㗎 邨), which plain Big5 rejects.
LEGACY = ("gb18030", "big5hkscs")
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
MIN_COMMON_SHARE = 0.85  # below this share of common characters a decoding is reported as doubtful
MAX_REPLACED_SHARE = 0.05  # more U+FFFD than this (of all characters): not text in this encoding
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
_PRIVATE = re.compile(r"[\ue000-\uf8ff]")
# characters no text is made of, looked up only among the uncommon ones (speed)
_UNCOMMON = re.compile(r"[^\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_NOT_TEXT = {"Cn", "Cs", "Cc"}  # unassigned, lone surrogates, controls


def not_text(text: str) -> int:
    """How many characters cannot be part of a real text: U+FFFD, controls, unassigned code
    points (random bytes read as UTF-16 give U+FAFE, U+FFFA ...)."""
    odd = sum(unicodedata.category(c) in _NOT_TEXT for c in _UNCOMMON.findall(text))
    # NULs are judged once, as bytes (decode): counted again here, against a text with a third as
    # many characters as bytes, a few of them refused a short article as undecodable
    return odd - text.count("\x00") + text.count("\ufffd") + text.count("\ufffa")


@lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """GB2312 level 1 (the 3755 most used simplified characters) and Big5's 5401 'frequently
    used' characters: together they cover nearly every character of a news report."""
    out: set[str] = set()
    for hi in range(0xB0, 0xD8):  # GB2312 level 1: rows 16-55
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA4, 0xC7):  # Big5 frequently used: A440-C67E
        for lo in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                out.add(bytes((hi, lo)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


@dataclass(frozen=True)
class Plausibility:
    hanzi: int
    common: int
    private: int
    replaced: int

    @property
    def share(self) -> float:
        return self.common / self.hanzi if self.hanzi else 1.0

    @property
    def score(self) -> int:
        # common characters count for, everything a wrong decoding produces counts against
        return self.common - (self.hanzi - self.common) - 2 * (self.private + self.replaced)


@lru_cache(maxsize=1)
def _drop_common() -> dict[int, None]:
    return dict.fromkeys(map(ord, common_hanzi()))


SAMPLE = 100_000  # characters judged from the start, middle and end of a long text


def plausibility(text: str) -> Plausibility:
    """Counted by deletion (str.translate, re.sub run in C) on a sample of a long text."""
    if len(text) > 3 * SAMPLE:
        mid = len(text) // 2
        text = text[:SAMPLE] + text[mid:mid + SAMPLE] + text[-SAMPLE:]
    hanzi = len(text) - len(_HANZI.sub("", text))
    common = len(text) - len(text.translate(_drop_common()))
    private = len(text) - len(_PRIVATE.sub("", text))
    return Plausibility(hanzi, common, private, text.count("\ufffd"))


def _doubts(text: str, enc: str) -> list[str]:
    """Warnings for a decoded text that does not look like Chinese written in that encoding."""
    p = plausibility(text)
    out = []
    if nul := text.count("\x00"):
        out.append(f"decoding: {nul} NUL character(s) in the text, kept where they are")
    if replaced := text.count("\ufffd"):
        out.append(f"decoding: {replaced} undecodable byte sequence(s) replaced by U+FFFD ({enc})")
    if p.hanzi >= 20 and p.share < MIN_COMMON_SHARE:
        out.append(f"decoding: only {p.share:.0%} of the Chinese characters are common ones; "
                   f"the text may not be {enc} (wrong or mixed encoding)")
    if p.private:
        out.append(f"decoding: {p.private} private-use character(s) ({enc}); they may be characters this encoding lacks")
    return out


def _best_legacy(data: bytes, errors: str = "strict") -> tuple[str, str] | None:
    """The most plausible legacy decoding of data, or None when none decodes. With
    errors="replace" every encoding decodes, and each bad byte counts against it: a Big5 file
    with one stray byte is still Big5, not GB18030 that happens to accept every byte."""
    found = []
    for enc in LEGACY:
        try:
            found.append((data.decode(enc, errors=errors), enc))
        except UnicodeDecodeError:
            continue
    if not found:
        return None
    return max(found, key=lambda te: plausibility(te[0]).score)  # max keeps the first on a tie


def _mixed_lines(data: bytes) -> tuple[str, str] | None:
    """A file pasted together from UTF-8 and GBK/Big5 sources (scrapers do this). The non-UTF-8
    lines are decoded together in the one legacy encoding that reads them best, and only when
    that reading is plausible Chinese (a UTF-8 line cut mid-character is not a GBK line)."""
    lines = data.split(b"\n")
    legacy_idx, utf8_bytes = [], 0
    for i, line in enumerate(lines):
        try:
            utf8_bytes += len(line) - len(line.decode("utf-8").encode("ascii", "ignore"))
        except UnicodeDecodeError:
            legacy_idx.append(i)
    # a few bytes that happen to be valid UTF-8 in a GBK file are not a UTF-8 source
    if utf8_bytes < 6 or not legacy_idx:
        return None
    best = _best_legacy(b"\n".join(lines[i] for i in legacy_idx))
    if best is None or plausibility(best[0]).share < MIN_COMMON_SHARE:
        return None
    enc = best[1]
    legacy = set(legacy_idx)
    text = "\n".join(line.decode(enc) if i in legacy else line.decode("utf-8") for i, line in enumerate(lines))
    return text, f"mixed(utf-8+{enc})"


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bad bytes (a stray byte, a file cut mid-character): many valid multi-byte
    characters and few errors. A GBK file read as UTF-8 has about one error per character."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if bad * 20 <= multibyte else None


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). UTF-8 first (it is strict enough to trust), then files mixing
    UTF-8 and a legacy encoding, UTF-8 with a few bad bytes, then GB18030 or Big5-HKSCS,
    whichever reads as more plausible Chinese; bad bytes are replaced, never fatal, unless the
    file is mostly undecodable."""
    if not data.strip():
        raise DecodeError("empty file")
    bom = next(((b, enc) for b, enc in BOMS if data.startswith(b)), None)
    # NULs are not text, but a stray one (a scraper's glitch) must not cost the article, wherever
    # it is: only a file with many is binary
    if bom is None and data.count(0) > MAX_REPLACED_SHARE * len(data):
        raise DecodeError("binary file (NUL bytes)")
    if bom is not None:
        text, enc = data.decode(bom[1], errors="replace"), bom[1]
    else:
        text = enc = None
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            mixed = _mixed_lines(data)
            if mixed is None and (near := _nearly_utf8(data)) is not None:
                mixed = near, "utf-8"
            text, enc = mixed or _best_legacy(data, "replace")
    bad = not_text(text)
    if bad > MAX_REPLACED_SHARE * len(text):
        raise DecodeError(f"undecodable bytes: not UTF-8, GB18030/GBK or Big5 ({bad} of {len(text)} characters "
                          f"undecodable or impossible as {enc})")
    if not text.strip():
        raise DecodeError("empty file")
    return text, enc, _doubts(text, enc)
