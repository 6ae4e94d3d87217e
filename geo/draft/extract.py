"""Read an article: plain text as it is, a saved HTML page through trafilatura.

The drafter reads one text. For a plain-text file that is the file itself, so a line number in a
draft is a line of the file. For an HTML page it is the main text trafilatura extracts (menus,
cookie banners and "most read" boxes left out), with the page's metadata (title, author, date,
site name, address, language); each extracted line is traced back to the line of the HTML source
it came from, so that a draft still names a line of the file the curator has. Nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass, field

__all__ = ["MAX_ARTICLE_BYTES", "Article", "DraftError", "article_from_bytes"]

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 2_000_000  # a news article is tens of kB; anything larger is not one
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<article[\s>]|<p[\s>]", re.I)
_TAG = re.compile(r"<[^>]*>")


class DraftError(ValueError):
    """The article cannot be drafted (not text, too large, no date to resolve times against)."""


@dataclass(frozen=True)
class Article:
    """The text the drafter reads, with what is known about the article.

    ``source_lines[i]`` is the line of the input file that text line ``i`` (0-based) came from;
    for plain text it is ``i + 1``. ``given`` names the fields set by the caller (flags), as
    opposed to read from the page.
    """

    text: str
    kind: str  # "text" or "html"
    name: str = "-"  # the input's name, for comments ("-" for standard input)
    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    source_lines: tuple[int, ...] = ()
    given: frozenset[str] = field(default_factory=frozenset)

    def line_of(self, offset: int) -> int:
        """Return the input file's line number (1-based) of character ``offset`` of the text."""
        index = self.text.count("\n", 0, max(0, min(offset, len(self.text))))
        if index < len(self.source_lines):
            return self.source_lines[index]
        return index + 1

    def origin(self, name: str) -> str:
        """Return where a metadata field came from: "--name" or "the page's metadata"."""
        if name in self.given:
            return f"--{name}"
        if self.kind == "html":
            return "the page's metadata"
        return "the text"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DraftError(
            f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def _plain_title(text: str) -> str | None:
    """Return the first line as the title when it reads like one (short, no final full stop)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            if len(stripped) <= 200 and not stripped.endswith((".", "。", "다.")):
                return stripped
            return None
    return None


def _page_language(raw: str) -> str | None:
    match = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", raw)
    return match.group(1).lower() if match else None


def _trace_lines(raw: str, text: str) -> tuple[int, ...]:
    """Return, for each extracted line, the HTML source line that holds its first words."""
    source = [" ".join(html.unescape(_TAG.sub(" ", line)).split()) for line in raw.splitlines()]
    traced: list[int] = []
    start = 0
    for line in text.split("\n"):
        probe = " ".join(line.split())[:40]
        found = 0
        if probe:
            for number in range(start, len(source)):
                if probe in source[number]:
                    found = number + 1
                    start = number
                    break
        traced.append(found or (traced[-1] if traced else 1))
    return tuple(traced)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _from_html(data: bytes, name: str) -> Article:
    import trafilatura

    raw = data.decode("utf-8", errors="replace")
    document = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if document is None or not (document.text or "").strip():
        raise DraftError(f"{name}: no article text found in the HTML page")
    text = document.text
    return Article(
        text=text,
        kind="html",
        name=name,
        title=document.title or None,
        author=document.author or None,
        published=_parse_date(document.date),
        outlet=document.sitename or None,
        url=document.url if (document.url or "").startswith(("http://", "https://")) else None,
        language=_page_language(raw),
        source_lines=_trace_lines(raw, text),
    )


def _is_html(data: bytes, name: str) -> bool:
    if name.lower().endswith((".html", ".htm")):
        return True
    if name.lower().endswith(".txt"):
        return False
    return bool(_HTML_SNIFF.search(data[:4096]))


def article_from_bytes(data: bytes, *, name: str = "-") -> Article:
    """Return the article in ``data``: a UTF-8 plain-text file or a saved HTML page.

    Parameters
    ----------
    data : bytes
        The file's content, at most ``MAX_ARTICLE_BYTES``.
    name : str
        The file name (its extension decides text or HTML; without one, the content does).

    Raises
    ------
    DraftError
        When the input is too large, not UTF-8, or an HTML page without article text.

    Example
    -------
    >>> article_from_bytes(b"Title\\n\\nBody.").title
    'Title'
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise DraftError(f"{name}: {len(data):,} bytes; an article may have {MAX_ARTICLE_BYTES:,}")
    if _is_html(data, name):
        return _from_html(data, name)
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    n_lines = text.count("\n") + 1
    return Article(
        text=text,
        kind="text",
        name=name,
        title=_plain_title(text),
        source_lines=tuple(range(1, n_lines + 1)),
    )
