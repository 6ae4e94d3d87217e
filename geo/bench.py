"""Enrichment benchmark: the engine against the planar shortcut, on the same points in one run.

``python -m geo bench [--n N]`` makes N synthetic locations (90 % around the data's boundaries,
10 % anywhere on Earth) and measures each boundary line's distance and side two ways:

- the planar shortcut most analysts take: project everything once into a local transverse
  Mercator chosen from the lines' extent (pyproj), then shapely on prepared lines:
  ``shapely.distance`` for the distance, ``line_locate_point`` and a tangent for the side;
- the engine (:func:`geo.nearest.nearest_on_line`), its one-time setup (densifying the lines,
  building their sphere trees, loading the compiled kernel in a fresh process and its first
  call) counted in its time. The kernel is C, compiled once at install by ``make`` (setup.py),
  as shapely's GEOS is for the baseline: neither side compiles anything while it runs.

Both are checked against an independent GeographicLib brute force on a sample (pyproj.Geod on
finely resampled declared paths, nothing from geo.nearest). The whole enrichment
(:func:`geo.measure.measure_points`: lines, places, zones, coast) is timed too, and, as a
secondary figure only, a row-by-row version that projects each row on its own.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import Transformer

from geo.geodesy import GEOD, compass_16
from geo.measure import (
    ON_LINE_KM,
    MeasureContext,
    _measure_coast,
    _measure_line,
    _measure_places,
    _measure_zones,
    measure_points,
)
from geo.nearest import PreparedLine, nearest_on_line, prepare_line

__all__ = [
    "BenchResult",
    "baseline_rows",
    "planar_crs",
    "reference_distance_m",
    "run_bench",
    "synthetic_points",
]


def synthetic_points(
    context: MeasureContext, n: int, *, seed: int = 2022
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return lon, lat (degrees) and precision_km of n reproducible synthetic locations."""
    rng = np.random.default_rng(seed)
    lons = np.concatenate([t.prepared.lon for t in context.lines] or [np.array([0.0])])
    lats = np.concatenate([t.prepared.lat for t in context.lines] or [np.array([0.0])])
    n_local = round(n * 0.9)
    lon = rng.uniform(lons.min() - 3, lons.max() + 3, n_local)
    lat = rng.uniform(max(lats.min() - 3, -89), min(lats.max() + 3, 89), n_local)
    n_global = n - n_local
    lon = np.r_[lon, rng.uniform(-180, 180, n_global)]
    lat = np.r_[lat, np.degrees(np.arcsin(rng.uniform(-1, 1, n_global)))]
    precision = rng.choice([0.5, 2.0, 5.0, 15.0, 50.0], n)
    return (lon + 180) % 360 - 180, lat, precision


# --------------------------------------------------------------------------- the baseline


def _nearest_in_aeqd(lon: float, lat: float, geometry: shapely.Geometry):
    """Nearest point of a lon/lat geometry to (lon, lat), via a projection centred on the point."""
    to_local = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )
    local = shapely.transform(geometry, lambda xy: np.column_stack(to_local.transform(*xy.T)))
    foot = shapely.ops.nearest_points(shapely.Point(0, 0), local)[1]
    return to_local, local, foot


def _line_geometry(lon: np.ndarray, lat: np.ndarray, part: np.ndarray) -> shapely.Geometry:
    pieces = [np.column_stack([lon[part == p], lat[part == p]]) for p in np.unique(part)]
    return shapely.MultiLineString(pieces)


def _baseline_geometries(context: MeasureContext) -> dict[str, shapely.Geometry]:
    """Build each line (and the coast) once, as a newcomer would load them."""
    geometries = {
        t.id: _line_geometry(t.prepared.lon, t.prepared.lat, t.prepared.vertex_part)
        for t in context.lines
    }
    if context.coast is not None:
        coast = context.coast.prepared
        geometries["coast"] = _line_geometry(coast.lon, coast.lat, coast.vertex_part)
    return geometries


