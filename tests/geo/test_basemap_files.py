"""A user's own basemap: a file that cannot serve is one problem line naming what to add."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import load_catalog
from tests.conftest import FIXTURE_DIR, REPO

SQUARE = {"type": "Polygon", "coordinates": [[[30, 44], [31, 44], [31, 45], [30, 45], [30, 44]]]}


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _with_basemap(tmp_path: Path, name: str, text: str) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data_dir)
    (data_dir / "basemap").mkdir()
    (data_dir / "basemap" / name).write_text(text, "utf-8")
    return data_dir


def _collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_a_good_land_file_loads(tmp_path: Path) -> None:
    data_dir = _with_basemap(tmp_path, "land.geojson", _collection(_feature(SQUARE, iso_a3="UKR")))
    catalog = load_catalog(data_dir)
    assert catalog.problems == []
    assert list(catalog.land["iso_a3"]) == ["UKR"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "land.geojson",
            _collection(_feature(SQUARE, name="Ukraine")),
            r"land\.geojson:1: basemap land: iso_a3: missing column 'iso_a3': add it to every "
            r"feature's properties \(the ISO 3166-1 alpha-3 code",
        ),
        ("land.geojson", "this is not json {", r"land\.geojson:1: basemap land: \(file\): not a "),
        (
            "land.geojson",
            _collection(_feature({"type": "Point", "coordinates": [30, 44]}, iso_a3="UKR")),
            r"basemap land: geometry: must hold MultiPolygon or Polygon features, got Point",
        ),
        ("borders.geojson", "<html>oops</html>", r"borders\.geojson:1: basemap borders: \(file\)"),
        (
            "borders.geojson",
            _collection(_feature(SQUARE)),
            r"basemap borders: geometry: must hold LineString or MultiLineString features",
        ),
    ],
)
def test_a_broken_basemap_file_is_one_clear_problem(tmp_path, name, text, message) -> None:
    data_dir = _with_basemap(tmp_path, name, text)
    catalog = load_catalog(data_dir)
    assert len(catalog.errors) == 1
    assert re.search(message, catalog.errors[0].format()), catalog.errors[0].format()
    assert len(catalog.incidents) == 2  # everything else still loads
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", "--data", str(data_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert re.search(message, result.stdout)
