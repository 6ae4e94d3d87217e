"""Load a data directory into a validated :class:`Catalog`.

Layout of a data directory::

    incidents/<id>.yaml      one incident per file
    places.yaml              the gazetteer
    boundaries/*.geojson     boundary lines and zones (RFC 7946)
    territorial_seas.yaml    territorial-sea breadths per state (optional)
    dataset.yaml             settings of the directory: the default time zone (optional)
    basemap/land.geojson     land polygons per country (optional; coast distances need it)

Every problem is collected, never raised one at a time: a record with an error is left out and
reported; every valid record loads.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio.errors
import shapely
import shapely.errors
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from geo import models
from geo.io import FileSyntaxError, LineMap, read_geojson, read_yaml
from geo.problems import Problem, Severity, display_path, field_name, problems_from_pydantic
from geo.references import check_references
from geo.sanity import draft_warnings, suspicious_locations

ModelT = TypeVar("ModelT", bound=BaseModel)

__all__ = ["Catalog", "IncidentFile", "data_dir_from_env", "load_catalog"]

log = logging.getLogger(__name__)

DATA_ENV = "SEAMARK_DATA"
DEFAULT_DATA_DIR = Path("data")


def data_dir_from_env(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory: ``explicit``, else ``$SEAMARK_DATA``, else ``data/``."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DATA_ENV)
    return Path(from_env) if from_env else DEFAULT_DATA_DIR


@dataclass(frozen=True)
class IncidentFile:
    """A valid incident with where it came from (for line numbers in later messages)."""

    incident: models.Incident
    path: str
    lines: LineMap


@dataclass
class Catalog:
    """Everything valid in a data directory, plus every problem found in it.

    Attributes
    ----------
    incidents : dict
        Valid incidents by id, in time order.
    places : dict
        Gazetteer places by id.
    boundaries : GeoDataFrame
        One row per valid boundary, indexed by id, EPSG:4326, vertices as published; for a line
        with several versions, its default version.
    boundary_meta : dict
        The validated properties of each boundary (its default version), by id.
    boundary_versions : GeoDataFrame
        Every feature, versions included: columns ``id``, ``version`` (None for a line with a
        single feature), ``version_label``, ``default`` and the rest as in ``boundaries``.
    boundary_version_meta : dict
        The properties of each version, by (id, version).
    territorial_seas : TerritorialSeaRules or None
    settings : DatasetSettings
        The directory's settings (dataset.yaml); empty when the file is absent.
    land : GeoDataFrame or None
        Land polygons per country (EPSG:4326) when the data directory bundles a basemap.
    borders : GeoDataFrame or None
        Land borders (EPSG:4326), for drawing only.
    problems : list of Problem
        Errors (records left out) and warnings (records kept), in file order.
    """

    data_dir: Path
    incidents: dict[str, models.Incident] = field(default_factory=dict)
    files: dict[str, IncidentFile] = field(default_factory=dict)
    places: dict[str, models.Place] = field(default_factory=dict)
    boundaries: gpd.GeoDataFrame = field(
        default_factory=lambda: gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    )
    boundary_meta: dict[str, models.BoundaryMeta] = field(default_factory=dict)
    boundary_versions: gpd.GeoDataFrame = field(
        default_factory=lambda: gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    )
    boundary_version_meta: dict[tuple[str, str], models.BoundaryMeta] = field(default_factory=dict)
    territorial_seas: models.TerritorialSeaRules | None = None
    settings: models.DatasetSettings = field(default_factory=models.DatasetSettings)
    land: gpd.GeoDataFrame | None = None
    borders: gpd.GeoDataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that rejected a record."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems that kept their record."""
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def rejected_files(self) -> dict[str, list[Problem]]:
        """Return the files with at least one error, with their errors."""
        rejected: dict[str, list[Problem]] = {}
        for problem in self.errors:
            rejected.setdefault(problem.path, []).append(problem)
        return rejected

    def summary(self, problems: list[Problem] | None = None) -> str:
        """Return a one-line summary of what loaded and what did not.

        ``problems`` defaults to the catalog's own; later pipeline steps pass theirs too.
        """
        problems = self.problems if problems is None else problems
        n_errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = [p for p in problems if p.severity is Severity.WARNING]
        n_acknowledged = sum(p.acknowledged is not None for p in warnings)
        n_warnings = len(warnings) - n_acknowledged
        verdict = "ok" if n_errors == 0 else f"{n_errors} error{'s' * (n_errors != 1)}"
        acknowledged = f" ({n_acknowledged} acknowledged)" if n_acknowledged else ""
        return (
            f"{verdict}: {len(self.incidents)} incidents, {len(self.places)} places, "
            f"{len(self.boundaries)} boundaries loaded from {display_path(self.data_dir)}; "
            f"{n_errors} errors, {n_warnings} warnings{acknowledged}"
        )


