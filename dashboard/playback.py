"""The day played back: a time cursor over the shown period, play/pause and speed, ``?at=``.

Paused (the default) the page makes no rerun at all: the map is an ordinary part of the page.
Playing, only the map fragment reruns, every 1, 0.5 or 0.25 s (``st.fragment(run_every=...)``,
set on the full run that started playback and dropped on the one that stops it), and each step
re-sends the map alone. Incidents appear at their time and fade after (:mod:`geo.timeline`),
arcs are drawn from launch time, and the moment is written large on the map.

``?at=2022-11-02T08:54`` (the data's main offset, or with an explicit one) opens the page at that
moment; a value that cannot be read, or lies outside the shown period, is ignored with a notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pydeck as pdk
import streamlit as st

from dashboard.dataset import Dataset
from dashboard.view import Filters
from geo.timeline import (
    MomentError,
    fade_window,
    format_moment,
    incident_alpha,
    offset_text,
    parse_moment,
    time_steps,
)

__all__ = ["SPEEDS", "cursor_stops", "map_with_cursor", "timed_deck"]

CURSOR = "playback_cursor"
PLAYING = "playback_playing"
SPEED = "playback_speed"
ASKED = "playback_asked"  # the ?at= moment read on the first run (a stop of its own)
SPEEDS = {"1×": 1.0, "2×": 0.5, "4×": 0.25}  # seconds per step
MAP_HEIGHT_PX = 620
STATIC_DIR = Path(__file__).parent / "static"  # served at app/static/ (enableStaticServing)


def shown_period(dataset: Dataset, shown: pd.DataFrame, filters: Filters):
    """Return (start, end) UTC of the period played back: the time window, else the shown span."""
    if shown.empty:
        return None
    ends = shown["time_end_utc"].fillna(shown["time_utc"])
    start = filters.start if filters.start is not None else shown["time_utc"].min()
    end = filters.end if filters.end is not None else ends.max()
    start = max(pd.Timestamp(start).tz_convert("UTC"), shown["time_utc"].min())
    end = min(pd.Timestamp(end).tz_convert("UTC"), ends.max())
    return (start, end) if start < end else None


def cursor_stops(dataset: Dataset, shown: pd.DataFrame, filters: Filters) -> list[pd.Timestamp]:
    """Return the cursor's stops: a regular grid over the period plus every incident's time."""
    period = shown_period(dataset, shown, filters)
    if period is None:
        return []
    asked = st.session_state.get(ASKED)
    extra = [*shown["time_utc"], *([asked] if asked is not None else [])]
    return [t.floor("min") for t in time_steps(*period, extra=extra)]


def _read_permalink(dataset: Dataset, stops: list[pd.Timestamp]) -> None:
    """On the first run, put the cursor where ``?at=`` says, or say why it is ignored."""
    text = st.query_params.get("at")
    st.session_state[CURSOR] = None
    if text is None:
        return
    try:
        moment = parse_moment(text, dataset.main_offset).floor("min")
    except MomentError as exc:
        st.session_state["playback_notice"] = f"Ignored ?at=: {exc}"
        return
    if not stops or not stops[0] <= moment <= stops[-1]:
        st.session_state["playback_notice"] = (
            f"Ignored ?at={text}: outside the period shown "
            f"({format_moment(stops[0], dataset.main_offset) if stops else 'no incident'}"
            f"{' – ' + format_moment(stops[-1], dataset.main_offset) if stops else ''})"
        )
        return
    st.session_state[ASKED] = moment
    st.session_state[CURSOR] = format_moment(moment, dataset.main_offset)


def _set_playing(playing: bool) -> None:
    """The button's callback: set, never flip, so a click handled twice still means what it said."""
    st.session_state[PLAYING] = playing


def _controls(dataset: Dataset, labels: list[str]) -> None:
    """Play/pause and speed: buttons outside the fragment, so a click reruns the whole page."""
    playing = st.session_state.get(PLAYING, False)
    play, speed, note = st.columns([1, 2, 5], vertical_alignment="center")
    play.button(
        "⏸ Pause" if playing else "▶ Play",
        on_click=_set_playing,
        args=(not playing,),
        key="playback_toggle",
    )
    speed.segmented_control(
        "Speed", list(SPEEDS), default="1×", key=SPEED, label_visibility="collapsed"
    )
    if "playback_notice" in st.session_state:
        note.caption(st.session_state.pop("playback_notice"))
    if playing and st.session_state.get(CURSOR) in (None, labels[-1]):
        st.session_state[CURSOR] = labels[0]  # play from the start when at the end


def _by_url(deck: pdk.Deck, directory: Path = STATIC_DIR) -> None:
    """Replace the data of layers that do not change with time by same-origin file URLs.

    Boundaries and labels are the same at every step: as content-addressed files (served at
    ``app/static/``) the browser fetches them once, and each step re-sends only the incidents.
    """
    for layer in deck.layers:
        layer_id = getattr(layer, "id", "")
        if not (layer_id.startswith("layer_") or layer_id == "basemap-labels"):
            continue
        if not isinstance(layer.data, list | dict):
            continue
        text = json.dumps(layer.data, separators=(",", ":"), sort_keys=True, default=str)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        path = directory / f"{layer_id}-{digest}.json"
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        layer.data = f"app/static/{path.name}"


