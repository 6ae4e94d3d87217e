"""The morning of 2 Nov 2022 played back in Chromium: three moments, and an idle page when paused.

Assertions are on state (the moment written under the map and the incidents counted there,
checked against the data), never on how long something took; the test waits for Streamlit to
be idle before it reads the page.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.dataset import build_dataset
from tests.conftest import CURATED_DIR
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import CANVAS, open_app, wait_for_idle

pytestmark = pytest.mark.e2e
MORNING = "/?time=2022-11-02%2006:51&time=2022-11-02%2017:10&at=2022-11-02T08:45"
CAPTION = re.compile(r"Map as of (\d+ \w+ \d{4} \d{2}:\d{2}) \(UTC\+09:00\): (\d+) of (\d+)")


def _moment_text(page: Page) -> str:
    return page.get_by_text("Map as of").first.inner_text()


def _wait_for_moment(page: Page, hhmm: str) -> None:
    """Wait until the moment under the map has reached ``hhmm`` (it moves while playing)."""
    page.wait_for_function(
        """limit => {
            const node = [...document.querySelectorAll('p')]
                .find(p => p.innerText.startsWith('Map as of'));
            const m = node && node.innerText.match(/(\\d{2}:\\d{2}) \\(UTC/);
            return m && m[1] >= limit;
        }""",
        arg=hhmm,
        timeout=300_000,
    )


def _expected_count(dataset, moment: str) -> tuple[int, int]:
    """Return (happened, shown) for the morning window at ``moment``, from the data."""
    tz = dt.timezone(dt.timedelta(hours=9))
    start = dt.datetime(2022, 11, 2, 6, 51, tzinfo=tz)
    end = dt.datetime(2022, 11, 2, 17, 10, 59, tzinfo=tz)
    at = dt.datetime.strptime(moment, "%d %b %Y %H:%M").replace(tzinfo=tz)
    incidents = dataset.incidents
    ends = incidents["time_end_utc"].fillna(incidents["time_utc"])
    shown = incidents[(ends >= start) & (incidents["time_utc"] <= end)]
    return int((shown["time_utc"] <= at).sum()), len(shown)


def test_the_morning_of_2_nov_plays_back(page: Page, server: str) -> None:
    dataset = build_dataset(CURATED_DIR)  # before the page opens: it costs the browser CPU
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append("in")))
    open_app(page, server + MORNING)
    expect(page.get_by_text("Map as of 2 Nov 2022 08:45").first).to_be_visible(timeout=60_000)
    # 1× (one step a second at most): a pause click lands between two steps on a slow machine
    page.get_by_text("1×", exact=True).click()
    wait_for_idle(page)
    seen = []
    for limit, name in (("08:51", "launch"), ("08:54", "siren"), ("09:12", "salvo")):
        page.get_by_role("button", name=re.compile("Play$")).click()
        _wait_for_moment(page, limit)
        page.get_by_role("button", name=re.compile("Pause$")).click()
        wait_for_idle(page)
        expect(page.get_by_role("button", name=re.compile("Play$"))).to_be_visible()
        match = CAPTION.search(_moment_text(page))
        assert match, _moment_text(page)
        moment, happened, shown = match[1], int(match[2]), int(match[3])
        assert moment[-5:] >= limit
        assert (happened, shown) == _expected_count(dataset, moment)
        assert f"at=2022-11-02T{moment[-5:]}" in page.url.replace("%3A", ":")
        wait_for_idle(page)  # deck.gl has drawn the step
        page.locator(CANVAS).first.screenshot(path=str(ARTIFACTS / f"playback-{name}.png"))
        seen.append((moment, happened))
    moments = [moment for moment, _ in seen]
    counts = [happened for _, happened in seen]
    assert moments == sorted(set(moments)), moments  # the cursor moves forward
    assert counts == sorted(counts), seen  # incidents appear as the morning goes on
    assert counts[0] < counts[-1], seen
    before = len(frames)
    # paused: the server sends nothing at all; watch the socket over a few quiet seconds
    wait_for_idle(page, quiet_ms=3000)
    assert len(frames) == before, f"{len(frames) - before} messages while paused"
