"""Sidebar controls: filters and layer toggles, bound to URL query parameters, and the legend.

Every widget has ``bind="query-params"``: its key is the query parameter, so a filtered view is
a shareable link (defaults are left out of the URL).
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.dataset import CATEGORY_LABELS, MARKER_CLASSES, Dataset
from dashboard.layers import BOUNDARY_STYLE, PALETTE
from dashboard.text import escape_markdown
from dashboard.view import MAP_LAYERS, Filters

__all__ = ["FILTER_KEYS", "filter_controls", "layer_controls", "legend"]

FILTER_KEYS = ("time", "category", "actor", "status", "q")
MAX_TIME_STOPS = 400  # beyond this many distinct times the window is a datetime slider


def _time_options(dataset: Dataset) -> list[str]:
    """Return every distinct incident start or end minute, in the data's main offset."""
    tz = dt.timezone(dataset.main_offset)
    times = pd.concat([dataset.incidents["time_utc"], dataset.incidents["time_end_utc"].dropna()])
    local = times.dt.tz_convert(tz).dt.floor("min").drop_duplicates().sort_values()
    return list(local.dt.strftime("%Y-%m-%d %H:%M"))


def _time_window(dataset: Dataset) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    tz = dt.timezone(dataset.main_offset)
    options = _time_options(dataset)
    if len(options) < 2:
        return None, None
    offset = dataset.main_offset.total_seconds() / 3600
    label = f"Time window (UTC{offset:+g})"
    if len(options) <= MAX_TIME_STOPS:
        start, end = st.select_slider(
            label, options=options, value=(options[0], options[-1]), key="time", bind="query-params"
        )
        parse = dt.datetime.strptime
        start_time = parse(start, "%Y-%m-%d %H:%M").replace(tzinfo=tz)
        end_time = parse(end, "%Y-%m-%d %H:%M").replace(tzinfo=tz) + dt.timedelta(seconds=59)
    else:
        first = dt.datetime.strptime(options[0], "%Y-%m-%d %H:%M")
        last = dt.datetime.strptime(options[-1], "%Y-%m-%d %H:%M")
        start_time, end_time = st.slider(
            label,
            min_value=first,
            max_value=last,
            value=(first, last),
            step=dt.timedelta(hours=1),
            format="YYYY-MM-DD HH:mm",
            key="time",
            bind="query-params",
        )
        start_time, end_time = start_time.replace(tzinfo=tz), end_time.replace(tzinfo=tz)
    return pd.Timestamp(start_time), pd.Timestamp(end_time)


def _choice(label: str, options: list[str], key: str, names: dict[str, str] | None = None):
    """Pills for the closed lists (our own labels; pills render Markdown)."""
    chosen = st.pills(
        label,
        options,
        default=options,
        key=key,
        bind="query-params",
        selection_mode="multi",
        format_func=lambda v: (names or {}).get(v, v),
    )
    return None if set(chosen) == set(options) else tuple(chosen)


def _reset(defaults: dict[str, object]) -> None:
    # Bound widgets take their value from the URL unless session state says otherwise, so the
    # defaults are written back rather than the keys deleted.
    for key, value in defaults.items():
        st.session_state[key] = value


def filter_controls(dataset: Dataset) -> Filters:
    """Draw the filter widgets and return the filters they describe."""
    incidents = dataset.incidents
    start, end = _time_window(dataset)
    categories = _choice(
        "Category", sorted(incidents["category"].unique()), "category", CATEGORY_LABELS
    )
    # actors are free text from the data: a multiselect shows options as plain text
    actor_options = sorted(incidents["actor"].unique())
    chosen = st.multiselect(
        "Actor", actor_options, default=actor_options, key="actor", bind="query-params"
    )
    actors = None if set(chosen) == set(actor_options) else tuple(chosen)
    statuses = _choice("Status", sorted(incidents["status"].unique()), "status")
    query = st.text_input(
        "Search", key="q", bind="query-params", placeholder="id, place, outlet or words of a quote"
    )
    defaults = {"q": ""}
    for key, column in (("category", "category"), ("actor", "actor"), ("status", "status")):
        defaults[key] = sorted(incidents[column].unique())
    options = _time_options(dataset)
    if 2 <= len(options) <= MAX_TIME_STOPS:
        defaults["time"] = (options[0], options[-1])
    st.button("Reset filters", on_click=_reset, args=(defaults,), width="stretch")
    return Filters(
        start=start, end=end, categories=categories, actors=actors, statuses=statuses, query=query
    )


def layer_controls(dataset: Dataset) -> dict[str, bool]:
    """Draw one toggle per layer (boundary groups first) and return key → on/off."""
    enabled = {}
    for group in dataset.layer_groups:
        # a layer's name is data: escaped so that Markdown in it shows as typed
        enabled[group.key] = st.toggle(
            escape_markdown(group.label),
            value=group.default_on,
            key=group.key,
            bind="query-params",
        )
    for key, label, default in MAP_LAYERS:
        enabled[key] = st.toggle(label, value=default, key=key, bind="query-params")
    return enabled


def legend(dataset: Dataset) -> None:
    """Draw the legend: marker classes and boundary kinds, in the map's colours."""
    rows = [(label, PALETTE[key], "circle") for key, label in MARKER_CLASSES.items()]
    for group in dataset.layer_groups:
        colour, _ = BOUNDARY_STYLE.get(group.kind, ([80, 80, 80, 255], 2))
        metas = [dataset.catalog.boundary_meta[b] for b in group.boundary_ids]
        flags = sorted({flag.value for meta in metas for flag in meta.status})
        label = group.label + (f" ({', '.join(flags)})" if flags else "")
        shape = (
            "stroke"
            if group.kind.endswith("line") or group.kind == "land_demarcation"
            else "square"
        )
        rows.append((label, colour[:3], shape))
    frame = pd.DataFrame(
        {
            "item": [r[0] for r in rows],
            "colour": [f"rgb({c[0]},{c[1]},{c[2]})" for _, c, _ in rows],
            "shape": [r[2] for r in rows],
            "order": range(len(rows)),
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, size=140)
        .encode(
            y=alt.Y(
                "item:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(labelLimit=320, ticks=False, domain=False),
            ),
            shape=alt.Shape("shape:N", scale=None),
            color=alt.Color("colour:N", scale=None),
        )
        .properties(height=22 * len(rows), width=24)
        .configure_view(stroke=None)
    )
    st.altair_chart(chart, width="content")
