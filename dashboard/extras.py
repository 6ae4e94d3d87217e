"""Panels around the map: rejected files, feed, table, chart, downloads, about & method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.dataset import CATEGORY_LABELS, MARKER_CLASSES, Dataset
from dashboard.layers import PALETTE

__all__ = ["about", "feed", "incident_table", "rejected_files", "timeline_chart"]


def rejected_files(dataset: Dataset) -> None:
    """Show, in plain sight, every file that was rejected and why; the rest still shows."""
    rejected = dataset.catalog.rejected_files
    if not rejected:
        return
    st.warning(
        f"{len(rejected)} file(s) rejected; everything else is shown. "
        "Run `python -m geo validate` for the same list."
    )
    st.text("\n".join(problem.format() for problems in rejected.values() for problem in problems))


def _local(times: pd.Series, offset: dt.timedelta) -> pd.Series:
    return times.dt.tz_convert(dt.timezone(offset)).dt.strftime("%Y-%m-%d %H:%M")


FEED_ROWS = 1_000  # the feed and the table list at most this many rows; filters narrow them


def capped(shown: pd.DataFrame) -> pd.DataFrame:
    """Return the first rows to list, with a note when there are more."""
    if len(shown) > FEED_ROWS:
        st.caption(
            f"Listing the first {FEED_ROWS:,} of {len(shown):,}: filter or search to narrow."
        )
        return shown.iloc[:FEED_ROWS]
    return shown


def feed(dataset: Dataset, shown: pd.DataFrame, *, key: str, on_select: Callable[[], None]) -> None:
    """Draw the chronological feed, grouped by date; a row click calls ``on_select``.

    The date is written on the first row of each day only, so the days stand out as groups. Row
    ``i`` of the feed is ``shown.index[i]`` (the page keeps that list for the callback).
    """
    shown = capped(shown)
    local = _local(shown["time_utc"], dataset.main_offset)
    day = local.str.slice(0, 10)
    frame = pd.DataFrame(
        {
            "date": day.where(day != day.shift(), ""),
            "time": local.str.slice(11, 16),
            "category": shown["category"].map(CATEGORY_LABELS).fillna(shown["category"]),
            "title": shown["title"],
        }
    )
    if frame.empty:
        st.caption("No incident to list: widen the filters.")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=300,
        key=key,
        on_select=on_select,
        selection_mode="single-row",
    )


def incident_table(
    dataset: Dataset, shown: pd.DataFrame, *, key: str, on_select: Callable[[], None]
) -> None:
    """Draw the table view of the shown incidents with key measurements; see :func:`feed`."""
    shown = capped(shown)
    locations = dataset.locations[dataset.locations["incident_id"].isin(shown.index)]
    first = locations.sort_values("location_index").drop_duplicates("incident_id")
    first = first.set_index("incident_id").reindex(shown.index)
    frame = pd.DataFrame(
        {
            "id": shown.index,
            "time": _local(shown["time_utc"], dataset.main_offset),
            "category": shown["category"],
            "actor": shown["actor"],
            "status": shown["status"],
            "title": shown["title"],
            "locations": shown["n_locations"],
            "nearest place": first["nearest_place_name"].to_numpy(),
            "km": first["nearest_place_km"].round(1).to_numpy(),
            "territorial sea": first["territorial_sea"].to_numpy(),
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        on_select=on_select,
        selection_mode="single-row",
    )


def timeline_chart(dataset: Dataset, shown: pd.DataFrame) -> None:
    """Draw the shown incidents on a real time axis (years to minutes), in the map's colours.

    One mark per incident at its local time (the data's main offset), a row per category,
    coloured by its marker class as on the map; drag to pan, scroll to zoom the time axis.
    """
    if shown.empty:
        st.info("No incident matches the filters.")
        return
    tz = dt.timezone(dataset.main_offset)
    marker = (
        dataset.locations.sort_values("location_index")
        .drop_duplicates("incident_id")
        .set_index("incident_id")["marker"]
    )
    frame = pd.DataFrame(
        {
            "time": shown["time_utc"].dt.tz_convert(tz).dt.tz_localize(None),
            "category": shown["category"].map(CATEGORY_LABELS).fillna(shown["category"]),
            "class": shown.index.map(marker).fillna("other").map(MARKER_CLASSES),
            "title": shown["title"],
        }
    )
    classes = list(MARKER_CLASSES.values())
    colours = [f"rgb({r},{g},{b})" for r, g, b in (PALETTE[k] for k in MARKER_CLASSES)]
    offset = dataset.main_offset.total_seconds() / 3600
    chart = (
        alt.Chart(frame)
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X("time:T", title=f"Time (UTC{offset:+g})", axis=alt.Axis(labelOverlap=True)),
            y=alt.Y("category:N", title=None),
            color=alt.Color(
                "class:N", title="Marker", scale=alt.Scale(domain=classes, range=colours)
            ),
            tooltip=[alt.Tooltip("time:T", format="%Y-%m-%d %H:%M"), "category", "title"],
        )
        .properties(height=60 + 40 * frame["category"].nunique())
        .interactive(bind_y=False)
    )
    st.altair_chart(chart, width="stretch")


ABOUT = """
**What Seamark shows.** Incidents from curated files (one YAML file per incident, every fact with
a source), beside the lines that matter. Click an incident on the map, in the feed or in the table
to read what the sources said, verbatim, next to what the geometry says.

**How distances are computed.** On the WGS84 ellipsoid. Boundary lines are first densified along
their declared path (geodesic, or rhumb for lines "along a parallel") into segments of at most
5 km; the nearest point is found exactly and the distance is the geodesic distance to it
(GeographicLib), within 0.1 % or 50 m of the truth anywhere on Earth. The ± figure is the
location's precision radius: a distance can move by at most that much. A side is *uncertain* when
the precision circle reaches the line; within 50 m a point is *on* the line. Beyond the ends of a
line, sides follow the line's extension along its last segment's declared path.

**What is approximate.** Territorial seas are measured from the Natural Earth 1:10m coastline with
normal baselines (straight baselines and low-tide elevations are not modelled). The 2018 buffer
zones are defined only by place names; their polygons are curators' approximations. The East Sea
NLL's length is uncertain (218 statute or nautical miles). Positions marked *derived* were computed
or placed by curators; each says how.

**Privacy.** The map is drawn from bundled data: by default the page requests nothing from any
host but this server. The online basemap layer, off by default, loads tiles from a third party.
"""


def about(dataset: Dataset) -> None:
    """Draw the About & method section, with every boundary's kind, status and sources."""
    st.markdown(ABOUT)
    rows = []
    for meta in dataset.catalog.boundary_meta.values():
        for source in meta.sources:
            rows.append(
                {
                    "boundary": meta.name,
                    "kind": meta.kind.value.replace("_", " "),
                    "status": ", ".join(s.value for s in meta.status),
                    "accuracy": meta.accuracy_note,
                    "source": source.title,
                    "link": source.url,
                }
            )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn("link")},
    )
