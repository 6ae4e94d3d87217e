# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False, embedsignature=True
"""The compiled kernel of :mod:`geo.nearest`: search, foot, side and distance per point.

Everything here works on the conformal sphere of radius ``a`` (WGS84): a point's geodetic latitude
maps to its conformal latitude, which makes the map from the ellipsoid to the sphere conformal
(the same scale in every direction at a point). The ellipsoidal length of a short path is then its
length on the sphere divided by the scale, integrated along it; Simpson's rule on the great-circle
arc gives the geodesic distance to within 1e-8 (relative) up to 1,000 km, checked against
GeographicLib in tests/geo/test_nearest.py. Longer distances are recomputed with GeographicLib
by the caller.

Written in Cython and compiled to C once, when the project is installed (``make``; see
setup.py), as shapely's and pyproj's own kernels are: nothing is compiled at run time. The
kernel runs without the GIL, so that :func:`geo.nearest.nearest_on_line` and
:func:`geo.measure.measure_points` run blocks on every core.
"""

from libc.math cimport INFINITY, M_PI, asin, atan2, cos, fabs, isfinite, sin, sqrt
from libc.stdint cimport int8_t, int64_t, uint8_t

import numpy as np

from geo.geodesy import GEOD

__all__ = ["FAR_RADIANS", "INV_SCALE_MAX", "INV_SCALE_MIN", "nearest_kernel"]

cdef double _A = float(GEOD.a)
cdef double _E2 = float(GEOD.es)
cdef double _E4 = _E2 * _E2
cdef double _E6 = _E4 * _E2
cdef double _E8 = _E6 * _E2
# Latitude series in e² (errors below 1e-10 degrees, checked against geo.geodesy's inverse):
# conformal to geodetic, phi = chi + sum C_2k sin(2k chi), and back, chi = phi + sum D_2k ...
cdef double _C2 = _E2 / 2 + 5 * _E4 / 24 + _E6 / 12 + 13 * _E8 / 360
cdef double _C4 = 7 * _E4 / 48 + 29 * _E6 / 240 + 811 * _E8 / 11520
cdef double _C6 = 7 * _E6 / 120 + 81 * _E8 / 1120
cdef double _C8 = 4279 * _E8 / 161280
cdef double _D2 = -(_E2 / 2 + 5 * _E4 / 24 + 3 * _E6 / 32 + 281 * _E8 / 5760)
cdef double _D4 = 5 * _E4 / 48 + 7 * _E6 / 80 + 697 * _E8 / 11520
cdef double _D6 = -(13 * _E6 / 480 + 461 * _E8 / 13440)
cdef double _D8 = 1237 * _E8 / 161280

cdef double _FAR = 1000e3 / _A  # beyond ~1,000 km the caller recomputes with GeographicLib
FAR_RADIANS = _FAR
cdef enum:
    _KEPT = 4096  # near-tied candidates kept per point
cdef double _RULE3_SHORTLIST = 1.2e-3  # twice the 3-point rule's largest error (5.4e-4), rounded up
cdef double _DEGREES = 180.0 / M_PI
cdef double _RADIANS = M_PI / 180.0


cdef struct Shifted:
    double sin_b
    double cos_b
    double q
    double sin_d
    double cos_d


cdef struct Foot:
    double chord
    double x
    double y
    double z
    int64_t vertex  # -1 inside the arc, else the vertex the foot is at


cdef struct Vec:
    double x
    double y
    double z


cdef inline Shifted _shift(
    double sin_a, double cos_a, double k2, double k4, double k6, double k8
) noexcept nogil:
    """Return (sin, cos, q) of b = a + sum k_2j sin(2j a), without trigonometric calls.

    sin(2j a) = sin(2a) P_j(cos 2a) (Chebyshev), and the shift d (below 0.0034 rad) enters
    through sin d and cos d to 1e-15; q = d / sin(2a), used where cos a vanishes at the poles.
    """
    cdef Shifted r
    cdef double c2 = cos_a * cos_a - sin_a * sin_a
    cdef double q = k2 + 2.0 * c2 * k4 + (4.0 * c2 * c2 - 1.0) * k6 + (8.0 * c2 * c2 - 4.0) * c2 * k8
    cdef double d = 2.0 * sin_a * cos_a * q
    cdef double d2 = d * d
    r.sin_d = d * (1.0 - d2 / 6.0)
    r.cos_d = 1.0 - d2 / 2.0 + d2 * d2 / 24.0
    r.sin_b = sin_a * r.cos_d + cos_a * r.sin_d
    r.cos_b = cos_a * r.cos_d - sin_a * r.sin_d
    r.q = q
    return r


