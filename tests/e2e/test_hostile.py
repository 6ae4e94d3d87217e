"""Hostile text stays inert, visible text: no script runs, no dialog opens, no request leaves."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import Browser, expect

from tests.conftest import TESTS
from tests.e2e.conftest import ARTIFACTS, start_server, stop_server
from tests.e2e.pages import CANVAS, IDLE_SCRIPT, TOOLTIP, wait_for_idle

pytestmark = pytest.mark.e2e
HOSTILE = TESTS / "data" / "hostile"
PAYLOADS = yaml.safe_load((HOSTILE / "payloads.yaml").read_text("utf-8"))["payloads"]
INCIDENTS = sorted(p.stem for p in (HOSTILE / "incidents").glob("*.yaml"))


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    process, url = start_server(HOSTILE)
    yield url
    stop_server(process)


@pytest.mark.parametrize("incident_id", INCIDENTS)
def test_no_payload_runs_anywhere_on_the_page(
    browser: Browser, hostile_server: str, incident_id: str
) -> None:
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    page = context.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(IDLE_SCRIPT)
    page.goto(f"{hostile_server}/?incident={incident_id}")
    page.wait_for_selector(CANVAS, state="visible", timeout=180_000)
    expect(page.get_by_text("Close details")).to_be_visible(timeout=120_000)
    wait_for_idle(page)
    box = page.locator(CANVAS).first.bounding_box()
    # the selected incident is centred: hover it to raise its tooltip, then roam the panels
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(TOOLTIP).first.wait_for(state="visible", timeout=120_000)
    for tab in ("Table", "Charts", "About & method", "Map"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab, selected=True)).to_be_visible(timeout=60_000)
        wait_for_idle(page, quiet_ms=500)
    page.screenshot(path=str(ARTIFACTS / f"hostile-{incident_id}.png"), full_page=True)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in {"http", "https"}}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    # the payloads are on the page as text, verbatim
    body = page.inner_text("body")
    shown = [p for p in PAYLOADS if p in body]
    assert len(shown) >= 4, f"only {len(shown)} payloads visible as text"
    context.close()
