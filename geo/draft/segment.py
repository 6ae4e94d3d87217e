"""Paragraphs and sentences of an article's text, as character spans (offsets into the text).

A text with blank lines is read as blank-line-separated paragraphs (hard-wrapped lines inside a
paragraph belong to it); a text without any (trafilatura's output) has one paragraph per line.
Sentences never end inside a quotation: the spans of quotations are passed in and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["Span", "paragraph_spans", "sentence_spans"]

Span = tuple[int, int]

# Words after which a full stop does not end a sentence ("Lt. Gen. Kang", "8:51 a.m. on").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "lt",
        "gen",
        "col",
        "maj",
        "capt",
        "cmdr",
        "sgt",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "no",
        "nos",
        "vol",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "vs",
        "approx",
        "est",
        "inc",
        "corp",
        "co",
        "ltd",
        "jr",
        "sr",
    ]
)
_END = re.compile(r"[.!?。！？]+(?=[\s\"”’»」』)\]]|$)")


def paragraph_spans(text: str) -> list[Span]:
    """Return the (start, end) offsets of each non-empty paragraph, in order."""
    if re.search(r"\n[ \t]*\n", text):
        pieces = re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text)
    else:
        pieces = re.finditer(r"[^\n]+", text)
    spans = []
    for match in pieces:
        start, end = match.span()
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            spans.append((start + lead, end - trail))
    return spans


def _inside(position: int, spans: Sequence[Span]) -> bool:
    return any(start <= position < end for start, end in spans)


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if word is None:
        return False
    token = word.group(1).lower().strip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def sentence_spans(text: str, paragraph: Span, quotes: Sequence[Span] = ()) -> list[Span]:
    """Return the sentences of one paragraph as (start, end) offsets.

    ``quotes`` are the spans of quotations (marks included): a full stop inside one does not end
    the sentence, but a quotation that ends with one ends it when a capital letter follows.
    """
    start, end = paragraph
    cuts = []
    for match in _END.finditer(text, start, end):
        position = match.end()
        if _inside(match.start(), quotes) or _is_abbreviation(text, match.start()):
            continue
        nxt = text[position:end].lstrip()
        if nxt and nxt[0].islower():
            continue
        cuts.append(position)
    for _, quote_end in quotes:
        if start < quote_end < end and text[quote_end - 2 : quote_end - 1] in {".", "!", "?"}:
            nxt = text[quote_end:end].lstrip()
            if nxt and (nxt[0].isupper() or nxt[0] in '“"‘'):
                cuts.append(quote_end)
    spans = []
    cursor = start
    for cut in sorted(set(cuts)):
        if cut > cursor and text[cursor:cut].strip():
            spans.append((cursor, cut))
        cursor = cut
    if text[cursor:end].strip():
        spans.append((cursor, end))
    trimmed = []
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trimmed.append((s + lead, e - (len(chunk) - len(chunk.rstrip()))))
    return trimmed
