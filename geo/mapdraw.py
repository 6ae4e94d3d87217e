"""Drawing of the map image (matplotlib, no pyplot): basemap, boundaries, incidents, claims.

Everything is projected into the scene's transverse Mercator (:class:`geo.mapframe.MapFrame`)
after clipping to a lon/lat envelope around the view, so that far-away land never goes through
the projection where it is ill-conditioned. Circles are geodesic (Geod.fwd), arcs are geodesics
densified to 5 km, boundary lines are densified along their declared path: in a conformal
projection all of them are drawn where they are, and circles stay round.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath

from geo import mapdecor, mapincidents
from geo.geodesy import densify_path
from geo.mapfonts import FONTS, font_note
from geo.mapframe import MapFrame
from geo.maplabels import Label, marker_boxes, place_labels
from geo.style import (
    BASEMAP_STYLE,
    boundary_style,
    rgba,
)

__all__ = ["LOCK", "RC", "Scene", "densified", "draw", "font_note"]

log = logging.getLogger(__name__)

RC = {
    "font.family": FONTS,
    "font.sans-serif": FONTS,
    "svg.fonttype": "none",  # SVG text stays text: searchable and editable
    "svg.hashsalt": "seamark",  # stable element ids: the same map gives the same bytes
    "pdf.fonttype": 42,  # TrueType in PDFs: text stays selectable
    "path.simplify": True,
}
# matplotlib's rc settings are global: one map at a time (the page serves several sessions).
LOCK = threading.RLock()


def densified(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return boundaries with lines densified along their ``interpolation`` (zones as stored)."""
    if len(frame) == 0:
        return gpd.GeoDataFrame(frame.copy(), geometry=frame.geometry.name, crs="EPSG:4326")
    geometries = []
    for geometry, interpolation in zip(frame.geometry, frame["interpolation"], strict=True):
        if geometry.geom_type not in {"LineString", "MultiLineString"}:
            geometries.append(geometry)
            continue
        parts = []
        for part in getattr(geometry, "geoms", [geometry]):
            lon, lat = np.asarray(part.xy[0]), np.asarray(part.xy[1])
            dense_lon, dense_lat = densify_path(lon, lat, interpolation=interpolation or "geodesic")
            parts.append(np.column_stack([np.degrees(np.unwrap(np.radians(dense_lon))), dense_lat]))
        geometries.append(
            shapely.multilinestrings(parts) if len(parts) > 1 else shapely.linestrings(parts[0])
        )
    out = frame.drop(columns=frame.geometry.name).copy()
    return gpd.GeoDataFrame(out, geometry=geometries, crs="EPSG:4326")


def _polygon_path(polygon) -> MplPath:
    rings = [polygon.exterior, *polygon.interiors]
    return MplPath.make_compound_path(
        *(MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings)
    )


def add_geometries(ax, geometries, **style) -> None:
    """Add projected polygons (as one PathCollection) or lines (one LineCollection) to ``ax``."""
    polygons, lines = [], []
    for geometry in geometries:
        for part in shapely.get_parts(geometry):
            if part.is_empty:
                continue
            if part.geom_type == "Polygon":
                polygons.append(_polygon_path(part))
            elif part.geom_type == "LineString" or part.geom_type in {"LinearRing"}:
                lines.append(np.asarray(part.coords)[:, :2])
    if polygons:
        ax.add_collection(PathCollection(polygons, **style), autolim=False)
    if lines:
        line_style = {k: v for k, v in style.items() if k not in {"facecolor", "edgecolor"}}
        line_style.setdefault("color", style.get("edgecolor", style.get("facecolor")))
        ax.add_collection(LineCollection(lines, **line_style), autolim=False)


