"""The compiled (numba) kernel of :mod:`geo.nearest`: search, foot, side and distance per point.

Everything here works on the conformal sphere of radius ``a`` (WGS84): a point's geodetic latitude
maps to its conformal latitude, which makes the map from the ellipsoid to the sphere conformal
(the same scale in every direction at a point). The ellipsoidal length of a short path is then its
length on the sphere divided by the scale, integrated along it; Simpson's rule on the great-circle
arc gives the geodesic distance to within 1e-8 (relative) up to 1,000 km, checked against
GeographicLib in tests/geo/test_nearest.py. Longer distances are recomputed with GeographicLib
by the caller.

Functions are compiled once and cached on disk (``cache=True``); they release the GIL
(``nogil=True``) so that :func:`geo.measure.measure_points` runs blocks on every core.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from geo.geodesy import GEOD

__all__ = ["FAR_RADIANS", "INV_SCALE_MAX", "INV_SCALE_MIN", "nearest_kernel"]

_A = float(GEOD.a)
_E2 = float(GEOD.es)
_E = math.sqrt(_E2)
_E4, _E6, _E8 = _E2**2, _E2**3, _E2**4
# Latitude series in e² (errors below 1e-10 degrees, checked against geo.geodesy's inverse):
# conformal to geodetic, phi = chi + sum C_2k sin(2k chi), and back, chi = phi + sum D_2k ...
_C2 = _E2 / 2 + 5 * _E4 / 24 + _E6 / 12 + 13 * _E8 / 360
_C4 = 7 * _E4 / 48 + 29 * _E6 / 240 + 811 * _E8 / 11520
_C6 = 7 * _E6 / 120 + 81 * _E8 / 1120
_C8 = 4279 * _E8 / 161280
_D2 = -(_E2 / 2 + 5 * _E4 / 24 + 3 * _E6 / 32 + 281 * _E8 / 5760)
_D4 = 5 * _E4 / 48 + 7 * _E6 / 80 + 697 * _E8 / 11520
_D6 = -(13 * _E6 / 480 + 461 * _E8 / 13440)
_D8 = 1237 * _E8 / 161280

FAR_RADIANS = 1000e3 / _A  # beyond ~1,000 km the caller recomputes distances with GeographicLib
_KEPT = 4096  # near-tied candidates kept per point
_RULE3_SHORTLIST = 1.2e-3  # twice the 3-point rule's largest error anywhere (5.4e-4), rounded up


@njit(cache=True, nogil=True, error_model="numpy")
def _shift(sin_a, cos_a, k2, k4, k6, k8):
    """Return (sin, cos, q) of b = a + sum k_2j sin(2j a), without trigonometric calls.

    sin(2j a) = sin(2a) P_j(cos 2a) (Chebyshev), and the shift d (below 0.0034 rad) enters
    through sin d and cos d to 1e-15; q = d / sin(2a), used where cos a vanishes at the poles.
    """
    c2 = cos_a * cos_a - sin_a * sin_a
    q = k2 + 2.0 * c2 * k4 + (4.0 * c2 * c2 - 1.0) * k6 + (8.0 * c2 * c2 - 4.0) * c2 * k8
    d = 2.0 * sin_a * cos_a * q
    d2 = d * d
    sin_d = d * (1.0 - d2 / 6.0)
    cos_d = 1.0 - d2 / 2.0 + d2 * d2 / 24.0
    return sin_a * cos_d + cos_a * sin_d, cos_a * cos_d - sin_a * sin_d, q, sin_d, cos_d


@njit(cache=True, nogil=True, error_model="numpy")
def _inv_scale(x: float, y: float, z: float) -> float:
    """Return 1/k at a point of the conformal sphere: ellipsoid length per sphere length.

    1/k = cos(phi) / (cos(chi) sqrt(1 - e² sin² phi)); cos(phi)/cos(chi) is written so that it
    stays finite at the poles.
    """
    h = math.sqrt(x * x + y * y)
    sin_phi, _, q, _, cos_d = _shift(z, h, _C2, _C4, _C6, _C8)
    d = 2.0 * z * h * q
    ratio = cos_d - 2.0 * z * z * q * (1.0 - d * d / 6.0)
    return ratio / math.sqrt(1.0 - _E2 * sin_phi * sin_phi)


@njit(cache=True, nogil=True, error_model="numpy")
def _geodetic_deg(x: float, y: float, z: float) -> float:
    """Return the geodetic latitude (degrees) of a point of the conformal sphere."""
    h = math.sqrt(x * x + y * y)
    sin_phi, cos_phi, _, _, _ = _shift(z, h, _C2, _C4, _C6, _C8)
    return math.degrees(math.atan2(sin_phi, cos_phi))


def _inv_scale_range() -> tuple[float, float]:
    """Return the smallest and largest 1/k anywhere (sampled every 0.0009°, then widened)."""
    chi = np.radians(np.linspace(-89.9999, 89.9999, 200_001))
    phi = chi + sum(c * np.sin(2 * k * chi) for k, c in enumerate((_C2, _C4, _C6, _C8), 1))
    values = np.cos(phi) / (np.cos(chi) * np.sqrt(1.0 - _E2 * np.sin(phi) ** 2))
    return float(values.min()) * (1 - 1e-9), float(values.max()) * (1 + 1e-9)


INV_SCALE_MIN, INV_SCALE_MAX = _inv_scale_range()


@njit(cache=True, nogil=True, error_model="numpy")
def _simpson3(px, py, pz, fx, fy, fz, theta) -> float:
    """Return the ellipsoidal length of the arc p-f by Simpson's rule on 1/k (3 points)."""
    if theta < 1e-12:
        return _A * theta * _inv_scale(px, py, pz)
    mx, my, mz = px + fx, py + fy, pz + fz
    norm = math.sqrt(mx * mx + my * my + mz * mz)
    if norm < 1e-9:  # antipodal: no midpoint; the caller's 8-panel rule takes over
        return _A * theta * _inv_scale(px, py, pz)
    middle = _inv_scale(mx / norm, my / norm, mz / norm)
    return _A * theta * (_inv_scale(px, py, pz) + 4.0 * middle + _inv_scale(fx, fy, fz)) / 6.0


