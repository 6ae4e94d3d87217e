"""Crowded spots: where incidents sit on top of each other at the map's zoom, a count badge.

Many incidents share a few islands (Yeonpyeongdo, Baengnyeongdo): at the zoom that frames them
all, their markers and circles pile up. Points closer than ``RADIUS_PX`` on screen at the
view's zoom are grouped (single linkage on Web Mercator pixels); a group of ``MIN_COUNT``
incidents or more gets a badge with its count beside its centre, and a tooltip listing them. The
markers themselves stay where they are: zooming in separates them, and a click on one still
selects it. Positions are WGS84 lon/lat degrees.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pydeck as pdk
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

__all__ = ["MIN_COUNT", "RADIUS_PX", "cluster_layers", "crowded_groups"]

RADIUS_PX = 14  # markers closer than this at the view's zoom overlap (they are 12 px wide)
MIN_COUNT = 3  # incidents in a group before it gets a badge
_LISTED = 6  # titles named in a badge's tooltip


def _pixels(lon: np.ndarray, lat: np.ndarray, zoom: float) -> np.ndarray:
    """Return Web Mercator pixel coordinates at ``zoom`` (deck.gl: the world is 512 px at 0)."""
    scale = 512 * 2**zoom / 360.0
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85, 85)) / 2)))
    return np.column_stack([lon * scale, -y * scale])


def crowded_groups(locations: pd.DataFrame, zoom: float) -> list[pd.DataFrame]:
    """Return the groups of locations whose markers overlap at ``zoom``, largest first.

    Only groups of at least ``MIN_COUNT`` distinct incidents are returned.
    """
    frame = locations.dropna(subset=["lon", "lat"])
    if len(frame) < MIN_COUNT or not math.isfinite(zoom):
        return []
    points = _pixels(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float), zoom)
    pairs = cKDTree(points).query_pairs(RADIUS_PX, output_type="ndarray")
    if len(pairs) == 0:
        return []
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(frame),) * 2)
    _, labels = connected_components(graph, directed=False)
    groups = [frame[labels == label] for label in np.unique(labels)]
    groups = [g for g in groups if g["incident_id"].nunique() >= MIN_COUNT]
    return sorted(groups, key=len, reverse=True)


def cluster_layers(locations: pd.DataFrame, zoom: float) -> list:
    """Return the count badges of the crowded spots (a circle and its number), or nothing."""
    rows = []
    for group in crowded_groups(locations, zoom):
        titles = group.drop_duplicates("incident_id")["label"].tolist()
        listed = "; ".join(str(t) for t in titles[:_LISTED])
        more = f"; and {len(titles) - _LISTED} more" if len(titles) > _LISTED else ""
        rows.append(
            {
                "x": float(group["lon"].mean()),
                "y": float(group["lat"].mean()),
                "n": str(len(titles)),
                "t": f"{len(titles)} incidents overlap here: zoom in, or use the feed",
                "d": listed + more,
            }
        )
    if not rows:
        return []
    data = pd.DataFrame(rows)
    # one text layer with a background: the badge sits up and right of the group's centre, so
    # the markers themselves stay clickable at every zoom
    return [
        pdk.Layer(
            "TextLayer",
            id="clusters",
            data=data,
            get_position=["x", "y"],
            get_text="n",
            get_size=13,
            get_color=[20, 20, 20, 255],
            get_pixel_offset=[16, -16],
            get_text_anchor="'middle'",
            get_alignment_baseline="'center'",
            font_weight=700,
            background=True,
            get_background_color=[255, 255, 255, 235],
            get_border_color=[40, 40, 40, 255],
            get_border_width=1.5,
            background_padding=[5, 2, 5, 2],
            pickable=True,
        )
    ]
