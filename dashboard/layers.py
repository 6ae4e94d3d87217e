"""Pure pydeck layer builders: data in, ``pdk.Layer`` out. No Streamlit calls.

Every pickable layer carries the same two tooltip fields, ``t`` (title) and ``d`` (detail), so
one tooltip template serves them all; Streamlit escapes the values it substitutes. Incidents carry
only what the map needs (id, position, class, short label): quotes travel with the selection, not
the map. Circles larger than a few km are geodesic polygons, not screen-space radii.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk

from geo.geodesy import geodesic_circles
from geo.style import BOUNDARY_STYLE, CLAIM_STYLE, PALETTE, SELECTED, boundary_style

__all__ = [
    "BOUNDARY_STYLE",
    "PALETTE",
    "arc_layer",
    "boundary_layers",
    "claim_layers",
    "density_layer",
    "incident_layer",
    "range_ring_layers",
    "selection_layer",
    "uncertainty_layer",
]


def _round(values: np.ndarray, decimals: int = 5) -> list[float]:
    return np.round(np.asarray(values, dtype=float), decimals).tolist()


def _boundary_tip(row, meta, version_meta=None) -> dict[str, str]:
    """Return the tooltip of one boundary feature: its name, kind, status and source."""
    title = row["name"]
    if version_meta is not None:
        title += f" — {version_meta.version_label or row['version']} version"
    status = " · ".join(flag.value for flag in (version_meta or meta).status)
    sources = (version_meta or meta).sources
    detail = " · ".join(p for p in (row["kind"].replace("_", " "), status) if p)
    if sources:
        detail += f" · source: {sources[0].title}"
    return {"t": title, "d": detail}


def _paths(rows: gpd.GeoDataFrame, tips: list[dict], colours: list, widths: list) -> list[dict]:
    paths = []
    for tip, colour, width, geometry in zip(tips, colours, widths, rows.geometry, strict=True):
        parts = getattr(geometry, "geoms", [geometry])
        for part in parts:
            ring = part.exterior if hasattr(part, "exterior") else part
            coords = np.round(np.asarray(ring.coords)[:, :2], 5).tolist()
            paths.append({**tip, "path": coords, "c": colour, "w": width})
    return paths


def boundary_layers(
    boundaries: gpd.GeoDataFrame,
    groups,
    catalog,
    *,
    versions: gpd.GeoDataFrame | None = None,
) -> list:
    """Return the enabled boundary groups as few layers: one for every line, one for every zone.

    ``boundaries`` holds densified lines (EPSG:4326, continuous longitudes) indexed by id;
    ``groups`` are the enabled :class:`geo.style.LayerGroup` objects; ``versions``, when given,
    are the other versions of lines with several, drawn thin and translucent. Few layers keep
    picking cheap: deck.gl draws every pickable layer when the pointer goes down, and on a slow
    machine a press that takes longer than 250 ms is no longer a click.
    """
    ids = [i for group in groups for i in group.boundary_ids if i in boundaries.index]
    rows = boundaries.loc[ids]
    kinds = {i: group.kind for group in groups for i in group.boundary_ids}
    metas = catalog.boundary_meta
    zone = rows["kind"].isin(["buffer_zone", "territorial_sea"]).to_numpy() if len(rows) else []
    layers = []
    lines, zones = rows[~np.asarray(zone, bool)], rows[np.asarray(zone, bool)]
    if len(zones):
        tips = [_boundary_tip(row, metas[row["id"]]) for _, row in zones.iterrows()]
        styles = [boundary_style(kinds[i]) for i in zones["id"]]
        fills = gpd.GeoDataFrame(
            {**pd.DataFrame(tips).to_dict("list"), "c": [c for c, _ in styles]},
            geometry=zones.geometry.to_numpy(),
            crs="EPSG:4326",
        )
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="boundary-zones",
                data=fills.__geo_interface__,
                filled=True,
                stroked=False,
                get_fill_color="properties.c",
                pickable=True,
            )
        )
        layers.append(
            pdk.Layer(
                "PathLayer",
                id="boundary-zone-outlines",
                data=_paths(
                    zones, tips, [[*c[:3], 200] for c, _ in styles], [w for _, w in styles]
                ),
                get_path="path",
                get_color="c",
                get_width="w",
                width_units="'pixels'",
                pickable=False,
            )
        )
    if len(lines):
        tips = [_boundary_tip(row, metas[row["id"]]) for _, row in lines.iterrows()]
        styles = [boundary_style(kinds[i]) for i in lines["id"]]
        data = _paths(lines, tips, [c for c, _ in styles], [w for _, w in styles])
        layers.append(
            pdk.Layer(
                "PathLayer",
                id="boundary-lines",
                data=data,
                get_path="path",
                get_color="c",
                get_width="w",
                width_units="'pixels'",
                pickable=True,
                joint_rounded=True,
            )
        )
    if versions is not None and len(versions):
        mine = versions[versions["id"].isin(ids)]
        if len(mine):
            tips = [
                _boundary_tip(
                    row,
                    metas[row["id"]],
                    catalog.boundary_version_meta[(row["id"], row["version"])],
                )
                for _, row in mine.iterrows()
            ]
            colours = [[*boundary_style(kinds[i])[0][:3], 150] for i in mine["id"]]
            layers.append(
                pdk.Layer(
                    "PathLayer",
                    id="boundary-versions",
                    data=_paths(mine, tips, colours, [1.5] * len(mine)),
                    get_path="path",
                    get_color="c",
                    get_width="w",
                    width_units="'pixels'",
                    pickable=True,
                )
            )
    return layers


def incident_layer(locations: pd.DataFrame, *, detailed_tooltips: bool = True) -> pdk.Layer:
    """Return the incidents as points coloured by marker class (see :func:`selection_layer`).

    ``locations`` has ``incident_id``, ``lon``, ``lat``, ``marker``, ``label`` and ``detail``.
    Only these travel to the browser: about 150 bytes per location with titles as tooltips; beyond
    a few thousand points (``detailed_tooltips=False``) the tooltip shows the id and positions
    are rounded to 0.001°, about 80 bytes: under 1 MB per 10,000 incidents. The selection is
    marked by its own layer, so the points need no per-row size.
    """
    frame = locations.dropna(subset=["lon", "lat"])
    marker = frame["marker"].to_numpy()
    colours = [PALETTE.get(m, PALETTE["other"]) for m in marker]
    ids = frame["incident_id"].to_numpy()
    decimals = 4 if detailed_tooltips else 3  # 0.001° ≈ 100 m: plenty for a click at that scale
    # one-letter keys: they repeat on every row of the payload
    data = pd.DataFrame(
        {
            "i": ids,
            "x": _round(frame["lon"], decimals),
            "y": _round(frame["lat"], decimals),
            "c": colours,
            "t": frame["label"].to_numpy() if detailed_tooltips else ids,
            "d": frame["detail"].to_numpy() if detailed_tooltips else "",
        }
    )
    return pdk.Layer(
        "ScatterplotLayer",
        id="incidents",
        data=data,
        get_position=["x", "y"],
        get_fill_color="c",
        get_radius=6,
        radius_units="'pixels'",
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=1.5,
        pickable=True,
        auto_highlight=True,
    )


def density_layer(locations: pd.DataFrame, *, cell_deg: float = 0.1) -> pdk.Layer:
    """Return shown locations binned into cells of ``cell_deg`` degrees, sized by count.

    For very many incidents the points are counted on the server: the browser receives one small
    record per occupied cell instead of one per incident.
    """
    frame = locations.dropna(subset=["lon", "lat"])
    cells = pd.DataFrame(
        {
            "x": np.floor(frame["lon"].to_numpy() / cell_deg) * cell_deg + cell_deg / 2,
            "y": np.floor(frame["lat"].to_numpy() / cell_deg) * cell_deg + cell_deg / 2,
        }
    )
    counts = cells.value_counts().rename("n").reset_index()
    counts["x"], counts["y"] = _round(counts["x"], 3), _round(counts["y"], 3)
    # radius (m) grows with the square root of the count, so area reads as count
    counts["r"] = np.round(np.sqrt(counts["n"].to_numpy()) * cell_deg * 111_000 / 4)
    counts["t"] = counts["n"].map(lambda n: f"{n:,} incidents")
    counts["d"] = "filter or search to see and click single incidents"
    return pdk.Layer(
        "ScatterplotLayer",
        id="density",
        data=counts,
        get_position=["x", "y"],
        get_radius="r",
        radius_units="'meters'",
        radius_max_pixels=30,
        get_fill_color=[*PALETTE["impact"], 140],
        pickable=True,
    )


def arc_layer(arcs: pd.DataFrame) -> pdk.Layer:
    """Return launch → impact arcs (``lon0, lat0, lon1, lat1, incident_id`` columns)."""
    data = arcs.assign(
        lon0=_round(arcs["lon0"]),
        lat0=_round(arcs["lat0"]),
        lon1=_round(arcs["lon1"]),
        lat1=_round(arcs["lat1"]),
    )
    return pdk.Layer(
        "ArcLayer",
        id="arcs",
        data=data[["i", "lon0", "lat0", "lon1", "lat1", "t", "d"]],
        get_source_position=["lon0", "lat0"],
        get_target_position=["lon1", "lat1"],
        get_source_color=[*PALETTE["launch"], 200],
        get_target_color=[*PALETTE["impact"], 200],
        get_width=2,
        get_height=0.25,
        great_circle=True,
        pickable=True,
    )


def uncertainty_layer(
    locations: pd.DataFrame, *, min_radius_km: float = 0.5, emphasis: bool = False
) -> pdk.Layer:
    """Return each location's precision circle as a geodesic polygon.

    Circles of the selected incident (``emphasis``) are filled; others are faint outlines, so
    that large, honest radii do not drown the map.
    """
    frame = locations.dropna(subset=["lon", "lat"])
    frame = frame[frame["precision_km"] >= min_radius_km]
    rings = geodesic_circles(frame["lon"], frame["lat"], frame["precision_km"], n_vertices=48)
    data = [
        {
            "polygon": np.round(ring, 4).tolist(),
            "t": f"±{radius:g} km",
            "d": "location precision (geodesic circle)",
        }
        for ring, radius in zip(rings, frame["precision_km"], strict=True)
    ]
    return pdk.Layer(
        "PolygonLayer",
        id="uncertainty-selected" if emphasis else "uncertainty",
        data=data,
        get_polygon="polygon",
        filled=emphasis,
        stroked=True,
        get_fill_color=[0, 114, 178, 35],
        get_line_color=[0, 114, 178, 200 if emphasis else 70],
        line_width_min_pixels=1.5 if emphasis else 1,
        pickable=False,
    )


def range_ring_layers(lon: float, lat: float, radii_km: list[float]) -> list:
    """Return geodesic range rings around a launch site, with their distances as labels."""
    rings = geodesic_circles(np.full(len(radii_km), lon), np.full(len(radii_km), lat), radii_km)
    paths = [
        {"path": np.round(ring, 4).tolist(), "t": f"{r:g} km", "d": "range ring"}
        for ring, r in zip(rings, radii_km, strict=True)
    ]
    labels = [
        {"lon": float(ring[0][0]), "lat": float(ring[0][1]), "text": f"{r:g} km"}
        for ring, r in zip(rings, radii_km, strict=True)
    ]
    return [
        pdk.Layer(
            "PathLayer",
            id="range-rings",
            data=paths,
            get_path="path",
            get_color=[*PALETTE["launch"], 160],
            width_min_pixels=1.5,
            get_width=1.5,
            width_units="'pixels'",
        ),
        pdk.Layer(
            "TextLayer",
            id="range-ring-labels",
            data=labels,
            get_position=["lon", "lat"],
            get_text="text",
            get_size=12,
            get_color=[*PALETTE["launch"], 255],
            get_alignment_baseline="'bottom'",
        ),
    ]


def claim_layers(items: list[dict]) -> list:
    """Return the claims of the selected incident: circles, bearings, offsets, solved points.

    ``items`` come from :func:`geo.claim_shapes.claim_geometries` (lon/lat paths, geodesic). A
    solved point's alternative fits (other assumptions) are small hollow points joined to it by
    thin lines: the spread of the solution.
    """
    details = {"ellipse": "1-sigma ellipse", "spread": "the solution under other assumptions"}
    paths = [
        {
            "path": np.round(np.asarray(item["path"]), 4).tolist(),
            "colour": CLAIM_STYLE[item["kind"]][0],
            "width": CLAIM_STYLE[item["kind"]][1],
            "t": item["label"],
            "d": details.get(item["kind"], f"claim: {item['kind']}"),
        }
        for item in items
        if "path" in item
    ]
    what = {"point": "position solved from the claims", "alternative": "an alternative fit"}
    points = [
        {
            "lon": item["position"][0],
            "lat": item["position"][1],
            "t": item["label"],
            "d": what[item["kind"]],
            "fill": [0, 0, 0, 255] if item["kind"] == "point" else [255, 255, 255, 255],
            "r": 5 if item["kind"] == "point" else 4,
        }
        for item in items
        if item["kind"] in what
    ]
    return [
        pdk.Layer(
            "PathLayer",
            id="claims",
            data=paths,
            get_path="path",
            get_color="colour",
            get_width="width",
            width_units="'pixels'",
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id="claims-solved",
            data=points,
            get_position=["lon", "lat"],
            get_radius="r",
            radius_units="'pixels'",
            get_fill_color="fill",
            get_line_color=[0, 0, 0, 255],
            stroked=True,
            line_width_min_pixels=1.5,
            pickable=True,
        ),
    ]


def selection_layer(locations: pd.DataFrame) -> pdk.Layer:
    """Return rings that mark the selected incident's locations."""
    frame = locations.dropna(subset=["lon", "lat"])
    return pdk.Layer(
        "ScatterplotLayer",
        id="selection",
        data=pd.DataFrame({"lon": _round(frame["lon"]), "lat": _round(frame["lat"])}),
        get_position=["lon", "lat"],
        get_radius=16,
        radius_units="'pixels'",
        filled=False,
        stroked=True,
        get_line_color=SELECTED,
        line_width_min_pixels=2.5,
    )
