"""The "Draft from an article" page in Chromium: paste, see the draft on the map, download."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
SEED = Path(__file__).parents[1] / "data" / "articles" / "salvo-2022-11-02.txt"
CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
ALERT = np.array([230, 159, 0])  # the alert class colour of the hollow Ulleungdo marker


def _canvas(page: Page) -> np.ndarray:
    from io import BytesIO

    from PIL import Image

    png = page.locator(CANVAS).first.screenshot()
    return np.asarray(Image.open(BytesIO(png)).convert("RGB"), dtype=np.int16)


def test_paste_see_the_draft_on_the_map_and_download(page: Page, server: str) -> None:
    page.goto(f"{server}/draft")
    expect(page.get_by_text("Draft from an article").first).to_be_visible(timeout=120_000)
    page.get_by_label("Paste the article's text").fill(SEED.read_text(encoding="utf-8"))
    page.get_by_label("Article URL (recorded, never fetched)").fill(
        "https://nationalinterest.org/blog/korea-watch/north-korea-fires-record-setting-salvo-missiles-205696"
    )
    page.get_by_label("Outlet").fill("The National Interest")
    page.get_by_role("spinbutton", name="year, Published").click()
    page.keyboard.type("20221102")  # year, month, day: the fields advance by themselves
    page.keyboard.press("Tab")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Make drafts").click()
    expect(page.get_by_text("4 drafts: 10 quotes").first).to_be_visible(timeout=120_000)
    page.wait_for_selector(CANVAS, state="visible", timeout=120_000)
    deadline = time.monotonic() + 60
    image = _canvas(page)
    while (np.abs(image - ALERT).sum(axis=-1) < 30).sum() < 20 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        image = _canvas(page)
    marker = np.abs(image - ALERT).sum(axis=-1) < 30
    assert marker.sum() >= 20, "no draft marker drawn"
    ys, xs = np.nonzero(marker)
    centre = image[int(ys.mean()), int(xs.mean())]
    assert np.abs(centre - ALERT).sum() > 60, "the draft marker should be hollow"
    page.screenshot(path=str(ARTIFACTS / "draft_page.png"), full_page=True)
    tab = page.get_by_role("tab", name="2022-11-02-air-raid-alert-ulleungdo")
    tab.click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download 2022-11-02-air-raid-alert-ulleungdo.yaml").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    data = yaml.safe_load(content)
    assert data["status"] == "draft"
    assert data["locations"][0]["place"] == "ulleungdo"
    assert data["time"] == "2022-11-02T08:55:00+09:00"
    outside = [u for u in page.requests if not u.startswith(server)]
    assert outside == [], outside
