"""Reading article files: bytes → text (encoding detection), HTML → article text with offsets kept.

The "original text" of a file is its decoded content; every offset jiyao reports points into it.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from .decode import DecodeError, decode
from .furniture import find_article, title_bounds
from ..text import Normalised, normalise

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


class _Visible(HTMLParser):
    """Visible text of an HTML page, each character with its offset in the page source."""

    _SKIP = {"script", "style", "noscript", "template", "head", "title"}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.src = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.offs: list[int] = []  # per character: where its source starts
        self.ends: list[int] = []  # and ends (an entity's characters span the whole reference)
        self.skip = 0

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip += 1
        elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "tr"):
            at = self._pos()
            self._emit("\n", at, at)

    def handle_endtag(self, tag):
        if tag in self._SKIP and self.skip:
            self.skip -= 1

    def _emit(self, text: str, at: int, end: int | None = None):
        """end None: one source character per character; else every character spans [at, end)."""
        if self.skip:
            return
        for i, c in enumerate(text):
            self.chars.append(c)
            self.offs.append(at if end is not None else at + i)
            self.ends.append(end if end is not None else at + i + 1)

    def handle_data(self, data):
        self._emit(data, self._pos())

    def _reference(self, raw_prefix: str):
        """An entity or character reference as the source writes it, with or without its ';'
        (browsers accept `&nbsp` and `&#8220`; a bare `R&D` is the text R&D)."""
        at = self._pos()
        end = at + len(raw_prefix)
        if self.src.startswith(";", end):
            end += 1
        raw = self.src[at:end]
        text = unescape(raw)
        self._emit(text, at, None if text == raw else end)  # not a known entity: plain text

    def handle_entityref(self, name):
        self._reference("&" + name)

    def handle_charref(self, name):
        self._reference("&#" + name)


# a related-link item trafilatura keeps under the article (· 我县召开…会议 部署…): no sentence, a bullet
_LINK_ITEM = re.compile(r"^\s*[·•▪]\s*[^。]{4,60}$")
_PAGE_SOURCE_LINE = re.compile(r"[^\n]{0,40}(?:来源|发布日期|发布时间)[:：][^\n]{1,60}")


# layout wrappers without meaning for the article's text: removed when nesting defeats the parser
_NESTING_TAG = re.compile(r"</?(?:div|span|section|article|main|font|center|table|tbody|thead|tr|td|th|ul|ol|li|b|i|u|em|strong)\b[^>]*>", re.I)


def _trafilatura(source: str) -> tuple[str, str | None, str | None, list[str]]:
    """(article text, title, date, warnings) as trafilatura sees the page."""
    import trafilatura

    extracted = trafilatura.extract(source, include_comments=False, include_tables=False, favor_precision=True) or ""
    warnings = []
    if not extracted.strip() and _NESTING_TAG.search(source):
        # libxml2 stops at 255 nested elements and the page then has no body; the same text
        # without its layout wrappers is found (offsets still come from the page itself)
        extracted = trafilatura.extract(_NESTING_TAG.sub("", source), include_comments=False, include_tables=False,
                                        favor_precision=True) or ""
        if extracted.strip():
            warnings.append("html: article found after removing layout tags (page nested too deeply to parse)")
    # extensive=False: a page date from the page's markup, not htmldate's guess (a bare year in
    # the text becomes YYYY-01-01, which would then decide the meeting's year)
    meta = trafilatura.extract_metadata(source, extensive=False)
    title = meta.title if meta and meta.title else None
    pdate = meta.date if meta and meta.date and re.match(r"\d{4}-\d{2}-\d{2}$", meta.date) else None
    return extracted, title, pdate, warnings


def html_article(source: str) -> tuple[str, list[int], list[int], str | None, str | None, list[str]]:
    """(article text, per-char original starts, ends, title, date, warnings) using trafilatura for
    what is the article, and the page's own text nodes for where each character came from."""
    extracted, title, pdate, warnings = _trafilatura(source)
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
        if not key or (n >= len(head) and _LINK_ITEM.match(line)):
            continue
        in_head = n < len(head)
        at = compact.find(key, cursor if not in_head else 0)
        if at < 0 and n == 0 and title:
            # the <title> carries the site's name (…召开_某某县人民政府); the page's heading is the title proper
            a, b = title_bounds(line)
            key = "".join(line[a:b].split())
            at = compact.find(key) if key else -1
        if at < 0:
            continue
        a, b = compact_idx[at], compact_idx[at + len(key) - 1]
        if out_c:
            out_c.append("\n"); out_s.append(out_e[-1]); out_e.append(out_e[-1])
        for i in range(a, b + 1):
            out_c.append(visible[i]); out_s.append(vis.offs[i]); out_e.append(vis.ends[i])
        if not in_head:
            cursor = at + len(key)
    if not out_c:
        raise ReadError("HTML page with no article text")
    return "".join(out_c), out_s, out_e, title, pdate, warnings


