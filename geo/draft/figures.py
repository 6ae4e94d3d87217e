"""Figures an article reports: counts of things fired or sounded, durations, sums, calibres.

"more than 200 shells", "at least 23 missiles", "three or four minutes", "nearly $30,000",
"155mm", "10여 발", "포탄 200여 발". Each figure keeps the phrase as printed; distances are
claims (geo.claim_parser), not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FigureMention", "find_figures"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "dozens": "dozens",
    "hundreds": "hundreds",
}  # fmt: skip
_QUALIFIERS = {
    "at least": "at_least", "more than": "more_than", "over": "more_than", "about": "about",
    "around": "about", "some": "about", "roughly": "about", "approximately": "about",
    "nearly": "up_to", "almost": "up_to", "up to": "up_to", "fewer than": "less_than",
    "less than": "less_than", "under": "less_than", "최소": "at_least", "약": "about",
}  # fmt: skip
_UNITS = (
    r"missiles?|rockets?|shells?|rounds|projectiles?|drones?|bombs?|torpedoes|torpedo|sirens?|"
    r"minutes?|hours?|seconds?|people|residents|civilians|soldiers|troops|casualties|"
    r"ships?|vessels?|boats?|aircraft|jets?|planes?|warplanes?|launchers?|ICBMs?|SRBMs?|"
    r"times|shots|salvos?|waves?|explosions?|blasts?"
)
_NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?|(?:{'|'.join(_WORDS)})(?:\s+or\s+(?:{'|'.join(_WORDS)}))?)"
_QUALIFIER = "|".join(sorted((q for q in _QUALIFIERS if q.isascii()), key=len, reverse=True))
_ENGLISH = re.compile(
    rf"\b(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>{_NUMBER})\s+(?:[a-z-]+\s+){{0,2}}?(?P<unit>{_UNITS})\b",
    re.IGNORECASE,
)
_MONEY = re.compile(rf"(?:\b(?P<q>{_QUALIFIER})\s+)?(?P<cur>\$|€|£|US\$)(?P<n>\d[\d,]*(?:\.\d+)?)")
_CALIBRE = re.compile(r"\b(?P<n>\d{2,3})\s?-?\s?(?:mm|millimet(?:er|re))\b", re.IGNORECASE)
_KOREAN = re.compile(
    r"(?:(?P<q>최소|약)\s*)?(?P<n>\d[\d,]*)\s*(?P<more>여)?\s*(?P<unit>발|기|척|명|차례)(?![가-힣])"
)


@dataclass(frozen=True)
class FigureMention:
    """A figure as printed: value, qualifier, unit and the phrase."""

    offset: int
    end: int
    phrase: str
    value: int | float | str
    qualifier: str
    unit: str | None


def _value(text: str) -> int | float | str:
    cleaned = text.replace(",", "")
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"\d+\.\d+", cleaned):
        return float(cleaned)
    lowered = text.lower()
    return _WORDS.get(lowered, lowered) if " " not in lowered else lowered


def find_figures(text: str) -> list[FigureMention]:
    """Return the figures of ``text`` in order of appearance.

    Example
    -------
    >>> [(f.value, f.qualifier, f.unit) for f in find_figures("more than 200 shells")]
    [(200, 'more_than', 'shells')]
    """
    found: list[FigureMention] = []
    for match in _ENGLISH.finditer(text):
        if re.fullmatch(r"\d{4}", match["n"]) and match["unit"].lower() == "times":
            continue
        qualifier = _QUALIFIERS.get((match["q"] or "").lower(), "exact")
        found.append(
            FigureMention(
                match.start(), match.end(), match.group(0), _value(match["n"]), qualifier,
                match["unit"].lower(),
            )
        )  # fmt: skip
    for match in _MONEY.finditer(text):
        qualifier = _QUALIFIERS.get((match["q"] or "").lower(), "exact")
        unit = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}[match["cur"]]
        found.append(
            FigureMention(
                match.start(), match.end(), match.group(0), _value(match["n"]), qualifier, unit
            )
        )
    for match in _CALIBRE.finditer(text):
        found.append(
            FigureMention(
                match.start(), match.end(), match.group(0), int(match["n"]), "exact", "mm calibre"
            )
        )
    for match in _KOREAN.finditer(text):
        qualifier = "more_than" if match["more"] else _QUALIFIERS.get(match["q"] or "", "exact")
        found.append(
            FigureMention(
                match.start(),
                match.end(),
                match.group(0),
                _value(match["n"]),
                qualifier,
                match["unit"],
            )
        )
    return sorted(found, key=lambda figure: figure.offset)
