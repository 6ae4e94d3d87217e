"""A short load test in CI: several concurrent viewers, no errors (times are only printed)."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks.load_test import run

pytestmark = pytest.mark.e2e


def test_concurrent_viewers_get_their_quotes_without_errors(server: str) -> None:
    result = asyncio.run(run(server, sessions=3, rounds=2))
    assert result.errors == []
    assert len(result.timings_ms) == 6
    print(f"select → quote, ms: {sorted(round(t) for t in result.timings_ms)}")
