"""Step 4 of the pipeline: check every claim against the geometry (``python -m geo claims``).

A claim ("26 km south of the NLL", "57 km east of Sokcho") becomes up to two checks: a
``distance`` check (stated km against the geodesic distance) and a ``direction`` check (a compass
word against the azimuth from the place, or a side name against the side of the line). A claim
about a line with several versions is checked against each version: one row per version, each
with its own verdict, and ``holds_under`` (all | some | none) for the claim as a whole.

Tolerance: the a-priori tolerance (:mod:`geo.claim_tolerance`) plus the location's precision
radius, or, for a solved location, in quadrature with twice the standard error of the position
along the claim. A direction's sector is widened by the angle that the location's uncertainty and
the reference's extent subtend at that distance.

No circularity: a claim is never judged against a position solved from it. For a location with
``solve_from_claims``, each claim is checked against the position solved from the *other* claims
(leave-one-out) when at least two others remain, else it is ``unverifiable``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from geo import models
from geo.catalog import Catalog
from geo.claim_solver import Solution, place_measure, solve_position
from geo.claim_tolerance import a_priori_km, angle_difference, half_width_deg
from geo.geodesy import compass_16, geodesic_inverse
from geo.lines import PreparedLines
from geo.nearest import nearest_on_line
from geo.positions import Positions

__all__ = [
    "AGREES",
    "CHECK_COLUMNS",
    "DISAGREES",
    "UNVERIFIABLE",
    "Check",
    "check_claims",
    "position_missing",
]

AGREES, DISAGREES, UNVERIFIABLE = "agrees", "disagrees", "unverifiable"
# The keys of Check.as_dict, in order: the JSON output of `python -m geo claims`.
CHECK_COLUMNS = (
    "incident_id", "location", "claim", "source", "text", "reference", "version", "kind",
    "stated", "computed", "stated_value", "computed_value", "difference", "tolerance", "unit",
    "verdict", "holds_under", "basis",
)  # fmt: skip


@dataclass
class Check:
    """One row of ``python -m geo claims``.

    ``stated``/``computed`` are the human text; ``stated_value``/``computed_value`` the numbers
    (km for distances, degrees for bearings, None for sides).
    """

    incident_id: str
    location: str
    claim_index: int
    source: str
    text: str
    reference: str
    kind: str  # "distance" | "direction"
    stated: str
    computed: str
    difference: float | None
    tolerance: float | None
    unit: str  # "km" | "deg" | "side"
    verdict: str
    basis: str  # what the computed value was measured from
    stated_value: float | None = None
    computed_value: float | None = None
    version: str | None = None  # the line's version, for lines with several
    holds_under: str | None = None  # all | some | none: the claim as a whole, over versions
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the check as plain data (the JSON output), keys as in ``CHECK_COLUMNS``."""
        values = {
            "claim": self.claim_index,
            **{name: getattr(self, name) for name in CHECK_COLUMNS if name != "claim"},
        }
        return {name: values[name] for name in CHECK_COLUMNS}


@dataclass(frozen=True)
class _Position:
    """Where a claim is judged: lon/lat (deg), radius (km), covariance (km²) or None, basis."""

    lon: float
    lat: float
    sigma_km: float
    covariance: np.ndarray | None
    basis: str

    def spread_km(self, azimuth_deg: float) -> float:
        """Return the uncertainty along a bearing: 2 sigma when solved, else the radius."""
        if self.covariance is None:
            return self.sigma_km
        direction = np.array(
            [math.sin(math.radians(azimuth_deg)), math.cos(math.radians(azimuth_deg))]
        )
        return 2 * float(math.sqrt(max(direction @ self.covariance @ direction, 0.0)))

    def combine(self, a_priori: float, spread_km: float) -> float:
        """Return the tolerance: in quadrature for solved positions, else a plain sum."""
        if self.covariance is None:
            return a_priori + spread_km
        return math.hypot(a_priori, spread_km)


