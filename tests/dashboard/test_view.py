"""Pure page logic: filters, selection, view fitting, the deck, and text escaping."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.dataset import marker_class
from dashboard.text import escape_markdown, format_duration, format_time
from dashboard.view import (
    Filters,
    build_deck,
    filter_incidents,
    fit_view,
    incident_from_map_selection,
    pick_from_event,
)

KEY = "2022-11-02-srbm-south-of-nll"


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC")


def test_no_filter_shows_everything_in_time_order(dataset) -> None:
    shown = filter_incidents(dataset.incidents, Filters())
    assert len(shown) == len(dataset.incidents)
    assert shown["time_utc"].is_monotonic_increasing


def test_time_window_to_the_minute(dataset) -> None:
    window = Filters(start=_utc("2022-11-02T08:50+09:00"), end=_utc("2022-11-02T08:52+09:00"))
    shown = set(filter_incidents(dataset.incidents, window).index)
    assert {KEY, "2022-11-02-wonsan-srbm-wave"} <= shown
    assert "2022-11-02-north-pyongan-srbms" not in shown  # 06:51
    # the day record spans 06:51-17:10 and overlaps the window
    assert "2022-11-02-record-missile-barrage" in shown


def test_category_actor_status_filters(dataset) -> None:
    alerts = filter_incidents(dataset.incidents, Filters(categories=("air_raid_alert",)))
    assert "2022-11-02-ulleung-air-raid-alert" in alerts.index
    assert set(alerts["category"]) == {"air_raid_alert"}  # the record grows: no pinned list
    rok = filter_incidents(dataset.incidents, Filters(actors=("DPRK",)))
    assert set(rok["actor"]) == {"DPRK"}
    none = filter_incidents(dataset.incidents, Filters(statuses=()))
    assert none.empty


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ulleung siren", "2022-11-02-ulleung-air-raid-alert"),  # words of a quote, any order
        ("속초", KEY),  # a Korean place name
        ("BRASÍLIA", "2016-isis-bakr-dprk-contacts-brazil"),  # case-insensitive
        (KEY, KEY),  # an id
    ],
)
def test_search(dataset, query: str, expected: str) -> None:
    shown = filter_incidents(dataset.incidents, Filters(query=query))
    assert expected in shown.index


def test_search_without_match_shows_nothing(dataset) -> None:
    assert filter_incidents(dataset.incidents, Filters(query="zzzz-no-such-thing")).empty


def test_map_selection_to_incident() -> None:
    event = {
        "objects": {"incidents": [{"i": KEY, "x": 1}]},
        "indices": {"incidents": [0]},
    }
    assert incident_from_map_selection(event) == KEY
    arc = {"objects": {"arcs": [{"i": "x-arc"}]}}
    assert incident_from_map_selection(arc) == "x-arc"
    assert incident_from_map_selection({"objects": {"layer_nll": [{"t": "NLL"}]}}) is None
    assert incident_from_map_selection({}) is None
    assert incident_from_map_selection(None) is None


def test_table_selection_to_incident() -> None:
    assert pick_from_event({"rows": [1], "columns": []}, ["a", "b"]) == "b"
    assert pick_from_event({"rows": [], "columns": []}, ["a"]) is None
    assert pick_from_event({"rows": [5]}, ["a"]) is None  # a stale row index is ignored


def test_fit_view_ignores_a_far_outlier() -> None:
    lon = [125.0, 126.0, 127.0, 128.0, 129.0, 130.0, 126.5, 127.5, 128.5, 129.5, 125.5, -47.9]
    lat = [37.0, 38.0, 39.0, 37.5, 38.5, 39.5, 38.2, 38.7, 37.2, 39.1, 38.9, -15.8]
    view = fit_view(lon, lat)
    assert 125 < view.longitude < 130
    assert view.zoom > 5


def _spec(deck) -> dict:
    return json.loads(deck.to_json())


def test_offline_deck_requests_nothing(dataset) -> None:
    shown = filter_incidents(dataset.incidents, Filters())
    spec = _spec(build_deck(dataset, shown, selected=None, enabled={}, view=fit_view([127], [38])))
    assert spec.get("mapProvider") in (None, "")
    assert "mapStyle" not in spec or not str(spec["mapStyle"]).startswith("http")
    ids = [layer["id"] for layer in spec["layers"]]
    assert {"basemap-land", "incidents", "boundary-lines", "boundary-zones"} <= set(ids)


def boundary_names(spec: dict) -> set[str]:
    """Return the names of the boundaries a deck spec draws (lines, zones, versions)."""
    names = set()
    for layer in spec["layers"]:
        if layer["id"] in {"boundary-lines", "boundary-versions"}:
            names |= {item["t"] for item in layer["data"]}
        elif layer["id"] == "boundary-zones":
            names |= {f["properties"]["t"] for f in layer["data"]["features"]}
    return names


def test_toggling_a_boundary_group_removes_its_lines(dataset) -> None:
    shown = filter_incidents(dataset.incidents, Filters())
    view = fit_view([127], [38])
    nll = next(g for g in dataset.layer_groups if g.key == "layer_northern_limit_line_nll")
    nll_names = {dataset.catalog.boundary_meta[b].name for b in nll.boundary_ids}
    on = boundary_names(_spec(build_deck(dataset, shown, selected=None, enabled={}, view=view)))
    off = {"layer_northern_limit_line_nll": False}
    spec = _spec(build_deck(dataset, shown, selected=None, enabled=off, view=view))
    assert nll_names <= on
    assert not nll_names & boundary_names(spec)
    assert dataset.catalog.boundary_meta["mdl"].name in boundary_names(spec)


def test_line_versions_are_drawn_when_asked_with_their_sources(dataset) -> None:
    shown = filter_incidents(dataset.incidents, Filters())
    view = fit_view([127], [38])
    plain = _spec(build_deck(dataset, shown, selected=None, enabled={}, view=view))
    assert "boundary-versions" not in {layer["id"] for layer in plain["layers"]}
    enabled = {"layer_line_versions": True}
    spec = _spec(build_deck(dataset, shown, selected=None, enabled=enabled, view=view))
    layer = next(layer for layer in spec["layers"] if layer["id"] == "boundary-versions")
    expected = len(dataset.line_versions)
    assert expected >= 1  # the curated East Sea NLL has several versions
    assert len({item["t"] for item in layer["data"]}) == expected
    assert all(" version" in item["t"] and "source: " in item["d"] for item in layer["data"])


def test_selection_adds_rings_and_highlight(dataset) -> None:
    shown = filter_incidents(dataset.incidents, Filters())
    spec = _spec(build_deck(dataset, shown, selected=KEY, enabled={}, view=fit_view([127], [38])))
    ids = [layer["id"] for layer in spec["layers"]]
    assert {"selection", "range-rings", "uncertainty-selected"} <= set(ids)


def test_map_payload_carries_no_quotes(dataset) -> None:
    shown = filter_incidents(dataset.incidents, Filters())
    text = build_deck(
        dataset, shown, selected=None, enabled={}, view=fit_view([127], [38])
    ).to_json()
    assert "The siren started blaring" not in text
    assert "속초에서 동쪽으로" not in text


def test_marker_classes() -> None:
    assert marker_class("missile_launch", "launch") == "launch"
    assert marker_class("missile_launch", "impact") == "impact"
    assert marker_class("air_raid_alert", "alert_area") == "alert"
    assert marker_class("military_response", "target_area") == "response"
    assert marker_class("sanctions", "site") == "other"


@pytest.mark.parametrize(
    "text",
    [
        "**bold**",
        "[link](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        ":red[x] $x$ :smile:",
        "# heading",
        "a_b_c `code` ~~s~~",
    ],
)
def test_escape_markdown_escapes_every_markup_character(text: str) -> None:
    escaped = escape_markdown(text)
    for char in "*[]()<>:$#_`~":
        assert char not in escaped.replace("\\" + char, "")


def test_time_and_duration_formats() -> None:
    import datetime as dt

    kst = dt.timezone(dt.timedelta(hours=9))
    value = dt.datetime(2022, 11, 2, 8, 51, tzinfo=kst)
    assert format_time(value, precision="minute") == "2022-11-02 08:51 UTC+09:00"
    assert format_time(value, precision="day") == "2022-11-02"
    assert format_duration(dt.timedelta(minutes=4)) == "4 min later"
    assert format_duration(dt.timedelta(hours=-2, minutes=-19)) == "2 h 19 min earlier"


def test_beyond_the_point_budget_the_map_shows_density(dataset, monkeypatch) -> None:
    import dashboard.view as view

    monkeypatch.setattr(view, "MAX_POINTS", 5)  # the curated data has 32 locations
    shown = filter_incidents(dataset.incidents, Filters())
    spec = _spec(build_deck(dataset, shown, selected=None, enabled={}, view=fit_view([127], [38])))
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert "density" in layers
    assert "incidents" not in layers
    assert "Math." not in json.dumps(layers["density"])  # deck.gl JSON forbids function calls
    assert sum(cell["n"] for cell in layers["density"]["data"]) == len(dataset.locations)


def test_the_view_of_an_alert_frames_the_missile_that_triggered_it(dataset) -> None:
    from dashboard.view import related_ids

    ids = related_ids(dataset, "2022-11-02-ulleung-air-raid-alert")
    assert ids == {"2022-11-02-ulleung-air-raid-alert", KEY}
    assert related_ids(dataset, None) == set()
    assert related_ids(dataset, "no-such-id") == set()
