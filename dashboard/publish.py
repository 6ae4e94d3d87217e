"""The page's "Download this map (PNG / SVG)": the publication map of the app's current view.

:func:`map_request` turns the view (selection, filters, layers, moment) into the same
:class:`geo.mapimage.MapRequest` that ``python -m geo map`` builds from the equivalent flags, so
the file downloaded and the file the command writes are the same bytes. Rendering is deferred to
the click and cached on its inputs. The page cannot know the user's pan and zoom: the image
frames the selection (or what is shown), as the page's own view does.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboard.dataset import Dataset
from dashboard.view import Filters
from geo.mapimage import MapData, MapRequest, map_bytes, render_map
from geo.style import MAP_LAYERS
from geo.timeline import format_moment

__all__ = ["cli_command", "download_map", "map_request"]


@st.cache_resource(max_entries=4, show_spinner=False)
def _map_data(data_dir: str, fingerprint: tuple, _dataset: Dataset) -> MapData:
    """Return the map data of a data directory version (``_dataset`` is not hashed)."""
    return MapData.from_catalog(_dataset.catalog, _dataset.positions)


@st.cache_data(max_entries=16, show_spinner="Drawing the map…")
def _image(data_dir: str, fingerprint: tuple, key: tuple, suffix: str, _dataset: Dataset) -> bytes:
    """Return the map of ``key`` (see :func:`_key`) encoded as ``suffix``; cached on the key."""
    request = _from_key(key)
    figure = render_map(_map_data(data_dir, fingerprint, _dataset), request)
    return map_bytes(figure, suffix, dpi=request.dpi)


def _covers_everything(dataset: Dataset, filters: Filters) -> bool:
    """Return whether the time window holds every incident (then it is no restriction)."""
    incidents = dataset.incidents
    if incidents.empty:
        return True
    ends = incidents["time_end_utc"].fillna(incidents["time_utc"])
    starts_ok = filters.start is None or filters.start <= incidents["time_utc"].min()
    return starts_ok and (filters.end is None or filters.end >= ends.max())


def map_request(
    dataset: Dataset,
    shown: pd.DataFrame,
    *,
    filters: Filters,
    selected: str | None,
    enabled: Mapping[str, bool],
    at: pd.Timestamp | None,
) -> MapRequest:
    """Return the map request of the page's view, as ``geo map`` would build it.

    A filter that keeps everything is left out (the command has none), so ``?incident=X&at=T``
    on the page and ``geo map --incident X --at T`` give the same request and the same image.
    """
    lists = (filters.categories, filters.actors, filters.statuses)
    filtered = any(chosen is not None for chosen in lists) or bool(filters.query.strip())
    window = not _covers_everything(dataset, filters)
    defaults = {key: default for key, _, default in MAP_LAYERS if key.startswith("layer_")}
    defaults |= {group.key: group.default_on for group in dataset.layer_groups}
    layers = {key: on for key, on in enabled.items() if key in defaults and on != defaults[key]}
    return MapRequest(
        incident_ids=(selected,) if selected else (),
        shown_ids=tuple(shown.index) if filtered else None,
        start=filters.start if window else None,
        end=filters.end if window else None,
        at=at,
        layers=layers,
    )


def cli_command(request: MapRequest, offset, suffix: str) -> str | None:
    """Return the ``python -m geo map`` command for ``request``, or None (page-only filters)."""
    if request.shown_ids is not None:
        return None
    words = ["python", "-m", "geo", "map"]
    if request.incident_ids:
        words += ["--incident", *request.incident_ids]
    if request.start is not None:
        words += [
            "--time",
            format_moment(request.start, offset),
            format_moment(request.end, offset),
        ]
    if request.at is not None:
        words += ["--at", format_moment(request.at, offset)]
    if request.layers:
        words += ["--layers"] + [
            f"{key.removeprefix('layer_')}={str(on).lower()}" for key, on in request.layers.items()
        ]
    return shlex.join([*words, "--out", f"seamark-map{suffix}"])


def _key(request: MapRequest) -> tuple:
    def iso(moment):
        return None if moment is None else moment.isoformat()

    return (
        request.incident_ids,
        request.shown_ids,
        iso(request.start),
        iso(request.end),
        iso(request.at),
        tuple(sorted(request.layers.items())),
    )


def _from_key(key: tuple) -> MapRequest:
    incident_ids, shown_ids, start, end, at, layers = key

    def moment(text):
        return None if text is None else pd.Timestamp(text)

    return MapRequest(
        incident_ids=incident_ids,
        shown_ids=shown_ids,
        start=moment(start),
        end=moment(end),
        at=moment(at),
        layers=dict(layers),
    )


def download_map(data_dir: str, fingerprint: tuple, dataset: Dataset, request: MapRequest) -> None:
    """Draw the two download buttons (rendered on click, cached) and the equivalent command."""
    st.markdown("**Download this map** (the view as a publication image: legend, scale, sources)")
    columns = st.columns(2)
    key = _key(request)
    for column, suffix, mime in zip(
        columns, (".png", ".svg"), ("image/png", "image/svg+xml"), strict=True
    ):
        column.download_button(
            suffix[1:].upper(),
            data=lambda s=suffix: _image(data_dir, fingerprint, key, s, dataset),
            file_name=f"seamark-map{suffix}",
            mime=mime,
            key=f"download-map{suffix}",
            on_click="ignore",
            width="stretch",
        )
    command = cli_command(request, dataset.main_offset, ".png")
    if command:
        st.caption("The same image from the command line:")
        st.code(command, language="bash")
