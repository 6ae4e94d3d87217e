"""The least-squares solver: truth recovered, degenerate claim sets reported, never a crash.

Truth comes from pyproj.Geod (GeographicLib): claims are generated from a known point, so the
solver is judged against the point, not against itself.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import load_catalog, models
from geo.claim_solver import Solution, Unsolved, solve_position
from geo.geodesy import GEOD
from geo.positions import solve_positions
from tests.conftest import FIXTURE_DIR

WORDS = [d.value for d in models.CompassDirection if "-" not in d.value]  # 8-point words


@pytest.fixture(scope="module")
def blacksea():
    return load_catalog(FIXTURE_DIR)


def _claim(**fields) -> models.Claim:
    base = {"location": "site", "source": "fixture-wire", "text": "generated"}
    return models.Claim.model_validate(base | fields)


def _true_claims(catalog, lon: float, lat: float, places: list[str], *, directions: bool):
    """Return the exact claims a careful source would make about (lon, lat), rounded to 1 km."""
    claims = []
    for place_id in places:
        place = catalog.places[place_id]
        azimuth, _, distance_m = GEOD.inv(place.lon, place.lat, lon, lat)
        fields = {"distance_km": round(distance_m / 1000), "place": place_id}
        if directions:
            fields["direction"] = WORDS[int(((azimuth % 360) + 22.5) // 45) % 8]
        claims.append(_claim(**fields))
    return claims


def test_three_places_recover_a_known_point(blacksea) -> None:
    truth = (30.9, 44.6)
    claims = _true_claims(
        blacksea, *truth, ["odesa", "zmiinyi-island", "constanta"], directions=True
    )
    solution = solve_position(claims, [0, 1, 2], blacksea)
    assert isinstance(solution, Solution), solution
    _, _, error_m = GEOD.inv(solution.lon, solution.lat, *truth)
    assert error_m < 2000  # rounding the distances to 1 km cannot move it further
    assert error_m / 1000 <= 3 * solution.sigma_major_km + 1


def test_one_distance_repeated_by_two_outlets_is_degenerate(blacksea) -> None:
    claims = [_claim(distance_km=60, place="zmiinyi-island")] * 2
    result = solve_position(claims, [0, 1], blacksea)
    assert isinstance(result, Unsolved)
    assert not result
    assert re.search(r"one direction only", result.reason)


def test_collinear_references_without_a_direction_are_ambiguous(blacksea) -> None:
    # distances from two places only: the circles meet twice, nothing chooses between the two
    truth = (31.2, 45.6)
    claims = _true_claims(blacksea, *truth, ["odesa", "zmiinyi-island"], directions=False)
    result = solve_position(claims, [0, 1], blacksea)
    assert isinstance(result, Unsolved), result
    assert re.search(r"two positions \d+ km apart fit the claims equally well", result.reason)


def test_a_direction_breaks_the_tie(blacksea) -> None:
    truth = (31.2, 45.6)
    claims = _true_claims(blacksea, *truth, ["odesa", "zmiinyi-island"], directions=True)
    result = solve_position(claims, [0, 1], blacksea)
    assert isinstance(result, Solution), result
    _, _, error_m = GEOD.inv(result.lon, result.lat, *truth)
    assert error_m < 5000


def test_too_few_observations_say_so(blacksea) -> None:
    result = solve_position([_claim(distance_km=60, place="odesa")], [0], blacksea)
    assert isinstance(result, Unsolved)
    assert re.search(r"needs a distance and at least two observations", result.reason)


def test_an_unsolvable_location_is_a_warning_with_a_code(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data_dir)
    path = data_dir / "incidents" / "2024-05-01-fixture-drone.yaml"
    incident = yaml.safe_load(path.read_text("utf-8"))
    incident["locations"][0] = {
        "role": "site",
        "precision_km": 5,
        "solve_from_claims": True,
        "note": "from the two claims",
    }
    incident["claims"] = [
        {**incident["claims"][1], "direction": None},
        {**incident["claims"][1], "direction": None, "text": "60 km from the island"},
    ]
    path.write_text(yaml.safe_dump(incident, allow_unicode=True), "utf-8")
    positions = solve_positions(load_catalog(data_dir))
    (problem,) = positions.problems
    assert problem.code == "unsolved"
    assert re.search(
        r"locations\[0\]: warning: solve_from_claims: .*left unplaced", problem.format()
    )
    located = positions.locations()
    assert math.isnan(located.loc[0, "lon"])  # kept, unplaced: never dropped, never invented


distances = st.floats(min_value=0, max_value=3000, allow_nan=False)
claim_sets = st.lists(
    st.tuples(
        st.sampled_from(["odesa", "zmiinyi-island", "constanta", "fixture_line"]),
        st.one_of(st.none(), distances),
        st.one_of(st.none(), st.sampled_from(WORDS)),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=claim_sets)
def test_any_claim_set_gives_a_solution_or_a_reason(blacksea, specs) -> None:
    claims = []
    for reference, distance_km, word in specs:
        if distance_km is None and word is None:
            distance_km = 10.0
        fields = {"distance_km": distance_km}
        if reference == "fixture_line":
            fields |= {"boundary": reference, "direction": "north" if word else None}
        else:
            fields |= {"place": reference, "direction": word}
        claims.append(_claim(**fields))
    result = solve_position(claims, list(range(len(claims))), blacksea)
    if isinstance(result, Solution):
        assert -90 <= result.lat <= 90
        assert -180 <= result.lon <= 180
        assert math.isfinite(result.sigma_major_km)
        assert result.sigma_major_km >= 0
    else:
        assert isinstance(result, Unsolved)
        assert result.reason
