"""Recompute the alternative fits of the 2 Nov 2022 missile's impact point from its claims.

The JCS put the impact "NLL 이남 26㎞, 속초에서 동쪽으로 57㎞, 울릉도에서 서북방으로 167㎞".
Where that point lies depends on assumptions the JCS did not state: which latitude the East Sea
NLL runs along, and whether "Ulleungdo" is its centre or its coast. This script fits the point
to the three stated distances by least squares under each assumption, every distance computed
independently of Seamark's engine with pyproj.Geod (WGS84): to a place as the geodesic distance
from the gazetteer point (less the place's ``radius_km`` for "from its coast"), to the NLL as the
meridian arc to the version's parallel (every nll_east version runs along a constant latitude, so
the nearest point of the line lies due north or south). The numbers stored as ``alternatives:`` on
the impact location of data/incidents/2022-11-02-srbm-south-of-nll.yaml come from this output.

Run from the repository root::

    .venv/bin/python scripts/fit_alternatives.py            # table
    .venv/bin/python scripts/fit_alternatives.py --yaml     # the alternatives: block as YAML
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from pyproj import Geod
from scipy.optimize import least_squares

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import load_catalog  # noqa: E402

GEOD = Geod(ellps="WGS84")
INCIDENT = "2022-11-02-srbm-south-of-nll"
ROLE = "impact"
REVIEW = "2022-11 outside review of the data, section D"


@dataclass(frozen=True)
class Scenario:
    """One set of assumptions: which claims, which NLL version, centre or coast of each place."""

    key: str
    assumes: str
    nll_version: str | None  # None: the NLL claim is not used
    edge_places: frozenset[str] = frozenset()  # places measured from their coast (radius_km)
    places: frozenset[str] = frozenset({"sokcho", "ulleungdo"})


SCENARIOS = (
    Scenario(
        "base",
        "NLL along 38°37′N (default version); Sokcho and Ulleungdo from their centres",
        "lat_38_37_nmi",
    ),
    Scenario(
        "ulleungdo_coast",
        "the 167 km measured from Ulleungdo's coast (gazetteer radius 5 km), not its centre",
        "lat_38_37_nmi",
        edge_places=frozenset({"ulleungdo"}),
    ),
    Scenario(
        "nll_38_38_7",
        "NLL along 38°38.7′N (the 1963 boundary study's MDL terminus), not 38°37′N",
        "lat_38_38_7_nmi",
    ),
    Scenario(
        "without_nll",
        "the NLL distance left out: only 57 km from Sokcho and 167 km from Ulleungdo (centres)",
        None,
    ),
)


def _nll_latitude(catalog, version: str) -> float:
    row = catalog.boundary_versions
    geometry = row[(row["id"] == "nll_east") & (row["version"] == version)].geometry.iloc[0]
    lats = {round(y, 9) for _, y in geometry.coords}
    if len(lats) != 1:
        raise SystemExit(f"nll_east version {version!r} is not a parallel: latitudes {lats}")
    return lats.pop()


def _residual_functions(catalog, scenario: Scenario):
    """Return [(label, stated_km, function(lon, lat) -> fitted_km)] for the scenario's claims."""
    incident = catalog.incidents[INCIDENT]
    functions = []
    for claim in incident.claims:
        if claim.location.value != ROLE or claim.distance_km is None:
            continue
        if claim.place in scenario.places:
            place = catalog.places[claim.place]
            edge = place.radius_km if claim.place in scenario.edge_places else 0.0

            def fitted(lon, lat, place=place, edge=edge):
                return GEOD.inv(place.lon, place.lat, lon, lat)[2] / 1000.0 - edge

            functions.append((claim.place, claim.distance_km, fitted))
        elif claim.boundary == "nll_east" and scenario.nll_version is not None:
            lat0 = _nll_latitude(catalog, scenario.nll_version)
            sign = -1.0 if claim.direction == "south" else 1.0  # positive on the stated side

            def fitted(lon, lat, lat0=lat0, sign=sign):
                distance = GEOD.inv(lon, lat0, lon, lat)[2] / 1000.0
                return distance * (1.0 if sign * (lat - lat0) > 0 else -1.0)

            functions.append(("nll_east", claim.distance_km, fitted))
    return functions


