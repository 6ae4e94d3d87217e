"""The page, run by Streamlit's AppTest: counts, filters from the URL, permalinks, the panel."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import load_catalog
from tests.conftest import CURATED_DIR, REPO

APP = str(REPO / "dashboard" / "app.py")
KEY = "2022-11-02-srbm-south-of-nll"


def _run(monkeypatch, data_dir: Path = CURATED_DIR, **params: str | list[str]) -> AppTest:
    monkeypatch.setenv("SEAMARK_DATA", str(data_dir))
    app = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _total() -> int:
    """The number of curated incidents: computed, since the record grows."""
    return len(load_catalog(CURATED_DIR).incidents)


def _deck(app: AppTest) -> dict:
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)


def _texts(app: AppTest) -> list[str]:
    return [t.value for t in app.text]


pytestmark = pytest.mark.usefixtures("clear_caches")


def test_page_loads_with_counts_and_an_offline_map(monkeypatch) -> None:
    app = _run(monkeypatch)
    caption = app.caption[0].value
    assert caption.startswith(f"{_total()} of {_total()} incidents shown")
    deck = _deck(app)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"basemap-land", "incidents", "layer_northern_limit_line_nll"} <= ids
    assert not str(deck.get("mapStyle", "")).startswith("http")
    assert not app.warning  # nothing rejected


def test_permalink_selects_the_incident_and_shows_its_quotes(monkeypatch) -> None:
    app = _run(monkeypatch, incident=KEY)
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
    app = _run(monkeypatch, incident="no-such-incident")
    assert app.info  # the "click an incident" hint
    assert "incident" not in app.query_params


def test_category_filter_from_the_url(monkeypatch) -> None:
    app = _run(monkeypatch, category="Air-raid alert")  # the label as shown on the page
    alerts = sum(
        i.category.value == "air_raid_alert" for i in load_catalog(CURATED_DIR).incidents.values()
    )
    assert app.caption[0].value.startswith(f"{alerts} of {_total()} incidents shown")


def test_search_from_the_url(monkeypatch) -> None:
    app = _run(monkeypatch, q="Brasília")
    assert app.caption[0].value.startswith(f"1 of {_total()} incidents shown")


def test_layer_toggle_from_the_url(monkeypatch) -> None:
    app = _run(monkeypatch, layer_northern_limit_line_nll="false")
    ids = {layer["id"] for layer in _deck(app)["layers"]}
    assert "layer_northern_limit_line_nll" not in ids
    toggle = app.toggle(key="layer_northern_limit_line_nll")
    assert toggle.value is False
    toggle.set_value(True).run()
    assert "layer_northern_limit_line_nll" in {layer["id"] for layer in _deck(app)["layers"]}


def test_related_incident_button_switches_selection(monkeypatch) -> None:
    app = _run(monkeypatch, incident=KEY)
    button = next(b for b in app.button if "Ulleung" in b.label)
    button.click().run()
    assert app.query_params["incident"] == "2022-11-02-ulleung-air-raid-alert"
    assert any("The siren started blaring at 8:55 a.m." in t for t in _texts(app))


def test_reset_clears_filters(monkeypatch) -> None:
    app = _run(monkeypatch, q="Brasília")
    next(b for b in app.button if b.label == "Reset filters").click().run()
    assert app.caption[0].value.startswith(f"{_total()} of {_total()} incidents shown")


def test_rejected_files_are_listed_and_the_rest_still_shows(monkeypatch, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(CURATED_DIR, data)
    broken = data / "incidents" / "2022-11-03-sunan-icbm.yaml"
    text = broken.read_text("utf-8").replace("time_precision: minute", "time_precision: second")
    broken.write_text(text, "utf-8")
    (data / "incidents" / "2030-01-01-garbage.yaml").write_text("id: [\n", "utf-8")
    app = _run(monkeypatch, data_dir=data)
    assert "2 file(s) rejected" in app.warning[0].value
    listing = "\n".join(_texts(app))
    assert "2022-11-03-sunan-icbm.yaml" in listing
    assert "2030-01-01-garbage.yaml" in listing
    kept = _total() - 1  # the broken incident is left out; the garbage file defines none
    assert app.caption[0].value.startswith(f"{kept} of {kept} incidents shown")


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
    app = _run(monkeypatch, data_dir=data)
    rejected = {c["file"] for c in cases if not c.get("loads")}
    assert f"{len(rejected)} file(s) rejected" in app.warning[0].value
    listing = "\n".join(_texts(app))
    assert all(name in listing for name in rejected)
    assert app.caption[0].value.startswith("4 of 4 incidents shown")  # 2 good + 2 with warnings
