"""The publication map (python -m geo map): size, text as text, golden image, scale and north.

Drawn from the Black Sea fixture with a small clipped basemap (tests/data/mapimage/basemap), never
from the curated data. Accuracy of the scale bar and the north arrow is checked against
GeographicLib (pyproj.Geod), not against the code's own projection arithmetic.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pyproj import Geod

from geo import load_catalog, mapfonts
from geo.cli import main
from geo.geodesy import geodesic_circles
from geo.mapframe import FrameError, MapFrame, parse_bbox
from geo.mapimage import (
    MapData,
    MapError,
    MapRequest,
    layer_switches,
    map_bytes,
    render_map,
    write_frames,
)
from tests.conftest import FIXTURE_DIR, TESTS

GEOD = Geod(ellps="WGS84")
BASEMAP = TESTS / "data" / "mapimage" / "basemap"
GOLDEN = TESTS / "data" / "mapimage" / "golden.png"
DRONE = "2024-05-01-fixture-drone"
ALERT = "2024-05-02-fixture-alert"


@pytest.fixture(scope="module")
def map_dir(tmp_path_factory) -> Path:
    """The Black Sea fixture with the small basemap beside it."""
    target = tmp_path_factory.mktemp("map") / "data"
    shutil.copytree(FIXTURE_DIR, target)
    shutil.copytree(BASEMAP, target / "basemap")
    return target


@pytest.fixture(scope="module")
def data(map_dir: Path) -> MapData:
    return MapData.from_catalog(load_catalog(map_dir))


def _svg(data: MapData, request: MapRequest) -> str:
    return map_bytes(render_map(data, request), ".svg", dpi=request.dpi).decode("utf-8")


def _texts(svg: str) -> str:
    """Return the text of every <text> element (what a reader can search and edit)."""
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_png_has_the_asked_width_and_is_not_blank(data: MapData) -> None:
    request = MapRequest(width_px=900, dpi=150)
    png = map_bytes(render_map(data, request), ".png", dpi=150)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 900
    assert 600 < image.height < 2000
    pixels = np.asarray(image).reshape(-1, 3)
    assert len(np.unique(pixels[::7], axis=0)) > 50, "the image looks blank"
    sea = np.abs(pixels.astype(int) - [214, 230, 240]).sum(axis=1) < 10
    assert 0.1 < sea.mean() < 0.9, "no sea, or nothing but sea"


def test_svg_keeps_title_legend_scale_and_labels_as_text(data: MapData) -> None:
    svg = _svg(data, MapRequest(incident_ids=(DRONE,), title="Drone & alert", width_px=800))
    text = _texts(svg)
    assert "Drone &amp; alert" in text
    for entry in ("Fixture line along 45°N", "Location precision", "Stated distance from a line"):
        assert entry in text, entry
    assert re.search(r"\b\d+ km\b", text)
    assert re.search(r"\b\d+ nm\b", text)
    assert "Site" in text  # the selected incident's location label
    assert "Fixture Wire" in text  # the caption names the sources by outlet
    assert "basemap: Natural Earth" in text
    assert "20 mi (32 km) south of Fixture line" in text  # a claim, with its original unit
    assert 'id="DejaVuSans' not in svg
    assert "<text" in svg


def test_the_same_request_gives_the_same_bytes(data: MapData) -> None:
    request = MapRequest(width_px=500, dpi=100)
    for suffix in (".png", ".svg", ".pdf"):
        first = map_bytes(render_map(data, request), suffix, dpi=100)
        assert first == map_bytes(render_map(data, request), suffix, dpi=100), suffix


def test_golden_image(data: MapData) -> None:
    """Compare with the committed image; SEAMARK_UPDATE_GOLDEN=1 rewrites it (look at it!)."""
    request = MapRequest(incident_ids=(DRONE,), width_px=700, dpi=100)
    png = map_bytes(render_map(data, request), ".png", dpi=100)
    if os.environ.get("SEAMARK_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(png)
    new = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    with Image.open(GOLDEN) as golden:
        old = np.asarray(golden.convert("RGB"), dtype=np.int16)
    assert new.shape == old.shape
    difference = np.abs(new - old).sum(axis=-1)
    assert difference.mean() < 3.0, f"mean difference {difference.mean():.2f}"
    assert (difference > 60).mean() < 0.01, f"{(difference > 60).mean():.2%} of pixels changed"


@pytest.mark.parametrize(
    ("bounds", "where"),
    [
        ((124.0, 33.0, 132.0, 40.0), (0.04, 0.07)),  # Korea, bar at the lower left
        ((-75.0, 60.0, -20.0, 80.0), (0.04, 0.07)),  # wide and far north: scale varies
        ((170.0, -50.0, -170.0, -30.0), (0.5, 0.5)),  # across the antimeridian
    ],
)
def test_scale_bar_lengths_are_right_on_the_ground(bounds, where) -> None:
    frame = MapFrame.around(bounds)
    x0 = frame.x_min + where[0] * (frame.x_max - frame.x_min)
    y0 = frame.y_min + where[1] * (frame.y_max - frame.y_min)
    for unit, km_per_unit in (("km", 1.0), ("nm", 1.852)):
        value, length_m = frame.scale_bar(x0, y0)[unit]
        lon, lat = frame.inverse([x0, x0 + length_m], [y0, y0])
        _, _, ground_m = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
        assert ground_m == pytest.approx(value * km_per_unit * 1000, rel=2e-3), unit


@given(
    lon=st.floats(-179, 179),
    lat=st.floats(-75, 75),
    span=st.floats(0.5, 20),
    fx=st.floats(0.02, 0.98),
    fy=st.floats(0.02, 0.98),
)
@settings(max_examples=40, deadline=None)
def test_north_arrow_points_to_true_north(lon, lat, span, fx, fy) -> None:
    frame = MapFrame.around((lon - span, lat - span / 2, lon + span, lat + span / 2))
    x = frame.x_min + fx * (frame.x_max - frame.x_min)
    y = frame.y_min + fy * (frame.y_max - frame.y_min)
    (point_lon,), (point_lat,) = frame.inverse([x], [y])
    north_lon, north_lat, _ = GEOD.fwd(point_lon, point_lat, 0.0, 1000.0)  # 1 km due north
    (nx,), (ny,) = frame.forward([north_lon], [north_lat])
    expected = np.degrees(np.arctan2(nx - x, ny - y))
    assert frame.north_angle_deg(x, y) == pytest.approx(expected, abs=0.05)


def test_geodesic_circles_stay_round() -> None:
    frame = MapFrame.around((126.0, 36.0, 132.0, 40.0))
    ring = geodesic_circles(130.0, 38.0, 150.0, n_vertices=72)[0]
    x, y = frame.forward(ring[:, 0], ring[:, 1])
    (cx,), (cy,) = frame.forward([130.0], [38.0])
    radii = np.hypot(x - cx, y - cy)
    assert radii.max() / radii.min() < 1.002  # conformal: round to 0.2 % at 150 km


def test_at_shows_only_what_had_happened(data: MapData) -> None:
    start = pd.Timestamp("2024-05-01T00:00+03:00")
    end = pd.Timestamp("2024-05-03T00:00+03:00")
    before = MapRequest(start=start, end=end, at=pd.Timestamp("2024-05-01T12:00+03:00"))
    text = _texts(_svg(data, before))
    assert "1 May 2024 12:00 UTC+03:00" in text  # the moment, printed on the map
    assert "Fixture drone sighting" in text
    assert "07:00 Fixture port alert" not in text
    after = MapRequest(start=start, end=end, at=pd.Timestamp("2024-05-02T07:30+03:00"))
    assert "07:00 Fixture port alert" in _texts(_svg(data, after))


def test_frames_and_gif_have_one_size(data: MapData, tmp_path: Path) -> None:
    paths = write_frames(data, MapRequest(width_px=400, dpi=100), count=3, out_dir=tmp_path)
    assert [p.name for p in paths] == [
        "frame_0001.png",
        "frame_0002.png",
        "frame_0003.png",
        "frames.gif",
    ]
    sizes = set()
    for path in paths[:3]:
        with Image.open(path) as image:
            sizes.add(image.size)
    assert len(sizes) == 1
    with Image.open(paths[-1]) as gif:
        assert gif.n_frames == 3


def test_layer_switches(data: MapData) -> None:
    exact = layer_switches(data.groups, ["incidents", "fixture_line_along_45_n"])
    assert exact["layer_incidents"]
    assert exact["layer_fixture_line_along_45_n"]
    assert not exact["layer_arcs"]
    assert not exact["layer_labels"]
    adjusted = layer_switches(data.groups, ["labels=false"])
    assert not adjusted["layer_labels"]
    assert adjusted["layer_arcs"]
    with pytest.raises(MapError, match="unknown layer 'nll'; known: incidents"):
        layer_switches(data.groups, ["nll"])
    with pytest.raises(MapError, match="must be true or false"):
        layer_switches(data.groups, ["arcs=maybe"])


def test_layers_leave_out_what_is_off(data: MapData) -> None:
    request = MapRequest(layers=layer_switches(data.groups, ["fixture_line_along_45_n=false"]))
    text = _texts(_svg(data, request))
    assert "Fixture line along 45°N" not in text
    assert "Fixture drone sighting" in text


def test_font_fallback_is_stated(data: MapData, monkeypatch) -> None:
    monkeypatch.setattr(mapfonts, "FONTS", ["No Such Font Family", "DejaVu Sans"])
    assert "Font fallback" in _texts(_svg(data, MapRequest(width_px=400)))


def test_cli_writes_png_and_reports_bad_input(map_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "map.png"
    args = ["map", "--data", str(map_dir), "--width", "400"]
    assert main([*args, "--incident", DRONE, "--at", "2024-05-01T05:00", "--out", str(out)]) == 0
    with Image.open(out) as image:
        assert image.width == 400
    assert main([*args, "--bbox", "30,46,29", "--out", str(out)]) == 2
    assert "--bbox needs four numbers W,S,E,N, got '30,46,29'" in capsys.readouterr().err
    assert main([*args, "--incident", "no-such-id", "--out", str(out)]) == 2
    assert "unknown incident id(s): no-such-id" in capsys.readouterr().err
    assert main([*args, "--out", str(tmp_path / "map.jpg")]) == 2
    assert "written as .png, .svg or .pdf" in capsys.readouterr().err
    assert main([*args, "--at", "yesterday", "--out", str(out)]) == 2
    assert "expected a moment like 2022-11-02T08:54" in capsys.readouterr().err


@given(text=st.text(max_size=40))
@settings(max_examples=200)
def test_parse_bbox_rejects_junk_clearly(text: str) -> None:
    """Any text either reads as a usable box or fails with a message about --bbox."""
    looks_usable = False
    try:
        west, south, east, north = (float(v) for v in text.split(","))
        looks_usable = (
            all(np.isfinite([west, south, east, north]))
            and -180 <= min(west, east) <= max(west, east) <= 180
            and -85 <= south < north <= 85
            and west != east
        )
    except ValueError:
        pass
    if looks_usable:
        assert parse_bbox(text) == (west, south, east, north)
    else:
        with pytest.raises(FrameError, match="--bbox"):
            parse_bbox(text)


@given(
    west=st.floats(26, 33),
    south=st.floats(42, 46),
    width_deg=st.floats(0.01, 4),
    height_deg=st.floats(0.01, 2),
    width_px=st.integers(200, 700),
    dpi=st.sampled_from([72, 100, 150, 300]),
)
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_bbox_and_width_draws(data, west, south, width_deg, height_deg, width_px, dpi) -> None:
    bbox = (west, south, west + width_deg, south + height_deg)
    request = MapRequest(bbox=bbox, width_px=width_px, dpi=dpi)
    png = map_bytes(render_map(data, request), ".png", dpi=dpi)
    assert Image.open(io.BytesIO(png)).width == width_px


@given(width_px=st.integers(-10, 199) | st.integers(10_001, 10**7))
@settings(max_examples=20)
def test_bad_widths_are_refused(data: MapData, width_px: int) -> None:
    with pytest.raises(MapError, match="--width must be between 200 and 10000 px"):
        render_map(data, MapRequest(width_px=width_px))
