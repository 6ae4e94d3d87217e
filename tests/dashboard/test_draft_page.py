"""The "Draft from an article" page and drafts on the map, run by Streamlit's AppTest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from tests.dashboard.apptest import run_app

ARTICLE = (REPO / "tests" / "data" / "articles" / "wire_blacksea.txt").read_text(encoding="utf-8")
DRAFT = """id: 2024-05-03-fixture-draft
title: A draft in the data directory
category: air_raid_alert
actor: unknown
time: 2024-05-03T04:10:00+03:00
time_precision: minute
status: draft
locations:
  - {role: alert_area, place: odesa, precision_km: 10}
sources: [{id: s, outlet: o, url: 'https://example.org/d', language: en}]
"""

pytestmark = pytest.mark.usefixtures("clear_caches")


def _page() -> None:
    from dashboard.draft_page import render

    render()


def _deck(app: AppTest) -> dict:
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)


def _with_draft(data_dir: Path) -> Path:
    (data_dir / "incidents" / "2024-05-03-fixture-draft.yaml").write_text(DRAFT, encoding="utf-8")
    return data_dir


def test_drafts_are_hidden_unless_show_drafts(monkeypatch, data_dir) -> None:
    _with_draft(data_dir)
    hidden = run_app(monkeypatch, data_dir)
    assert hidden.caption[0].value.startswith("2 of 3 incidents shown")
    assert "drafts" not in {layer["id"] for layer in _deck(hidden)["layers"]}
    shown = run_app(monkeypatch, data_dir, show_drafts="true")
    assert shown.caption[0].value.startswith("3 of 3 incidents shown")
    layers = {layer["id"]: layer for layer in _deck(shown)["layers"]}
    assert layers["drafts"]["filled"] is False  # hollow
    assert layers["drafts"]["stroked"] is True
    assert [row["i"] for row in layers["drafts"]["data"]] == ["2024-05-03-fixture-draft"]
    assert "2024-05-03-fixture-draft" not in {row["i"] for row in layers["incidents"]["data"]}


def test_permalink_to_a_draft_says_draft(monkeypatch, data_dir) -> None:
    _with_draft(data_dir)
    app = run_app(monkeypatch, data_dir, show_drafts="true", incident="2024-05-03-fixture-draft")
    assert any(w.value.startswith("DRAFT") for w in app.warning)
    assert app.query_params["incident"] == "2024-05-03-fixture-draft"


def test_permalinks_still_work_on_the_default_page(monkeypatch, data_dir) -> None:
    app = run_app(monkeypatch, data_dir, incident="2024-05-01-fixture-drone")
    assert any("A drone was seen about 20 miles south of the line." in t.value for t in app.text)


def _draft_page(monkeypatch, data_dir: Path) -> AppTest:
    monkeypatch.setenv("SEAMARK_DATA", str(data_dir))
    app = AppTest.from_function(_page, default_timeout=180)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _make(app: AppTest, text: str, url: str = "https://example.org/wire/1") -> AppTest:
    app.text_area(key="draft_text").set_value(text)
    app.text_input(key="draft_url").set_value(url)
    app.date_input(key="draft_published").set_value(dt.date(2024, 5, 3))
    app.button(key="draft_make").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_page_makes_valid_drafts_and_draws_them(monkeypatch, data_dir) -> None:
    before = sorted(p.name for p in (data_dir / "incidents").iterdir())
    app = _make(_draft_page(monkeypatch, data_dir), ARTICLE)
    editors = [t for t in app.text_area if str(t.key).startswith("draft_edit_")]
    assert len(editors) == 3
    assert all("status: draft" in e.value for e in editors)
    assert len([s for s in app.success if s.value.startswith("Valid")]) == 3
    layers = {layer["id"] for layer in _deck(app)["layers"]}
    assert {"drafts", "claims"} <= layers  # hollow markers and the selected draft's claims
    assert len(app.get("download_button")) == 3
    assert sorted(p.name for p in (data_dir / "incidents").iterdir()) == before  # no writes


def test_page_validates_edits_live(monkeypatch, data_dir) -> None:
    app = _make(_draft_page(monkeypatch, data_dir), ARTICLE)
    editor = next(t for t in app.text_area if t.key == "draft_edit_0")
    editor.set_value(editor.value.replace("time_precision: minute", "time_precision: second"))
    app.run()
    errors = [e.value for e in app.error]
    assert any("time_precision" in e for e in errors), errors


def test_page_refuses_without_url(monkeypatch, data_dir) -> None:
    app = _make(_draft_page(monkeypatch, data_dir), ARTICLE, url="")
    assert any("--url" in e.value or "address" in e.value for e in app.error)
    assert not [t for t in app.text_area if str(t.key).startswith("draft_edit_")]
