"""The page, run by Streamlit's AppTest: counts, filters from the URL, permalinks, the panel."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.view import Filters, filter_incidents
from tests.conftest import CURATED_DIR, FIXTURE_DIR
from tests.dashboard.apptest import run_app
from tests.dashboard.test_view import boundary_names

KEY = "2022-11-02-srbm-south-of-nll"


def _deck(app: AppTest) -> dict:
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)


def _texts(app: AppTest) -> list[str]:
    return [t.value for t in app.text]


def _count(dataset, **filters) -> str:
    """Return the page's count line for these filters, computed, not pinned: "n of N"."""
    shown = filter_incidents(dataset.incidents, Filters(**filters))
    return f"{len(shown)} of {len(dataset.incidents)} incidents shown"


pytestmark = pytest.mark.usefixtures("clear_caches")


def test_page_loads_with_counts_and_an_offline_map(monkeypatch, dataset) -> None:
    app = run_app(monkeypatch)
    caption = app.caption[0].value
    assert caption.startswith(_count(dataset))
    deck = _deck(app)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"basemap-land", "incidents", "boundary-lines"} <= ids
    assert not str(deck.get("mapStyle", "")).startswith("http")
    assert not app.warning  # nothing rejected


def test_permalink_selects_the_incident_and_shows_its_quotes(monkeypatch) -> None:
    app = run_app(monkeypatch, incident=KEY)
    texts = _texts(app)
    assert any("NLL 이남 26㎞" in t for t in texts)
    assert any("is very rare and intolerable" in t for t in texts)
    markdown = " ".join(m.value for m in app.markdown)
    assert "south of NLL \\(East\\)" in markdown  # the measurement, escaped for markdown
    assert markdown.count("agrees within") >= 4  # each claim's verdict, beside the quote
    assert "claims" in {layer["id"] for layer in _deck(app)["layers"]}
    assert app.query_params["incident"] == KEY
    ids = {layer["id"] for layer in _deck(app)["layers"]}
    assert {"selection", "range-rings"} <= ids


def test_unknown_permalink_is_ignored(monkeypatch) -> None:
    app = run_app(monkeypatch, incident="no-such-incident")
    assert app.info  # the "click an incident" hint
    assert "incident" not in app.query_params


def test_category_filter_from_the_url(monkeypatch, dataset) -> None:
    app = run_app(monkeypatch, category="Air-raid alert")  # the label as shown on the page
    expected = _count(dataset, categories=("air_raid_alert",))
    assert app.caption[0].value.startswith(expected)
    assert not expected.startswith("0 of")


def test_search_from_the_url(monkeypatch, dataset) -> None:
    app = run_app(monkeypatch, q="Brasília")
    expected = _count(dataset, query="brasília")
    assert app.caption[0].value.startswith(expected)
    assert not expected.startswith("0 of")


def test_layer_toggle_from_the_url(monkeypatch) -> None:
    app = run_app(monkeypatch, layer_northern_limit_line_nll="false")
    nll = "Northern Limit Line (East Sea)"
    assert nll not in boundary_names(_deck(app))
    toggle = app.toggle(key="layer_northern_limit_line_nll")
    assert toggle.value is False
    toggle.set_value(True).run()
    assert nll in boundary_names(_deck(app))


def test_related_incident_button_switches_selection(monkeypatch) -> None:
    app = run_app(monkeypatch, incident=KEY)
    button = next(b for b in app.button if "Ulleung" in b.label)
    button.click().run()
    assert app.query_params["incident"] == "2022-11-02-ulleung-air-raid-alert"
    assert any("The siren started blaring at 8:55 a.m." in t for t in _texts(app))


def test_reset_clears_filters(monkeypatch, dataset) -> None:
    app = run_app(monkeypatch, q="Brasília", category="Sanctions")
    next(b for b in app.button if b.label == "Reset filters").click().run()
    assert app.caption[0].value.startswith(_count(dataset))


def test_rejected_files_are_listed_and_the_rest_still_shows(
    monkeypatch, tmp_path: Path, dataset
) -> None:
    data = tmp_path / "data"
    shutil.copytree(CURATED_DIR, data)
    broken = data / "incidents" / "2022-11-03-sunan-icbm.yaml"
    text = broken.read_text("utf-8").replace("time_precision: minute", "time_precision: second")
    broken.write_text(text, "utf-8")
    (data / "incidents" / "2030-01-01-garbage.yaml").write_text("id: [\n", "utf-8")
    app = run_app(monkeypatch, data_dir=data)
    assert "2 file(s) rejected" in app.warning[0].value
    listing = "\n".join(_texts(app))
    assert "2022-11-03-sunan-icbm.yaml" in listing
    assert "2030-01-01-garbage.yaml" in listing
    served = len(dataset.incidents) - 1  # the broken incident is left out, the rest still shows
    assert app.caption[0].value.startswith(f"{served} of {served} incidents shown")


