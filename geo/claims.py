"""Claims: check what sources say about positions, and solve positions from what they say.

A claim ("26 km south of the NLL", "57 km east of Sokcho") becomes up to two checks: a
``distance`` check (stated km against the geodesic distance) and a ``direction`` check (a compass
word against the azimuth from the place, or a side name against the side of the line).

Tolerances (a-priori, km or degrees; the rule the tests pin down)
-----------------------------------------------------------------
- rounding of the stated figure: half a unit of its last significant digit, in the unit the
  source used (26 km → ±0.5 km; 160 km → ±5 km; 104 mi → ±0.8 km);
- plus the reference's extent when the claim does not say centre or edge (Ulleungdo's 5 km
  radius), or the boundary's ``accuracy_km``;
- plus the location's precision radius when the location was not solved from these claims;
- an explicit ``tolerance_km`` on the claim replaces the first two terms.
- A direction is the sector of its compass word (±22.5° for 8-point words, ±11.25° for 16-point
  ones, or ``direction_precision_deg``), widened by the angle the location's uncertainty and the
  reference's extent subtend at that distance.

No circularity: a claim is never judged against a position solved from it. For a location with
``solve_from_claims``, each claim is checked against the position solved from the *other* claims
(leave-one-out) when at least two others remain, else it is ``unverifiable``; the tolerance then
adds, in quadrature, twice the leave-one-out position's standard error along the claim.

Solving
-------
Weighted least squares (Gauss-Newton) in a local azimuthal-equidistant plane, every residual
computed on the WGS84 ellipsoid: distance to a place or line (signed by side for lines), azimuth
from a place. Each observation's standard deviation is its a-priori tolerance. A coarse grid
search starts it, so where two distance circles meet twice the directions choose the point. The
covariance is scaled by the reduced chi-square when that exceeds 1; the 1-sigma ellipse is
reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from pyproj import Transformer

from geo import models
from geo.geodesy import GEOD, geodesic_inverse
from geo.nearest import PreparedLine, nearest_on_line, prepare_line

if TYPE_CHECKING:
    from geo.catalog import Catalog

__all__ = [
    "CHECK_COLUMNS",
    "Check",
    "Solution",
    "check_claims",
    "claim_geometries",
    "rounding_km",
    "solve_locations",
]

AGREES, DISAGREES, UNVERIFIABLE = "agrees", "disagrees", "unverifiable"
# The keys of Check.as_dict, in order: the JSON output of `python -m geo claims`.
CHECK_COLUMNS = (
    "incident_id", "location", "claim", "source", "text", "reference", "kind", "stated",
    "computed", "difference", "tolerance", "unit", "verdict", "basis",
)  # fmt: skip


@dataclass(frozen=True)
class Solution:
    """A position solved from claims: lon/lat (deg), 1-sigma ellipse (km, deg from north)."""

    lon: float
    lat: float
    sigma_major_km: float
    sigma_minor_km: float
    orientation_deg: float
    covariance_km2: tuple[tuple[float, float], tuple[float, float]]
    residuals: tuple[float, ...]  # per observation, in units of its tolerance
    claims_used: tuple[int, ...]  # claim indices
    note: str


@dataclass
class Check:
    """One row of ``python -m geo claims``."""

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
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the check as plain data (the JSON output)."""
        return {
            "incident_id": self.incident_id,
            "location": self.location,
            "claim": self.claim_index,
            "source": self.source,
            "text": self.text,
            "reference": self.reference,
            "kind": self.kind,
            "stated": self.stated,
            "computed": self.computed,
            "difference": self.difference,
            "tolerance": self.tolerance,
            "unit": self.unit,
            "verdict": self.verdict,
            "basis": self.basis,
        }


# --------------------------------------------------------------------------- tolerances


def rounding_km(claim: models.Claim) -> float:
    """Return half a unit of the stated figure's last significant digit, in km."""
    if claim.distance_km is None:
        return 0.0
    value = claim.distance if claim.distance is not None else claim.distance_km
    factor = models.KM_PER_UNIT[claim.unit] if claim.distance is not None else 1.0
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if "." in text:
        step = 10.0 ** -len(text.split(".")[1])
    else:
        digits = text.lstrip("-")
        step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits != "0" else 1.0
    return 0.5 * step * factor


