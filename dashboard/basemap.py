"""The offline basemap: simplified for drawing, published as static files, drawn as layers.

The measurement uses the full-resolution land of the data directory; this module only makes the
picture: detailed near the data's boundaries, coarse elsewhere, served once as same-origin files
so that reruns neither resend nor re-tessellate it. No Streamlit calls.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from geo import Catalog

if TYPE_CHECKING:
    from dashboard.dataset import Dataset

__all__ = [
    "basemap_layers",
    "display_basemap",
    "label_layer",
    "labels_frame",
    "publish_static",
]


def _drop_small_parts(geometries: np.ndarray, min_area_deg2: float) -> np.ndarray:
    kept = []
    for geometry in geometries:
        parts = [p for p in getattr(geometry, "geoms", [geometry]) if p.area >= min_area_deg2]
        kept.append(shapely.multipolygons(parts) if parts else shapely.Polygon())
    return np.array(kept, dtype=object)


def _only(geometry: shapely.Geometry, *, lines: bool) -> shapely.Geometry:
    if geometry.geom_type != "GeometryCollection":
        return geometry
    wanted = ("LineString", "MultiLineString") if lines else ("Polygon", "MultiPolygon")
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in wanted]
    if lines:
        return shapely.multilinestrings(parts)
    return shapely.multipolygons(parts)


def _display_geojson(geometries: np.ndarray, focus: shapely.Geometry, *, lines: bool) -> dict:
    """Return a compact GeoJSON for drawing: detailed near the data, coarse elsewhere.

    Near the boundaries (``focus``) the basemap keeps ~300 m detail; elsewhere ~10 km, without
    islands under ~0.1 deg². Coordinates are rounded to 0.001° (~100 m). The measurement uses
    the full-resolution land; this is only the picture.
    """
    near = shapely.simplify(shapely.intersection(geometries, focus), 0.003, preserve_topology=True)
    far = shapely.difference(geometries, focus)
    if not lines:
        far = _drop_small_parts(far, 0.1)
    far = shapely.simplify(far, 0.1, preserve_topology=True)
    # union with a missing part is missing: fill gaps with empty geometries first
    empty = shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    near = np.where(pd.isna(near), empty, near)
    far = np.where(pd.isna(far), empty, far)
    merged = shapely.set_precision(shapely.union(near, far, grid_size=1e-3), 1e-3)
    merged = merged[~(shapely.is_empty(merged) | pd.isna(merged))]
    # the union can leave slivers of another dimension in a GeometryCollection, which the map
    # cannot draw: keep only the polygons (or lines) of each feature
    merged = np.array([_only(g, lines=lines) for g in merged], dtype=object)
    return json.loads(gpd.GeoSeries(merged, crs="EPSG:4326").to_json(drop_id=True))


def display_basemap(catalog: Catalog) -> tuple[dict | None, dict | None]:
    """Return land and land borders as GeoJSON simplified for drawing, computed once."""
    if catalog.land is None:
        return None, None
    lines = catalog.boundaries[catalog.boundaries["kind"] != "territorial_sea"]
    reference = lines if len(lines) else catalog.land
    focus = shapely.box(*np.add(reference.total_bounds, [-4.0, -4.0, 4.0, 4.0]))
    land = _display_geojson(catalog.land.geometry.values, focus, lines=False)
    borders = None
    if catalog.borders is not None:
        borders = _display_geojson(catalog.borders.geometry.values, focus, lines=True)
    return land, borders


def publish_static(dataset: Dataset, directory: Path) -> dict[str, str]:
    """Write the display basemap into ``directory`` as content-addressed files; return URLs.

    File names carry a hash of their content, so they never go stale and writing them twice is
    harmless. The URLs are relative to the app (Streamlit serves ``static/`` at ``app/static``).
    """
    urls = {}
    for name, document in (("land", dataset.land), ("borders", dataset.borders)):
        if document is None:
            continue
        text = json.dumps(document, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        path = directory / f"{name}-{digest}.geojson"
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        urls[name] = f"app/static/{path.name}"
    return urls


def basemap_layers(land: dict | str | None, borders: dict | str | None) -> list:
    """Return the offline basemap: land polygons and land borders (GeoJSON, EPSG:4326).

    Each is a GeoJSON document or the URL of one on the app's own server.
    """
    layers = [
        pdk.Layer(
            "SolidPolygonLayer",
            id="basemap-sea",
            data=[{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}],
            get_polygon="polygon",
            get_fill_color=[214, 230, 240],
        )
    ]
    if land is not None:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="basemap-land",
                data=land,
                filled=True,
                stroked=True,
                get_fill_color=[246, 243, 235],
                get_line_color=[150, 150, 150],
                line_width_min_pixels=0.5,
            )
        )
    if borders is not None:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="basemap-borders",
                data=borders,
                stroked=True,
                get_line_color=[120, 120, 120],
                line_width_min_pixels=1,
            )
        )
    return layers


def label_layer(labels: pd.DataFrame) -> pdk.Layer:
    """Return a TextLayer for place and country labels (``lon``, ``lat``, ``text`` columns).

    Korean and other non-Latin names need ``character_set="auto"``.
    """
    return pdk.Layer(
        "TextLayer",
        id="basemap-labels",
        data=labels[["lon", "lat", "text", "size"]].to_dict("records"),
        get_position=["lon", "lat"],
        get_text="text",
        get_size="size",
        get_color=[70, 70, 70],
        # pydeck reads bare strings as accessors: constants are quoted twice
        font_family="'Noto Sans, Noto Sans CJK KR, Noto Sans CJK JP, sans-serif'",
        character_set="'auto'",
        get_alignment_baseline="'top'",
        get_pixel_offset=[0, 6],
    )


def labels_frame(countries: pd.DataFrame, places) -> pd.DataFrame:
    """Return map labels: country names and gazetteer places (with their Korean names)."""
    rows = [
        (row.label_lon, row.label_lat, str(row.name).upper(), 13)
        for row in countries.itertuples(index=False)
    ]
    for place in places.values():
        short = place.name.split(" (")[0]
        text = short if "ko" not in place.names else f"{short} {place.names['ko']}"
        rows.append((place.lon, place.lat, text, 11))
    return pd.DataFrame(rows, columns=["lon", "lat", "text", "size"])