@njit(cache=True, nogil=True, error_model="numpy")
def _ellipsoid_m(px, py, pz, fx, fy, fz, theta) -> float:
    """Return the ellipsoidal length of the great-circle arc from p to f (angle theta, radians).

    Simpson's rule on 1/k along the arc; composite with 8 panels beyond FAR_RADIANS, where the
    result only ranks candidates (the caller recomputes the distance with GeographicLib).
    """
    if theta <= FAR_RADIANS:
        return _simpson3(px, py, pz, fx, fy, fz, theta)
    panels = 8
    # q(t) = p cos(t) + u sin(t), u the unit tangent at p towards f; cos and sin of the steps
    # by the angle-addition recurrence (no trigonometric call in the loop)
    cos_theta, sin_theta = math.cos(theta), math.sin(theta)
    if sin_theta > 1e-9:
        ux, uy, uz = (fx - px * cos_theta), (fy - py * cos_theta), (fz - pz * cos_theta)
    else:  # antipodal: any great circle through p will do for ranking
        ux, uy, uz = (-py, px, 0.0) if abs(pz) < 0.9 else (0.0, -pz, py)
    norm = math.sqrt(ux * ux + uy * uy + uz * uz)
    ux, uy, uz = ux / norm, uy / norm, uz / norm
    step = theta / (2.0 * panels)
    cos_step, sin_step = math.cos(step), math.sin(step)
    c, s = 1.0, 0.0
    total = 0.0
    for i in range(2 * panels + 1):
        weight = 1.0 if i == 0 or i == 2 * panels else (4.0 if i % 2 else 2.0)
        total += weight * _inv_scale(px * c + ux * s, py * c + uy * s, pz * c + uz * s)
        c, s = c * cos_step - s * sin_step, s * cos_step + c * sin_step
    return _A * theta * total / (6.0 * panels)


