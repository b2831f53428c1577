"""Benchmark: place enrichment (home postcode / LSOA → LSOA 2021, IMD decile, local authority).

Builds a national-size synthetic staff table (default 1.5 million rows) whose home postcodes
are sampled from the shipped reference postcodes, in mixed formats (upper case with a space,
lower case, no space), with ~1 % unknown or invalid postcodes, ~5 % null and ~2 % with an
LSOA code given instead, and writes it to Parquet in a temporary folder. Then times, in the
same run, each contender in its own subprocess (so its wall time and peak RSS are its own):

- ladder (polars; duckdb with ``--engines polars,duckdb``): read the Parquet lazily,
  ``build_lookup`` + ``enrich`` + collect, split into reference load, lookup and join;
- baseline: plain pandas — ``read_parquet``, postcodes normalised with pandas string ops,
  ``merge`` with the reference postcodes (converted to pandas), then with the LSOAs for the
  decile and local authority.

Wall times include reading the reference data (each child starts cold, with an empty
``$LADDER_REFERENCE_DIR`` so that the shipped postcodes are used). Prints a table with
ratios against pandas, the agreement of the IMD deciles and whether ladder (polars) met the
3-second target.

Usage: python bench/bench_enrich.py [--rows N] [--engines polars,duckdb] [--repeat 3] [--no-pandas]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

TARGET_SECONDS = 3.0
ORGS = 210


def _peak_gb() -> float:
    """Peak resident set size of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def synthetic_staff(rows: int, path: Path, seed: int = 2024) -> dict[str, int]:
    """Write ``rows`` synthetic staff records to ``path``; return the counts of each case."""
    from ladder import reference

    rng = np.random.default_rng(seed)
    pcds = reference.postcodes()["pcds"]
    lsoa21 = reference.lsoas()["lsoa21"]
    picked = pcds.gather(rng.integers(0, pcds.len(), rows))
    given_lsoa = lsoa21.gather(rng.integers(0, lsoa21.len(), rows))
    case = rng.random(rows)
    # 0-0.05 null, 0.05-0.055 invalid, 0.055-0.06 unknown (valid format), 0.06-0.08 LSOA
    # given (half with a postcode too), 0.08-0.18 lower case, 0.18-0.28 no space, else as is.
    frame = pl.DataFrame({"pcds": picked, "lsoa": given_lsoa, "case": case}).with_row_index("i")
    invalid = pl.format("NOT KNOWN {}", pl.col("i") % 97)
    unknown = pl.format("ZZ{} {}ZZ", pl.col("i") % 89 + 10, pl.col("i") % 9 + 1)
    c = pl.col("case")
    home_postcode = (
        pl.when(c < 0.05)
        .then(pl.lit(None, pl.String))
        .when(c < 0.055)
        .then(invalid)
        .when(c < 0.06)
        .then(unknown)
        .when(c < 0.07)
        .then(pl.lit(None, pl.String))
        .when(c < 0.18)
        .then(pl.col("pcds").str.to_lowercase())
        .when(c < 0.28)
        .then(pl.col("pcds").str.replace(" ", "", literal=True))
        .otherwise(pl.col("pcds"))
    )
    home_lsoa = pl.when((c >= 0.06) & (c < 0.08)).then(pl.col("lsoa")).otherwise(None)
    staff = frame.select(
        pl.format("R{}", (pl.col("i") % ORGS + 100).cast(pl.String)).alias("org_code"),
        pl.format("S{}", pl.col("i")).alias("staff_id"),
        home_postcode.alias("home_postcode"),
        home_lsoa.alias("home_lsoa"),
    )
    staff.write_parquet(path)
    return {
        "null": int((case < 0.05).sum()),
        "invalid or unknown": int(((case >= 0.05) & (case < 0.06)).sum()),
        "lsoa given": int(((case >= 0.06) & (case < 0.08)).sum()),
    }


def run_ladder(path: Path, engine_name: str, out: Path) -> dict[str, Any]:
    import narwhals as nw

    from ladder import reference
    from ladder.engines import EngineName, duckdb_connection
    from ladder.place.enrich import build_lookup, enrich

    engine = EngineName(engine_name)
    start = time.perf_counter()
    reference.postcodes()
    reference.lsoas()
    loaded = time.perf_counter()
    if engine is EngineName.polars:
        frame: nw.LazyFrame[Any] = nw.from_native(pl.scan_parquet(path))
    else:
        frame = nw.from_native(duckdb_connection().read_parquet(str(path)))
    lookup = build_lookup({"staff": frame})
    looked = time.perf_counter()
    result = enrich(frame, engine, lookup).collect("polars").to_native()
    end = time.perf_counter()
    result.select("staff_id", "imd_decile", "local_authority").write_parquet(out)
    return {
        "seconds": end - start,
        "reference_s": loaded - start,
        "lookup_s": looked - loaded,
        "join_s": end - looked,
        "rows": result.height,
        "matched": int(result["imd_decile"].is_not_null().sum()),
        "unmatched": lookup.unmatched["staff"],
        "given": lookup.given["staff"],
    }


