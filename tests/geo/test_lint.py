"""The fact-check warnings: each fires on a small fixture, says how far and why, and can be
acknowledged with a reason (then it prints only with ``validate --all``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from geo import load_catalog
from geo.lint import review_problems
from geo.positions import solve_positions
from tests.conftest import FIXTURE_DIR, REPO

DRONE = "2024-05-01-fixture-drone"


def _dir_with(tmp_path: Path, edit) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data_dir)
    path = data_dir / "incidents" / f"{DRONE}.yaml"
    incident = yaml.safe_load(path.read_text("utf-8"))
    edit(incident)
    path.write_text(yaml.safe_dump(incident, allow_unicode=True, sort_keys=False), "utf-8")
    return data_dir


def _warnings(data_dir: Path, code: str) -> list[str]:
    problems = review_problems(solve_positions(load_catalog(data_dir)))
    return [p.format() for p in problems if p.code == code]


def test_the_fixture_is_clean() -> None:
    problems = review_problems(solve_positions(load_catalog(FIXTURE_DIR)))
    assert problems == []


def _wide_circle(incident: dict) -> None:
    # the drone is 33 km south of the fixture line; a 50 km circle reaches 17 km north of it
    incident["locations"][0]["precision_km"] = 50


def _wrong_side(incident: dict) -> None:
    incident["claims"][0] |= {"direction": "north", "text": "about 20 miles north of the line"}


def _label_says_north(incident: dict) -> None:
    incident["claims"] = incident["claims"][1:]  # no claim about the line any more
    incident["locations"][0]["label"] = "sea north of the Fixture Line"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            _wide_circle,
            r"locations\[0\]: warning: precision circle \(50 km\) reaches 16\.\d km north of "
            r"Fixture line, but claim 0 says south \[precision-crosses-line\]",
        ),
        (
            _wrong_side,
            r"locations\[0\]: warning: position lies 33\.\d km south of Fixture line, but claim 0 "
            r"says north",
        ),
        (
            _label_says_north,
            r"position lies 33\.\d km south of Fixture line, but its label says north",
        ),
    ],
)
def test_a_circle_or_point_across_a_stated_side(tmp_path, edit, expected) -> None:
    warnings = _warnings(_dir_with(tmp_path, edit), "precision-crosses-line")
    assert len(warnings) == 1, warnings
    assert re.search(expected, warnings[0]), warnings[0]


def test_a_stated_distance_without_a_claim(tmp_path) -> None:
    def edit(incident):
        incident["sources"][0]["quotes"][0]["text"] += " It was 15 km east of Odesa."

    (warning,) = _warnings(_dir_with(tmp_path, edit), "unrecorded-claim")
    assert re.search(
        r"sources\[0\]\.quotes\[0\]: warning: says “15 km east of Odesa” \(odesa\)", warning
    )


def test_a_bare_host_url_and_a_circular_via(tmp_path) -> None:
    def edit(incident):
        incident["sources"][0]["url"] = "https://example.org/"
        incident["sources"][0]["quotes"][0]["via"] = "Fixture Wire"

    (host,) = _warnings(_dir_with(tmp_path, edit), "url-without-path")
    assert "sources[0].url: warning: https://example.org/ names a host, not a page" in host
    (via,) = _warnings(_dir_with(tmp_path / "b", edit), "via-is-source")
    assert "sources[0].quotes[0].via: warning: via 'Fixture Wire' is the source itself" in via


def test_a_quoted_source_published_before_the_incident(tmp_path) -> None:
    def edit(incident):
        incident["sources"][0]["published"] = "2024-04-28"

    (warning,) = _warnings(_dir_with(tmp_path, edit), "published-before-incident")
    assert "published 2024-04-28, before the incident (2024-05-01)" in warning


def test_one_day_of_slack_for_time_zones(tmp_path) -> None:
    def edit(incident):
        incident["sources"][0]["published"] = "2024-04-30"

    assert _warnings(_dir_with(tmp_path, edit), "published-before-incident") == []


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "validate", "--data", str(data_dir), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_acknowledged_warning_prints_only_with_all(tmp_path) -> None:
    def edit(incident):
        _wide_circle(incident)
        incident["acknowledged"] = [
            {"warning": "precision-crosses-line", "reason": "the source gives no better position"}
        ]

    data_dir = _dir_with(tmp_path, edit)
    quiet = _cli(data_dir)
    assert quiet.returncode == 0
    assert "precision-crosses-line" not in quiet.stdout
    assert "0 warnings (1 acknowledged)" in quiet.stdout
    loud = _cli(data_dir, "--all")
    assert (
        "[precision-crosses-line, acknowledged: the source gives no better position]" in loud.stdout
    )


def test_an_acknowledgement_that_matches_nothing_is_itself_a_warning(tmp_path) -> None:
    def edit(incident):
        incident["acknowledged"] = [{"warning": "via-is-source", "reason": "old"}]

    (warning,) = _warnings(_dir_with(tmp_path, edit), "unused-acknowledgement")
    assert (
        "acknowledged[0]: warning: acknowledges 'via-is-source', but no such warning fires"
        in warning
    )


def test_every_warning_on_the_curated_data_is_fixed_or_acknowledged() -> None:
    problems = review_problems(solve_positions(load_catalog(REPO / "data")))
    open_warnings = [p.format() for p in problems if p.acknowledged is None]
    assert open_warnings == []


def test_a_figure_read_in_another_unit_is_the_recorded_claim(tmp_path) -> None:
    def edit(incident):
        # the claim reads "20 miles" as statute miles; another wording of the same
        # figure says nautical
        incident["sources"][0]["quotes"][0]["text"] = (
            "It was about 20 nautical miles south of the Fixture Line."
        )

    assert _warnings(_dir_with(tmp_path, edit), "unrecorded-claim") == []


@pytest.mark.parametrize(
    ("outlet", "via"),
    [
        ("Incheon In (Yonhap-based)", "Incheon In"),
        ("Aju Business Daily", "KCNA, as reported by Aju Business Daily"),
    ],
)
def test_a_via_naming_the_outlet_in_other_words(tmp_path, outlet: str, via: str) -> None:
    def edit(incident):
        incident["sources"][0]["outlet"] = outlet
        incident["sources"][0]["quotes"][0]["via"] = via

    assert len(_warnings(_dir_with(tmp_path, edit), "via-is-source")) == 1
