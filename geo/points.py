"""Bring your own points: measure any table of positions against a catalog's geometry.

``python -m geo enrich --points FILE|DIR`` reads CSV, Parquet, GeoParquet or GeoPackage (a
directory or glob means every Parquet file in it), keeps every input column and adds the
measurement columns of :func:`geo.measure.measure_points` plus ``point_problem`` (empty when the
row's position is usable). Rows whose coordinates are missing, not numbers or out of range are
kept with empty measurements and named in ``point_problem``; nothing is dropped.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.measure import MeasureContext, measure_points, measurement_columns

__all__ = [
    "POINT_PROBLEM",
    "PointsError",
    "PointsSpec",
    "input_files",
    "measure_table",
    "read_points",
]

log = logging.getLogger(__name__)

POINT_PROBLEM = "point_problem"
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")
READERS = (".csv", ".parquet", ".gpkg")


class PointsError(ValueError):
    """The points cannot be read or measured as asked (missing file or column, clash)."""


@dataclass(frozen=True)
class PointsSpec:
    """Which columns hold the position and the precision.

    ``lon``/``lat`` are column names (None: a point geometry, else a column named lon/lat,
    longitude/latitude, ...); ``precision_km`` is a column name or a number in km.
    """

    lon: str | None = None
    lat: str | None = None
    precision_km: str | float = 0.0


def input_files(source: str | Path) -> list[Path]:
    """Return the files a ``--points`` argument names: a file, a directory of Parquet, a glob."""
    path = Path(source)
    if path.is_dir():
        files = sorted(path.glob("*.parquet"))
    elif any(c in str(source) for c in "*?["):
        files = sorted(Path(p) for p in glob.glob(str(source)))
    else:
        if not path.exists():
            raise PointsError(f"{path}: no such file")
        files = [path]
    if not files:
        raise PointsError(f"{source}: no Parquet files found")
    for file in files:
        if file.suffix.lower() not in READERS:
            raise PointsError(
                f"{file}: unknown input format {file.suffix!r}; use .csv, .parquet or .gpkg"
            )
    return files


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Return CSV text columns as numbers where every cell is a plain number (empty: NaN).

    Columns with any other text, or with leading zeros ("007", an identifier), stay text as read.
    """
    for column in frame.columns:
        text = frame[column].astype("string").str.strip()
        filled = text[text != ""]
        if filled.empty or filled.str.match(r"^[+-]?0\d").any():
            continue
        numbers = pd.to_numeric(filled, errors="coerce")
        if numbers.notna().all():
            frame[column] = pd.to_numeric(text.mask(text == ""), errors="coerce")
    return frame


def read_points(path: Path) -> pd.DataFrame:
    """Read one CSV, Parquet, GeoParquet or GeoPackage file (GeoDataFrame when it has geometry)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _typed(pd.read_csv(path, dtype=str, keep_default_na=False))
        if suffix == ".gpkg":
            return gpd.read_file(path, engine="pyogrio")
        import pyarrow.parquet as pq

        if b"geo" in (pq.read_schema(path).metadata or {}):
            return gpd.read_parquet(path)
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise PointsError(f"{path}: cannot read: {exc}") from exc


def _find(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns}
    return next((lower[n] for n in names if n in lower), None)


def _numbers(values: pd.Series, column: str, limit: float, problems: np.ndarray) -> np.ndarray:
    """Return the column as floats, writing what is wrong with each bad row into problems."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        text = None
        numbers = values.to_numpy(dtype=float, na_value=np.nan, copy=True)
        missing = values.isna().to_numpy()
    else:
        text = values.astype("string").str.strip()
        missing = (text.isna() | (text == "")).fillna(True).to_numpy(dtype=bool)
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    not_number = ~np.isfinite(numbers) & ~missing
    out_of_range = np.isfinite(numbers) & (np.abs(numbers) > limit)
    for mask, message in (
        (missing, f"{column}: missing"),
        (not_number, f"{column}: not a finite number"),
        (out_of_range, f"{column}: outside -{limit:g}..{limit:g}"),
    ):
        rows = np.flatnonzero(mask)
        if not rows.size:
            continue
        if mask is not_number:
            shown = text.to_numpy()[rows] if text is not None else numbers[rows]
            detail = [f"{message} ({str(v)[:30]!r})" for v in shown]
        elif mask is out_of_range:
            detail = [f"{message} ({v:g})" for v in numbers[rows]]
        else:
            detail = [message] * rows.size
        detail = np.array(detail, dtype=object)
        problems[rows] = np.where(problems[rows] == "", detail, problems[rows] + "; " + detail)
    numbers[missing | not_number | out_of_range] = np.nan
    return numbers


