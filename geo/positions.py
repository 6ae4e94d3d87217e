"""Step 2 of the pipeline: give every incident location a position.

load (:mod:`geo.catalog`) → **solve positions** → measure (:mod:`geo.measure`) → check claims
(:mod:`geo.claim_checks`).

Most locations have coordinates or a gazetteer place; a location marked ``solve_from_claims`` is
solved from the incident's claims about it (:func:`geo.claim_solver.solve_position`). A location
whose claims cannot fix a point stays unplaced, with a warning saying why.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalog import Catalog
from geo.claim_solver import Solution, Unsolved, solve_position
from geo.lines import PreparedLines
from geo.problems import Problem, Severity

__all__ = ["LOCATION_COLUMNS", "Positions", "locations_frame", "solve_positions"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Positions:
    """A catalog with every location placed: the input of measuring and of claim checks.

    Attributes
    ----------
    catalog : Catalog
        The loaded catalog (step 1).
    solutions : mapping
        (incident id, location index) → Solution, or Unsolved with the reason, for every
        location marked ``solve_from_claims``.
    problems : tuple of Problem
        Warnings of this step (locations left unplaced).
    lines : PreparedLines
        The catalog's boundary lines, prepared once and shared by the later steps.
    """

    catalog: Catalog
    lines: PreparedLines
    solutions: Mapping[tuple[str, int], Solution | Unsolved] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def solution(self, incident_id: str, index: int) -> Solution | None:
        """Return the solved position of a location, or None (not solved, or unsolvable)."""
        found = self.solutions.get((incident_id, index))
        return found if isinstance(found, Solution) else None

    def locations(self) -> gpd.GeoDataFrame:
        """Return one row per incident location, EPSG:4326 (see :func:`locations_frame`)."""
        return locations_frame(self)

    def summary(self) -> str:
        """Return the one-line summary of loading and solving (see :meth:`Catalog.summary`)."""
        return self.catalog.summary(self.all_problems)

    @property
    def all_problems(self) -> list[Problem]:
        """Return the catalog's problems and this step's, in file order."""
        return sorted([*self.catalog.problems, *self.problems], key=lambda p: (p.path, p.line))


def solve_positions(catalog: Catalog, lines: PreparedLines | None = None) -> Positions:
    """Solve every location marked ``solve_from_claims``; the rest keep their coordinates.

    Parameters
    ----------
    catalog : Catalog
        From :func:`geo.catalog.load_catalog`.
    lines : PreparedLines, optional
        Prepared boundary lines to reuse.

    Returns
    -------
    Positions
        With a warning for each location its claims cannot fix.

    Example
    -------
    >>> from geo import load_catalog
    >>> positions = solve_positions(load_catalog("tests/data/blacksea"))
    >>> positions.problems
    ()
    """
    lines = lines or PreparedLines(catalog)
    solutions: dict[tuple[str, int], Solution | Unsolved] = {}
    problems: list[Problem] = []
    for incident in catalog.incidents.values():
        for index, location in enumerate(incident.locations):
            if not location.solve_from_claims:
                continue
            mine = [i for i, c in enumerate(incident.claims) if c.location == location.role]
            result = solve_position(incident.claims, mine, catalog, lines)
            solutions[(incident.id, index)] = result
            if isinstance(result, Unsolved):
                item = catalog.files[incident.id]
                line = item.lines.line_of(("locations", index))
                message = f"solve_from_claims: {result.reason}; the location is left unplaced"
                problems.append(
                    Problem(
                        item.path,
                        line,
                        incident.id,
                        f"locations[{index}]",
                        message,
                        Severity.WARNING,
                        code="unsolved",
                    )
                )
    return Positions(catalog, lines, solutions, tuple(problems))


def _utc_iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


LOCATION_COLUMNS = [
    "incident_id",
    "location_index",
    "role",
    "place",
    "label",
    "precision_km",
    "derived",
    "note",
    "lon",
    "lat",
    "category",
    "actor",
    "status",
    "title",
    "time",
    "time_utc",
]


def locations_frame(positions: Positions) -> gpd.GeoDataFrame:
    """Return one row per location of every valid incident.

    Returns
    -------
    GeoDataFrame
        EPSG:4326 points (lon/lat degrees) with ``incident_id``, ``location_index``, ``role``,
        ``place``, ``label``, ``precision_km`` (km), ``derived``, ``note``, ``lon``, ``lat``
        and the incident's ``category``, ``actor``, ``status``, ``title``, ``time`` (ISO 8601
        with the source's offset) and ``time_utc``. A location its claims cannot fix has an
        empty geometry and NaN coordinates.
    """
    catalog = positions.catalog
    rows = []
    for incident in catalog.incidents.values():
        for index, location in enumerate(incident.locations):
            lat, lon = location.lat, location.lon
            precision_km, note = location.precision_km, location.note
            if location.place is not None:
                place = catalog.places[location.place]
                lat, lon = place.lat, place.lon
            if location.solve_from_claims:
                solution = positions.solution(incident.id, index)
                lat = solution.lat if solution else None
                lon = solution.lon if solution else None
                if solution is not None:
                    precision_km = max(round(solution.sigma_major_km, 2), 0.1)
                    note = f"{solution.note}. {location.note or ''}".strip()
            rows.append(
                {
                    "incident_id": incident.id,
                    "location_index": index,
                    "role": location.role.value,
                    "place": location.place,
                    "label": location.label,
                    "precision_km": precision_km,
                    "derived": location.derived or location.solve_from_claims,
                    "note": note,
                    "lon": np.nan if lon is None else lon,
                    "lat": np.nan if lat is None else lat,
                    "category": incident.category.value,
                    "actor": incident.actor,
                    "status": incident.status.value,
                    "title": incident.title,
                    "time": incident.time.isoformat(),
                    "time_utc": _utc_iso(incident.time),
                }
            )
    frame = pd.DataFrame(rows, columns=LOCATION_COLUMNS)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    geometry = gpd.GeoSeries(geometry, crs="EPSG:4326").where(frame["lon"].notna(), None)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
