"""Count badges where markers pile up: grouped by their distance on screen at the view's zoom."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.clusters import MIN_COUNT, RADIUS_PX, cluster_layers, crowded_groups


def _frame(points: list[tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": [f"i{n}" for n in range(len(points))],
            "lon": [p[0] for p in points],
            "lat": [p[1] for p in points],
            "label": [f"incident {n}" for n in range(len(points))],
        }
    )


def test_an_island_crowd_gets_one_badge_and_a_lone_point_none() -> None:
    crowd = [(125.69 + 0.01 * k, 37.67) for k in range(5)]  # 5 incidents within ~4 km
    frame = _frame([*crowd, (129.25, 38.35)])
    (group,) = crowded_groups(frame, zoom=6.0)
    assert sorted(group["incident_id"]) == [f"i{k}" for k in range(5)]
    (layer,) = cluster_layers(frame, zoom=6.0)
    (badge,) = pd.DataFrame(layer.data).to_dict("records")
    assert badge["n"] == "5"
    assert "5 incidents overlap here" in badge["t"]


def test_zooming_in_separates_the_crowd() -> None:
    crowd = _frame([(125.69 + 0.01 * k, 37.67) for k in range(5)])
    assert crowded_groups(crowd, zoom=6.0)
    assert crowded_groups(crowd, zoom=12.0) == []


def test_two_locations_of_one_incident_are_not_a_crowd() -> None:
    frame = _frame([(125.69, 37.67), (125.70, 37.67), (125.71, 37.67)])
    frame["incident_id"] = ["a", "a", "b"]
    assert MIN_COUNT == 3
    assert crowded_groups(frame, zoom=6.0) == []


@settings(max_examples=60, deadline=None)
@given(
    points=st.lists(
        st.tuples(st.floats(124, 131, allow_nan=False), st.floats(33, 43, allow_nan=False)),
        max_size=40,
    ),
    zoom=st.floats(2, 12),
)
def test_every_grouped_marker_is_within_reach_of_another(points, zoom) -> None:
    frame = _frame(points)
    scale = 512 * 2**zoom / 360.0
    for group in crowded_groups(frame, zoom):
        assert group["incident_id"].nunique() >= MIN_COUNT
        x = group["lon"].to_numpy() * scale
        y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(group["lat"].to_numpy()) / 2))) * scale
        gaps = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
        np.fill_diagonal(gaps, np.inf)
        assert (gaps.min(axis=1) <= RADIUS_PX + 1e-6).all()
