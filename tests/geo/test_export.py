"""Exports: lossless incident GeoJSON, every enriched row kept, spreadsheet formulas defused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import load_catalog
from geo.export import (
    ExportError,
    incidents_from_geojson,
    incidents_geojson,
    neutralise_formulas,
    write_table,
)
from geo.measure import enrich_locations
from geo.positions import solve_positions
from tests.conftest import CURATED_DIR, REPO, TESTS

HOSTILE_DIR = TESTS / "data" / "hostile"


@pytest.fixture(scope="module")
def curated():
    return load_catalog(CURATED_DIR)


@pytest.mark.parametrize("data_dir", [CURATED_DIR, HOSTILE_DIR], ids=["curated", "hostile"])
def test_incident_geojson_round_trip_is_identical(data_dir: Path, tmp_path: Path) -> None:
    catalog = load_catalog(data_dir)
    path = tmp_path / "incidents.geojson"
    path.write_text(
        json.dumps(incidents_geojson(solve_positions(catalog)), ensure_ascii=False), "utf-8"
    )
    back = incidents_from_geojson(json.loads(path.read_text("utf-8")))
    assert [i.id for i in back] == list(catalog.incidents)
    for original, restored in zip(catalog.incidents.values(), back, strict=True):
        assert restored.model_dump(mode="json") == original.model_dump(mode="json")
        assert restored.time.isoformat() == original.time.isoformat()  # offset kept, not UTC


def test_incident_geojson_keeps_korean_quotes_translations_and_claims(curated) -> None:
    document = incidents_geojson(solve_positions(curated))
    feature = next(f for f in document["features"] if f["id"] == "2022-11-02-srbm-south-of-nll")
    text = json.dumps(feature, ensure_ascii=False)
    assert "NLL 이남 26㎞" in text
    assert "translated_by" in text
    assert feature["properties"]["time"] == "2022-11-02T08:51:00+09:00"
    assert len(feature["properties"]["claims"]) == 3
    assert feature["geometry"]["type"] == "MultiPoint"
    assert len(feature["geometry"]["coordinates"]) == 2  # launch and the solved impact


def test_cli_export(curated, tmp_path: Path) -> None:
    out = tmp_path / "all.geojson"
    result = subprocess.run([sys.executable, "-m", "geo", "export", "--out", str(out)],
                            capture_output=True, text=True, cwd=REPO, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    features = json.loads(out.read_text("utf-8"))["features"]
    assert [f["id"] for f in features] == list(curated.incidents)  # one per incident, in order


@pytest.fixture(scope="module")
def enriched(curated):
    return enrich_locations(solve_positions(curated))


def test_geopackage_keeps_every_row_korean_text_and_offsets(enriched, tmp_path: Path) -> None:
    path = write_table(enriched, tmp_path / "out.gpkg")
    back = gpd.read_file(path)
    assert len(back) == len(enriched)
    assert back.crs.to_epsg() == 4326
    assert "High seas south of the East Sea NLL (동해 NLL 이남 공해상)" in set(back["label"])
    assert set(back["time"]) == set(enriched["time"])
    assert all(t.endswith(("+09:00", "-03:00")) for t in back["time"])


def test_csv_keeps_every_row_korean_text_and_offsets(enriched, tmp_path: Path) -> None:
    path = write_table(enriched, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8")
    assert len(back) == len(enriched)
    assert "Wonsan area, Kangwon (강원도 원산 일대)" in set(back["label"])
    assert list(back["time"]) == list(enriched["time"])


@pytest.mark.parametrize("suffix", [".geojson", ".parquet"])
def test_other_formats_keep_every_row(enriched, tmp_path: Path, suffix: str) -> None:
    path = write_table(enriched, tmp_path / f"out{suffix}")
    back = gpd.read_parquet(path) if suffix == ".parquet" else gpd.read_file(path)
    assert len(back) == len(enriched)


def test_unknown_format_is_refused(enriched, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"unknown output format '\.xlsx'"):
        write_table(enriched, tmp_path / "out.xlsx")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tTAB", "'\tTAB"),
        ("plain text", "plain text"),
    ],
)
def test_csv_formula_injection_is_neutralised(cell: str, expected: str) -> None:
    frame = pd.DataFrame({"text": [cell], "lon": [-47.88]})
    out = neutralise_formulas(frame)
    assert out["text"][0] == expected
    assert out["lon"][0] == -47.88  # numbers untouched


def test_hostile_text_reaches_csv_inert(tmp_path: Path) -> None:
    enriched = enrich_locations(solve_positions(load_catalog(HOSTILE_DIR)))
    path = write_table(enriched, tmp_path / "hostile.csv")
    back = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False)
    cells = [cell for column in back.columns for cell in back[column]]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t"))]
    assert '\'=HYPERLINK("https://evil.example","click")' in cells  # there, and defused
