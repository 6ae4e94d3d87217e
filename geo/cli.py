"""Command-line interface: ``python -m geo validate|enrich|claims|bench|export|schema|map|draft``.

Results go to stdout; diagnostics and progress to stderr. Errors in the data are reported as
``path:line: record-id: field: message`` lines, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.catalog import load_catalog
from geo.positions import Positions, solve_positions

__all__ = ["main"]


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="data directory (default: $SEAMARK_DATA, then data/)",
    )


def _positions(args: argparse.Namespace) -> Positions:
    """Run the first two steps of the pipeline: load and validate, then solve positions."""
    return solve_positions(load_catalog(args.data))


def _cmd_validate(args: argparse.Namespace) -> int:
    from geo.lint import review_problems

    positions = _positions(args)
    problems = review_problems(positions)
    for problem in problems:
        if problem.acknowledged is None or args.all:
            print(problem.format())
    print(positions.catalog.summary(problems))
    return 1 if positions.catalog.errors else 0


def _progress_bar(total: int, description: str, *, min_total: int = 50_000, unit: str = "row"):
    """Return a tqdm bar on stderr, shown when there are at least ``min_total`` rows."""
    from tqdm import tqdm

    return tqdm(
        total=total, desc=description, unit=unit, file=sys.stderr, disable=total < min_total
    )


def _report_rejected(positions: Positions) -> None:
    problems = positions.all_problems
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if positions.catalog.errors:
        print(f"{positions.summary()} (rejected records are left out)", file=sys.stderr)


_SHOWN_PROBLEMS = 20


def _report_bad_rows(source: str, problems: list[tuple[int, str]], total: int, csv: bool) -> None:
    """Print the first bad rows of a source on stderr (1-based rows; CSV: with file lines)."""
    for row, text in problems[:_SHOWN_PROBLEMS]:
        line = f" (line {row + 2})" if csv else ""
        kept = "kept with empty measurements"
        print(f"{source}: row {row + 1}{line}: {text}; {kept}", file=sys.stderr)
    if total > _SHOWN_PROBLEMS:
        print(
            f"{source}: ... and {total - _SHOWN_PROBLEMS:,} more bad rows"
            " (each is named in the column point_problem)",
            file=sys.stderr,
        )


def _precision_value(text: str) -> str | float:
    try:
        return float(text)
    except ValueError:
        return text


def _enrich_points_local(args, context, spec) -> int:
    import pandas as pd

    from geo.export import write_table
    from geo.points import POINT_PROBLEM, input_files, measure_table, read_points

    files = input_files(args.points)
    out = Path(args.out)
    to_dir = out.suffix == ""
    measured_parts, total, bad = [], 0, 0
    for index, file in enumerate(files):
        frame = read_points(file)
        with _progress_bar(len(frame), f"enrich {file.name}") as bar:
            measured = measure_table(context, frame, spec, source=str(file), progress=bar.update)
        problem = measured[POINT_PROBLEM].to_numpy()
        rows = [(i, problem[i]) for i in range(len(problem)) if problem[i]]
        _report_bad_rows(str(file), rows, len(rows), file.suffix.lower() == ".csv")
        total, bad = total + len(measured), bad + len(rows)
        if to_dir:
            write_table(measured, out / f"part.{index}.parquet")
        else:
            measured_parts.append(measured)
    if not to_dir:
        frame = measured_parts[0] if len(measured_parts) == 1 else pd.concat(measured_parts)
        write_table(frame, out)
    print(f"{out}: {total:,} rows from {len(files)} file(s); {bad:,} with unusable positions")
    return 0


def _enrich_points_dask(args, context, spec) -> int:
    from geo.scale import enrich_partitioned

    with _progress_bar(0, "enrich", min_total=0, unit="partition") as bar:
        results = enrich_partitioned(
            context,
            args.points,
            spec,
            args.out,
            scheduler=args.scheduler,
            workers=args.workers,
            progress=bar.update,
            on_total=lambda n: setattr(bar, "total", n),
        )
    for result in results:
        _report_bad_rows(result.path, result.problems, result.bad_rows, csv=False)
    rows = sum(r.rows for r in results)
    bad = sum(r.bad_rows for r in results)
    parts = len(results)
    print(f"{args.out}: {rows:,} rows in {parts} partitions; {bad:,} with unusable positions")
    return 0


def _cmd_enrich_points(args: argparse.Namespace) -> int:
    from geo.export import ExportError
    from geo.measure import prepare_context
    from geo.points import PointsError, PointsSpec

    if args.engine != "dask" and args.scheduler:
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    positions = _positions(args)
    _report_rejected(positions)
    context = prepare_context(positions.catalog)
    spec = PointsSpec(args.lon, args.lat, _precision_value(args.precision_km))
    try:
        if args.engine == "dask":
            return _enrich_points_dask(args, context, spec)
        return _enrich_points_local(args, context, spec)
    except (PointsError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _cmd_enrich(args: argparse.Namespace) -> int:
    from geo.export import ExportError, densified_boundaries, write_table
    from geo.measure import enrich_locations, prepare_context

    if args.points:
        return _cmd_enrich_points(args)
    if args.engine != "local" or args.lon or args.lat or args.precision_km != "0":
        print("error: --engine, --lon, --lat and --precision-km need --points", file=sys.stderr)
        return 2
    positions = _positions(args)
    catalog = positions.catalog
    _report_rejected(positions)
    context = prepare_context(catalog)
    n_rows = sum(len(incident.locations) for incident in catalog.incidents.values())
    with _progress_bar(n_rows, "enrich") as bar:
        enriched = enrich_locations(positions, context, progress=bar.update)
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
        accuracy_sample=args.accuracy_sample,
        progress_factory=lambda total, name: _progress_bar(total, name, min_total=1, unit="run"),
    )
    for line in format_report(result):
        print(line)
    return 0


def _format_table(rows: list[dict], columns: list[str]) -> list[str]:
    def cell(value: object) -> str:
        return "" if value is None else str(value)

    widths = {c: max([len(c), *(len(cell(r[c])) for r in rows)]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        lines.append("  ".join(cell(row[c]).ljust(widths[c]) for c in columns).rstrip())
    return lines


def _suggestions(catalog) -> list[str]:
    """Return YAML snippets of claims the parser finds in quotes that are not yet recorded."""
    import yaml

    from geo.claim_parser import propose_claims, resolve_reference

    lines = []
    for incident in catalog.incidents.values():
        recorded = {(c.boundary or c.place, round(c.distance_km or -1, 1)) for c in incident.claims}
        for source in incident.sources:
            texts = [q.text for q in source.quotes]
            texts += [q.translation.text for q in source.quotes if q.translation]
            for text in texts:
                for proposal in propose_claims(text):
                    targets = resolve_reference(
                        proposal.reference, catalog.places, catalog.boundary_meta
                    )
                    keys = {(t[1], round(proposal.distance_km, 1)) for t in targets}
                    if keys & recorded:
                        continue
                    claim = {
                        "location": "impact",
                        "source": source.id,
                        "text": proposal.text,
                        "distance_km": proposal.distance_km,
                    }
                    if proposal.unit.value != "km":
                        claim |= {"distance": proposal.distance, "unit": proposal.unit.value}
                    if proposal.direction:
                        claim["direction"] = proposal.direction
                    if len(targets) == 1:
                        claim[targets[0][0]] = targets[0][1]
                    else:
                        choices = ", ".join(f"{k}: {i}" for k, i in targets) or "none found"
                        claim["note"] = f"reference {proposal.reference!r}: choose ({choices})"
                    lines.append(f"# {incident.id} (a proposal: check the location and reference)")
                    lines.append(yaml.safe_dump([claim], allow_unicode=True, sort_keys=False))
    return lines


def _cmd_claims(args: argparse.Namespace) -> int:
    from geo.claim_checks import DISAGREES, check_claims

    positions = _positions(args)
    _report_rejected(positions)
    if args.suggest:
        suggestions = _suggestions(positions.catalog)
        print("\n".join(suggestions) if suggestions else "# no new claims found in the quotes")
        return 0
    rows = [check.as_dict() for check in check_claims(positions)]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        columns = [
            "incident_id",
            "location",
            "reference",
            "kind",
            "stated",
            "computed",
            "difference",
            "tolerance",
            "unit",
            "verdict",
        ]
        if any(row["version"] for row in rows):  # a line with versions: one row per version
            columns.insert(columns.index("kind"), "version")
        for line in _format_table(rows, columns):
            print(line)
        counts = {
            v: sum(r["verdict"] == v for r in rows) for v in ("agrees", "disagrees", "unverifiable")
        }
        print(f"{len(rows)} checks: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    if args.strict and any(r["verdict"] == DISAGREES for r in rows):
        return 1
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.export import incidents_geojson

    if not args.out.endswith(".geojson"):
        print(f"error: {args.out}: the incident export is GeoJSON (.geojson)", file=sys.stderr)
        return 2
    positions = _positions(args)
    _report_rejected(positions)
    document = incidents_geojson(positions)
    Path(args.out).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{args.out}: {len(document['features'])} incidents, every field")
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


def _map_request(args: argparse.Namespace, data) -> object:
    """Return the MapRequest the ``map`` arguments describe (raises ValueError subclasses)."""
    from geo.mapframe import parse_bbox
    from geo.mapimage import MapRequest, layer_switches
    from geo.timeline import parse_moment

    offset = data.offset
    start, end = (parse_moment(t, offset) for t in args.time) if args.time else (None, None)
    return MapRequest(
        incident_ids=tuple(args.incident or ()),
        bbox=parse_bbox(args.bbox) if args.bbox else None,
        start=start,
        end=end,
        at=parse_moment(args.at, offset) if args.at else None,
        layers=layer_switches(data.groups, args.layers) if args.layers else {},
        title=args.title,
        width_px=args.width,
        dpi=args.dpi,
        all_versions=args.all_versions,
    )


def _cmd_map(args: argparse.Namespace) -> int:
    from geo.mapimage import MapData, render_map, save_map, write_frames

    positions = _positions(args)
    _report_rejected(positions)
    data = MapData.from_catalog(positions.catalog, positions)
    try:
        request = _map_request(args, data)
        if args.frames:
            paths = write_frames(data, request, count=args.frames, out_dir=args.out)
            print(f"{args.out}: {len(paths) - 1} frames and {paths[-1].name}")
            return 0
        path = save_map(render_map(data, request), args.out, dpi=request.dpi)
    except ValueError as exc:  # MapError, FrameError, MomentError: a clear message, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: map of {len(request.incident_ids) or 'the shown'} incident(s)")
    return 0


def _iso_date(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be YYYY-MM-DD, got {value!r}") from None


def _read_article(name: str) -> bytes:
    from geo.draft import MAX_ARTICLE_BYTES, DraftError

    if name == "-":
        data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    else:
        path = Path(name)
        if not path.is_file():
            raise DraftError(f"{name}: no such file")
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise DraftError(
                f"{name}: {path.stat().st_size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}"
            )
        data = path.read_bytes()
    return data


def _write_drafts(texts: dict[str, str], out: str) -> int:
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    existing = [directory / f"{i}.yaml" for i in texts if (directory / f"{i}.yaml").exists()]
    if existing:
        for path in existing:
            print(f"error: {path} exists; drafts never overwrite a file", file=sys.stderr)
        return 1
    for draft_id, text in texts.items():
        path = directory / f"{draft_id}.yaml"
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        print(path)
    return 0


def _cmd_draft(args: argparse.Namespace) -> int:
    from geo.catalog import data_dir_from_env
    from geo.draft import DraftError, check_drafts, draft_article, draft_yaml

    catalog = load_catalog(args.data)
    try:
        data = _read_article(args.article)
        drafts = draft_article(
            data,
            catalog,
            name=args.article,
            url=args.url,
            outlet=args.outlet,
            published=args.published,
            language=args.language,
        )
    except DraftError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    texts = {draft.id: draft_yaml(draft) for draft in drafts.drafts}
    checked, _ = check_drafts(list(texts.values()), data_dir_from_env(args.data))
    for problem in checked.problems:
        print(problem.format(), file=sys.stderr)
    print(drafts.summary(), file=sys.stderr)
    if args.out:
        status = _write_drafts(texts, args.out)
    else:
        sys.stdout.write("---\n".join(texts.values()))
        status = 0
    return 1 if checked.errors else status


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m geo``."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check every curated file; exit 1 on errors")
    _add_data_option(validate)
    validate.add_argument(
        "--all", action="store_true", help="also print the warnings that records acknowledge"
    )
    validate.set_defaults(run=_cmd_validate)

    enrich = commands.add_parser(
        "enrich",
        help="measure every incident location (or any table of points); one row per location",
    )
    _add_data_option(enrich)
    enrich.add_argument(
        "--out",
        metavar="FILE|DIR",
        required=True,
        help="output: .geojson, .gpkg, .csv or .parquet; a directory (no extension) for"
        " partitioned Parquet",
    )
    enrich.add_argument(
        "--points",
        metavar="FILE|DIR",
        help="measure these positions instead of the incidents: .csv, .parquet (GeoParquet too),"
        " .gpkg, or a directory or glob of Parquet files; every input column is kept",
    )
    enrich.add_argument(
        "--lon",
        metavar="COL",
        help="longitude column (default: lon, longitude, lng, x, or the point geometry)",
    )
    enrich.add_argument("--lat", metavar="COL", help="latitude column (default: lat, latitude, y)")
    enrich.add_argument(
        "--precision-km",
        metavar="COL|KM",
        default="0",
        help="each position's precision radius: a column, or one value in km (default 0)",
    )
    enrich.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="dask: partitioned Parquet in and out, on a LocalCluster or --scheduler",
    )
    enrich.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="a running Dask scheduler (trusted: Dask runs pickled code; TLS beyond localhost)",
    )
    enrich.add_argument(
        "--workers", type=int, default=2, help="LocalCluster worker processes (default 2)"
    )
    enrich.add_argument(
        "--boundaries-out", metavar="FILE", help="also write the densified boundaries measured"
    )
    enrich.set_defaults(run=_cmd_enrich)

    bench = commands.add_parser(
        "bench", help="time the engine against the planar shortcut on the same points"
    )
    _add_data_option(bench)
    bench.add_argument("--n", type=int, default=1_000_000, help="synthetic locations (1,000,000)")
    bench.add_argument("--repeat", type=int, default=3, help="timed runs; medians count")
    bench.add_argument(
        "--accuracy-sample",
        type=int,
        default=200,
        help="points checked against the GeographicLib brute force (200)",
    )
    bench.add_argument(
        "--baseline-rows",
        type=int,
        default=50,
        help="rows timed the row-by-row way (a secondary figure; 50)",
    )
    bench.set_defaults(run=_cmd_bench)

    claims = commands.add_parser(
        "claims", help="check what sources say about positions against the geometry"
    )
    _add_data_option(claims)
    claims.add_argument("--format", choices=["table", "json"], default="table")
    claims.add_argument("--strict", action="store_true", help="exit 1 when any claim disagrees")
    claims.add_argument(
        "--suggest",
        action="store_true",
        help="propose claims found in quote text that are not recorded yet (nothing is written)",
    )
    claims.set_defaults(run=_cmd_claims)

    export = commands.add_parser(
        "export", help="write every field of every incident as GeoJSON (lossless round trip)"
    )
    _add_data_option(export)
    export.add_argument("--out", metavar="FILE", required=True, help="a .geojson file")
    export.set_defaults(run=_cmd_export)

    draft = commands.add_parser(
        "draft", help="draft incident(s) with status draft from a news article (text or HTML)"
    )
    draft.add_argument("article", metavar="ARTICLE", help="a .txt or saved .html file; - for stdin")
    draft.add_argument("--url", help="the article's address (required unless the page gives it)")
    draft.add_argument("--outlet", help="the publication's name (default: the page's site name)")
    draft.add_argument(
        "--published",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="publication date (default: the page's)",
    )
    draft.add_argument("--language", metavar="xx", help="ISO 639-1 code (default: page or script)")
    _add_data_option(draft)
    draft.add_argument(
        "--out",
        metavar="DIR",
        help="write DIR/<id>.yaml (never overwrites); default: YAML on stdout",
    )
    draft.set_defaults(run=_cmd_draft)

    schema = commands.add_parser("schema", help="print the JSON Schema of an incident file")
    schema.add_argument(
        "--write", metavar="DIR", help="write every schema file into DIR (e.g. data/schema)"
    )
    schema.set_defaults(run=_cmd_schema)

    publish = commands.add_parser(
        "map", help="draw a publication map (PNG, SVG or PDF) offline from the bundled basemap"
    )
    _add_data_option(publish)
    publish.add_argument(
        "--incident", nargs="+", metavar="ID", help="incident(s) to show with their claims"
    )
    publish.add_argument(
        "--bbox", metavar="W,S,E,N", help="extent in degrees (default: frame what is shown)"
    )
    publish.add_argument(
        "--layers",
        nargs="+",
        metavar="KEY[=true|false]",
        help="page layer keys without layer_ (incidents arcs uncertainty rings claims labels, "
        "and the boundary layers); bare keys: exactly these; KEY=false: all defaults but this",
    )
    publish.add_argument(
        "--time",
        nargs=2,
        metavar=("START", "END"),
        help="time span shown (data's main offset unless given)",
    )
    publish.add_argument(
        "--at", metavar="TIME", help="draw the map as it stood at TIME (e.g. 2022-11-02T08:54)"
    )
    publish.add_argument(
        "--frames",
        type=int,
        metavar="N",
        help="write N frames through the span and a GIF into --out DIR",
    )
    publish.add_argument(
        "--all-versions", action="store_true", help="draw every version of a boundary line"
    )
    publish.add_argument("--title", help="title (default: the incident's title)")
    publish.add_argument("--width", type=int, default=2000, help="width in pixels (2000)")
    publish.add_argument(
        "--dpi", type=int, default=200, help="resolution (200): print size is width/dpi inches"
    )
    publish.add_argument(
        "--out",
        metavar="FILE|DIR",
        required=True,
        help=".png, .svg or .pdf (a directory with --frames)",
    )
    publish.set_defaults(run=_cmd_map)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    return args.run(args)
