"""`python -m geo bench`: the report's contract, on a small real run (timings are not asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_bench_reports_planar_baseline_accuracy_and_ratio_last() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "bench",
            "--n",
            "3000",
            "--repeat",
            "1",
            "--accuracy-sample",
            "40",
            "--baseline-rows",
            "2",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    report = done.stdout
    # the baseline is planar, in a local transverse Mercator chosen from the lines' extent
    assert re.search(r"planar shortcut in \+proj=tmerc \+lat_0=[-\d.]+ \+lon_0=[-\d.]+", report)
    planar = re.search(r"planar \(baseline, '\w+'\): .* = ([\d.]+) s", report)
    engine = re.search(r"engine: setup ([\d.]+) s .* = ([\d.]+) s", report)
    assert planar, report
    assert engine, report
    # the engine's time counts loading its compiled kernel in a fresh process
    assert "compiled kernel loaded and first call in a fresh process" in report
    # both accuracies against GeographicLib, and the engine within the contract
    for name in ("planar near", "engine near", "planar anywhere", "engine anywhere"):
        assert re.search(rf"^  {name}: ", report, re.M), name
    for group in ("near", "anywhere"):
        beyond = re.search(
            rf"^  engine {group}: .*beyond 0\.1 % or 50 m: (\d+) of (\d+)", report, re.M
        )
        assert beyond, report
        assert beyond.group(1) == "0", beyond.group(0)
        assert int(beyond.group(2)) > 0, beyond.group(0)
    # the row-by-row figure is secondary and says so
    assert re.search(r"^secondary, not the baseline: row by row", report, re.M)
    # the last line is the ratio, planar time over engine time
    ratio = re.fullmatch(r"ratio: ([\d.]+)", lines[-1])
    assert ratio, lines[-1]
    # (both times are printed to 0.01 s: the ratio lies within what that rounding allows)
    p, e, r = float(planar.group(1)), float(engine.group(2)), float(ratio.group(1))
    assert (p - 0.005) / (e + 0.005) - 0.005 <= r
    assert e <= 0.005 or r <= (p + 0.005) / (e - 0.005) + 0.005