def _distance_row(
    base: dict, claim: models.Claim, computed_km: float, tolerance: float, position: _Position
) -> Check:
    difference = computed_km - claim.distance_km
    return Check(
        **base,
        kind="distance",
        stated=f"{claim.distance_km:g} km",
        computed=f"{computed_km:.1f} km",
        stated_value=float(claim.distance_km),
        computed_value=round(float(computed_km), 3),
        difference=round(difference, 2),
        tolerance=round(tolerance, 2),
        unit="km",
        verdict=AGREES if abs(difference) <= tolerance else DISAGREES,
        basis=position.basis,
    )


def _place_checks(
    base: dict, claim: models.Claim, position: _Position, catalog: Catalog
) -> list[Check]:
    place = catalog.places[claim.place]
    distance_km, azimuth = (
        float(v) for v in place_measure(place, claim, position.lon, position.lat)
    )
    rows = []
    if claim.distance_km is not None:
        tolerance = position.combine(a_priori_km(claim, catalog), position.spread_km(azimuth))
        rows.append(_distance_row(base, claim, distance_km, tolerance, position))
    if claim.direction is not None:
        centre = models.CompassDirection(claim.direction).azimuth_deg
        difference = float(angle_difference(azimuth, centre))
        lateral = position.spread_km(azimuth + 90) + (
            place.radius_km if claim.reference_point is None else 0.0
        )
        tolerance = half_width_deg(claim) + math.degrees(
            math.atan2(lateral, max(distance_km, 1e-6))
        )
        rows.append(
            Check(
                **base,
                kind="direction",
                stated=claim.direction,
                computed=f"{azimuth:.0f}° ({compass_16(azimuth)})",
                stated_value=centre,
                computed_value=round(azimuth % 360.0, 2),
                difference=round(difference, 1),
                tolerance=round(tolerance, 1),
                unit="deg",
                verdict=AGREES if abs(difference) <= tolerance else DISAGREES,
                basis=position.basis,
            )
        )
    return rows


def _line_checks(
    base: dict,
    claim: models.Claim,
    position: _Position,
    catalog: Catalog,
    lines: PreparedLines,
    version: str | None,
) -> list[Check]:
    meta = catalog.boundary_meta[claim.boundary]
    result = nearest_on_line(lines.get(claim.boundary, version), [position.lon], [position.lat])
    distance_km = float(result.distance_m[0] / 1000.0)
    side = meta.side_left if result.side[0] > 0 else meta.side_right
    _, toward = geodesic_inverse(result.foot_lon[0], result.foot_lat[0], position.lon, position.lat)
    spread = position.spread_km(float(np.ravel(toward)[0]))
    base = base | {"version": version}
    rows = []
    if claim.distance_km is not None:
        tolerance = position.combine(a_priori_km(claim, catalog), spread)
        rows.append(_distance_row(base, claim, distance_km, tolerance, position))
    if claim.direction is not None:
        if side == claim.direction:
            verdict = AGREES
        else:  # the other side: wrong, unless the uncertainty reaches across the line
            verdict = UNVERIFIABLE if distance_km <= spread else DISAGREES
        rows.append(
            Check(
                **base,
                kind="direction",
                stated=claim.direction,
                computed=side,
                difference=None,
                tolerance=round(spread, 2),
                unit="side",
                verdict=verdict,
                basis=position.basis,
            )
        )
    return rows


def position_missing(claim: models.Claim) -> str:
    """Return why a claim cannot be checked for want of a position."""
    return (
        f"fewer than two other claims about the {claim.location.value} remain to solve a "
        "position without this one (leave-one-out)"
    )


def _unverifiable_rows(base: dict, claim: models.Claim, why: str) -> list[Check]:
    rows = []
    if claim.distance_km is not None:
        rows.append(
            Check(
                **base,
                kind="distance",
                stated=f"{claim.distance_km:g} km",
                computed="",
                stated_value=float(claim.distance_km),
                difference=None,
                tolerance=None,
                unit="km",
                verdict=UNVERIFIABLE,
                basis=why,
            )
        )
    if claim.direction is not None:
        is_side = claim.boundary is not None
        rows.append(
            Check(
                **base,
                kind="direction",
                stated=claim.direction,
                computed="",
                stated_value=None
                if is_side
                else models.CompassDirection(claim.direction).azimuth_deg,
                difference=None,
                tolerance=None,
                unit="side" if is_side else "deg",
                verdict=UNVERIFIABLE,
                basis=why,
            )
        )
    return rows


