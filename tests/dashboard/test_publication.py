"""The page's map download and playback: same image as the command, cursor, play, ``?at=``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import publish
from dashboard.dataset import build_dataset
from dashboard.view import Filters, filter_incidents
from geo.cli import main
from geo.mapimage import MapData, map_bytes, render_map
from geo.style import MAP_LAYERS
from tests.conftest import FIXTURE_DIR, TESTS
from tests.dashboard.apptest import run_app

DRONE = "2024-05-01-fixture-drone"
pytestmark = pytest.mark.usefixtures("clear_caches")


@pytest.fixture(scope="module")
def map_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("page") / "data"
    shutil.copytree(FIXTURE_DIR, target)
    shutil.copytree(TESTS / "data" / "mapimage" / "basemap", target / "basemap")
    return target


def _captions(app: AppTest) -> str:
    return " | ".join(c.value for c in app.caption)


def _deck(app: AppTest) -> dict:
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)


def test_page_download_is_the_command_image(map_dir: Path, tmp_path: Path) -> None:
    """For ?incident=X&at=T the page's request renders the bytes `geo map` writes."""
    dataset = build_dataset(map_dir)
    shown = filter_incidents(dataset.incidents, Filters())
    enabled = {key: default for key, _, default in MAP_LAYERS}
    enabled |= {group.key: group.default_on for group in dataset.layer_groups}
    at = pd.Timestamp("2024-05-01T06:00+03:00")
    request = publish.map_request(
        dataset, shown, filters=Filters(), selected=DRONE, enabled=enabled, at=at
    )
    page = map_bytes(
        render_map(MapData.from_catalog(dataset.catalog, dataset.positions), request),
        ".png",
        dpi=200,
    )
    command = publish.cli_command(request, dataset.main_offset, ".png")
    assert command == (
        f"python -m geo map --incident {DRONE} --at 2024-05-01T06:00 --out seamark-map.png"
    )
    out = tmp_path / "seamark-map.png"
    args = ["map", "--data", str(map_dir), "--incident", DRONE, "--at", "2024-05-01T06:00"]
    assert main([*args, "--out", str(out)]) == 0
    assert out.read_bytes() == page


def test_the_page_offers_the_map_download(monkeypatch, map_dir: Path) -> None:
    app = run_app(monkeypatch, map_dir, incident=DRONE, layer_labels="false")
    labels = [b.proto.label for b in app.get("download_button")]
    assert {"PNG", "SVG"} <= set(labels)
    code = " ".join(c.value for c in app.code)
    assert f"--incident {DRONE}" in code
    assert "--layers labels=false" in code


def test_permalink_at_sets_the_cursor_and_the_map(monkeypatch, map_dir: Path) -> None:
    app = run_app(monkeypatch, map_dir, at="2024-05-01T12:00")
    cursor = app.select_slider(key="playback_cursor")
    assert cursor.value == "2024-05-01T12:00"
    assert "2024-05-01 12:00" in cursor.options  # shown like the window's ends, no ISO "T"
    assert "Map as of 1 May 2024 12:00 (UTC+03:00): 1 of 2 incidents" in _captions(app)
    deck = _deck(app)
    incidents = next(layer for layer in deck["layers"] if layer["id"] == "incidents")
    assert [row["i"] for row in incidents["data"]] == [DRONE]  # the alert comes at 07:00 next day
    assert "moment" in {layer["id"] for layer in deck["layers"]}
    assert app.query_params["at"] == "2024-05-01T12:00"


def test_play_steps_forward_and_pause_stops(monkeypatch, map_dir: Path) -> None:
    app = run_app(monkeypatch, map_dir, at="2024-05-01T12:00")
    app.button(key="playback_toggle").click().run()
    moved = app.select_slider(key="playback_cursor").value
    assert moved > "2024-05-01T12:00"
    assert app.query_params["at"] == moved
    app.button(key="playback_toggle").click().run()
    assert app.session_state["playback_playing"] is False
    assert app.select_slider(key="playback_cursor").value == moved  # paused: no more steps


def test_without_at_the_map_is_unfaded(monkeypatch, map_dir: Path) -> None:
    app = run_app(monkeypatch, map_dir)
    ids = {layer["id"] for layer in _deck(app)["layers"]}
    assert "moment" not in ids
    assert "at" not in app.query_params


@pytest.mark.parametrize(
    ("value", "notice"),
    [
        ("tomorrow", "Ignored ?at=: expected a moment like 2022-11-02T08:54"),
        ("2024-13-45T99:99", "Ignored ?at="),
        ("2031-01-01T00:00", "outside the period shown"),
    ],
)
def test_bad_at_is_ignored_with_a_notice(monkeypatch, map_dir: Path, value, notice) -> None:
    app = run_app(monkeypatch, map_dir, at=value)
    assert notice in _captions(app)
    assert "at" not in app.query_params


@given(value=st.text(max_size=30))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_at_value_never_breaks_the_page(monkeypatch, map_dir: Path, value: str) -> None:
    app = run_app(monkeypatch, map_dir, at=value)
    moment = app.select_slider(key="playback_cursor").value
    assert moment.startswith("2024-05-0")
