"""Many viewers at once: N browser sessions against one server; prints errors and timings.

    python -m benchmarks.load_test [--sessions 8] [--rounds 3] [--data DIR]

Each session opens a permalink of an incident, then follows a related-incident link and waits for
that incident's quote (select → quote time). Reported: sessions, errors (must be 0), p50/p95 of
select → quote, and the server process's memory growth per session (RSS, measured with psutil on
the Streamlit process itself). A longer run on a bigger machine: --sessions 50 --rounds 10.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import async_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

START = "2022-11-02-srbm-south-of-nll"
LINK = "triggered → Air-raid alert"
QUOTE = "The siren started blaring at 8:55 a.m."


@dataclass
class Result:
    """What the sessions saw."""

    timings_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _session(browser, url: str, rounds: int, result: Result) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        for _ in range(rounds):
            await page.goto(f"{url}/?incident={START}")
            await page.get_by_text("Close details").wait_for(timeout=180_000)
            button = page.get_by_role("button", name=LINK, exact=False)
            start = time.perf_counter()
            await button.click(timeout=180_000)
            await page.get_by_text(QUOTE, exact=False).first.wait_for(timeout=180_000)
            result.timings_ms.append((time.perf_counter() - start) * 1000)
            if await page.locator('[data-testid="stException"]').count():
                result.errors.append("the page shows an exception")
    except Exception as exc:  # noqa: BLE001 - every failure of a session is counted, then shown
        result.errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
    finally:
        await context.close()


def _streamlit_process(make_process) -> psutil.Process:
    parent = psutil.Process(make_process.pid)
    for child in parent.children(recursive=True):
        if "streamlit" in " ".join(child.cmdline()):
            return child
    return parent


async def run(url: str, sessions: int, rounds: int) -> Result:
    """Run ``sessions`` concurrent browser sessions of ``rounds`` selections each."""
    result = Result()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        await asyncio.gather(*(_session(browser, url, rounds, result) for _ in range(sessions)))
        await browser.close()
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("data"))
    args = parser.parse_args(argv)
    process, url = start_server(args.data.resolve())
    try:
        server = _streamlit_process(process)
        asyncio.run(run(url, 1, 1))  # warm the cache: loading the data is not a viewer's cost
        before = server.memory_info().rss
        result = asyncio.run(run(url, args.sessions, args.rounds))
        after = server.memory_info().rss
    finally:
        stop_server(process)
    print(f"sessions: {args.sessions} x {args.rounds} selections")
    print(
        f"errors: {len(result.errors)}"
        + (f" ({'; '.join(result.errors[:3])})" if result.errors else "")
    )
    if result.timings_ms:
        p50 = statistics.median(result.timings_ms)
        p95 = percentile(result.timings_ms, 0.95)
        print(f"select → quote: p50 {p50:,.0f} ms, p95 {p95:,.0f} ms over {len(result.timings_ms)}")
    growth = (after - before) / 1e6 / max(args.sessions, 1)
    print(
        f"server memory: {before / 1e6:,.0f} MB → {after / 1e6:,.0f} MB; "
        f"growth per session {growth:,.1f} MB"
    )
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