cdef inline double _inv_scale(double x, double y, double z) noexcept nogil:
    """Return 1/k at a point of the conformal sphere: ellipsoid length per sphere length.

    1/k = cos(phi) / (cos(chi) sqrt(1 - e² sin² phi)); cos(phi)/cos(chi) is written so that it
    stays finite at the poles.
    """
    cdef double h = sqrt(x * x + y * y)
    cdef Shifted s = _shift(z, h, _C2, _C4, _C6, _C8)
    cdef double d = 2.0 * z * h * s.q
    cdef double ratio = s.cos_d - 2.0 * z * z * s.q * (1.0 - d * d / 6.0)
    return ratio / sqrt(1.0 - _E2 * s.sin_b * s.sin_b)


cdef inline double _geodetic_deg(double x, double y, double z) noexcept nogil:
    """Return the geodetic latitude (degrees) of a point of the conformal sphere."""
    cdef Shifted s = _shift(z, sqrt(x * x + y * y), _C2, _C4, _C6, _C8)
    return atan2(s.sin_b, s.cos_b) * _DEGREES


def _inv_scale_range():
    """Return the smallest and largest 1/k anywhere (sampled every 0.0009°, then widened)."""
    chi = np.radians(np.linspace(-89.9999, 89.9999, 200_001))
    phi = chi + sum(c * np.sin(2 * k * chi) for k, c in enumerate((_C2, _C4, _C6, _C8), 1))
    values = np.cos(phi) / (np.cos(chi) * np.sqrt(1.0 - _E2 * np.sin(phi) ** 2))
    return float(values.min()) * (1 - 1e-9), float(values.max()) * (1 + 1e-9)


INV_SCALE_MIN, INV_SCALE_MAX = _inv_scale_range()
cdef double _SCALE_SPREAD = INV_SCALE_MAX / INV_SCALE_MIN


cdef inline double _simpson3_c(
    double px, double py, double pz, double fx, double fy, double fz, double theta
) noexcept nogil:
    """Return the ellipsoidal length of the arc p-f by Simpson's rule on 1/k (3 points)."""
    if theta < 1e-12:
        return _A * theta * _inv_scale(px, py, pz)
    cdef double mx = px + fx, my = py + fy, mz = pz + fz
    cdef double norm = sqrt(mx * mx + my * my + mz * mz)
    if norm < 1e-9:  # antipodal: no midpoint; the caller's 8-panel rule takes over
        return _A * theta * _inv_scale(px, py, pz)
    cdef double middle = _inv_scale(mx / norm, my / norm, mz / norm)
    return _A * theta * (_inv_scale(px, py, pz) + 4.0 * middle + _inv_scale(fx, fy, fz)) / 6.0


cdef double _ellipsoid_m(
    double px, double py, double pz, double fx, double fy, double fz, double theta
) noexcept nogil:
    """Return the ellipsoidal length of the great-circle arc from p to f (angle theta, radians).

    Simpson's rule on 1/k along the arc; composite with 8 panels beyond FAR_RADIANS, where the
    result only ranks candidates (the caller recomputes the distance with GeographicLib).
    """
    if theta <= _FAR:
        return _simpson3_c(px, py, pz, fx, fy, fz, theta)
    cdef int panels = 8
    # q(t) = p cos(t) + u sin(t), u the unit tangent at p towards f; cos and sin of the steps
    # by the angle-addition recurrence (no trigonometric call in the loop)
    cdef double cos_theta = cos(theta), sin_theta = sin(theta)
    cdef double ux, uy, uz, norm, step, cos_step, sin_step, c, s, c_next, total, weight
    cdef int i
    if sin_theta > 1e-9:
        ux, uy, uz = fx - px * cos_theta, fy - py * cos_theta, fz - pz * cos_theta
    elif fabs(pz) < 0.9:  # antipodal: any great circle through p will do for ranking
        ux, uy, uz = -py, px, 0.0
    else:
        ux, uy, uz = 0.0, -pz, py
    norm = sqrt(ux * ux + uy * uy + uz * uz)
    ux, uy, uz = ux / norm, uy / norm, uz / norm
    step = theta / (2.0 * panels)
    cos_step, sin_step = cos(step), sin(step)
    c, s = 1.0, 0.0
    total = 0.0
    for i in range(2 * panels + 1):
        if i == 0 or i == 2 * panels:
            weight = 1.0
        elif i % 2:
            weight = 4.0
        else:
            weight = 2.0
        total += weight * _inv_scale(px * c + ux * s, py * c + uy * s, pz * c + uz * s)
        c_next = c * cos_step - s * sin_step
        s = s * cos_step + c * sin_step
        c = c_next
    return _A * theta * total / (6.0 * panels)


