"""The Polars fast path of the place lookup gives what the engine-neutral (Narwhals) path gives.

:func:`ladder.place.enrich.distinct_places` collects every Polars dataset's distinct places in
one query; other engines (DuckDB here) go through :func:`ladder.place.enrich._distinct`. The
lookup built from either must be the same: mappings, counts and the values not found.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl
from polars.testing import assert_frame_equal

from ladder import reference
from ladder.engines import duckdb_connection
from ladder.place.enrich import _distinct, build_lookup, distinct_places


def _records() -> dict[str, pl.DataFrame]:
    lsoas = reference.lsoas()["lsoa21"].cast(pl.String).head(6).to_list()
    postcodes = reference.postcodes()["pcds"].head(4).to_list()
    staff = pl.DataFrame(
        {
            "home_lsoa": [lsoas[0], lsoas[0], lsoas[1].lower(), "E01999999", None, None, None],
            "home_postcode": [None, postcodes[0], None, None, postcodes[1], "ZZ9 9ZZ", None],
        },
        schema={"home_lsoa": pl.String, "home_postcode": pl.String},
    )
    applications = pl.DataFrame(
        {
            "home_lsoa": [lsoas[2], None, None, f" {lsoas[3]} ", "NOTANLSOA"],
            "home_postcode": [postcodes[2], postcodes[3].replace(" ", ""), "X", None, None],
        },
        schema={"home_lsoa": pl.String, "home_postcode": pl.String},
    )
    return {"staff": staff, "applications": applications}


def _polars(frames: dict[str, pl.DataFrame]) -> dict[str, nw.LazyFrame[Any]]:
    return {kind: nw.from_native(frame.lazy()) for kind, frame in frames.items()}


def _duckdb(frames: dict[str, pl.DataFrame]) -> dict[str, nw.LazyFrame[Any]]:
    con = duckdb_connection()
    return {kind: nw.from_native(con.from_arrow(f.to_arrow())) for kind, f in frames.items()}


def _sorted(table: pl.DataFrame) -> pl.DataFrame:
    return table.sort(["home_postcode", "home_lsoa"], nulls_last=True)


def test_the_distinct_places_of_the_fast_path_are_those_of_the_narwhals_path() -> None:
    frames = _polars(_records())
    fast = distinct_places(frames)
    assert list(fast) == ["staff", "applications"]
    for kind, frame in frames.items():
        assert_frame_equal(_sorted(fast[kind]), _sorted(_distinct(frame)))


def test_the_lookup_is_the_same_on_polars_and_duckdb() -> None:
    records = _records()
    fast, neutral = build_lookup(_polars(records)), build_lookup(_duckdb(records))
    for name in ("by_postcode", "by_lsoa", "unmatched_values"):
        assert_frame_equal(getattr(fast, name), getattr(neutral, name))
    assert fast.records == neutral.records == {"staff": 7, "applications": 5}
    assert fast.given == neutral.given == {"staff": 6, "applications": 5}
    assert fast.unmatched == neutral.unmatched == {"staff": 2, "applications": 2}
    assert_frame_equal(fast.mapping, neutral.mapping)
    values = fast.unmatched_values.select("kind", "field", "value").rows()
    assert set(values) == {
        ("staff", "home_lsoa", "E01999999"),
        ("staff", "home_postcode", "ZZ9 9ZZ"),
        ("applications", "home_lsoa", "NOTANLSOA"),
        ("applications", "home_postcode", "X"),
    }


def test_a_lookup_of_no_datasets_is_empty() -> None:
    lookup = build_lookup({})
    assert lookup.records == lookup.given == lookup.unmatched == {}
    assert lookup.unmatched_values.is_empty() and lookup.mapping.is_empty()
