"""Enrichment columns: lines with uncertainty, nearest place, zones, coast and territorial sea."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from geo import load_catalog
from geo.geodesy import compass_16
from geo.measure import (
    ON_LINE_KM,
    enrich_locations,
    measure_points,
    measurement_columns,
    prepare_context,
)
from geo.positions import solve_positions
from tests.conftest import FIXTURE_DIR
from tests.geo.reference import GEOD, reference_distance_m

# A square island (about 22 x 22 km) off the fixture coast, with a 12 nm territorial sea except a
# 3 nm stretch on its eastern side.
ISLAND = [[31.3, 43.9], [31.575, 43.9], [31.575, 44.1], [31.3, 44.1], [31.3, 43.9]]
RULES = {
    "default_breadth_nm": 12,
    "rules": [
        {
            "state": "FIX",
            "name": "Fixtureland",
            "breadth_nm": 12,
            "source": "https://example.org/rules",
            "exceptions": [
                {
                    "name": "East strait",
                    "breadth_nm": 3,
                    "bbox": [31.5, 43.8, 31.7, 44.2],
                    "source": "https://example.org/strait",
                }
            ],
        }
    ],
}


@pytest.fixture
def island_dir(data_dir: Path) -> Path:
    (data_dir / "basemap").mkdir()
    land = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso_a3": "FIX", "name": "Fixtureland", "disputed": False},
                "geometry": {"type": "Polygon", "coordinates": [ISLAND]},
            }
        ],
    }
    (data_dir / "basemap" / "land.geojson").write_text(json.dumps(land), "utf-8")
    (data_dir / "territorial_seas.yaml").write_text(yaml.safe_dump(RULES), "utf-8")
    return data_dir


@pytest.fixture(scope="module")
def fixture_context():
    return prepare_context(load_catalog(FIXTURE_DIR))


def test_enrich_has_the_contract_columns() -> None:
    enriched = enrich_locations(solve_positions(load_catalog(FIXTURE_DIR)))
    required = [
        "incident_id",
        "role",
        "lon",
        "lat",
        "precision_km",
        "fixture_line_km",
        "fixture_line_km_err",
        "fixture_line_side",
        "fixture_line_side_certain",
        "nearest_place",
        "nearest_place_km",
        "nearest_place_bearing",
        "territorial_sea",
        "coast_km",
    ]
    assert set(required) <= set(enriched.columns)
    assert enriched.crs.to_epsg() == 4326
    drone = enriched.set_index("incident_id").loc["2024-05-01-fixture-drone"]
    expected = reference_distance_m(31.0, 44.7, [[29.7, 45.0], [33.0, 45.0]], "rhumb") / 1000
    assert drone["fixture_line_km"] == pytest.approx(expected, abs=0.05)
    assert drone["fixture_line_side"] == "south"
    assert drone["fixture_line_km_err"] == 3.0
    assert bool(drone["fixture_line_side_certain"])


def test_uncertainty_makes_the_side_uncertain_and_on_means_within_50_m(fixture_context):
    lon = np.array([31.0, 31.0, 31.0, 31.0])
    # 2 km south with a 5 km radius; 2 km south with 1 km; on the line; 30 m north of it
    _, lat_2km, _ = GEOD.fwd(31.0, 45.0, 180.0, 2000.0)
    _, lat_30m, _ = GEOD.fwd(31.0, 45.0, 0.0, 30.0)
    lat = np.array([lat_2km, lat_2km, 45.0, lat_30m])
    out = measure_points(fixture_context, lon, lat, [5.0, 1.0, 1.0, 0.01])
    assert list(out["fixture_line_side"]) == ["south", "south", "on", "on"]
    assert list(out["fixture_line_side_certain"]) == [False, True, False, False]
    np.testing.assert_allclose(out["fixture_line_km"][:2], 2.0, atol=0.002)
    assert out["fixture_line_km"][3] <= ON_LINE_KM
    assert list(out["fixture_line_km_err"]) == [5.0, 1.0, 1.0, 0.01]


def test_nearest_place_and_bearing_match_a_brute_force_geod(fixture_context) -> None:
    rng = np.random.default_rng(21)
    lon, lat = rng.uniform(27, 34, 300), rng.uniform(42, 48, 300)
    out = measure_points(fixture_context, lon, lat, 1.0)
    catalog = load_catalog(FIXTURE_DIR)
    places = list(catalog.places.values())
    for i in range(lon.size):
        results = [GEOD.inv(p.lon, p.lat, lon[i], lat[i]) for p in places]
        best = int(np.argmin([r[2] for r in results]))
        assert out["nearest_place"][i] == places[best].id
        assert out["nearest_place_km"][i] == pytest.approx(results[best][2] / 1000, rel=1e-9)
        assert out["nearest_place_bearing"][i] == compass_16(results[best][0])
        edge = max(results[best][2] / 1000 - places[best].radius_km, 0)
        assert out["nearest_place_edge_km"][i] == pytest.approx(edge, rel=1e-9)


def test_sixteen_point_compass() -> None:
    assert list(compass_16([0, 11.24, 11.25, 67.5, 90, 180, 270, 348.75, 359.9])) == [
        "N",
        "N",
        "NNE",
        "ENE",
        "E",
        "S",
        "W",
        "N",
        "N",
    ]


def test_coast_distance_and_territorial_sea(island_dir: Path) -> None:
    catalog = load_catalog(island_dir)
    assert catalog.errors == []
    context = prepare_context(catalog)
    # from the middle of the west side, due west; from the east side (the 3 nm strait), due east
    west = [GEOD.fwd(31.3, 44.0, 270.0, d * 1000)[:2] for d in (5.0, 20.0, 25.0)]
    east = [GEOD.fwd(31.575, 44.0, 90.0, d * 1000)[:2] for d in (7.0, 2.0)]
    points = np.array([*west, *east, (31.45, 44.0)])
    out = measure_points(context, points[:, 0], points[:, 1], 0.5)
    for i, (lon, lat) in enumerate(points[:-1]):
        reference = reference_distance_m(lon, lat, ISLAND) / 1000
        assert out["coast_km"][i] == pytest.approx(reference, abs=0.05, rel=0.001)
    assert list(out["territorial_sea"]) == ["FIX", "FIX", "", "", "FIX", ""]
    assert list(out["territorial_sea_breadth_nm"][:5]) == [12, 12, 12, 3, 3]
    assert list(out["on_land"]) == [False] * 5 + [True]
    assert out["coast_state"][0] == "FIX"


def test_zones_contain_points(island_dir: Path) -> None:
    zone = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "id": "fixture_zone",
                    "name": "Fixture zone",
                    "kind": "buffer_zone",
                    "sources": [{"url": "https://example.org", "title": "t"}],
                    "accuracy_note": "invented",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[30, 44], [32, 44], [32, 46], [30, 46], [30, 44]]],
                },
            }
        ],
    }
    (island_dir / "boundaries" / "zone.geojson").write_text(json.dumps(zone), "utf-8")
    context = prepare_context(load_catalog(island_dir))
    out = measure_points(context, [31.0, 35.0], [45.0, 45.0], 1.0)
    assert list(out["zones"]) == ["fixture_zone", ""]


def test_empty_and_missing_input(fixture_context) -> None:
    empty = measure_points(fixture_context, [], [], [])
    assert list(empty.columns) == measurement_columns(fixture_context)
    assert len(empty) == 0
    missing = measure_points(fixture_context, [np.nan], [np.nan], [1.0])
    assert np.isnan(missing["fixture_line_km"][0])
    assert missing["nearest_place"][0] is None
    assert missing["fixture_line_side"][0] is None


def test_the_key_missile_lands_20_to_32_km_south_of_the_east_sea_nll() -> None:
    enriched = enrich_locations(solve_positions(load_catalog("data")))
    row = enriched[
        (enriched["incident_id"] == "2022-11-02-srbm-south-of-nll") & (enriched["role"] == "impact")
    ].iloc[0]
    assert 20.0 <= row["nll_east_km"] <= 32.0
    assert row["nll_east_side"] == "south"
    assert bool(row["nll_east_side_certain"])
    assert row["nearest_place"] == "sokcho"
    assert row["territorial_sea"] == ""  # high seas / EEZ, as the presidential office said
