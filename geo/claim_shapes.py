"""What claims describe, as drawable paths: circles, bearings, offset lines, solved points.

Geodesic throughout (WGS84 lon/lat degrees): a claim circle is a geodesic polygon, a bearing a
geodesic, an offset line the line moved by the stated distance along its normals.
"""

from __future__ import annotations

import math

import numpy as np

from geo import models
from geo.catalog import Catalog
from geo.claim_solver import Solution
from geo.geodesy import GEOD, geodesic_circles
from geo.nearest import PreparedLine
from geo.positions import Positions

__all__ = ["claim_geometries"]


def _ellipse_ring(solution: Solution, n_vertices: int = 60) -> np.ndarray:
    """Return the 1-sigma ellipse of a solution as a closed ring of lon/lat degrees."""
    angles = np.linspace(0.0, 2 * np.pi, n_vertices)
    theta = math.radians(solution.orientation_deg)
    along = solution.sigma_major_km * np.cos(angles)
    across = solution.sigma_minor_km * np.sin(angles)
    east = along * math.sin(theta) + across * math.cos(theta)
    north = along * math.cos(theta) - across * math.sin(theta)
    azimuth = np.degrees(np.arctan2(east, north))
    lon, lat, _ = GEOD.fwd(
        np.full(n_vertices, solution.lon),
        np.full(n_vertices, solution.lat),
        azimuth,
        np.hypot(east, north) * 1000.0,
    )
    return np.column_stack([lon, lat])


def _offset_line(claim: models.Claim, catalog: Catalog, line: PreparedLine) -> np.ndarray:
    """Return the line shifted by the claimed distance to the claimed side (for drawing)."""
    meta = catalog.boundary_meta[claim.boundary]
    lon, lat = line.lon, line.lat
    forward, _, _ = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    heading = np.r_[forward, forward[-1]]
    turn = -90.0 if claim.direction in (None, meta.side_left) else 90.0
    distance_m = np.full(lon.size, claim.distance_km * 1000.0)
    shifted_lon, shifted_lat, _ = GEOD.fwd(lon, lat, heading + turn, distance_m)
    return np.column_stack([shifted_lon, shifted_lat])


def _place_items(claim: models.Claim, place: models.Place) -> list[dict]:
    ring = geodesic_circles(place.lon, place.lat, claim.distance_km, n_vertices=120)[0]
    items = [{"kind": "circle", "label": claim.text, "path": ring.tolist()}]
    if claim.direction is not None:
        azimuth = models.CompassDirection(claim.direction).azimuth_deg
        steps = np.linspace(0.0, claim.distance_km * 1.25 * 1000.0, 40)
        lon, lat, _ = GEOD.fwd(
            np.full(steps.size, place.lon),
            np.full(steps.size, place.lat),
            np.full(steps.size, azimuth),
            steps,
        )
        items.append(
            {"kind": "bearing", "label": claim.text, "path": np.column_stack([lon, lat]).tolist()}
        )
    return items


def _solution_items(location: models.Location, solution: Solution) -> list[dict]:
    items = [
        {"kind": "ellipse", "label": solution.note, "path": _ellipse_ring(solution).tolist()},
        {
            "kind": "point",
            "label": f"solved {location.role.value}",
            "position": [solution.lon, solution.lat],
        },
    ]
    for alternative in location.alternatives:
        items.append(
            {
                "kind": "alternative",
                "label": f"alternative fit: {alternative.assumes}",
                "position": [alternative.lon, alternative.lat],
            }
        )
        items.append(
            {
                "kind": "spread",
                "label": f"alternative fit: {alternative.assumes}",
                "path": [[solution.lon, solution.lat], [alternative.lon, alternative.lat]],
            }
        )
    return items


def claim_geometries(incident: models.Incident, positions: Positions) -> list[dict]:
    """Return what the incident's claims describe, as drawable lon/lat paths and points.

    Each item is ``{"kind", "label", "path"}`` (a list of [lon, lat]) or ``{"kind": "point" |
    "alternative", "label", "position"}``: distance circles around places, stated bearings from
    them, lines offset from a boundary by the stated distance, solved positions with their
    1-sigma ellipses, and a solved position's alternative fits (with a ``spread`` segment from
    the solution to each). Geodesic throughout.
    """
    catalog = positions.catalog
    items: list[dict] = []
    for claim in incident.claims:
        if claim.place in catalog.places and claim.distance_km is not None:
            items += _place_items(claim, catalog.places[claim.place])
        elif claim.boundary in catalog.boundary_meta and claim.distance_km is not None:
            path = _offset_line(claim, catalog, positions.lines.get(claim.boundary))
            items.append({"kind": "offset", "label": claim.text, "path": path.tolist()})
    for index, location in enumerate(incident.locations):
        solution = positions.solution(incident.id, index)
        if solution is not None:
            items += _solution_items(location, solution)
    return items
