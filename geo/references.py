"""Cross-reference checks of one incident file: sources, places, boundaries, roles, related ids.

The checks read the raw parsed YAML, not the validated model, so that a curator sees dangling
references in the same run as schema errors ("every problem at once"). Values of the wrong type
are skipped here; the schema check reports them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set
from typing import Any

from geo import models
from geo.io import LineMap
from geo.problems import Problem, Severity, field_name

__all__ = ["check_references"]


def _known(ids: Set[str] | Mapping[str, object], limit: int = 8) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:limit]) + (" ..." if len(names) > limit else "")
    return shown or "none defined"


def _items(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """Return (index, mapping) pairs of a list field; a lone mapping counts as item 0."""
    value = data.get(key)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value else None


def check_references(
    data: dict[str, Any],
    *,
    record: str,
    lines: LineMap,
    path: str,
    places: Mapping[str, models.Place],
    boundaries: Mapping[str, models.BoundaryMeta],
    incident_ids: Set[str],
) -> list[Problem]:
    """Return every dangling or ambiguous reference inside one incident's raw data.

    Checks that source ids are unique in the file; that claims, figures and weapons cite a
    source of the file; that places and boundaries exist; that a claim names a location role
    the incident has exactly once, and a side the boundary has; that related ids exist.
    """
    problems: list[Problem] = []

    def report(
        field_path: tuple[str | int, ...],
        message: str,
        severity: Severity = Severity.ERROR,
        code: str | None = None,
    ) -> None:
        line = lines.line_of(field_path)
        problems.append(
            Problem(path, line, record, field_name(field_path), message, severity, code=code)
        )

    source_ids = Counter(_text(source, "id") for _, source in _items(data, "sources"))
    source_ids.pop(None, None)
    for index, source in _items(data, "sources"):
        if source_ids[_text(source, "id")] > 1:
            report(("sources", index, "id"), f"duplicate source id {source['id']!r} in this file")

    def check_source(field_path: tuple[str | int, ...], source: str | None) -> None:
        if source is not None and source not in source_ids:
            report(field_path, f"unknown source {source!r}; sources here: {_known(source_ids)}")

    roles = Counter(_text(location, "role") for _, location in _items(data, "locations"))
    for index, location in _items(data, "locations"):
        place = _text(location, "place")
        if place is not None and place not in places:
            report(("locations", index, "place"), f"unknown place {place!r}; not in the gazetteer")

    for index, claim in _items(data, "claims"):
        base: tuple[str | int, ...] = ("claims", index)
        check_source((*base, "source"), _text(claim, "source"))
        role = _text(claim, "location")
        if role is not None and roles[role] == 0:
            have = ", ".join(sorted(r for r in roles if r)) or "none"
            report((*base, "location"), f"no location with role {role!r}; roles here: {have}")
        elif role is not None and roles[role] > 1:
            report(
                (*base, "location"),
                f"{roles[role]} locations have role {role!r}; a claim must describe exactly one",
            )
        # A claim about a reference the data lacks is legal (the source said it): the record
        # loads, the claim reads "unverifiable", and the curator is warned.
        place = _text(claim, "place")
        if place is not None and place not in places:
            message = f"unknown place {place!r}; not in the gazetteer, so the claim is unverifiable"
            report((*base, "place"), message, Severity.WARNING, "unknown-place")
        boundary = _text(claim, "boundary")
        if boundary is None:
            continue
        meta = boundaries.get(boundary)
        direction = _text(claim, "direction")
        if meta is None:
            message = (
                f"unknown boundary {boundary!r}; known: {_known(boundaries)}; "
                "the claim is unverifiable"
            )
            report((*base, "boundary"), message, Severity.WARNING, "unknown-boundary")
        elif not meta.kind.is_line:
            report((*base, "boundary"), f"{boundary!r} is a zone; position claims need a line")
        elif direction is not None and direction not in {meta.side_left, meta.side_right}:
            report(
                (*base, "direction"),
                f"must be a side of {boundary} ({meta.side_left} or {meta.side_right}), "
                f"got {direction!r}",
            )

    for index, figure in _items(data, "figures"):
        check_source(("figures", index, "source"), _text(figure, "source"))
    for index, weapon in _items(data, "weapon"):
        check_source(("weapon", index, "source"), _text(weapon, "source"))

    for index, relation in _items(data, "related"):
        other = _text(relation, "id")
        if other is not None and other == data.get("id"):
            report(("related", index, "id"), "an incident cannot relate to itself")
        elif other is not None and other not in incident_ids:
            report(("related", index, "id"), f"unknown incident {other!r}; no file defines it")
    return problems
