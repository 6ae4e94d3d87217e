"""Derive approximate territorial seas from the bundled basemap and the breadth rules.

Reads data/basemap/land.geojson (built by scripts/build_basemap.py) and
data/territorial_seas.yaml (breadth per state, exceptions), and writes
data/boundaries/territorial_seas.geojson: one ``territorial_sea`` feature per state whose land
lies in the region (``--region``, default the basemap's detail region), with properties per
``geo.models.BoundaryMeta``. From the repository root::

    .venv/bin/python scripts/build_territorial_seas.py

Method, per state:

1. The state's land (every land feature with its ``iso_a3``, extra islands included) is cut into
   ``--tile-deg`` tiles. Each tile is buffered by the breadth in its own azimuthal-equidistant
   projection centred on the tile, so the buffer distance is geodesic to well under 0.1 % (a
   tile's farthest point is a few hundred km from its centre). The union of the tile buffers is
   the buffer of the whole (buffering distributes over union).
2. Exceptions: inside an exception's bbox the breadth is the exception's, whichever coast it is
   measured from; the coast inside the bbox keeps the exception's breadth also where its sea
   reaches out of the bbox (so an island inside gets no band of default-breadth sea beyond the
   bbox edge). Elsewhere the default breadth applies, measured from the coast outside the bboxes.
3. Minus all land (every state's), keeping only sea connected to the open ocean of the work area
   (enclosed lakes are dropped), clipped to the region, simplified to ``--tolerance`` degrees.

Normal baselines only: straight baselines, bay closing lines and low-tide elevations are not
modelled, and overlapping claims of neighbours are not divided (no median lines). The result is
approximate and every feature says so.

``--clip-zones FILE ...`` also clips the zone features (kind ``buffer_zone``) of the given
boundary files to the sea: their geometry becomes geometry minus land, in place, keeping their
properties (idempotent). ``--zone-outline ID=LON,LAT,LON,LAT,...`` first resets zone ``ID`` to
that outline, so a zone drawn from a few anchor points can be rebuilt from scratch; the outline
is also recorded in the zone's accuracy_note.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import yaml
from geojson_tools import format_collection, geometry_json, polygonal
from pyproj import CRS, Transformer
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.models import BoundaryMeta, TerritorialSeaRules  # noqa: E402

NM = 1852.0  # metres per nautical mile
NE_SOURCE = {
    "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/",
    "title": "Natural Earth 1:10m Admin 0 - Countries 5.1.1 (public domain), via data/basemap",
    "note": "The coastline the breadth is measured from (normal baseline).",
}


# --------------------------------------------------------------------------- geometry helpers


def aeqd(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    """Return (to, from) transformers of an azimuthal-equidistant CRS centred on lon/lat."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m")
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    backward = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return forward, backward


def transform(geometry: Any, transformer: Transformer) -> Any:
    """Apply a pyproj transformer to every vertex of a shapely geometry."""
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def geodesic_buffer(land: Any, distance_m: float, tile_deg: float) -> Any:
    """Buffer lon/lat land by ``distance_m`` metres, tile by tile in local AEQD projections."""
    if land.is_empty:
        return shapely.MultiPolygon()
    lon_min, lat_min, lon_max, lat_max = land.bounds
    pieces = []
    lon0 = math.floor(lon_min / tile_deg) * tile_deg
    lat0 = math.floor(lat_min / tile_deg) * tile_deg
    for x in np.arange(lon0, lon_max, tile_deg):
        for y in np.arange(lat0, lat_max, tile_deg):
            tile = shapely.box(x, y, x + tile_deg, y + tile_deg)
            piece = polygonal(shapely.intersection(land, tile))
            if piece.is_empty:
                continue
            centre_lat = max(-89.0, min(89.0, y + tile_deg / 2))
            forward, backward = aeqd(x + tile_deg / 2, centre_lat)
            buffered = transform(piece, forward).buffer(distance_m, quad_segs=16)
            pieces.append(polygonal(transform(buffered, backward)))
    return polygonal(shapely.union_all(pieces)) if pieces else shapely.MultiPolygon()


def open_sea(work: Any, land: Any) -> Any:
    """Return the part of ``work`` not on land and connected to the work area's edge."""
    water = polygonal(shapely.difference(work, land))
    edge = work.exterior
    parts = [p for p in shapely.get_parts(water) if p.intersects(edge)]
    return polygonal(shapely.union_all(parts)) if parts else shapely.MultiPolygon()


