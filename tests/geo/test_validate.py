"""Validation: every rule gives its own message naming file, line, record and field."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import load_catalog
from geo.positions import solve_positions
from tests.conftest import FIXTURE_DIR, REPO, write_incident

GOOD_ID = "2024-05-01-fixture-drone"


def _problems(data_dir: Path) -> list[str]:
    return [problem.format() for problem in load_catalog(data_dir).problems]


def _only_problem(data_dir: Path) -> str:
    problems = _problems(data_dir)
    assert len(problems) == 1, problems
    return problems[0]


def test_fixture_dataset_is_clean_and_not_korean() -> None:
    catalog = load_catalog(FIXTURE_DIR)
    assert catalog.problems == []
    assert set(catalog.incidents) == {GOOD_ID, "2024-05-02-fixture-alert"}
    assert list(catalog.boundaries.index) == ["fixture_line"]
    locations = solve_positions(catalog).locations()
    assert locations.crs.to_epsg() == 4326
    assert locations["lon"].between(28, 34).all()


def _set(incident: dict, path: tuple, value: object) -> None:
    target = incident
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


# Each case: where to put a bad value, the value, and the message expected (regex) on its line.
BREAKAGES = [
    (("locations", 0, "lat"), 123.4, r"locations\[0\]\.lat: must be in \[-90, 90\], got 123\.4"),
    (("locations", 0, "lon"), -200, r"locations\[0\]\.lon: must be in \[-180, 180\], got -200"),
    (("locations", 0, "lat"), "north", r"locations\[0\]\.lat: must be a valid number"),
    (("time",), "2024-05-01T04:10:00", r"time: must carry a UTC offset"),
    (("category",), "missle_launch", r"category: must be 'missile_launch'.*got 'missle_launch'"),
    (("sources", 0, "url"), "javascript:alert(1)", r"sources\[0\]\.url: must be an http\(s\) URL"),
    (("sources", 0, "url"), "data:text/html,x", r"sources\[0\]\.url: must be an http\(s\) URL"),
    (("sources", 0, "quotes", 0, "text"), "", r"quotes\[0\]\.text: must have at least 1 char"),
    (("sources", 0, "quotes", 0, "speaker"), "", r"quotes\[0\]\.speaker: must have at least"),
    (("claims", 1, "place"), "atlantis", r"claims\[1\]\.place: warning: unknown place 'atlantis'"),
    (
        ("claims", 0, "boundary"),
        "no_line",
        r"claims\[0\]\.boundary: warning: unknown boundary 'no_line'",
    ),
    (("claims", 0, "source"), "nope", r"claims\[0\]\.source: unknown source 'nope'"),
    (("claims", 0, "location"), "impact", r"claims\[0\]\.location: no location with role"),
    (("claims", 0, "direction"), "up", r"claims\[0\]\.direction: must be a side of fixture_line"),
    (("related", 0, "id"), "2030-01-01-nothing", r"related\[0\]\.id: unknown incident"),
    (("related", 0, "id"), GOOD_ID, r"related\[0\]\.id: an incident cannot relate to itself"),
    (("related", 0, "relation"), "caused", r"related\[0\]\.relation: must be 'part_of'"),
    (("weapon",), {"type": "SRBM", "count": -1}, r"weapon\.count: must be greater than or"),
    (("colour",), "red", r"colour: unknown field 'colour'"),
    (("sources", 0, "outlett"), "X", r"sources\[0\]\.outlett: unknown field 'outlett'; did you"),
    (("time_precision",), "second", r"time_precision: must be 'minute'"),
    (("locations", 0, "precision_km"), 0, r"locations\[0\]\.precision_km: must be greater than 0"),
]


@pytest.mark.parametrize(("path", "value", "pattern"), BREAKAGES, ids=lambda v: str(v)[:30])
def test_each_rule_reports_file_line_record_and_field(
    data_dir: Path, base_incident: dict, path: tuple, value: object, pattern: str
) -> None:
    _set(base_incident, path, value)
    file = write_incident(data_dir, base_incident)
    message = _only_problem(data_dir)
    assert re.search(pattern, message), message
    where, line = re.match(r"^(.*?):(\d+): ", message).groups()
    assert Path(where).resolve() == file.resolve()
    assert f": {GOOD_ID}: " in message
    text = file.read_text(encoding="utf-8").splitlines()
    field = message.split(f": {GOOD_ID}: ", 1)[1].split(": ", 1)[0]
    key = re.split(r"[.\[\]]+", field.strip("]"))[-1]
    assert key in text[int(line) - 1], f"line {line} is {text[int(line) - 1]!r}, not {key}"


def test_unknown_gazetteer_place_in_a_location(data_dir: Path, base_incident: dict) -> None:
    base_incident["locations"][0] = {"role": "site", "place": "atlantis", "precision_km": 5}
    write_incident(data_dir, base_incident)
    message = _only_problem(data_dir)
    assert re.search(r":10: .*: locations\[0\]\.place: unknown place 'atlantis'", message)


def test_missing_field(data_dir: Path, base_incident: dict) -> None:
    del base_incident["actor"]
    write_incident(data_dir, base_incident)
    assert re.search(rf": {GOOD_ID}: actor: required field is missing$", _only_problem(data_dir))


def test_yaml_syntax_error_names_the_line(data_dir: Path) -> None:
    bad = data_dir / "incidents" / "2024-06-01-broken.yaml"
    bad.write_text("id: 2024-06-01-broken\ntitle: [unclosed\ncategory: other\n", "utf-8")
    message = _only_problem(data_dir)
    assert re.search(
        r"2024-06-01-broken\.yaml:\d+: 2024-06-01-broken: \(file\): YAML syntax", message
    )


def test_non_utf8_and_empty_files(data_dir: Path) -> None:
    (data_dir / "incidents" / "2024-06-02-bytes.yaml").write_bytes(b"id: x\ntitle: \xff\xfe\n")
    (data_dir / "incidents" / "2024-06-03-empty.yaml").write_text("", "utf-8")
    problems = _problems(data_dir)
    assert any(re.search(r"2024-06-02-bytes\.yaml:2: .*not valid UTF-8", p) for p in problems)
    assert any(re.search(r"2024-06-03-empty\.yaml:1: .*the file is empty", p) for p in problems)


def test_duplicate_ids_across_files_are_both_reported(data_dir: Path, base_incident: dict) -> None:
    write_incident(data_dir, base_incident, name="2024-05-09-copy")
    problems = _problems(data_dir)
    assert any("2024-05-09-copy.yaml" in p and "must match the file name" in p for p in problems)
    duplicates = [p for p in problems if "duplicate incident id" in p]
    assert len(duplicates) == 2, problems


def test_duplicate_yaml_key_is_an_error(data_dir: Path) -> None:
    source = (FIXTURE_DIR / "incidents" / f"{GOOD_ID}.yaml").read_text("utf-8")
    (data_dir / "incidents" / f"{GOOD_ID}.yaml").write_text(source + "actor: Someone else\n")
    assert re.search(r":\d+: .*: actor: duplicate key", _only_problem(data_dir))


def test_duplicate_source_ids(data_dir: Path, base_incident: dict) -> None:
    base_incident["sources"].append(dict(base_incident["sources"][0]))
    write_incident(data_dir, base_incident)
    problems = _problems(data_dir)
    assert sum("duplicate source id 'fixture-wire'" in p for p in problems) == 2


def _boundary_file(data_dir: Path) -> Path:
    return data_dir / "boundaries" / "fixture_line.geojson"


def _edit_boundary(data_dir: Path, geometry: dict | None = None, **properties: object) -> None:
    path = _boundary_file(data_dir)
    document = json.loads(path.read_text("utf-8"))
    feature = document["features"][0]
    feature["properties"].update(properties)
    if geometry is not None:
        feature["geometry"] = geometry
    path.write_text(json.dumps(document, indent=2), "utf-8")


@pytest.mark.parametrize(
    ("geometry", "pattern"),
    [
        ({"type": "LineString", "coordinates": [[30, 45], [30, 45]]}, "two distinct vertices"),
        ({"type": "LineString", "coordinates": []}, "geometry is empty"),
        ({"type": "Point", "coordinates": [30, 45]}, "must be a LineString"),
        ({"type": "LineString", "coordinates": [[30, 45], [300, 45]]}, "lon in"),
    ],
)
def test_bad_boundary_geometry(data_dir: Path, geometry: dict, pattern: str) -> None:
    _edit_boundary(data_dir, geometry)
    problems = _problems(data_dir)
    assert any(
        re.search(rf"fixture_line\.geojson:\d+: fixture_line: geometry: .*{pattern}", p)
        for p in problems
    ), problems
    # the claim that needs this boundary now dangles, and says so; nothing crashes
    assert any("unknown boundary 'fixture_line'" in p for p in problems)


def test_self_intersecting_zone_is_invalid(data_dir: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[30, 44], [31, 45], [31, 44], [30, 45], [30, 44]]],
    }
    _edit_boundary(data_dir, bowtie, kind="buffer_zone", side_left=None, side_right=None)
    problems = _problems(data_dir)
    assert any(
        re.search(r"fixture_line: geometry: invalid polygon: Self-intersection", p)
        for p in problems
    ), problems


def test_boundary_property_errors_name_the_property(data_dir: Path) -> None:
    _edit_boundary(data_dir, kind="wall")
    problems = _problems(data_dir)
    assert any(
        re.search(r"fixture_line: properties\.kind: must be 'de_facto_line'", p) for p in problems
    ), problems


def test_bad_files_are_reported_and_good_ones_still_load(data_dir: Path, base_incident: dict):
    base_incident["id"] = "2024-05-07-bad"
    base_incident["locations"][0]["lat"] = 99
    base_incident["related"] = []
    write_incident(data_dir, base_incident)
    (data_dir / "incidents" / "2024-05-08-syntax.yaml").write_text("id: [\n", "utf-8")
    catalog = load_catalog(data_dir)
    assert set(catalog.incidents) == {GOOD_ID, "2024-05-02-fixture-alert"}
    assert set(Path(p).name for p in catalog.rejected_files) == {
        "2024-05-07-bad.yaml",
        "2024-05-08-syntax.yaml",
    }
    assert len(solve_positions(catalog).locations()) == 2


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=REPO, check=False
    )


def test_cli_validate_clean_exits_zero_with_one_line() -> None:
    result = _run_cli("validate", "--data", str(FIXTURE_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith("ok: 2 incidents, 3 places, 1 boundaries")


def test_cli_validate_lists_every_problem_then_the_summary(data_dir: Path, base_incident):
    base_incident["locations"][0]["lat"] = 123.4
    base_incident["sources"][0]["url"] = "javascript:alert(1)"
    write_incident(data_dir, base_incident)
    (data_dir / "incidents" / "2024-05-08-syntax.yaml").write_text("id: [\n", "utf-8")
    result = _run_cli("validate", "--data", str(data_dir))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert all(re.match(r"^[^:]+:\d+: [^:]+: [^:]+: .+", line) for line in lines[:3]), lines
    assert lines[-1].startswith("3 errors: 1 incidents")
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_reads_seamark_data_from_environment(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"SEAMARK_DATA": str(FIXTURE_DIR), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "tests/data/blacksea" in result.stdout


def test_missing_data_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = _run_cli("validate", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "data directory not found" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_duplicated_key_in_the_gazetteer_is_an_error_not_a_silent_overwrite(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data_dir)
    path = data_dir / "places.yaml"
    text = path.read_text("utf-8").replace(
        "  radius_km: 10\n", "  radius_km: 10\n  radius_km: 100\n", 1
    )
    path.write_text(text, "utf-8")
    problems = [p.format() for p in load_catalog(data_dir).errors]
    assert any(
        re.search(r"places\.yaml:\d+: odesa: radius_km: duplicate key: the second value", p)
        for p in problems
    ), problems
