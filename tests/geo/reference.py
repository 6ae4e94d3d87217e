"""An independent reference for distances to lines: GeographicLib (pyproj.Geod) by brute force.

Nothing here uses geo/: the path is densified with its own formulas (Geod.npts for geodesics, the
closed-form isometric latitude for rhumb lines), every sample is measured with Geod.inv, and the
minimum is refined by resampling around it until the spacing is centimetres.
"""

from __future__ import annotations

import itertools

import numpy as np
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
E = np.sqrt(GEOD.es)


def _isometric(lat_deg: np.ndarray) -> np.ndarray:
    s = np.sin(np.radians(lat_deg))
    return np.arctanh(s) - E * np.arctanh(E * s)


def _from_isometric(psi: np.ndarray) -> np.ndarray:
    lat = np.arcsin(np.tanh(psi))
    for _ in range(12):
        lat = np.arcsin(np.tanh(psi + E * np.arctanh(E * np.sin(lat))))
    return np.degrees(lat)


def points_along(lon1, lat1, lon2, lat2, t: np.ndarray, interpolation: str) -> np.ndarray:
    """Return (lon, lat) rows at fractions ``t`` of the way from vertex 1 to vertex 2."""
    t = np.asarray(t, dtype=float)
    if interpolation == "rhumb":
        dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
        lon = lon1 + t * dlon
        if lat1 == lat2:
            lat = np.full_like(t, lat1)
        else:
            psi1, psi2 = _isometric(np.array(lat1)), _isometric(np.array(lat2))
            lat = _from_isometric(psi1 + t * (psi2 - psi1))
        return np.column_stack([(lon + 180.0) % 360.0 - 180.0, lat])
    azimuth, _, length = GEOD.inv(lon1, lat1, lon2, lat2)
    ones = np.ones(t.size)
    lon, lat, _ = GEOD.fwd(lon1 * ones, lat1 * ones, azimuth * ones, t * length)
    return np.column_stack([lon, lat])


def _distances(lon: float, lat: float, points: np.ndarray) -> np.ndarray:
    ones = np.ones(len(points))
    _, _, d = GEOD.inv(lon * ones, lat * ones, points[:, 0], points[:, 1])
    return np.asarray(d)


def reference_distance_m(
    lon: float, lat: float, vertices, interpolation: str = "geodesic"
) -> float:
    """Return the geodesic distance (m) from (lon, lat) to the path through ``vertices``."""
    vertices = np.asarray(vertices, dtype=float)
    best = np.inf
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(vertices):
        _, _, length = GEOD.inv(lon1, lat1, lon2, lat2)
        n = int(max(8, length / 2000.0))  # a sample every ~2 km
        t = np.linspace(0.0, 1.0, n + 1)
        d = _distances(lon, lat, points_along(lon1, lat1, lon2, lat2, t, interpolation))
        i = int(np.argmin(d))
        lo, hi = t[max(i - 1, 0)], t[min(i + 1, n)]
        for _ in range(4):  # zoom in around the minimum: the spacing shrinks 50x per round
            fine_t = np.linspace(lo, hi, 101)
            fine = _distances(lon, lat, points_along(lon1, lat1, lon2, lat2, fine_t, interpolation))
            j = int(np.argmin(fine))
            step = (hi - lo) / 100
            lo, hi = max(fine_t[j] - step, 0.0), min(fine_t[j] + step, 1.0)
            best = min(best, float(fine[j]))
    return best
