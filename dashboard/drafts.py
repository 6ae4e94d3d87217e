"""Drafts on the map page: hidden unless "Show drafts" is on (URL parameter ``show_drafts``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

__all__ = ["hide_unless_shown", "show_drafts_toggle"]


def show_drafts_toggle() -> bool:
    """Draw the "Show drafts" toggle (bound to ``?show_drafts=true``) and return its value."""
    return st.toggle(
        "Show drafts",
        value=False,
        key="show_drafts",
        bind="query-params",
        help="Incidents with status draft (made by geo draft, not yet checked): hollow markers",
    )


def hide_unless_shown(incidents: pd.DataFrame, show: bool) -> pd.DataFrame:
    """Return ``incidents`` without those of status ``draft`` unless ``show`` is True."""
    if show:
        return incidents
    return incidents[incidents["status"] != "draft"]
