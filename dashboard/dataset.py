"""Everything the page draws, derived once per version of the data directory. No Streamlit here.

:func:`build_dataset` turns a data directory into a :class:`Dataset`: the validated catalog, one
row per incident for filtering and the feed, one row per location with its measurements, the
densified boundaries, the layer groups, and the offline basemap. The page caches it keyed on
:func:`data_fingerprint`, so editing any file shows up on the next reload.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.basemap import display_basemap
from geo import Catalog, load_catalog
from geo.claim_checks import CHECK_COLUMNS, check_claims
from geo.export import densified_boundaries
from geo.lint import review_problems
from geo.measure import MeasureContext, enrich_locations, prepare_context
from geo.positions import Positions, solve_positions
from geo.style import CATEGORY_LABELS, MARKER_CLASSES, LayerGroup, layer_groups, marker_class

__all__ = [
    "CATEGORY_LABELS",
    "MARKER_CLASSES",
    "Dataset",
    "LayerGroup",
    "build_dataset",
    "data_fingerprint",
    "derive_dataset",
    "marker_class",
]


@dataclass(frozen=True)
class Dataset:
    """The derived, read-only data behind the page."""

    catalog: Catalog
    positions: Positions  # the catalog with solved positions (and this step's warnings)
    context: MeasureContext
    incidents: pd.DataFrame  # one row per incident, indexed by id
    locations: gpd.GeoDataFrame  # one row per location, with measurement columns
    boundaries: gpd.GeoDataFrame  # lines densified, zones as stored; indexed by id
    line_versions: gpd.GeoDataFrame  # the other versions of lines with several, densified
    layer_groups: tuple[LayerGroup, ...]
    land: dict | None  # GeoJSON simplified for display
    borders: dict | None
    country_labels: pd.DataFrame  # name, label_lon, label_lat
    main_offset: dt.timedelta  # the most common UTC offset of incident times
    checks: pd.DataFrame  # one row per claim check (geo.claim_checks.check_claims)
    problems: list  # every problem and fact-check warning (geo.lint.review_problems)

    def summary(self) -> str:
        """Return the one-line summary of loading and checking (acknowledged warnings apart)."""
        return self.catalog.summary(self.problems)


def data_fingerprint(data_dir: str | os.PathLike[str]) -> tuple[tuple[str, int, int], ...]:
    """Return (path, mtime_ns, size) of every file under ``data_dir``: changes with any file."""
    entries = []
    for root, _, files in os.walk(data_dir):
        for name in files:
            path = os.path.join(root, name)
            stat = os.stat(path)
            entries.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


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
    every = densified_boundaries(catalog)
    default = every["default"] | every["version"].isna() if len(every) else []
    boundaries = every[default] if len(every) else every
    if len(boundaries):
        boundaries = boundaries.set_index("id", drop=False).rename_axis(None)
    line_versions = every[~default] if len(every) else every
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
        line_versions=line_versions,
        layer_groups=layer_groups(catalog),
        land=land,
        borders=borders,
        country_labels=_country_labels(catalog),
        main_offset=main_offset,
        checks=checks,
        problems=review_problems(positions),
    )


def derive_dataset(base: Dataset, catalog: Catalog) -> Dataset:
    """Return ``base`` with the incidents of ``catalog`` instead of its own (drafts to preview).

    ``catalog`` must share the base's places and boundaries: the measurement context, layer
    groups and basemap are reused.
    """
    from dataclasses import replace

    positions = solve_positions(catalog)
    locations = enrich_locations(positions, base.context)
    locations["marker"] = [
        marker_class(c, r) for c, r in zip(locations["category"], locations["role"], strict=True)
    ]
    checks = pd.DataFrame(
        [c.as_dict() for c in check_claims(positions)], columns=list(CHECK_COLUMNS)
    )
    return replace(
        base,
        catalog=catalog,
        positions=positions,
        incidents=_incident_table(catalog, locations),
        locations=locations,
        checks=checks,
        problems=review_problems(positions),
    )
