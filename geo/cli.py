"""Command-line interface: ``python -m geo validate|enrich|claims|bench|schema``.

Results go to stdout; diagnostics and progress to stderr. Errors in the data are reported as
``path:line: record-id: field: message`` lines, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.catalog import load_catalog

__all__ = ["main"]


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="data directory (default: $SEAMARK_DATA, then data/)",
    )


def _cmd_validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.data)
    for problem in catalog.problems:
        print(problem.format())
    print(catalog.summary())
    return 1 if catalog.errors else 0


def _progress_bar(total: int, description: str, *, min_total: int = 50_000):
    """Return a tqdm bar on stderr, shown when there are at least ``min_total`` rows."""
    from tqdm import tqdm

    return tqdm(
        total=total, desc=description, unit="row", file=sys.stderr, disable=total < min_total
    )


def _report_rejected(catalog) -> None:
    for problem in catalog.problems:
        print(problem.format(), file=sys.stderr)
    if catalog.errors:
        print(f"{catalog.summary()} (rejected records are left out)", file=sys.stderr)


def _cmd_enrich(args: argparse.Namespace) -> int:
    from geo.export import ExportError, densified_boundaries, write_table
    from geo.measure import enrich_locations, prepare_context

    catalog = load_catalog(args.data)
    _report_rejected(catalog)
    context = prepare_context(catalog)
    n_rows = sum(len(incident.locations) for incident in catalog.incidents.values())
    with _progress_bar(n_rows, "enrich") as bar:
        enriched = enrich_locations(catalog, context, progress=bar.update)
    try:
        path = write_table(enriched, args.out)
        print(f"{path}: {len(enriched)} locations of {len(catalog.incidents)} incidents")
        if args.boundaries_out:
            boundaries = densified_boundaries(catalog)
            path = write_table(boundaries, args.boundaries_out)
            print(f"{path}: {len(boundaries)} boundaries (lines densified)")
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    import time

    from geo.bench import format_report, run_bench
    from geo.measure import prepare_context

    catalog = load_catalog(args.data)
    start = time.perf_counter()
    context = prepare_context(catalog)
    prepare_s = time.perf_counter() - start
    print(f"benchmarking {args.n:,} locations against {catalog.summary()}", file=sys.stderr)
    result = run_bench(
        context,
        n=args.n,
        prepare_s=prepare_s,
        repeat=args.repeat,
        sample=args.baseline_rows,
        progress_factory=lambda total, name: _progress_bar(total, name, min_total=1),
    )
    for line in format_report(result):
        print(line)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from geo.schema import SCHEMA_FILES, incident_schema, schema_text

    if args.write:
        directory = Path(args.write)
        directory.mkdir(parents=True, exist_ok=True)
        for name, build in SCHEMA_FILES.items():
            (directory / name).write_text(schema_text(build()), encoding="utf-8")
            print(f"wrote {directory / name}", file=sys.stderr)
    else:
        sys.stdout.write(schema_text(incident_schema()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m geo``."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check every curated file; exit 1 on errors")
    _add_data_option(validate)
    validate.set_defaults(run=_cmd_validate)

    enrich = commands.add_parser(
        "enrich", help="measure every incident location; write one row per location"
    )
    _add_data_option(enrich)
    enrich.add_argument(
        "--out", metavar="FILE", required=True, help="output: .geojson, .gpkg, .csv or .parquet"
    )
    enrich.add_argument(
        "--boundaries-out", metavar="FILE", help="also write the densified boundaries measured"
    )
    enrich.set_defaults(run=_cmd_enrich)

    bench = commands.add_parser("bench", help="time enrichment against a row-by-row baseline")
    _add_data_option(bench)
    bench.add_argument("--n", type=int, default=1_000_000, help="synthetic locations (1,000,000)")
    bench.add_argument("--repeat", type=int, default=3, help="vectorised runs; the median counts")
    bench.add_argument(
        "--baseline-rows", type=int, default=300, help="rows timed row by row, then extrapolated"
    )
    bench.set_defaults(run=_cmd_bench)

    schema = commands.add_parser("schema", help="print the JSON Schema of an incident file")
    schema.add_argument(
        "--write", metavar="DIR", help="write every schema file into DIR (e.g. data/schema)"
    )
    schema.set_defaults(run=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    return args.run(args)
