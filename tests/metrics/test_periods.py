"""A workspace holding two reporting years gives a multi-year series."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import narwhals as nw
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.engines import EngineName, scan
from ladder.metrics.expressions import period_of, polars_period, to_polars
from ladder.metrics.inputs import load
from ladder.metrics.runner import run
from ladder.synth import SynthConfig, generate

runner = CliRunner()


def test_two_periods_in_a_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(workspace)]).exit_code == 0
    for period in (2023, 2024):
        out = tmp_path / f"synth{period}"
        generate(SynthConfig(out=out, orgs=1, staff=600, seed=period, period=period, fmt="parquet"))
        for kind in ("staff", "applications"):
            result = runner.invoke(
                app,
                [
                    "import",
                    str(workspace),
                    kind,
                    str(out / f"{kind}.parquet"),
                    "--period",
                    str(period),
                ],
            )
            assert result.exit_code == 0, result.output
    loaded = load(workspace)
    try:
        results = run(loaded.context, ids=["wres.2", "wres.1"]).results
    finally:
        loaded.close()
    assert {r.period for r in results} == {2023, 2024}
    assert {r.period for r in results if r.id == "wres.2"} == {2023, 2024}
    only_2024 = runner.invoke(
        app, ["metrics", str(workspace), "--period", "2024", "-f", "csv", "-i", "wres.2"]
    )
    assert only_2024.exit_code == 0
    rows = only_2024.stdout.splitlines()[1:]
    assert rows and all(",2024," in row for row in rows)


EDGES = [
    date(2023, 3, 31),
    date(2023, 4, 1),
    date(2024, 2, 29),
    date(2024, 3, 31),
    date(2024, 4, 1),
    date(2024, 12, 31),
    date(2025, 1, 1),
    date(1900, 3, 1),
    date(2100, 4, 1),
]


def _by_month(day: date) -> int:
    """The definition: a date from April on belongs to the year ending next 31 March."""
    return day.year + (1 if day.month > 3 else 0)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_period_of_is_the_year_ending_31_march(day: date) -> None:
    frame = nw.from_native(pl.DataFrame({"d": [day]}).lazy())
    got = frame.select(period_of("d").alias("p")).collect()["p"].to_list()
    assert got == [_by_month(day)]


@pytest.mark.parametrize("engine", [EngineName.polars, EngineName.duckdb, EngineName.spark])
def test_period_of_on_every_engine(engine: EngineName, tmp_path: Path) -> None:
    """The same periods (the leap day, both sides of 1 April, nulls) on each engine, read
    from Parquet as a run reads its datasets."""
    path = tmp_path / "dates.parquet"
    pl.DataFrame({"d": [*EDGES, None]}, schema={"d": pl.Date}).write_parquet(path)
    frame = scan(engine, [path], {"d": pl.Date()})
    got = to_polars(frame.select(period_of("d").alias("p")))["p"].to_list()
    assert got == [*(_by_month(d) for d in EDGES), None]


def test_polars_period_equals_period_of_on_every_date() -> None:
    """The native arithmetic form (what a Polars run reads) gives every date of the years
    -11719 to 10184, and a null, the period :func:`period_of` gives it."""
    days = pl.int_range(-5_000_000, 3_000_000, eager=True).cast(pl.Int32).cast(pl.Date)
    frame = pl.DataFrame({"d": days.append(pl.Series([None], dtype=pl.Date))})
    expected = nw.from_native(frame.lazy()).select(period_of("d").alias("p")).collect()["p"]
    native = frame.select(polars_period("d").alias("p"))["p"]
    assert native.dtype == pl.Int64
    assert native.equals(expected.to_native())
