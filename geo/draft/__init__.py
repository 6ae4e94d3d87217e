"""From a news article to draft incidents: ``python -m geo draft ARTICLE``.

One job per module:

extract
    the article's text and metadata (plain text as is; HTML through trafilatura)
segment
    paragraphs and sentences as character spans
quotes
    quotations, verbatim, and their speakers, roles and ``via``
times
    dates and clock times, resolved against the publication date in the place's zone
places
    gazetteer places and boundaries named, and unknown place-like names
figures
    counts, durations, sums and calibres as printed
events
    which events the article reports, and how they relate
compose
    the drafts, with a comment on every suggested value, as YAML
check
    validation of drafts against a data directory, without writing into it

Public surface: :func:`draft_article`, :class:`DraftError`, :func:`draft_yaml`,
:func:`check_drafts`, :data:`MAX_ARTICLE_BYTES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from geo.draft.check import check_drafts
from geo.draft.compose import Draft, DraftSet, compose_drafts, draft_yaml
from geo.draft.extract import MAX_ARTICLE_BYTES, Article, DraftError, article_from_bytes

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "Draft",
    "DraftError",
    "DraftSet",
    "check_drafts",
    "draft_article",
    "draft_yaml",
]


def draft_article(
    data: bytes,
    catalog,
    *,
    name: str = "-",
    url: str | None = None,
    outlet: str | None = None,
    published: dt.date | None = None,
    language: str | None = None,
    taken_ids: Iterable[str] = (),
) -> DraftSet:
    """Return the draft incidents of one article (text or saved HTML page).

    Parameters
    ----------
    data : bytes
        The article file's content.
    catalog : Catalog
        The data directory the drafts are for (gazetteer, boundaries, default time zone).
    name : str
        The file's name (".html"/".htm" is read as HTML, ".txt" as text; else sniffed).
    url, outlet, published, language
        Override what the page says (the command's flags).
    taken_ids : iterable of str
        Ids the drafts must not take (besides the catalog's).

    Raises
    ------
    DraftError
        When the input is not a readable article, or its address or every date is unknown.

    Example
    -------
    >>> from geo import load_catalog
    >>> text = "Sirens in Odesa\\n\\nSirens sounded in Odesa at 4:10 a.m. on Friday."
    >>> drafts = draft_article(text.encode(), load_catalog("tests/data/blacksea"),
    ...     url="https://example.org/a", published=dt.date(2024, 5, 3))
    >>> drafts.drafts[0].data["time"]
    '2024-05-03T04:10:00+03:00'
    """
    article = article_from_bytes(data, name=name)
    given = {
        key: value
        for key, value in {
            "url": url,
            "outlet": outlet,
            "published": published,
            "language": language,
        }.items()
        if value is not None
    }
    if given:
        article = replace(article, **given, given=frozenset(given))
    return compose_drafts(article, catalog, taken_ids=taken_ids)