def _positions(frame: pd.DataFrame, spec: PointsSpec, source: str):
    """Return lon, lat (NaN where unusable) and the problem text of each row."""
    problems = np.full(len(frame), "", dtype=object)
    lon_col = spec.lon or _find(frame, _LON_NAMES)
    lat_col = spec.lat or _find(frame, _LAT_NAMES)
    geometry = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else None
    if (spec.lon is None or spec.lat is None) and geometry is not None:
        if geometry.crs is not None and geometry.crs.to_epsg() != 4326:
            geometry = geometry.to_crs("EPSG:4326")
        empty = (geometry.isna() | geometry.is_empty).to_numpy()
        points = geometry.geom_type.to_numpy() == "Point"
        lon = np.where(~empty & points, geometry.x.where(~empty & points), np.nan).astype(float)
        lat = np.where(~empty & points, geometry.y.where(~empty & points), np.nan).astype(float)
        problems[empty] = "geometry: missing"
        problems[~empty & ~points] = "geometry: not a point"
        bad_range = np.isfinite(lon) & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
        problems[bad_range] = "geometry: coordinates out of range"
        lon[bad_range] = lat[bad_range] = np.nan
        return lon, lat, problems
    for wanted, found in ((spec.lon, lon_col), (spec.lat, lat_col)):
        if found is None or found not in frame.columns:
            columns = ", ".join(map(str, frame.columns))
            what = f"column {wanted!r}" if wanted else "a longitude/latitude column"
            raise PointsError(
                f"{source}: no {what} (columns: {columns}); name them with --lon and --lat"
            )
    lon = _numbers(frame[lon_col], lon_col, 180.0, problems)
    lat = _numbers(frame[lat_col], lat_col, 90.0, problems)
    unusable = ~(np.isfinite(lon) & np.isfinite(lat))
    lon[unusable] = lat[unusable] = np.nan
    return lon, lat, problems


def _precision(frame: pd.DataFrame, spec: PointsSpec, source: str) -> np.ndarray:
    value = spec.precision_km
    if isinstance(value, str) and value in frame.columns:
        # A missing or negative precision is unknown: NaN, so the side is never called certain.
        precision = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float)
        return np.where(np.isfinite(precision) & (precision >= 0), precision, np.nan)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PointsError(
            f"{source}: --precision-km {value!r} is neither a column nor a number of km"
        ) from None
    if not number >= 0:
        raise PointsError(f"{source}: --precision-km must be 0 or more, got {value!r}")
    return np.full(len(frame), number)


def measure_table(
    context: MeasureContext,
    frame: pd.DataFrame,
    spec: PointsSpec,
    *,
    source: str = "points",
    progress: Callable[[int], None] | None = None,
) -> gpd.GeoDataFrame:
    """Return ``frame`` with every measurement column and ``point_problem`` added.

    Parameters
    ----------
    context : MeasureContext
        From :func:`geo.measure.prepare_context`.
    frame : DataFrame or GeoDataFrame
        The input rows; every column is kept, in order, on the same index.
    spec : PointsSpec
        Which columns hold the position and the precision.
    source : str
        Named in error messages.
    progress : callable, optional
        Called with the number of rows finished after each block.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; its geometry is the input's point geometry or one made from lon/lat (None for
        unusable rows).

    Raises
    ------
    PointsError
        Missing coordinate columns, a bad precision, or an input column named like an output.
    """
    added = [*measurement_columns(context), POINT_PROBLEM]
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise PointsError(f"{source}: input already has output column(s) {', '.join(clash)}")
    lon, lat, problems = _positions(frame, spec, source)
    precision = _precision(frame, spec, source)
    measured = measure_points(context, lon, lat, precision, progress=progress)
    measured.index = frame.index
    measured[POINT_PROBLEM] = problems
    if isinstance(frame, gpd.GeoDataFrame):
        base = frame.to_crs("EPSG:4326") if frame.crs and frame.crs.to_epsg() != 4326 else frame
        out = pd.concat([pd.DataFrame(base), measured], axis=1)
        return gpd.GeoDataFrame(out, geometry=base.geometry.name, crs="EPSG:4326")
    geometry = gpd.points_from_xy(lon, lat)
    geometry[~np.isfinite(lon)] = None
    return gpd.GeoDataFrame(
        pd.concat([frame, measured], axis=1), geometry=geometry, crs="EPSG:4326"
    )
