"""Every GeoJSON the project writes follows RFC 7946, and GDAL still opens it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import load_catalog
from geo.export import incidents_geojson, write_table
from geo.positions import solve_positions
from tests.conftest import CURATED_DIR, FIXTURE_DIR, REPO
from tests.geo.rfc7946 import rfc7946_problems


def _check(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    problems = rfc7946_problems(document)
    assert not problems, problems[:5]
    frame = pyogrio.read_dataframe(path)  # GDAL opens it
    assert len(frame) == len(document["features"])


def _cli(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("data_dir", [CURATED_DIR, FIXTURE_DIR], ids=["curated", "blacksea"])
def test_enrich_export_and_boundaries_follow_rfc7946(tmp_path: Path, data_dir: Path) -> None:
    enriched, boundaries, incidents = (
        tmp_path / n for n in ("e.geojson", "b.geojson", "i.geojson")
    )
    _cli(
        "enrich",
        "--data",
        str(data_dir),
        "--out",
        str(enriched),
        "--boundaries-out",
        str(boundaries),
    )
    _cli("export", "--data", str(data_dir), "--out", str(incidents))
    for path in (enriched, boundaries, incidents):
        _check(path)


def test_the_bundled_data_files_follow_rfc7946() -> None:
    paths = sorted((CURATED_DIR / "boundaries").glob("*.geojson"))
    paths += sorted((CURATED_DIR / "basemap").glob("*.geojson"))
    assert paths
    for path in paths:
        _check(path)


def test_the_dashboard_downloads_follow_rfc7946(tmp_path: Path) -> None:
    from dashboard.dataset import build_dataset

    dataset = build_dataset(FIXTURE_DIR)
    rows = dataset.locations.drop(columns="marker")
    path = write_table(rows, tmp_path / "download.geojson")  # what the GeoJSON button sends
    _check(path)
    document = incidents_geojson(dataset.positions, list(dataset.incidents.index))
    (tmp_path / "every.geojson").write_text(json.dumps(document), "utf-8")
    _check(tmp_path / "every.geojson")


def test_a_line_across_the_antimeridian_is_split(tmp_path: Path) -> None:
    line = shapely.LineString([(179.0, 10.0), (181.5, 10.5)])  # continuous longitudes, as drawn
    zone = shapely.Polygon([(170, 0), (170, 5), (175, 5), (175, 0)])  # clockwise on purpose
    frame = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[line, zone], crs="EPSG:4326")
    path = write_table(frame, tmp_path / "cross.geojson")
    _check(path)
    geometry = json.loads(path.read_text("utf-8"))["features"][0]["geometry"]
    assert geometry["type"] == "MultiLineString"


coordinates = st.tuples(
    st.floats(-180, 180, allow_nan=False, allow_infinity=False),
    st.floats(-89.9, 89.9, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=30, deadline=None)
@given(points=st.lists(coordinates, min_size=1, max_size=20))
def test_any_points_are_written_as_rfc7946(tmp_path_factory, points) -> None:
    path = tmp_path_factory.mktemp("pts") / "points.geojson"
    frame = gpd.GeoDataFrame(
        {"n": range(len(points))},
        geometry=gpd.points_from_xy(*zip(*points, strict=True)),
        crs="EPSG:4326",
    )
    _check(write_table(frame, path))


def test_the_checker_catches_what_it_should() -> None:
    bad = {
        "type": "FeatureCollection",
        "crs": {"type": "name"},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]],
                },
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[179.5, 0], [-179.5, 0]]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [1.123456789, 2]},
            },
        ],
    }
    text = " | ".join(rfc7946_problems(bad))
    assert "crs" in text
    assert "counter-clockwise" in text
    assert "antimeridian" in text
    assert "decimals" in text


def test_a_catalog_with_solved_positions_exports_them_rounded() -> None:
    positions = solve_positions(load_catalog(FIXTURE_DIR))
    document = incidents_geojson(positions)
    assert not rfc7946_problems(document)