def _holds_under(rows: list[Check]) -> str | None:
    """Return all | some | none: in how many versions every row of the claim agrees."""
    by_version: dict[str | None, list[str]] = {}
    for row in rows:
        by_version.setdefault(row.version, []).append(row.verdict)
    if all(v == UNVERIFIABLE for verdicts in by_version.values() for v in verdicts):
        return None
    holds = [all(v == AGREES for v in verdicts) for verdicts in by_version.values()]
    return "all" if all(holds) else "some" if any(holds) else "none"


def _check_claim(
    incident: models.Incident,
    index: int,
    position: _Position | None,
    catalog: Catalog,
    lines: PreparedLines,
) -> list[Check]:
    """Return the checks of one claim against ``position`` (None: no usable position)."""
    claim = incident.claims[index]
    reference = claim.boundary or claim.place or "?"
    base = dict(
        incident_id=incident.id,
        location=claim.location.value,
        claim_index=index,
        source=claim.source,
        text=claim.text,
        reference=reference,
    )
    known = (claim.place in catalog.places) or (claim.boundary in catalog.boundary_meta)
    if not known or position is None:
        why = f"unknown reference {reference!r}" if not known else position_missing(claim)
        rows = _unverifiable_rows(base, claim, why)
    elif claim.place is not None:
        rows = _place_checks(base, claim, position, catalog)
    else:
        rows = []
        for version in lines.versions(claim.boundary):
            rows += _line_checks(base, claim, position, catalog, lines, version)
    holds = _holds_under(rows)
    for row in rows:
        row.holds_under = holds
    return rows


def _solved_position(solution: Solution, basis: str) -> _Position:
    return _Position(
        solution.lon,
        solution.lat,
        solution.sigma_major_km,
        np.asarray(solution.covariance_km2),
        basis,
    )


def _position_for(
    incident: models.Incident, index: int, catalog: Catalog, lines: PreparedLines
) -> _Position | None:
    """Return the position to judge claim ``index`` against, or None when there is none."""
    claim = incident.claims[index]
    matches = [i for i, loc in enumerate(incident.locations) if loc.role == claim.location]
    if len(matches) != 1:
        return None
    location = incident.locations[matches[0]]
    if location.solve_from_claims:
        others = [
            i
            for i, c in enumerate(incident.claims)
            if c.location == claim.location
            and i != index
            and (c.place in catalog.places or c.boundary in catalog.boundary_meta)
        ]
        if len(others) < 2:
            return None
        solution = solve_position(incident.claims, others, catalog, lines)
        if not isinstance(solution, Solution):
            return None
        return _solved_position(
            solution, f"leave-one-out position from claims {list(solution.claims_used)}"
        )
    if location.place is not None:
        place = catalog.places.get(location.place)
        if place is None:
            return None
        return _Position(place.lon, place.lat, location.precision_km, None, f"place {place.id}")
    if location.lat is None or location.lon is None:
        return None
    basis = "curated position" + (" (derived)" if location.derived else "")
    return _Position(location.lon, location.lat, location.precision_km, None, basis)


def check_claims(positions: Positions) -> list[Check]:
    """Return one row per check of every claim of every valid incident.

    Parameters
    ----------
    positions : Positions
        From :func:`geo.positions.solve_positions` (step 2 of the pipeline).

    Returns
    -------
    list of Check
        Distances in km, directions in degrees from true north (WGS84 ellipsoid).

    Example
    -------
    >>> from geo import load_catalog
    >>> from geo.positions import solve_positions
    >>> rows = check_claims(solve_positions(load_catalog("tests/data/blacksea")))
    >>> sorted({row.verdict for row in rows}) <= ["agrees", "disagrees", "unverifiable"]
    True
    """
    catalog = positions.catalog
    lines = positions.lines
    rows: list[Check] = []
    for incident in catalog.incidents.values():
        for index in range(len(incident.claims)):
            position = _position_for(incident, index, catalog, lines)
            rows.extend(_check_claim(incident, index, position, catalog, lines))
    return rows
