"""A publication map image, drawn offline: ``python -m geo map`` and the page's download.

:class:`MapData` holds what every map of a data directory needs (prepared once); a
:class:`MapRequest` says what to show (incidents, extent, layers, time span, moment, size);
:func:`render_map` draws it with matplotlib in a transverse Mercator centred on the view
(:mod:`geo.mapframe`) and :func:`save_map` writes PNG, SVG (text kept as text) or PDF. The
same request gives the same bytes, so the page's download and the command agree.

Layout, top to bottom: title and the time span (and the moment, for ``at``), the map with its
scale bar (km and nm) and north arrow, the legend (only what is drawn), a caption naming each
incident's sources by outlet, and a source line.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import mapdraw
from geo.catalog import Catalog
from geo.mapframe import FrameError, MapFrame, frame_bounds
from geo.positions import Positions, solve_positions
from geo.style import MAP_LAYERS, LayerGroup, layer_groups, marker_class
from geo.timeline import fade_window, incident_alpha, main_utc_offset

__all__ = [
    "FORMATS",
    "MapData",
    "MapError",
    "MapRequest",
    "layer_switches",
    "map_bytes",
    "render_map",
    "save_map",
    "write_frames",
]

log = logging.getLogger(__name__)

FORMATS = (".png", ".svg", ".pdf")
BUNDLED_BASEMAP = Path(__file__).resolve().parents[1] / "data" / "basemap"
# Relations that tie incidents together on a map of one of them (the alert with its missile).
_FRAMING_RELATIONS = {"triggered", "response_to"}
CONTEXT_ALPHA = 0.4  # incidents shown beside a selection: there, but quiet


class MapError(ValueError):
    """A map that cannot be made as asked (unknown incident or layer, bad size or format)."""


@dataclass(frozen=True)
class MapRequest:
    """What a map shows. Times are UTC timestamps; ``layers`` maps page keys to on/off.

    ``shown_ids`` limits the incidents drawn (the page's filters); None draws every incident
    that is not a draft. ``start``/``end`` is the time span shown (incidents overlapping it);
    ``at`` draws the map as it stood then. ``layers`` uses the page's keys (``layer_arcs``,
    ``layer_northern_limit_line_nll``); a key left out takes its default.
    """

    incident_ids: tuple[str, ...] = ()
    shown_ids: tuple[str, ...] | None = None
    bbox: tuple[float, float, float, float] | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    at: pd.Timestamp | None = None
    layers: Mapping[str, bool] = field(default_factory=dict)
    title: str | None = None
    width_px: int = 2000
    dpi: int = 200
    all_versions: bool = False


@dataclass(frozen=True)
class MapData:
    """Everything a map of one catalog needs, prepared once (EPSG:4326 throughout)."""

    catalog: Catalog
    positions: Positions  # the catalog with solved positions (claims are drawn from them)
    locations: gpd.GeoDataFrame  # locations_frame plus "marker"
    incidents: pd.DataFrame  # one row per incident: time_utc, time_end_utc, status, title
    boundaries: gpd.GeoDataFrame  # lines densified; indexed by id
    versions: gpd.GeoDataFrame  # non-default versions of lines, densified (may be empty)
    groups: tuple[LayerGroup, ...]
    land: gpd.GeoDataFrame | None
    borders: gpd.GeoDataFrame | None
    offset: dt.timedelta

    @classmethod
    def from_catalog(cls, catalog: Catalog, positions: Positions | None = None) -> MapData:
        """Prepare the map data of a loaded catalog (positions solved unless given)."""
        positions = positions or solve_positions(catalog)
        locations = positions.locations()
        locations["marker"] = [
            marker_class(c, r)
            for c, r in zip(locations["category"], locations["role"], strict=True)
        ]
        land, borders = _basemap(catalog)
        return cls(
            catalog=catalog,
            positions=positions,
            locations=locations,
            incidents=_incident_times(catalog),
            boundaries=mapdraw.densified(catalog.boundaries),
            versions=_other_versions(catalog),
            groups=layer_groups(catalog),
            land=land,
            borders=borders,
            offset=main_utc_offset(catalog),
        )


def _incident_times(catalog: Catalog) -> pd.DataFrame:
    rows = [
        {
            "id": i.id,
            "time_utc": pd.Timestamp(i.time).tz_convert("UTC"),
            "time_end_utc": pd.Timestamp(i.time_end).tz_convert("UTC") if i.time_end else pd.NaT,
            "status": i.status.value,
            "title": i.title,
        }
        for i in catalog.incidents.values()
    ]
    frame = pd.DataFrame(rows, columns=["id", "time_utc", "time_end_utc", "status", "title"])
    frame["time_utc"] = pd.to_datetime(frame["time_utc"], utc=True)
    frame["time_end_utc"] = pd.to_datetime(frame["time_end_utc"], utc=True)
    return frame.set_index("id", drop=False).rename_axis(None)


def _other_versions(catalog: Catalog) -> gpd.GeoDataFrame:
    """Return the lines' non-default versions, densified (none when the loader has none)."""
    versions = catalog.boundary_versions
    if len(versions) == 0:
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    others = versions[~versions["default"] & versions["version"].notna()]
    return mapdraw.densified(others)


