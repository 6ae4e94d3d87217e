"""Cross-reference checks of one incident: sources, places, boundaries, roles, related ids."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set

from geo import models
from geo.io import LineMap
from geo.problems import Problem

__all__ = ["check_references"]


def _known(ids: Set[str] | Mapping[str, object], limit: int = 8) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:limit]) + (" ..." if len(names) > limit else "")
    return shown or "none defined"


def check_references(
    incident: models.Incident,
    *,
    lines: LineMap,
    path: str,
    places: Mapping[str, models.Place],
    boundaries: Mapping[str, models.BoundaryMeta],
    incident_ids: Set[str],
) -> list[Problem]:
    """Return every dangling or ambiguous reference inside ``incident``.

    Checks that source ids are unique in the file; that claims, figures and weapons cite a
    source of the file; that places and boundaries exist; that a claim names a location role
    the incident has exactly once, and a side the boundary has; that related ids exist.
    """
    problems: list[Problem] = []

    def report(field_path: tuple[str | int, ...], field: str, message: str) -> None:
        problems.append(Problem(path, lines.line_of(field_path), incident.id, field, message))

    source_ids = Counter(source.id for source in incident.sources)
    for index, source in enumerate(incident.sources):
        if source_ids[source.id] > 1:
            report(("sources", index, "id"), f"sources[{index}].id",
                   f"duplicate source id {source.id!r} in this file")  # fmt: skip

    def check_source(field_path: tuple[str | int, ...], field: str, source: str | None) -> None:
        if source is not None and source not in source_ids:
            report(field_path, field,
                   f"unknown source {source!r}; sources in this file: {_known(source_ids)}")  # fmt: skip

    roles = Counter(location.role for location in incident.locations)
    for index, location in enumerate(incident.locations):
        if location.place is not None and location.place not in places:
            report(("locations", index, "place"), f"locations[{index}].place",
                   f"unknown place {location.place!r}; not in the gazetteer")  # fmt: skip

    for index, claim in enumerate(incident.claims):
        base = ("claims", index)
        check_source(base + ("source",), f"claims[{index}].source", claim.source)
        if roles[claim.location] == 0:
            have = ", ".join(sorted(r.value for r in roles))
            report(base + ("location",), f"claims[{index}].location",
                   f"no location with role {claim.location.value!r}; roles here: {have}")  # fmt: skip
        elif roles[claim.location] > 1:
            report(base + ("location",), f"claims[{index}].location",
                   f"{roles[claim.location]} locations have role {claim.location.value!r}; "
                   "a claim must describe exactly one")  # fmt: skip
        if claim.place is not None and claim.place not in places:
            report(base + ("place",), f"claims[{index}].place",
                   f"unknown place {claim.place!r}; not in the gazetteer")  # fmt: skip
        if claim.boundary is not None:
            meta = boundaries.get(claim.boundary)
            if meta is None:
                report(base + ("boundary",), f"claims[{index}].boundary",
                       f"unknown boundary {claim.boundary!r}; known: {_known(boundaries)}")  # fmt: skip
            elif not meta.kind.is_line:
                report(base + ("boundary",), f"claims[{index}].boundary",
                       f"{claim.boundary!r} is a zone; distance claims need a line")  # fmt: skip
            elif claim.direction is not None and claim.direction not in {
                meta.side_left, meta.side_right
            }:
                report(base + ("direction",), f"claims[{index}].direction",
                       f"must be a side of {claim.boundary} ({meta.side_left} or "
                       f"{meta.side_right}), got {claim.direction!r}")  # fmt: skip

    for index, figure in enumerate(incident.figures):
        check_source(("figures", index, "source"), f"figures[{index}].source", figure.source)
    for index, weapon in enumerate(incident.weapon):
        check_source(("weapon", index, "source"), f"weapon[{index}].source", weapon.source)

    for index, relation in enumerate(incident.related):
        if relation.id == incident.id:
            report(("related", index, "id"), f"related[{index}].id",
                   "an incident cannot relate to itself")  # fmt: skip
        elif relation.id not in incident_ids:
            report(("related", index, "id"), f"related[{index}].id",
                   f"unknown incident {relation.id!r}; no file defines it")  # fmt: skip
    return problems
