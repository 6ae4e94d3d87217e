"""Measure locations against boundaries, places, zones and the coast, vectorised.

For every location (WGS84 lon/lat degrees) this computes, on the WGS84 ellipsoid:

- per boundary line ``<id>``: ``<id>_km`` (geodesic distance, km), ``<id>_km_err`` (km: the
  location's precision radius, by which the distance can move at most), ``<id>_side`` (the
  line's side name, or ``on`` within 50 m) and ``<id>_side_certain`` (False when the precision
  circle reaches the line); measured against the line's default version, and for a line with
  several versions also ``<id>_km_min`` and ``<id>_km_max`` over all of them;
- the nearest gazetteer place: ``nearest_place`` (id), ``nearest_place_name``,
  ``nearest_place_km`` (from its centre), ``nearest_place_edge_km`` (from the edge of its extent
  circle; NaN for places without extent) and ``nearest_place_bearing`` (16-point compass, from
  the place to the location: "58 km ENE of Sokcho");
- ``zones``: the ids of the zones (buffer zones, territorial-sea polygons) that contain it;
- ``coast_km`` (distance to the bundled coastline, km), ``on_land``, ``coast_state`` (whose coast
  is nearest), ``territorial_sea`` (that state's code when within its breadth, else empty) and
  ``territorial_sea_breadth_nm``. Approximate: normal baselines on a 1:10m coastline.

The heavy objects (densified lines, trees, coastline) are built once by :func:`prepare_context`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from geo import models
from geo.catalog import Catalog
from geo.geodesy import compass_16, geodesic_inverse, unit_vectors
from geo.lines import PreparedLines
from geo.nearest import PreparedLine, nearest_on_line, prepare_line
from geo.positions import Positions

__all__ = [
    "ON_LINE_KM",
    "MeasureContext",
    "enrich_locations",
    "measure_points",
    "prepare_context",
]

log = logging.getLogger(__name__)

ON_LINE_KM = 0.05  # within 50 m a point is "on" the line: below the accuracy of any boundary
KM_PER_NM = 1.852
_BLOCK = 65_536  # rows per block: bounds memory, feeds the threads and the progress bar


@dataclass(frozen=True)
class LineTarget:
    """A boundary line prepared for measurement."""

    id: str
    meta: models.BoundaryMeta
    prepared: PreparedLine
    versions: tuple[PreparedLine, ...] = ()  # the other versions of the line, if any


@dataclass(frozen=True)
class Coast:
    """The coastline (land polygons' outlines without land borders), with a state per segment."""

    prepared: PreparedLine
    segment_state: NDArray[np.object_]
    segment_disputed: NDArray[np.bool_]


@dataclass(frozen=True)
class MeasureContext:
    """Everything :func:`measure_points` needs, prepared once per catalog."""

    lines: list[LineTarget]
    place_ids: NDArray[np.object_]
    place_names: NDArray[np.object_]
    place_lon: NDArray[np.float64]
    place_lat: NDArray[np.float64]
    place_radius_km: NDArray[np.float64]
    place_tree: cKDTree | None
    zones: list[tuple[str, shapely.Geometry]]
    coast: Coast | None
    rules: models.TerritorialSeaRules | None


def _coast_parts(land: gpd.GeoDataFrame) -> list[tuple[NDArray, NDArray]]:
    """Return coastline pieces with land on their left, cut where rings run along artefacts.

    The outline of the union of all land is the coast (land borders dissolve). Rings are oriented
    so that land lies to the left; edges along the antimeridian or the South Pole are edges of
    the map, not coast, and are dropped.
    """
    merged = shapely.orient_polygons(shapely.union_all(land.geometry.values), exterior_cw=False)
    pieces = []
    for polygon in getattr(merged, "geoms", [merged]):
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            lon, lat = xy[:, 0], xy[:, 1]
            artefact = ((np.abs(lon[:-1]) >= 179.9999) & (lon[:-1] == lon[1:])) | (
                (lat[:-1] <= -89.9) & (lat[1:] <= -89.9)
            )
            cuts = np.flatnonzero(artefact)
            bounds = np.r_[-1, cuts, lon.size - 1]
            for start, stop in zip(bounds[:-1] + 1, bounds[1:], strict=True):
                if stop - start >= 1:
                    pieces.append((lon[start : stop + 1], lat[start : stop + 1]))
    return pieces


def _prepare_coast(land: gpd.GeoDataFrame) -> Coast:
    prepared = prepare_line(_coast_parts(land), interpolation="geodesic")
    # Whose coast is each segment? The union keeps the countries' own vertices, so the country
    # vertex nearest to a segment's start names it (a k-d tree: fast even for 10^5 vertices).
    coords, owner = shapely.get_coordinates(land.geometry.values, return_index=True)
    tree = cKDTree(unit_vectors(coords[:, 0], coords[:, 1]))
    _, nearest = tree.query(prepared.vectors[prepared.seg_a])
    row = owner[nearest]
    states = land["iso_a3"].to_numpy(dtype=object)[row]
    disputed = (
        land["disputed"].fillna(False).to_numpy(dtype=bool)[row]
        if "disputed" in land
        else np.zeros(row.size, dtype=bool)
    )
    return Coast(prepared, states, disputed)


def prepare_context(catalog: Catalog) -> MeasureContext:
    """Build the densified lines, the place index, the zones and the coastline of a catalog.

    Parameters
    ----------
    catalog : Catalog
        A loaded catalog; its boundaries and land are EPSG:4326.

    Returns
    -------
    MeasureContext
    """
    lines, zones = [], []
    prepared_lines = PreparedLines(catalog)
    for boundary_id, row in catalog.boundaries.iterrows():
        meta = catalog.boundary_meta[boundary_id]
        if meta.kind.is_line:
            prepared = prepared_lines.get(boundary_id)
            others = tuple(
                prepared_lines.get(boundary_id, version)
                for version in prepared_lines.versions(boundary_id)[1:]
            )
            lines.append(LineTarget(boundary_id, meta, prepared, others))
        else:
            shapely.prepare(row.geometry)
            zones.append((boundary_id, row.geometry))
    places = list(catalog.places.values())
    place_lon = np.array([p.lon for p in places], dtype=float)
    place_lat = np.array([p.lat for p in places], dtype=float)
    coast = None
    if catalog.land is not None and len(catalog.land):
        coast = _prepare_coast(catalog.land)
    return MeasureContext(
        lines=lines,
        place_ids=np.array([p.id for p in places], dtype=object),
        place_names=np.array([p.name for p in places], dtype=object),
        place_lon=place_lon,
        place_lat=place_lat,
        place_radius_km=np.array([p.radius_km for p in places], dtype=float),
        place_tree=cKDTree(unit_vectors(place_lon, place_lat)) if places else None,
        zones=zones,
        coast=coast,
        rules=catalog.territorial_seas,
    )


# --------------------------------------------------------------------------- per column group


def _measure_line(
    target: LineTarget, lon: NDArray, lat: NDArray, precision_km: NDArray
) -> dict[str, NDArray]:
    result = nearest_on_line(target.prepared, lon, lat)
    distance_km = result.distance_m / 1000.0
    names = np.array([target.meta.side_right, target.meta.side_left, target.meta.side_left])
    side = names[result.side + 1].astype(object)  # -1 → right, +1 → left
    side[distance_km <= ON_LINE_KM] = "on"
    side[~np.isfinite(distance_km)] = None
    certain = (distance_km > np.maximum(precision_km, ON_LINE_KM)) & np.isfinite(distance_km)
    columns = {
        f"{target.id}_km": distance_km,
        f"{target.id}_km_err": np.where(np.isfinite(distance_km), precision_km, np.nan),
        f"{target.id}_side": side,
        f"{target.id}_side_certain": certain,
    }
    if target.versions:
        every = [distance_km] + [
            nearest_on_line(other, lon, lat).distance_m / 1000.0 for other in target.versions
        ]
        columns[f"{target.id}_km_min"] = np.min(every, axis=0)
        columns[f"{target.id}_km_max"] = np.max(every, axis=0)
    return columns


def _measure_places(context: MeasureContext, lon: NDArray, lat: NDArray) -> dict[str, NDArray]:
    n = lon.size
    out = {
        "nearest_place": np.full(n, None, dtype=object),
        "nearest_place_name": np.full(n, None, dtype=object),
        "nearest_place_km": np.full(n, np.nan),
        "nearest_place_edge_km": np.full(n, np.nan),
        "nearest_place_bearing": np.full(n, None, dtype=object),
    }
    present = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if context.place_tree is None or present.size == 0:
        return out
    k = min(2, context.place_ids.size)
    chord, index = context.place_tree.query(unit_vectors(lon[present], lat[present]), k=k)
    chord, index = chord.reshape(present.size, k), index.reshape(present.size, k)
    best = index[:, 0]
    distance_m, azimuth = geodesic_inverse(
        context.place_lon[best], context.place_lat[best], lon[present], lat[present]
    )
    if k == 2:
        # The sphere ranks places; where two are within 1 % the ellipsoid decides.
        close = np.flatnonzero(chord[:, 1] - chord[:, 0] < 0.01 * chord[:, 0])
        if close.size:
            other = index[close, 1]
            other_m, other_az = geodesic_inverse(
                context.place_lon[other],
                context.place_lat[other],
                lon[present][close],
                lat[present][close],
            )
            swap = other_m < distance_m[close]
            best[close[swap]] = other[swap]
            distance_m[close[swap]] = other_m[swap]
            azimuth[close[swap]] = other_az[swap]
    distance_km = distance_m / 1000.0
    radius = context.place_radius_km[best]
    out["nearest_place"][present] = context.place_ids[best]
    out["nearest_place_name"][present] = context.place_names[best]
    out["nearest_place_km"][present] = distance_km
    out["nearest_place_edge_km"][present] = np.where(
        radius > 0, np.maximum(distance_km - radius, 0.0), np.nan
    )
    out["nearest_place_bearing"][present] = np.where(
        distance_km >= ON_LINE_KM, compass_16(azimuth), None
    )
    return out


def _measure_zones(context: MeasureContext, lon: NDArray, lat: NDArray) -> dict[str, NDArray]:
    labels = np.full(lon.size, "", dtype=object)
    for zone_id, geometry in context.zones:
        inside = shapely.contains_xy(geometry, lon, lat)
        labels[inside] = np.where(labels[inside] == "", zone_id, labels[inside] + "," + zone_id)
    return {"zones": labels}


def _breadth_nm(
    rules: models.TerritorialSeaRules | None,
    states: NDArray[np.object_],
    foot_lon: NDArray,
    foot_lat: NDArray,
) -> NDArray[np.float64]:
    """Return the territorial-sea breadth (nm) that applies at each coast point."""
    default = (
        np.nan if rules is None or rules.default_breadth_nm is None else rules.default_breadth_nm
    )
    breadth = np.full(states.size, default, dtype=float)
    for rule in rules.rules if rules is not None else []:
        mine = states == rule.state
        breadth[mine] = rule.breadth_nm
        for exception in rule.exceptions:
            lon_min, lat_min, lon_max, lat_max = exception.bbox
            inside = (
                mine
                & (foot_lon >= lon_min)
                & (foot_lon <= lon_max)
                & (foot_lat >= lat_min)
                & (foot_lat <= lat_max)
            )
            breadth[inside] = exception.breadth_nm
    return breadth


def _measure_coast(context: MeasureContext, lon: NDArray, lat: NDArray) -> dict[str, NDArray]:
    n = lon.size
    if context.coast is None:
        empty = np.full(n, None, dtype=object)
        return {
            "coast_km": np.full(n, np.nan),
            "on_land": empty,
            "coast_state": empty,
            "territorial_sea": empty,
            "territorial_sea_breadth_nm": np.full(n, np.nan),
        }
    coast = context.coast
    result = nearest_on_line(coast.prepared, lon, lat)
    found = result.segment >= 0
    segment = np.maximum(result.segment, 0)
    state = np.where(found, coast.segment_state[segment], None)
    disputed = found & coast.segment_disputed[segment]
    coast_km = result.distance_m / 1000.0
    on_land = np.where(found, result.side > 0, None)  # land lies left of the oriented coast
    breadth = _breadth_nm(context.rules, state, result.foot_lon, result.foot_lat)
    within = found & ~(on_land == True) & (coast_km <= breadth * KM_PER_NM)  # noqa: E712
    territorial = np.where(within, state, "").astype(object)
    territorial[within & disputed] = territorial[within & disputed] + " (disputed)"
    territorial[~found] = None
    return {
        "coast_km": coast_km,
        "on_land": on_land,
        "coast_state": state,
        "territorial_sea": territorial,
        "territorial_sea_breadth_nm": np.where(found, breadth, np.nan),
    }


def measurement_columns(context: MeasureContext) -> list[str]:
    """Return the names of the columns :func:`measure_points` produces, in order."""
    columns = []
    for target in context.lines:
        columns += [f"{target.id}_km", f"{target.id}_km_err", f"{target.id}_side"]
        columns += [f"{target.id}_side_certain"]
        if target.versions:
            columns += [f"{target.id}_km_min", f"{target.id}_km_max"]
    columns += [
        "nearest_place",
        "nearest_place_name",
        "nearest_place_km",
        "nearest_place_edge_km",
        "nearest_place_bearing",
        "zones",
        "territorial_sea",
        "territorial_sea_breadth_nm",
        "coast_state",
        "coast_km",
        "on_land",
    ]
    return columns


def _measure_block(context: MeasureContext, lon, lat, precision_km) -> dict[str, NDArray]:
    columns: dict[str, NDArray] = {}
    for target in context.lines:
        columns |= _measure_line(target, lon, lat, precision_km)
    columns |= _measure_places(context, lon, lat)
    columns |= _measure_zones(context, lon, lat)
    columns |= _measure_coast(context, lon, lat)
    return columns


def measure_points(
    context: MeasureContext,
    lon: ArrayLike,
    lat: ArrayLike,
    precision_km: ArrayLike,
    *,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Measure points against every line, place, zone and the coast of ``context``.

    Parameters
    ----------
    context : MeasureContext
        From :func:`prepare_context`.
    lon, lat : array_like
        WGS84 degrees. NaN coordinates give NaN/None measurements.
    precision_km : array_like
        The precision radius of each point, km (0 for exact points).
    progress : callable, optional
        Called with the number of rows finished after each block.

    Returns
    -------
    DataFrame
        One row per point, columns as listed in the module docstring, on a RangeIndex.
    """
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    precision = np.broadcast_to(np.asarray(precision_km, dtype=float), lon.shape)
    starts = range(0, max(lon.size, 1), _BLOCK)

    def run(start: int) -> dict[str, NDArray]:
        stop = min(start + _BLOCK, lon.size)
        block = _measure_block(context, lon[start:stop], lat[start:stop], precision[start:stop])
        if progress is not None:
            progress(stop - start)
        return block

    # Blocks run on every core: the heavy steps (the compiled nearest-line kernel, k-d tree
    # queries for places, GeographicLib, shapely) release the GIL. Results come back in order.
    workers = min(len(starts), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            blocks = list(pool.map(run, starts))
    else:
        blocks = [run(start) for start in starts]
    merged = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
    return pd.DataFrame(merged, columns=measurement_columns(context))


def enrich_locations(
    positions: Positions,
    context: MeasureContext | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> gpd.GeoDataFrame:
    """Return the located incidents with every measurement column added (step 3 of the pipeline).

    Parameters
    ----------
    positions : Positions
        From :func:`geo.positions.solve_positions`.
    context : MeasureContext, optional
        From :func:`prepare_context` on the same catalog (built when not given).

    Returns
    -------
    GeoDataFrame
        EPSG:4326, one row per incident location, in the same order as
        :meth:`Positions.locations`; distances in km.

    Example
    -------
    >>> from geo import load_catalog
    >>> from geo.positions import solve_positions
    >>> enriched = enrich_locations(solve_positions(load_catalog("tests/data/blacksea")))
    >>> round(float(enriched.loc[0, "fixture_line_km"]), 1)
    33.4
    """
    context = context or prepare_context(positions.catalog)
    locations = positions.locations()
    measured = measure_points(
        context,
        locations["lon"].to_numpy(),
        locations["lat"].to_numpy(),
        locations["precision_km"].to_numpy(),
        progress=progress,
    )
    measured.index = locations.index
    return gpd.GeoDataFrame(
        pd.concat([locations.drop(columns="geometry"), measured], axis=1),
        geometry=locations.geometry,
        crs="EPSG:4326",
    )
