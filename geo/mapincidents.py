"""Incidents on the map image: markers, precision circles, arcs, range rings, claims, labels.

Opacity comes from the scene (``alpha``: 0 before an incident's time, fading after it, lower
for context incidents beside a selection). The legend does not depend on the moment: it lists
what the map draws over its whole span, so every frame of a playback has the same layout.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
import pandas as pd
import shapely

from geo.claim_shapes import claim_geometries
from geo.geodesy import densify_path, geodesic_circles
from geo.maplabels import Label
from geo.style import CLAIM_STYLE, MARKER_CLASSES, PALETTE, rgba

__all__ = ["RANGE_RINGS_KM", "draw_incidents"]

RANGE_RINGS_KM = [50, 100, 200, 300, 500]
MAX_CIRCLES = 300  # beyond this many shown locations, only the selection gets circles
CLAIM_NAMES = {
    "circle": "Stated distance from a place",
    "bearing": "Stated direction from a place",
    "offset": "Stated distance from a line",
    "ellipse": "Position solved from the claims (1σ ellipse, +)",
    "spread": "Other fits of the solved position (other assumptions, ×)",
}
_DASHES = {"circle": (0, (5, 2.5)), "bearing": (0, (1.5, 2)), "offset": (0, (5, 2.5))}


def _in_frame(scene, frame: pd.DataFrame) -> pd.DataFrame:
    x, y = scene.frame.forward(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    f = scene.frame
    inside = (x >= f.x_min) & (x <= f.x_max) & (y >= f.y_min) & (y <= f.y_max)
    return frame[inside]


def _arc_pairs(locations: pd.DataFrame) -> pd.DataFrame:
    launch = locations[locations["role"] == "launch"].drop_duplicates("incident_id")
    impact = locations[locations["role"] == "impact"]
    return impact.merge(launch, on="incident_id", suffixes=("_i", "_l"))


def draw_incidents(ax, scene) -> None:
    """Draw the scene's incidents and what belongs to the selection; fill legend and labels."""
    located = scene.locations.dropna(subset=["lon", "lat"])
    visible = located[located["alpha"] > 0]
    selected = set(scene.request.incident_ids)
    chosen = located[located["incident_id"].isin(selected)]
    if scene.enabled.get("layer_rings", True):
        _draw_rings(ax, scene, chosen, visible["incident_id"].isin(selected).any())
    if scene.enabled.get("layer_uncertainty", True):
        _draw_circles(ax, scene, located, visible, selected)
    if scene.enabled.get("layer_claims", True):
        for incident_id in scene.request.incident_ids:
            shown = incident_id in set(visible["incident_id"])
            _draw_claims(ax, scene, incident_id, shown=shown)
    if scene.enabled.get("layer_arcs", True):
        _draw_arcs(ax, scene, located, visible)
    if scene.enabled.get("layer_incidents", True):
        _draw_markers(ax, scene, located, visible, selected)


def _draw_rings(ax, scene, chosen: pd.DataFrame, shown: bool) -> None:
    launch = chosen[chosen["role"] == "launch"]
    if launch.empty:
        return
    colour = rgba(PALETTE["launch"], 0.35)
    scene.legend["Range from the launch site"] = ("dashed", colour, scene.pt(0.6))
    if not shown:
        return
    lon, lat = float(launch["lon"].iloc[0]), float(launch["lat"].iloc[0])
    count = len(RANGE_RINGS_KM)
    rings = geodesic_circles(
        np.full(count, lon), np.full(count, lat), RANGE_RINGS_KM, n_vertices=180
    )
    style = scene.label_style(6, colour=rgba(PALETTE["launch"]), box=False)
    for ring, radius in zip(rings, RANGE_RINGS_KM, strict=True):
        x, y = scene.path_xy(ring)
        ax.plot(x, y, color=colour, linewidth=scene.pt(0.6), linestyle=(0, (6, 3)), zorder=5)
        anchors = scene.anchors_along(shapely.linestrings(ring), count=5)
        scene.labels.append(Label(f"{radius:g} km", anchors, 20, style, offset_pt=scene.pt(1)))


def _draw_circles(ax, scene, located, visible, selected: set[str]) -> None:
    frame = visible[visible["precision_km"] >= 0.5]
    if len(located) > MAX_CIRCLES:
        frame = frame[frame["incident_id"].isin(selected)]
    blue = PALETTE["impact"]
    if (located["precision_km"] >= 0.5).any():
        scene.legend["Location precision (geodesic circle)"] = (
            "circle",
            rgba(blue, 0.12),
            rgba(blue, 0.8),
        )
    if frame.empty:
        return
    rings = geodesic_circles(frame["lon"], frame["lat"], frame["precision_km"], n_vertices=96)
    for ring, (_, row) in zip(rings, frame.iterrows(), strict=True):
        x, y = scene.path_xy(ring)
        emphasis, alpha = row["incident_id"] in selected, row["alpha"]
        if emphasis:
            ax.fill(x, y, color=rgba(blue, 0.12 * alpha), zorder=7, linewidth=0)
        ax.plot(
            x,
            y,
            color=rgba(blue, (0.8 if emphasis else 0.35) * alpha),
            linewidth=scene.pt(0.8 if emphasis else 0.5),
            zorder=7,
        )


