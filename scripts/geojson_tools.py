"""GeoJSON helpers shared by the data-building scripts (polygons, rounding, readable output)."""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import mapping

__all__ = ["format_collection", "geometry_json", "polygonal", "round_coords"]


def polygonal(geometry: Any) -> Any:
    """Return ``geometry`` as a valid (Multi)Polygon, dropping lines and points."""
    if geometry is None or geometry.is_empty:
        return shapely.MultiPolygon()
    geometry = shapely.make_valid(geometry)
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty]
    multi = [g for g in shapely.get_parts(geometry) if g.geom_type == "MultiPolygon"]
    parts += [p for m in multi for p in m.geoms]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def round_coords(value: Any, decimals: int) -> Any:
    """Round nested coordinate lists to ``decimals`` places, keeping x and y only."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], int | float):
            return [round(float(v), decimals) for v in value[:2]]
        return [round_coords(v, decimals) for v in value]
    return value


def geometry_json(geometry: Any, decimals: int) -> dict[str, Any]:
    """Return RFC 7946 GeoJSON for a shapely geometry (CCW exteriors, rounded coordinates)."""
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": round_coords(data["coordinates"], decimals)}


def format_collection(features: list[dict[str, Any]]) -> str:
    """Format a boundary FeatureCollection for human editing and readable diffs.

    Properties are indented; a short line's vertices go one per line; larger geometries keep
    one ring or part per line.
    """
    blocks = []
    for feature in features:
        props = json.dumps(feature.get("properties"), ensure_ascii=False, indent=2)
        props = props.replace("\n", "\n  ")
        geometry = feature.get("geometry")
        if geometry is None:
            geom_text = "null"
        else:
            coords = geometry["coordinates"]
            if geometry["type"] == "LineString" and len(coords) <= 400:
                inner = ",\n    ".join(json.dumps(c) for c in coords)
            else:
                inner = ",\n    ".join(json.dumps(c, separators=(",", ":")) for c in coords)
            geom_text = (
                '{"type": '
                + json.dumps(geometry["type"])
                + ', "coordinates": [\n    '
                + inner
                + "\n  ]}"
            )
        blocks.append(
            '{\n  "type": "Feature",\n  "properties": '
            + props
            + ',\n  "geometry": '
            + geom_text
            + "\n}"
        )
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(blocks) + "\n]}\n"
