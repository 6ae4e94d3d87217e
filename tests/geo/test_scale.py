"""--engine dask: the same columns as the single-machine path, on a LocalCluster and on a real
scheduler with two workers started as separate processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.cli import main
from tests.conftest import FIXTURE_DIR, REPO


def _write_partitions(directory: Path, n_files: int = 3, rows: int = 40) -> pd.DataFrame:
    """Write n_files Parquet partitions of positions (some rows broken) and return them all."""
    directory.mkdir(parents=True)
    rng = np.random.default_rng(5)
    frames = []
    for i in range(n_files):
        frame = pd.DataFrame(
            {
                "track": [f"t{i}-{j}" for j in range(rows)],
                "lon": rng.uniform(28, 35, rows),
                "lat": rng.uniform(43, 47, rows),
                "sigma_km": rng.choice([0.1, 3.0, 20.0], rows),
            }
        )
        frame.loc[3, "lat"] = np.nan
        frame.loc[7, "lon"] = 200.0
        frame.to_parquet(directory / f"positions-{i}.parquet", index=False)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _read_parts(directory: Path) -> pd.DataFrame:
    parts = sorted(directory.glob("part.*.parquet"), key=lambda p: int(p.name.split(".")[1]))
    return pd.concat([gpd.read_parquet(p) for p in parts], ignore_index=True)


def _assert_same(dask_out: pd.DataFrame, local_out: pd.DataFrame) -> None:
    assert list(dask_out.columns) == list(local_out.columns)
    assert len(dask_out) == len(local_out)
    for column in local_out.columns:
        if column == "geometry":
            wkb = [shapely.to_wkb(frame.geometry.values) for frame in (dask_out, local_out)]
            assert list(wkb[0]) == list(wkb[1])
            continue
        pd.testing.assert_series_equal(dask_out[column], local_out[column], check_names=True)


def _local_reference(source: Path, tmp_path: Path) -> pd.DataFrame:
    out = tmp_path / "local"
    args = ["enrich", "--data", str(FIXTURE_DIR), "--points", str(source)]
    assert main([*args, "--precision-km", "sigma_km", "--out", str(out)]) == 0
    return _read_parts(out)


def test_dask_local_cluster_matches_the_single_machine_path(tmp_path: Path, capsys) -> None:
    source = tmp_path / "positions"
    frame = _write_partitions(source)
    local = _local_reference(source, tmp_path)
    out = tmp_path / "dask"
    args = ["enrich", "--data", str(FIXTURE_DIR), "--points", str(source / "*.parquet")]
    code = main([*args, "--precision-km", "sigma_km", "--engine", "dask", "--out", str(out)])
    assert code == 0
    captured = capsys.readouterr()
    assert f"{out}: {len(frame)} rows in 3 partitions; 6 with unusable positions" in captured.out
    assert "row 4: lat: missing" in captured.err
    assert "row 8: lon: outside -180..180 (200)" in captured.err
    result = _read_parts(out)
    _assert_same(result, local)
    assert list(result["track"]) == list(frame["track"])
    assert result["fixture_line_km"].notna().sum() == len(frame) - 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask(*args: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    handle = log.open("w")  # closed by _stop
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dask"), *args],
        cwd=REPO,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    process.log_handle = handle
    return process


def _stop(process: subprocess.Popen) -> int:
    """Send SIGTERM and wait; fail the test if the process ignores it."""
    process.terminate()
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"dask process {process.args} did not stop on SIGTERM")
    finally:
        process.log_handle.close()


def _wait_for_workers(address: str, n: int, timeout: float = 120.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


def test_dask_scheduler_and_two_worker_processes(tmp_path: Path, capsys) -> None:
    source = tmp_path / "positions"
    frame = _write_partitions(source, n_files=4, rows=30)
    local = _local_reference(source, tmp_path)
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _dask(
        "scheduler",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-dashboard",
        log=tmp_path / "scheduler.log",
    )
    workers = [
        _dask(
            "worker",
            address,
            "--nthreads",
            "1",
            "--no-dashboard",
            "--local-directory",
            str(tmp_path / f"worker-{i}"),
            "--name",
            f"w{i}",
            log=tmp_path / f"worker-{i}.log",
        )
        for i in range(2)
    ]
    processes = [*workers, scheduler]
    try:
        _wait_for_workers(address, 2)
        out = tmp_path / "cluster"
        args = ["enrich", "--data", str(FIXTURE_DIR), "--points", str(source)]
        args += ["--precision-km", "sigma_km", "--engine", "dask", "--scheduler", address]
        assert main([*args, "--out", str(out)]) == 0
        assert f"{len(frame)} rows in 4 partitions" in capsys.readouterr().out
        _assert_same(_read_parts(out), local)
        from distributed import Client

        with Client(address) as client:  # both workers took part
            assert len(client.scheduler_info()["workers"]) == 2
    finally:
        for process in processes:
            _stop(process)
    # shut down cleanly: SIGTERM ends scheduler and workers without a traceback
    for log in tmp_path.glob("*.log"):
        assert "Traceback" not in log.read_text(encoding="utf-8"), log.read_text("utf-8")
    with socket.socket() as s:  # nothing listens on the scheduler's port any more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
