"""Enrichment benchmark: the vectorised engine against a straightforward row-by-row version.

``python -m geo bench [--n N]`` makes N synthetic locations (90 % around the data's boundaries,
10 % anywhere on Earth), times :func:`geo.measure.measure_points` on all of them (median of
several runs) and times, on a sample, the way a newcomer would compute the same columns one row
at a time: per row, a pyproj azimuthal-equidistant projection centred on the point (in which
distances from the point are exact geodesic distances), shapely's nearest point on each line and
on the coast, pyproj.Geod to every place, shapely containment for zones. The sample's time is
extrapolated to N, and the two results are checked to agree.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
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

__all__ = ["BenchResult", "baseline_rows", "run_bench", "synthetic_points"]


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


# --------------------------------------------------------------------------- the run


@dataclass
class BenchResult:
    """What ``python -m geo bench`` measured (seconds unless named otherwise)."""

    n: int
    prepare_s: float
    vectorised_s: list[float]
    stages_s: dict[str, float]
    baseline_rows: int
    baseline_s: float
    disagreements: dict[str, int] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    @property
    def vectorised_median_s(self) -> float:
        """Return the median vectorised time."""
        return statistics.median(self.vectorised_s)

    @property
    def baseline_extrapolated_s(self) -> float:
        """Return the row-by-row time extrapolated from the sample to all n rows."""
        return self.baseline_s / self.baseline_rows * self.n

    @property
    def ratio(self) -> float:
        """Return row-by-row time / vectorised time, both for n rows."""
        return self.baseline_extrapolated_s / self.vectorised_median_s


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _compare(fast: pd.DataFrame, slow: pd.DataFrame, context: MeasureContext) -> dict[str, int]:
    """Count rows where the two implementations disagree beyond the accuracy target."""
    out = {}
    for column in [c for c in slow.columns if c.endswith("_km")]:
        tolerance = np.maximum(0.001 * slow[column].to_numpy(), 0.05)
        out[column] = int(
            (np.abs(fast[column].to_numpy() - slow[column].to_numpy()) > tolerance).sum()
        )
    for target in context.lines:
        # Sides are compared where they mean something: clear of the line, within 500 km.
        column = f"{target.id}_side"
        distance = fast[f"{target.id}_km"].to_numpy()
        clear = (distance > 0.1) & (distance < 500)
        out[column] = int((fast[column].to_numpy()[clear] != slow[column].to_numpy()[clear]).sum())
    for column in ("nearest_place", "zones"):
        out[column] = int((fast[column].fillna("").to_numpy() != slow[column].to_numpy()).sum())
    return out


def run_bench(
    context: MeasureContext,
    *,
    n: int,
    prepare_s: float,
    repeat: int = 3,
    sample: int = 300,
    progress_factory: Callable[[int, str], object] | None = None,
) -> BenchResult:
    """Time the vectorised engine on n synthetic points and the row-by-row way on a sample."""
    lon, lat, precision = synthetic_points(context, n)
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
    picks = np.random.default_rng(7).choice(n, sample, replace=False)
    bar = progress_factory(sample, "row-by-row baseline") if progress_factory else None
    start = time.perf_counter()
    slow = baseline_rows(context, lon[picks], lat[picks], progress=getattr(bar, "update", None))
    baseline_s = time.perf_counter() - start
    if bar is not None:
        bar.close()
    fast = result.iloc[picks].reset_index(drop=True)
    return BenchResult(
        n=n,
        prepare_s=prepare_s,
        vectorised_s=vectorised,
        stages_s=stages,
        baseline_rows=sample,
        baseline_s=baseline_s,
        disagreements=_compare(fast, slow, context),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    )


def format_report(result: BenchResult) -> list[str]:
    """Return the lines ``python -m geo bench`` prints to stdout (the last is ``ratio: X``)."""
    runs = ", ".join(f"{s:.2f}" for s in result.vectorised_s)
    per_row_ms = result.baseline_s / result.baseline_rows * 1000
    median = result.vectorised_median_s
    lines = [
        f"locations: {result.n:,} synthetic (90% around the boundaries, 10% anywhere on Earth)",
        f"prepare (densify, k-d trees, coastline): {result.prepare_s:.2f} s, once per dataset",
        f"vectorised: median {median:.2f} s over {len(result.vectorised_s)} runs ({runs});"
        f" {result.n / median:,.0f} rows/s",
        "time per stage (one run each):",
        *(f"  {name}: {seconds:.2f} s" for name, seconds in result.stages_s.items()),
        f"row-by-row baseline: {result.baseline_s:.2f} s for a random sample of "
        f"{result.baseline_rows} rows = {per_row_ms:.1f} ms/row;"
        f" extrapolated to {result.n:,} rows: {result.baseline_extrapolated_s:,.0f} s",
        "disagreements on the sample (distances beyond 0.1 % or 50 m; sides 0.1-500 km out): "
        + ", ".join(f"{k} {v}" for k, v in result.disagreements.items()),
        f"peak memory (max RSS): {result.peak_rss_mb:,.0f} MB",
        f"ratio: {result.ratio:.1f}",
    ]
    return lines