def timed_deck(deck: pdk.Deck, alpha: pd.Series, text: str, view: pdk.ViewState) -> pdk.Deck:
    """Return ``deck`` with incident colours faded by ``alpha`` (by id) and the moment on top.

    ``alpha`` maps incident ids to opacity in [0, 1]; the moment is a large TextLayer at the top
    of the view (the map's height is fixed, its width is not: it is centred).
    """
    _by_url(deck)
    for layer in deck.layers:
        if getattr(layer, "id", None) == "incidents" and isinstance(layer.data, list):
            for row in layer.data:
                row["c"] = [*row["c"][:3], round(255 * float(alpha.get(row["i"], 1.0)))]
    scale = 512 * 2**view.zoom / 360.0  # px per degree of longitude (deck.gl, zoom 0: 512 px)

    def mercator_y(latitude: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))

    top = mercator_y(view.latitude) + (MAP_HEIGHT_PX / 2 - 28) / scale
    latitude = math.degrees(2 * math.atan(math.exp(math.radians(top))) - math.pi / 2)
    deck.layers.append(
        pdk.Layer(
            "TextLayer",
            id="moment",
            data=[{"lon": view.longitude, "lat": latitude, "text": text}],
            get_position=["lon", "lat"],
            get_text="text",
            get_size=26,
            get_color=[20, 20, 20],
            font_weight="'bold'",
            font_family="'Noto Sans, Noto Sans CJK KR, sans-serif'",
            background=True,
            get_background_color=[255, 255, 255, 220],
            background_padding=[8, 4],
        )
    )
    return deck


def _current(labels: list[str], dataset: Dataset) -> pd.Timestamp | None:
    """Draw the cursor, step it when playing; return the moment shown (None: no cursor)."""
    playing = st.session_state.get(PLAYING, False)
    if st.session_state.get(CURSOR) not in labels:
        st.session_state[CURSOR] = labels[-1]
    if playing:
        index = labels.index(st.session_state[CURSOR])
        if index + 1 >= len(labels):
            st.session_state[PLAYING] = False
            st.rerun()  # the whole page: drops the timer, so the page goes idle at the end
        st.session_state[CURSOR] = labels[index + 1]
    offset = offset_text(dataset.main_offset)
    value = st.select_slider(
        f"Moment (UTC{offset})",
        options=labels,
        key=CURSOR,
        format_func=lambda label: label.replace("T", " "),  # shown as the window is; `at` keeps ISO
    )
    if value == labels[-1] and not playing:  # the end of the period: everything, unfaded
        st.query_params.pop("at", None)
        return None
    st.query_params["at"] = value
    return parse_moment(value, dataset.main_offset)


def map_with_cursor(
    dataset: Dataset,
    shown: pd.DataFrame,
    filters: Filters,
    *,
    draw: Callable[[pd.DataFrame, pd.Timestamp | None, Callable], None],
    selected: str | None,
) -> None:
    """Draw the playback controls and the map fragment.

    ``draw(visible, at, decorate)`` draws the map of the incidents ``visible`` at moment ``at``
    (None: no cursor), passing its deck through ``decorate`` before sending it.
    """
    stops = cursor_stops(dataset, shown, filters)
    if CURSOR not in st.session_state:
        _read_permalink(dataset, stops)
        stops = cursor_stops(dataset, shown, filters)
    labels = list(dict.fromkeys(format_moment(t, dataset.main_offset) for t in stops))
    if len(labels) < 2:
        draw(shown, None, lambda deck, view: deck)
        return
    _controls(dataset, labels)
    interval = SPEEDS.get(st.session_state.get(SPEED) or "1×", 1.0)
    run_every = interval if st.session_state.get(PLAYING, False) else None
    st.fragment(_map_fragment, run_every=run_every)(dataset, shown, filters, labels, draw, selected)


def _map_fragment(dataset, shown, filters, labels, draw, selected) -> None:
    if st.session_state.get("selected") != selected:
        st.rerun()  # a click on the map selected an incident: the panel needs the whole page
    at = _current(labels, dataset)
    if at is None:
        draw(shown, None, lambda deck, view: deck)
        return
    start, end = shown_period(dataset, shown, filters)
    alpha = pd.Series(
        incident_alpha(shown["time_utc"], at, fade_window(start, end)), index=shown.index
    )
    visible = shown[alpha > 0]
    text = f"{at.tz_convert(dt.timezone(dataset.main_offset)):%-d %b %Y %H:%M}"
    draw(visible, at, lambda deck, view: timed_deck(deck, alpha, text, view))
    st.caption(
        f"Map as of {text} (UTC{offset_text(dataset.main_offset)}): {len(visible)} of "
        f"{len(shown)} incidents have happened; the latest are brightest."
    )
