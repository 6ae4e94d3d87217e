"""Links into the page: read a link's parameters once per session, seed the widgets, say what
was dropped.

Widgets bound to the URL (``bind="query-params"``) take their first value from the session state
seeded here, so a link's values are checked (:func:`dashboard.urlstate.clean_params`) before any
widget sees them. A permalink to an incident widens the time control to include it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.dataset import CATEGORY_LABELS, Dataset
from dashboard.text import escape_markdown
from dashboard.timecontrol import ALL, local_times, period_bounds, period_labels
from dashboard.urlstate import ParamSpec, clean_params
from dashboard.view import MAP_LAYERS

__all__ = ["EXTRA_TOGGLES", "PASSTHROUGH", "link_spec", "seed_from_link", "show_link_notices"]

EXTRA_TOGGLES = frozenset({"show_drafts"})  # toggles drawn by other modules of the page
PASSTHROUGH = frozenset({"at"})  # parameters validated by the module that owns them
_SEEDED = "_link_seeded"
_NOTICES = "_link_notices"


def link_spec(dataset: Dataset) -> ParamSpec:
    """Return what this dataset's page accepts in its URL."""
    incidents = dataset.incidents
    categories = sorted(incidents["category"].unique())
    category_labels = {CATEGORY_LABELS.get(c, c): c for c in categories} | {
        c: c for c in categories
    }
    toggles = {group.key for group in dataset.layer_groups} | {key for key, _, _ in MAP_LAYERS}
    return ParamSpec(
        incident_ids=frozenset(dataset.catalog.incidents),
        choices={
            "category": category_labels,
            "actor": {a: a for a in sorted(incidents["actor"].unique())},
            "status": {s: s for s in sorted(incidents["status"].unique())},
        },
        single_choices={"period": period_labels(dataset)},
        toggles=frozenset(toggles) | EXTRA_TOGGLES,
        time_range=period_bounds(dataset, ALL) if len(incidents) else None,
        passthrough=PASSTHROUGH,
    )


def _incident_moment(dataset: Dataset, incident_id: str) -> dt.datetime:
    start, _ = local_times(dataset)
    return start.loc[incident_id].to_pydatetime()


def seed_from_link(dataset: Dataset) -> None:
    """On a session's first run, check the link's parameters and seed the widgets with them."""
    state = st.session_state
    if state.get(_SEEDED):
        return
    state[_SEEDED] = True
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    cleaned = clean_params(raw, link_spec(dataset))
    notices = list(cleaned.notices)
    for key, value in cleaned.values.items():
        if key == "incident":
            state["selected"] = value
        elif key not in PASSTHROUGH:
            state[key] = value
    selected = cleaned.values.get("incident")
    if selected is not None:
        moment = _incident_moment(dataset, selected)
        start, end = cleaned.values.get("time", (None, None))
        period = cleaned.values.get("period", ALL)
        first, last = period_bounds(dataset, period)
        outside_window = start is not None and not (start <= moment <= end)
        if not (first <= moment <= last) or outside_window:
            state["period"] = ALL
            state.pop("time", None)
            notices.append("the time control was widened to include the linked incident")
    state[_NOTICES] = notices


def show_link_notices() -> None:
    """Show, small, what the link asked for that the page could not use."""
    notices = st.session_state.get(_NOTICES) or []
    if notices:
        text = "; ".join(notices)
        st.caption(escape_markdown(f"Some of the link's parameters were not used: {text}."))
