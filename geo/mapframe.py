"""The frame of a map image: a transverse Mercator centred on the view, its scale and north.

Transverse Mercator is conformal (angles and small shapes are kept, so geodesic circles stay
round) and, centred on the view, its scale factor is within 0.1 % of 1 for some 300 km either
side of the central meridian. The scale bar and north arrow are computed from the projection at
the place they are drawn, not assumed: off the central meridian grid north is not true north.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike
from pyproj import CRS, Proj, Transformer

from geo.geodesy import geodesic_inverse

__all__ = ["FrameError", "MapFrame", "frame_bounds", "nice_length", "parse_bbox"]

NM_KM = 1.852
MIN_SPAN_KM = 20.0  # a single point still gets a readable neighbourhood


class FrameError(ValueError):
    """A map extent that cannot be drawn (bad bbox, nothing to frame)."""


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Return ``(west, south, east, north)`` degrees from ``"W,S,E,N"``; raise FrameError."""
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 4:
        raise FrameError(f"--bbox needs four numbers W,S,E,N, got {text!r}")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise FrameError(f"--bbox needs four numbers W,S,E,N, got {text!r}") from exc
    values = np.array([west, south, east, north])
    if not np.isfinite(values).all():
        raise FrameError(f"--bbox values must be finite, got {text!r}")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise FrameError(f"--bbox longitudes must be in [-180, 180], got {west} and {east}")
    if not (-85 <= south < north <= 85):
        raise FrameError(
            f"--bbox needs -85 <= south < north <= 85, got south={south} north={north}"
        )
    if west == east:
        raise FrameError(f"--bbox west and east are equal ({west}): the box has no width")
    return west, south, east, north