cdef inline Vec _unit_c(double lon_deg, double lat_deg) noexcept nogil:
    """Return the conformal-sphere unit vector of a lon/lat point (degrees)."""
    cdef double lam = lon_deg * _RADIANS
    cdef double phi = lat_deg * _RADIANS
    cdef Shifted s = _shift(sin(phi), cos(phi), _D2, _D4, _D6, _D8)
    cdef Vec v
    v.x = s.cos_b * cos(lam)
    v.y = s.cos_b * sin(lam)
    v.z = s.sin_b
    return v


cdef inline Foot _foot(
    double px,
    double py,
    double pz,
    int64_t s,
    const double[:, ::1] vectors,
    const int64_t[::1] seg_a,
    const int64_t[::1] seg_b,
    const double[:, ::1] normals,
) noexcept nogil:
    """Return the chord to, and the position of, the nearest point of arc s to p."""
    cdef Foot f
    cdef int64_t a = seg_a[s], b = seg_b[s]
    cdef double ax = vectors[a, 0], ay = vectors[a, 1], az = vectors[a, 2]
    cdef double bx = vectors[b, 0], by = vectors[b, 1], bz = vectors[b, 2]
    cdef double nx = normals[s, 0], ny = normals[s, 1], nz = normals[s, 2]
    cdef double h = px * nx + py * ny + pz * nz
    cdef double qx = px - h * nx, qy = py - h * ny, qz = pz - h * nz
    cdef double length = sqrt(qx * qx + qy * qy + qz * qz)
    cdef double c1, c2, dx, dy, dz, da, db
    if length > 1e-12:
        qx, qy, qz = qx / length, qy / length, qz / length
        # q between a and b on their great circle: (a x q).n >= 0 and (q x b).n >= 0
        c1 = (ay * qz - az * qy) * nx + (az * qx - ax * qz) * ny + (ax * qy - ay * qx) * nz
        c2 = (qy * bz - qz * by) * nx + (qz * bx - qx * bz) * ny + (qx * by - qy * bx) * nz
        if c1 >= 0.0 and c2 >= 0.0:
            dx, dy, dz = px - qx, py - qy, pz - qz
            f.chord = sqrt(dx * dx + dy * dy + dz * dz)
            f.x, f.y, f.z, f.vertex = qx, qy, qz, -1
            return f
    da = (px - ax) * (px - ax) + (py - ay) * (py - ay) + (pz - az) * (pz - az)
    db = (px - bx) * (px - bx) + (py - by) * (py - by) + (pz - bz) * (pz - bz)
    if da <= db:
        f.chord, f.x, f.y, f.z, f.vertex = sqrt(da), ax, ay, az, a
    else:
        f.chord, f.x, f.y, f.z, f.vertex = sqrt(db), bx, by, bz, b
    return f


cdef inline double _angle(double chord) noexcept nogil:
    """Return the angle (radians) subtended by a chord of the unit sphere."""
    return 2.0 * asin(chord / 2.0 if chord < 2.0 else 1.0)


cdef inline double _tie_limit(double chord) noexcept nogil:
    """Return the chord beyond which a foot cannot be nearer, on the ellipsoid, than one at
    ``chord``: the sphere's angle scaled by the largest over the smallest 1/k anywhere."""
    cdef double theta = _angle(chord) * _SCALE_SPREAD
    if theta >= M_PI:
        return 3.0
    return 2.0 * sin(theta / 2.0) * (1.0 + 1e-9) + 1e-12


cdef int64_t _compact(
    double px,
    double py,
    double pz,
    int64_t* kept_seg,
    double* kept_chord,
    int64_t n_kept,
    double limit,
    const double[:, ::1] vectors,
    const int64_t[::1] seg_a,
    const int64_t[::1] seg_b,
    const double[:, ::1] normals,
) noexcept nogil:
    """Drop the kept candidates at or beyond the limit; when none can go (thousands of
    near-equidistant segments: a point at the centre of a ring), keep only the one nearest on
    the ellipsoid, which is all the final choice needs."""
    cdef int64_t n = 0, k, best_k = 0
    cdef double best_m = INFINITY, metres
    cdef Foot f
    for k in range(n_kept):
        if kept_chord[k] < limit:
            kept_seg[n] = kept_seg[k]
            kept_chord[n] = kept_chord[k]
            n += 1
    if n < n_kept:
        return n
    for k in range(n_kept):
        f = _foot(px, py, pz, kept_seg[k], vectors, seg_a, seg_b, normals)
        metres = _ellipsoid_m(px, py, pz, f.x, f.y, f.z, _angle(f.chord))
        if metres < best_m:
            best_k, best_m = k, metres
    kept_seg[0] = kept_seg[best_k]
    kept_chord[0] = kept_chord[best_k]
    return 1


