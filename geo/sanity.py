"""Warnings for suspicious but legal input: swapped coordinates, a location far from the rest.

These never reject a record: a curator may have good reasons. They are reported so that a typo
does not travel silently into a published map.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from geo import models
from geo.geodesy import geodesic_inverse
from geo.io import LineMap
from geo.problems import Problem, Severity

__all__ = ["FAR_KM", "draft_warnings", "suspicious_locations"]

FAR_KM = 1500.0  # a location this far from every other location of its incident is suspicious
SWAP_NEAR_KM = 300.0  # ... and if swapping lat/lon brings it this close to one, it looks swapped


def _positions(incident: models.Incident, places: Mapping[str, models.Place]):
    positions = []
    for location in incident.locations:
        if location.place is not None and location.place in places:
            place = places[location.place]
            positions.append((place.lon, place.lat, False))
        elif location.lat is not None and location.lon is not None:
            positions.append((location.lon, location.lat, True))
        else:
            positions.append(None)
    return positions


def suspicious_locations(
    incident: models.Incident, *, places: Mapping[str, models.Place], lines: LineMap, path: str
) -> list[Problem]:
    """Return warnings about locations that look swapped or lie far from the others."""
    positions = _positions(incident, places)
    problems = []
    for index, position in enumerate(positions):
        others = [p for i, p in enumerate(positions) if p is not None and i != index]
        if position is None or not position[2] or not others:
            continue
        lon, lat, _ = position
        other_lon = np.array([p[0] for p in others])
        other_lat = np.array([p[1] for p in others])
        distance_m, _ = geodesic_inverse(lon, lat, other_lon, other_lat)
        nearest_km = float(np.min(distance_m)) / 1000.0
        if nearest_km <= FAR_KM:
            continue
        field = f"locations[{index}]"
        line = lines.line_of(("locations", index, "lat"))
        swapped_ok = abs(lon) <= 90
        swapped_km = (
            float(np.min(geodesic_inverse(lat, lon, other_lon, other_lat)[0])) / 1000.0
            if swapped_ok
            else np.inf
        )
        if swapped_km <= SWAP_NEAR_KM:
            message = (
                f"coordinates look swapped: lat {lat}, lon {lon} is {nearest_km:,.0f} km from the "
                f"incident's other locations; lat {lon}, lon {lat} would be {swapped_km:,.0f} km"
            )
        else:
            message = (
                f"lies {nearest_km:,.0f} km from every other location of this incident; "
                "check the coordinates"
            )
        code = "swapped-coordinates" if swapped_km <= SWAP_NEAR_KM else "far-location"
        problems.append(
            Problem(path, line, incident.id, field, message, Severity.WARNING, code=code)
        )
    return problems


def draft_warnings(incident: models.Incident, *, lines: LineMap, path: str) -> list[Problem]:
    """Return a warning for a draft without a location: it loads, but is not on the map yet."""
    if incident.status is not models.Status.DRAFT or incident.locations:
        return []
    message = (
        "a draft without a location: it is not drawn on the map; add a location "
        "(a place, lat/lon, or solve_from_claims) before confirming it"
    )
    line = lines.line_of(("status",))
    return [
        Problem(
            path,
            line,
            incident.id,
            "locations",
            message,
            Severity.WARNING,
            code="draft-without-location",
        )
    ]