def finish(geometry: Any, tolerance: float, decimals: int, min_area_deg2: float) -> Any:
    """Simplify, snap to the output grid, drop slivers; return a valid (Multi)Polygon."""
    if tolerance > 0:
        geometry = shapely.simplify(geometry, tolerance, preserve_topology=True)
    geometry = polygonal(shapely.set_precision(polygonal(geometry), 10.0**-decimals))
    parts = [p for p in shapely.get_parts(geometry) if p.area >= min_area_deg2]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


# --------------------------------------------------------------------------- territorial seas


def fmt_nm(value: float) -> str:
    return f"{value:g} nm"


def feature_for_state(
    state: str,
    sea: Any,
    rule: Any,
    breadth_nm: float,
    display: dict[str, Any],
    region: tuple[float, float, float, float],
    tolerance: float,
) -> dict[str, Any]:
    """Return the properties of one state's territorial-sea feature."""
    english = display.get("name") or state
    korean = display.get("name_ko")
    sources = []
    exceptions_text = ""
    if rule is not None:
        sources.append(
            {
                "url": rule.source,
                "title": f"{rule.name}: territorial-sea breadth",
                "note": rule.note,
            }
        )
        for exc in rule.exceptions:
            sources.append(
                {
                    "url": exc.source,
                    "title": f"{rule.name}: {exc.name} ({fmt_nm(exc.breadth_nm)})",
                    "note": exc.note,
                }
            )
        if rule.exceptions:
            exceptions_text = "; ".join(
                f"{fmt_nm(e.breadth_nm)} in and from the coast in the bbox {e.bbox}, an "
                f"approximation of {e.name}"
                for e in rule.exceptions
            )
    sources.append(NE_SOURCE)
    straight = rule is not None and rule.baseline == "straight_approximated_by_normal"
    accuracy = (
        f"Derived from the Natural Earth 1:10m coastline (data/basemap/land.geojson) with normal "
        f"baselines: the sea within {fmt_nm(breadth_nm)} of {english}'s land"
        + (f" ({exceptions_text})" if exceptions_text else "")
        + ", minus all land, buffered in local azimuthal-equidistant projections (geodesic to "
        "well under 0.1 %). Straight baselines, bay closing lines and low-tide elevations are "
        "not modelled"
        + (
            "; this state draws straight baselines along parts of its coast, so there its real "
            "outer limit lies further out, by up to tens of km where baselines cut across bays "
            "and island groups"
            if straight
            else ""
        )
        + ". Overlaps with neighbours' territorial seas are not divided (no median lines). "
        f"Clipped to the region lon {region[0]:g}..{region[2]:g}, "
        f"lat {region[1]:g}..{region[3]:g}; "
        f"simplified to about {tolerance:g}°, so the landward edge can overlap the coastline by a "
        "few hundred metres. Approximate."
    )
    note = (
        f"Breadth {fmt_nm(breadth_nm)}"
        + (f" per {rule.name}'s rule in data/territorial_seas.yaml" if rule else " (default)")
        + ". Disputed islands count for the state Natural Earth (German point of view) or the "
        "basemap's extra-islands list assigns them to. Regenerate with "
        "scripts/build_territorial_seas.py."
    )
    return {
        "id": f"territorial_sea_{state.lower()}",
        "name": f"Territorial sea of {english} (approximate)",
        "names": {"ko": f"{korean} 영해 (근사)"} if korean else {},
        "short_name": f"Territorial sea ({state})",
        "layer": "Territorial seas (approximate)",
        "kind": "territorial_sea",
        "status": ["approximate"],
        "state": state,
        "sources": sources,
        "accuracy_note": accuracy,
        "accuracy_km": 20.0 if straight else 2.0,
        "note": note,
    }


