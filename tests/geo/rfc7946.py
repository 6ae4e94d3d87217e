"""An RFC 7946 checker for the GeoJSON the project writes (independent of the writers)."""

from __future__ import annotations

import itertools
import math
import re

MAX_DECIMALS = 7
_GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, exponent = re.split("[eE]", text)
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(digits - int(exponent), 0)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _position(position, where: str) -> list[str]:
    problems = []
    if not isinstance(position, list) or len(position) not in (2, 3):
        return [f"{where}: a position is 2 or 3 numbers, got {position!r}"]
    lon, lat = position[0], position[1]
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in position):
        return [f"{where}: positions are finite numbers, got {position!r}"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problems.append(f"{where}: lon/lat out of range: {position!r}")
    if max(_decimals(lon), _decimals(lat)) > MAX_DECIMALS:
        problems.append(f"{where}: more than {MAX_DECIMALS} decimals: {position!r}")
    return problems


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def _line(positions, where: str) -> list[str]:
    problems = [p for i, pos in enumerate(positions) for p in _position(pos, f"{where}[{i}]")]
    if len(positions) < 2:
        problems.append(f"{where}: a line needs 2 positions")
    for a, b in itertools.pairwise(positions):
        at_pole = abs(a[1]) == 90 and a[1] == b[1]  # along a pole: one point, not a jump
        if abs(a[0] - b[0]) > 180 and not at_pole:
            problems.append(f"{where}: a segment jumps across the antimeridian; split it (§3.1.9)")
            break
    return problems


def _polygon(rings, where: str) -> list[str]:
    problems = []
    for index, ring in enumerate(rings):
        here = f"{where}[{index}]"
        problems += _line(ring, here)
        if len(ring) < 4 or ring[0] != ring[-1]:
            problems.append(f"{here}: a linear ring is closed and has at least 4 positions")
            continue
        area = _signed_area(ring)
        if index == 0 and area < 0:
            problems.append(f"{here}: an exterior ring must be counter-clockwise (§3.1.6)")
        if index > 0 and area > 0:
            problems.append(f"{here}: a hole must be clockwise (§3.1.6)")
    return problems


def geometry_problems(geometry, where: str = "geometry") -> list[str]:
    """Return what in one geometry object breaks RFC 7946."""
    if geometry is None:
        return []
    kind = geometry.get("type")
    if kind not in _GEOMETRY_TYPES:
        return [f"{where}: unknown geometry type {kind!r}"]
    if kind == "GeometryCollection":
        return [
            p
            for i, g in enumerate(geometry.get("geometries", []))
            for p in geometry_problems(g, f"{where}.geometries[{i}]")
        ]
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        return _position(coordinates, where)
    if kind in {"MultiPoint"}:
        return [p for i, c in enumerate(coordinates) for p in _position(c, f"{where}[{i}]")]
    if kind == "LineString":
        return _line(coordinates, where)
    if kind == "MultiLineString":
        return [p for i, c in enumerate(coordinates) for p in _line(c, f"{where}[{i}]")]
    if kind == "Polygon":
        return _polygon(coordinates, where)
    return [p for i, c in enumerate(coordinates) for p in _polygon(c, f"{where}[{i}]")]


def rfc7946_problems(document: dict) -> list[str]:
    """Return every way ``document`` breaks RFC 7946 (empty: it follows it)."""
    problems = []
    if "crs" in document:
        problems.append("a `crs` member is not allowed (§4)")
    if document.get("type") != "FeatureCollection":
        return [*problems, f"expected a FeatureCollection, got {document.get('type')!r}"]
    for index, feature in enumerate(document.get("features", [])):
        where = f"features[{index}]"
        if feature.get("type") != "Feature":
            problems.append(f"{where}: type must be Feature")
        if "crs" in feature:
            problems.append(f"{where}: a `crs` member is not allowed")
        if not isinstance(feature.get("properties"), dict | None):
            problems.append(f"{where}: properties must be an object or null")
        if "geometry" not in feature:
            problems.append(f"{where}: a feature has a geometry member (null allowed)")
        problems += geometry_problems(feature.get("geometry"), f"{where}.geometry")
    return problems