def _basemap(catalog: Catalog) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    """Return land and borders: the data directory's basemap, else the bundled one."""
    if catalog.land is not None:
        return catalog.land, catalog.borders
    land_path, borders_path = BUNDLED_BASEMAP / "land.geojson", BUNDLED_BASEMAP / "borders.geojson"
    land = gpd.read_file(land_path) if land_path.exists() else None
    borders = gpd.read_file(borders_path) if borders_path.exists() else None
    return land, borders


def layer_switches(groups: Sequence[LayerGroup], entries: Sequence[str]) -> dict[str, bool]:
    """Return page layer keys → on/off from ``--layers`` entries (keys without ``layer_``).

    An entry is ``KEY`` (on) or ``KEY=true|false``. When any bare ``KEY`` is given, the layers
    not named are off ("exactly these"); with only ``KEY=...`` entries the others keep their
    defaults.

    Raises
    ------
    MapError
        For an unknown key or value, naming the known keys.
    """
    defaults = {key: default for key, _, default in MAP_LAYERS if key.startswith("layer_")}
    defaults |= {group.key: group.default_on for group in groups}
    exact = any("=" not in entry for entry in entries)
    switches = {key: (False if exact else on) for key, on in defaults.items()}
    for entry in entries:
        name, _, value = entry.partition("=")
        key = "layer_" + name.strip().removeprefix("layer_")
        if key not in defaults:
            known = ", ".join(k.removeprefix("layer_") for k in defaults)
            raise MapError(f"--layers: unknown layer {name!r}; known: {known}")
        if value and value.lower() not in {"true", "false", "on", "off", "1", "0"}:
            raise MapError(f"--layers: {entry!r}: the value must be true or false")
        switches[key] = value.lower() in {"", "true", "on", "1"}
    return switches


def _enabled(data: MapData, request: MapRequest) -> dict[str, bool]:
    enabled = {key: default for key, _, default in MAP_LAYERS}
    enabled |= {group.key: group.default_on for group in data.groups}
    return enabled | dict(request.layers)


def _shown(data: MapData, request: MapRequest) -> pd.DataFrame:
    """Return the incidents the request shows (ignoring ``at``), in time order."""
    incidents = data.incidents
    keep = incidents["status"] != "draft"
    if request.shown_ids is not None:
        keep = incidents["id"].isin(request.shown_ids)
    keep |= incidents["id"].isin(request.incident_ids)
    end_of_incident = incidents["time_end_utc"].fillna(incidents["time_utc"])
    if request.start is not None:
        keep &= end_of_incident >= request.start
    if request.end is not None:
        keep &= incidents["time_utc"] <= request.end
    return incidents[keep].sort_values(["time_utc", "id"])


def _framing_ids(data: MapData, selected: Sequence[str]) -> set[str]:
    ids = set(selected)
    for other in data.catalog.incidents.values():
        for relation in other.related:
            if relation.relation.value not in _FRAMING_RELATIONS:
                continue
            if other.id in selected:
                ids.add(relation.id)
            elif relation.id in selected:
                ids.add(other.id)
    return ids


def _claim_places(data: MapData, selected: Sequence[str]) -> list[tuple[float, float]]:
    points = []
    for incident_id in selected:
        for claim in data.catalog.incidents[incident_id].claims:
            place = data.catalog.places.get(claim.place or "")
            if place is not None and claim.distance_km is not None:
                points.append((place.lon, place.lat))
    return points


def _frame(data: MapData, request: MapRequest, shown: pd.DataFrame) -> MapFrame:
    if request.bbox is not None:
        return MapFrame.around(request.bbox)
    if request.incident_ids:
        ids = _framing_ids(data, request.incident_ids)
        focus = data.locations[data.locations["incident_id"].isin(ids)]
        extra = _claim_places(data, request.incident_ids)
        lon = np.r_[focus["lon"].to_numpy(float), [p[0] for p in extra]]
        lat = np.r_[focus["lat"].to_numpy(float), [p[1] for p in extra]]
        return MapFrame.around(frame_bounds(lon, lat, pad_km=35.0))
    focus = data.locations[data.locations["incident_id"].isin(shown.index)]
    return MapFrame.around(frame_bounds(focus["lon"], focus["lat"], pad_km=40.0))