# --------------------------------------------------------------------------- places


def _load_places(path: Path, catalog: Catalog) -> None:
    shown = display_path(path)
    if not path.exists():
        catalog.problems.append(
            Problem(shown, 1, path.stem, "(file)", "the gazetteer file is missing")
        )
        return
    catalog.files_seen += 1
    try:
        data, lines = read_yaml(path)
    except FileSyntaxError as exc:
        catalog.problems.append(Problem(shown, exc.line, path.stem, "(file)", exc.message))
        return
    broken: set[int] = set()  # places with a duplicated key: ambiguous, so left out
    for key_path, line in lines.duplicate_keys:
        index = key_path[0] if key_path and isinstance(key_path[0], int) else None
        item = data[index] if index is not None and isinstance(data, list) else None
        record = str(item.get("id", f"#{index}")) if isinstance(item, dict) else path.stem
        message = "duplicate key: the second value would silently replace the first"
        field = field_name(key_path[1:] if index is not None else key_path)
        catalog.problems.append(Problem(shown, line, record, field, message))
        if index is not None:
            broken.add(index)
    if isinstance(data, dict) and "places" in data:
        data, lines = data["places"], lines.sub(("places",))
    if not isinstance(data, list):
        catalog.problems.append(Problem(shown, 1, path.stem, "(file)", "must be a list of places"))
        return
    for index, item in enumerate(data):
        if index in broken:
            continue
        record = item.get("id", f"#{index}") if isinstance(item, dict) else f"#{index}"
        record = str(record)
        try:
            place = models.Place.model_validate(item)
        except PydanticValidationError as exc:
            catalog.problems.extend(
                problems_from_pydantic(
                    exc,
                    data=item,
                    lines=lines.sub((index,)),
                    path=shown,
                    record=record,
                    model=models.Place,
                )
            )
            continue
        if place.id in catalog.places:
            catalog.problems.append(
                Problem(shown, lines.line_of((index, "id")), place.id, "id", "duplicate place id")
            )
            continue
        catalog.places[place.id] = place


# --------------------------------------------------------------------------- boundaries