@dataclass
class Scene:
    """What one map draws; ``legend`` and ``labels`` fill up while drawing."""

    data: object  # geo.mapimage.MapData
    request: object  # geo.mapimage.MapRequest
    frame: MapFrame
    shown: pd.DataFrame
    locations: pd.DataFrame  # shown locations with "alpha" (0: not yet happened)
    enabled: dict
    legend: dict = field(default_factory=dict)  # label -> handle (insertion order)
    labels: list = field(default_factory=list)
    obstacles: list = field(default_factory=list)

    @property
    def unit(self) -> float:
        """Return the size unit: figure width in inches / 10 (text scales with the image)."""
        return self.request.width_px / self.request.dpi / 10.0

    def pt(self, size: float) -> float:
        """Return a size in points scaled to the image width (size at a 10-inch width)."""
        return size * self.unit

    @cached_property
    def envelope(self) -> tuple[float, float, float, float]:
        """Return a lon/lat box around the view (with a margin) to clip data to."""
        f = self.frame
        t = np.linspace(0, 1, 40)
        x = np.r_[
            f.x_min + (f.x_max - f.x_min) * t,
            np.full(40, f.x_max),
            f.x_min + (f.x_max - f.x_min) * t,
            np.full(40, f.x_min),
        ]
        y = np.r_[
            np.full(40, f.y_min),
            f.y_min + (f.y_max - f.y_min) * t,
            np.full(40, f.y_max),
            f.y_min + (f.y_max - f.y_min) * t,
        ]
        lon, lat = f.inverse(x, y)
        lon = f.lon_0 + (lon - f.lon_0 + 180.0) % 360.0 - 180.0
        margin = 2.0
        return (
            lon.min() - margin,
            max(lat.min() - margin, -89),
            lon.max() + margin,
            min(lat.max() + margin, 89),
        )

    def project(self, geometries) -> gpd.GeoSeries:
        """Return lon/lat geometries clipped to the envelope and projected into the frame."""
        series = gpd.GeoSeries(geometries, crs="EPSG:4326")
        clipped = series.clip_by_rect(*self.envelope)
        clipped = clipped[~(clipped.is_empty | clipped.isna())]
        return clipped.to_crs(self.frame.crs)

    def visible(self, geometries) -> gpd.GeoSeries:
        """Return the projected geometries that reach into the frame (for the legend)."""
        projected = self.project(geometries)
        f = self.frame
        return projected[projected.intersects(shapely.box(f.x_min, f.y_min, f.x_max, f.y_max))]

    def path_xy(self, coordinates) -> tuple[np.ndarray, np.ndarray]:
        """Return projected x, y of a lon/lat path (N, 2), NaN outside the envelope."""
        coordinates = np.asarray(coordinates, dtype=float)
        west, south, east, north = self.envelope
        lon = self.frame.lon_0 + (coordinates[:, 0] - self.frame.lon_0 + 180.0) % 360.0 - 180.0
        outside = (
            (lon < west) | (lon > east) | (coordinates[:, 1] < south) | (coordinates[:, 1] > north)
        )
        x, y = self.frame.forward(lon, coordinates[:, 1])
        return np.where(outside, np.nan, x), np.where(outside, np.nan, y)

    def lw(self, width_px: float) -> float:
        """Return a line width in points for a deck.gl width in pixels."""
        return self.pt(width_px * 0.5)

    def anchors_along(self, geometry, count: int = 9) -> list[tuple[float, float]]:
        """Return label anchors (projected) along a lon/lat line, middle first."""
        return _anchors_along(self, geometry, count)

    def label_style(self, size: float, **options) -> dict:
        """Return the text style of a map label of ``size`` points (at a 10-inch width)."""
        return _label_style(self, size, **options)


def _draw_basemap(ax, scene: Scene) -> None:
    data = scene.data
    ax.set_facecolor(rgba(BASEMAP_STYLE["sea"]))
    if data.land is not None:
        land = scene.project(data.land.geometry.values)
        add_geometries(
            ax,
            land.values,
            facecolor=rgba(BASEMAP_STYLE["land"]),
            edgecolor=rgba(BASEMAP_STYLE["coast"]),
            linewidth=scene.pt(0.4),
            zorder=2,
        )
    if data.borders is not None:
        borders = scene.project(data.borders.geometry.values)
        if len(borders):
            add_geometries(
                ax,
                borders.values,
                color=rgba(BASEMAP_STYLE["border"]),
                linewidth=scene.pt(0.5),
                zorder=4,
            )