def _baseline_row(
    context: MeasureContext, geometries: dict[str, shapely.Geometry], lon: float, lat: float
) -> dict:
    row: dict = {}
    origin = shapely.Point(0, 0)
    for target in context.lines:
        _, local, foot = _nearest_in_aeqd(lon, lat, geometries[target.id])
        distance_km = origin.distance(foot) / 1000.0
        # side: the turn from the nearest piece's direction at the foot towards the point
        piece = min(getattr(local, "geoms", [local]), key=lambda g: g.distance(foot))
        along = piece.project(foot)
        before = piece.interpolate(max(along - 1.0, 0.0))
        after = piece.interpolate(min(along + 1.0, piece.length))
        cross = (after.x - before.x) * (0 - before.y) - (after.y - before.y) * (0 - before.x)
        side = target.meta.side_left if cross > 0 else target.meta.side_right
        row[f"{target.id}_km"] = distance_km
        row[f"{target.id}_side"] = "on" if distance_km <= ON_LINE_KM else side
    distances = [
        GEOD.inv(p_lon, p_lat, lon, lat)
        for p_lon, p_lat in zip(context.place_lon, context.place_lat, strict=True)
    ]
    best = int(np.argmin([d[2] for d in distances]))
    row["nearest_place"] = context.place_ids[best]
    row["nearest_place_km"] = distances[best][2] / 1000.0
    row["nearest_place_bearing"] = str(compass_16(distances[best][0]))
    point = shapely.Point(lon, lat)
    row["zones"] = ",".join(z for z, g in context.zones if g.contains(point))
    if "coast" in geometries:
        _, _, foot = _nearest_in_aeqd(lon, lat, geometries["coast"])
        row["coast_km"] = origin.distance(foot) / 1000.0
    return row


def baseline_rows(
    context: MeasureContext,
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Compute the main columns one row at a time, the straightforward way (for comparison)."""
    geometries = _baseline_geometries(context)
    rows = []
    for i in range(lon.size):
        rows.append(_baseline_row(context, geometries, float(lon[i]), float(lat[i])))
        if progress is not None:
            progress(1)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the planar shortcut


def planar_crs(context: MeasureContext) -> str:
    """Return a transverse Mercator (PROJ string) centred on the extent of the context's lines.

    The central meridian is the middle of the lines' longitudes (taken the short way round, so
    that lines across the antimeridian work) and the origin latitude the middle of their
    latitudes: the local conformal projection an analyst would pick for the region.
    """
    lon = np.concatenate([t.prepared.lon for t in context.lines] or [np.array([0.0])])
    lat = np.concatenate([t.prepared.lat for t in context.lines] or [np.array([0.0])])
    centre = np.degrees(np.angle(np.mean(np.exp(1j * np.radians(lon)))))
    shifted = (lon - centre + 180.0) % 360.0 - 180.0
    lon_0 = (centre + (shifted.min() + shifted.max()) / 2.0 + 180.0) % 360.0 - 180.0
    lat_0 = (lat.min() + lat.max()) / 2.0
    return f"+proj=tmerc +lat_0={lat_0:.4f} +lon_0={lon_0:.4f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84"


@dataclass(frozen=True)
class PlanarShortcut:
    """Lines projected once into a local transverse Mercator and prepared for shapely.

    ``segments`` holds, per line, an STRtree of its segments and their end points (metres): the
    second planar way, nearest segment first, then the side by a cross product.
    """

    crs: str
    transformer: Transformer
    lines: dict[str, shapely.Geometry]
    segments: dict[str, tuple[shapely.STRtree, np.ndarray, np.ndarray]]


def planar_setup(context: MeasureContext) -> PlanarShortcut:
    """Project the context's (densified) lines into :func:`planar_crs` and prepare them."""
    crs = planar_crs(context)
    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lines, segments = {}, {}
    for target in context.lines:
        line = target.prepared
        x, y = transformer.transform(line.lon, line.lat)
        x, y = np.asarray(x), np.asarray(y)
        geometry = _line_geometry(x, y, line.vertex_part)
        shapely.prepare(geometry)
        lines[target.id] = geometry
        start = np.column_stack([x[line.seg_a], y[line.seg_a]])
        end = np.column_stack([x[line.seg_b], y[line.seg_b]])
        pieces = shapely.linestrings(np.stack([start, end], axis=1))
        segments[target.id] = (shapely.STRtree(pieces), start, end)
    return PlanarShortcut(crs, transformer, lines, segments)


