"""Boundary lines prepared for measurement: densified once per line (and version), then reused.

Coordinates are WGS84 lon/lat degrees (EPSG:4326).
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.catalog import Catalog
from geo.nearest import PreparedLine, prepare_line

__all__ = ["PreparedLines", "line_parts"]


def line_parts(geometry: shapely.Geometry) -> list[tuple[NDArray, NDArray]]:
    """Return the (lon, lat) vertex arrays, degrees, of each part of a (Multi)LineString."""
    parts = getattr(geometry, "geoms", [geometry])
    return [(np.asarray(p.xy[0]), np.asarray(p.xy[1])) for p in parts]


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
