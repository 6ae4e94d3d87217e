"""Run the real page in Streamlit's AppTest with a data directory and URL parameters."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import CURATED_DIR, REPO

APP = str(REPO / "dashboard" / "app.py")


def run_app(monkeypatch, data_dir: Path = CURATED_DIR, **params: str | list[str]) -> AppTest:
    """Open the page on ``data_dir`` with ``params`` as the URL's query; fail on any exception."""
    monkeypatch.setenv("SEAMARK_DATA", str(data_dir))
    app = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app