def _draw_boundaries(ax, scene: Scene) -> None:
    boundaries = scene.data.boundaries
    for group in scene.data.groups:
        if not scene.enabled.get(group.key, group.default_on):
            continue
        rows = boundaries[boundaries["id"].isin(group.boundary_ids)]
        if rows.empty:
            continue
        colour, width = boundary_style(group.kind)
        projected = scene.visible(rows.geometry.values)
        if projected.empty:
            continue
        if group.kind in {"buffer_zone", "territorial_sea"}:
            add_geometries(
                ax,
                projected.values,
                facecolor=rgba(colour),
                edgecolor=rgba(colour, 0.8),
                linewidth=scene.pt(0.4),
                zorder=3,
            )
            scene.legend[group.label] = ("zone", rgba(colour), rgba(colour, 0.8))
        else:
            add_geometries(
                ax,
                projected.values,
                color=rgba(colour),
                linewidth=scene.lw(width),
                zorder=6,
                capstyle="round",
            )
            scene.legend[group.label] = ("line", rgba(colour), scene.lw(width))
            _line_labels(scene, rows)
        if scene.request.all_versions or scene.enabled.get("layer_line_versions", False):
            _draw_versions(ax, scene, group, colour, width)


def _draw_versions(ax, scene: Scene, group, colour, width) -> None:
    versions = scene.data.versions
    if versions.empty:
        return
    rows = versions[versions["id"].isin(group.boundary_ids)]
    for _, row in rows.iterrows():
        projected = scene.visible([row.geometry])
        if projected.empty:
            continue
        add_geometries(
            ax,
            projected.values,
            color=rgba(colour, 0.7),
            linewidth=scene.lw(width) * 0.8,
            linestyle=(0, (4, 2)),
            zorder=5,
        )
        name = f"{group.label}: other versions (dashed)"
        scene.legend[name] = ("dashed", rgba(colour, 0.7), scene.lw(width) * 0.8)
        meta = scene.data.catalog.boundary_meta.get(row["id"])
        name = (meta.short_name or meta.name) if meta else str(row["id"])
        text = f"{name}: {row.get('version_label') or row.get('version')}"
        scene.labels.append(
            Label(
                text, _anchors_along(scene, row.geometry), 55, _label_style(scene, 7, italic=True)
            )
        )


def _anchors_along(scene: Scene, geometry, count: int = 9) -> list[tuple[float, float]]:
    anchors = []
    for part in getattr(geometry, "geoms", [geometry]):
        x, y = scene.path_xy(np.asarray(part.coords))
        good = np.isfinite(x)
        x, y = x[good], y[good]
        inside = (
            (x > scene.frame.x_min)
            & (x < scene.frame.x_max)
            & (y > scene.frame.y_min)
            & (y < scene.frame.y_max)
        )
        x, y = x[inside], y[inside]
        if len(x):
            order = [0.5, 0.3, 0.7, 0.15, 0.85, 0.4, 0.6, 0.05, 0.95][:count]
            anchors += [
                (float(x[int(f * (len(x) - 1))]), float(y[int(f * (len(x) - 1))])) for f in order
            ]
    return anchors


def _line_labels(scene: Scene, rows) -> None:
    for _, row in rows.iterrows():
        meta = scene.data.catalog.boundary_meta.get(row["id"])
        text = (meta.short_name or meta.name) if meta else str(row["id"])
        if meta and meta.status:
            text += f" ({', '.join(s.value for s in meta.status)})"
        scene.labels.append(
            Label(
                text,
                _anchors_along(scene, row.geometry),
                60,
                _label_style(scene, 7.5, weight="bold"),
            )
        )


