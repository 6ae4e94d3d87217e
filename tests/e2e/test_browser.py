"""The real app in Debian's Chromium: the map renders, layers toggle, clicks show quotes."""

from __future__ import annotations

import math
import time
from urllib.parse import urlparse

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.dataset import build_dataset
from dashboard.view import Filters, filter_incidents, fit_view
from geo import load_catalog
from tests.conftest import CURATED_DIR

pytestmark = pytest.mark.e2e
KEY = "2022-11-02-srbm-south-of-nll"
CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(CANVAS, state="visible", timeout=120_000)
    expect(page.get_by_text("incidents shown").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(2500)  # let deck.gl draw its first frames


def wait_for_url_part(page: Page, part: str) -> None:
    """Wait until the address bar contains ``part`` (Streamlit updates it with replaceState)."""
    page.wait_for_function("part => window.location.href.includes(part)", arg=part, timeout=30_000)


def click_at(page: Page, x: float, y: float) -> None:
    """Click like a person: move there, press, release (deck.gl picks on pointer events)."""
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.down()
    page.wait_for_timeout(60)
    page.mouse.up()


def canvas_image(page: Page) -> np.ndarray:
    from io import BytesIO

    from PIL import Image

    png = page.locator(CANVAS).first.screenshot()
    return np.asarray(Image.open(BytesIO(png)).convert("RGB"), dtype=np.int16)


def pixel_of(page: Page, lon: float, lat: float, view) -> tuple[float, float]:
    """Project lon/lat to page pixels for a deck.gl view (512 px world at zoom 0)."""
    box = page.locator(CANVAS).first.bounding_box()
    scale = 512 * 2**view.zoom / 360.0

    def mercator_y(latitude: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))

    x = box["width"] / 2 + (lon - view.longitude) * scale
    y = box["height"] / 2 - (mercator_y(lat) - mercator_y(view.latitude)) * scale
    return box["x"] + x, box["y"] + y


def _share(image: np.ndarray, colour: list[int]) -> float:
    return float((np.abs(image - colour).sum(axis=-1) < 12).mean())


def test_the_map_canvas_renders_the_basemap_and_data(page: Page, server: str) -> None:
    open_app(page, server)
    land, sea = [246, 243, 235], [214, 230, 240]
    deadline = time.monotonic() + 60  # the basemap arrives as a separate file
    image = canvas_image(page)
    while _share(image, land) < 0.05 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
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
    page.wait_for_timeout(3000)
    after = canvas_image(page)
    changed = (np.abs(before - after).sum(axis=-1) > 30).mean()
    assert changed > 0.0005, f"only {changed:.5f} of the pixels changed"


def test_clicking_the_key_missile_shows_its_quote(page: Page, server: str) -> None:
    open_app(page, server)
    dataset = build_dataset(CURATED_DIR)
    shown = filter_incidents(dataset.incidents, Filters())
    locations = dataset.locations[dataset.locations["incident_id"].isin(shown.index)]
    view = fit_view(locations["lon"].to_numpy(), locations["lat"].to_numpy(), pad_km=30.0)
    impact = locations[(locations["incident_id"] == KEY) & (locations["role"] == "impact")].iloc[0]
    x, y = pixel_of(page, impact["lon"], impact["lat"], view)
    click_at(page, x, y)
    expect(page.get_by_text("NLL 이남 26㎞, 속초에서 동쪽으로 57㎞").first).to_be_visible(
        timeout=30_000
    )
    title = "Short-range ballistic missile lands south of the East Sea NLL"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    wait_for_url_part(page, f"incident={KEY}")


def test_a_permalink_restores_the_selection(page: Page, server: str) -> None:
    open_app(page, f"{server}/?incident=2022-11-02-ulleung-air-raid-alert")
    quote = page.get_by_text("The siren started blaring at 8:55 a.m.", exact=False).first
    expect(quote).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Close details")).to_be_visible()


def test_a_filtered_permalink_restores_the_filters(page: Page, server: str) -> None:
    open_app(page, f"{server}/?q=Bras%C3%ADlia")
    total = len(load_catalog(CURATED_DIR).incidents)  # computed: the record grows
    shown = page.get_by_text(f"1 of {total} incidents shown", exact=False)
    expect(shown).to_be_visible(timeout=30_000)


def test_no_request_leaves_localhost(page: Page, server: str) -> None:
    open_app(page, f"{server}/?incident={KEY}")
    page.wait_for_timeout(3000)
    hosts = {
        urlparse(u).hostname
        for u in page.requests
        if urlparse(u).scheme in {"http", "https", "ws", "wss"}
    }
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
