"""Waiting for state in the browser, never for fixed times.

``IDLE_SCRIPT`` is added to every page before it loads: it records when the page's main thread
was last busy (long tasks, via the Long Tasks API). :func:`wait_for_idle` then waits until the
Streamlit script is not running and the main thread has been quiet for a while, which on a slow
machine (software WebGL, two cores) can take many seconds after the map first appears.
"""

from __future__ import annotations

import math

import numpy as np
from playwright.sync_api import Page

CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
TOOLTIP = ".deck-tooltip"
IDLE_SCRIPT = """
window.__seamarkBusyUntil = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    const end = entry.startTime + entry.duration;
    window.__seamarkBusyUntil = Math.max(window.__seamarkBusyUntil, end);
  }
}).observe({type: 'longtask', buffered: true});
"""
_IDLE = """quietMs => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  return performance.now() - (window.__seamarkBusyUntil || 0) > quietMs;
}"""


def wait_for_idle(page: Page, *, quiet_ms: int = 1000, timeout_ms: int = 180_000) -> None:
    """Wait until the script is done and the page's main thread has been idle ``quiet_ms``."""
    page.wait_for_function(_IDLE, arg=quiet_ms, timeout=timeout_ms, polling=250)


def open_app(page: Page, url: str) -> None:
    """Open the page and wait until the map is drawn and everything has settled."""
    page.add_init_script(IDLE_SCRIPT)
    page.goto(url)
    page.wait_for_selector(CANVAS, state="visible", timeout=180_000)
    page.get_by_text("incidents shown").first.wait_for(timeout=120_000)
    wait_for_idle(page)


def wait_for_url_part(page: Page, part: str, *, timeout_ms: int = 60_000) -> None:
    """Wait until the address bar contains ``part`` (Streamlit updates it with replaceState)."""
    page.wait_for_function(
        "part => window.location.href.includes(part)", arg=part, timeout=timeout_ms
    )


def canvas_image(page: Page) -> np.ndarray:
    """Return the map canvas as an RGB array (int16, so differences do not wrap)."""
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


def hover_then_click(page: Page, x: float, y: float, *, tooltip: str) -> None:
    """Click like a person: hover until the tooltip names the target, let the page settle, click.

    The tooltip is the state that says the map has picked the object under the pointer.
    """
    page.mouse.move(x, y)
    page.locator(TOOLTIP).filter(has_text=tooltip).wait_for(state="visible", timeout=120_000)
    wait_for_idle(page, quiet_ms=500)
    page.mouse.click(x, y)
