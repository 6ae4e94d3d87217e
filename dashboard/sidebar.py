"""Sidebar controls: the time control, filters and layer toggles, bound to the URL.

Every widget but the time window has ``bind="query-params"``: its key is the query parameter, so
a filtered view is a shareable link (defaults are left out of the URL). A link's values were
checked and seeded into the session state before these widgets run
(:func:`dashboard.permalinks.seed_from_link`). Each widget always gets the same default: Streamlit
derives a widget's identity, and whether its value belongs in the URL, from it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.dataset import CATEGORY_LABELS, Dataset
from dashboard.text import escape_markdown
from dashboard.timecontrol import ALL, time_controls
from dashboard.view import MAP_LAYERS, Filters

__all__ = ["FILTER_KEYS", "filter_controls", "layer_controls"]

FILTER_KEYS = ("period", "time", "category", "actor", "status", "q")


def _choice(label: str, options: list[str], key: str, names: dict[str, str] | None = None):
    """Pills for the closed lists (our own labels; pills render Markdown)."""
    chosen = st.pills(
        label,
        options,
        key=key,
        bind="query-params",
        selection_mode="multi",
        format_func=lambda v: (names or {}).get(v, v),
        default=options,
    )
    return None if set(chosen) == set(options) else tuple(chosen)


def _reset(defaults: dict[str, object]) -> None:
    # Bound widgets take their value from the URL unless session state says otherwise, so the
    # defaults are written back rather than the keys deleted.
    for key, value in defaults.items():
        st.session_state[key] = value
    st.session_state.pop("time", None)  # the window starts whole again
    st.session_state.pop("_time_period", None)


def filter_controls(dataset: Dataset) -> Filters:
    """Draw the filter widgets and return the filters they describe."""
    incidents = dataset.incidents
    start, end = time_controls(dataset)
    categories = _choice(
        "Category", sorted(incidents["category"].unique()), "category", CATEGORY_LABELS
    )
    # actors are free text from the data: a multiselect shows options as plain text; with many
    # actors, none chosen means all (the chips of every actor would fill the sidebar)
    actor_options = sorted(incidents["actor"].unique())
    chosen = st.multiselect(
        "Actor",
        actor_options,
        default=[],
        key="actor",
        bind="query-params",
        placeholder="All actors",
    )
    actors = tuple(chosen) if chosen and set(chosen) != set(actor_options) else None
    statuses = _choice("Status", sorted(incidents["status"].unique()), "status")
    query = st.text_input(
        "Search", key="q", bind="query-params", placeholder="id, place, outlet or words of a quote"
    )
    defaults: dict[str, object] = {"q": "", "period": ALL}
    for key in ("category", "status"):
        defaults[key] = sorted(incidents[key].unique())
    defaults["actor"] = []
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
            key=group.key,
            bind="query-params",
            value=group.default_on,
        )
    for key, label, default in MAP_LAYERS:
        enabled[key] = st.toggle(label, value=default, key=key, bind="query-params")
    return enabled
