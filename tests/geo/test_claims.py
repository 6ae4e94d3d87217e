"""Claims: tolerances, checks with leave-one-out, solving, the parser and the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import load_catalog, models
from geo.claim_checks import check_claims
from geo.claim_parser import propose_claims, resolve_reference
from geo.claim_solver import Unsolved, solve_position
from geo.claim_tolerance import rounding_km
from geo.geodesy import compass_16
from geo.positions import solve_positions
from tests.conftest import CURATED_DIR, REPO
from tests.geo.reference import GEOD

KEY = "2022-11-02-srbm-south-of-nll"
KEY_FILE = f"incidents/{KEY}.yaml"


@pytest.fixture(scope="module")
def curated():
    return load_catalog(CURATED_DIR)


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(CURATED_DIR, target)
    return target


def _claim(**fields) -> models.Claim:
    return models.Claim(location="impact", source="s", text="t", **fields)


@pytest.mark.parametrize(
    ("fields", "expected_km"),
    [
        ({"distance_km": 26, "place": "x"}, 0.5),
        ({"distance_km": 167, "place": "x"}, 0.5),
        ({"distance_km": 160, "place": "x"}, 5.0),
        ({"distance_km": 100, "place": "x"}, 50.0),
        ({"distance_km": 1.5, "place": "x"}, 0.05),
        ({"distance_km": 167.37, "distance": 104, "unit": "mi", "place": "x"}, 0.5 * 1.609344),
        ({"distance_km": 22.224, "distance": 12, "unit": "nmi", "place": "x"}, 0.5 * 1.852),
    ],
)
def test_rounding_tolerance_is_half_the_last_significant_unit(fields, expected_km) -> None:
    assert rounding_km(_claim(**fields)) == pytest.approx(expected_km)


def _rows(catalog, incident_id: str = KEY) -> list:
    return [row for row in check_claims(solve_positions(catalog)) if row.incident_id == incident_id]


def test_the_three_jcs_claims_and_their_directions_agree(curated) -> None:
    rows = _rows(curated)
    versions = curated.boundary_versions
    nll_versions = set(versions[versions["id"] == "nll_east"]["version"])
    assert len(nll_versions) >= 2  # the East Sea NLL's position is itself uncertain
    # a distance and a direction per place; per version of the line for the NLL claim
    assert len(rows) == 4 + 2 * len(nll_versions)
    assert {r.version for r in rows if r.reference == "nll_east"} == nll_versions
    assert {(r.reference, r.kind) for r in rows} == {
        (ref, kind)
        for ref in ("nll_east", "sokcho", "ulleungdo")
        for kind in ("distance", "direction")
    }
    assert all(r.verdict == "agrees" for r in rows), [
        (r.reference, r.kind, r.verdict) for r in rows
    ]
    assert all("leave-one-out" in r.basis for r in rows)


def test_a_falsified_claim_disagrees_even_when_the_position_is_solved(curated_copy: Path) -> None:
    path = curated_copy / KEY_FILE
    text = path.read_text("utf-8").replace("    distance_km: 57\n", "    distance_km: 157\n", 1)
    path.write_text(text, "utf-8")
    rows = _rows(load_catalog(curated_copy))
    sokcho = next(r for r in rows if r.reference == "sokcho" and r.kind == "distance")
    assert sokcho.stated == "157 km"
    assert sokcho.verdict == "disagrees"
    assert abs(sokcho.difference) > sokcho.tolerance


def test_a_claim_about_an_unknown_reference_is_unverifiable_and_validate_warns(curated_copy):
    path = curated_copy / KEY_FILE
    path.write_text(path.read_text("utf-8").replace("place: sokcho", "place: atlantis"), "utf-8")
    catalog = load_catalog(curated_copy)
    assert any("unknown place 'atlantis'" in p.message for p in catalog.warnings)
    assert not catalog.errors
    rows = [r for r in _rows(catalog) if r.reference == "atlantis"]
    assert {r.verdict for r in rows} == {"unverifiable"}
    # with one claim unusable, the others have fewer than two partners left: unverifiable too
    others = [r for r in _rows(catalog) if r.reference != "atlantis"]
    assert {r.verdict for r in others} == {"unverifiable"}


def test_solving_recovers_a_known_point_within_its_uncertainty(curated) -> None:
    truth = (129.60, 37.95)
    claims = []
    for place_id in ("sokcho", "ulleungdo", "gangneung"):
        place = curated.places[place_id]
        azimuth, _, distance_m = GEOD.inv(place.lon, place.lat, *truth)
        word = {
            "N": "north",
            "NE": "northeast",
            "E": "east",
            "SE": "southeast",
            "S": "south",
            "SW": "southwest",
            "W": "west",
            "NW": "northwest",
        }
        eight = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"][
            int(((azimuth % 360) + 22.5) // 45) % 8
        ]
        claims.append(
            _claim(distance_km=round(distance_m / 1000), direction=word[eight], place=place_id)
        )
    solution = solve_position(claims, [0, 1, 2], curated)
    assert solution, solution
    _, _, error_m = GEOD.inv(solution.lon, solution.lat, *truth)
    assert error_m / 1000 <= 3 * solution.sigma_major_km
    assert error_m < 2000  # rounding to 1 km cannot move it further
    assert compass_16(0.0) == "N"  # the helper used above agrees with the compass module


def test_distances_from_one_place_alone_cannot_fix_a_point(curated) -> None:
    # Every circle is centred on the same place: no direction, no second reference, no point.
    @settings(max_examples=25, deadline=None)
    @given(
        distances=st.lists(st.floats(min_value=1, max_value=300), min_size=2, max_size=4),
        place_id=st.sampled_from(["sokcho", "ulleungdo", "gangneung"]),
    )
    def check(distances: list[float], place_id: str) -> None:
        claims = [_claim(distance_km=round(d, 1), place=place_id) for d in distances]
        result = solve_position(claims, list(range(len(claims))), curated)
        assert isinstance(result, Unsolved), result
        assert result.reason

    check()


def test_a_fixed_location_is_checked_against_its_own_coordinates(curated_copy: Path) -> None:
    incident = "2022-11-02-wonsan-srbm-wave"
    path = curated_copy / "incidents" / f"{incident}.yaml"
    text = path.read_text("utf-8")
    assert "claims:" not in text
    text += (
        "claims:\n"
        "  - {location: launch, source: " + _first_source(text) + ", text: test, "
        "distance_km: 98, direction: south, boundary: nll_east}\n"
    )
    path.write_text(text, "utf-8")
    rows = _rows(load_catalog(curated_copy), incident)
    distance = next(r for r in rows if r.kind == "distance")
    side = next(r for r in rows if r.kind == "direction")
    assert distance.verdict == "agrees"  # Kalma is ~98 km from the line (± 15 km precision)
    assert distance.basis == "place wonsan-kalma"
    assert side.computed == "north"
    assert side.verdict == "disagrees"  # ~98 km north, far beyond its 15 km precision


def _first_source(text: str) -> str:
    return text.split("sources:\n", 1)[1].split("id: ", 1)[1].split("\n", 1)[0].strip()


@pytest.mark.parametrize(
    ("text", "distance_km", "direction", "reference"),
    [
        ("It fell 26 km south of the NLL.", 26, "south", "NLL"),
        ("some 57 kilometers east of Sokcho", 57, "east", "Sokcho"),
        ("167km northwest of Ulleung Island", 167, "northwest", "Ulleung Island"),
        ("104 miles northwest of Ulleung", 167.372, "northwest", "Ulleung"),
        ("12 nautical miles north of Baengnyeongdo", 22.224, "north", "Baengnyeongdo"),
        ("about 35 miles from Sokcho", 56.327, None, "Sokcho"),
        ("NLL 이남 26㎞", 26, "south", "NLL"),
        ("속초 동방 57㎞", 57, "east", "속초"),
        ("속초에서 동쪽으로 57㎞", 57, "east", "속초"),
        ("울릉도 서북방 167㎞", 167, "northwest", "울릉도"),
        ("울릉도에서 서북방으로 167㎞", 167, "northwest", "울릉도"),
    ],
)
def test_parser_patterns(text: str, distance_km: float, direction, reference: str) -> None:
    (proposal,) = propose_claims(text)
    assert proposal.distance_km == pytest.approx(distance_km)
    assert proposal.direction == direction
    assert proposal.reference == reference


def test_parser_resolves_references_in_any_language(curated) -> None:
    def resolve(name: str):
        return resolve_reference(name, curated.places, curated.boundary_meta)

    assert resolve("울릉도") == [("place", "ulleungdo")]
    assert resolve("Ulleung Island") == [("place", "ulleungdo")]
    assert set(resolve("NLL")) == {("boundary", "nll_east"), ("boundary", "nll_west")}
    assert resolve("Atlantis") == []


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "claims", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_cli_json_and_strict(curated_copy: Path) -> None:
    # --strict fails exactly when some claim disagrees; the curated record may hold real
    # disagreements (a source contradicting the geometry is a finding, kept and explained).
    result = _cli("--data", str(CURATED_DIR), "--format", "json", "--strict")
    rows = json.loads(result.stdout)
    any_disagrees = any(row["verdict"] == "disagrees" for row in rows)
    assert result.returncode == (1 if any_disagrees else 0), result.stderr
    keys = {
        "incident_id",
        "location",
        "source",
        "text",
        "reference",
        "kind",
        "stated",
        "computed",
        "difference",
        "tolerance",
        "verdict",
    }
    assert keys <= set(rows[0])
    path = curated_copy / KEY_FILE
    path.write_text(
        path.read_text("utf-8").replace("    distance_km: 57\n", "    distance_km: 157\n", 1)
    )
    assert _cli("--data", str(curated_copy), "--strict").returncode == 1
    assert _cli("--data", str(curated_copy)).returncode == 0


def test_cli_table(curated) -> None:
    result = _cli("--data", str(CURATED_DIR))
    lines = result.stdout.splitlines()
    header = lines[0].split()
    assert header[:3] == ["incident_id", "location", "reference"]
    assert header[3:5] == ["version", "kind"]  # the curated nll_east has versions
    # The summary counts what the checks found; computed here, since the record grows.
    verdicts = [row.verdict for row in check_claims(solve_positions(curated))]
    expected = (
        f"{len(verdicts)} checks: {verdicts.count('agrees')} agrees, "
        f"{verdicts.count('disagrees')} disagrees, {verdicts.count('unverifiable')} unverifiable"
    )
    assert lines[-1] == expected
    assert len(lines) == len(verdicts) + 3  # header, rule, one row per check, summary


def test_cli_suggests_claims_from_quotes_without_writing(data_dir: Path) -> None:
    path = data_dir / "incidents" / "2024-05-02-fixture-alert.yaml"
    before = path.read_text("utf-8").replace(
        'text: "Тривога в Одесі."', 'text: "A boat was seen 15 km north of Zmiinyi Island."'
    )
    path.write_text(before, "utf-8")
    result = _cli("--data", str(data_dir), "--suggest")
    assert result.returncode == 0, result.stderr
    assert "place: zmiinyi-island" in result.stdout
    assert "distance_km: 15.0" in result.stdout
    assert path.read_text("utf-8") == before


def test_json_rows_have_the_documented_columns_in_order(curated) -> None:
    from geo.claim_checks import CHECK_COLUMNS

    assert tuple(check_claims(solve_positions(curated))[0].as_dict()) == CHECK_COLUMNS
