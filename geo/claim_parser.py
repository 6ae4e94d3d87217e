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
    # Korean military reports give sea distances in 마일 meaning nautical miles (the reading
    # convention of data/README.md); the proposal says so in its note
    "마일": models.DistanceUnit.NMI,
}
_UNIT_NOTES = {
    "마일": "마일 read as the nautical mile, as Korean military reports use it; check the source",
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
_ABOUT = r"(?:약|최대)?\s*"  # "약 27㎞" (about), "최대 3.6㎞" (at most)
_KOREAN_PLACE = re.compile(
    rf"(?P<reference>[가-힣A-Za-z]+?)(?:에서)?\s*(?P<direction>{_KOREAN_WORDS})"
    rf"(?:방|쪽)(?:으로)?\s*(?P<paren>\()?\s*{_ABOUT}{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})"
    r"(?(paren)\s*\))"  # 백령도 서북방(약 27㎞)
)
_KOREAN_LINE = re.compile(
    rf"(?<![가-힣A-Za-z])(?P<reference>[가-힣A-Za-z]+)(?:\([^)]{{1,20}}\))?\s*"
    rf"(?P<side>이남|이북|이동|이서|북방|남방|북쪽|남쪽|북측|남측)\s*{_ABOUT}"
    rf"{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})"
)
_KOREAN_SIDES = {
    "이남": "south", "이북": "north", "이동": "east", "이서": "west",
    "북방": "north", "남방": "south", "북쪽": "north", "남쪽": "south", "북측": "north",
    "남측": "south",
}  # fmt: skip
# "NLL로부터 2.7km", "연평도와 약 12km 떨어진": a distance with no direction
_KOREAN_FROM = re.compile(
    rf"(?<![가-힣A-Za-z])(?P<reference>[가-힣A-Za-z]+?)(?:\([^)]{{1,20}}\))?"
    rf"(?:(?:으로|로)부터\s*{_ABOUT}{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})"
    rf"|(?:에서|와|과)\s*{_ABOUT}(?P<number2>\d+(?:[.,]\d+)?)\s*(?P<unit2>{_UNIT_PATTERN})"
    r"\s*(?:정도|가량)?\s*떨어)"
)
# "11.3 kilometers off the east coast of Daecheong Island", "1 nautical mile (1.9 km) off the
# south-west coast of X": a direction of the place
_ENGLISH_COAST = re.compile(
    rf"{_NUMBER}\s*(?P<unit>{_UNIT_PATTERN})\.?\s+(?:\([^)]{{1,30}}\)\s+)?off\s+(?:the\s+)?"
    r"(?P<direction>(?:north|south)?-?(?:east|west)|north|south)(?:ern)?\s+coast\s+of\s+(?:the\s+)?"
    r"(?P<reference>(?-i:[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|of|de|la))*"
    r"(?:\s+(?:island|islands|isle))?))",
    re.IGNORECASE,
)
_BARE_ENGLISH = re.compile(
    rf"(?<![\w-])(?P<direction>{_DIRECTIONS})\s+of\s+(?:the\s+)?"
    r"(?P<reference>[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|of|de|la))*"
    r"(?:\s+(?:line|island|islands|isle|coast|port|city|county|bay))?)",  # as _ENGLISH reads them
)
# "NLL 이남", "NLL 북방 해상", "북방한계선(NLL) 북방", "연평도 북서방에서": a side or a compass
# word after its reference, not part of a longer word (서해 북방한계선) and not before a figure
_BARE_KOREAN = re.compile(
    rf"(?<![가-힣A-Za-z])(?P<reference>[가-힣A-Za-z]+)(?:\([^)]{{1,20}}\))?\s*"
    rf"(?P<side>이남|이북|이동|이서|(?:{_KOREAN_WORDS})(?:방|쪽|측))"
    r"(?=[\s,.)·]|$|에서|에|으로|의)(?!\s*\(?\s*(?:약|최대)?\s*\d)"
)
_NOT_REFERENCES = {"인근", "일대", "해상", "지점", "지역", "부근", "북한", "남한"}


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
    note: str | None = None  # how a unit or phrase was read, when that needs saying


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _proposal(match: re.Match, direction: str | None) -> Proposal:
    groups = match.groupdict()
    written = groups.get("unit") or groups["unit2"]
    unit = _UNITS[written.lower()]
    distance = _number(groups.get("number") or groups["number2"])
    return Proposal(
        text=match.group(0).strip(),
        distance=distance,
        unit=unit,
        distance_km=round(distance * models.KM_PER_UNIT[unit], 3),
        direction=direction,
        reference=match["reference"].strip(),
        note=_UNIT_NOTES.get(written),
    )


def _korean_side(side: str) -> str:
    """Return the English side or compass word of 이남, 북방, 서북쪽, 남측 ..."""
    if side in _KOREAN_SIDES:
        return _KOREAN_SIDES[side]
    return _KOREAN_COMPASS[side[:-1]]


def _bare(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, Proposal]]:
    found = []
    for pattern, korean in ((_BARE_ENGLISH, False), (_BARE_KOREAN, True)):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if korean and match["reference"] in _NOT_REFERENCES:
                continue
            direction = _korean_side(match["side"]) if korean else match["direction"]
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
    readers = (
        (_ENGLISH, lambda m: m["direction"].lower() if m["direction"] else None),
        (_ENGLISH_COAST, lambda m: m["direction"].lower().replace("-", "")),
        (_KOREAN_PLACE, lambda m: _KOREAN_COMPASS[m["direction"]]),  # before 이남/남방 lines:
        (_KOREAN_LINE, lambda m: _KOREAN_SIDES[m["side"]]),  # 동남방 6마일 is no "남방" side
        (_KOREAN_FROM, lambda m: None),
    )
    for pattern, direction in readers:
        for match in pattern.finditer(text):
            if _overlaps(match.span(), taken) or match["reference"] in _NOT_REFERENCES:
                continue
            found.append((match.start(), _proposal(match, direction(match))))
            taken.append(match.span())
    if bare_directions:
        found += _bare(text, taken)
    return [proposal for _, proposal in sorted(found, key=lambda item: item[0])]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


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
    matches its first word ("NLL" matches "NLL (East)" and "NLL (West)": the curator chooses),
    and its name matches without the bracketed qualifier ("Northern Limit Line", "북방한계선").
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
        # "Northern Limit Line (West Sea)" is also "Northern Limit Line"; "서해 북방한계선 (NLL)"
        # also "북방한계선": a line is named without its qualifier (the acronym fits both lines)
        for name in [meta.name, *meta.names.values()]:
            bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
            names.append(bare)
            if not bare.isascii() and " " in bare:
                names.append(bare.split()[-1])
        if meta.short_name:
            names += [meta.short_name, meta.short_name.split(" (")[0]]
        if any(normal_name(name) == wanted for name in names if name):
            matches.append(("boundary", boundary_id))
    return matches