def test_the_whole_broken_corpus_keeps_the_app_serving(monkeypatch, tmp_path: Path) -> None:
    import yaml

    from tests.conftest import FIXTURE_DIR, TESTS

    corpus = TESTS / "data" / "broken"
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data)
    cases = yaml.safe_load((corpus / "cases.yaml").read_text("utf-8"))
    for case in cases:
        folder = "incidents" if case["kind"] == "incident" else "boundaries"
        shutil.copy(corpus / case["file"], data / folder / case["file"])
    app = run_app(monkeypatch, data_dir=data)
    rejected = {c["file"] for c in cases if not c.get("loads")}
    assert f"{len(rejected)} file(s) rejected" in app.warning[0].value
    listing = "\n".join(_texts(app))
    assert all(name in listing for name in rejected)
    assert app.caption[0].value.startswith("4 of 4 incidents shown")  # 2 good + 2 with warnings


# --------------------------------------------------------------------------- nothing shown


def _assert_working_empty_page(app: AppTest, dataset) -> None:
    assert app.caption[0].value.startswith(f"0 of {len(dataset.incidents)} incidents shown")
    ids = {layer["id"] for layer in _deck(app)["layers"]}
    assert "basemap-land" in ids  # the map still draws its basemap and lines
    assert "boundary-lines" in ids
    assert "incidents" in ids
    assert any("Widen the period" in info.value for info in app.info)
    tables = {"GeoJSON", "CSV", "GeoPackage", "Every field of the incidents (GeoJSON)"}
    downloads = [b for b in app.get("download_button") if b.proto.label in tables]
    assert len(downloads) == len(tables)  # the incident downloads are there, and disabled
    assert all(b.proto.disabled for b in downloads)


EMPTY_FILTERS = [
    {"q": "zzzqqqxyz"},
    {"time": ["2030-01-01 00:00", "2030-01-02 00:00"]},
    {"category": ""},
    {"actor": "ROK", "category": "Missile launch", "period": "2016"},
    {"status": ""},
    {"q": "zzzqqqxyz", "category": "Sanctions", "status": "confirmed", "actor": "DPRK"},
    {"period": "2016", "category": "Missile launch"},
]


@pytest.mark.parametrize("params", EMPTY_FILTERS, ids=lambda p: "+".join(p))
def test_filters_that_match_nothing_give_a_working_empty_page(monkeypatch, dataset, params):
    app = run_app(monkeypatch, **params)
    _assert_working_empty_page(app, dataset)


def test_typing_a_search_that_matches_nothing(monkeypatch, dataset) -> None:
    app = run_app(monkeypatch)
    app.text_input(key="q").input("zzzqqqxyz").run()
    assert not app.exception
    _assert_working_empty_page(app, dataset)


def test_a_dropped_link_value_is_named_in_a_small_notice(monkeypatch) -> None:
    app = run_app(monkeypatch, category=["Missile launch", "Nonsense"], layer_incidents="maybe")
    notice = next(c.value for c in app.caption if "not used" in c.value)
    assert "Nonsense" in notice
    assert "maybe" in notice


def test_a_permalink_widens_the_period_to_include_its_incident(monkeypatch) -> None:
    app = run_app(monkeypatch, incident=KEY, period="2016")
    assert app.selectbox(key="period").value == "all"
    assert any("widened" in c.value for c in app.caption)
    assert any("NLL 이남 26㎞" in t for t in _texts(app))


link_values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            *("true", "false", "maybe", "All", "2022", "2016", "Missile launch", "DPRK", KEY),
            *("2022-11-02 08:51", "2022-11-05", "1999-01-01 00:00", "garbage", ""),
        ]
    ),
)
link_keys = st.sampled_from(
    [
        *("incident", "time", "q", "category", "actor", "status", "period", "layer_incidents"),
        *("layer_northern_limit_line_nll", "layer_arcs", "layer_claims", "layer_bogus", "x", "at"),
    ]
)


# monkeypatch only sets SEAMARK_DATA, the same for every example: sharing it is safe
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(params=st.dictionaries(link_keys, st.lists(link_values, min_size=1, max_size=3)))
def test_any_link_renders_the_page(monkeypatch, params) -> None:
    app = run_app(monkeypatch, data_dir=FIXTURE_DIR, **params)  # _run asserts no exception
    assert re.match(r"\d+ of \d+ incidents shown", app.caption[0].value)
    assert "basemap-sea" in {layer["id"] for layer in _deck(app)["layers"]}


def test_an_incident_without_a_position_opens_its_panel_and_is_not_drawn(monkeypatch, dataset):
    positionless = [i.id for i in dataset.catalog.incidents.values() if not i.locations]
    assert positionless  # the curated record has declarations (political, no position)
    app = run_app(monkeypatch, incident=positionless[0])
    assert any("No position" in m.value for m in app.markdown)
    assert app.query_params["incident"] == positionless[0]
    drawn = {
        item["i"]
        for layer in _deck(app)["layers"]
        if layer["id"] in {"incidents", "selection"}
        for item in layer["data"]
    }
    assert positionless[0] not in drawn