cdef inline int64_t _push(
    int64_t* heap_node, double* heap_bound, int64_t size, int64_t node, double bound
) noexcept nogil:
    cdef int64_t i = size, parent
    while i > 0:
        parent = (i - 1) // 2
        if heap_bound[parent] <= bound:
            break
        heap_node[i], heap_bound[i] = heap_node[parent], heap_bound[parent]
        i = parent
    heap_node[i], heap_bound[i] = node, bound
    return size + 1


cdef inline int64_t _pop(int64_t* heap_node, double* heap_bound, int64_t size) noexcept nogil:
    size -= 1
    cdef int64_t node = heap_node[size], i = 0, smallest
    cdef double bound = heap_bound[size]
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


def nearest_kernel(
    const double[::1] lon,
    const double[::1] lat,
    const double[:, ::1] vectors,
    const int64_t[::1] seg_a,
    const int64_t[::1] seg_b,
    const double[:, ::1] normals,
    const double[:, ::1] vertex_normals,
    const int64_t[::1] order,
    const double[:, ::1] node_centre,
    const double[::1] node_radius,
    const int64_t[::1] node_start,
    const int64_t[::1] node_count,
    const uint8_t[::1] node_leaf,
    const int64_t[::1] roots,
    double[::1] out_m,
    double[::1] out_lon,
    double[::1] out_lat,
    int8_t[::1] out_side,
    int64_t[::1] out_segment,
    int64_t[::1] out_vertex,
    double[::1] out_theta,
):
    """Fill the out_* arrays for every point with finite coordinates (others are left alone).

    The search walks a tree of bounding spheres best first (a heap ordered by each sphere's
    distance from the point), and skips every node whose sphere is farther, even at the
    smallest scale anywhere on the ellipsoid, than the best ellipsoidal distance found so far:
    the answer is the nearest segment on the ellipsoid (to Simpson's accuracy), not merely on
    the sphere. Runs without the GIL.
    """
    # a binary min-heap of nodes by lower bound: each node enters at most once
    cdef int64_t[::1] heap_node_arr = np.empty(node_radius.shape[0] + roots.shape[0], np.int64)
    cdef double[::1] heap_bound_arr = np.empty(node_radius.shape[0] + roots.shape[0])
    # Candidates within the tie margin of the best chord so far: measured on the ellipsoid after
    # the walk (most points end with one or two).
    cdef int64_t[::1] kept_seg_arr = np.empty(_KEPT, np.int64)
    cdef double[::1] kept_chord_arr = np.empty(_KEPT)
    cdef double[::1] kept_m_arr = np.empty(_KEPT)
    cdef int64_t* heap_node = &heap_node_arr[0]
    cdef double* heap_bound = &heap_bound_arr[0]
    cdef int64_t* kept_seg = &kept_seg_arr[0]
    cdef double* kept_chord = &kept_chord_arr[0]
    cdef double* kept_m = &kept_m_arr[0]
    cdef Py_ssize_t i, n = lon.shape[0]
    cdef int64_t n_kept, size, node, start, count, child, j, s, k, r
    cdef int64_t best_seg, best_vertex
    cdef double best_chord, limit, bound, dx, dy, dz, chord, theta, metres
    cdef double best3, scaled, shortlist, best_m, best_theta, bfx, bfy, bfz, nx, ny, nz
    cdef Vec p
    cdef Foot f
    with nogil:
        for i in range(n):
            if not (isfinite(lon[i]) and isfinite(lat[i])):
                continue
            p = _unit_c(lon[i], lat[i])
            best_chord, limit = INFINITY, 3.0
            n_kept = 0
            size = 0
            for k in range(roots.shape[0]):
                size = _push(heap_node, heap_bound, size, roots[k], 0.0)
            while size > 0:
                node, bound = heap_node[0], heap_bound[0]
                if bound >= limit:
                    break  # every node left is at least as far: nothing nearer remains
                size = _pop(heap_node, heap_bound, size)
                start, count = node_start[node], node_count[node]
                if not node_leaf[node]:
                    for child in range(start, start + count):
                        dx = p.x - node_centre[child, 0]
                        dy = p.y - node_centre[child, 1]
                        dz = p.z - node_centre[child, 2]
                        bound = sqrt(dx * dx + dy * dy + dz * dz) - node_radius[child]
                        if bound < limit:
                            size = _push(heap_node, heap_bound, size, child, bound)
                    continue
                for j in range(start, start + count):
                    s = order[j]
                    chord = _foot(p.x, p.y, p.z, s, vectors, seg_a, seg_b, normals).chord
                    if chord >= limit:
                        continue
                    if n_kept == _KEPT:
                        n_kept = _compact(
                            p.x, p.y, p.z, kept_seg, kept_chord, n_kept, limit,
                            vectors, seg_a, seg_b, normals,
                        )
                    kept_seg[n_kept] = s
                    kept_chord[n_kept] = chord
                    n_kept += 1
                    if chord < best_chord:
                        best_chord = chord
                        limit = _tie_limit(chord)
            # Measure the kept candidates with the 3-point rule (within 5.4e-4 of GeographicLib
            # at any distance, 1e-8 up to 1,000 km); beyond FAR_RADIANS, re-rank those within
            # twice that of the best with the 8-panel rule.
            best3 = INFINITY
            for k in range(n_kept):
                kept_m[k] = INFINITY
                if kept_chord[k] < limit:
                    f = _foot(p.x, p.y, p.z, kept_seg[k], vectors, seg_a, seg_b, normals)
                    kept_m[k] = _simpson3_c(p.x, p.y, p.z, f.x, f.y, f.z, _angle(f.chord))
                    if kept_m[k] < best3:
                        best3 = kept_m[k]
            # The 3-point rule's error grows as the fourth power of the distance: at most 1e-8
            # at 1,000 km (GeographicLib on 200,000 random pairs: 8.6e-9 up to 1,000 km, 4.2e-7
            # to 3,000 km, 4.9e-5 to 10,000 km, 5.4e-4 beyond); two candidates' errors, doubled.
            scaled = best3 / 1e6
            shortlist = 4e-8 * scaled * scaled * scaled * scaled
            if shortlist > _RULE3_SHORTLIST:
                shortlist = _RULE3_SHORTLIST
            best_m, best_theta = INFINITY, 0.0
            best_seg, best_vertex = -1, -1
            bfx, bfy, bfz = 0.0, 0.0, 0.0
            for k in range(n_kept):
                if kept_m[k] > best3 * (1.0 + shortlist):
                    continue
                s = kept_seg[k]
                f = _foot(p.x, p.y, p.z, s, vectors, seg_a, seg_b, normals)
                theta = _angle(f.chord)
                metres = kept_m[k]
                if theta > _FAR:
                    metres = _ellipsoid_m(p.x, p.y, p.z, f.x, f.y, f.z, theta)
                if metres < best_m:
                    best_m, best_theta = metres, theta
                    best_seg, best_vertex = s, f.vertex
                    bfx, bfy, bfz = f.x, f.y, f.z
            if best_seg < 0:
                continue
            if best_vertex < 0:
                nx, ny, nz = normals[best_seg, 0], normals[best_seg, 1], normals[best_seg, 2]
            else:
                nx = vertex_normals[best_vertex, 0]
                ny = vertex_normals[best_vertex, 1]
                nz = vertex_normals[best_vertex, 2]
            out_side[i] = 1 if p.x * nx + p.y * ny + p.z * nz >= 0.0 else -1
            out_m[i] = best_m
            out_theta[i] = best_theta
            out_segment[i] = best_seg
            out_vertex[i] = best_vertex
            out_lon[i] = atan2(bfy, bfx) * _DEGREES
            out_lat[i] = _geodetic_deg(bfx, bfy, bfz)


def unit(double lon_deg, double lat_deg):
    """Return the conformal-sphere unit vector (x, y, z) of a lon/lat point (degrees)."""
    cdef Vec v = _unit_c(lon_deg, lat_deg)
    return v.x, v.y, v.z


def simpson3(double px, double py, double pz, double fx, double fy, double fz, double theta):
    """Return the ellipsoidal length (metres) of the great-circle arc p-f by the 3-point rule."""
    return _simpson3_c(px, py, pz, fx, fy, fz, theta)
