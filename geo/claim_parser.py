"""Propose structured claims from quote text, for curators to review (never added silently).

Recognised forms (case-insensitive; figures may use a decimal point or comma):

- English: "26 km south of the NLL", "57 kilometers east of Sokcho", "167km northwest of
  Ulleung Island", "about 35 miles from Sokcho" (no direction), "12 nautical miles north of X";
- Korean: "NLL 이남 26㎞" (south/north of a line: 이남/이북), "속초 동방 57㎞",
  "속초에서 동쪽으로 57㎞", "울릉도 서북방 167㎞", "울릉도에서 서북방으로 167㎞".

With ``bare_directions=True`` a side or compass word without a figure is proposed too ("south of
the NLL", "NLL 이남"): a direction-only claim, with no distance.

Each proposal names its reference as written; :func:`resolve_reference` matches it against the
gazetteer's names (in every language) and the boundaries' names and short names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo import models

__all__ = ["Proposal", "normal_name", "propose_claims", "resolve_reference"]

_UNITS = {
    "km": models.DistanceUnit.KM,
    "kms": models.DistanceUnit.KM,
    "kilometer": models.DistanceUnit.KM,
    "kilometers": models.DistanceUnit.KM,
    "kilometre": models.DistanceUnit.KM,
    "kilometres": models.DistanceUnit.KM,
    "㎞": models.DistanceUnit.KM,
    "킬로미터": models.DistanceUnit.KM,
    "킬로": models.DistanceUnit.KM,
    "mi": models.DistanceUnit.MI,
    "mile": models.DistanceUnit.MI,
    "miles": models.DistanceUnit.MI,
    "nmi": models.DistanceUnit.NMI,
    "nm": models.DistanceUnit.NMI,
    "nautical mile": models.DistanceUnit.NMI,
    "nautical miles": models.DistanceUnit.NMI,
    "해리": models.DistanceUnit.NMI,
}
_DIRECTIONS = "|".join(sorted((d.value for d in models.CompassDirection), key=len, reverse=True))
_UNIT_PATTERN = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUMBER = r"(?P<number>\d+(?:[.,]\d+)?)"

_ENGLISH = re.compile(
    rf"{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})\.?\s+"
    rf"(?:(?P<direction>{_DIRECTIONS})\s+of|from|off)\s+"
    # the reference is case-sensitive: "Zmiinyi Island and 20 miles" stops before "and"
    r"(?:the\s+)?(?P<reference>(?-i:[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|of|de|la))*"
    r"(?:\s+(?:line|island|islands|isle|river|strait|border|coast|port|city|county|bay))?))",
    re.IGNORECASE,
)
_KOREAN_COMPASS = {
    "동": "east",
    "서": "west",
    "남": "south",
    "북": "north",
    "동북": "northeast",
    "북동": "northeast",
    "서북": "northwest",
    "북서": "northwest",
    "동남": "southeast",
    "남동": "southeast",
    "서남": "southwest",
    "남서": "southwest",
}
_KOREAN_WORDS = "|".join(sorted(_KOREAN_COMPASS, key=len, reverse=True))
_KOREAN_PLACE = re.compile(
    rf"(?P<reference>[가-힣A-Za-z]+?)(?:에서)?\s*(?P<direction>{_KOREAN_WORDS})"
    rf"(?:방|쪽)(?:으로)?\s*{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})"
)
_KOREAN_LINE = re.compile(
    rf"(?P<reference>[가-힣A-Za-z]+)\s*(?P<side>이남|이북|이동|이서)\s*{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})"
)
_KOREAN_SIDES = {"이남": "south", "이북": "north", "이동": "east", "이서": "west"}
_BARE_ENGLISH = re.compile(
    rf"(?<![\w-])(?P<direction>{_DIRECTIONS})\s+of\s+(?:the\s+)?"
    r"(?P<reference>[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|of|de|la))*)",
)
_BARE_KOREAN = re.compile(r"(?P<reference>[가-힣A-Za-z]+)\s*(?P<side>이남|이북|이동|이서)(?!\s*\d)")


@dataclass(frozen=True)
class Proposal:
    """A claim found in text: the phrase, the figure in its unit and km, direction, reference.

    ``distance`` and ``distance_km`` are None for a direction-only claim ("south of the NLL").
    """

    text: str
    distance: float | None
    unit: models.DistanceUnit
    distance_km: float | None
    direction: str | None
    reference: str


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _proposal(match: re.Match, direction: str | None) -> Proposal:
    unit = _UNITS[match["unit"].lower()]
    distance = _number(match["number"])
    return Proposal(
        text=match.group(0).strip(),
        distance=distance,
        unit=unit,
        distance_km=round(distance * models.KM_PER_UNIT[unit], 3),
        direction=direction,
        reference=match["reference"].strip(),
    )


def _bare(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, Proposal]]:
    found = []
    for pattern, sides in ((_BARE_ENGLISH, None), (_BARE_KOREAN, _KOREAN_SIDES)):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            direction = sides[match["side"]] if sides else match["direction"]
            proposal = Proposal(
                text=match.group(0).strip(),
                distance=None,
                unit=models.DistanceUnit.KM,
                distance_km=None,
                direction=direction,
                reference=match["reference"].strip(),
            )
            found.append((match.start(), proposal))
    return found


def propose_claims(text: str, *, bare_directions: bool = False) -> list[Proposal]:
    """Return every distance-and-direction phrase found in ``text``, in order of appearance.

    With ``bare_directions``, also direction-only phrases ("south of the NLL"), distance None.

    Example
    -------
    >>> [p.distance_km for p in propose_claims("NLL 이남 26㎞, 속초 동방 57㎞")]
    [26.0, 57.0]
    """
    found: list[tuple[int, Proposal]] = []
    taken: list[tuple[int, int]] = []
    for match in _ENGLISH.finditer(text):
        direction = match["direction"].lower() if match["direction"] else None
        found.append((match.start(), _proposal(match, direction)))
        taken.append(match.span())
    for match in _KOREAN_LINE.finditer(text):
        found.append((match.start(), _proposal(match, _KOREAN_SIDES[match["side"]])))
        taken.append(match.span())
    for match in _KOREAN_PLACE.finditer(text):
        found.append((match.start(), _proposal(match, _KOREAN_COMPASS[match["direction"]])))
        taken.append(match.span())
    if bare_directions:
        found += _bare(text, taken)
    return [proposal for _, proposal in sorted(found, key=lambda item: item[0])]


def normal_name(text: str) -> str:
    """Return the form names are compared in: no case, spaces, hyphens, "Island", final "do"."""
    text = re.sub(r"\b(island|isle|city|county|port|the)\b", " ", text.casefold())
    return re.sub(r"[\s\-'’]+", "", text).removesuffix("do")


def resolve_reference(
    reference: str,
    places: dict[str, models.Place],
    boundaries: dict[str, models.BoundaryMeta],
) -> list[tuple[str, str]]:
    """Return the (kind, id) pairs a written reference may mean: ("place", "sokcho") ...

    Matching ignores case, spaces, hyphens and words such as "Island"; a line's short name
    matches its first word ("NLL" matches "NLL (East)" and "NLL (West)": the curator chooses).
    """
    wanted = normal_name(reference)
    matches: list[tuple[str, str]] = []
    for place in places.values():
        names = [place.id, place.name, place.name.split(" (")[0], *place.names.values()]
        if any(normal_name(name) == wanted for name in names):
            matches.append(("place", place.id))
    for boundary_id, meta in boundaries.items():
        if not meta.kind.is_line:
            continue
        names = [boundary_id, meta.name, *meta.names.values()]
        if meta.short_name:
            names += [meta.short_name, meta.short_name.split(" (")[0]]
        if any(normal_name(name) == wanted for name in names if name):
            matches.append(("boundary", boundary_id))
    return matches
