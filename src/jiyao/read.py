"""Reading article files: bytes → text (encoding detection), HTML → article text with offsets kept.

The "original text" of a file is its decoded content; every offset jiyao reports points into it.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

from .furniture import find_article
from .text import Normalised, normalise

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_BYTES = 8 * 1024 * 1024  # no news article is larger; a bigger file is refused with a clear error


class ReadError(Exception):
    """A file that cannot be turned into an article; the message says why."""


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str | None
    original: str  # decoded file text: evidence offsets point here
    norm: Normalised  # normalised article text, mapped to `article`
    article_starts: tuple[int, ...] | None = None  # article char → original offset (HTML); None = identity
    article_ends: tuple[int, ...] | None = None
    encoding: str = "utf-8"
    page_title: str | None = None
    page_date: str | None = None
    warnings: tuple[str, ...] = ()  # decoding and page-reading doubts, carried into the record's diagnostics

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-file span of normalised text[start:end]."""
        s, e = self.norm.span(start, end)
        if self.article_starts is None:
            return s, e
        return self.article_starts[s], self.article_ends[e - 1]


_LEGACY = ("gb18030", "big5")  # the Chinese legacy encodings, in the order they are tried


def _mixed_lines(data: bytes) -> tuple[str, str] | None:
    """A file pasted together from UTF-8 and GBK/Big5 sources (scrapers do this): each line in its
    own encoding. Only when some non-ASCII lines are UTF-8 and others are not."""
    lines = data.split(b"\n")
    out, legacy = [], set()
    utf8_bytes = 0
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
            utf8_bytes += sum(b >= 0x80 for b in line)
            continue
        except UnicodeDecodeError:
            pass
        for enc in _LEGACY:
            try:
                out.append(line.decode(enc)); legacy.add(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    # a few bytes that happen to be valid UTF-8 in a GBK file are not a UTF-8 source
    if utf8_bytes < 6 or not legacy:
        return None
    return "\n".join(out), "mixed(utf-8+" + "+".join(sorted(legacy)) + ")"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 first (it is strict enough to trust), then the Chinese legacy
    encodings, charset-normalizer deciding between GB18030 and Big5 when both decode."""
    if not data.strip():
        raise ReadError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary file (NUL bytes)")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ReadError(f"undecodable bytes: starts with a {enc} byte-order mark but {exc.reason} at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data)
    if mixed:
        return mixed
    ok = []
    for enc in _LEGACY:
        try:
            data.decode(enc)
            ok.append(enc)
        except UnicodeDecodeError:
            pass
    if len(ok) == 1:
        return data.decode(ok[0]), ok[0]
    best = from_bytes(data, cp_isolation=ok or None).best()
    if best is None or (not ok and best.encoding not in ("utf_8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_16")):
        raise ReadError("undecodable bytes: not UTF-8, GB18030/GBK or Big5")
    enc = best.encoding
    if not ok:
        return data.decode(enc, errors="replace"), enc
    return str(best), enc


class _Visible(HTMLParser):
    """Visible text of an HTML page, each character with its offset in the page source."""

    _SKIP = {"script", "style", "noscript", "template", "head", "title"}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.src = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.offs: list[int] = []
        self.skip = 0

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip += 1
        elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "tr"):
            self._emit("\n", self._pos())

    def handle_endtag(self, tag):
        if tag in self._SKIP and self.skip:
            self.skip -= 1

    def _emit(self, text: str, at: int, one_span: bool = False):
        if self.skip:
            return
        for i, c in enumerate(text):
            self.chars.append(c)
            self.offs.append(at if one_span else at + i)

    def handle_data(self, data):
        self._emit(data, self._pos())

    def handle_entityref(self, name):
        self._emit(unescape(f"&{name};"), self._pos(), one_span=True)

    def handle_charref(self, name):
        self._emit(unescape(f"&#{name};"), self._pos(), one_span=True)


_PAGE_SOURCE_LINE = re.compile(r"[^\n]{0,40}(?:来源|发布日期|发布时间)[::][^\n]{1,60}")


def html_article(source: str) -> tuple[str, list[int], list[int], str | None, str | None]:
    """(article text, per-char original starts, ends, title, date) using trafilatura for what is
    the article, and the page's own text nodes for where each character came from."""
    import trafilatura

    extracted = trafilatura.extract(source, include_comments=False, include_tables=False, favor_precision=True) or ""
    # extensive=False: a page date from the page's markup, not htmldate's guess (a bare year in
    # the text becomes YYYY-01-01, which would then decide the meeting's year)
    meta = trafilatura.extract_metadata(source, extensive=False)
    title = meta.title if meta and meta.title else None
    pdate = meta.date if meta and meta.date and re.match(r"\d{4}-\d{2}-\d{2}$", meta.date) else None
    vis = _Visible(source)
    vis.feed(source)
    vis.close()
    visible = "".join(vis.chars)
    # Locate each extracted line in the visible text, whitespace-insensitively, in order.
    compact_idx = [i for i, c in enumerate(visible) if not c.isspace()]
    compact = "".join(visible[i] for i in compact_idx)
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    cursor = 0
    # The page's 来源/发布日期 line sits outside the article for trafilatura; SPEC reads outlet and
    # publication date from it, so it joins the article text (after the title), offsets and all.
    body_compact = "".join(extracted.split())
    page_lines = [m.group().strip() for m in _PAGE_SOURCE_LINE.finditer(visible)
                  if "".join(m.group().split()) not in body_compact][:2]
    head = ([title] if title else []) + page_lines
    lines = head + extracted.splitlines()
    for n, line in enumerate(lines):
        key = "".join(line.split())
        if not key:
            continue
        in_head = n < len(head)
        at = compact.find(key, cursor if not in_head else 0)
        if at < 0:
            continue
        a, b = compact_idx[at], compact_idx[at + len(key) - 1]
        if out_c:
            out_c.append("\n"); out_s.append(out_e[-1]); out_e.append(out_e[-1])
        for i in range(a, b + 1):
            out_c.append(visible[i]); out_s.append(vis.offs[i])
            out_e.append(vis.offs[i] + 1 if source[vis.offs[i]] != "&" else source.index(";", vis.offs[i]) + 1)
        if not in_head:
            cursor = at + len(key)
    if not out_c:
        raise ReadError("HTML page with no article text")
    return "".join(out_c), out_s, out_e, title, pdate


def doc_id_for(path: Path) -> str:
    return path.stem


def from_text(original: str, doc_id: str, path: str | None = None, encoding: str = "utf-8", html: bool | None = None) -> Document:
    if html is None:
        html = bool(re.match(r"\s*(?:<!doctype html|<html|<head|<body)", original[:500], re.I))
    if not original.strip():
        raise ReadError("empty or whitespace-only text")
    if html:
        art, starts, ends, title, pdate = html_article(original)
        return Document(doc_id, path, original, normalise(art), tuple(starts), tuple(ends), encoding,
                        normalise(title).text if title else None, pdate)
    # a plain-text page dump: the article without the site's furniture, offsets still into `original`
    page = find_article(normalise(original))
    return Document(doc_id, path, original, page.norm, encoding=encoding, warnings=page.warnings)


def read_file(path: Path, doc_id: str | None = None) -> Document:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(f"file too large ({size} bytes > {MAX_BYTES})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("file vanished before it could be read") from None
    except PermissionError:
        raise ReadError("file is not readable (permission denied)") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    text, enc = decode(data)
    html = path.suffix.lower() in (".html", ".htm") or None
    return from_text(text, doc_id or doc_id_for(path), str(path), enc, html)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
