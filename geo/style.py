"""How things are drawn, shared by the page (dashboard/) and the map image (geo.mapimage).

Colours are RGB or RGBA lists of 0-255 integers (what deck.gl takes); :func:`rgba` converts
them to matplotlib's 0-1 tuples. The layer keys are the page's toggles and the map command's
``--layers`` (without the ``layer_`` prefix); boundary layer groups come from the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.catalog import Catalog

__all__ = [
    "BASEMAP_STYLE",
    "BOUNDARY_STYLE",
    "CATEGORY_LABELS",
    "CLAIM_STYLE",
    "MAP_LAYERS",
    "MARKER_CLASSES",
    "PALETTE",
    "SELECTED",
    "LayerGroup",
    "boundary_style",
    "layer_groups",
    "marker_class",
    "rgba",
]

# Okabe-Ito, a palette distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "launch": [213, 94, 0],  # vermillion
    "impact": [0, 114, 178],  # blue
    "alert": [230, 159, 0],  # orange
    "response": [0, 158, 115],  # bluish green
    "other": [204, 121, 167],  # reddish purple
}
BOUNDARY_STYLE = {  # colour (RGBA) and width in pixels per boundary kind
    "de_facto_line": ([20, 20, 20, 255], 3),
    "land_demarcation": ([110, 70, 40, 255], 2.5),
    "claimed_line": ([204, 121, 167, 255], 2.5),
    "buffer_zone": ([240, 228, 66, 90], 1),
    "territorial_sea": ([86, 180, 233, 60], 1),
}
CLAIM_STYLE = {  # RGBA and width (px) of what claims describe
    "circle": ([204, 121, 167, 220], 1.5),
    "bearing": ([204, 121, 167, 160], 1.5),
    "offset": ([204, 121, 167, 220], 2),
    "ellipse": ([0, 0, 0, 230], 2),
    "spread": ([0, 0, 0, 150], 1),
}
BASEMAP_STYLE = {
    "sea": [214, 230, 240],
    "land": [246, 243, 235],
    "coast": [150, 150, 150],
    "border": [120, 120, 120],
    "label": [70, 70, 70],
}
SELECTED = [0, 0, 0, 255]

# How incidents are drawn: one class per marker colour (see PALETTE).
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

# Map layers that are not boundaries: key (query parameter), label, on by default.
MAP_LAYERS = (
    ("layer_incidents", "Incidents", True),
    ("layer_arcs", "Launch → impact arcs", True),
    ("layer_uncertainty", "Location uncertainty circles", True),
    ("layer_rings", "Range rings around the selected launch site", True),
    ("layer_claims", "Claims of the selected incident (circles, bearings, solved point)", True),
    ("layer_labels", "Place and country labels", True),
    ("layer_line_versions", "Every version of lines whose course is uncertain", False),
    ("online_basemap", "Online basemap tiles (contacts a third-party tile server)", False),
)


def rgba(colour: list[int] | tuple[int, ...], alpha: float | None = None) -> tuple[float, ...]:
    """Return a 0-255 RGB(A) colour as matplotlib's 0-1 RGBA; ``alpha`` (0-1) overrides."""
    red, green, blue = (c / 255 for c in colour[:3])
    opacity = colour[3] / 255 if len(colour) > 3 else 1.0
    return (red, green, blue, opacity if alpha is None else alpha)


def marker_class(category: str, role: str) -> str:
    """Return the marker class of a location: alert and response by category, else by role."""
    if category == "air_raid_alert":
        return "alert"
    if category == "military_response":
        return "response"
    if role in {"launch", "impact"}:
        return role
    return "other"


def boundary_style(kind: str) -> tuple[list[int], float]:
    """Return the colour (RGBA 0-255) and width (px) of a boundary kind."""
    return BOUNDARY_STYLE.get(kind, ([80, 80, 80, 255], 2))


@dataclass(frozen=True)
class LayerGroup:
    """Boundaries that toggle together on the map ("Northern Limit Line (NLL)")."""

    key: str  # URL-safe: "layer_northern_limit_line_nll"
    label: str
    boundary_ids: tuple[str, ...]
    kind: str  # the kind of its first boundary, for styling and the legend
    default_on: bool


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def layer_groups(catalog: Catalog) -> tuple[LayerGroup, ...]:
    """Return the catalog's boundaries grouped by their ``layer`` (else name), lines first."""
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
