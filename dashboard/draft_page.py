"""The "Draft from an article" page: paste or upload an article, check and download its drafts.

The map stays the default page at ``/`` (dashboard/app.py); this page is at ``/draft``. It never
writes into the data directory (drafts are checked in a temporary copy of its gazetteer and
boundaries) and never fetches a URL: the article's address is only recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from dashboard.dataset import Dataset, build_dataset, data_fingerprint
from dashboard.draft_view import check_texts, claim_rows, make_drafts, preview_deck
from geo import data_dir_from_env
from geo.draft import MAX_ARTICLE_BYTES, DraftError

__all__ = ["navigate", "render"]

MAX_UPLOAD_MB = MAX_ARTICLE_BYTES // 1_000_000


def _map_page() -> None:
    """The map: drawn by dashboard/app.py itself after :func:`navigate` returns True."""


def navigate() -> bool:
    """Declare the pages; run the draft page if chosen. Return True when the map is to be drawn."""
    pages = [
        st.Page(_map_page, title="Map", icon=":material/map:", url_path="map", default=True),
        st.Page(
            render, title="Draft from an article", icon=":material/edit_note:", url_path="draft"
        ),
    ]
    chosen = st.navigation(pages, position="top")
    if chosen.url_path == "draft":
        chosen.run()
        return False
    return True


@st.cache_resource(show_spinner="Loading the data…", max_entries=2)
def _base(data_dir: str, fingerprint: tuple) -> Dataset:
    """Return the dataset whose places, boundaries and basemap the drafts are drawn with."""
    return build_dataset(data_dir)


@st.cache_data(max_entries=16, show_spinner="Checking the drafts…")
def _check(texts: tuple[str, ...], data_dir: str, fingerprint: tuple):
    return check_texts(list(texts), _base(data_dir, fingerprint), data_dir)


def _article_input() -> tuple[bytes, str] | None:
    text = st.text_area(
        "Paste the article's text", key="draft_text", height=220, placeholder="Title\n\nFirst…"
    )
    upload = st.file_uploader(
        f"…or upload a saved article (.txt or .html, up to {MAX_UPLOAD_MB} MB)",
        type=["txt", "html", "htm"],
        key="draft_file",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if upload is not None:
        if upload.size > MAX_ARTICLE_BYTES:
            st.error(f"{upload.name}: {upload.size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}")
            return None
        return upload.getvalue(), upload.name
    if text.strip():
        return text.encode("utf-8"), "pasted.txt"
    return None


def _metadata() -> dict:
    left, middle, right, last = st.columns([3, 2, 1.3, 0.8])
    url = left.text_input("Article URL (recorded, never fetched)", key="draft_url")
    outlet = middle.text_input("Outlet", key="draft_outlet")
    published = right.date_input(
        "Published", value=None, key="draft_published", min_value=dt.date(1900, 1, 1)
    )
    language = last.text_input("Language", key="draft_language", placeholder="en")
    return {"url": url, "outlet": outlet, "published": published, "language": language}


def _make(article: tuple[bytes, str] | None, meta: dict, dataset: Dataset) -> None:
    if article is None:
        st.error("Paste an article or upload a file first.")
        return
    data, name = article
    try:
        texts, summary = make_drafts(data, dataset, name=name, **meta)
    except DraftError as exc:
        st.error(str(exc))
        return
    st.session_state["draft_texts"] = texts
    st.session_state["draft_summary"] = summary
    for index, text in enumerate(texts):  # the editors start from the new drafts
        st.session_state[f"draft_edit_{index}"] = text
    st.session_state["draft_run"] = hashlib.sha256(data).hexdigest()[:12]


def _problems(problems) -> None:
    if not any(p.severity == "error" for p in problems):
        st.success("Valid: `python -m geo validate` accepts this draft.")
    for problem in problems:
        line = f"line {problem.line}: {problem.field}: {problem.message}"
        (st.warning if problem.severity == "warning" else st.error)(line, icon=None)


def _editors(texts: list[str]) -> list[str]:
    edited = []
    for index, _ in enumerate(texts):
        edited.append(st.session_state.get(f"draft_edit_{index}", texts[index]))
    return edited


def _results(data_dir: str, fingerprint: tuple) -> None:
    texts = st.session_state.get("draft_texts")
    if not texts:
        return
    st.caption(st.session_state.get("draft_summary", ""))
    edited = _editors(texts)
    checked = _check(tuple(edited), data_dir, fingerprint)
    ids = [checked.names[str(i)] for i in range(len(edited))]
    tabs = st.tabs(ids)
    for index, tab in enumerate(tabs):
        with tab:
            _draft_tab(index, ids[index], checked)
    frame = checked.dataset.locations.dropna(subset=["lon"])
    located = [i for i in ids if i in set(frame["incident_id"])] or [
        i for i in ids if i in checked.dataset.catalog.incidents
    ]
    selected = st.selectbox("Draft shown with its claims", located, key="draft_selected")
    st.pydeck_chart(preview_deck(checked, selected), height=520, key="draft_map")
    rows = claim_rows(checked)
    if len(rows):
        st.markdown("**Claims, checked against the geometry**")
        st.dataframe(rows, hide_index=True, width="stretch")


def _draft_tab(index: int, draft_id: str, checked) -> None:
    editor, side = st.columns([3, 2])
    with editor:
        text = st.text_area(f"{draft_id}.yaml", key=f"draft_edit_{index}", height=520)
    with side:
        st.markdown("**Validation**")
        _problems(checked.problems.get(str(index), []))
        st.download_button(
            f"Download {draft_id}.yaml",
            data=text.encode("utf-8"),
            file_name=f"{draft_id}.yaml",
            mime="application/yaml",
            key=f"draft_download_{index}",
            on_click="ignore",
        )


def render() -> None:
    """Draw the page."""
    st.title("Draft from an article")
    st.caption(
        "Paste a news article or upload a saved page: Seamark drafts incidents from it (quotes "
        "verbatim with their speakers, times with offsets, places, claims, figures), each value "
        "commented with the article line it came from. Nothing is written into the data "
        "directory and no URL is fetched: download the YAML and add it to data/incidents/."
    )
    data_dir = str(data_dir_from_env())
    fingerprint = data_fingerprint(data_dir)
    dataset = _base(data_dir, fingerprint)
    article = _article_input()
    meta = _metadata()
    if st.button("Make drafts", type="primary", key="draft_make"):
        _make(article, meta, dataset)
    _results(data_dir, fingerprint)