def frame_bounds(
    lon: ArrayLike, lat: ArrayLike, *, pad_km: float = 40.0
) -> tuple[float, float, float, float]:
    """Return a box (W, S, E, N degrees) around points, padded, ignoring a few far outliers.

    Outliers are under 10 % of the points and over 2,500 km from the median point (one incident
    in Brazil among a hundred in Korea); the box may cross the antimeridian (then E < W + 360 is
    expressed with E > 180).
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    good = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[good], lat[good]
    if lon.size == 0:
        raise FrameError("nothing to frame: no located incident is shown (give --bbox)")
    distance_m, _ = geodesic_inverse(np.median(lon), np.median(lat), lon, lat)
    far = distance_m > 2_500_000
    if 0 < far.sum() < 0.1 * lon.size:
        lon, lat = lon[~far], lat[~far]
    centre = np.median(lon)
    lon = centre + (lon - centre + 180.0) % 360.0 - 180.0  # continuous across ±180
    pad_deg = pad_km / 111.0
    south, north = max(lat.min() - pad_deg, -84.0), min(lat.max() + pad_deg, 84.0)
    lon_pad = pad_deg / max(math.cos(math.radians((south + north) / 2)), 0.1)
    return float(lon.min() - lon_pad), float(south), float(lon.max() + lon_pad), float(north)


def nice_length(limit: float) -> float:
    """Return the largest 1, 2 or 5 × 10^k not above ``limit`` (> 0)."""
    exponent = math.floor(math.log10(limit))
    for mantissa in (5, 2, 1):
        value = mantissa * 10.0**exponent
        if value <= limit:
            return value
    return 10.0**exponent


@dataclass(frozen=True)
class MapFrame:
    """A transverse Mercator centred on a box, and the box's extent in it (metres).

    ``x_min .. x_max`` and ``y_min .. y_max`` cover the box, widened to ``aspect`` (height /
    width) so that nothing asked for is cut.
    """

    lon_0: float
    lat_0: float
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    @classmethod
    def around(
        cls, bounds: tuple[float, float, float, float], *, aspect_range=(0.6, 1.25)
    ) -> MapFrame:
        """Return the frame of ``bounds`` (W, S, E, N degrees; E may exceed 180)."""
        west, south, east, north = bounds
        if east < west:
            east += 360.0
        lon_0, lat_0 = (west + east) / 2, (south + north) / 2
        lon_0 = (lon_0 + 180.0) % 360.0 - 180.0
        edge = np.linspace(0, 1, 60)
        ring_lon = np.r_[
            west + (east - west) * edge,
            np.full(60, east),
            east - (east - west) * edge,
            np.full(60, west),
        ]
        ring_lat = np.r_[
            np.full(60, south),
            south + (north - south) * edge,
            np.full(60, north),
            north - (north - south) * edge,
        ]
        x, y = _forward(lon_0, lat_0, ring_lon, ring_lat)
        x_min, x_max, y_min, y_max = x.min(), x.max(), y.min(), y.max()
        half = MIN_SPAN_KM * 500.0
        cx, cy = (x_min + x_max) / 2, (y_min + y_max) / 2
        width, height = max(x_max - x_min, 2 * half), max(y_max - y_min, 2 * half)
        low, high = aspect_range
        width, height = max(width, height / high), max(height, width * low)
        return cls(lon_0, lat_0, cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)

    @cached_property
    def crs(self) -> CRS:
        """Return the frame's projected CRS (metres)."""
        return CRS.from_proj4(_proj4(self.lon_0, self.lat_0))

    @property
    def aspect(self) -> float:
        """Return height / width of the frame."""
        return (self.y_max - self.y_min) / (self.x_max - self.x_min)

    @cached_property
    def _transformers(self) -> tuple[Transformer, Transformer]:
        # building a transformer costs ~60 ms here: once per frame, not once per call
        forward = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        return forward, Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    def forward(self, lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Return projected x, y (metres) of lon/lat degrees."""
        x, y = self._transformers[0].transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x), np.asarray(y)

    def inverse(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Return lon/lat degrees of projected x, y (metres)."""
        lon, lat = self._transformers[1].transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon), np.asarray(lat)

    def scale_factor(self, x: float, y: float) -> float:
        """Return the projection's point scale at projected (x, y): map metres per ground metre."""
        lon, lat = self.inverse(x, y)
        factors = Proj(self.crs).get_factors(float(lon), float(lat))
        return float(factors.meridional_scale)

    def scale_bar(self, x: float, y: float, *, max_fraction: float = 0.22) -> dict:
        """Return km and nm bars starting at projected (x, y), each at most a share of the width.

        Returns ``{"km": (length_km, length_map_m), "nm": (length_nm, length_map_m)}``: the
        map length is the ground length times the projection's scale factor at the bar's
        middle (refined twice), so the bar is right where it stands, whatever the latitude.
        """
        limit_m = max_fraction * (self.x_max - self.x_min) / self.scale_factor(x, y)
        bars = {}
        for unit, metres in (("km", 1000.0), ("nm", NM_KM * 1000.0)):
            value = nice_length(limit_m / metres)
            length = value * metres * self.scale_factor(x, y)
            for _ in range(2):
                length = value * metres * self.scale_factor(x + length / 2, y)
            bars[unit] = (value, length)
        return bars

    def north_angle_deg(self, x: float, y: float) -> float:
        """Return the direction of true north at projected (x, y), degrees clockwise from up."""
        lon, lat = self.inverse(x, y)
        x1, y1 = self.forward(lon, np.minimum(lat + 0.01, 89.99))
        return float(np.degrees(np.arctan2(x1 - x, y1 - y)))


def _proj4(lon_0: float, lat_0: float) -> str:
    return f"+proj=tmerc +lon_0={lon_0:.6f} +lat_0={lat_0:.6f} +k=1 +ellps=WGS84 +units=m +no_defs"


def _forward(lon_0: float, lat_0: float, lon: ArrayLike, lat: ArrayLike):
    transformer = Transformer.from_crs("EPSG:4326", _proj4(lon_0, lat_0), always_xy=True)
    x, y = transformer.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)
