"""Time for maps: the data's main offset, moments typed by people, playback steps and fading.

A moment without an offset ("2022-11-02T08:54") is read in the data's main UTC offset (the most
common offset of its incident times), the offset the page shows times in. Times returned are
timezone-aware; ``*_utc`` arrays are pandas UTC timestamps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.catalog import Catalog

__all__ = [
    "MomentError",
    "fade_window",
    "format_moment",
    "incident_alpha",
    "main_utc_offset",
    "offset_text",
    "parse_moment",
    "time_steps",
]

_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)
# Regular steps a cursor can take; the first that gives at most ``max_steps`` is used.
_STEP_CHOICES = [pd.Timedelta(minutes=m) for m in (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720)] + [
    pd.Timedelta(days=d) for d in (1, 2, 7, 14, 30, 91, 365)
]
MIN_ALPHA = 0.25  # what a past incident fades to: still there, no longer news


class MomentError(ValueError):
    """A typed moment that cannot be read."""


def main_utc_offset(catalog: Catalog) -> dt.timedelta:
    """Return the most common UTC offset of the catalog's incident times (0 when empty)."""
    offsets = pd.Series([i.time.utcoffset() for i in catalog.incidents.values()])
    return offsets.mode().iloc[0] if len(offsets) else dt.timedelta(0)


def offset_text(offset: dt.timedelta) -> str:
    """Return ``+09:00`` for nine hours east of UTC."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_moment(text: str, offset: dt.timedelta) -> pd.Timestamp:
    """Return the moment ``text`` names, as a UTC timestamp.

    Parameters
    ----------
    text : str
        ISO 8601: ``2022-11-02T08:54``, ``2022-11-02 08:54``, ``2022-11-02T08:54+09:00``,
        ``2022-11-02T23:54Z`` or a date (midnight).
    offset : timedelta
        The offset of a moment written without one (the data's main offset).

    Raises
    ------
    MomentError
        When ``text`` is not such a moment, with what was expected.
    """
    cleaned = str(text).strip()
    if not _MOMENT.match(cleaned):
        raise MomentError(
            f"expected a moment like 2022-11-02T08:54 (optionally with an offset), got {text!r}"
        )
    try:
        moment = pd.Timestamp(cleaned.replace(" ", "T"))
    except ValueError as exc:
        raise MomentError(f"not a real date or time: {text!r} ({exc})") from exc
    if moment.tzinfo is None:
        moment = moment.tz_localize(dt.timezone(offset))
    return moment.tz_convert("UTC")


def format_moment(moment: pd.Timestamp, offset: dt.timedelta, *, seconds: bool = False) -> str:
    """Return ``2022-11-02T08:54`` in ``offset`` (the form ``?at=`` and ``--at`` take)."""
    local = moment.tz_convert(dt.timezone(offset))
    return local.strftime("%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M")


def time_steps(
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    max_steps: int = 240,
    extra: Iterable[pd.Timestamp] = (),
) -> list[pd.Timestamp]:
    """Return the stops of a time cursor from ``start`` to ``end`` (UTC), in order.

    Regular stops at the finest of 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1, 2, 7, 14, 30,
    91, 365 days that gives at most ``max_steps``, plus the ``extra`` moments (incident times,
    so that the cursor can stand exactly on 08:51) that fall inside the span; start and end
    are always stops.
    """
    start, end = pd.Timestamp(start).tz_convert("UTC"), pd.Timestamp(end).tz_convert("UTC")
    if end < start:
        raise ValueError(f"the span ends before it starts: {start} > {end}")
    span = end - start
    step = next((s for s in _STEP_CHOICES if span / s <= max_steps), _STEP_CHOICES[-1])
    grid = pd.date_range(
        start.floor(step) if step < pd.Timedelta(days=1) else start, end, freq=step
    )
    stops = {start, end, *(t for t in grid if start <= t <= end)}
    stops |= {t for t in (pd.Timestamp(e).tz_convert("UTC") for e in extra) if start <= t <= end}
    return sorted(stops)


def fade_window(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timedelta:
    """Return how long an incident takes to fade: an eighth of the span, at least an hour."""
    return max((end - start) / 8, pd.Timedelta(hours=1))


def incident_alpha(
    times_utc: pd.Series | np.ndarray, at: pd.Timestamp, fade: pd.Timedelta
) -> np.ndarray:
    """Return each incident's opacity at moment ``at``: 0 before its time, 1 at it, fading after.

    Opacity falls linearly from 1 to ``MIN_ALPHA`` over ``fade`` after the incident's time and
    stays there: what happened earlier in the period remains on the map, quieter.
    """
    times = pd.to_datetime(pd.Series(times_utc), utc=True)
    age = (at - times).dt.total_seconds().to_numpy()
    fade_s = max(fade.total_seconds(), 1.0)
    alpha = np.clip(1.0 - (1.0 - MIN_ALPHA) * age / fade_s, MIN_ALPHA, 1.0)
    return np.where(age < 0, 0.0, alpha)