PLANAR_WAYS = ("locate", "segments")


def _planar_chunk(shortcut: PlanarShortcut, x, y, *, sides: bool, way: str) -> dict:
    points = shapely.points(x, y)
    out = {}
    for line_id, geometry in shortcut.lines.items():
        side = None
        if way == "segments" and sides:
            tree, start, end = shortcut.segments[line_id]
            (_, nearest), distance = tree.query_nearest(
                points, return_distance=True, all_matches=False
            )
            a, b = start[nearest], end[nearest]
            cross = (b[:, 0] - a[:, 0]) * (y - a[:, 1]) - (b[:, 1] - a[:, 1]) * (x - a[:, 0])
            side = np.where(cross > 0, 1, -1).astype(np.int8)
        else:
            distance = shapely.distance(geometry, points)
            if sides:
                along = shapely.line_locate_point(geometry, points)
                # (a negative distance would count from the line's far end: clip to the line)
                length = shapely.length(geometry)
                before = shapely.line_interpolate_point(geometry, np.clip(along - 1.0, 0.0, length))
                after = shapely.line_interpolate_point(geometry, np.clip(along + 1.0, 0.0, length))
                before, after = shapely.get_coordinates(before), shapely.get_coordinates(after)
                cross = (after[:, 0] - before[:, 0]) * (y - before[:, 1]) - (
                    after[:, 1] - before[:, 1]
                ) * (x - before[:, 0])
                side = np.where(cross > 0, 1, -1).astype(np.int8)
        out[line_id] = (distance, side)
    return out


