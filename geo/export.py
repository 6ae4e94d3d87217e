"""Write enriched tables and boundaries to GeoJSON, GeoPackage, CSV or Parquet.

The format follows the file extension. Every format keeps every row. Text stays UTF-8 (Korean
included); times stay ISO 8601 text with their offsets. CSV cells that a spreadsheet would run
as a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are
prefixed with an apostrophe, the OWASP-recommended neutralisation; numbers are left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.catalog import Catalog
from geo.lines import line_parts
from geo.nearest import prepare_line
from geo.positions import Positions

__all__ = [
    "FORMATS",
    "GEOJSON_DECIMALS",
    "ExportError",
    "densified_boundaries",
    "incidents_from_geojson",
    "incidents_geojson",
    "neutralise_formulas",
    "table_for_export",
    "write_table",
]

log = logging.getLogger(__name__)

FORMATS = {".geojson": "GeoJSON", ".gpkg": "GPKG", ".csv": "CSV", ".parquet": "Parquet"}
GEOJSON_DECIMALS = 7  # RFC 7946 §11.2: about 1 cm; more digits only add bytes
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """The output cannot be written as asked (unknown extension, unwritable place)."""


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot start a spreadsheet formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe. Only
    string cells change; numeric columns (negative longitudes) are untouched.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column]
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out.loc[risky, column] = "'" + values[risky].astype(str)
    return out


def table_for_export(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy with column types every format can store.

    Object columns holding booleans with gaps become pandas ``boolean``; other object columns
    become text with missing values kept missing.
    """
    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name or out[column].dtype != object:
            continue
        values = out[column].dropna()
        if len(values) and values.map(lambda v: isinstance(v, bool | np.bool_)).all():
            out[column] = out[column].astype("boolean")
        else:
            out[column] = out[column].map(
                lambda v: v if v is None or isinstance(v, str) else str(v)
            )
    return out


def write_table(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write ``frame`` (EPSG:4326) to ``path`` in the format its extension names.

    Parameters
    ----------
    frame : GeoDataFrame
        EPSG:4326 rows; for CSV the geometry column is dropped (lon/lat columns carry it).
    path : path-like
        Ends in .geojson, .gpkg, .csv or .parquet.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ExportError
        For an unknown extension.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise ExportError(f"{path}: unknown output format {suffix!r}; use one of {known}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise ExportError(f"{path}: export expects EPSG:4326, got {frame.crs}")
    table = table_for_export(frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        plain = neutralise_formulas(pd.DataFrame(table.drop(columns=table.geometry.name)))
        plain.to_csv(path, index=False, encoding="utf-8")
    elif suffix == ".parquet":
        table.to_parquet(path, index=False)
    elif suffix == ".geojson":
        if path.exists():
            path.unlink()
        # RFC 7946: WGS84 lon/lat without a `crs` member, exteriors counter-clockwise, lines and
        # polygons crossing the antimeridian split, coordinates to 7 decimals (~1 cm)
        table.to_file(
            path,
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_DECIMALS)},
        )
    else:
        if path.exists():
            path.unlink()  # GeoPackage would otherwise append a second layer
        table.to_file(path, driver=FORMATS[suffix], engine="pyogrio")
    log.info("wrote %d rows to %s", len(frame), path)
    return path


def densified_boundaries(catalog: Catalog) -> gpd.GeoDataFrame:
    """Return every boundary feature, versions included, with lines densified along their path.

    Lines are what the engine measures against (≤ 5 km segments along the geodesic or rhumb
    line); zones are returned as stored. EPSG:4326; lines that cross the antimeridian keep
    continuous longitudes beyond ±180 so that they draw without a jump (GeoJSON files written
    from this are split at the antimeridian by :func:`write_table`). Columns as in
    ``Catalog.boundary_versions`` (``version`` and ``default`` tell the versions apart).
    """
    rows = []
    for _, row in catalog.boundary_versions.iterrows():
        meta = catalog.boundary_meta[row["id"]]
        geometry = row.geometry
        if meta.kind.is_line:
            prepared = prepare_line(line_parts(geometry), interpolation=meta.interpolation)
            parts = []
            for part in np.unique(prepared.vertex_part):
                mine = prepared.vertex_part == part
                lon = np.degrees(np.unwrap(np.radians(prepared.lon[mine])))
                parts.append(np.column_stack([lon, prepared.lat[mine]]))
            geometry = (
                shapely.multilinestrings(parts) if len(parts) > 1 else shapely.linestrings(parts[0])
            )
        rows.append({**row.drop(labels="geometry").to_dict(), "geometry": geometry})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _rounded(lon: float, lat: float) -> list[float]:
    return [round(float(lon), GEOJSON_DECIMALS), round(float(lat), GEOJSON_DECIMALS)]


def incidents_geojson(positions: Positions, ids: list[str] | None = None) -> dict:
    """Return every field of every incident as an RFC 7946 FeatureCollection, losslessly.

    One feature per incident: its locations with coordinates as a MultiPoint (WGS84 lon/lat;
    null when none has coordinates), and the whole record (sources, quotes, translations,
    claims, figures, times with their offsets) as ``properties``, exactly as the schema reads it,
    so :func:`incidents_from_geojson` gives back identical records. Text is kept as is: a GIS
    or a browser must treat it as data.
    """
    catalog = positions.catalog
    features = []
    for incident_id, incident in catalog.incidents.items():
        if ids is not None and incident_id not in ids:
            continue
        points = []
        for index, location in enumerate(incident.locations):
            if location.place is not None and location.place in catalog.places:
                place = catalog.places[location.place]
                points.append(_rounded(place.lon, place.lat))
            elif location.lat is not None and location.lon is not None:
                points.append(_rounded(location.lon, location.lat))
            elif (solution := positions.solution(incident_id, index)) is not None:
                points.append(_rounded(solution.lon, solution.lat))
        geometry = {"type": "MultiPoint", "coordinates": points} if points else None
        properties = incident.model_dump(mode="json", exclude_unset=True)
        features.append(
            {"type": "Feature", "id": incident_id, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def incidents_from_geojson(document: dict) -> list:
    """Return the incidents of a document written by :func:`incidents_geojson` (validated)."""
    from geo.models import Incident

    return [Incident.model_validate(feature["properties"]) for feature in document["features"]]
