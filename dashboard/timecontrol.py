"""The time control: a period (all, a year, a day) and a window inside it, to the minute.

Times are shown and chosen in the data's main UTC offset. The period is ``?period=2022`` (or a
day, ``2022-11-02``); the window is ``?time=<start>&time=<end>`` (``YYYY-MM-DD HH:MM``), written
only when it is narrower than the period. Both are kept in the URL by this module rather than
bound by Streamlit, because they depend on each other and a permalink to an incident may widen
them (a bound widget's first value always comes from the URL). The slider's step follows the
period: minutes within two days, hours within 90 days, days beyond.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.dataset import Dataset
from dashboard.urlstate import TIME_FORMAT

__all__ = [
    "ALL",
    "local_times",
    "period_bounds",
    "period_labels",
    "period_of",
    "time_controls",
    "time_step",
]

ALL = "all"


def local_times(dataset: Dataset) -> tuple[pd.Series, pd.Series]:
    """Return each incident's start and end (end = start when none) as naive local datetimes."""
    tz = dt.timezone(dataset.main_offset)
    start = dataset.incidents["time_utc"].dt.tz_convert(tz).dt.tz_localize(None)
    end = dataset.incidents["time_end_utc"].fillna(dataset.incidents["time_utc"])
    return start, end.dt.tz_convert(tz).dt.tz_localize(None)


def period_labels(dataset: Dataset) -> dict[str, str]:
    """Return the periods to choose from, label → value: All, the years, then the days."""
    start, _ = local_times(dataset)
    labels = {"All": ALL}
    for year in sorted(start.dt.year.unique()):
        labels[str(year)] = str(year)
    for day in sorted(start.dt.strftime("%Y-%m-%d").unique()):
        labels[day] = day
    return labels


def period_bounds(dataset: Dataset, period: str) -> tuple[dt.datetime, dt.datetime]:
    """Return the first and last minute of a period (naive, in the data's main offset)."""
    if period != ALL and len(period) == 4:
        year = int(period)
        return dt.datetime(year, 1, 1), dt.datetime(year, 12, 31, 23, 59)
    if period != ALL:
        day = dt.datetime.strptime(period, "%Y-%m-%d")
        return day, day + dt.timedelta(hours=23, minutes=59)
    start, end = local_times(dataset)
    if start.empty:
        today = dt.datetime.combine(dt.date.today(), dt.time())
        return today, today + dt.timedelta(hours=23, minutes=59)
    first = start.min().to_pydatetime().replace(hour=0, minute=0, second=0, microsecond=0)
    last = end.max().to_pydatetime().replace(hour=23, minute=59, second=0, microsecond=0)
    return first, last


def period_of(dataset: Dataset, period: str, moment: dt.datetime) -> bool:
    """Return True when ``moment`` (naive, main offset) lies in the period."""
    first, last = period_bounds(dataset, period)
    return first <= moment <= last + dt.timedelta(seconds=59)


def time_step(first: dt.datetime, last: dt.datetime) -> dt.timedelta:
    """Return the window slider's step: a minute within 2 days, an hour within 90, else a day."""
    span = last - first
    if span <= dt.timedelta(days=2):
        return dt.timedelta(minutes=1)
    if span <= dt.timedelta(days=90):
        return dt.timedelta(hours=1)
    return dt.timedelta(days=1)


def _clamped(window, first: dt.datetime, last: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start, end = window
    start = min(max(start, first), last)
    end = max(min(end, last), start)
    return start, end


def time_controls(dataset: Dataset) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Draw the period and window widgets; return the window as aware timestamps (or None, None).

    The window resets to the whole period when the period changes.
    """
    if dataset.incidents.empty:
        return None, None
    labels = period_labels(dataset)
    names = {value: label for label, value in labels.items()}
    offset = dataset.main_offset.total_seconds() / 3600
    state = st.session_state
    if state.get("period") not in names:
        state["period"] = ALL
    period = st.selectbox(
        f"Period (UTC{offset:+g})", list(labels.values()), key="period", format_func=names.get
    )
    if period == ALL:
        st.query_params.pop("period", None)
    else:
        st.query_params["period"] = names[period]
    first, last = period_bounds(dataset, period)
    previous = state.get("_time_period")
    if "time" not in state or (previous is not None and previous != period):
        state["time"] = (first, last)  # a new period starts whole; a link's window is kept
    state["_time_period"] = period
    state["time"] = _clamped(state["time"], first, last)
    start, end = st.slider(
        "Window",
        min_value=first,
        max_value=last,
        step=time_step(first, last),
        format="YYYY-MM-DD HH:mm",
        key="time",
    )
    if (start, end) == (first, last):
        st.query_params.pop("time", None)
    else:
        st.query_params["time"] = [start.strftime(TIME_FORMAT), end.strftime(TIME_FORMAT)]
    tz = dt.timezone(dataset.main_offset)
    end_of_minute = end + dt.timedelta(seconds=59)
    return pd.Timestamp(start.replace(tzinfo=tz)), pd.Timestamp(end_of_minute.replace(tzinfo=tz))
