"""Places and boundaries an article names, matched against the data directory's gazetteer.

A place matches in any of its names and languages: "Ulleung", "Ulleungdo", "Ulleung Island" and
"울릉도" are one place. Latin-script names are compared in the claim parser's normal form
(:func:`geo.claim_parser.normal_name`: no case, spaces, "Island", final "do"); names in other
scripts as written, with the endings those languages attach (울릉도에서, Одесі). Boundaries match
their names, short names and acronyms ("NLL", "MDL"), and a buffer zone its kind ("buffer
zone"). Capitalised names after "in", "near", "off", "from" ... that match nothing are listed for
the curator: they may be places the gazetteer lacks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from geo import models
from geo.claim_parser import normal_name

__all__ = [
    "BoundaryMention",
    "PlaceMention",
    "UnknownName",
    "find_boundaries",
    "find_places",
    "nearest_boundary",
    "unknown_place_names",
]

_TOKEN = re.compile(r"[^\W\d_][\w’'\-.]*", re.UNICODE)
_CONNECTORS = {"of", "de", "la", "del", "on", "upon", "am"}
_POSSESSIVE = re.compile(r"[’']s?$")
_CYRILLIC_ENDINGS = "аяоеиіїйуюь"
_KO_ENDINGS = re.compile(
    r"^(?:에서|에는|에|은|는|이|가|을|를|의|으로|로|과|와|까지|부터|도|쪽|인근|근처|앞|해상)?"
)
_LOCATIVE = re.compile(
    r"\b(?:in|near|off|at|from|toward|towards|around|outside|across|over|into)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w’'\-]*(?:\s+(?:of\s+)?[A-Z][\w’'\-]*){0,3})"
)
_NOT_PLACES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "twitter", "facebook", "telegram", "english", "korean", "the",
}  # fmt: skip


@dataclass(frozen=True)
class PlaceMention:
    """A gazetteer place named in the text."""

    offset: int
    end: int
    phrase: str
    place_id: str


@dataclass(frozen=True)
class BoundaryMention:
    """A boundary named in the text; ``boundary_ids`` lists every boundary the name fits."""

    offset: int
    end: int
    phrase: str
    boundary_ids: tuple[str, ...]


@dataclass(frozen=True)
class UnknownName:
    """A capitalised name after a locative word that matches no place or boundary."""

    offset: int
    end: int
    phrase: str


def _name_parts(name: str) -> list[str]:
    """Return "Ulleungdo (Ulleung Island)" as ["Ulleungdo (Ulleung Island)", "Ulleungdo", ...].

    A part in brackets counts as another name only when it shares the name's stem ("Ulleung
    Island" for "Ulleungdo"); otherwise it qualifies the name ("Kosong (North Korea)").
    """
    outer = re.sub(r"\s*\([^)]*\)", "", name).strip()
    parts = [name, outer, outer.split(",")[0].strip()]
    stem = normal_name(parts[-1])
    for inner in re.findall(r"\(([^)]*)\)", name):
        other = normal_name(inner)
        if not _is_latin(inner) or (stem and other and (stem in other or other in stem)):
            parts.append(inner.strip())
    return [p for p in dict.fromkeys(parts) if p]


def _is_latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in name)


def _latin_index(places: Mapping[str, models.Place]) -> dict[str, str]:
    index: dict[str, str] = {}
    for place in places.values():
        for name in [place.name, *place.names.values(), place.id.replace("-", " ")]:
            for part in _name_parts(name):
                key = normal_name(part)
                if _is_latin(part) and len(key) >= 3:
                    index.setdefault(key, place.id)
    return index


def _latin_mentions(text: str, index: Mapping[str, str]) -> list[PlaceMention]:
    tokens = [m for m in _TOKEN.finditer(text)]
    found: list[PlaceMention] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].group(0)[0].isupper():
            i += 1
            continue
        matched = False
        for length in range(min(4, len(tokens) - i), 0, -1):
            run = tokens[i : i + length]
            if not run[-1].group(0)[0].isupper():
                continue
            gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(run)]
            if any(gap.strip() not in {""} for gap in gaps):
                continue
            phrase = text[run[0].start() : run[-1].end()]
            key = normal_name(_POSSESSIVE.sub("", phrase.rstrip(".")))
            if key in index:
                end = run[0].start() + len(_POSSESSIVE.sub("", phrase.rstrip(".")))
                found.append(
                    PlaceMention(run[0].start(), end, text[run[0].start() : end], index[key])
                )
                i += length
                matched = True
                break
        if not matched:
            i += 1
    return found


def _script_mentions(text: str, place: models.Place) -> list[PlaceMention]:
    found = []
    for name in place.names.values():
        for part in _name_parts(name):
            if _is_latin(part) or len(part) < 2:
                continue
            cyrillic = bool(re.search(r"[а-яіїєґ]", part, re.I))
            stem = part[:-1] if cyrillic and part[-1].lower() in _CYRILLIC_ENDINGS else part
            for match in re.finditer(re.escape(stem), text):
                before = text[match.start() - 1] if match.start() else " "
                if before.isalpha():
                    continue
                after = text[match.end() : match.end() + 4]
                if cyrillic:
                    ending = re.match(r"[а-яіїєґ']{0,3}", after, re.I).group(0)
                    if re.match(r"[а-яіїєґ]", after[len(ending) : len(ending) + 1], re.I):
                        continue
                    end = match.end() + len(ending)
                else:
                    end = match.end()
                found.append(PlaceMention(match.start(), end, text[match.start() : end], place.id))
    return found


def find_places(text: str, places: Mapping[str, models.Place]) -> list[PlaceMention]:
    """Return every mention of a gazetteer place in ``text``, in order (each span once).

    Example
    -------
    >>> from geo import load_catalog
    >>> places = load_catalog("tests/data/blacksea").places
    >>> [m.place_id for m in find_places("Sirens in Odesa; Тривога в Одесі.", places)]
    ['odesa', 'odesa']
    """
    found = _latin_mentions(text, _latin_index(places))
    for place in places.values():
        found += _script_mentions(text, place)
    found.sort(key=lambda m: (m.offset, -(m.end - m.offset)))
    kept: list[PlaceMention] = []
    for mention in found:
        if not any(mention.offset < k.end and k.offset < mention.end for k in kept):
            kept.append(mention)
    return kept


def _boundary_names(boundaries: Mapping[str, models.BoundaryMeta]) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    for boundary_id, meta in boundaries.items():
        candidates = [meta.name, meta.short_name or "", meta.layer or "", *meta.names.values()]
        for name in candidates:
            for part in _name_parts(name) if name else []:
                names.append((part, boundary_id))
                if not _is_latin(part) and " " in part and len(part.split()[-1]) >= 3:
                    names.append((part.split()[-1], boundary_id))
        if meta.kind is models.BoundaryKind.BUFFER_ZONE:
            names.append(("buffer zone", boundary_id))
    return names


def find_boundaries(
    text: str, boundaries: Mapping[str, models.BoundaryMeta]
) -> list[BoundaryMention]:
    """Return the boundaries named in ``text``: an acronym such as "NLL" fits all its lines."""
    by_name: dict[str, set[str]] = {}
    for name, boundary_id in _boundary_names(boundaries):
        if len(name) >= 3:
            by_name.setdefault(name, set()).add(boundary_id)
    found: list[BoundaryMention] = []
    for name in sorted(by_name, key=len, reverse=True):
        acronym = name.isupper() and " " not in name
        flags = 0 if acronym else re.IGNORECASE
        pattern = rf"(?<![\w]){re.escape(name)}(?![^\W\d_])" if _is_latin(name) else re.escape(name)
        for match in re.finditer(pattern, text, flags):
            span = match.span()
            if any(span[0] < m.end and m.offset < span[1] for m in found):
                continue
            ids = tuple(sorted(by_name[name]))
            found.append(BoundaryMention(span[0], span[1], match.group(0), ids))
    return sorted(found, key=lambda m: m.offset)


def unknown_place_names(text: str, known: list[tuple[int, int]]) -> list[UnknownName]:
    """Return capitalised names after a locative word ("in Brazil") that no match covers."""
    found = []
    for match in _LOCATIVE.finditer(text):
        start, end = match.span("name")
        name = match["name"]
        if any(start < k_end and k_start < end for k_start, k_end in known):
            continue
        if name.lower() in _NOT_PLACES or name.split()[0].lower() in _NOT_PLACES:
            continue
        found.append(UnknownName(start, end, name))
    return found


def nearest_boundary(
    boundary_ids: tuple[str, ...], lon: float, lat: float, catalog
) -> tuple[str, float]:
    """Return the boundary of ``boundary_ids`` nearest to lon/lat (degrees), and the km to it."""
    from geo.lines import line_parts
    from geo.nearest import nearest_on_line, prepare_line

    best = (boundary_ids[0], float("inf"))
    for boundary_id in boundary_ids:
        meta = catalog.boundary_meta[boundary_id]
        if not meta.kind.is_line:
            continue
        rows = catalog.boundaries.loc[catalog.boundaries["id"] == boundary_id]
        line = prepare_line(line_parts(rows.geometry.iloc[0]), interpolation=meta.interpolation)
        distance_km = float(np.asarray(nearest_on_line(line, [lon], [lat]).distance_m)[0]) / 1000
        if distance_km < best[1]:
            best = (boundary_id, distance_km)
    return best