def _geometry_problem(geometry: Any, meta: models.BoundaryMeta) -> str | None:
    """Return what is wrong with a boundary geometry, or None."""
    if geometry is None or geometry.is_empty:
        return "geometry is empty"
    coords = shapely.get_coordinates(geometry)
    if not np.isfinite(coords).all():
        return "coordinates must be finite numbers"
    if (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        return "coordinates must be lon in [-180, 180] and lat in [-90, 90]"
    kind = geometry.geom_type
    if meta.kind.is_line:
        if kind not in {"LineString", "MultiLineString"}:
            return f"a {meta.kind.value} must be a LineString or MultiLineString, got {kind}"
        for part in getattr(geometry, "geoms", [geometry]):
            if len(np.unique(np.asarray(part.coords), axis=0)) < 2:
                return "a line needs at least two distinct vertices"
    else:
        if kind not in {"Polygon", "MultiPolygon"}:
            return f"a {meta.kind.value} must be a Polygon or MultiPolygon, got {kind}"
        if not geometry.is_valid:
            return f"invalid polygon: {shapely.is_valid_reason(geometry)}"
    return None


def _load_boundary_file(path: Path, catalog: Catalog, rows: list[dict[str, Any]]) -> None:
    shown = display_path(path)
    catalog.files_seen += 1
    try:
        document, feature_lines = read_geojson(path)
    except FileSyntaxError as exc:
        catalog.problems.append(Problem(shown, exc.line, path.stem, "(file)", exc.message))
        return
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        catalog.problems.append(
            Problem(shown, 1, path.stem, "(file)", "must be a GeoJSON FeatureCollection")
        )
        return
    for index, feature in enumerate(document.get("features") or []):
        line = feature_lines[index]
        properties = feature.get("properties") if isinstance(feature, dict) else None
        record = str((properties or {}).get("id", f"{path.stem}#{index}"))
        if not isinstance(properties, dict):
            catalog.problems.append(
                Problem(shown, line, record, "properties", "a feature needs properties")
            )
            continue
        try:
            meta = models.BoundaryMeta.model_validate(properties)
        except PydanticValidationError as exc:
            catalog.problems.extend(
                problems_from_pydantic(
                    exc,
                    data=properties,
                    lines=LineMap({(): line}),
                    path=shown,
                    record=record,
                    prefix=("properties",),
                    model=models.BoundaryMeta,
                )
            )
            continue
        try:
            geometry = shapely.geometry.shape(feature.get("geometry") or {})
        except (
            ValueError,
            TypeError,
            AttributeError,
            KeyError,
            IndexError,
            shapely.errors.GEOSException,
        ) as exc:
            message = f"not a valid GeoJSON geometry ({exc})"
            catalog.problems.append(Problem(shown, line, record, "geometry", message))
            continue
        problem = _geometry_problem(geometry, meta)
        if problem:
            catalog.problems.append(Problem(shown, line, record, "geometry", problem))
            continue
        rows.append(_boundary_row(meta, geometry, shown, line))


def _boundary_row(
    meta: models.BoundaryMeta, geometry: shapely.Geometry, shown: str, line: int
) -> dict[str, Any]:
    return {
        "id": meta.id,
        "version": meta.version,
        "version_label": meta.version_label,
        "default": meta.default,
        "name": meta.name,
        "kind": meta.kind.value,
        "status": ",".join(s.value for s in meta.status),
        "side_left": meta.side_left,
        "side_right": meta.side_right,
        "interpolation": meta.interpolation.value,
        "state": meta.state,
        "file": shown,
        "line": line,
        "meta": meta,
        "geometry": geometry,
    }


def _version_problems(group: list[dict[str, Any]]) -> list[Problem]:
    """Return what is wrong with the versions of one boundary id (several features share it)."""
    first = group[0]
    problems = []

    def report(row: dict[str, Any], field: str, message: str) -> None:
        problems.append(Problem(row["file"], row["line"], row["id"], field, message))

    if len(group) == 1:
        if first["version"] is not None and first["default"] is False:
            report(
                first,
                "properties.default",
                "a line's only version is its default: add default: true",
            )
        return problems
    seen: set[str] = set()
    for row in group:
        if row["version"] is None:
            report(
                row,
                "properties.version",
                f"duplicate boundary id: {len(group)} features share it, so each needs its own "
                "version id (and one of them default: true)",
            )
        elif row["version"] in seen:
            report(row, "properties.version", f"duplicate version {row['version']!r}")
        else:
            seen.add(row["version"])
        if row["kind"] != first["kind"]:
            report(
                row,
                "properties.kind",
                f"every version must be a {first['kind']}, got {row['kind']}",
            )
        if (row["side_left"], row["side_right"]) != (first["side_left"], first["side_right"]):
            report(row, "properties.side_left", "every version must name its sides alike")
    defaults = [row for row in group if row["default"]]
    if len(defaults) != 1:
        found = ", ".join(str(row["version"]) for row in defaults) or "none"
        report(first, "properties.default", f"exactly one version needs default: true, got {found}")
    return problems


def _load_boundaries(directory: Path, catalog: Catalog) -> None:
    rows: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.geojson")) if directory.is_dir() else []:
        _load_boundary_file(path, catalog, rows)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["id"], []).append(row)
    kept = []
    for group in groups.values():
        problems = _version_problems(group)
        catalog.problems.extend(problems)
        if not problems:
            kept += group
    versions = _boundary_frame(kept)
    catalog.boundary_versions = versions
    default = versions[versions["default"] | versions["version"].isna()] if kept else versions
    if len(default):
        default = default.set_index("id", drop=False).rename_axis(None)
    catalog.boundaries = default
    catalog.boundary_meta = {
        row["id"]: row["meta"] for row in kept if row["default"] or row["version"] is None
    }
    catalog.boundary_version_meta = {
        (row["id"], row["version"]): row["meta"] for row in kept if row["version"] is not None
    }