def _direction_ok(catalog, lon: float, lat: float) -> bool:
    """True when the point lies in the compass sectors the JCS stated (east, northwest)."""
    incident = catalog.incidents[INCIDENT]
    for claim in incident.claims:
        if claim.location.value != ROLE or claim.place is None or claim.direction is None:
            continue
        place = catalog.places[claim.place]
        azimuth = GEOD.inv(place.lon, place.lat, lon, lat)[0] % 360.0
        wanted = {"east": 90.0, "northwest": 315.0}[claim.direction]
        if abs((azimuth - wanted + 180.0) % 360.0 - 180.0) > 22.5:
            return False
    return True


def fit(catalog, scenario: Scenario) -> dict:
    """Least-squares fit of the scenario's distances; the start is the best point of a grid."""
    functions = _residual_functions(catalog, scenario)

    def residuals(x):
        return np.array([f(x[0], x[1]) - stated for _, stated, f in functions])

    grid = [
        (lon, lat)
        for lon in np.arange(128.6, 130.2, 0.05)
        for lat in np.arange(37.8, 38.9, 0.05)
        if _direction_ok(catalog, lon, lat)
    ]
    start = min(grid, key=lambda p: float(np.sum(residuals(p) ** 2)))
    result = least_squares(residuals, start, x_scale=0.1, xtol=1e-12, ftol=1e-12)
    lon, lat = (float(v) for v in result.x)
    res = residuals(result.x)
    return {
        "scenario": scenario,
        "lon": lon,
        "lat": lat,
        "rms_km": math.sqrt(float(np.mean(res**2))),
        "fitted": [(label, stated, f(lon, lat)) for label, stated, f in functions],
        "directions_ok": _direction_ok(catalog, lon, lat),
    }


def _alternative_yaml(catalog, fits: list[dict]) -> str:
    base = fits[0]
    default_lat = _nll_latitude(catalog, base["scenario"].nll_version)
    items = []
    for item in fits[1:]:
        shift = GEOD.inv(base["lon"], base["lat"], item["lon"], item["lat"])[2] / 1000.0
        fitted = ", ".join(f"{label} {km:.1f} km" for label, _, km in item["fitted"])
        if item["scenario"].nll_version is None:
            south = GEOD.inv(item["lon"], default_lat, item["lon"], item["lat"])[2] / 1000.0
            fitted += f" (and {south:.1f} km south of 38°37′N, where the JCS said 26 km)"
        items.append(
            {
                "lon": round(item["lon"], 4),
                "lat": round(item["lat"], 4),
                "assumes": item["scenario"].assumes,
                "method": (
                    "least squares on the stated distances (equal weights), every distance "
                    "computed with pyproj.Geod on WGS84; scripts/fit_alternatives.py"
                ),
                "source": f"{REVIEW}; the JCS claims of this record",
                "note": (
                    f"RMS {item['rms_km']:.1f} km; fitted {fitted}; {shift:.1f} km from the "
                    f"fit with the default assumptions ({base['lat']:.4f} N, {base['lon']:.4f} E, "
                    f"RMS {base['rms_km']:.1f} km)."
                ),
            }
        )
    return yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=86)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="data directory")
    parser.add_argument("--yaml", action="store_true", help="print the alternatives: block")
    args = parser.parse_args(argv)
    catalog = load_catalog(args.data)
    fits = [fit(catalog, scenario) for scenario in SCENARIOS]
    if args.yaml:
        sys.stdout.write(_alternative_yaml(catalog, fits))
        return 0
    base = fits[0]
    for item in fits:
        shift = GEOD.inv(base["lon"], base["lat"], item["lon"], item["lat"])[2] / 1000.0
        fitted = ", ".join(f"{lbl} {km:.1f}/{st:g}" for lbl, st, km in item["fitted"])
        print(
            f"{item['scenario'].key:16} {item['lat']:.4f} N {item['lon']:.4f} E  "
            f"RMS {item['rms_km']:.1f} km  shift {shift:4.1f} km  "
            f"directions {'ok' if item['directions_ok'] else 'OFF'}  fitted/stated: {fitted}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
