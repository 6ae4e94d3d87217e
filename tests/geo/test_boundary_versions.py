"""Boundary versions: several features of one line id, one of them the default."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from geo import load_catalog
from tests.conftest import FIXTURE_DIR

LINE_FILE = Path("boundaries") / "fixture_line.geojson"


def _versioned_dir(tmp_path: Path, edit) -> Path:
    """Copy the Black Sea fixture; give its line two versions (45°N default, 45.1°N), then edit."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data_dir)
    document = json.loads((data_dir / LINE_FILE).read_text(encoding="utf-8"))
    first = document["features"][0]
    first["properties"] |= {"version": "along_45n", "version_label": "45°N", "default": True}
    second = copy.deepcopy(first)
    second["properties"] |= {"version": "along_45_1n", "version_label": "45.1°N", "default": False}
    second["geometry"]["coordinates"] = [[29.7, 45.1], [33.0, 45.1]]
    document["features"].append(second)
    edit(document["features"])
    (data_dir / LINE_FILE).write_text(json.dumps(document, indent=1), encoding="utf-8")
    return data_dir


def test_versions_load_with_the_default_first(tmp_path: Path) -> None:
    catalog = load_catalog(_versioned_dir(tmp_path, lambda features: None))
    assert catalog.errors == []
    assert list(catalog.boundaries.index) == ["fixture_line"]
    assert catalog.boundaries.loc["fixture_line", "version"] == "along_45n"
    versions = catalog.boundary_versions
    assert sorted(versions["version"]) == ["along_45_1n", "along_45n"]
    assert versions.set_index("version").loc["along_45_1n", "geometry"].coords[0] == (29.7, 45.1)
    assert set(catalog.boundary_version_meta) == {
        ("fixture_line", "along_45n"),
        ("fixture_line", "along_45_1n"),
    }


def _drop_versions(features: list) -> None:
    for feature in features:
        for key in ("version", "version_label", "default"):
            feature["properties"].pop(key)


def _two_defaults(features: list) -> None:
    features[1]["properties"]["default"] = True


def _no_default(features: list) -> None:
    features[0]["properties"]["default"] = False


def _same_version(features: list) -> None:
    features[1]["properties"]["version"] = "along_45n"


def _sides_differ(features: list) -> None:
    features[1]["properties"] |= {"side_left": "south", "side_right": "north"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop_versions, r"duplicate boundary id: 2 features share it, so each needs its own"),
        (_two_defaults, r"exactly one version needs default: true, got along_45n, along_45_1n"),
        (_no_default, r"exactly one version needs default: true, got none"),
        (_same_version, r"duplicate version 'along_45n'"),
        (_sides_differ, r"every version must name its sides alike"),
    ],
)
def test_broken_versions_name_file_line_and_field(tmp_path: Path, edit, message: str) -> None:
    catalog = load_catalog(_versioned_dir(tmp_path, edit))
    texts = [problem.format() for problem in catalog.errors]
    assert texts, "expected an error"
    assert any(re.search(message, text) for text in texts), texts
    assert all("fixture_line.geojson:" in text for text in texts), texts
    assert "fixture_line" not in catalog.boundaries.index  # a broken line is left out, reported
