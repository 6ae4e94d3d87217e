"""Time the page in Debian's Chromium and measure the map payload; prints medians.

    python -m benchmarks.page_timing [--data DIR] [--runs 5]

- first paint: from navigation until the deck canvas and the incident count are on screen, on a
  warm server (the data is loaded and cached by one visit first);
- click → quotes: from clicking a related-incident button until that incident's quote shows
  (curated data only: it needs the 2 Nov 2022 incidents);
- map payload: bytes of the deck JSON sent for all incidents, and per 10,000 incidents.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from dashboard.dataset import build_dataset
from dashboard.view import Filters, build_deck, filter_incidents, fit_view
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

KEY = "2022-11-02-srbm-south-of-nll"
CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'


def first_paint_ms(browser, url: str, screenshot: Path | None = None) -> float:
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(CANVAS, state="visible", timeout=600_000)
    page.get_by_text("incidents shown").first.wait_for(timeout=600_000)
    elapsed = (time.perf_counter() - start) * 1000
    if screenshot is not None:
        page.wait_for_timeout(5000)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    context.close()
    return elapsed


def click_to_quote_ms(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    page = context.new_page()
    page.goto(f"{url}/?incident={KEY}")
    page.get_by_text("Close details").wait_for(timeout=120_000)
    button = page.get_by_role("button", name="triggered → Air-raid alert", exact=False)
    start = time.perf_counter()
    button.click()
    page.get_by_text("The siren started blaring at 8:55 a.m.", exact=False).first.wait_for(
        timeout=60_000
    )
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def payload_bytes(data_dir: Path) -> tuple[int, int, int]:
    """Return the deck's bytes, the bytes of its incident-dependent layers, and the count.

    As the page sends it: the basemap travels as two same-origin file URLs (fetched once,
    measured separately by the browser's resource timing), not inline.
    """
    dataset = build_dataset(data_dir)
    shown = filter_incidents(dataset.incidents, Filters())
    view = fit_view(dataset.locations["lon"].to_numpy(), dataset.locations["lat"].to_numpy())
    urls = {"land": "app/static/land.geojson", "borders": "app/static/borders.geojson"}
    deck = build_deck(dataset, shown, selected=None, enabled={}, view=view, basemap=urls)
    spec = json.loads(deck.to_json())
    per_incident = {"incidents", "arcs", "uncertainty", "density"}
    variable = sum(
        len(json.dumps(layer, separators=(",", ":")).encode())
        for layer in spec["layers"]
        if layer["id"] in per_incident
    )
    return len(json.dumps(spec, separators=(",", ":")).encode()), variable, len(shown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    size, variable, n = payload_bytes(args.data)
    dataset = build_dataset(args.data)
    land_bytes = len(json.dumps(dataset.land, separators=(",", ":")).encode())
    border_bytes = len(json.dumps(dataset.borders, separators=(",", ":")).encode())
    print(
        f"map payload: {size:,} bytes for {n:,} incidents; of which incident layers "
        f"{variable:,} bytes = {variable / max(n, 1) * 10_000 / 1e6:.2f} MB per 10k incidents; "
        f"fixed layers (boundaries, labels) {size - variable:,} bytes; the basemap files "
        f"({land_bytes:,} + {border_bytes:,} bytes uncompressed) are fetched once"
    )
    process, url = start_server(args.data.resolve())
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            cold = first_paint_ms(browser, url, screenshot=Path("artifacts") / "page-timing.png")
            print(f"first visit (cold cache, loads and measures the data): {cold:,.0f} ms")
            paints = [first_paint_ms(browser, url) for _ in range(args.runs)]
            print(
                f"first paint, warm server: median {statistics.median(paints):,.0f} ms "
                f"({', '.join(f'{p:.0f}' for p in paints)})"
            )
            if (args.data / "incidents" / f"{KEY}.yaml").exists():
                clicks = [click_to_quote_ms(browser, url) for _ in range(args.runs)]
                print(
                    f"click → quotes: median {statistics.median(clicks):,.0f} ms "
                    f"({', '.join(f'{c:.0f}' for c in clicks)})"
                )
            browser.close()
    finally:
        stop_server(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
