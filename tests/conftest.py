"""Shared fixtures: small data directories built from the committed non-Korean fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_DIR = TESTS / "data" / "blacksea"
CURATED_DIR = REPO / "data"


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Show the versions of the libraries the results depend on."""
    import geopandas
    import pandas
    import pydantic
    import pydeck
    import pyproj
    import shapely
    import streamlit

    versions = ", ".join(
        f"{module.__name__} {module.__version__}"
        for module in (streamlit, pydeck, geopandas, shapely, pyproj, pandas, pydantic)
    )
    return [f"seamark libraries: {versions}", f"PROJ {pyproj.proj_version_str}"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return a writable copy of the Black Sea fixture data directory."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, target)
    return target


@pytest.fixture
def base_incident() -> dict:
    """Return a valid incident as plain data, ready to be broken by a test."""
    path = FIXTURE_DIR / "incidents" / "2024-05-01-fixture-drone.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_incident(data_dir: Path, incident: dict, *, name: str | None = None) -> Path:
    """Write ``incident`` as YAML into ``data_dir/incidents`` and return its path."""
    path = data_dir / "incidents" / f"{name or incident['id']}.yaml"
    path.write_text(yaml.safe_dump(incident, allow_unicode=True, sort_keys=False), "utf-8")
    return path
