"""Boundary lines prepared for measurement: densified once per line (and version), then reused.

Coordinates are WGS84 lon/lat degrees (EPSG:4326).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.catalog import Catalog
from geo.nearest import PreparedLine, nearest_on_line, prepare_line

__all__ = ["PreparedLines", "VersionDistance", "line_parts"]


def line_parts(geometry: shapely.Geometry) -> list[tuple[NDArray, NDArray]]:
    """Return the (lon, lat) vertex arrays, degrees, of each part of a (Multi)LineString."""
    parts = getattr(geometry, "geoms", [geometry])
    return [(np.asarray(p.xy[0]), np.asarray(p.xy[1])) for p in parts]


@dataclass(frozen=True)
class VersionDistance:
    """A point's geodesic distance (km) and side relative to one version of a line."""

    version: str | None
    label: str
    distance_km: float
    side: str


class PreparedLines:
    """The catalog's boundary lines, each prepared on first use and kept.

    ``get(id)`` is the default version of a line; ``get(id, version)`` a named version.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._cache: dict[tuple[str, str | None], PreparedLine] = {}

    def versions(self, boundary_id: str) -> list[str | None]:
        """Return the version ids of a line, default first; ``[None]`` for a single feature."""
        frame = self._catalog.boundary_versions
        mine = frame[frame["id"] == boundary_id].sort_values("default", ascending=False)
        versions = [v if isinstance(v, str) else None for v in mine["version"]]
        return versions or [None]

    def get(self, boundary_id: str, version: str | None = None) -> PreparedLine:
        """Return the densified line ``boundary_id`` (its ``version``, default: the default)."""
        key = (boundary_id, version)
        if key not in self._cache:
            if version is None:
                meta = self._catalog.boundary_meta[boundary_id]
                geometry = self._catalog.boundaries.loc[boundary_id].geometry
            else:
                meta = self._catalog.boundary_version_meta[(boundary_id, version)]
                frame = self._catalog.boundary_versions
                row = frame[(frame["id"] == boundary_id) & (frame["version"] == version)]
                geometry = row.geometry.iloc[0]
            self._cache[key] = prepare_line(line_parts(geometry), interpolation=meta.interpolation)
        return self._cache[key]

    def version_distances(self, boundary_id: str, lon: float, lat: float) -> list[VersionDistance]:
        """Return the distance (km) and side of a WGS84 point to every version of a line.

        Default version first; a line with a single feature gives one entry (version None).
        """
        meta = self._catalog.boundary_meta[boundary_id]
        out = []
        for version in self.versions(boundary_id):
            result = nearest_on_line(self.get(boundary_id, version), [lon], [lat])
            label = version or ""
            if version is not None:
                version_meta = self._catalog.boundary_version_meta[(boundary_id, version)]
                label = version_meta.version_label or version
            side = meta.side_left if result.side[0] > 0 else meta.side_right
            out.append(VersionDistance(version, label, float(result.distance_m[0]) / 1000.0, side))
        return out