def doc_id_for(path: Path) -> str:
    return path.stem


def _line_ends(original: str) -> str:
    """The same text with each lone CR (old Mac line ends) as LF: one character for one, so
    offsets are unchanged, and the headline stays a line of its own."""
    return re.sub(r"\r(?!\n)", "\n", original) if "\r" in original else original


def from_text(original: str, doc_id: str, path: str | None = None, encoding: str = "utf-8", html: bool | None = None,
              warnings: Iterable[str] = ()) -> Document:
    if html is None:
        html = bool(re.match(r"\s*(?:<!doctype html|<html|<head|<body)", original[:500], re.I))
    if not original.strip():
        raise ReadError("empty or whitespace-only text")
    warnings = list(warnings)
    if html:
        art, starts, ends, title, pdate, page_warnings = html_article(_line_ends(original))
        return Document(doc_id, path, original, normalise(art), tuple(starts), tuple(ends), encoding,
                        normalise(title).text if title else None, pdate, tuple(warnings + page_warnings))
    # a plain-text page dump: the article without the site's furniture, offsets still into `original`
    page = find_article(normalise(_line_ends(original)))
    return Document(doc_id, path, original, page.norm, encoding=encoding, warnings=(*warnings, *page.warnings))


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_BYTES. Opened non-blocking and checked with fstat
    before any read: a FIFO or a device (/dev/zero) given as an article is an error, not a hang."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReadError("file vanished before it could be read") from None
    except PermissionError:
        raise ReadError("file is not readable (permission denied)") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(f"not a regular file ({_KINDS.get(stat.S_IFMT(st.st_mode), 'special file')}); skipped")
        if st.st_size > MAX_BYTES:
            raise ReadError(f"file too large ({st.st_size} bytes > {MAX_BYTES})")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:  # grew while being read
            raise ReadError(f"file too large (> {MAX_BYTES} bytes)")
        return data
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


_KINDS = {stat.S_IFIFO: "FIFO", stat.S_IFCHR: "character device", stat.S_IFBLK: "block device", stat.S_IFSOCK: "socket"}


# every record line of a jiyao output starts so (model_dump_json writes fields in schema order)
RECORD_PREFIX = b'{"schema_version":'


def document(data: bytes, doc_id: str, path: Path) -> Document:
    """A file's bytes → Document; decoding doubts become the document's warnings."""
    if data.removeprefix(b"\xef\xbb\xbf").startswith(RECORD_PREFIX):  # another run's output (in/offline.txt)
        raise ReadError("a file of jiyao records (another run's output), not an article")
    try:
        text, enc, warnings = decode(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None
    html = path.suffix.lower() in (".html", ".htm") or None
    return from_text(text, doc_id, str(path), enc, html, warnings)


def read_file(path: Path, doc_id: str | None = None) -> Document:
    path = Path(path)
    return document(read_bytes(path), doc_id or doc_id_for(path), path)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
