"""Benchmark: ``ladder reference import-postcodes`` of a national-size NSPL-format CSV.

Generates a synthetic NSPL-layout CSV (default ~2.7 million rows, like the real UK file):
every shipped England and Wales postcode (2.34 M) plus made-up Scottish and Northern Irish
rows, with the NSPL's ~40 columns (filler values), 2 % terminated, a few without LSOA. Then
times, in the same run:

- ladder: ``import_postcodes`` (Polars lazy scan, streaming, keep E&W, write Parquet);
- baseline: plain pandas ``read_csv`` (all columns as text) + ``to_parquet``.

Usage: python bench/bench_postcodes.py [--rows N] [--no-pandas] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import polars as pl

from ladder import reference
from ladder.place.postcodes_import import import_postcodes

FILLER = [
    "pcd", "pcd2", "dointr", "usertype", "oseast1m", "osnrth1m", "osgrdind", "oa21", "cty",
    "ced", "ward", "hlthau", "nhser", "rgn", "pcon", "eer", "teclec", "ttwa", "pct", "itl",
    "park", "oa11", "msoa11", "msoa21", "wz11", "sicbl", "bua22", "ru11ind", "oac11", "lat",
    "long", "lep1", "lep2", "pfa", "imd", "calncv", "icb",
]  # fmt: skip


def synthetic_nspl(rows: int, path: Path) -> None:
    """Write an NSPL-layout CSV of about ``rows`` rows built from the shipped postcodes."""
    ew = reference.postcodes().select(
        "pcds", pl.col("lsoa21").cast(pl.String), pl.col("ltla22").cast(pl.String)
    )
    ew = ew.head(min(rows, ew.height))
    other_n = max(rows - ew.height, 0)
    others = pl.DataFrame({"i": range(other_n)}).select(
        pl.format("ZE{} {}AA", pl.col("i") // 1000 % 99 + 1, pl.col("i") % 10)
        .str.slice(0, 8)
        .alias("pcds"),
        pl.when(pl.col("i") % 4 == 0)
        .then(pl.lit(""))
        .otherwise(pl.format("S01{}", (pl.col("i") % 7000 + 6000).cast(pl.String)))
        .alias("lsoa21"),
        pl.when(pl.col("i") % 4 == 0)
        .then(pl.lit("N09000003"))
        .otherwise(pl.lit("S12000033"))
        .alias("ltla22"),
    )
    frame = pl.concat([ew, others]).with_row_index("n")
    frame = frame.select(
        "pcds",
        pl.when(pl.col("n") % 50 == 0).then(pl.lit("202201")).otherwise(pl.lit("")).alias("doterm"),
        pl.col("ltla22").alias("oslaua"),
        pl.col("ltla22").str.slice(0, 1).replace({"E": "E92000001", "W": "W92000004",
                                                  "S": "S92000003", "N": "N92000002"})
        .alias("ctry"),
        pl.col("lsoa21").alias("lsoa11"),
        pl.when(pl.col("n") % 5000 == 7).then(pl.lit("")).otherwise("lsoa21").alias("lsoa21"),
        *(pl.lit(f"X{i:02d}00000").alias(name) for i, name in enumerate(FILLER)),
    )  # fmt: skip
    frame.write_csv(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = args.out or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        csv = tmp / "nspl_synthetic.csv"
        started = time.perf_counter()
        synthetic_nspl(args.rows, csv)
        size = csv.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows, {size:,.0f} MB in {time.perf_counter() - started:.1f} s"
        )

        summary = import_postcodes(csv, tmp / "ladder")
        print(
            f"ladder import-postcodes: {summary.seconds:6.2f} s  (read {summary.rows_read:,}, "
            f"kept {summary.kept:,}, terminated {summary.terminated:,}, missing LSOA "
            f"{summary.missing_lsoa:,}, not E&W {summary.not_england_wales:,})"
        )
        if not args.no_pandas:
            import pandas as pd

            started = time.perf_counter()
            df = pd.read_csv(csv, dtype=str, keep_default_na=False)
            df.to_parquet(tmp / "pandas.parquet")
            print(f"pandas read_csv+to_parquet: {time.perf_counter() - started:6.2f} s  "
                  f"({len(df):,} rows, no filtering)")  # fmt: skip


if __name__ == "__main__":
    main()
