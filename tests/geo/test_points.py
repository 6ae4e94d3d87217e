"""enrich --points: any table of positions, every input column kept, bad rows kept and named."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import load_catalog
from geo.cli import main
from geo.measure import measure_points, prepare_context
from geo.points import POINT_PROBLEM, PointsError, PointsSpec, measure_table
from tests.conftest import FIXTURE_DIR
from tests.geo.reference import reference_distance_m

LINE = [[29.7, 45.0], [33.0, 45.0]]  # the fixture line (rhumb, along 45°N)


@pytest.fixture(scope="module")
def context():
    return prepare_context(load_catalog(FIXTURE_DIR))


def _positions(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "mmsi": [f"{273000000 + i}" for i in range(n)],
            "vessel": [f"ship {i}" for i in range(n)],
            "x": rng.uniform(28, 35, n),
            "y": rng.uniform(43, 47, n),
            "radius": rng.choice([0.5, 2.0, 10.0], n),
        }
    )


def test_points_keep_their_columns_and_match_the_reference(context) -> None:
    frame = _positions(30, 1)
    out = measure_table(context, frame, PointsSpec("x", "y", "radius"))
    assert list(out.columns[: frame.shape[1]]) == list(frame.columns)
    assert (out["vessel"] == frame["vessel"]).all()
    assert (out[POINT_PROBLEM] == "").all()
    assert out.crs.to_epsg() == 4326
    for i in range(len(frame)):
        expected = reference_distance_m(frame.x[i], frame.y[i], LINE, "rhumb") / 1000
        assert out["fixture_line_km"][i] == pytest.approx(expected, rel=1e-6, abs=1e-3)
    np.testing.assert_array_equal(out["fixture_line_km_err"], frame["radius"])
    direct = measure_points(context, frame.x, frame.y, frame.radius)
    pd.testing.assert_frame_equal(
        out[direct.columns].reset_index(drop=True), direct, check_dtype=False
    )


bad_cell = st.one_of(
    st.just(""),
    st.just("   "),
    st.text(alphabet="abc=+-@xyz,;", min_size=1, max_size=6).filter(lambda t: not t.strip("-+")),
    st.floats(allow_nan=False).filter(lambda v: abs(v) > 180).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "12..3", "N/A"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bad=st.lists(st.tuples(st.integers(0, 19), st.sampled_from(["x", "y"]), bad_cell), min_size=1)
)
def test_bad_rows_are_kept_with_empty_measurements_and_named(context, bad) -> None:
    frame = _positions(20, 2).astype({"x": object, "y": object})
    for row, column, value in bad:
        frame.loc[row, column] = value
    out = measure_table(context, frame, PointsSpec("x", "y", 1.0), source="ships.csv")
    assert len(out) == len(frame)
    broken = sorted({row for row, _, _ in bad})
    for row in range(len(frame)):
        problem = out[POINT_PROBLEM][row]
        if row in broken:
            assert problem, (row, frame.loc[row].to_dict())
            assert np.isnan(out["fixture_line_km"][row])
            assert pd.isna(out["nearest_place"][row])
        else:
            assert problem == ""
            assert np.isfinite(out["fixture_line_km"][row])


def test_cli_reports_bad_rows_by_number_and_keeps_every_row(tmp_path: Path, capsys) -> None:
    source = tmp_path / "ships.csv"
    source.write_text(
        "id,name,lon,lat\n007,a,31.0,44.7\n008,b,31.0,abc\n009,c,,44.0\n010,d,31.0,91\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert (
        main(["enrich", "--data", str(FIXTURE_DIR), "--points", str(source), "--out", str(out)])
        == 0
    )
    err = capsys.readouterr().err
    assert f"{source}: row 2 (line 3): lat: not a finite number ('abc')" in err
    assert f"{source}: row 3 (line 4): lon: missing" in err
    assert f"{source}: row 4 (line 5): lat: outside -90..90 (91)" in err
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written["id"]) == ["007", "008", "009", "010"]  # identifiers stay text
    assert written["fixture_line_km"][0] != ""
    assert (written["fixture_line_km"][1:] == "").all()
    assert written[POINT_PROBLEM][0] == ""


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg", ".geoparquet"])
def test_geometry_inputs_parquet_and_geopackage(tmp_path: Path, context, suffix: str) -> None:
    frame = _positions(12, 3)
    points = gpd.GeoDataFrame(
        frame.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(frame.x, frame.y), crs=4326
    ).to_crs(3857)  # read back into EPSG:4326 by the reader
    path = tmp_path / f"ships{suffix.replace('.geoparquet', '.parquet')}"
    if suffix == ".gpkg":
        points.to_file(path, engine="pyogrio")
    elif suffix == ".geoparquet":
        points.to_parquet(path)
    else:
        pd.DataFrame(frame).to_parquet(path)
    out = tmp_path / "out" / "measured.parquet"
    code = main(
        [
            "enrich",
            "--data",
            str(FIXTURE_DIR),
            "--points",
            str(path),
            "--precision-km",
            "radius",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    written = gpd.read_parquet(out)
    assert {"mmsi", "vessel", "radius", "fixture_line_km", POINT_PROBLEM} <= set(written.columns)
    expected = measure_points(context, frame.x, frame.y, frame.radius)
    np.testing.assert_allclose(written["fixture_line_km"], expected["fixture_line_km"], rtol=1e-9)


def test_missing_columns_and_clashing_names_are_clear_errors(context) -> None:
    with pytest.raises(PointsError, match=r"ships\.csv: no a longitude/latitude column"):
        measure_table(context, pd.DataFrame({"a": [1.0]}), PointsSpec(), source="ships.csv")
    with pytest.raises(PointsError, match="no column 'easting'"):
        measure_table(context, _positions(2, 4), PointsSpec("easting", "y"), source="s")
    with pytest.raises(PointsError, match="neither a column nor a number of km"):
        measure_table(context, _positions(2, 4), PointsSpec("x", "y", "radius_km"), source="s")
    clash = _positions(2, 4).assign(coast_km=1.0)
    with pytest.raises(PointsError, match="already has output column"):
        measure_table(context, clash, PointsSpec("x", "y"), source="s")


def test_unknown_input_format_is_refused(tmp_path: Path, capsys) -> None:
    source = tmp_path / "ships.xlsx"
    source.write_text("x", encoding="utf-8")
    code = main(["enrich", "--data", str(FIXTURE_DIR), "--points", str(source), "--out", "o.csv"])
    assert code == 2
    assert "unknown input format '.xlsx'" in capsys.readouterr().err