def _label_style(
    scene: Scene, size: float, *, colour=(0.15, 0.15, 0.15), weight="normal", italic=False, box=True
) -> dict:
    style = {"fontsize": scene.pt(size), "color": colour, "fontweight": weight, "zorder": 20}
    if italic:
        style["fontstyle"] = "italic"
    if box:
        style["bbox"] = {"boxstyle": "round,pad=0.15", "fc": (1, 1, 1, 0.72), "ec": "none"}
    return style


def draw(scene: Scene) -> Figure:
    """Return the figure of ``scene``: map, decorations and labels, laid out."""
    with LOCK, rc_context(RC):
        figure = Figure(
            figsize=(scene.request.width_px / scene.request.dpi, 8), dpi=scene.request.dpi
        )
        FigureCanvasAgg(figure)
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_aspect("equal")
        _draw_basemap(ax, scene)
        _draw_boundaries(ax, scene)
        mapincidents.draw_incidents(ax, scene)
        ax.set_xlim(scene.frame.x_min, scene.frame.x_max)
        ax.set_ylim(scene.frame.y_min, scene.frame.y_max)
        ax.set_xticks([])
        ax.set_yticks([])
        mapdecor.lay_out(figure, ax, scene)
        _place_map_labels(figure, ax, scene)
    return figure


def _place_map_labels(figure: Figure, ax, scene: Scene) -> None:
    _place_labels_of_places(scene)
    renderer = figure.canvas.get_renderer()
    placed = scene.locations[(scene.locations["alpha"] > 0)].dropna(subset=["lon", "lat"])
    x, y = scene.frame.forward(placed["lon"].to_numpy(float), placed["lat"].to_numpy(float))
    obstacles = marker_boxes(ax, x, y, scene.pt(4.5) * figure.dpi / 72) + scene.obstacles
    place_labels(ax, scene.labels, renderer, obstacles=obstacles)


def _place_labels_of_places(scene: Scene) -> None:
    if not scene.enabled.get("layer_labels", True):
        return
    places = list(scene.data.catalog.places.values())
    texts = [
        p.name.split(" (")[0] + (f" {p.names['ko']}" if "ko" in p.names else "") for p in places
    ]
    style = _label_style(scene, 7, colour=rgba(BASEMAP_STYLE["label"]))
    for text, (x, y) in _in_view(scene, [p.lon for p in places], [p.lat for p in places], texts):
        scene.labels.append(Label(text, [(x, y)], 30, style, offset_pt=scene.pt(8)))
    _country_labels(scene)


def _country_labels(scene: Scene) -> None:
    """Label each country on the map at its label point, or inside its part in view."""
    land = scene.data.land
    if land is None or not {"label_lon", "label_lat", "name"} <= set(land.columns):
        return
    f = scene.frame
    view = shapely.box(f.x_min, f.y_min, f.x_max, f.y_max)
    projected = scene.project(land.geometry.values)
    style = _label_style(scene, 9, colour=(0.45, 0.45, 0.45), box=False)
    for index, geometry in projected.items():
        row = land.loc[index]
        inside = geometry.intersection(view)
        if inside.is_empty or inside.area < 0.02 * view.area:
            continue
        anchor = shapely.Point(f.forward(row["label_lon"], row["label_lat"]))
        if not inside.contains(anchor):
            anchor = inside.point_on_surface()
        text = str(row["name"]).upper()
        scene.labels.append(Label(text, [(anchor.x, anchor.y)], 10, style, offset_pt=0))


def _in_view(scene: Scene, lon, lat, texts) -> list[tuple[str, tuple[float, float]]]:
    """Return (text, projected anchor) of the points inside the envelope and the frame."""
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    x, y = scene.path_xy(np.column_stack([lon, lat])) if len(lon) else (lon, lat)
    f = scene.frame
    inside = (x > f.x_min) & (x < f.x_max) & (y > f.y_min) & (y < f.y_max)
    return [
        (t, (float(xi), float(yi))) for t, xi, yi, ok in zip(texts, x, y, inside, strict=True) if ok
    ]
