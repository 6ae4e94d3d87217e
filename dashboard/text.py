"""Turning data into display strings. Incident text is data: it is escaped, never interpreted."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

__all__ = [
    "escape_markdown",
    "format_distance",
    "format_duration",
    "format_time",
    "line_phrase",
    "place_phrase",
]

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it also defuses
# Streamlit's extensions (:red[...], :emoji:, $math$) and raw HTML.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: object) -> str:
    """Return ``text`` so that st.markdown shows it literally (no formatting, links, HTML)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return escaped.replace("\n", "  \n")


def format_distance(km: float) -> str:
    """Return a distance rounded as a reader expects: 0.4 km, 7.3 km, 26 km, 1,234 km."""
    if not math.isfinite(km):
        return "unknown distance"
    if km < 10:
        return f"{km:.1f} km"
    return f"{km:,.0f} km"


def format_time(value: dt.datetime, *, precision: str) -> str:
    """Return a time in its own offset, cut to its precision: ``2022-11-02 08:51 UTC+09:00``."""
    pattern = {
        "minute": "%Y-%m-%d %H:%M",
        "hour": "%Y-%m-%d %H:00",
        "day": "%Y-%m-%d",
        "month": "%Y-%m",
        "year": "%Y",
    }[precision]
    text = value.strftime(pattern)
    if precision in {"minute", "hour"}:
        offset = value.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        text += f" UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text


def format_duration(delta: dt.timedelta) -> str:
    """Return a signed gap between two times in words: "4 min later", "2 h 19 min earlier"."""
    seconds = delta.total_seconds()
    word = "later" if seconds >= 0 else "earlier"
    minutes = round(abs(seconds) / 60)
    if minutes == 0:
        return "at the same time"
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
    ]
    return " ".join(p for p in parts if p) + f" {word}"


def line_phrase(row: pd.Series, boundary_id: str, name: str) -> str:
    """Return "26 ± 5 km south of NLL (East)" for one location row of the enriched table."""
    km, err, side = (
        row[f"{boundary_id}_km"],
        row[f"{boundary_id}_km_err"],
        row[f"{boundary_id}_side"],
    )
    if side == "on":
        return f"on {name} (within 50 m)"
    phrase = f"{format_distance(km)} ± {err:g} km {side} of {name}"
    if not bool(row[f"{boundary_id}_side_certain"]):
        phrase += " (side uncertain: the precision circle reaches the line)"
    return phrase


def place_phrase(row: pd.Series) -> str:
    """Return "60 km ENE of Sokcho (from its centre; 55 km from its edge)"."""
    if not isinstance(row.get("nearest_place"), str):
        return ""
    km = row["nearest_place_km"]
    if km < 0.05:
        return f"at {row['nearest_place_name']}"
    phrase = f"{format_distance(km)} {row['nearest_place_bearing']} of {row['nearest_place_name']}"
    edge = row.get("nearest_place_edge_km")
    if isinstance(edge, float) and math.isfinite(edge):
        phrase += f" (from its centre; {format_distance(edge)} from its edge)"
    return phrase