def build_seas(args: argparse.Namespace) -> list[dict[str, Any]]:
    land = gpd.read_file(args.land).to_crs("EPSG:4326")
    rules_data = yaml.safe_load(args.rules.read_text(encoding="utf-8"))
    rules = TerritorialSeaRules.model_validate(rules_data)
    by_state = {rule.state: rule for rule in rules.rules}
    region = tuple(args.region)
    box = shapely.box(*region)

    if args.states:
        states = [s.strip().upper() for s in args.states.split(",") if s.strip()]
    else:
        states = sorted(set(land.loc[land.intersects(box), "iso_a3"]))
    max_nm = max([r.breadth_nm for r in rules.rules] + [rules.default_breadth_nm or 0, 12])
    pad = max_nm * NM / 111_000 + 0.5
    work = shapely.box(region[0] - pad, region[1] - pad, region[2] + pad, region[3] + pad)
    work_land = polygonal(shapely.union_all(shapely.intersection(land.geometry.values, work)))
    sea = open_sea(work, work_land)
    print(f"  sea of the work area ready ({len(states)} states: {', '.join(states)})",
          file=sys.stderr)  # fmt: skip

    features = []
    for state in states:
        rule = by_state.get(state)
        breadth = rule.breadth_nm if rule else rules.default_breadth_nm
        if breadth is None:
            print(f"  {state}: no rule and no default breadth; skipped", file=sys.stderr)
            continue
        rows = land[land["iso_a3"] == state]
        if rows.empty:
            print(f"  {state}: no land in {args.land}; skipped", file=sys.stderr)
            continue
        own = polygonal(shapely.union_all(shapely.intersection(rows.geometry.values, work)))
        area = breadth_area(own, breadth, rule.exceptions if rule else [], args.tile_deg)
        result = polygonal(shapely.intersection(shapely.intersection(area, sea), box))
        result = finish(result, args.tolerance, args.decimals, args.min_area_deg2)
        if result.is_empty:
            print(f"  {state}: no sea within {fmt_nm(breadth)} in the region; skipped",
                  file=sys.stderr)  # fmt: skip
            continue
        display = land_display(rows)
        props = feature_for_state(state, result, rule, breadth, display, region, args.tolerance)
        BoundaryMeta.model_validate(props)  # fail here, not in the validator
        features.append(
            {"type": "Feature", "properties": props,
             "geometry": geometry_json(result, args.decimals)}
        )  # fmt: skip
        n = len(shapely.get_coordinates(result))
        print(f"  {state}: {fmt_nm(breadth)}, {n:,} vertices", file=sys.stderr)
    return features


def breadth_area(own: Any, breadth_nm: float, exceptions: list[Any], tile_deg: float) -> Any:
    """Return the area within the claimed breadth of a state's land, exceptions applied.

    An exception's breadth applies to the sea inside its bbox (whichever coast it is measured
    from) and to the sea of the coast inside its bbox (also where that reaches out of the
    bbox); the default breadth applies to the rest: the sea of the coast outside every bbox,
    outside every bbox.
    """
    boxes = [shapely.box(*e.bbox) for e in exceptions]
    all_boxes = shapely.union_all(boxes) if boxes else shapely.Polygon()
    outside = polygonal(shapely.difference(own, all_boxes)) if boxes else own
    area = geodesic_buffer(outside, breadth_nm * NM, tile_deg)
    if boxes:
        area = polygonal(shapely.difference(area, all_boxes))
    for exc, exc_box in zip(exceptions, boxes, strict=True):
        lat = max(abs(exc.bbox[1]), abs(exc.bbox[3]))
        pad = exc.breadth_nm * NM / 111_000 / math.cos(math.radians(min(lat, 80.0))) + 0.1
        near = polygonal(shapely.intersection(own, exc_box.buffer(pad, join_style="mitre")))
        narrow_all = geodesic_buffer(near, exc.breadth_nm * NM, tile_deg)
        inside = polygonal(shapely.intersection(own, exc_box))
        narrow_own = geodesic_buffer(inside, exc.breadth_nm * NM, tile_deg)
        area = polygonal(
            shapely.union_all([area, shapely.intersection(narrow_all, exc_box), narrow_own])
        )
    return area


