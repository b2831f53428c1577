"""Enrichment at national size: a million synthetic staff records, checked row by row.

The records' home postcodes are sampled (seeded) from the shipped reference postcodes and
mixed with edge cases: lower case, no space, extra spaces, invalid strings, unknown postcodes
of a valid format, nulls, Welsh postcodes (LSOA and local authority, no English IMD decile)
and LSOA 2021 codes given directly (which win over a postcode). The expected values are
computed here, independently of :mod:`ladder.place.enrich`, by plain Polars joins against
:func:`ladder.reference.postcodes` (postcode → LSOA) and :func:`ladder.reference.lsoas`
(LSOA → decile, local authority).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ladder import reference
from ladder.engines import EngineName, duckdb_connection
from ladder.place.enrich import COLUMNS, PlaceLookup, build_lookup, enrich

pytestmark = pytest.mark.slow

ROWS = 1_000_000
SEED = 20_240_401
DUCKDB_SAMPLE = 20_000

# Strings that are not postcodes at all (never found).
INVALID = ["NOT KNOWN", "", "   ", "X", "12345", "N/A", "LS1", "SW1A 1AA 1AA", "??? ???"]
# LSOA strings that are not LSOA 2021 codes (never found; given without a postcode).
BAD_LSOAS = ["E01999999", "W01999999", "NOTANLSOA", "E0100000"]

# The share of rows (by a uniform draw) in each case; the rest are reference postcodes as is.
CASES: list[tuple[str, float]] = [
    ("null", 0.05),
    ("invalid", 0.005),
    ("unknown", 0.005),
    ("lower", 0.10),
    ("nospace", 0.10),
    ("spaces", 0.02),
    ("welsh", 0.03),
    ("lsoa", 0.015),  # LSOA 2021 code given, no postcode
    ("lsoa_and_postcode", 0.005),  # LSOA code given with a postcode elsewhere: LSOA wins
    ("lsoa_messy", 0.003),  # lower case / padded LSOA code
    ("lsoa_welsh", 0.002),
    ("bad_lsoa", 0.002),
]


@dataclass(frozen=True)
class National:
    staff: pl.DataFrame
    expected: pl.DataFrame
    result: pl.DataFrame
    lookup: PlaceLookup


def synthetic_staff(rows: int, seed: int) -> pl.DataFrame:
    """``rows`` staff records: org_code, staff_id, case, home_postcode, home_lsoa."""
    rng = np.random.default_rng(seed)
    postcodes = reference.postcodes().select("pcds", pl.col("lsoa21").cast(pl.String))
    welsh = postcodes.filter(pl.col("lsoa21").str.starts_with("W"))["pcds"]
    lsoa21 = reference.lsoas()["lsoa21"]
    welsh_lsoas = lsoa21.filter(lsoa21.str.starts_with("W"))
    known = postcodes["pcds"]

    def draw(values: pl.Series) -> pl.Series:
        return values.gather(rng.integers(0, values.len(), rows))

    # Unknown postcodes of a valid format: the outward code of a real postcode and an inward
    # code with letters never used in inward codes (C, I, K, M, O, V).
    outwards = draw(known)[:600].str.split(" ").list.first().to_list()
    unknown = pl.Series([f"{o} 9{a}{a}" for o, a in zip(outwards, "CIKMOV" * 100, strict=True)])
    unknown = unknown.filter(~unknown.is_in(known.implode()))
    edges = np.cumsum([share for _, share in CASES])
    which = np.searchsorted(edges, rng.random(rows), side="right")
    labels = pl.Series([name for name, _ in CASES] + ["plain"])
    frame = pl.DataFrame(
        {
            "case": labels.gather(which),
            "pcds": draw(known),
            "welsh": draw(welsh),
            "lsoa": draw(lsoa21),
            "welsh_lsoa": draw(welsh_lsoas),
            "invalid": draw(pl.Series(INVALID)),
            "unknown": draw(unknown),
            "bad_lsoa": draw(pl.Series(BAD_LSOAS)),
        }
    ).with_row_index("i")
    case = pl.col("case")
    home_postcode = (
        pl.when(case.is_in(["null", "lsoa", "lsoa_messy", "lsoa_welsh", "bad_lsoa"]))
        .then(pl.lit(None, pl.String))
        .when(case == "invalid")
        .then("invalid")
        .when(case == "unknown")
        .then("unknown")
        .when(case == "lower")
        .then(pl.col("pcds").str.to_lowercase())
        .when(case == "nospace")
        .then(pl.col("pcds").str.replace(" ", "", literal=True))
        .when(case == "spaces")
        .then(pl.format("  {} ", pl.col("pcds").str.replace(" ", "  ", literal=True)))
        .when(case == "welsh")
        .then("welsh")
        .otherwise("pcds")
    )
    home_lsoa = (
        pl.when(case.is_in(["lsoa", "lsoa_and_postcode"]))
        .then("lsoa")
        .when(case == "lsoa_messy")
        .then(pl.format(" {} ", pl.col("lsoa").str.to_lowercase()))
        .when(case == "lsoa_welsh")
        .then("welsh_lsoa")
        .when(case == "bad_lsoa")
        .then("bad_lsoa")
        .otherwise(pl.lit(None, pl.String))
    )
    return (
        frame.select(
            pl.format("R{}", (pl.col("i") % 211 + 100).cast(pl.String)).alias("org_code"),
            pl.format("S{}", pl.col("i")).alias("staff_id"),
            "case",
            home_postcode.alias("home_postcode"),
            home_lsoa.alias("home_lsoa"),
        )
        # Shuffle so that no case sits in a block of its own.
        .sample(fraction=1.0, shuffle=True, seed=seed)
    )


def expected_places(staff: pl.DataFrame) -> pl.DataFrame:
    """staff_id → expected lsoa21, imd_decile, imd_quintile, local_authority, given, found."""
    postcodes = reference.postcodes().select(
        pl.col("pcds").alias("_pcds"), pl.col("lsoa21").cast(pl.String).alias("_lsoa_pc")
    )
    lsoas = reference.lsoas().select(
        pl.col("lsoa21").cast(pl.String),
        pl.col("imd2019_decile").cast(pl.Int64).alias("imd_decile"),
        pl.col("ltla22").cast(pl.String).alias("local_authority"),
    )
    known_lsoas = lsoas["lsoa21"]
    bare = pl.col("home_postcode").str.to_uppercase().str.replace_all(r"\s", "")
    given_lsoa = pl.col("home_lsoa").str.strip_chars().str.to_uppercase()
    out = (
        staff.with_columns(
            bare.str.replace(r"^(.+)(.{3})$", "$1 $2").alias("_pcds"),
            pl.when(given_lsoa.is_in(known_lsoas.implode())).then(given_lsoa).alias("_lsoa_given"),
        )
        .join(postcodes, on="_pcds", how="left")
        .with_columns(
            pl.when(pl.col("home_lsoa").is_not_null())
            .then("_lsoa_given")
            .otherwise("_lsoa_pc")
            .alias("lsoa21")
        )
        .join(lsoas, on="lsoa21", how="left")
    )
    return out.select(
        "staff_id",
        "lsoa21",
        "imd_decile",
        ((pl.col("imd_decile") + 1) // 2).alias("imd_quintile"),
        "local_authority",
        (pl.col("home_postcode").is_not_null() | pl.col("home_lsoa").is_not_null()).alias("given"),
        pl.col("lsoa21").is_not_null().alias("found"),
    )


def run_enrich(staff: pl.DataFrame, engine: EngineName) -> tuple[pl.DataFrame, PlaceLookup]:
    polars = engine is EngineName.polars
    native: Any = staff.lazy() if polars else duckdb_connection().from_arrow(staff.to_arrow())
    frame: nw.LazyFrame[Any] = nw.from_native(native)
    lookup = build_lookup({"staff": frame})
    result = enrich(frame, engine, lookup).collect("polars").to_native()
    return result, lookup


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[National]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LADDER_REFERENCE_DIR", str(tmp_path_factory.mktemp("user-reference")))
        staff = synthetic_staff(ROWS, SEED)
        result, lookup = run_enrich(staff, EngineName.polars)
        yield National(staff, expected_places(staff), result, lookup)


def compared(national: National) -> pl.DataFrame:
    got = national.result.select("staff_id", "case", *COLUMNS)
    return got.join(national.expected, on="staff_id", how="left", suffix="_expected")


def test_the_synthetic_data_holds_every_case(national: National) -> None:
    counts = dict(national.staff["case"].value_counts().iter_rows())
    assert national.staff.height == ROWS
    assert national.staff["staff_id"].n_unique() == ROWS
    for name, _ in CASES:
        assert counts.get(name, 0) >= 1_000, name
    assert national.expected.filter(pl.col("lsoa21").str.starts_with("W")).height >= 30_000


def test_no_rows_dropped_or_duplicated(national: National) -> None:
    result = national.result
    assert result.height == ROWS
    assert result["staff_id"].n_unique() == ROWS
    assert result["staff_id"].sort().equals(national.staff["staff_id"].sort())
    # The input columns come through unchanged.
    assert_frame_equal(
        result.select(national.staff.columns).sort("staff_id"),
        national.staff.sort("staff_id"),
    )


def test_every_row_matches_an_independent_join(national: National) -> None:
    both = compared(national)
    for column in COLUMNS:
        wrong = both.filter(pl.col(column).ne_missing(pl.col(f"{column}_expected")))
        assert wrong.height == 0, (
            f"{wrong.height:,} rows with a different {column}, e.g.\n"
            f"{wrong.join(national.staff, on='staff_id').head(10)}"
        )
    matched = both.filter(pl.col("imd_decile").is_not_null())
    assert matched.height > 0.8 * ROWS


def test_unmatched_counts(national: National) -> None:
    expected = national.expected
    given = expected.filter("given").height
    not_found = expected.filter(pl.col("given") & ~pl.col("found")).height
    assert national.lookup.given["staff"] == given
    assert national.lookup.unmatched["staff"] == not_found
    cases = (
        compared(national)
        .group_by("case")
        .agg(pl.len().alias("n"), pl.col("lsoa21").is_null().sum().alias("missing"))
    )
    missing = dict(cases.select("case", "missing").iter_rows())
    rows = dict(cases.select("case", "n").iter_rows())
    # Invalid and unknown postcodes, bad LSOA codes and nulls are never found; the rest always.
    for case in ("null", "invalid", "unknown", "bad_lsoa"):
        assert missing[case] == rows[case], case
    for case in set(rows) - {"null", "invalid", "unknown", "bad_lsoa"}:
        assert missing[case] == 0, case
    assert not_found == rows["invalid"] + rows["unknown"] + rows["bad_lsoa"]
    assert given == ROWS - rows["null"]


def test_quintile_follows_decile(national: National) -> None:
    result = national.result
    decile, quintile = pl.col("imd_decile"), pl.col("imd_quintile")
    assert result.filter(decile.is_not_null() & (quintile != (decile + 1) // 2)).height == 0
    assert result.filter(decile.is_null() != quintile.is_null()).height == 0
    assert set(result["imd_decile"].drop_nulls().unique().to_list()) == set(range(1, 11))
    assert set(result["imd_quintile"].drop_nulls().unique().to_list()) == set(range(1, 6))


def test_welsh_rows_have_a_place_but_no_english_decile(national: National) -> None:
    welsh = compared(national).filter(pl.col("case").is_in(["welsh", "lsoa_welsh"]))
    assert welsh.height > 0
    assert welsh["lsoa21"].str.starts_with("W01").all()
    assert welsh["local_authority"].str.starts_with("W06").all()
    assert welsh["imd_decile"].null_count() == welsh.height
    assert welsh["imd_quintile"].null_count() == welsh.height
    # And every row placed in Wales, whatever the case, is like that; every English one has a
    # decile.
    result = national.result
    in_wales = result.filter(pl.col("lsoa21").str.starts_with("W"))
    assert in_wales["imd_decile"].null_count() == in_wales.height
    in_england = result.filter(pl.col("lsoa21").str.starts_with("E"))
    assert in_england["imd_decile"].null_count() == 0
    assert in_england["local_authority"].str.starts_with("E").all()


def test_a_given_lsoa_wins_over_the_postcode(national: National) -> None:
    rows = (
        national.staff.filter(pl.col("case") == "lsoa_and_postcode")
        .join(national.result.select("staff_id", "lsoa21"), on="staff_id")
        .join(
            reference.postcodes().select(
                pl.col("pcds").alias("home_postcode"),
                pl.col("lsoa21").cast(pl.String).alias("postcode_lsoa"),
            ),
            on="home_postcode",
            how="left",
        )
    )
    assert rows.height > 0
    assert (rows["lsoa21"] == rows["home_lsoa"]).all()
    # Most of them point elsewhere than their postcode does, so the test tells the two apart.
    assert (rows["postcode_lsoa"] != rows["home_lsoa"]).sum() > 0.9 * rows.height


def test_duckdb_sample_gives_the_same_output_as_polars(national: National) -> None:
    sample = national.staff.head(DUCKDB_SAMPLE)
    assert sample["case"].n_unique() == len(CASES) + 1
    on_polars, lookup_polars = run_enrich(sample, EngineName.polars)
    on_duckdb, lookup_duckdb = run_enrich(sample, EngineName.duckdb)
    assert on_duckdb.height == DUCKDB_SAMPLE
    assert_frame_equal(on_duckdb.sort("staff_id"), on_polars.sort("staff_id"))
    assert lookup_duckdb.unmatched == lookup_polars.unmatched
    assert lookup_duckdb.given == lookup_polars.given