_BOUNDARY_COLUMNS = [
    "id",
    "version",
    "version_label",
    "default",
    "name",
    "kind",
    "status",
    "side_left",
    "side_right",
    "interpolation",
    "state",
    "file",
    "geometry",
]


def _boundary_frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=_BOUNDARY_COLUMNS)
    frame["default"] = frame["default"].astype(bool)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _load_territorial_seas(path: Path, catalog: Catalog) -> None:
    rules = _load_model_file(path, catalog, models.TerritorialSeaRules)
    if rules is not None:
        catalog.territorial_seas = rules


def _load_settings(path: Path, catalog: Catalog) -> None:
    settings = _load_model_file(path, catalog, models.DatasetSettings, empty_ok=True)
    if settings is not None:
        catalog.settings = settings


def _load_model_file(
    path: Path, catalog: Catalog, model: type[ModelT], *, empty_ok: bool = False
) -> ModelT | None:
    """Read one optional YAML file into ``model``; problems name the file and line, never raise.

    ``empty_ok``: an empty file means the model's defaults.
    """
    if not path.exists():
        return None
    shown = display_path(path)
    catalog.files_seen += 1
    try:
        data, lines = read_yaml(path)
        return model.model_validate({} if empty_ok and data is None else data)
    except FileSyntaxError as exc:
        catalog.problems.append(Problem(shown, exc.line, path.stem, "(file)", exc.message))
    except PydanticValidationError as exc:
        catalog.problems.extend(
            problems_from_pydantic(
                exc, data=data, lines=lines, path=shown, record=path.stem, model=model
            )
        )
    return None


# What each basemap file must hold: required columns (what they are for) and geometry types.
_BASEMAP_FILES = {
    "land": (
        {"iso_a3": "the ISO 3166-1 alpha-3 code of each country's land (whose coast it is)"},
        {"Polygon", "MultiPolygon"},
    ),
    "borders": ({}, {"LineString", "MultiLineString"}),
}


def _read_basemap(path: Path, catalog: Catalog, kind: str) -> gpd.GeoDataFrame | None:
    """Read a basemap file; a file that cannot serve is reported (whole file), never raised."""
    shown = display_path(path)
    catalog.files_seen += 1
    required, geometry_types = _BASEMAP_FILES[kind]

    def report(field: str, message: str) -> None:
        catalog.problems.append(Problem(shown, 1, f"basemap {kind}", field, message))

    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        report("(file)", f"not a readable GeoJSON file ({first_line[:120]})")
        return None
    missing = [name for name in required if name not in frame.columns]
    for name in missing:
        report(
            name,
            f"missing column {name!r}: add it to every feature's properties ({required[name]})",
        )
    found = set(frame.geometry.dropna().geom_type) if len(frame) else set()
    if found - geometry_types:
        wanted = " or ".join(sorted(geometry_types))
        report(
            "geometry",
            f"must hold {wanted} features, got {', '.join(sorted(found - geometry_types))}",
        )
        return None
    if missing:
        return None
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    return frame.to_crs("EPSG:4326")


def _load_basemap(directory: Path, catalog: Catalog) -> None:
    if (directory / "land.geojson").exists():
        catalog.land = _read_basemap(directory / "land.geojson", catalog, "land")
    if (directory / "borders.geojson").exists():
        catalog.borders = _read_basemap(directory / "borders.geojson", catalog, "borders")


# --------------------------------------------------------------------------- incidents


def _load_incident_file(path: Path, catalog: Catalog) -> tuple[Any, LineMap] | None:
    """Parse and schema-check one incident file; return (raw, lines) for later checks."""
    shown = display_path(path)
    catalog.files_seen += 1
    try:
        data, lines = read_yaml(path)
    except FileSyntaxError as exc:
        catalog.problems.append(Problem(shown, exc.line, path.stem, "(file)", exc.message))
        return None
    if data is None:
        catalog.problems.append(Problem(shown, 1, path.stem, "(file)", "the file is empty"))
        return None
    if not isinstance(data, dict):
        found = type(data).__name__
        message = f"must be a mapping of incident fields, got a {found}"
        catalog.problems.append(Problem(shown, 1, path.stem, "(file)", message))
        return None
    return data, lines


