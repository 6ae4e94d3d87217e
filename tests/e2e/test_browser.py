"""The real app in Debian's Chromium: the map renders, layers toggle, clicks show quotes."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.dataset import build_dataset
from dashboard.view import Filters, filter_incidents, fit_view
from tests.conftest import CURATED_DIR
from tests.e2e.pages import (
    canvas_image,
    hover_then_click,
    open_app,
    pixel_of,
    wait_for_idle,
    wait_for_url_part,
)

pytestmark = pytest.mark.e2e
KEY = "2022-11-02-srbm-south-of-nll"


def _share(image: np.ndarray, colour: list[int]) -> float:
    return float((np.abs(image - colour).sum(axis=-1) < 12).mean())


def test_the_map_canvas_renders_the_basemap_and_data(page: Page, server: str) -> None:
    open_app(page, server)
    land, sea = [246, 243, 235], [214, 230, 240]
    deadline = time.monotonic() + 120  # the basemap arrives as a separate file
    image = canvas_image(page)
    while _share(image, land) < 0.05 and time.monotonic() < deadline:
        wait_for_idle(page, quiet_ms=500)
        image = canvas_image(page)
    colours = {tuple(c) for c in image.reshape(-1, 3)[::37]}
    assert len(colours) > 50, "the canvas looks blank"
    assert _share(image, land) > 0.05, "no land drawn"
    assert _share(image, sea) > 0.05, "no sea drawn"


def test_toggling_the_nll_layer_changes_the_map_and_the_url(page: Page, server: str) -> None:
    open_app(page, server)
    before = canvas_image(page)
    page.get_by_text("Northern Limit Line (NLL)", exact=True).click()
    wait_for_url_part(page, "layer_northern_limit_line_nll=false")
    wait_for_idle(page)
    after = canvas_image(page)
    changed = (np.abs(before - after).sum(axis=-1) > 30).mean()
    assert changed > 0.0005, f"only {changed:.5f} of the pixels changed"


@pytest.fixture(scope="module")
def curated():
    """The curated dataset, built before any page opens (it costs the browser CPU otherwise)."""
    return build_dataset(CURATED_DIR)


def test_clicking_the_key_missile_shows_its_quote(page: Page, server: str, curated) -> None:
    dataset = curated
    open_app(page, server)
    shown = filter_incidents(dataset.incidents, Filters())
    locations = dataset.locations[dataset.locations["incident_id"].isin(shown.index)]
    view = fit_view(locations["lon"].to_numpy(), locations["lat"].to_numpy(), pad_km=30.0)
    impact = locations[(locations["incident_id"] == KEY) & (locations["role"] == "impact")].iloc[0]
    x, y = pixel_of(page, impact["lon"], impact["lat"], view)
    title = dataset.catalog.incidents[KEY].title
    hover_then_click(page, x, y, tooltip=title[:30])
    wait_for_url_part(page, f"incident={KEY}")
    expect(page.get_by_text("NLL 이남 26㎞, 속초에서 동쪽으로 57㎞").first).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_a_permalink_restores_the_selection(page: Page, server: str) -> None:
    open_app(page, f"{server}/?incident=2022-11-02-ulleung-air-raid-alert")
    quote = page.get_by_text("The siren started blaring at 8:55 a.m.", exact=False).first
    expect(quote).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Close details")).to_be_visible()


def test_a_filtered_permalink_restores_the_filters(page: Page, server: str, curated) -> None:
    dataset = curated
    shown = filter_incidents(dataset.incidents, Filters(query="brasília"))
    assert len(shown) > 0
    open_app(page, f"{server}/?q=Bras%C3%ADlia")
    count = f"{len(shown)} of {len(dataset.incidents)} incidents shown"
    expect(page.get_by_text(count, exact=False)).to_be_visible(timeout=60_000)


def test_no_request_leaves_localhost(page: Page, server: str) -> None:
    open_app(page, f"{server}/?incident={KEY}")
    expect(page.get_by_text("Close details")).to_be_visible(timeout=60_000)
    wait_for_idle(page)
    hosts = {
        urlparse(u).hostname
        for u in page.requests
        if urlparse(u).scheme in {"http", "https", "ws", "wss"}
    }
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
