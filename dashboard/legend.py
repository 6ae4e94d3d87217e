"""The legend: one row per marker class and per boundary group, in the map's colours.

Each row is a small swatch image (drawn with Pillow in the map's colour: a dot for incidents, a
stroke for lines, a square for zones) beside the label as plain text, so that a long label wraps
instead of being cut, and no label is ever interpreted as markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import streamlit as st
from PIL import Image, ImageDraw

from dashboard.dataset import MARKER_CLASSES, Dataset
from dashboard.layers import BOUNDARY_STYLE, PALETTE
from dashboard.text import escape_markdown

__all__ = ["LegendEntry", "draw_legend", "legend_entries", "swatch_png"]

_SWATCH_PX = 36  # drawn at 2x, shown at 18 px


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: its label, RGBA colour and shape ("dot", "stroke" or "square")."""

    label: str
    colour: tuple[int, int, int, int]
    shape: str
    source: str = ""  # for boundaries: where the geometry comes from


def legend_entries(dataset: Dataset) -> list[LegendEntry]:
    """Return the legend's rows: marker classes, then each boundary group with its status."""
    entries = [
        LegendEntry(label, (*PALETTE[key], 255), "dot") for key, label in MARKER_CLASSES.items()
    ]
    for group in dataset.layer_groups:
        colour, _ = BOUNDARY_STYLE.get(group.kind, ([80, 80, 80, 255], 2))
        metas = [dataset.catalog.boundary_meta[b] for b in group.boundary_ids]
        flags = sorted({flag.value for meta in metas for flag in meta.status})
        label = group.label + (f" ({', '.join(flags)})" if flags else "")
        shape = "square" if group.kind in {"buffer_zone", "territorial_sea"} else "stroke"
        # zones are drawn translucent on the map; the swatch shows their colour opaque enough to see
        alpha = max(colour[3], 160) if shape == "square" else colour[3]
        titles = sorted({source.title for meta in metas for source in meta.sources})
        source = titles[0] + (f" and {len(titles) - 1} more" if len(titles) > 1 else "")
        entries.append(LegendEntry(label, (*colour[:3], alpha), shape, source))
    return entries


@st.cache_data(show_spinner=False, max_entries=64)
def swatch_png(colour: tuple[int, int, int, int], shape: str) -> bytes:
    """Return a small transparent PNG of a legend swatch."""
    size = _SWATCH_PX
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if shape == "dot":
        draw.ellipse((6, 6, size - 6, size - 6), fill=colour, outline=(255, 255, 255, 255), width=2)
    elif shape == "stroke":
        draw.line((2, size // 2, size - 2, size // 2), fill=colour, width=6)
    else:
        draw.rectangle((4, 8, size - 4, size - 8), fill=colour, outline=(*colour[:3], 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def draw_legend(dataset: Dataset) -> None:
    """Draw the legend rows: swatch and label, the label wrapping at the sidebar's width."""
    for entry in legend_entries(dataset):
        swatch, text = st.columns([1, 7], gap="small", vertical_alignment="center")
        swatch.image(swatch_png(entry.colour, entry.shape), width=18)
        text.markdown(escape_markdown(entry.label))
        if entry.source:
            text.caption(escape_markdown(f"source: {entry.source}"))
