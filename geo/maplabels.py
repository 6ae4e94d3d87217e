"""Labels that do not collide: greedy placement by priority, measured with the real font.

Each label has one or more anchor points (a place, points along a line) and is tried at eight
positions around each anchor (right, upper right, lower right, left, ... the cartographic order
of preference). The first position whose text box, measured by the renderer, lies inside the map
and overlaps neither a label already placed nor an obstacle (incident markers) wins; a label
with no free position is left out and reported. Higher priority goes first, so the selected
incident and the boundary lines keep their labels when space runs out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

__all__ = ["Label", "place_labels"]

log = logging.getLogger(__name__)

# (dx, dy) in units of the offset, with the text alignment that keeps the text clear of its anchor
_POSITIONS = [
    ((1, 0), "left", "center"),
    ((0.7, 0.7), "left", "bottom"),
    ((0.7, -0.7), "left", "top"),
    ((-1, 0), "right", "center"),
    ((-0.7, 0.7), "right", "bottom"),
    ((-0.7, -0.7), "right", "top"),
    ((0, 1), "center", "bottom"),
    ((0, -1), "center", "top"),
]


@dataclass
class Label:
    """A label to place: text, anchors (data coordinates), priority (higher first), style."""

    text: str
    anchors: Sequence[tuple[float, float]]
    priority: float = 0.0
    style: dict = field(default_factory=dict)
    offset_pt: float = 6.0
    gid: str = "label"


def _overlaps(box: Bbox, boxes: list[Bbox]) -> bool:
    return any(box.overlaps(other) for other in boxes)


def _try(ax: Axes, label: Label, anchor, position, renderer, frame: Bbox, taken: list[Bbox]):
    (dx, dy), halign, valign = position
    annotation = ax.annotate(
        label.text,
        xy=anchor,
        xytext=(dx * label.offset_pt, dy * label.offset_pt),
        textcoords="offset points",
        ha=halign,
        va=valign,
        annotation_clip=False,
        **label.style,
    )
    annotation.set_gid(label.gid)
    box = annotation.get_window_extent(renderer)
    patch = annotation.get_bbox_patch()
    if patch is not None:
        annotation.update_bbox_position_size(renderer)  # the patch is sized when drawn
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    box = box.padded(2)
    inside = frame.containsx(box.x0) and frame.containsx(box.x1)
    inside = inside and frame.containsy(box.y0) and frame.containsy(box.y1)
    if inside and not _overlaps(box, taken):
        taken.append(box)
        return annotation
    annotation.remove()
    return None


def place_labels(
    ax: Axes,
    labels: Sequence[Label],
    renderer: RendererBase,
    *,
    obstacles: Sequence[Bbox] = (),
) -> tuple[list[Annotation], list[str]]:
    """Place ``labels`` on ``ax`` greedily; return the annotations placed and texts left out.

    ``obstacles`` are display-space boxes no label may cover (markers). Anchors outside the
    axes' view are skipped.
    """
    frame = ax.get_window_extent(renderer)
    taken = list(obstacles)
    placed, dropped = [], []
    x_lo, x_hi = sorted(ax.get_xlim())
    y_lo, y_hi = sorted(ax.get_ylim())
    for label in sorted(labels, key=lambda item: -item.priority):
        annotation = None
        for anchor in label.anchors:
            if not (x_lo <= anchor[0] <= x_hi and y_lo <= anchor[1] <= y_hi):
                continue
            for position in _POSITIONS:
                annotation = _try(ax, label, anchor, position, renderer, frame, taken)
                if annotation is not None:
                    break
            if annotation is not None:
                break
        if annotation is None:
            dropped.append(label.text)
        else:
            placed.append(annotation)
    if dropped:
        log.info("labels left out for lack of room: %s", ", ".join(dropped))
    return placed, dropped


def marker_boxes(ax: Axes, x: np.ndarray, y: np.ndarray, radius_px: float) -> list[Bbox]:
    """Return display-space boxes around markers at data (x, y), for :func:`place_labels`."""
    if len(x) == 0:
        return []
    points = ax.transData.transform(np.column_stack([x, y]))
    return [
        Bbox.from_extents(px - radius_px, py - radius_px, px + radius_px, py + radius_px)
        for px, py in points
    ]