@njit(cache=True, nogil=True, error_model="numpy")
def _unit(lon_deg: float, lat_deg: float):
    """Return the conformal-sphere unit vector of a lon/lat point (degrees)."""
    lam = math.radians(lon_deg)
    phi = math.radians(lat_deg)
    sin_chi, cos_chi, _, _, _ = _shift(math.sin(phi), math.cos(phi), _D2, _D4, _D6, _D8)
    return cos_chi * math.cos(lam), cos_chi * math.sin(lam), sin_chi


@njit(cache=True, nogil=True, error_model="numpy")
def _foot(px, py, pz, s, vectors, seg_a, seg_b, normals):
    """Return (chord, fx, fy, fz, vertex) for point p and segment s; vertex -1 inside the arc."""
    a, b = seg_a[s], seg_b[s]
    ax, ay, az = vectors[a, 0], vectors[a, 1], vectors[a, 2]
    bx, by, bz = vectors[b, 0], vectors[b, 1], vectors[b, 2]
    nx, ny, nz = normals[s, 0], normals[s, 1], normals[s, 2]
    h = px * nx + py * ny + pz * nz
    qx, qy, qz = px - h * nx, py - h * ny, pz - h * nz
    length = math.sqrt(qx * qx + qy * qy + qz * qz)
    if length > 1e-12:
        qx, qy, qz = qx / length, qy / length, qz / length
        # q between a and b on their great circle: (a x q).n >= 0 and (q x b).n >= 0
        c1 = (ay * qz - az * qy) * nx + (az * qx - ax * qz) * ny + (ax * qy - ay * qx) * nz
        c2 = (qy * bz - qz * by) * nx + (qz * bx - qx * bz) * ny + (qx * by - qy * bx) * nz
        if c1 >= 0.0 and c2 >= 0.0:
            dx, dy, dz = px - qx, py - qy, pz - qz
            return math.sqrt(dx * dx + dy * dy + dz * dz), qx, qy, qz, -1
    da = (px - ax) ** 2 + (py - ay) ** 2 + (pz - az) ** 2
    db = (px - bx) ** 2 + (py - by) ** 2 + (pz - bz) ** 2
    if da <= db:
        return math.sqrt(da), ax, ay, az, a
    return math.sqrt(db), bx, by, bz, b


@njit(cache=True, nogil=True, error_model="numpy")
def _tie_limit(chord: float) -> float:
    """Return the chord beyond which a foot cannot be nearer, on the ellipsoid, than one at
    ``chord``: the sphere's angle scaled by the largest over the smallest 1/k anywhere."""
    theta = 2.0 * math.asin(min(chord / 2.0, 1.0)) * (INV_SCALE_MAX / INV_SCALE_MIN)
    if theta >= math.pi:
        return 3.0
    return 2.0 * math.sin(theta / 2.0) * (1.0 + 1e-9) + 1e-12


@njit(cache=True, nogil=True, error_model="numpy")
def _compact(p, kept_seg, kept_chord, n_kept, limit, vectors, seg_a, seg_b, normals) -> int:
    """Drop the kept candidates at or beyond the limit; when none can go (thousands of
    near-equidistant segments: a point at the centre of a ring), keep only the one nearest on
    the ellipsoid, which is all the final choice needs."""
    n = 0
    for k in range(n_kept):
        if kept_chord[k] < limit:
            kept_seg[n] = kept_seg[k]
            kept_chord[n] = kept_chord[k]
            n += 1
    if n < n_kept:
        return n
    best_k, best_m = 0, np.inf
    for k in range(n_kept):
        chord, fx, fy, fz, _ = _foot(p[0], p[1], p[2], kept_seg[k], vectors, seg_a, seg_b, normals)
        theta = 2.0 * math.asin(min(chord / 2.0, 1.0))
        metres = _ellipsoid_m(p[0], p[1], p[2], fx, fy, fz, theta)
        if metres < best_m:
            best_k, best_m = k, metres
    kept_seg[0] = kept_seg[best_k]
    kept_chord[0] = kept_chord[best_k]
    return 1