def _extent_km(claim: models.Claim, catalog: Catalog) -> float:
    if claim.place is not None and claim.place in catalog.places:
        place = catalog.places[claim.place]
        return place.radius_km if claim.reference_point is None else 0.0
    if claim.boundary is not None and claim.boundary in catalog.boundary_meta:
        return catalog.boundary_meta[claim.boundary].accuracy_km or 0.0
    return 0.0


def _a_priori_km(claim: models.Claim, catalog: Catalog) -> float:
    if claim.tolerance_km is not None:
        return claim.tolerance_km
    return rounding_km(claim) + _extent_km(claim, catalog)


def _half_width_deg(claim: models.Claim) -> float:
    if claim.direction_precision_deg is not None:
        return claim.direction_precision_deg
    return models.CompassDirection(claim.direction).half_width_deg


# --------------------------------------------------------------------------- observations


class _Lines:
    """Prepared boundary lines, built on first use."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._cache: dict[str, PreparedLine] = {}

    def get(self, boundary_id: str) -> PreparedLine:
        if boundary_id not in self._cache:
            from geo.measure import line_parts

            meta = self._catalog.boundary_meta[boundary_id]
            geometry = self._catalog.boundaries.loc[boundary_id].geometry
            self._cache[boundary_id] = prepare_line(
                line_parts(geometry), interpolation=meta.interpolation
            )
        return self._cache[boundary_id]


def _place_measure(place: models.Place, claim: models.Claim, lon, lat):
    """Return distance (km, to centre or edge as the claim says) and azimuth from the place."""
    distance_m, azimuth = geodesic_inverse(place.lon, place.lat, lon, lat)
    distance_km = distance_m / 1000.0
    if claim.reference_point == "edge":
        distance_km = np.maximum(distance_km - place.radius_km, 0.0)
    return distance_km, azimuth


def _signed_line_km(claim: models.Claim, line: PreparedLine, meta, lon, lat) -> np.ndarray:
    """Return distance to the line, positive on the side the claim states."""
    result = nearest_on_line(line, np.atleast_1d(lon), np.atleast_1d(lat))
    stated_side = 1 if claim.direction in (None, meta.side_left) else -1
    if claim.direction is None:
        return result.distance_m / 1000.0
    return result.distance_m / 1000.0 * np.where(result.side == stated_side, 1.0, -1.0)


def _observations(claims, indices, catalog: Catalog, lines: _Lines):
    """Return residual functions r(lon, lat) -> (n,) arrays and their sigmas, one per part."""
    functions, sigmas, labels = [], [], []
    for index in indices:
        claim = claims[index]
        a_priori = max(_a_priori_km(claim, catalog), 0.1)
        if claim.place is not None:
            place = catalog.places[claim.place]
            if claim.distance_km is not None:
                functions.append(
                    lambda lon, lat, c=claim, p=place: (
                        _place_measure(p, c, lon, lat)[0] - c.distance_km
                    )
                )
                sigmas.append(a_priori)
                labels.append((index, "distance"))
            if claim.direction is not None:
                centre = models.CompassDirection(claim.direction).azimuth_deg
                functions.append(
                    lambda lon, lat, c=claim, p=place, a=centre: _angle_difference(
                        _place_measure(p, c, lon, lat)[1], a
                    )
                )
                sigmas.append(_half_width_deg(claim))
                labels.append((index, "direction"))
        elif claim.boundary is not None and claim.distance_km is not None:
            meta = catalog.boundary_meta[claim.boundary]
            line = lines.get(claim.boundary)
            functions.append(
                lambda lon, lat, c=claim, li=line, m=meta: (
                    _signed_line_km(c, li, m, lon, lat) - c.distance_km
                )
            )
            sigmas.append(a_priori)
            labels.append((index, "distance"))
    return functions, np.array(sigmas, dtype=float), labels


def _angle_difference(azimuth, centre) -> np.ndarray:
    return (np.asarray(azimuth) - centre + 180.0) % 360.0 - 180.0


# --------------------------------------------------------------------------- solving


def _start_point(claims, indices, catalog: Catalog) -> tuple[float, float]:
    """Return a rough centre for the grid search: the mean of the claims' references."""
    lons, lats = [], []
    for index in indices:
        claim = claims[index]
        if claim.place is not None:
            lons.append(catalog.places[claim.place].lon)
            lats.append(catalog.places[claim.place].lat)
        elif claim.boundary is not None:
            x, y = catalog.boundaries.loc[claim.boundary].geometry.centroid.coords[0]
            lons.append(x)
            lats.append(y)
    return float(np.mean(lons)), float(np.mean(lats))


