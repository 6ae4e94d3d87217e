"""The pydeck layer of draft incidents: hollow rings, never mistaken for checked ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydeck as pdk

from dashboard.layers import PALETTE

__all__ = ["draft_layer"]


def _round(values, decimals: int = 4) -> list[float]:
    return np.round(np.asarray(values, dtype=float), decimals).tolist()


def draft_layer(locations: pd.DataFrame) -> pdk.Layer:
    """Return draft incidents as hollow rings in their class colour (status ``draft``).

    ``locations`` has the columns :func:`incident_layer` needs. The tooltip says DRAFT.
    """
    frame = locations.dropna(subset=["lon", "lat"])
    data = pd.DataFrame(
        {
            "i": frame["incident_id"].to_numpy(),
            "x": _round(frame["lon"], 4),
            "y": _round(frame["lat"], 4),
            "c": [PALETTE.get(m, PALETTE["other"]) for m in frame["marker"].to_numpy()],
            "t": ("DRAFT: " + frame["label"].astype(str)).to_numpy(),
            "d": frame["detail"].to_numpy(),
        }
    )
    return pdk.Layer(
        "ScatterplotLayer",
        id="drafts",
        data=data,
        get_position=["x", "y"],
        get_line_color="c",
        get_radius=7,
        radius_units="'pixels'",
        filled=False,
        stroked=True,
        line_width_min_pixels=3,
        pickable=True,
        auto_highlight=True,
    )