@njit(cache=True, nogil=True, error_model="numpy")
def _chord(px, py, pz, s, vectors, seg_a, seg_b, normals) -> float:
    """Return the chord from p to the nearest point of arc s (cheap: no foot returned)."""
    return _foot(px, py, pz, s, vectors, seg_a, seg_b, normals)[0]


@njit(cache=True, nogil=True, error_model="numpy")
def _push(heap_node, heap_bound, size, node, bound) -> int:
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if heap_bound[parent] <= bound:
            break
        heap_node[i], heap_bound[i] = heap_node[parent], heap_bound[parent]
        i = parent
    heap_node[i], heap_bound[i] = node, bound
    return size + 1


@njit(cache=True, nogil=True, error_model="numpy")
def _pop(heap_node, heap_bound, size) -> int:
    size -= 1
    node, bound = heap_node[size], heap_bound[size]
    i = 0
    while True:
        smallest = 2 * i + 1
        if smallest >= size:
            break
        if smallest + 1 < size and heap_bound[smallest + 1] < heap_bound[smallest]:
            smallest += 1
        if heap_bound[smallest] >= bound:
            break
        heap_node[i], heap_bound[i] = heap_node[smallest], heap_bound[smallest]
        i = smallest
    heap_node[i], heap_bound[i] = node, bound
    return size


