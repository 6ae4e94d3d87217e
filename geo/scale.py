"""Measuring on a Dask cluster: the same columns as the single-machine path, partition by partition.

:func:`enrich_partitioned` reads partitioned Parquet (a directory or a glob; GeoParquet through
dask-geopandas), sends the prepared :class:`~geo.measure.MeasureContext` to every worker once
(``Client.scatter(..., broadcast=True)``: the lines, trees and coastline are built once, on the
client, never per partition) and runs :func:`geo.points.measure_table` on each partition, which
the task writes straight to ``OUT/part.N.parquet``. Nothing but row counts and the rows'
problems comes back to the client, so memory is bounded by the partition size, not the data.

Dask moves pickled Python between client, scheduler and workers: connect only to a scheduler you
trust, and use TLS (``tls://``, with certificates) beyond localhost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from geo.export import write_table
from geo.measure import MeasureContext
from geo.points import POINT_PROBLEM, PointsError, PointsSpec, input_files, measure_table

__all__ = ["PartitionResult", "enrich_partitioned"]

log = logging.getLogger(__name__)

_PROBLEMS_PER_PARTITION = 1000


@dataclass(frozen=True)
class PartitionResult:
    """What one partition's task reports back: its file, row count and bad rows (capped)."""

    path: str
    rows: int
    bad_rows: int
    problems: list[tuple[int, str]]


def _measure_partition(
    frame: pd.DataFrame, context: MeasureContext, spec: PointsSpec, path: str
) -> PartitionResult:
    """Measure one partition and write it; runs on a worker."""
    for _, geometry in context.zones:
        shapely.prepare(geometry)  # lost when pickled; kept on the worker's copy from then on
    measured = measure_table(context, frame, spec, source=path)
    write_table(measured, path)
    problem = measured[POINT_PROBLEM].to_numpy()
    rows = [i for i, text in enumerate(problem) if text]
    return PartitionResult(
        path=path,
        rows=len(measured),
        bad_rows=len(rows),
        problems=[(i, problem[i]) for i in rows[:_PROBLEMS_PER_PARTITION]],
    )


def _read(files: list[Path]):
    """Return the partitions, with the same column types pandas gives the single-machine path
    (Dask's own string conversion off)."""
    import dask
    import pyarrow.parquet as pq

    with dask.config.set({"dataframe.convert-string": False}):
        return _read_parquet(files, pq)


def _read_parquet(files: list[Path], pq):
    if any(f.suffix.lower() != ".parquet" for f in files):
        raise PointsError("--engine dask reads Parquet (a directory, a glob or a file)")
    paths = [str(f) for f in files]
    if b"geo" in (pq.read_schema(files[0]).metadata or {}):
        import dask_geopandas

        return dask_geopandas.read_parquet(paths)
    import dask.dataframe as dd

    return dd.read_parquet(paths)


def enrich_partitioned(
    context: MeasureContext,
    source: str,
    spec: PointsSpec,
    out_dir: str | Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[PartitionResult]:
    """Measure partitioned Parquet on Dask and write ``out_dir/part.N.parquet``, one per partition.

    Parameters
    ----------
    context : MeasureContext
        Prepared once here, then broadcast to the workers.
    source : str
        A directory of Parquet files, a glob, or one Parquet file.
    spec : PointsSpec
        Which columns hold the position and the precision.
    out_dir : path-like
        Created if missing; existing ``part.*.parquet`` files in it are replaced.
    scheduler : str, optional
        Address of a running scheduler (``tcp://HOST:PORT``); default: a LocalCluster.
    workers : int
        Worker processes of the LocalCluster (one thread each).
    progress, on_total : callable, optional
        Called with 1 per finished partition, and once with the number of partitions.

    Returns
    -------
    list of PartitionResult
        In partition order.
    """
    from dask import delayed
    from distributed import Client, LocalCluster, as_completed

    frame = _read(input_files(source))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part.*.parquet"):
        old.unlink()
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=None, processes=True
        )
    client = Client(scheduler or cluster)
    try:
        shared = client.scatter(context, broadcast=True)
        parts = frame.to_delayed()
        if on_total is not None:
            on_total(len(parts))
        tasks = [
            delayed(_measure_partition)(part, shared, spec, str(out / f"part.{i}.parquet"))
            for i, part in enumerate(parts)
        ]
        futures = client.compute(tasks)
        for _ in as_completed(futures):
            if progress is not None:
                progress(1)
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results