def _check(data: MapData, request: MapRequest) -> None:
    unknown = [i for i in request.incident_ids if i not in data.catalog.incidents]
    if unknown:
        raise MapError(f"unknown incident id(s): {', '.join(unknown)}")
    if not 200 <= request.width_px <= 10_000:
        raise MapError(f"--width must be between 200 and 10000 px, got {request.width_px}")
    if not 50 <= request.dpi <= 1200:
        raise MapError(f"--dpi must be between 50 and 1200, got {request.dpi}")
    if request.start is not None and request.end is not None and request.end < request.start:
        raise MapError(f"the time span ends before it starts: {request.start} > {request.end}")


def scene(data: MapData, request: MapRequest) -> mapdraw.Scene:
    """Return what the map draws for ``request``: frame, locations with opacity, layers."""
    _check(data, request)
    shown = _shown(data, request)
    try:
        frame = _frame(data, request, shown)
    except FrameError as exc:
        raise MapError(str(exc)) from exc
    locations = data.locations[data.locations["incident_id"].isin(shown.index)].copy()
    locations["alpha"] = 1.0
    if request.at is not None:
        start = request.start if request.start is not None else shown["time_utc"].min()
        end = request.end if request.end is not None else shown["time_utc"].max()
        fade = fade_window(start, end) if len(shown) else pd.Timedelta(hours=1)
        alpha = pd.Series(incident_alpha(shown["time_utc"], request.at, fade), index=shown.index)
        locations["alpha"] = locations["incident_id"].map(alpha).to_numpy()
    if request.incident_ids:  # the others are context: drawn faded, without labels
        context = ~locations["incident_id"].isin(_framing_ids(data, request.incident_ids))
        locations["alpha"] *= np.where(context, CONTEXT_ALPHA, 1.0)
    return mapdraw.Scene(
        data=data,
        request=request,
        frame=frame,
        shown=shown,
        locations=locations,
        enabled=_enabled(data, request),
    )


def render_map(data: MapData, request: MapRequest):
    """Return the map of ``request`` as a matplotlib Figure (``request.width_px`` wide)."""
    return mapdraw.draw(scene(data, request))


def save_map(figure, path: str | Path, *, dpi: int) -> Path:
    """Write ``figure`` to ``path`` as PNG, SVG or PDF by its extension; return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise MapError(f"{path}: the map is written as .png, .svg or .pdf, not {suffix!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(map_bytes(figure, suffix, dpi=dpi))
    return path


def map_bytes(figure, suffix: str, *, dpi: int) -> bytes:
    """Return ``figure`` encoded as ``.png``, ``.svg`` or ``.pdf`` (no dates: reproducible)."""
    from matplotlib import rc_context

    metadata = {".png": {}, ".svg": {"Date": None}, ".pdf": {"CreationDate": None}}[suffix]
    buffer = io.BytesIO()
    with mapdraw.LOCK, rc_context(mapdraw.RC):  # fonts are looked up when the file is written
        figure.savefig(buffer, format=suffix[1:], dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def write_frames(
    data: MapData, request: MapRequest, *, count: int, out_dir: str | Path
) -> list[Path]:
    """Write ``count`` PNG frames stepping ``at`` through the span, and an animated GIF.

    Frames are ``frame_0001.png`` ...; the GIF ``frames.gif`` is at most 1000 px wide. Every
    frame has the same size (layout does not depend on the moment).
    """
    from PIL import Image

    if not 2 <= count <= 500:
        raise MapError(f"--frames must be between 2 and 500, got {count}")
    shown = _shown(data, request)
    if shown.empty:
        raise MapError("no incident in the span: nothing to play back")
    start = request.start if request.start is not None else shown["time_utc"].min()
    end = request.end if request.end is not None else shown["time_utc"].max()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    moments = pd.date_range(start, end, periods=count)
    paths, images = [], []
    for number, moment in enumerate(moments, start=1):
        framed = replace(request, start=start, end=end, at=moment)
        path = save_map(render_map(data, framed), out / f"frame_{number:04d}.png", dpi=request.dpi)
        paths.append(path)
        with Image.open(path) as opened:
            image = opened.convert("RGB")
        scale = min(1.0, 1000 / image.width)
        images.append(image.resize((round(image.width * scale), round(image.height * scale))))
    gif = out / "frames.gif"
    images[0].save(gif, save_all=True, append_images=images[1:], duration=600, loop=0)
    paths.append(gif)
    return paths
