"""Seamark dashboard: ``python -m streamlit run dashboard/app.py`` from the repository root.

The page script is wiring only: load (cached on the data files' modification times), draw the
controls, filter, resolve the selection, draw the map and panels. Data comes from the directory
in ``$SEAMARK_DATA`` (default ``data/``).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import streamlit as st

from dashboard import (
    draft_page,
    drafts,
    extras,
    legend,
    panels,
    permalinks,
    playback,
    publish,
    sidebar,
)
from dashboard.basemap import publish_static
from dashboard.dataset import Dataset, build_dataset, data_fingerprint
from dashboard.view import build_deck, filter_incidents, fit_view, pick_from_event, related_ids
from geo import data_dir_from_env
from geo.export import incidents_geojson, write_table

st.set_page_config(page_title="Seamark", page_icon="🧭", layout="wide")
if not draft_page.navigate():  # issue 11: "Draft from an article" (/draft) ran instead of the map
    st.stop()
STATIC_DIR = Path(__file__).parent / "static"  # served at /app/static/ (enableStaticServing)


@st.cache_resource(show_spinner="Loading and measuring the data…", max_entries=4)
def load_dataset(data_dir: str, fingerprint: tuple) -> Dataset:
    """Return the dataset of ``data_dir``; ``fingerprint`` changes when any file changes."""
    return build_dataset(data_dir)


@st.cache_resource(max_entries=4, show_spinner=False)
def basemap_urls(data_dir: str, fingerprint: tuple) -> dict[str, str]:
    """Publish the display basemap as static files; return their URLs (same-origin).

    A URL in the deck spec stays the same from one rerun to the next, so the browser fetches
    and tessellates the basemap once instead of on every click (and the spec stays small).
    """
    dataset = load_dataset(data_dir, fingerprint)
    return publish_static(dataset, STATIC_DIR)


@st.cache_data(max_entries=32, show_spinner=False)
def export_bytes(data_dir: str, fingerprint: tuple, ids: tuple[str, ...], suffix: str) -> bytes:
    """Return the enriched locations of ``ids`` as a file in the format of ``suffix``.

    ``.incidents.geojson`` is the lossless export instead: every field of every incident.
    """
    dataset = load_dataset(data_dir, fingerprint)
    if suffix == ".incidents.geojson":
        document = incidents_geojson(dataset.positions, list(ids))
        return json.dumps(document, ensure_ascii=False).encode("utf-8")
    rows = dataset.locations[dataset.locations["incident_id"].isin(ids)].drop(columns="marker")
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(rows, Path(folder) / f"seamark{suffix}")
        return path.read_bytes()


def select(incident_id: str | None) -> None:
    """Make ``incident_id`` the selected incident (also written to the URL as ?incident=)."""
    st.session_state["selected"] = incident_id


def on_pick(widget_key: str) -> None:
    """Callback of the map, feed and table: a new pick there selects that incident."""
    state = st.session_state[widget_key]
    picked = pick_from_event(state.selection, st.session_state.get(f"{widget_key}_ids", ()))
    if picked is not None:
        select(picked)


data_dir = str(data_dir_from_env())
fingerprint = data_fingerprint(data_dir)
dataset = load_dataset(data_dir, fingerprint)

permalinks.seed_from_link(dataset)  # a link's parameters, checked, before any widget reads them
if st.session_state.get("selected") not in dataset.catalog.incidents:
    st.session_state["selected"] = None  # none, or its file was edited away

with st.sidebar:
    st.header("Time and filters")
    filters = sidebar.filter_controls(dataset)
    show_drafts = drafts.show_drafts_toggle()  # issue 11: drafts hidden unless asked for
    st.header("Layers")
    enabled = sidebar.layer_controls(dataset)
    st.header("Legend")
    legend.draw_legend(dataset)

shown = drafts.hide_unless_shown(filter_incidents(dataset.incidents, filters), show_drafts)
st.title("Seamark")
st.caption(f"{len(shown)} of {len(dataset.incidents)} incidents shown · {dataset.summary()}")
permalinks.show_link_notices()
extras.rejected_files(dataset)
if shown.empty and len(dataset.incidents):
    st.info(
        "No incident matches these filters. Widen the period or the window, choose more "
        "categories, actors or statuses, or clear the search (Reset filters shows everything)."
    )

st.session_state["feed_ids"] = st.session_state["table_ids"] = tuple(
    shown.index[: extras.FEED_ROWS]
)
selected = st.session_state["selected"]
map_tab, table_tab, chart_tab, about_tab = st.tabs(["Map", "Table", "Charts", "About & method"])
with map_tab:
    map_column, side_column = st.columns([3, 2], gap="medium")
with table_tab:
    extras.incident_table(dataset, shown, key="table", on_select=lambda: on_pick("table"))
with map_column:
    locations = dataset.locations
    chosen = locations[locations["incident_id"].isin(related_ids(dataset, selected))]
    focus = (
        chosen
        if chosen["lon"].notna().any()
        else locations[locations["incident_id"].isin(shown.index)]
    )
    if not focus["lon"].notna().any():
        focus = locations  # nothing shown: frame the data's area, with its lines and basemap
    view = fit_view(
        focus["lon"].to_numpy(), focus["lat"].to_numpy(), pad_km=60.0 if len(chosen) else 30.0
    )

    # -- publication (issue 13): the map at the playback cursor's moment, and its download
    def draw_map(visible, at, decorate) -> None:
        """Draw the map of ``visible`` at moment ``at`` and the download of that view."""
        basemap = basemap_urls(data_dir, fingerprint)
        deck = build_deck(
            dataset, visible, selected=selected, enabled=enabled, view=view, basemap=basemap
        )
        st.pydeck_chart(
            decorate(deck, view),
            on_select=lambda: on_pick("map"),
            selection_mode="single-object",
            key="map",
            height=620,
        )
        request = publish.map_request(
            dataset, shown, filters=filters, selected=selected, enabled=enabled, at=at
        )
        publish.download_map(data_dir, fingerprint, dataset, request)

    playback.map_with_cursor(dataset, shown, filters, draw=draw_map, selected=selected)
    # -- end of publication
    st.subheader("Feed")
    extras.feed(dataset, shown, key="feed", on_select=lambda: on_pick("feed"))

if selected:
    st.query_params["incident"] = selected
elif "incident" in st.query_params:
    del st.query_params["incident"]

with side_column:
    if selected:
        st.button("Close details", on_click=select, args=(None,))
        with st.container(height=900, border=False):
            panels.detail_panel(dataset, selected, select)
    else:
        st.info(
            "Click an incident on the map, in the feed or in the table to read what the "
            "sources said beside what the geometry says."
        )
    ids = tuple(shown.index)
    st.markdown("**Download the shown incidents** (one row per location, measured; or every field)")
    for label, suffix, mime in (
        ("GeoJSON", ".geojson", "application/geo+json"),
        ("CSV", ".csv", "text/csv"),
        ("GeoPackage", ".gpkg", "application/geopackage+sqlite3"),
        ("Every field of the incidents (GeoJSON)", ".incidents.geojson", "application/geo+json"),
    ):
        st.download_button(
            label,
            data=lambda s=suffix: export_bytes(data_dir, fingerprint, ids, s),
            file_name=f"seamark{suffix}",
            mime=mime,
            key=f"download{suffix}",
            on_click="ignore",
            disabled=not ids,
        )
with chart_tab:
    extras.timeline_chart(dataset, shown)
with about_tab:
    extras.about(dataset)
