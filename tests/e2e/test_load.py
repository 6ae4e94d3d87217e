"""A short load test in CI: several concurrent viewers, no errors (times are only printed)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.load_test import run

pytestmark = pytest.mark.e2e


def test_concurrent_viewers_get_their_quotes_without_errors(server: str) -> None:
    # The other browser tests keep a synchronous Playwright (and its event loop) running in this
    # thread; the asynchronous sessions get a thread and an event loop of their own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(lambda: asyncio.run(run(server, sessions=3, rounds=2))).result()
    assert result.errors == []
    assert len(result.timings_ms) == 6
    print(f"select → quote, ms: {sorted(round(t) for t in result.timings_ms)}")
