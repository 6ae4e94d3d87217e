"""Everything the page draws, derived once per version of the data directory. No Streamlit here.

:func:`build_dataset` turns a data directory into a :class:`Dataset`: the validated catalog, one
row per incident for filtering and the feed, one row per location with its measurements, the
densified boundaries, the layer groups, and the offline basemap. The page caches it keyed on
:func:`data_fingerprint`, so editing any file shows up on the next reload.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.basemap import display_basemap
from geo import Catalog, load_catalog
from geo.claim_checks import CHECK_COLUMNS, check_claims
from geo.export import densified_boundaries
from geo.measure import MeasureContext, enrich_locations, prepare_context
from geo.positions import Positions, solve_positions

__all__ = [
    "CATEGORY_LABELS",
    "MARKER_CLASSES",
    "Dataset",
    "LayerGroup",
    "build_dataset",
    "data_fingerprint",
    "marker_class",
]

# How incidents are drawn: one class per marker colour (see layers.PALETTE).
MARKER_CLASSES = {
    "launch": "Launch site",
    "impact": "Impact point",
    "alert": "Alert",
    "response": "Response",
    "other": "Other",
}
CATEGORY_LABELS = {
    "missile_launch": "Missile launch",
    "artillery_fire": "Artillery fire",
    "air_raid_alert": "Air-raid alert",
    "military_response": "Military response",
    "incursion": "Incursion",
    "sanctions": "Sanctions",
    "statement": "Statement",
    "naval_clash": "Naval clash",
    "political": "Political",
    "other": "Other",
}


@dataclass(frozen=True)
class LayerGroup:
    """Boundaries that toggle together on the map ("Northern Limit Line (NLL)")."""

    key: str  # URL-safe: "layer_northern_limit_line_nll"
    label: str
    boundary_ids: tuple[str, ...]
    kind: str  # the kind of its first boundary, for styling and the legend
    default_on: bool


@dataclass(frozen=True)
class Dataset:
    """The derived, read-only data behind the page."""

    catalog: Catalog
    positions: Positions  # the catalog with solved positions (and this step's warnings)
    context: MeasureContext
    incidents: pd.DataFrame  # one row per incident, indexed by id
    locations: gpd.GeoDataFrame  # one row per location, with measurement columns
    boundaries: gpd.GeoDataFrame  # lines densified, zones as stored; indexed by id
    layer_groups: tuple[LayerGroup, ...]
    land: dict | None  # GeoJSON simplified for display
    borders: dict | None
    country_labels: pd.DataFrame  # name, label_lon, label_lat
    main_offset: dt.timedelta  # the most common UTC offset of incident times
    checks: pd.DataFrame  # one row per claim check (geo.claim_checks.check_claims)


def data_fingerprint(data_dir: str | os.PathLike[str]) -> tuple[tuple[str, int, int], ...]:
    """Return (path, mtime_ns, size) of every file under ``data_dir``: changes with any file."""
    entries = []
    for root, _, files in os.walk(data_dir):
        for name in files:
            path = os.path.join(root, name)
            stat = os.stat(path)
            entries.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


def marker_class(category: str, role: str) -> str:
    """Return the marker class of a location: alert and response by category, else by role."""
    if category == "air_raid_alert":
        return "alert"
    if category == "military_response":
        return "response"
    if role in {"launch", "impact"}:
        return role
    return "other"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _layer_groups(catalog: Catalog) -> tuple[LayerGroup, ...]:
    groups: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for boundary_id, meta in catalog.boundary_meta.items():
        label = meta.layer or meta.name
        groups.setdefault(label, []).append(boundary_id)
        kinds.setdefault(label, meta.kind.value)
    order = ["de_facto_line", "land_demarcation", "claimed_line", "buffer_zone", "territorial_sea"]
    labels = sorted(groups, key=lambda label: (order.index(kinds[label]), label))
    return tuple(
        LayerGroup(
            key=f"layer_{_slug(label)}",
            label=label,
            boundary_ids=tuple(groups[label]),
            kind=kinds[label],
            default_on=kinds[label] != "territorial_sea",
        )
        for label in labels
    )


def _search_text(incident, places) -> str:
    parts = [
        incident.id,
        incident.title,
        incident.summary or "",
        incident.actor,
        incident.notes or "",
    ]
    parts += [t for t in incident.tags]
    for location in incident.locations:
        parts += [location.label or ""]
        if location.place and location.place in places:
            place = places[location.place]
            parts += [place.name, *place.names.values()]
    for source in incident.sources:
        parts += [
            source.outlet,
            *(q.text for q in source.quotes),
            *(q.speaker for q in source.quotes),
        ]
    return " ".join(parts).casefold()


def _incident_table(catalog: Catalog, locations: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = []
    primary = (
        locations.assign(rank=locations["role"].map({"impact": 0, "alert_area": 1}).fillna(2))
        .sort_values(["incident_id", "rank", "location_index"])
        .drop_duplicates("incident_id")
        .set_index("incident_id")
    )
    lons, lats = primary["lon"].to_dict(), primary["lat"].to_dict()
    for incident in catalog.incidents.values():
        rows.append(
            {
                "id": incident.id,
                "title": incident.title,
                "category": incident.category.value,
                "actor": incident.actor,
                "status": incident.status.value,
                "time_utc": pd.Timestamp(incident.time.astimezone(dt.UTC)),
                "time_end_utc": pd.Timestamp(incident.time_end.astimezone(dt.UTC))
                if incident.time_end
                else pd.NaT,
                "time_local": incident.time.isoformat(),
                "time_precision": incident.time_precision.value,
                "lon": float(lons.get(incident.id, np.nan)),
                "lat": float(lats.get(incident.id, np.nan)),
                "n_locations": len(incident.locations),
                "search": _search_text(incident, catalog.places),
            }
        )
    columns = [
        "id",
        "title",
        "category",
        "actor",
        "status",
        "time_utc",
        "time_end_utc",
        "time_local",
        "time_precision",
        "lon",
        "lat",
        "n_locations",
        "search",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table["time_utc"] = pd.to_datetime(table["time_utc"], utc=True)
    table["time_end_utc"] = pd.to_datetime(table["time_end_utc"], utc=True)
    return table.set_index("id", drop=False).rename_axis(None)


def _country_labels(catalog: Catalog) -> pd.DataFrame:
    columns = ["name", "label_lon", "label_lat"]
    if catalog.land is None or not set(columns) <= set(catalog.land.columns):
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(catalog.land[columns]).dropna()


def build_dataset(data_dir: str | os.PathLike[str]) -> Dataset:
    """Load, validate, measure and prepare everything the page shows from ``data_dir``."""
    catalog = load_catalog(data_dir)
    positions = solve_positions(catalog)
    context = prepare_context(catalog)
    locations = enrich_locations(positions, context)
    locations["marker"] = [
        marker_class(c, r) for c, r in zip(locations["category"], locations["role"], strict=True)
    ]
    incidents = _incident_table(catalog, locations)
    offsets = pd.Series([i.time.utcoffset() for i in catalog.incidents.values()])
    main_offset = offsets.mode().iloc[0] if len(offsets) else dt.timedelta(0)
    boundaries = densified_boundaries(catalog)
    if len(boundaries):
        boundaries = boundaries.set_index("id", drop=False).rename_axis(None)
    land, borders = display_basemap(catalog)
    checks = pd.DataFrame(
        [c.as_dict() for c in check_claims(positions)], columns=list(CHECK_COLUMNS)
    )
    return Dataset(
        catalog=catalog,
        positions=positions,
        context=context,
        incidents=incidents,
        locations=locations,
        boundaries=boundaries,
        layer_groups=_layer_groups(catalog),
        land=land,
        borders=borders,
        country_labels=_country_labels(catalog),
        main_offset=main_offset,
        checks=checks,
    )