def land_display(rows: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the English and Korean names of a state from its largest land feature."""
    largest = rows.iloc[int(np.argmax(shapely.area(rows.geometry.values)))]
    return {"name": largest.get("name"), "name_ko": largest.get("name_ko")}


# --------------------------------------------------------------------------- zones


def parse_outlines(specs: list[str]) -> dict[str, Any]:
    """Parse ``ID=LON,LAT,LON,LAT,...`` outlines into polygons by boundary id."""
    outlines = {}
    for spec in specs:
        try:
            boundary_id, numbers = spec.split("=", 1)
            values = [float(v) for v in numbers.replace(";", ",").split(",") if v.strip()]
        except ValueError:
            raise SystemExit(f"--zone-outline {spec!r}: expected ID=LON,LAT,LON,LAT,...") from None
        if len(values) < 6 or len(values) % 2:
            raise SystemExit(f"--zone-outline {spec!r}: needs at least 3 LON,LAT pairs")
        polygon = shapely.Polygon(list(zip(values[0::2], values[1::2], strict=True)))
        if not polygon.is_valid:
            raise SystemExit(f"--zone-outline {spec!r}: {shapely.is_valid_reason(polygon)}")
        outlines[boundary_id.strip()] = polygon
    return outlines


def clip_zones(paths: list[Path], land_path: Path, decimals: int, outlines: dict[str, Any]) -> None:
    """Replace each buffer_zone geometry in ``paths`` by geometry minus land (in place).

    A zone named in ``outlines`` is first reset to that outline (so the construction can be
    repeated from scratch); the others are clipped as they are (idempotent).
    """
    land = gpd.read_file(land_path).to_crs("EPSG:4326")
    tree = shapely.STRtree(land.geometry.values)
    unused = set(outlines)
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        changed = 0
        for feature in document.get("features") or []:
            props = feature.get("properties") or {}
            if props.get("kind") != "buffer_zone":
                continue
            if props.get("id") in outlines:
                zone = outlines[props["id"]]
                unused.discard(props["id"])
            elif feature.get("geometry"):
                zone = polygonal(shape(feature["geometry"]))
            else:
                continue
            near = land.geometry.values[tree.query(zone, predicate="intersects")]
            clipped = polygonal(shapely.difference(zone, shapely.union_all(near)))
            rounded = shapely.transform(clipped, lambda xy: np.round(xy, decimals))
            rounded = shapely.remove_repeated_points(rounded)
            clipped = shapely.normalize(rounded if rounded.is_valid else polygonal(rounded))
            feature["geometry"] = geometry_json(clipped, decimals)
            changed += 1
            n = len(shapely.get_coordinates(clipped))
            print(f"  clipped {props.get('id')}: {n} vertices, valid={clipped.is_valid}",
                  file=sys.stderr)  # fmt: skip
        text = format_collection(document.get("features") or [])
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}: {changed} zone(s) clipped to the sea, {len(text.encode()):,} bytes")
    if unused:
        raise SystemExit(f"--zone-outline: no buffer_zone feature with id {sorted(unused)}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--land", type=Path, default=ROOT / "data" / "basemap" / "land.geojson")
    parser.add_argument("--rules", type=Path, default=ROOT / "data" / "territorial_seas.yaml")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "data" / "boundaries" / "territorial_seas.geojson"
    )
    parser.add_argument(
        "--region",
        type=float,
        nargs=4,
        metavar=("LON_MIN", "LAT_MIN", "LON_MAX", "LAT_MAX"),
        default=[110.0, 20.0, 150.0, 52.0],
        help="states whose land intersects it get a feature, clipped to it",
    )
    parser.add_argument("--states", help="comma-separated iso_a3 codes instead of the region's")
    parser.add_argument("--tile-deg", type=float, default=5.0, help="AEQD tile size (degrees)")
    parser.add_argument(
        "--tolerance", type=float, default=0.004, help="output simplification (degrees)"
    )
    parser.add_argument("--decimals", type=int, default=4, help="coordinate decimals")
    parser.add_argument(
        "--min-area-deg2",
        type=float,
        default=1e-5,
        help="drop output slivers smaller than this (square degrees, ~0.1 km²)",
    )
    parser.add_argument(
        "--clip-zones",
        type=Path,
        nargs="*",
        default=[],
        metavar="FILE",
        help="boundary files whose buffer_zone features are clipped to the sea, in place",
    )
    parser.add_argument(
        "--zone-outline",
        action="append",
        default=[],
        metavar="ID=LON,LAT,...",
        help="reset zone ID of a --clip-zones file to this outline before clipping (repeatable)",
    )
    parser.add_argument(
        "--no-seas", action="store_true", help="skip the territorial seas (with --clip-zones)"
    )
    args = parser.parse_args(argv)
    lon_min, lat_min, lon_max, lat_max = args.region
    if not (-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90):
        parser.error("--region must be LON_MIN LAT_MIN LON_MAX LAT_MAX with min < max")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.clip_zones:
        clip_zones(args.clip_zones, args.land, args.decimals, parse_outlines(args.zone_outline))
    elif args.zone_outline:
        raise SystemExit("--zone-outline needs --clip-zones FILE")
    if args.no_seas:
        return 0
    features = build_seas(args)
    text = format_collection(features)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    n = sum(len(shapely.get_coordinates(shape(f["geometry"]))) for f in features)
    print(f"wrote {args.out}: {len(features)} features, {n:,} vertices, "
          f"{len(text.encode()):,} bytes")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
