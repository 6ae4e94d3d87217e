"""Distance to lines and side, checked against the independent GeographicLib reference."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geodesy import densify_path
from geo.nearest import nearest_on_line, prepare_line
from tests.conftest import REPO
from tests.geo.reference import GEOD, points_along, reference_distance_m

# A rhumb line along 38°37′N like the East Sea NLL; a bent geodesic line like the West Sea NLL;
# a line across the antimeridian; a long line in the southern hemisphere.
LINES = {
    "parallel_rhumb": ([[128.36, 38.6167], [132.4, 38.6167]], "rhumb"),
    "bent_geodesic": (
        [
            [126.11, 37.71],
            [126.02, 37.66],
            [125.75, 37.71],
            [125.52, 37.68],
            [125.24, 37.58],
            [125.05, 37.64],
            [124.87, 37.77],
            [124.85, 38.0],
            [124.63, 38.05],
        ],
        "geodesic",
    ),
    "antimeridian": ([[178.5, -17.0], [-178.0, -15.5], [-176.5, -17.5]], "geodesic"),
    "slanted_rhumb": ([[-50.0, -20.0], [-40.0, -10.0]], "rhumb"),
    # a hairpin whose branches are 3.3 km apart: the nearest vertex is often on the wrong branch
    "hairpin": ([[0.0, 0.0], [0.2, 0.0], [0.2, 0.03], [0.0225, 0.03]], "geodesic"),
}


def _tolerance_m(reference_m: float) -> float:
    return max(0.001 * reference_m, 50.0)


@pytest.fixture(scope="module")
def prepared():
    return {
        name: prepare_line([tuple(np.array(vertices).T)], interpolation=interpolation)
        for name, (vertices, interpolation) in LINES.items()
    }


def _check_against_reference(line, name: str, lon: np.ndarray, lat: np.ndarray) -> None:
    vertices, interpolation = LINES[name]
    result = nearest_on_line(line, lon, lat)
    for i in range(lon.size):
        reference = reference_distance_m(lon[i], lat[i], vertices, interpolation)
        error = abs(result.distance_m[i] - reference)
        assert error <= _tolerance_m(reference), (
            name,
            lon[i],
            lat[i],
            result.distance_m[i],
            reference,
        )


@pytest.mark.parametrize("name", sorted(LINES))
def test_random_points_near_the_line_agree_with_geographiclib(prepared, name: str) -> None:
    vertices = np.array(LINES[name][0])
    rng = np.random.default_rng(7)
    centre = vertices.mean(axis=0)
    span = np.ptp(vertices, axis=0) + 1.0
    lon = centre[0] + rng.uniform(-span[0], span[0], 40)
    lat = centre[1] + rng.uniform(-span[1], span[1], 40)
    _check_against_reference(prepared[name], name, (lon + 180) % 360 - 180, lat)


@pytest.mark.parametrize("name", sorted(LINES))
def test_far_points_anywhere_on_earth_agree_with_geographiclib(prepared, name: str) -> None:
    rng = np.random.default_rng(11)
    lon = rng.uniform(-180, 180, 25)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 25)))
    _check_against_reference(prepared[name], name, lon, lat)


def test_between_the_branches_of_a_hairpin(prepared) -> None:
    rng = np.random.default_rng(13)
    lon, lat = rng.uniform(0.0, 0.2, 150), rng.uniform(0.0, 0.03, 150)
    _check_against_reference(prepared["hairpin"], "hairpin", lon, lat)


def test_near_ties_between_distant_parts_are_settled_on_the_ellipsoid() -> None:
    """Two parts, one running north-south and one east-west, nearly equidistant from the points.

    On a sphere the two can swap order (meridians and parallels scale differently); the reported
    distance must still be the ellipsoid's nearest.
    """
    parts = [
        (np.array([0.5, 0.5]), np.array([-2.0, 2.0])),
        (np.array([-2.0, 2.0]), np.array([-0.5, -0.5])),
    ]
    line = prepare_line(parts)
    rng = np.random.default_rng(17)
    offset = rng.uniform(-0.3, 0.3, 200)
    lon, lat = offset + rng.normal(0, 0.004, 200), -offset  # along the diagonal: near-ties
    result = nearest_on_line(line, lon, lat)
    for i in range(lon.size):
        reference = min(
            reference_distance_m(lon[i], lat[i], [[0.5, -2.0], [0.5, 2.0]]),
            reference_distance_m(lon[i], lat[i], [[-2.0, -0.5], [2.0, -0.5]]),
        )
        assert abs(result.distance_m[i] - reference) <= _tolerance_m(reference) / 10


def test_points_in_brazil_measured_to_a_korean_line(prepared) -> None:
    lon = np.array([-47.8828, -43.2, -60.0])
    lat = np.array([-15.7939, -22.9, -3.1])
    _check_against_reference(prepared["parallel_rhumb"], "parallel_rhumb", lon, lat)


def test_known_answer_due_north_of_a_parallel_is_the_meridian_arc(prepared) -> None:
    lat = np.array([38.7, 39.5, 45.0, 38.0, 30.0])
    lon = np.full(lat.size, 130.0)
    result = nearest_on_line(prepared["parallel_rhumb"], lon, lat)
    _, _, meridian = GEOD.inv(lon, lat, lon, np.full(lat.size, 38.6167))
    np.testing.assert_allclose(result.distance_m, meridian, rtol=1e-6, atol=0.5)
    assert list(result.side) == [1, 1, 1, -1, -1]  # left of an eastward walk is north


@pytest.mark.parametrize("name", sorted(LINES))
def test_points_on_the_line_are_at_zero(prepared, name: str) -> None:
    vertices, interpolation = LINES[name]
    on_line = np.vstack(
        [
            points_along(*a, *b, np.linspace(0, 1, 13), interpolation)
            for a, b in itertools.pairwise(vertices)
        ]
    )
    result = nearest_on_line(prepared[name], on_line[:, 0], on_line[:, 1])
    assert result.distance_m.max() < 2.0  # metres: the densified chord is within ~1 m


segment_point = st.tuples(st.sampled_from(sorted(LINES)), st.floats(0.02, 0.98), st.integers(0, 7))


@settings(max_examples=60, deadline=None)
@given(where=segment_point, offset_km=st.floats(0.06, 150.0), left=st.booleans())
def test_side_flips_across_the_line(prepared, where, offset_km: float, left: bool) -> None:
    name, t, segment = where
    vertices, interpolation = LINES[name]
    segment %= len(vertices) - 1
    a, b = vertices[segment], vertices[segment + 1]
    (lon0, lat0), (lon1, lat1) = points_along(
        *a, *b, np.array([t, min(t + 1e-4, 1.0)]), interpolation
    )
    heading, _, _ = GEOD.inv(lon0, lat0, lon1, lat1)
    lon, lat, _ = GEOD.fwd(lon0, lat0, heading + (-90 if left else 90), offset_km * 1000)
    result = nearest_on_line(prepared[name], [lon], [lat])
    # the point may be nearer another part of a bent line; the side is still the side
    reference = reference_distance_m(lon, lat, vertices, interpolation)
    assert abs(result.distance_m[0] - reference) <= _tolerance_m(reference)
    if reference >= 0.99 * offset_km * 1000 and offset_km < 50:
        assert result.side[0] == (1 if left else -1)


@settings(max_examples=40, deadline=None)
@given(
    lon=st.floats(-180, 180, allow_nan=False),
    lat=st.floats(-89.9, 89.9, allow_nan=False),
    name=st.sampled_from(sorted(LINES)),
)
def test_any_point_agrees_with_the_reference(prepared, lon: float, lat: float, name: str) -> None:
    _check_against_reference(prepared[name], name, np.array([lon]), np.array([lat]))


def test_rotating_the_world_about_the_axis_changes_nothing() -> None:
    """The ellipsoid is symmetric about its axis: shift every longitude, get the same answers."""
    vertices = LINES["bent_geodesic"][0]
    rng = np.random.default_rng(3)
    lon = rng.uniform(120, 130, 200)
    lat = rng.uniform(35, 40, 200)
    base = nearest_on_line(prepare_line([tuple(np.array(vertices).T)]), lon, lat)
    for shift in (-170.0, 55.5, 100.0):
        moved = np.array(vertices) + np.array([shift, 0.0])
        moved[:, 0] = (moved[:, 0] + 180) % 360 - 180
        result = nearest_on_line(
            prepare_line([tuple(moved.T)]), (lon + shift + 180) % 360 - 180, lat
        )
        np.testing.assert_allclose(result.distance_m, base.distance_m, rtol=1e-9, atol=1e-3)
        assert (result.side == base.side).all()


def test_reversing_the_line_swaps_sides_and_keeps_distances(prepared) -> None:
    vertices, interpolation = LINES["bent_geodesic"]
    reverse = prepare_line([tuple(np.array(vertices[::-1]).T)], interpolation=interpolation)
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(124, 127, 300), rng.uniform(37, 38.5, 300)
    forward = nearest_on_line(prepared["bent_geodesic"], lon, lat)
    backward = nearest_on_line(reverse, lon, lat)
    np.testing.assert_allclose(backward.distance_m, forward.distance_m, rtol=1e-9, atol=1e-3)
    far_enough = forward.distance_m > 50
    assert (backward.side[far_enough] == -forward.side[far_enough]).all()


def test_beyond_the_ends_of_a_rhumb_parallel_the_side_follows_the_parallel(prepared) -> None:
    lon = np.array([126.0, 127.0, 134.0, 140.0, 134.0, 126.0])
    lat = np.array([38.60, 38.64, 38.60, 38.63, 38.617, 38.6166])
    result = nearest_on_line(prepared["parallel_rhumb"], lon, lat)
    assert list(result.side) == [-1, 1, -1, 1, 1, -1]


def test_missing_coordinates_give_nan_and_empty_input_gives_empty_output(prepared) -> None:
    result = nearest_on_line(prepared["parallel_rhumb"], [np.nan, 130.0], [np.nan, 39.0])
    assert np.isnan(result.distance_m[0])
    assert result.side[0] == 0
    assert np.isfinite(result.distance_m[1])
    empty = nearest_on_line(prepared["parallel_rhumb"], [], [])
    assert empty.distance_m.size == 0


def test_densify_keeps_published_vertices_and_declared_path() -> None:
    lon, lat = densify_path([128.36, 132.4], [38.6167, 38.6167], interpolation="rhumb")
    assert lon[0] == 128.36
    assert lon[-1] == 132.4
    np.testing.assert_allclose(lat, 38.6167, atol=1e-9)  # a rhumb parallel stays on it
    glon, glat = densify_path([128.36, 132.4], [38.6167, 38.6167], interpolation="geodesic")
    assert glat.max() > 38.63  # the geodesic bulges poleward: ~1.9 km at mid-span
    _, _, steps = GEOD.inv(glon[:-1], glat[:-1], glon[1:], glat[1:])
    assert steps.max() <= 5000.0 + 1e-6


def test_densify_rejects_unknown_interpolation() -> None:
    with pytest.raises(ValueError, match="interpolation must be 'geodesic' or 'rhumb'"):
        densify_path([0, 1], [0, 0], interpolation="straight")


@pytest.mark.parametrize("name", sorted(LINES))
def test_near_the_line_the_engine_is_within_a_millionth(prepared, name: str) -> None:
    """Well inside the contract: 1e-6 relative, or 0.5 m (the sag of a 5 km densified chord of a
    rhumb line), against the brute-force GeographicLib reference, up to ~300 km out."""
    vertices, interpolation = LINES[name]
    rng = np.random.default_rng(19)
    centre = np.array(vertices).mean(axis=0)
    lon = (centre[0] + rng.uniform(-2.5, 2.5, 30) + 180) % 360 - 180
    lat = centre[1] + rng.uniform(-2.5, 2.5, 30)
    result = nearest_on_line(prepared[name], lon, lat)
    for i in range(lon.size):
        reference = reference_distance_m(lon[i], lat[i], vertices, interpolation)
        assert abs(result.distance_m[i] - reference) <= max(1e-6 * reference, 0.5), (lon[i], lat[i])


@settings(max_examples=200, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89.99, 89.99),
    azimuth=st.floats(0, 360),
    distance_m=st.floats(1.0, 1_000_000.0),
)
def test_the_kernels_ellipsoidal_length_matches_geographiclib(lon, lat, azimuth, distance_m):
    """The Simpson rule on the conformal sphere against pyproj.Geod, up to 1,000 km."""
    from geo.nearest_kernel import simpson3, unit

    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, distance_m)
    _, _, truth = GEOD.inv(lon, lat, lon2, lat2)
    p, f = np.array(unit(lon, lat)), np.array(unit(lon2, lat2))
    theta = 2.0 * np.arcsin(min(np.linalg.norm(p - f) / 2.0, 1.0))
    assert abs(simpson3(*p, *f, theta) - truth) <= max(2e-8 * truth, 1e-4)


def test_a_line_across_the_antimeridian_seen_from_both_sides(prepared) -> None:
    lon = np.array([179.9, -179.9, 178.0, -177.0])
    lat = np.array([-16.0, -16.0, -16.5, -16.2])
    result = nearest_on_line(prepared["antimeridian"], lon, lat)
    for i in range(lon.size):
        reference = reference_distance_m(lon[i], lat[i], *LINES["antimeridian"])
        assert abs(result.distance_m[i] - reference) <= max(1e-6 * reference, 0.5)


def test_an_unbuilt_kernel_says_how_to_build_it() -> None:
    """A checkout where `make` has not compiled the kernel fails with the command to run."""
    probe = "import sys; sys.modules['geo.nearest_kernel'] = None; import geo.nearest"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "make kernel" in done.stderr
    assert "geo/nearest_kernel.pyx" in done.stderr


@settings(max_examples=200, deadline=None)
@given(
    n_segments=st.integers(1, 1200),
    wiggle=st.floats(0.0, 0.015),
    lat0=st.floats(-80, 80),
)
def test_every_sphere_of_the_tree_holds_what_it_covers(n_segments, wiggle, lat0) -> None:
    """The search skips a node only when its sphere is too far: each leaf's sphere must hold
    every point of its arcs (ends plus sag), each inner sphere its children's spheres, for
    every number of segments (leaves at different depths once misplaced some ends: 34, 66,
    130-136, 258-264 segments ...)."""
    lon = 10.0 + 0.018 * np.arange(n_segments + 1)  # ~1.6 km apart: one segment each
    lat = lat0 + wiggle * np.sin(np.arange(n_segments + 1) * 1.3)
    line = prepare_line([(lon, lat)])
    assert line.n_segments == n_segments
    tree = line.tree
    leaves = np.flatnonzero(tree.leaf)
    # every segment belongs to exactly one leaf
    covered = np.concatenate(
        [tree.order[tree.start[k] : tree.start[k] + tree.count[k]] for k in leaves]
    )
    assert np.array_equal(np.sort(covered), np.arange(n_segments))
    owner = np.concatenate([np.full(tree.count[k], k) for k in leaves])
    a, b = line.vectors[line.seg_a[covered]], line.vectors[line.seg_b[covered]]
    sag = 1.0 - np.sqrt(1.0 - np.sum((b - a) ** 2, axis=1) / 4.0)
    for end in (a, b):
        reach = np.linalg.norm(end - tree.centre[owner], axis=1) + sag
        outside = np.flatnonzero(reach > tree.radius[owner])
        assert outside.size == 0, (owner[outside], (reach - tree.radius[owner])[outside])
    inner = np.flatnonzero(~tree.leaf)
    for kid in (tree.start[inner], tree.start[inner] + 1):
        reach = np.linalg.norm(tree.centre[kid] - tree.centre[inner], axis=1) + tree.radius[kid]
        assert (reach <= tree.radius[inner] * (1 + 1e-12)).all()