def planar_measure(
    shortcut: PlanarShortcut,
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    sides: bool = True,
    way: str = "locate",
    workers: int | None = None,
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Return per line (distance m, side ±1) the planar way: one projection, shapely in metres.

    Two ways a GIS user would take: ``locate`` (``shapely.distance`` to the prepared line, the side
    from the line's direction 1 m either side of ``line_locate_point``) and ``segments`` (an
    STRtree of the line's segments: ``query_nearest`` gives the distance and the segment whose
    cross product gives the side). Shapely releases the GIL, so the points are split over
    ``workers`` threads (default: every core), as the engine's kernel is.
    """
    x, y = shortcut.transformer.transform(lon, lat, errcheck=False)
    x, y = np.asarray(x), np.asarray(y)
    # Points the projection cannot take (the far side of the Earth) get NaN: the shortcut is
    # regional by nature.
    ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    chunks = np.array_split(ok, max(workers or os.cpu_count() or 1, 1))
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        parts = list(
            pool.map(
                lambda rows: _planar_chunk(shortcut, x[rows], y[rows], sides=sides, way=way),
                chunks,
            )
        )
    out = {}
    for line_id in shortcut.lines:
        distance = np.full(lon.size, np.nan)
        side = np.zeros(lon.size, dtype=np.int8) if sides else None
        for rows, part in zip(chunks, parts, strict=True):
            distance[rows] = part[line_id][0]
            if sides:
                side[rows] = part[line_id][1]
        out[line_id] = (distance, side)
    return out


# --------------------------------------------------------------------------- the reference


def _path_points(line: PreparedLine, segment: int, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return lon, lat at fractions t of a densified segment, along its declared path."""
    a, b = line.seg_a[segment], line.seg_b[segment]
    lon1, lat1, lon2, lat2 = line.lon[a], line.lat[a], line.lon[b], line.lat[b]
    if line.rhumb:
        e = np.sqrt(GEOD.es)

        def isometric(phi):
            s = np.sin(np.radians(phi))
            return np.arctanh(s) - e * np.arctanh(e * s)

        psi = isometric(lat1) + t * (isometric(lat2) - isometric(lat1))
        lat = np.degrees(np.arcsin(np.tanh(psi)))
        for _ in range(12):
            lat = np.degrees(np.arcsin(np.tanh(psi + e * np.arctanh(e * np.sin(np.radians(lat))))))
        dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
        return lon1 + t * dlon, np.where(lat1 == lat2, lat1, lat)
    azimuth, _, length = GEOD.inv(lon1, lat1, lon2, lat2)
    ones = np.ones(t.size)
    lon, lat, _ = GEOD.fwd(lon1 * ones, lat1 * ones, azimuth * ones, t * length)
    return np.asarray(lon), np.asarray(lat)


def reference_distance_m(line: PreparedLine, lon: float, lat: float) -> float:
    """Return the geodesic distance (m) from a point to a line by GeographicLib brute force.

    Independent of :func:`geo.nearest.nearest_on_line`: every segment's declared path is
    sampled every ~500 m and measured with ``Geod.inv``; around the three nearest samples the
    path is resampled until the spacing is millimetres.
    """
    n = line.n_segments
    t = np.linspace(0.0, 1.0, 11)
    coarse = [_path_points(line, s, t) for s in range(n)]
    lons = np.concatenate([c[0] for c in coarse])
    lats = np.concatenate([c[1] for c in coarse])
    _, _, d = GEOD.inv(np.full(lons.size, lon), np.full(lons.size, lat), lons, lats)
    best = np.inf
    for flat in np.argsort(d)[:6]:
        segment, k = divmod(int(flat), t.size)
        lo, hi = t[max(k - 1, 0)], t[min(k + 1, t.size - 1)]
        for _ in range(5):
            fine_t = np.linspace(lo, hi, 41)
            f_lon, f_lat = _path_points(line, segment, fine_t)
            _, _, fine = GEOD.inv(np.full(41, lon), np.full(41, lat), f_lon, f_lat)
            j = int(np.argmin(fine))
            step = (hi - lo) / 40
            lo, hi = max(fine_t[j] - step, 0.0), min(fine_t[j] + step, 1.0)
            best = min(best, float(fine[j]))
    return best


def _errors(measured: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    unmeasured = int((~np.isfinite(measured)).sum())
    measured, reference = measured[np.isfinite(measured)], reference[np.isfinite(measured)]
    if measured.size == 0:
        return {"count": 0, "unmeasured": unmeasured}
    error = np.abs(measured - reference)
    relative = error / np.maximum(reference, 1.0)
    return {
        "max_relative": float(relative.max()),
        "p99_relative": float(np.quantile(relative, 0.99)),
        "max_m": float(error.max()),
        "beyond_target": int((error > np.maximum(0.001 * reference, 50.0)).sum()),
        "count": int(error.size),
        "unmeasured": unmeasured,
    }


# --------------------------------------------------------------------------- the run


@dataclass
class BenchResult:
    """What ``python -m geo bench`` measured (seconds unless named otherwise)."""

    n: int
    prepare_s: float
    crs: str
    planar_setup_s: float
    planar_s: list[float]  # the faster planar way (the baseline)
    planar_way: str
    planar_ways_s: dict[str, list[float]]
    planar_distance_only_s: list[float]
    engine_setup_s: float
    engine_load_s: float
    engine_s: list[float]
    accuracy: dict[str, dict[str, float]]
    side_disagreements: int
    side_compared: int
    vectorised_s: list[float]
    stages_s: dict[str, float]
    baseline_rows: int
    baseline_s: float
    disagreements: dict[str, int] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    @property
    def planar_total_s(self) -> float:
        """Return the planar shortcut's setup plus its median time for all lines."""
        return self.planar_setup_s + statistics.median(self.planar_s)

    @property
    def engine_total_s(self) -> float:
        """Return the engine's setup (lines, and loading the compiled kernel in a fresh
        process) plus its median time for all lines."""
        return self.engine_setup_s + self.engine_load_s + statistics.median(self.engine_s)

    @property
    def vectorised_median_s(self) -> float:
        """Return the median time of the whole enrichment."""
        return statistics.median(self.vectorised_s)

    @property
    def baseline_extrapolated_s(self) -> float:
        """Return the row-by-row time extrapolated from the sample to all n rows."""
        return self.baseline_s / max(self.baseline_rows, 1) * self.n

    @property
    def ratio(self) -> float:
        """Return planar time / engine time, both for every line's distance and side."""
        return self.planar_total_s / self.engine_total_s


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _compare(fast: pd.DataFrame, slow: pd.DataFrame, context: MeasureContext) -> dict[str, int]:
    """Count rows where the engine and the row-by-row way disagree beyond the target."""
    out = {}
    for column in [c for c in slow.columns if c.endswith("_km")]:
        tolerance = np.maximum(0.001 * slow[column].to_numpy(), 0.05)
        out[column] = int(
            (np.abs(fast[column].to_numpy() - slow[column].to_numpy()) > tolerance).sum()
        )
    for target in context.lines:
        column = f"{target.id}_side"
        distance = fast[f"{target.id}_km"].to_numpy()
        clear = (distance > 0.1) & (distance < 500)
        out[column] = int((fast[column].to_numpy()[clear] != slow[column].to_numpy()[clear]).sum())
    for column in ("nearest_place", "zones"):
        out[column] = int((fast[column].fillna("").to_numpy() != slow[column].to_numpy()).sum())
    return out


_LOAD_PROBE = (
    "import time, numpy, pyproj, shapely, geo; start = time.perf_counter();"
    "from geo.nearest import nearest_on_line, prepare_line;"
    "line = prepare_line([([0.0, 1.0], [0.0, 0.0])]);"
    "nearest_on_line(line, [0.5], [0.5]); print(time.perf_counter() - start)"
)


def kernel_start_s() -> float:
    """Return the seconds a fresh Python takes to load the engine and make its first call.

    Counted: importing :mod:`geo.nearest` and the compiled kernel (loading the C module and
    computing its scale bounds) and one call; not counted: numpy, pyproj, shapely and the
    ``geo`` package that loads the catalog, which the planar shortcut needs as well.
    """
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def _engine_setup(context: MeasureContext) -> tuple[dict[str, PreparedLine], float]:
    """Prepare the lines again as the engine does (densify, sphere trees): timed."""
    start = time.perf_counter()
    lines = {}
    for target in context.lines:
        line = target.prepared
        parts = [
            (line.lon[line.vertex_part == p], line.lat[line.vertex_part == p])
            for p in np.unique(line.vertex_part)
        ]
        lines[target.id] = prepare_line(parts, interpolation="rhumb" if line.rhumb else "geodesic")
    return lines, time.perf_counter() - start


def _accuracy(
    context: MeasureContext, engine: dict, planar: dict, picks: dict[str, np.ndarray], lon, lat
) -> dict[str, dict[str, float]]:
    """Return error statistics per method and group of sampled points ("planar near", ...)."""
    out = {}
    for group, rows in picks.items():
        reference, measured_e, measured_p = [], [], []
        for target in context.lines:
            for i in rows:
                reference.append(reference_distance_m(target.prepared, lon[i], lat[i]))
            measured_e.append(engine[target.id][0][rows])
            measured_p.append(planar[target.id][0][rows])
        reference = np.array(reference)
        out[f"planar {group}"] = _errors(np.concatenate(measured_p), reference)
        out[f"engine {group}"] = _errors(np.concatenate(measured_e), reference)
    return out


def run_bench(
    context: MeasureContext,
    *,
    n: int,
    prepare_s: float,
    repeat: int = 3,
    sample: int = 50,
    accuracy_sample: int = 200,
    progress_factory: Callable[[int, str], object] | None = None,
) -> BenchResult:
    """Time the engine against the planar shortcut on n synthetic points, then the rest."""
    lon, lat, precision = synthetic_points(context, n)
    engine_load_s = kernel_start_s()
    engine_lines, engine_setup_s = _engine_setup(context)
    start = time.perf_counter()
    shortcut = planar_setup(context)
    planar_setup_s = time.perf_counter() - start
    bar = progress_factory(repeat * 4, "planar and engine runs") if progress_factory else None
    planar_ways: dict[str, list[float]] = {way: [] for way in PLANAR_WAYS}
    planar_distance_s, engine_s = [], []
    planars, engine = {}, {}
    for _ in range(repeat):  # interleaved, so that both see the same machine load
        for way in PLANAR_WAYS:
            start = time.perf_counter()
            planars[way] = planar_measure(shortcut, lon, lat, way=way)
            planar_ways[way].append(time.perf_counter() - start)
        planar_distance_s.append(_timed(lambda: planar_measure(shortcut, lon, lat, sides=False)))
        start = time.perf_counter()
        for line_id, line in engine_lines.items():
            result = nearest_on_line(line, lon, lat)
            engine[line_id] = (result.distance_m, result.side)
        engine_s.append(time.perf_counter() - start)
        if bar is not None:
            bar.update(4)
    if bar is not None:
        bar.close()
    # the baseline is the faster of the two planar ways, measured in this run
    fastest = min(PLANAR_WAYS, key=lambda way: statistics.median(planar_ways[way]))
    planar, planar_s = planars[fastest], planar_ways[fastest]
    n_near = round(n * 0.9)  # synthetic_points puts the points near the lines first
    rng = np.random.default_rng(7)
    picks = {
        "near": rng.choice(n_near, min(round(accuracy_sample * 0.9), n_near), replace=False),
        "anywhere": n_near
        + rng.choice(n - n_near, min(accuracy_sample // 10, n - n_near), replace=False),
    }
    accuracy = _accuracy(context, engine, planar, picks, lon, lat)
    compared = disagree = 0
    for line_id in engine:
        distance = engine[line_id][0]
        clear = (distance > 1000.0) & (distance < 500_000.0)
        compared += int(clear.sum())
        disagree += int((engine[line_id][1][clear] != planar[line_id][1][clear]).sum())
    vectorised = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = measure_points(context, lon, lat, precision)
        vectorised.append(time.perf_counter() - start)
    stages = {
        f"line {t.id}": _timed(lambda t=t: _measure_line(t, lon, lat, precision))
        for t in context.lines
    }
    stages["nearest place"] = _timed(lambda: _measure_places(context, lon, lat))
    stages["zones"] = _timed(lambda: _measure_zones(context, lon, lat))
    stages["coast and territorial sea"] = _timed(lambda: _measure_coast(context, lon, lat))
    sample = min(sample, n)
    rows = np.random.default_rng(7).choice(n, sample, replace=False)
    bar = progress_factory(sample, "row-by-row (secondary)") if progress_factory else None
    start = time.perf_counter()
    slow = baseline_rows(context, lon[rows], lat[rows], progress=getattr(bar, "update", None))
    baseline_s = time.perf_counter() - start
    if bar is not None:
        bar.close()
    return BenchResult(
        n=n,
        prepare_s=prepare_s,
        crs=shortcut.crs,
        planar_setup_s=planar_setup_s,
        planar_s=planar_s,
        planar_way=fastest,
        planar_ways_s=planar_ways,
        planar_distance_only_s=planar_distance_s,
        engine_setup_s=engine_setup_s,
        engine_load_s=engine_load_s,
        engine_s=engine_s,
        accuracy=accuracy,
        side_disagreements=disagree,
        side_compared=compared,
        vectorised_s=vectorised,
        stages_s=stages,
        baseline_rows=sample,
        baseline_s=baseline_s,
        disagreements=_compare(result.iloc[rows].reset_index(drop=True), slow, context),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    )


def _runs(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s of " + ", ".join(f"{v:.2f}" for v in values)


def _accuracy_line(name: str, errors: dict[str, float]) -> str:
    unmeasured = f"; {errors['unmeasured']} not projectable" if errors["unmeasured"] else ""
    if not errors["count"]:
        return f"  {name}: nothing measured{unmeasured}"
    return (
        f"  {name}: max error {errors['max_relative']:.2e} relative ({errors['max_m']:.2f} m),"
        f" p99 {errors['p99_relative']:.2e}; beyond 0.1 % or 50 m:"
        f" {errors['beyond_target']} of {errors['count']}{unmeasured}"
    )


def format_report(result: BenchResult) -> list[str]:
    """Return the lines ``python -m geo bench`` prints to stdout (the last is ``ratio: X``)."""
    n_lines = sum(name.startswith("line ") for name in result.stages_s)
    median = result.vectorised_median_s
    per_row_ms = result.baseline_s / max(result.baseline_rows, 1) * 1000
    return [
        f"locations: {result.n:,} synthetic (90% around the boundaries, 10% anywhere on Earth)",
        f"baseline: planar shortcut in {result.crs} (a local transverse Mercator from the lines'"
        " extent): pyproj once, then shapely in metres, the faster of two ways: 'locate'"
        " (shapely.distance to the prepared line, side from line_locate_point) and 'segments'"
        " (STRtree.query_nearest over the line's segments, side by cross product)",
        f"each of {n_lines} lines, distance and side, same points, same run (both the engine's"
        f" kernel and shapely's calls run on {os.cpu_count()} threads):",
        *(f"  planar '{way}': {_runs(times)}" for way, times in result.planar_ways_s.items()),
        f"  planar (baseline, '{result.planar_way}'): setup {result.planar_setup_s:.2f} s"
        f" + {_runs(result.planar_s)} = {result.planar_total_s:.2f} s"
        f" (distance only: {_runs(result.planar_distance_only_s)})",
        f"  engine: setup {result.engine_setup_s + result.engine_load_s:.2f} s (densify and"
        f" sphere trees {result.engine_setup_s:.2f} s; compiled kernel loaded and first call in a"
        f" fresh process {result.engine_load_s:.2f} s)"
        f" + {_runs(result.engine_s)} = {result.engine_total_s:.2f} s",
        "accuracy against GeographicLib (brute force on the declared paths), sampled points x"
        " lines (near: within the lines' extent + 3 degrees; anywhere: on the whole Earth):",
        *(_accuracy_line(name, errors) for name, errors in result.accuracy.items()),
        f"  sides: engine and planar differ on {result.side_disagreements:,} of"
        f" {result.side_compared:,} point-line pairs 1-500 km from the line",
        f"whole enrichment (lines, places, zones, coast): {_runs(result.vectorised_s)};"
        f" {result.n / median:,.0f} rows/s",
        "time per stage (one run each):",
        *(f"  {name}: {seconds:.2f} s" for name, seconds in result.stages_s.items()),
        f"prepare (densify, trees, coastline): {result.prepare_s:.2f} s, once per dataset",
        f"secondary, not the baseline: row by row (a projection per row, the coastline"
        f" reprojected per row) {per_row_ms:.0f} ms/row on {result.baseline_rows} rows;"
        " disagreements with the engine: "
        + ", ".join(f"{k} {v}" for k, v in result.disagreements.items()),
        f"peak memory (max RSS): {result.peak_rss_mb:,.0f} MB",
        f"ratio: {result.ratio:.2f}",
    ]
