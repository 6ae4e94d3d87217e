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
