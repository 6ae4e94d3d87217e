"""Pure page logic: filtering, selection, map view, and the deck. No Streamlit calls.

Kept apart from the page so it can be tested without a browser (AppTest cannot click a deck).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from dashboard import layers as build
from dashboard.basemap import basemap_layers, label_layer, labels_frame
from dashboard.clusters import cluster_layers
from dashboard.dataset import CATEGORY_LABELS, Dataset, LayerGroup
from dashboard.draft_layers import draft_layer
from geo.claim_shapes import claim_geometries
from geo.geodesy import geodesic_inverse
from geo.style import MAP_LAYERS

__all__ = [
    "MAP_LAYERS",
    "Filters",
    "build_deck",
    "filter_incidents",
    "fit_view",
    "incident_from_map_selection",
    "pick_from_event",
    "related_ids",
]

RANGE_RINGS_KM = [50, 100, 200, 300, 500]
MAX_CIRCLES = 300  # beyond this many shown locations, only the selection gets circles
DETAILED_TOOLTIPS_MAX = 5_000  # beyond this many, tooltips show ids (payload budget)
MAX_ARCS = 5_000  # beyond this many launch-impact pairs, arcs are left out
MAX_POINTS = 20_000  # beyond this many shown locations, the map shows density, not points


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation.

    pydeck pretty-prints its JSON and Streamlit sends it as is: for coordinate arrays the
    indentation alone was 80 % of the map payload.
    """

    def to_json(self) -> str:
        """Return the deck as compact JSON (what st.pydeck_chart sends to the browser)."""
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. ``None`` in a list filter means "all"."""

    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    categories: tuple[str, ...] | None = None
    actors: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    query: str = ""


def filter_incidents(incidents: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Return the incidents that match every filter, in time order.

    An incident matches the time window when its span (``time_utc`` to ``time_end_utc``, or the
    instant) overlaps the window. The query matches, case-insensitively, any of the words in the
    id, title, summary, places, sources and quotes; every word must match.
    """
    keep = np.ones(len(incidents), dtype=bool)
    end_of_incident = incidents["time_end_utc"].fillna(incidents["time_utc"])
    if filters.start is not None:
        keep &= (end_of_incident >= filters.start).to_numpy()
    if filters.end is not None:
        keep &= (incidents["time_utc"] <= filters.end).to_numpy()
    for column, allowed in (
        ("category", filters.categories),
        ("actor", filters.actors),
        ("status", filters.statuses),
    ):
        if allowed is not None:
            keep &= incidents[column].isin(allowed).to_numpy()
    for word in filters.query.casefold().split():
        keep &= incidents["search"].str.contains(word, regex=False).to_numpy()
    return incidents[keep].sort_values(["time_utc", "id"])


def incident_from_map_selection(selection: Mapping | None) -> str | None:
    """Return the incident id a deck selection points at, or None.

    ``selection`` is ``event.selection`` of ``st.pydeck_chart``: ``{"objects": {layer_id:
    [object, ...]}}``. Any layer whose objects carry an incident id (key ``i``) counts: points
    and arcs.
    """
    if not selection:
        return None
    objects = selection.get("objects") or {}
    for layer_id in ("incidents", "arcs", *sorted(objects)):
        for item in objects.get(layer_id) or []:
            if isinstance(item, Mapping) and isinstance(item.get("i"), str):
                return item["i"]
    return None


def pick_from_event(selection: Mapping | None, row_ids: Sequence[str]) -> str | None:
    """Return the incident a widget selection points at: a deck object or a table row.

    ``selection`` is the widget's ``.selection``: ``{"objects": {...}}`` from the map, or
    ``{"rows": [i]}`` from a dataframe whose row ``i`` is ``row_ids[i]``. None when empty.
    """
    if not selection:
        return None
    if selection.get("objects"):
        return incident_from_map_selection(selection)
    rows = selection.get("rows") or []
    if rows and 0 <= rows[0] < len(row_ids):
        return row_ids[rows[0]]
    return None