def run_pandas(path: Path, out: Path) -> dict[str, Any]:
    import pandas as pd

    from ladder import reference

    start = time.perf_counter()
    staff = pd.read_parquet(path)
    postcodes = reference.postcodes().select("pcds", "lsoa21").to_pandas()
    postcodes["lsoa21"] = postcodes["lsoa21"].astype(str)
    lsoas = reference.lsoas().select("lsoa21", "imd2019_decile", "ltla22").to_pandas()
    bare = staff["home_postcode"].str.upper().str.replace(r"\s+", "", regex=True)
    staff["pcds"] = (bare.str[:-3] + " " + bare.str[-3:]).where(bare.str.len() >= 5)
    staff = staff.merge(postcodes, on="pcds", how="left")
    given = staff["home_lsoa"].str.strip().str.upper()
    given = given.where(given.isin(lsoas["lsoa21"]))
    staff["lsoa21"] = given.where(staff["home_lsoa"].notna(), staff["lsoa21"])
    staff = staff.merge(lsoas, on="lsoa21", how="left").drop(columns="pcds")
    staff = staff.rename(columns={"imd2019_decile": "imd_decile", "ltla22": "local_authority"})
    staff["imd_quintile"] = (staff["imd_decile"] + 1) // 2
    end = time.perf_counter()
    staff[["staff_id", "imd_decile", "local_authority"]].to_parquet(out)
    return {
        "seconds": end - start,
        "rows": len(staff),
        "matched": int(staff["imd_decile"].notna().sum()),
    }


def child(args: argparse.Namespace) -> None:
    path, out = Path(args.data), Path(args.out)
    pandas = args.child == "pandas"
    result = run_pandas(path, out) if pandas else run_ladder(path, args.child, out)
    result["peak_gb"] = _peak_gb()
    print(json.dumps(result))


def measure(name: str, data: Path, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--data", str(data), "--out", str(out), "--child", name]
    # An empty user reference folder: every contender reads the shipped postcodes, never a
    # copy imported with `ladder reference import-postcodes`.
    env = {**os.environ, "LADDER_REFERENCE_DIR": str(data.parent / "user-reference")}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def agreement(left: Path, right: Path) -> tuple[int, int, int]:
    """(rows where both have a decile and agree, rows where both have one and differ,
    rows where only one side has a decile or the local authorities differ)."""
    a = pl.read_parquet(left)
    b = pl.read_parquet(right).with_columns(pl.col("imd_decile").cast(pl.Int64))
    both = a.join(b, on="staff_id", how="full", suffix="_b")
    da, db = pl.col("imd_decile").cast(pl.Int64), pl.col("imd_decile_b")
    agree = int(both.filter(da.is_not_null() & (da == db)).height)
    differ = int(both.filter(da.is_not_null() & db.is_not_null() & (da != db)).height)
    other = int(
        both.filter(
            (da.is_null() != db.is_null())
            | pl.col("local_authority").ne_missing(pl.col("local_authority_b"))
        ).height
    )
    return agree, differ, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--engines", default="polars", help="comma-separated: polars,duckdb")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per contender; the median run is reported"
    )
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-enrich-") as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "staff.parquet"
        started = time.perf_counter()
        counts = synthetic_staff(args.rows, data, args.seed)
        size = data.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} staff rows ({size:,.0f} MB Parquet) in "
            f"{time.perf_counter() - started:.1f} s; "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
        contenders = [*(f"ladder-{e}" for e in engines), *([] if args.no_pandas else ["pandas"])]
        figures: dict[str, dict[str, Any]] = {}
        for name in contenders:
            child_name = name.removeprefix("ladder-")
            runs = [
                measure(child_name, data, tmp / f"{name}.parquet")
                for _ in range(max(args.repeat, 1))
            ]
            figures[name] = sorted(runs, key=lambda f: float(f["seconds"]))[len(runs) // 2]
            if len(runs) > 1:
                walls = ", ".join(f"{f['seconds']:.2f}" for f in runs)
                print(f"{name}: wall s of {len(runs)} runs: {walls}")
        print(f"\n{'contender':<18}{'wall s':>8}{'peak RSS GB':>13}{'rows/s':>13}{'vs pandas':>11}")
        base = figures.get("pandas", {}).get("seconds")
        for name, f in figures.items():
            ratio = f"{base / f['seconds']:>10.1f}×" if base else f"{'-':>11}"
            print(
                f"{name:<18}{f['seconds']:>8.2f}{f['peak_gb']:>13.2f}"
                f"{f['rows'] / f['seconds']:>13,.0f}{ratio}"
            )
        print("(vs pandas: pandas wall time / contender wall time; > 1 is faster than pandas)")
        for name, f in figures.items():
            if name.startswith("ladder-"):
                print(
                    f"{name}: reference load {f['reference_s']:.2f} s, lookup "
                    f"{f['lookup_s']:.2f} s, join + collect {f['join_s']:.2f} s; matched "
                    f"{f['matched']:,} of {f['rows']:,} rows with a decile, unmatched "
                    f"{f['unmatched']:,} of {f['given']:,} given"
                )
        if "pandas" in figures:
            print(f"pandas: {figures['pandas']['matched']:,} of {args.rows:,} rows with a decile")
            for name in figures:
                if name.startswith("ladder-"):
                    agree, differ, other = agreement(
                        tmp / f"{name}.parquet", tmp / "pandas.parquet"
                    )
                    print(
                        f"agreement {name} vs pandas: imd_decile equal on {agree:,} matched "
                        f"rows, different on {differ:,}; decile present on one side only or "
                        f"local authority different on {other:,}"
                    )
        if "ladder-polars" in figures:
            wall = figures["ladder-polars"]["seconds"]
            verdict = "met" if wall <= TARGET_SECONDS else "NOT met"
            print(
                f"target ≤ {TARGET_SECONDS:.0f} s for ladder (polars) on {args.rows:,} rows: "
                f"{verdict} ({wall:.2f} s)"
            )


if __name__ == "__main__":
    main()