def _record_name(data: dict[str, Any], path: Path) -> str:
    value = data.get("id")
    return value if isinstance(value, str) and value.strip() else path.stem


def _load_incidents(directory: Path, catalog: Catalog) -> None:
    parsed: list[tuple[Path, dict[str, Any], LineMap]] = []
    paths = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    for other in sorted(directory.glob("*.yml")) if directory.is_dir() else []:
        catalog.problems.append(
            Problem(
                display_path(other),
                1,
                other.stem,
                "(file)",
                "incident files must end in .yaml; this one was not read",
            )
        )
    for path in paths:
        result = _load_incident_file(path, catalog)
        if result is not None:
            parsed.append((path, *result))

    known_ids = {_record_name(data, path) for path, data, _ in parsed}
    id_files: dict[str, list[str]] = {}
    for path, data, _ in parsed:
        id_files.setdefault(_record_name(data, path), []).append(display_path(path))

    valid: list[IncidentFile] = []
    for path, data, lines in parsed:
        shown = display_path(path)
        record = _record_name(data, path)
        problems: list[Problem] = []
        for key_path, line in lines.duplicate_keys:
            message = "duplicate key: the second value would silently replace the first"
            problems.append(Problem(shown, line, record, field_name(key_path), message))
        try:
            incident = models.Incident.model_validate(data)
        except PydanticValidationError as exc:
            problems.extend(
                problems_from_pydantic(
                    exc,
                    data=data,
                    lines=lines,
                    path=shown,
                    record=record,
                    model=models.Incident,
                )
            )
            incident = None
        if incident is not None:
            problems.extend(
                suspicious_locations(incident, places=catalog.places, lines=lines, path=shown)
            )
            problems.extend(draft_warnings(incident, lines=lines, path=shown))
        if incident is not None and path.stem != incident.id:
            message = f"must match the file name {path.stem!r}, got {incident.id!r}"
            problems.append(Problem(shown, lines.line_of(("id",)), record, "id", message))
        others = [p for p in id_files.get(record, []) if p != shown]
        if others:
            # The file named after the id owns it and keeps loading; the others are rejected.
            owner = path.stem == record
            message = f"duplicate incident id, also used in {', '.join(others)}"
            if owner:
                message += "; this file is named after the id and keeps it"
            severity = Severity.WARNING if owner else Severity.ERROR
            code = "duplicate-id" if owner else None
            line = lines.line_of(("id",))
            problems.append(Problem(shown, line, record, "id", message, severity, code=code))
        problems.extend(
            check_references(
                data,
                record=record,
                lines=lines,
                path=shown,
                places=catalog.places,
                boundaries=catalog.boundary_meta,
                incident_ids=known_ids,
            )
        )
        catalog.problems.extend(problems)
        if incident is not None and not any(p.severity is Severity.ERROR for p in problems):
            valid.append(IncidentFile(incident, shown, lines))

    catalog.problems.sort(key=lambda p: (p.path, p.line))
    valid.sort(key=lambda item: (item.incident.time, item.incident.id))
    catalog.files = {item.incident.id: item for item in valid}
    catalog.incidents = {item.incident.id: item.incident for item in valid}


def load_catalog(data_dir: str | os.PathLike[str] | None = None) -> Catalog:
    """Load and validate every curated file of a data directory.

    Parameters
    ----------
    data_dir : path-like, optional
        The data directory; defaults to ``$SEAMARK_DATA``, then ``data/``.

    Returns
    -------
    Catalog
        Valid records plus the list of problems; records with errors are left out.

    Example
    -------
    >>> catalog = load_catalog("data")
    >>> catalog.errors
    []
    """
    directory = data_dir_from_env(data_dir)
    catalog = Catalog(data_dir=directory)
    if not directory.is_dir():
        message = "data directory not found"
        catalog.problems.append(Problem(display_path(directory), 1, "-", "(file)", message))
        return catalog
    _load_places(directory / "places.yaml", catalog)
    _load_boundaries(directory / "boundaries", catalog)
    _load_territorial_seas(directory / "territorial_seas.yaml", catalog)
    _load_settings(directory / "dataset.yaml", catalog)
    _load_basemap(directory / "basemap", catalog)
    _load_incidents(directory / "incidents", catalog)
    log.info(catalog.summary())
    return catalog