# Relations that tie places together on the map: the view of one shows the other too.
_FRAMING_RELATIONS = {"triggered", "response_to"}


def related_ids(dataset: Dataset, incident_id: str | None) -> set[str]:
    """Return the incident and those it triggered or answered, or that triggered or answered it.

    The selection's view frames them together: the Ulleung alert with the missile that set it off.
    """
    if incident_id is None or incident_id not in dataset.catalog.incidents:
        return set()
    ids = {incident_id}
    for other in dataset.catalog.incidents.values():
        for relation in other.related:
            if relation.relation.value not in _FRAMING_RELATIONS:
                continue
            if other.id == incident_id:
                ids.add(relation.id)
            elif relation.id == incident_id:
                ids.add(other.id)
    return ids


def fit_view(
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    pad_km: float = 30.0,
    width_px: int = 640,  # the map column at common window widths (it is 3/5 of the page)
    height_px: int = 620,
) -> pdk.ViewState:
    """Return a view state that shows the given points (lon/lat degrees) with a margin.

    A few far outliers (under 10 % of the points, over 2,500 km from the median point: an
    incident in Brazil among a hundred in Korea) do not shrink the view to the whole world.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    good = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[good], lat[good]
    if lon.size == 0:
        return pdk.ViewState(longitude=0, latitude=20, zoom=1)
    distance_m, _ = geodesic_inverse(np.median(lon), np.median(lat), lon, lat)
    far = distance_m > 2_500_000
    if 0 < far.sum() < 0.1 * lon.size:
        lon, lat = lon[~far], lat[~far]
    lon_min, lon_max, lat_min, lat_max = lon.min(), lon.max(), lat.min(), lat.max()
    pad_deg = pad_km / 111.0
    lat_min, lat_max = max(lat_min - pad_deg, -80), min(lat_max + pad_deg, 80)
    lon_pad = pad_deg / max(math.cos(math.radians((lat_min + lat_max) / 2)), 0.1)
    lon_min, lon_max = lon_min - lon_pad, lon_max + lon_pad

    def mercator_y(latitude: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))

    span_x = max(lon_max - lon_min, 1e-3)
    span_y = max(mercator_y(lat_max) - mercator_y(lat_min), 1e-3)
    # deck.gl draws the world 512 px wide at zoom 0
    zoom = min(
        math.log2(width_px * 360 / (512 * span_x)), math.log2(height_px * 360 / (512 * span_y))
    )
    return pdk.ViewState(
        longitude=float((lon_min + lon_max) / 2),
        latitude=float((lat_min + lat_max) / 2),
        zoom=float(np.clip(zoom - 0.2, 1, 12)),
    )


def _time_label(row: pd.Series, offset: dt.timedelta) -> str:
    local = row["time_utc"].to_pydatetime().astimezone(dt.timezone(offset))
    return local.strftime("%d %b %Y %H:%M") + f" UTC{_offset_text(offset)}"


def _offset_text(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def map_locations(dataset: Dataset, shown: pd.DataFrame) -> pd.DataFrame:
    """Return the shown incidents' locations with the short label and detail for tooltips.

    Built row by row into object columns, so that no filter result (none shown included) can
    change a column's type under the string arithmetic.
    """
    locations = dataset.locations[dataset.locations["incident_id"].isin(shown.index)]
    titles = shown["title"].str.slice(0, 70).to_dict()
    label = [titles.get(i, "") for i in locations["incident_id"]]
    detail = [
        f"{CATEGORY_LABELS.get(c, c)} · {r.replace('_', ' ')} · ±{p:g} km"
        for c, r, p in zip(
            locations["category"], locations["role"], locations["precision_km"], strict=True
        )
    ]
    return locations.assign(
        label=pd.Series(label, index=locations.index, dtype=object),
        detail=pd.Series(detail, index=locations.index, dtype=object),
    )


def _arcs(locations: pd.DataFrame) -> pd.DataFrame:
    launch = locations[locations["role"] == "launch"].drop_duplicates("incident_id")
    impact = locations[locations["role"] == "impact"]
    pairs = impact.merge(launch, on="incident_id", suffixes=("_i", "_l"))
    return pd.DataFrame(
        {
            "i": pairs["incident_id"],
            "lon0": pairs["lon_l"],
            "lat0": pairs["lat_l"],
            "lon1": pairs["lon_i"],
            "lat1": pairs["lat_i"],
            "t": pairs["label_i"],
            "d": "launch → impact",
        }
    ).dropna()


def build_deck(
    dataset: Dataset,
    shown: pd.DataFrame,
    *,
    selected: str | None,
    enabled: Mapping[str, bool],
    view: pdk.ViewState,
    basemap: Mapping[str, str] | None = None,
) -> pdk.Deck:
    """Return the map: offline basemap, enabled boundary groups, incidents and overlays.

    ``enabled`` maps layer keys (``MAP_LAYERS`` and the dataset's layer groups) to on/off.
    ``basemap`` maps "land" and "borders" to same-origin URLs of the offline basemap; without
    it the basemap travels inline in the spec. With the online basemap off, the deck has no map
    provider and the page requests nothing from any other host.
    """
    online = enabled.get("online_basemap", False)
    basemap = basemap or {}
    land = basemap.get("land", dataset.land)
    borders = basemap.get("borders", dataset.borders)
    layers = [] if online else basemap_layers(land, borders)
    groups: list[LayerGroup] = [g for g in dataset.layer_groups if enabled.get(g.key, g.default_on)]
    versions = dataset.line_versions if enabled.get("layer_line_versions", False) else None
    layers += build.boundary_layers(dataset.boundaries, groups, dataset.catalog, versions=versions)
    locations = map_locations(dataset, shown)
    chosen = locations[locations["incident_id"] == selected]
    if enabled.get("layer_uncertainty", True):
        others = locations[locations["incident_id"] != selected]
        if len(others) <= MAX_CIRCLES:
            layers.append(build.uncertainty_layer(others))
        if len(chosen):
            layers.append(build.uncertainty_layer(chosen, emphasis=True))
    if enabled.get("layer_arcs", True):
        arcs = _arcs(locations)
        if 0 < len(arcs) <= MAX_ARCS:
            layers.append(build.arc_layer(arcs))
    launch = chosen[chosen["role"] == "launch"].dropna(subset=["lon"])
    if enabled.get("layer_rings", True) and len(launch):
        layers += build.range_ring_layers(
            float(launch["lon"].iloc[0]), float(launch["lat"].iloc[0]), RANGE_RINGS_KM
        )
    if selected in dataset.catalog.incidents and enabled.get("layer_claims", True):
        items = claim_geometries(dataset.catalog.incidents[selected], dataset.positions)
        if items:
            layers += build.claim_layers(items)
    if enabled.get("layer_labels", True):
        labels = labels_frame(dataset.country_labels, dataset.catalog.places)
        layers.append(label_layer(labels))
    if len(chosen):
        layers.append(build.selection_layer(chosen))
    if enabled.get("layer_incidents", True) and len(locations) > MAX_POINTS:
        layers.append(build.density_layer(locations))
    elif enabled.get("layer_incidents", True):
        detailed = len(locations) <= DETAILED_TOOLTIPS_MAX
        drafts = (locations["status"] == "draft").to_numpy()
        layers.append(build.incident_layer(locations[~drafts], detailed_tooltips=detailed))
        if drafts.any():  # drafts: hollow rings, never mistaken for checked incidents
            layers.append(draft_layer(locations[drafts]))
        if detailed:  # where markers pile up at this zoom, a badge counts them
            layers += cluster_layers(locations, float(view.zoom))
    tooltip = {
        "html": "<b>{t}</b><br/>{d}",
        "style": {"backgroundColor": "white", "color": "#222", "fontSize": "12px"},
    }
    if online:
        return CompactDeck(
            layers=layers,
            initial_view_state=view,
            tooltip=tooltip,
            map_provider="carto",
            map_style="light",
        )
    return CompactDeck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider=None)
