"""Nearest point on a polyline, for millions of points: distance on the ellipsoid and side.

Method
------
1. The line is densified along its declared path (:func:`geo.geodesy.densify_path`) into short
   segments (≤ 5 km), each then treated as a great-circle arc on the conformal sphere that the
   lon/lat coordinates map onto one-to-one (:func:`geo.geodesy.unit_vectors`).
2. A tree of bounding spheres over runs of consecutive segments (8 per leaf, 8 children per node,
   built once per line) is walked nearest-first by a compiled kernel
   (:mod:`geo.nearest_kernel`); the nearest point on each arc it reaches is found in closed form.
3. Candidates are ranked by their ellipsoidal distance, computed on the conformal sphere with the
   scale factor integrated along the arc (Simpson's rule: within 1e-8 of GeographicLib up to
   1,000 km). A node is skipped only when its sphere is farther, at the smallest scale factor
   anywhere on the ellipsoid, than the best distance found: no segment that could be nearer on
   the ellipsoid is ever left out, so near-ties between distant parts are settled on the
   ellipsoid by construction.
4. The distance reported is that Simpson distance; beyond 1,000 km it is recomputed with
   GeographicLib (pyproj.Geod) from the point to the foot. Choosing the foot on the sphere and
   measuring on the ellipsoid errs by a second-order amount: well under a millimetre at 100 km,
   under a metre at 1,000 km (tests check this against an independent GeographicLib reference).
5. The side is the sign of the point against the plane of the nearest arc; at a vertex, against
   the mean of the two arcs' normals (the "pseudo-normal"), which is exact for points whose
   nearest feature is that vertex. Beyond an end of the line, the line continues along the
   declared path of its end segment (a great circle for geodesic lines, a constant bearing for
   rhumb lines): points there get the side of that extension.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo.geodesy import (
    DEFAULT_MAX_SEGMENT_KM,
    MERCATOR,
    densify_path,
    geodesic_inverse,
    unit_vectors,
)

try:
    from geo.nearest_kernel import FAR_RADIANS, nearest_kernel
except ImportError as error:  # a checkout where `make` has not compiled geo/nearest_kernel.pyx
    raise ImportError(
        "Seamark's compiled kernel (geo/nearest_kernel.pyx) is not built: run `make kernel`"
        " (or `python setup.py build_ext --inplace`) in the repository root"
    ) from error

__all__ = ["NearestResult", "PreparedLine", "nearest_on_line", "prepare_line"]

_CHUNK = 65_536  # points per kernel call: bounds the memory of the outputs' temporaries
_M_PER_DEGREE = 6378137.0 * np.pi / 180.0  # Mercator x per degree of longitude (WGS84 a)
_LEAF = 8  # at most this many segments per leaf of the sphere tree


@dataclass(frozen=True)
class SphereTree:
    """A binary tree of bounding spheres over the segments, on the conformal unit sphere.

    Built top-down by median splits of the segments' midpoints along each node's widest axis, so
    that every node is compact even for a coastline of thousands of islands. A node covers the
    segments ``order[start .. start + count]`` when it is a leaf; otherwise its two children are
    the nodes ``start`` and ``start + 1`` (``count`` is 2). Each sphere holds every point of its
    arcs.
    """

    order: NDArray[np.int64]
    centre: NDArray[np.float64]
    radius: NDArray[np.float64]
    start: NDArray[np.int64]
    count: NDArray[np.int64]
    leaf: NDArray[np.bool_]
    roots: NDArray[np.int64]


@dataclass(frozen=True)
class PreparedLine:
    """A densified polyline (one or more parts) ready for nearest-point queries.

    Coordinates are WGS84 degrees; ``vectors`` are the unit vectors of the vertices.
    """

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    vectors: NDArray[np.float64]
    seg_a: NDArray[np.int64]  # vertex index of each segment's start
    seg_b: NDArray[np.int64]
    seg_normal: NDArray[np.float64]  # unit normal a × b: positive side is the walker's left
    vertex_segments: NDArray[np.intp]  # (V, 2): segment before / after each vertex, -1 if none
    vertex_normal: NDArray[np.float64]  # pseudo-normal of each vertex
    tree: SphereTree
    max_chord: float
    vertex_part: NDArray[np.intp]  # per vertex: index of its part in the input list
    rhumb: bool  # beyond its ends, the line continues as a rhumb line (else a great circle)
    is_end: NDArray[np.bool_]  # per vertex: first or last vertex of a part

    @property
    def n_segments(self) -> int:
        """Return the number of segments after densification."""
        return int(self.seg_a.size)


@dataclass(frozen=True)
class NearestResult:
    """Per query point: geodesic distance (m), foot point (deg) and side (+1 left, -1 right)."""

    distance_m: NDArray[np.float64]
    foot_lon: NDArray[np.float64]
    foot_lat: NDArray[np.float64]
    side: NDArray[np.int8]
    segment: NDArray[np.intp]  # index of the segment the foot lies on (-1 for missing points)
    widened: int = 0  # kept for callers of the former k-d tree engine; the tree walk never widens


def _normalise(vectors: NDArray[np.float64]) -> NDArray[np.float64]:
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norm == 0, 1.0, norm)


def _split_tree(points: NDArray[np.float64]):
    """Lay out a binary tree over points by median splits along each node's widest axis.

    Returns the order of the points (every node covers a contiguous range of it) and, per
    node, ``lo``, ``hi`` (its range) and ``child`` (its first child, the second follows; -1 for
    a leaf of at most _LEAF points); children come after their parent. Vectorised level by level.
    """
    n = points.shape[0]
    order = np.arange(n, dtype=np.int64)
    lo, hi, child = [np.array([0])], [np.array([n])], [np.array([-1])]
    frontier_lo, frontier_hi = np.array([0]), np.array([n])
    frontier_id = np.array([0]) if n > _LEAF else np.array([], dtype=int)
    frontier_lo, frontier_hi = frontier_lo[: frontier_id.size], frontier_hi[: frontier_id.size]
    next_id = 1
    while frontier_id.size:
        size = frontier_hi - frontier_lo
        offsets = np.cumsum(size) - size
        node_of = np.repeat(np.arange(size.size), size)
        items = np.arange(node_of.size) - offsets[node_of] + frontier_lo[node_of]
        xyz = points[order[items]]
        extent = np.maximum.reduceat(xyz, offsets) - np.minimum.reduceat(xyz, offsets)
        key = xyz[np.arange(items.size), np.argmax(extent, axis=1)[node_of]]
        order[items] = order[items][np.lexsort((key, node_of))]
        middle = frontier_lo + size // 2
        first = next_id + 2 * np.arange(size.size)
        child.append(np.full(2 * size.size, -1))
        lo.append(np.column_stack([frontier_lo, middle]).ravel())
        hi.append(np.column_stack([middle, frontier_hi]).ravel())
        child_of = np.concatenate(child)
        child_of[frontier_id] = first
        child = [child_of]
        new_lo, new_hi = lo[-1], hi[-1]
        new_id = next_id + np.arange(new_lo.size)
        next_id += new_lo.size
        split = (new_hi - new_lo) > _LEAF
        frontier_id, frontier_lo, frontier_hi = new_id[split], new_lo[split], new_hi[split]
    return order, np.concatenate(lo), np.concatenate(hi), np.concatenate(child)


def _sphere_tree(vectors: NDArray, seg_a: NDArray, seg_b: NDArray) -> SphereTree:
    """Build the bounding-sphere tree of the arcs (a, b).

    A leaf's sphere holds both ends of each of its segments, plus the largest sag of an arc over
    its chord (1 - sqrt(1 - c²/4)): every point of an arc is within the sag of its chord, and
    the chord lies in any ball holding its ends. An inner node's sphere holds its children's.
    """
    order, lo, hi, child = _split_tree((vectors[seg_a] + vectors[seg_b]) / 2.0)
    a, b = vectors[seg_a[order]], vectors[seg_b[order]]
    sag = 1.0 - np.sqrt(np.maximum(1.0 - np.sum((b - a) ** 2, axis=1) / 4.0, 0.0))
    leaf = child < 0
    centre = np.zeros((lo.size, 3))
    radius = np.zeros(lo.size)
    # leaves: the centre of the box of their segments' ends. Their ranges tile the order, but
    # leaf ids follow depth, not position (34 segments: leaves at depth 2 sit between leaves at
    # depth 3), so they are taken in the order of their ranges, as reduceat and repeat need.
    leaves = np.flatnonzero(leaf)
    leaves = leaves[np.argsort(lo[leaves], kind="stable")]
    starts = lo[leaves]
    low = np.minimum(np.minimum.reduceat(a, starts), np.minimum.reduceat(b, starts))
    high = np.maximum(np.maximum.reduceat(a, starts), np.maximum.reduceat(b, starts))
    centre[leaves] = (low + high) / 2.0
    owner = np.repeat(leaves, hi[leaves] - lo[leaves])
    reach = np.maximum(
        np.linalg.norm(a - centre[owner], axis=1), np.linalg.norm(b - centre[owner], axis=1)
    )
    np.maximum.at(radius, owner, reach + sag)
    # inner nodes, children before parents (children always have larger ids)
    for node in np.flatnonzero(~leaf)[::-1]:
        kids = [child[node], child[node] + 1]
        low = np.min(centre[kids] - radius[kids, None], axis=0)
        high = np.max(centre[kids] + radius[kids, None], axis=0)
        centre[node] = (low + high) / 2.0
        radius[node] = np.max(np.linalg.norm(centre[kids] - centre[node], axis=1) + radius[kids])
    return SphereTree(
        order=order,
        centre=np.ascontiguousarray(centre),
        radius=radius * (1 + 1e-12) + 1e-15,
        start=np.where(leaf, lo, child).astype(np.int64),
        count=np.where(leaf, hi - lo, 2).astype(np.int64),
        leaf=leaf,
        roots=np.array([0], dtype=np.int64),
    )


def prepare_line(
    parts: list[tuple[ArrayLike, ArrayLike]],
    *,
    interpolation: str = "geodesic",
    max_segment_km: float = DEFAULT_MAX_SEGMENT_KM,
) -> PreparedLine:
    """Densify the parts of a line and index them for :func:`nearest_on_line`.

    Parameters
    ----------
    parts : list of (lon, lat)
        Each part's vertices in WGS84 degrees, in walking order.
    interpolation : {"geodesic", "rhumb"}
        How the published vertices are joined.
    max_segment_km : float
        Longest segment after densification, km.

    Returns
    -------
    PreparedLine
    """
    lons, lats, seg_a, vertex_part = [], [], [], []
    offset = 0
    for part_index, (part_lon, part_lat) in enumerate(parts):
        lon, lat = densify_path(
            part_lon, part_lat, interpolation=interpolation, max_segment_km=max_segment_km
        )
        lons.append(lon)
        lats.append(lat)
        seg_a.append(offset + np.arange(lon.size - 1))
        vertex_part.append(np.full(lon.size, part_index, dtype=np.intp))
        offset += lon.size
    lon, lat = np.concatenate(lons), np.concatenate(lats)
    vectors = unit_vectors(lon, lat)
    a = np.concatenate(seg_a).astype(np.int64)
    b = a + 1
    normal = _normalise(np.cross(vectors[a], vectors[b]))
    vertex_segments = np.full((lon.size, 2), -1, dtype=np.intp)
    vertex_segments[b, 0] = np.arange(a.size)
    vertex_segments[a, 1] = np.arange(a.size)
    summed = np.zeros_like(vectors)
    for column in (0, 1):
        has = vertex_segments[:, column] >= 0
        summed[has] += normal[vertex_segments[has, column]]
    vertex_normal = _normalise(summed)
    chords = np.linalg.norm(vectors[b] - vectors[a], axis=1)
    return PreparedLine(
        lon=lon,
        lat=lat,
        vectors=vectors,
        seg_a=a,
        seg_b=b,
        seg_normal=normal,
        vertex_segments=vertex_segments,
        vertex_normal=vertex_normal,
        tree=_sphere_tree(vectors, a, b),
        max_chord=float(chords.max()) if chords.size else 0.0,
        vertex_part=np.concatenate(vertex_part),
        rhumb=interpolation == "rhumb",
        is_end=(vertex_segments < 0).any(axis=1),
    )


def _rhumb_extension_side(
    line: PreparedLine, end_vertex: NDArray[np.intp], lon: NDArray, lat: NDArray
) -> NDArray[np.int8]:
    """Return the side of points beyond an end of a rhumb line, against its extension.

    The extension keeps the end segment's constant bearing: a straight line on the Mercator
    chart, so the side is the sign of a 2-D cross product in (longitude, isometric latitude).
    """
    segments = line.vertex_segments[end_vertex]
    segment = np.where(segments[:, 0] >= 0, segments[:, 0], segments[:, 1])
    start, stop = line.seg_a[segment], line.seg_b[segment]
    _, y_points = MERCATOR.transform(np.zeros_like(lat), lat)
    _, y_start = MERCATOR.transform(np.zeros(start.size), line.lat[start])
    _, y_stop = MERCATOR.transform(np.zeros(stop.size), line.lat[stop])
    _, y_end = MERCATOR.transform(np.zeros(end_vertex.size), line.lat[end_vertex])
    dx = _wrap_degrees(line.lon[stop] - line.lon[start])
    dy = (np.asarray(y_stop) - np.asarray(y_start)) / _M_PER_DEGREE
    vx = _wrap_degrees(lon - line.lon[end_vertex])
    vy = (np.asarray(y_points) - np.asarray(y_end)) / _M_PER_DEGREE
    return np.where(dx * vy - dy * vx >= 0, 1, -1).astype(np.int8)


def _wrap_degrees(delta: NDArray[np.float64]) -> NDArray[np.float64]:
    return (delta + 180.0) % 360.0 - 180.0


def nearest_on_line(line: PreparedLine, lon: ArrayLike, lat: ArrayLike) -> NearestResult:
    """Return, for each point, the geodesic distance to ``line``, the foot point and the side.

    Parameters
    ----------
    line : PreparedLine
        From :func:`prepare_line`.
    lon, lat : array_like
        Query points, WGS84 degrees. NaN coordinates give NaN distance and side 0.

    Returns
    -------
    NearestResult
        ``distance_m`` in metres on the WGS84 ellipsoid, ``foot_lon``/``foot_lat`` in degrees,
        ``side`` +1 where the point is left of the line (walking the vertices in order), -1
        right, 0 for missing points.
    """
    lon = np.ascontiguousarray(np.asarray(lon, dtype=float).ravel())
    lat = np.ascontiguousarray(np.asarray(lat, dtype=float).ravel())
    n = lon.size
    distance = np.full(n, np.nan)
    foot_lon = np.full(n, np.nan)
    foot_lat = np.full(n, np.nan)
    side = np.zeros(n, dtype=np.int8)
    segment = np.full(n, -1, dtype=np.int64)
    vertex = np.full(n, -1, dtype=np.int64)
    theta = np.zeros(n)
    if n == 0 or line.n_segments == 0:
        return NearestResult(distance, foot_lon, foot_lat, side, segment)
    tree = line.tree

    def run(start: int) -> None:
        rows = slice(start, start + _CHUNK)
        nearest_kernel(
            lon[rows],
            lat[rows],
            line.vectors,
            line.seg_a,
            line.seg_b,
            line.seg_normal,
            line.vertex_normal,
            tree.order,
            tree.centre,
            tree.radius,
            tree.start,
            tree.count,
            tree.leaf.view(np.uint8),
            tree.roots,
            distance[rows],
            foot_lon[rows],
            foot_lat[rows],
            side[rows],
            segment[rows],
            vertex[rows],
            theta[rows],
        )

    # The kernel releases the GIL: chunks run on every core (a single chunk, as in each block
    # of geo.measure.measure_points, which has its own threads, runs here).
    starts = range(0, n, _CHUNK)
    workers = min(len(starts), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)
    far = np.flatnonzero(theta > FAR_RADIANS)
    if far.size:
        distance[far], _ = geodesic_inverse(lon[far], lat[far], foot_lon[far], foot_lat[far])
    if line.rhumb:
        beyond = np.flatnonzero((vertex >= 0) & line.is_end[np.maximum(vertex, 0)])
        if beyond.size:
            side[beyond] = _rhumb_extension_side(line, vertex[beyond], lon[beyond], lat[beyond])
    return NearestResult(distance, foot_lon, foot_lat, side, segment)