@njit(cache=True, nogil=True, error_model="numpy")
def nearest_kernel(
    lon,
    lat,
    vectors,
    seg_a,
    seg_b,
    normals,
    vertex_normals,
    order,
    node_centre,
    node_radius,
    node_start,
    node_count,
    node_leaf,
    roots,
    out_m,
    out_lon,
    out_lat,
    out_side,
    out_segment,
    out_vertex,
    out_theta,
):
    """Fill the out_* arrays for every point with finite coordinates (others are left alone).

    The search walks a tree of bounding spheres best first (a heap ordered by each sphere's
    distance from the point), and skips every node whose sphere is farther, even at the
    smallest scale anywhere on the ellipsoid, than the best ellipsoidal distance found so far:
    the answer is the nearest segment on the ellipsoid (to Simpson's accuracy), not merely on
    the sphere.
    """
    # a binary min-heap of nodes by lower bound: each node enters at most once
    heap_node = np.empty(node_radius.size + roots.size, dtype=np.int64)
    heap_bound = np.empty(node_radius.size + roots.size, dtype=np.float64)
    # Candidates within the tie margin of the best chord so far: measured on the ellipsoid after
    # the walk (most points end with one or two).
    kept_seg = np.empty(_KEPT, dtype=np.int64)
    kept_chord = np.empty(_KEPT, dtype=np.float64)
    kept_m = np.empty(_KEPT, dtype=np.float64)
    for i in range(lon.size):
        if not (math.isfinite(lon[i]) and math.isfinite(lat[i])):
            continue
        px, py, pz = _unit(lon[i], lat[i])
        best_chord, limit = np.inf, 3.0
        # typed zeros: a literal 0 would make numba compile _push, _pop and _compact twice
        n_kept = np.int64(0)
        size = np.int64(0)
        for r in roots:
            size = _push(heap_node, heap_bound, size, r, 0.0)
        while size > 0:
            node, bound = heap_node[0], heap_bound[0]
            if bound >= limit:
                break  # every node left is at least as far: nothing nearer remains
            size = _pop(heap_node, heap_bound, size)
            start, count = node_start[node], node_count[node]
            if not node_leaf[node]:
                for child in range(start, start + count):
                    dx = px - node_centre[child, 0]
                    dy = py - node_centre[child, 1]
                    dz = pz - node_centre[child, 2]
                    bound = math.sqrt(dx * dx + dy * dy + dz * dz) - node_radius[child]
                    if bound < limit:
                        size = _push(heap_node, heap_bound, size, child, bound)
                continue
            for j in range(start, start + count):
                s = order[j]
                chord = _chord(px, py, pz, s, vectors, seg_a, seg_b, normals)
                if chord >= limit:
                    continue
                if n_kept == _KEPT:
                    n_kept = _compact(
                        (px, py, pz),
                        kept_seg,
                        kept_chord,
                        n_kept,
                        limit,
                        vectors,
                        seg_a,
                        seg_b,
                        normals,
                    )
                kept_seg[n_kept] = s
                kept_chord[n_kept] = chord
                n_kept += 1
                if chord < best_chord:
                    best_chord = chord
                    limit = _tie_limit(chord)
        # Measure the kept candidates with the 3-point rule (within 5.4e-4 of GeographicLib at
        # any distance, 1e-8 up to 1,000 km); beyond FAR_RADIANS, re-rank those within twice
        # that of the best with the 8-panel rule.
        best3 = np.inf
        for k in range(n_kept):
            kept_m[k] = np.inf
            if kept_chord[k] < limit:
                s = kept_seg[k]
                chord, fx, fy, fz, _ = _foot(px, py, pz, s, vectors, seg_a, seg_b, normals)
                theta = 2.0 * math.asin(min(chord / 2.0, 1.0))
                kept_m[k] = _simpson3(px, py, pz, fx, fy, fz, theta)
                best3 = min(best3, kept_m[k])
        # The 3-point rule's error grows as the fourth power of the distance: at most 1e-8 at
        # 1,000 km (GeographicLib on 200,000 random pairs: 8.6e-9 up to 1,000 km, 4.2e-7 to
        # 3,000 km, 4.9e-5 to 10,000 km, 5.4e-4 beyond); two candidates' errors, doubled.
        shortlist = min(4e-8 * (best3 / 1e6) ** 4, _RULE3_SHORTLIST)
        best_m, best_theta = np.inf, 0.0
        best_seg, best_vertex = -1, -1
        bfx, bfy, bfz = 0.0, 0.0, 0.0
        for k in range(n_kept):
            if kept_m[k] > best3 * (1.0 + shortlist):
                continue
            s = kept_seg[k]
            chord, fx, fy, fz, vertex = _foot(px, py, pz, s, vectors, seg_a, seg_b, normals)
            theta = 2.0 * math.asin(min(chord / 2.0, 1.0))
            metres = kept_m[k]
            if theta > FAR_RADIANS:
                metres = _ellipsoid_m(px, py, pz, fx, fy, fz, theta)
            if metres < best_m:
                best_m, best_theta = metres, theta
                best_seg, best_vertex = s, vertex
                bfx, bfy, bfz = fx, fy, fz
        if best_seg < 0:
            continue
        if best_vertex < 0:
            nx, ny, nz = normals[best_seg, 0], normals[best_seg, 1], normals[best_seg, 2]
        else:
            nx = vertex_normals[best_vertex, 0]
            ny = vertex_normals[best_vertex, 1]
            nz = vertex_normals[best_vertex, 2]
        out_side[i] = 1 if px * nx + py * ny + pz * nz >= 0.0 else -1
        out_m[i] = best_m
        out_theta[i] = best_theta
        out_segment[i] = best_seg
        out_vertex[i] = best_vertex
        out_lon[i] = math.degrees(math.atan2(bfy, bfx))
        out_lat[i] = _geodetic_deg(bfx, bfy, bfz)