def _draw_arcs(ax, scene, located, visible) -> None:
    colour = PALETTE["launch"]
    if len(_in_frame(scene, _arc_pairs(located).rename(columns={"lon_i": "lon", "lat_i": "lat"}))):
        scene.legend["Launch → impact (geodesic)"] = ("line", rgba(colour, 0.9), scene.pt(1.1))
    for row in _arc_pairs(visible).itertuples():
        lon, lat = densify_path([row.lon_l, row.lon_i], [row.lat_l, row.lat_i], max_segment_km=5.0)
        x, y = scene.path_xy(np.column_stack([lon, lat]))
        line = rgba(colour, 0.9 * row.alpha_i)
        ax.plot(x, y, color=line, linewidth=scene.pt(1.1), zorder=9, solid_capstyle="round")
        if len(x) < 2 or not np.isfinite(x[-2:]).all():
            continue
        arrow = {
            "arrowstyle": "-|>",
            "color": line,
            "lw": scene.pt(1.1),
            "mutation_scale": scene.pt(12),
            "shrinkA": 0,
            "shrinkB": scene.pt(4),
        }
        ax.annotate("", xy=(x[-1], y[-1]), xytext=(x[-2], y[-2]), arrowprops=arrow, zorder=9)


def _draw_markers(ax, scene, located, visible, selected: set[str]) -> None:
    for marker in dict.fromkeys(_in_frame(scene, located)["marker"]):
        colour = rgba(PALETTE.get(marker, PALETTE["other"]))
        scene.legend[MARKER_CLASSES.get(marker, marker)] = ("marker", colour, None)
    if visible.empty:
        return
    x, y = scene.frame.forward(visible["lon"].to_numpy(float), visible["lat"].to_numpy(float))
    alpha = visible["alpha"].to_numpy(float)
    colours = [
        rgba(PALETTE.get(m, PALETTE["other"]), a)
        for m, a in zip(visible["marker"], alpha, strict=True)
    ]
    edges = [(1, 1, 1, a) for a in alpha]
    size, width = scene.pt(7) ** 2, scene.pt(1)
    ax.scatter(x, y, s=size, c=colours, edgecolors=edges, linewidths=width, zorder=11)
    chosen = visible["incident_id"].isin(selected).to_numpy()
    if chosen.any():
        ax.scatter(
            x[chosen],
            y[chosen],
            s=scene.pt(13) ** 2,
            facecolors="none",
            edgecolors="black",
            linewidths=scene.pt(1.3),
            zorder=12,
        )
    _incident_labels(scene, visible, x, y, selected)


def _selected_label(row) -> str:
    role = str(row["role"]).replace("_", " ").capitalize()
    text = f"{role}: {row['label']}" if isinstance(row["label"], str) else role
    text = textwrap.fill(text, 34)
    if row["derived"]:
        text += f"\n{row['lat']:.3f}°N {row['lon']:.3f}°E ± {row['precision_km']:g} km"
    return text


def _incident_labels(scene, visible: pd.DataFrame, x, y, selected: set[str]) -> None:
    tz = dt.timezone(scene.data.offset)
    seen = set()
    strong = scene.label_style(7.5, weight="bold")
    plain = scene.label_style(6.5)
    for xi, yi, (_, row) in zip(x, y, visible.iterrows(), strict=True):
        incident_id = row["incident_id"]
        if incident_id in selected:
            label = Label(_selected_label(row), [(xi, yi)], 100, strong, offset_pt=scene.pt(11))
            scene.labels.append(label)
        elif incident_id not in seen and row["alpha"] >= 0.5:
            seen.add(incident_id)
            time = pd.Timestamp(row["time_utc"]).tz_convert(tz)
            title = textwrap.shorten(scene.shown.loc[incident_id, "title"], 48, placeholder="…")
            text = textwrap.fill(f"{time:%H:%M} {title}", 30)
            priority = 50 + row["alpha"]
            scene.labels.append(Label(text, [(xi, yi)], priority, plain, offset_pt=scene.pt(8)))


def _draw_claims(ax, scene, incident_id: str, *, shown: bool) -> None:
    from geo.mapdecor import claim_glosses

    catalog = scene.data.catalog
    incident = catalog.incidents[incident_id]
    glosses = claim_glosses(incident, catalog)
    style = scene.label_style(7, colour=(0.45, 0.18, 0.38))
    for item in claim_geometries(incident, scene.data.positions):
        kind = item["kind"]
        if kind in {"point", "alternative"}:
            if shown:
                x, y = scene.frame.forward(*item["position"])
                marker, size = ("+", 9) if kind == "point" else ("x", 6)
                ax.scatter(
                    [x], [y], marker=marker, s=scene.pt(size) ** 2, c="black", lw=scene.pt(1.2),
                    zorder=13,
                )  # fmt: skip
            continue
        colour, width = CLAIM_STYLE[kind]
        kind_of_line = "line" if kind == "ellipse" else "dashed"
        scene.legend[CLAIM_NAMES[kind]] = (kind_of_line, rgba(colour), scene.lw(width))
        if not shown:
            continue
        x, y = scene.path_xy(item["path"])
        dashes = _DASHES.get(kind, "solid")
        ax.plot(x, y, color=rgba(colour), linewidth=scene.lw(width), linestyle=dashes, zorder=8)
        if kind in {"circle", "offset"} and item["label"] in glosses:
            anchors = scene.anchors_along(shapely.linestrings(np.asarray(item["path"])))
            scene.labels.append(Label(glosses[item["label"]], anchors, 80, style))
