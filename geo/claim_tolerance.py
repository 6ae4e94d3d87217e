"""A-priori tolerances of claims, in km (distances) and degrees (directions).

The rule (pinned by tests):

- rounding of the stated figure: half a unit of its last significant digit, in the unit the
  source used (26 km → ±0.5 km; 160 km → ±5 km; 104 mi → ±0.8 km);
- plus the reference's extent when the claim does not say centre or edge (Ulleungdo's 5 km
  radius), or the boundary's ``accuracy_km``;
- an explicit ``tolerance_km`` on the claim replaces both terms.
- A direction is the sector of its compass word (±22.5° for 8-point words, ±11.25° for 16-point
  ones), or ``direction_precision_deg``.

How the location's own uncertainty is added is the checker's business (:mod:`geo.claim_checks`).
"""

from __future__ import annotations

import numpy as np

from geo import models
from geo.catalog import Catalog

__all__ = ["a_priori_km", "angle_difference", "extent_km", "half_width_deg", "rounding_km"]


def rounding_km(claim: models.Claim) -> float:
    """Return half a unit of the stated figure's last significant digit, in km."""
    if claim.distance_km is None:
        return 0.0
    value = claim.distance if claim.distance is not None else claim.distance_km
    factor = models.KM_PER_UNIT[claim.unit] if claim.distance is not None else 1.0
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if "." in text:
        step = 10.0 ** -len(text.split(".")[1])
    else:
        digits = text.lstrip("-")
        step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits != "0" else 1.0
    return 0.5 * step * factor


def extent_km(claim: models.Claim, catalog: Catalog) -> float:
    """Return the reference's extent (km): a place's radius, or a boundary's accuracy."""
    if claim.place is not None and claim.place in catalog.places:
        place = catalog.places[claim.place]
        return place.radius_km if claim.reference_point is None else 0.0
    if claim.boundary is not None and claim.boundary in catalog.boundary_meta:
        return catalog.boundary_meta[claim.boundary].accuracy_km or 0.0
    return 0.0


def a_priori_km(claim: models.Claim, catalog: Catalog) -> float:
    """Return the claim's a-priori distance tolerance, km (rounding plus extent)."""
    if claim.tolerance_km is not None:
        return claim.tolerance_km
    return rounding_km(claim) + extent_km(claim, catalog)


def half_width_deg(claim: models.Claim) -> float:
    """Return the half-width of the claim's direction sector, degrees."""
    if claim.direction_precision_deg is not None:
        return claim.direction_precision_deg
    return models.CompassDirection(claim.direction).half_width_deg


def angle_difference(azimuth, centre) -> np.ndarray:
    """Return ``azimuth - centre`` wrapped into [-180, 180) degrees."""
    return (np.asarray(azimuth) - centre + 180.0) % 360.0 - 180.0
