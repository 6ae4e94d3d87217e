"""Solve a position from what sources state about it, by weighted least squares.

Each claim gives up to two observations: a distance to a place or a line (signed by side for
lines), and an azimuth from a place. Every residual is computed on the WGS84 ellipsoid; the
unknowns are the east/north coordinates (km) of a local azimuthal-equidistant plane around the
claims' references. Each observation's standard deviation is its a-priori tolerance
(:mod:`geo.claim_tolerance`).

A coarse grid search finds the start, so that where two distance circles meet twice the
directions choose the point; ``scipy.optimize.least_squares`` (trust-region reflective) refines
it and reports whether it converged. The covariance is ``(JᵀJ)⁻¹`` scaled by the reduced
chi-square when that exceeds 1; the 1-sigma ellipse is reported.

A set of claims that cannot fix one point is reported, never solved: fewer than two
observations or no distance; claims that constrain one direction only (two outlets repeating
one distance from one place: a singular normal matrix); or two well-separated points that fit
about equally well (distances from collinear references, with no direction to choose).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pyproj import Transformer
from scipy.optimize import least_squares

from geo import models
from geo.catalog import Catalog
from geo.claim_tolerance import a_priori_km, angle_difference, half_width_deg
from geo.geodesy import geodesic_inverse
from geo.lines import PreparedLines
from geo.nearest import PreparedLine, nearest_on_line

__all__ = ["Solution", "Unsolved", "place_measure", "solve_position"]

_GRID = 81  # grid search: points per axis
_CONDITION_LIMIT = 1e8  # a normal matrix worse conditioned than this fixes no point
_AMBIGUITY_CHI2 = 1.0  # a second minimum this close in chi-square is as good as the first


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


@dataclass(frozen=True)
class Unsolved:
    """Why a set of claims fixes no position (a sentence for a validation warning)."""

    reason: str
    claims_used: tuple[int, ...]

    def __bool__(self) -> bool:
        """Return False: an unsolved position is no position."""
        return False


Residual = Callable[[np.ndarray, np.ndarray], np.ndarray]


def place_measure(place: models.Place, claim: models.Claim, lon, lat):
    """Return distance (km, to centre or edge as the claim says) and azimuth (deg) from a place."""
    distance_m, azimuth = geodesic_inverse(place.lon, place.lat, lon, lat)
    distance_km = distance_m / 1000.0
    if claim.reference_point == "edge":
        distance_km = np.maximum(distance_km - place.radius_km, 0.0)
    return distance_km, azimuth


def signed_line_km(claim: models.Claim, line: PreparedLine, meta, lon, lat) -> np.ndarray:
    """Return the distance to a line (km), positive on the side the claim states."""
    result = nearest_on_line(line, np.atleast_1d(lon), np.atleast_1d(lat))
    if claim.direction is None:
        return result.distance_m / 1000.0
    stated_side = 1 if claim.direction == meta.side_left else -1
    return result.distance_m / 1000.0 * np.where(result.side == stated_side, 1.0, -1.0)


def _observations(
    claims: list[models.Claim], indices: list[int], catalog: Catalog, lines: PreparedLines
) -> tuple[list[Residual], np.ndarray, list[tuple[int, str]]]:
    """Return residual functions r(lon, lat) -> array, their sigmas, and (claim, kind) labels."""
    functions: list[Residual] = []
    sigmas: list[float] = []
    labels: list[tuple[int, str]] = []
    for index in indices:
        claim = claims[index]
        a_priori = max(a_priori_km(claim, catalog), 0.1)
        if claim.place is not None:
            place = catalog.places[claim.place]
            if claim.distance_km is not None:
                functions.append(
                    lambda lon, lat, c=claim, p=place: (
                        place_measure(p, c, lon, lat)[0] - c.distance_km
                    )
                )
                sigmas.append(a_priori)
                labels.append((index, "distance"))
            if claim.direction is not None:
                centre = models.CompassDirection(claim.direction).azimuth_deg
                functions.append(
                    lambda lon, lat, c=claim, p=place, a=centre: angle_difference(
                        place_measure(p, c, lon, lat)[1], a
                    )
                )
                sigmas.append(half_width_deg(claim))
                labels.append((index, "direction"))
        elif claim.boundary is not None and claim.distance_km is not None:
            meta = catalog.boundary_meta[claim.boundary]
            line = lines.get(claim.boundary)
            functions.append(
                lambda lon, lat, c=claim, li=line, m=meta: (
                    signed_line_km(c, li, m, lon, lat) - c.distance_km
                )
            )
            sigmas.append(a_priori)
            labels.append((index, "distance"))
    return functions, np.array(sigmas, dtype=float), labels


def _start_point(claims, indices, catalog: Catalog) -> tuple[float, float]:
    """Return a rough centre for the grid search (lon, lat): the mean of the references."""
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


class _Plane:
    """Whitened residuals as a function of east/north km in an azimuthal-equidistant plane."""

    def __init__(self, functions: list[Residual], sigmas: np.ndarray, centre: tuple[float, float]):
        self.functions, self.sigmas = functions, sigmas
        self.projection = Transformer.from_crs(
            "EPSG:4326",
            f"+proj=aeqd +lat_0={centre[1]} +lon_0={centre[0]} +ellps=WGS84 +units=km",
            always_xy=True,
        )

    def lonlat(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = self.projection.transform(x, y, direction="INVERSE")
        return np.asarray(lon), np.asarray(lat)

    def residuals_many(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        lon, lat = self.lonlat(x, y)
        columns = [f(lon, lat) / s for f, s in zip(self.functions, self.sigmas, strict=True)]
        return np.stack([np.broadcast_to(c, lon.shape) for c in columns], axis=-1)

    def residuals(self, point: np.ndarray) -> np.ndarray:
        return self.residuals_many(point[:1], point[1:])[0]


def _local_minima(cost: np.ndarray) -> np.ndarray:
    """Return the flat indices of a square grid's local minima (8-neighbourhood)."""
    padded = np.pad(cost, 1, constant_values=np.inf)
    centre = padded[1:-1, 1:-1]
    lower = np.ones_like(centre, dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dx or dy:
                neighbour = padded[
                    1 + dy : padded.shape[0] - 1 + dy, 1 + dx : padded.shape[1] - 1 + dx
                ]
                lower &= centre <= neighbour
    return np.flatnonzero(lower)


def _fit(plane: _Plane, start: np.ndarray):
    return least_squares(plane.residuals, start, method="trf", x_scale="jac", xtol=1e-10)


def _ellipse(covariance: np.ndarray) -> tuple[float, float, float]:
    values, vectors = np.linalg.eigh(covariance)
    major = vectors[:, 1]
    orientation = math.degrees(math.atan2(major[0], major[1])) % 180.0  # from north, clockwise
    return float(math.sqrt(values[1])), float(math.sqrt(max(values[0], 0.0))), orientation


def _solve(plane: _Plane, reach_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray] | str:
    """Return (point km, covariance km², whitened residuals), or why there is none."""
    grid = np.linspace(-reach_km, reach_km, _GRID)
    gx, gy = np.meshgrid(grid, grid)
    cost = (plane.residuals_many(gx.ravel(), gy.ravel()) ** 2).sum(axis=1)
    if not np.isfinite(cost).any():
        return "the claims give no finite residual anywhere near their references"
    minima = sorted(
        _local_minima(np.where(np.isfinite(cost), cost, np.inf).reshape(gx.shape)),
        key=lambda i: cost[i],
    )
    fits = []
    for index in minima[:4]:
        result = _fit(plane, np.array([gx.ravel()[index], gy.ravel()[index]]))
        if result.success and np.all(np.isfinite(result.x)):
            fits.append(result)
    if not fits:
        return "the least-squares solver did not converge"
    fits.sort(key=lambda r: 2 * r.cost)
    best = fits[0]
    singular = np.linalg.svd(best.jac, compute_uv=False)
    if singular.size < 2 or singular[-1] <= singular[0] / math.sqrt(_CONDITION_LIMIT):
        return (
            "the claims constrain the position in one direction only (e.g. one distance from "
            "one place, repeated): add a direction or a claim about another reference"
        )
    covariance = np.linalg.inv(best.jac.T @ best.jac)
    chi2 = float(best.fun @ best.fun)
    covariance *= max(1.0, chi2 / max(len(best.fun) - 2, 1))
    sigma_major = math.sqrt(max(np.linalg.eigvalsh(covariance)))
    for other in fits[1:]:
        apart_km = float(np.hypot(*(other.x - best.x)))
        if apart_km > 3 * sigma_major + 1.0 and 2 * (other.cost - best.cost) < _AMBIGUITY_CHI2:
            return (
                f"two positions {apart_km:.0f} km apart fit the claims equally well (e.g. "
                "distances from references in a line, with no direction to choose): add a "
                "direction or a claim about another reference"
            )
    return best.x, covariance, best.fun


def solve_position(
    claims: list[models.Claim],
    indices: list[int],
    catalog: Catalog,
    lines: PreparedLines | None = None,
) -> Solution | Unsolved:
    """Solve a position from the claims at ``indices``.

    Parameters
    ----------
    claims : list of Claim
        An incident's claims; references are looked up in ``catalog`` (places: WGS84 degrees;
        boundaries: EPSG:4326 lines).
    indices : list of int
        Which claims to use (e.g. all about one location, or all but one: leave-one-out).

    Returns
    -------
    Solution or Unsolved
        The WGS84 lon/lat (degrees) with its 1-sigma ellipse (km), or why no point is fixed.
        An ``Unsolved`` is falsy.

    Example
    -------
    >>> from geo import load_catalog
    >>> catalog = load_catalog("tests/data/blacksea")
    >>> incident = catalog.incidents["2024-05-01-fixture-drone"]
    >>> solution = solve_position(incident.claims, [0, 1], catalog)
    >>> bool(solution)
    True
    """
    usable = tuple(
        i
        for i in indices
        if (claims[i].place in catalog.places) or (claims[i].boundary in catalog.boundary_meta)
    )
    lines = lines or PreparedLines(catalog)
    functions, sigmas, labels = _observations(claims, list(usable), catalog, lines)
    if sum(kind == "distance" for _, kind in labels) < 1 or len(functions) < 2:
        return Unsolved(
            "the claims about this location cannot fix a position (needs a distance and at "
            "least two observations)",
            usable,
        )
    reach = max([claims[i].distance_km or 0.0 for i in usable] + [50.0]) * 1.2
    plane = _Plane(functions, sigmas, _start_point(claims, usable, catalog))
    solved = _solve(plane, reach)
    if isinstance(solved, str):
        return Unsolved(solved, usable)
    point, covariance, residuals = solved
    lon, lat = plane.lonlat(point[0], point[1])
    major, minor, orientation = _ellipse(covariance)
    sources = sorted({claims[i].source for i in usable})
    note = (
        f"solved by weighted least squares from {len(usable)} claims "
        f"({len(functions)} observations; sources: {', '.join(sources)}); "
        f"1-sigma ellipse {major:.1f} x {minor:.1f} km"
    )
    return Solution(
        float(lon),
        float(lat),
        major,
        minor,
        orientation,
        tuple(map(tuple, covariance.tolist())),
        tuple(residuals.tolist()),
        usable,
        note,
    )