def _solve(functions, sigmas, centre: tuple[float, float], reach_km: float):
    """Gauss-Newton in an azimuthal-equidistant plane around ``centre``, from a grid search."""
    projection = Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={centre[1]} +lon_0={centre[0]} +ellps=WGS84 +units=km",
        always_xy=True,
    )

    def residuals(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        lon, lat = projection.transform(x, y, direction="INVERSE")
        return np.stack(
            [
                f(np.asarray(lon), np.asarray(lat)) / s
                for f, s in zip(functions, sigmas, strict=True)
            ],
            axis=-1,
        )

    grid = np.linspace(-reach_km, reach_km, 81)
    gx, gy = np.meshgrid(grid, grid)
    cost = (residuals(gx.ravel(), gy.ravel()) ** 2).sum(axis=1)
    start = int(np.argmin(cost))
    point = np.array([gx.ravel()[start], gy.ravel()[start]])
    step = 0.01  # km, for the numerical Jacobian
    for _ in range(30):
        r0 = residuals(point[:1], point[1:])[0]
        jac = np.stack(
            [
                (residuals(point[:1] + step, point[1:])[0] - r0) / step,
                (residuals(point[:1], point[1:] + step)[0] - r0) / step,
            ],
            axis=1,
        )
        delta, *_ = np.linalg.lstsq(jac, -r0, rcond=None)
        point = point + delta
        if np.hypot(*delta) < 1e-4:
            break
    r0 = residuals(point[:1], point[1:])[0]
    singular = np.linalg.svd(jac, compute_uv=False)
    if not np.all(np.isfinite(singular)) or singular[-1] <= 1e-6 * singular[0]:
        # The observations cannot fix a point (e.g. distances from one place only): their
        # gradients are parallel, up to finite-difference noise.
        return None
    covariance = np.linalg.inv(jac.T @ jac)
    dof = max(len(r0) - 2, 1)
    chi2 = float(r0 @ r0)
    covariance *= max(1.0, chi2 / dof)
    lon, lat = projection.transform(point[0], point[1], direction="INVERSE")
    return float(lon), float(lat), covariance, r0


def _ellipse(covariance: np.ndarray) -> tuple[float, float, float]:
    values, vectors = np.linalg.eigh(covariance)
    major = vectors[:, 1]
    orientation = math.degrees(math.atan2(major[0], major[1])) % 180.0  # from north, clockwise
    return float(math.sqrt(values[1])), float(math.sqrt(max(values[0], 0.0))), orientation


def solve_position(
    claims: list[models.Claim], indices: list[int], catalog: Catalog, lines: _Lines | None = None
) -> Solution | None:
    """Solve a position from the claims at ``indices``; None when they cannot fix a point."""
    usable = [
        i
        for i in indices
        if (claims[i].place in catalog.places) or (claims[i].boundary in catalog.boundary_meta)
    ]
    functions, sigmas, labels = _observations(claims, usable, catalog, lines or _Lines(catalog))
    if sum(kind == "distance" for _, kind in labels) < 1 or len(functions) < 2:
        return None
    reach = max([claims[i].distance_km or 0.0 for i in usable] + [50.0]) * 1.2
    solved = _solve(functions, sigmas, _start_point(claims, usable, catalog), reach)
    if solved is None:
        return None
    lon, lat, covariance, residuals = solved
    if not np.all(np.isfinite(covariance)):
        return None
    major, minor, orientation = _ellipse(covariance)
    sources = sorted({claims[i].source for i in usable})
    note = (
        f"solved by weighted least squares from {len(usable)} claims "
        f"({len(functions)} observations; sources: {', '.join(sources)}); "
        f"1-sigma ellipse {major:.1f} x {minor:.1f} km"
    )
    return Solution(
        lon,
        lat,
        major,
        minor,
        orientation,
        tuple(map(tuple, covariance.tolist())),
        tuple(residuals.tolist()),
        tuple(usable),
        note,
    )


def solve_locations(catalog: Catalog) -> dict[tuple[str, int], Solution | None]:
    """Solve every location marked ``solve_from_claims``; key (incident id, location index)."""
    lines = _Lines(catalog)
    solutions: dict[tuple[str, int], Solution | None] = {}
    for incident in catalog.incidents.values():
        for index, location in enumerate(incident.locations):
            if not location.solve_from_claims:
                continue
            mine = [i for i, c in enumerate(incident.claims) if c.location == location.role]
            solutions[(incident.id, index)] = solve_position(incident.claims, mine, catalog, lines)
    return solutions


# --------------------------------------------------------------------------- checking


def _format_km(value: float) -> str:
    return f"{value:.1f} km"


def _sigma_along(covariance, azimuth_deg: float) -> float:
    """Return the standard deviation (km) of a position along a bearing."""
    direction = np.array([math.sin(math.radians(azimuth_deg)), math.cos(math.radians(azimuth_deg))])
    return float(math.sqrt(max(direction @ np.asarray(covariance) @ direction, 0.0)))


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
        return 2 * _sigma_along(self.covariance, azimuth_deg)

    def combine(self, a_priori_km: float, spread_km: float) -> float:
        """Return the tolerance: in quadrature for solved positions, else a plain sum."""
        if self.covariance is None:
            return a_priori_km + spread_km
        return math.hypot(a_priori_km, spread_km)


def _row(base: dict, position: _Position | None, **fields) -> Check:
    basis = position.basis if position is not None else fields.pop("basis")
    return Check(**base, basis=basis, **fields)


def _distance_row(
    base: dict, claim: models.Claim, computed_km: float, tolerance: float, position: _Position
) -> Check:
    difference = computed_km - claim.distance_km
    return _row(
        base,
        position,
        kind="distance",
        stated=f"{claim.distance_km:g} km",
        computed=_format_km(computed_km),
        difference=round(difference, 2),
        tolerance=round(tolerance, 2),
        unit="km",
        verdict=AGREES if abs(difference) <= tolerance else DISAGREES,
    )


def _place_checks(
    base: dict, claim: models.Claim, position: _Position, catalog: Catalog
) -> list[Check]:
    place = catalog.places[claim.place]
    distance_km, azimuth = (
        float(v) for v in _place_measure(place, claim, position.lon, position.lat)
    )
    rows = []
    if claim.distance_km is not None:
        tolerance = position.combine(_a_priori_km(claim, catalog), position.spread_km(azimuth))
        rows.append(_distance_row(base, claim, distance_km, tolerance, position))
    if claim.direction is not None:
        centre = models.CompassDirection(claim.direction).azimuth_deg
        difference = float(_angle_difference(azimuth, centre))
        lateral = position.spread_km(azimuth + 90) + (
            place.radius_km if claim.reference_point is None else 0.0
        )
        tolerance = _half_width_deg(claim) + math.degrees(
            math.atan2(lateral, max(distance_km, 1e-6))
        )
        rows.append(
            _row(
                base,
                position,
                kind="direction",
                stated=claim.direction,
                computed=f"{azimuth:.0f}° ({_compass(azimuth)})",
                difference=round(difference, 1),
                tolerance=round(tolerance, 1),
                unit="deg",
                verdict=AGREES if abs(difference) <= tolerance else DISAGREES,
            )
        )
    return rows


def _line_checks(
    base: dict, claim: models.Claim, position: _Position, catalog: Catalog, lines: _Lines
) -> list[Check]:
    meta = catalog.boundary_meta[claim.boundary]
    result = nearest_on_line(lines.get(claim.boundary), [position.lon], [position.lat])
    distance_km = float(result.distance_m[0] / 1000.0)
    side = meta.side_left if result.side[0] > 0 else meta.side_right
    _, toward = geodesic_inverse(result.foot_lon[0], result.foot_lat[0], position.lon, position.lat)
    spread = position.spread_km(float(np.ravel(toward)[0]))
    rows = []
    if claim.distance_km is not None:
        tolerance = position.combine(_a_priori_km(claim, catalog), spread)
        rows.append(_distance_row(base, claim, distance_km, tolerance, position))
    if claim.direction is not None:
        if side == claim.direction:
            verdict = AGREES
        else:  # the other side: wrong, unless the uncertainty reaches across the line
            verdict = UNVERIFIABLE if distance_km <= spread else DISAGREES
        rows.append(
            _row(
                base,
                position,
                kind="direction",
                stated=claim.direction,
                computed=side,
                difference=None,
                tolerance=round(spread, 2),
                unit="side",
                verdict=verdict,
            )
        )
    return rows


def _check_claim(
    incident: models.Incident,
    index: int,
    position: _Position | None,
    catalog: Catalog,
    lines: _Lines,
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
        rows = []
        if claim.distance_km is not None:
            rows.append(
                _row(
                    base,
                    None,
                    kind="distance",
                    stated=f"{claim.distance_km:g} km",
                    computed="",
                    difference=None,
                    tolerance=None,
                    unit="km",
                    verdict=UNVERIFIABLE,
                    basis=why,
                )
            )
        if claim.direction is not None:
            rows.append(
                _row(
                    base,
                    None,
                    kind="direction",
                    stated=claim.direction,
                    computed="",
                    difference=None,
                    tolerance=None,
                    unit="deg",
                    verdict=UNVERIFIABLE,
                    basis=why,
                )
            )
        return rows
    if claim.place is not None:
        return _place_checks(base, claim, position, catalog)
    return _line_checks(base, claim, position, catalog, lines)


def position_missing(claim: models.Claim) -> str:
    """Return why a claim cannot be checked for want of a position."""
    return (
        f"fewer than two other claims about the {claim.location.value} remain to solve a "
        "position without this one (leave-one-out)"
    )


def _compass(azimuth: float) -> str:
    from geo.geodesy import compass_16

    return str(compass_16(azimuth))


def check_claims(catalog: Catalog) -> list[Check]:
    """Return one row per check of every claim of every valid incident."""
    lines = _Lines(catalog)
    rows: list[Check] = []
    for incident in catalog.incidents.values():
        for index in range(len(incident.claims)):
            rows.extend(
                _check_claim(
                    incident, index, _position_for(incident, index, catalog, lines), catalog, lines
                )
            )
    return rows


def _position_for(
    incident: models.Incident, index: int, catalog: Catalog, lines: _Lines
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
        if solution is None:
            return None
        basis = f"leave-one-out position from claims {list(solution.claims_used)}"
        return _Position(
            solution.lon,
            solution.lat,
            solution.sigma_major_km,
            np.asarray(solution.covariance_km2),
            basis,
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


def claim_geometries(incident: models.Incident, catalog: Catalog) -> list[dict]:
    """Return what the incident's claims describe, as drawable lon/lat paths and points.

    Each item is ``{"kind", "label", "path"}`` (a list of [lon, lat]) or ``{"kind": "point",
    "label", "position"}``: distance circles around places, stated bearings from them, lines
    offset from a boundary by the stated distance, and solved positions with their 1-sigma
    ellipses. Geodesic throughout.
    """
    from geo.geodesy import geodesic_circles

    lines = _Lines(catalog)
    items: list[dict] = []
    for claim in incident.claims:
        if claim.place in catalog.places and claim.distance_km is not None:
            place = catalog.places[claim.place]
            ring = geodesic_circles(place.lon, place.lat, claim.distance_km, n_vertices=120)[0]
            items.append({"kind": "circle", "label": claim.text, "path": ring.tolist()})
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
                    {
                        "kind": "bearing",
                        "label": claim.text,
                        "path": np.column_stack([lon, lat]).tolist(),
                    }
                )
        elif claim.boundary in catalog.boundary_meta and claim.distance_km is not None:
            path = _offset_line(claim, catalog, lines.get(claim.boundary))
            items.append({"kind": "offset", "label": claim.text, "path": path.tolist()})
    for index, location in enumerate(incident.locations):
        solution = catalog.solutions.get((incident.id, index))
        if solution is None:
            continue
        items.append(
            {"kind": "ellipse", "label": solution.note, "path": _ellipse_ring(solution).tolist()}
        )
        items.append(
            {
                "kind": "point",
                "label": f"solved {location.role.value}",
                "position": [solution.lon, solution.lat],
            }
        )
    return items
