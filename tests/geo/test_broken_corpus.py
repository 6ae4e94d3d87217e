"""The broken-input corpus: every case gets its own clear message; nothing valid is dropped."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from geo import load_catalog
from tests.conftest import FIXTURE_DIR, REPO, TESTS

CORPUS = TESTS / "data" / "broken"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
GOOD = {"2024-05-01-fixture-drone", "2024-05-02-fixture-alert"}
FOLDER = {"incident": "incidents", "boundary": "boundaries"}


def test_the_corpus_has_at_least_30_distinct_cases() -> None:
    assert len({case["file"] for case in CASES}) >= 30
    assert len({case["expect"] for case in CASES}) >= 30


def _with(tmp_path: Path, cases: list[dict]) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, target)
    for case in cases:
        shutil.copy(CORPUS / case["file"], target / FOLDER[case["kind"]] / case["file"])
    return target


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_broken_input_gets_its_own_message(tmp_path: Path, case: dict) -> None:
    catalog = load_catalog(_with(tmp_path, [case]))
    messages = [p.format() for p in catalog.problems]
    matching = [m for m in messages if re.search(case["expect"], m)]
    assert matching, f"expected /{case['expect']}/ in {messages}"
    assert all(case["file"] in m for m in matching), matching  # the message names the file
    assert set(catalog.incidents) >= GOOD, "a valid record was dropped"
    assert "fixture_line" in catalog.boundaries.index
    loaded = case["file"].removesuffix(".yaml") in catalog.incidents
    assert loaded == bool(case.get("loads", False))


def test_a_very_large_file_is_refused_with_its_size(tmp_path: Path) -> None:
    data = _with(tmp_path, [])
    big = data / "incidents" / "2024-09-09-huge.yaml"
    big.write_text("notes: " + "x" * 3_000_000 + "\n", encoding="utf-8")
    messages = [p.format() for p in load_catalog(data).problems]
    assert any(re.search(r"huge\.yaml:1: .*file is 3,000,008 bytes; the limit is 2,000,000", m)
               for m in messages), messages  # fmt: skip


def test_validate_lists_the_whole_corpus_at_once_without_a_traceback(tmp_path: Path) -> None:
    data = _with(tmp_path, CASES)
    result = subprocess.run([sys.executable, "-m", "geo", "validate", "--data", str(data)],
                            capture_output=True, text=True, cwd=REPO, check=False)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    output = result.stdout
    for case in CASES:
        assert re.search(case["expect"], output), case
    summary = output.splitlines()[-1]
    assert re.match(r"^\d+ errors: 4 incidents, 3 places, 1 boundaries loaded", summary), summary
