"""Benchmark: `ladder import` of a large canonical staff file, against plain baselines,
and of the national applications file, streaming against today's whole-file import.

Part 1 generates N staff rows (default 1.5 million, one trust or many), then runs each
contender in its own subprocess so that its peak memory (max RSS) is its own:

- ladder import (CSV) — hash, read, validate every row, write Parquet, commit; the
  validation time is included (it is most of the work), and measured alone too;
- ladder import (Parquet input);
- baseline: polars read_csv + write_parquet (no validation: the I/O floor);
- baseline: pandas read_csv + DataFrame.to_sql into SQLite (the common ad-hoc approach).

Part 2 imports the national synthetic applications file (`ladder synth --orgs 210 --staff
7000`: 9.86 M rows, 210 trusts, no --org so each trust is stored separately), in Parquet and,
with --national-csv, as CSV written from it:

- ladder import, streaming (this version: chunks of $LADDER_CHUNK_ROWS, default 500,000);
- ladder import, this version with chunk rows 0 (the whole file validated at once);
- ladder import before streaming: the source tree of git commit --baseline-ref (extracted
  with `git archive` into the output folder and run in its own process), i.e. today's
  whole-file import, measured in the same run.

Runs are interleaved (A B C A B C ...) so that a busy machine slows them alike; the median
is shown, with CPU seconds (user + system, all threads) beside the wall-clock time.

Usage: python bench/bench_import.py [--rows N] [--orgs K] [--no-pandas] [--out DIR]
       [--national FILE] [--national-csv] [--national-only] [--national-repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import polars as pl

ORG_CODES = [f"R{i // 36:X}{'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 36]}" for i in range(400)]


def generate(rows: int, orgs: int) -> pl.DataFrame:
    """Canonical staff rows, deterministic, built with vectorised expressions."""
    h = (pl.col("i") * 2_654_435_761) % 4_294_967_291  # a cheap deterministic scramble

    def pick(values: list[str], salt: int) -> pl.Expr:
        index = ((h + salt) * 40_503 % 1_000_003) % len(values)
        return pl.lit(pl.Series(values)).gather(index)

    def days_before_2024(spread: int, offset: int) -> pl.Expr:
        days = pl.lit(19_813) - offset - (h % spread)  # 19813 = 2024-03-31
        return days.cast(pl.Date).dt.strftime("%Y-%m-%d")

    bands = [
        "Band 2",
        "Band 3",
        "Band 4",
        "Band 5",
        "Band 6",
        "Band 7",
        "Band 8a",
        "Band 8b",
        "Band 8c",
        "Band 8d",
        "Band 9",
        "VSM",
        "Consultant",
        "Trainee grade",
    ]
    groups = [
        "Nursing and Midwifery Registered",
        "Administrative and Clerical",
        "Additional Clinical Services",
        "Medical and Dental",
        "Allied Health Professionals",
        "Estates and Ancillary",
    ]
    base = pl.DataFrame({"i": pl.int_range(0, rows, dtype=pl.Int64, eager=True)})
    return base.select(
        (pl.col("i") + 10_000_000).cast(pl.String).alias("staff_id"),
        pl.lit(pl.Series(ORG_CODES[:orgs])).gather(pl.col("i") % orgs).alias("org_code"),
        pl.lit("2024-03-31").alias("snapshot_date"),
        pick(list("ABCDEFGHJKLMNPRSZ"), 1).alias("ethnic_category"),
        pick(["female", "female", "female", "male"], 2).alias("sex"),
        pick(["Yes", "No", "No", "No", "No", "Not Declared"], 3).alias("disability"),
        days_before_2024(15_000, 6_600).alias("date_of_birth"),
        pick(groups, 4).alias("staff_group"),
        pick(bands, 5).alias("pay_band"),
        ((h % 10) / 10 + 0.1).round(1).cast(pl.String).alias("fte"),
        (12 + (h % 6000) / 100).round(2).cast(pl.String).alias("hourly_pay"),
        pl.lit(None, dtype=pl.String).alias("bonus_pay"),
        days_before_2024(5_000, 1).alias("start_date"),
        pick(["E1 1BB", "LS1 4AP", "M13 9WL", "B15 2TH", "SW1A 1AA"], 6).alias("home_postcode"),
        pl.lit("N").alias("is_board_member"),
    )


# -- contenders (each runs in a child process) -------------------------------------------


def run_ladder(source: str, work: str, orgs: int) -> dict[str, Any]:
    from ladder.store import Workspace

    root = Path(work) / "ws"
    shutil.rmtree(root, ignore_errors=True)
    Workspace.init(root).close()
    started = time.perf_counter()
    with Workspace.open(root) as ws:
        org = "R00" if orgs == 1 else None
        result = ws.import_file("staff", Path(source), org, 2024, user="bench")
    elapsed = time.perf_counter() - started
    if not result.stored:
        raise SystemExit(f"import refused: {result.summary}")
    return {"seconds": elapsed, "rows": result.rows_stored}


def run_validate(source: str, work: str, orgs: int) -> dict[str, Any]:
    from ladder.io.validate import validate_file

    started = time.perf_counter()
    validation = validate_file(Path(source), "staff", org="R00" if orgs == 1 else None)
    rows = validation.valid_rows().height
    return {"seconds": time.perf_counter() - started, "rows": rows}


def run_polars(source: str, work: str, orgs: int) -> dict[str, Any]:
    started = time.perf_counter()
    frame = (
        pl.read_csv(source, try_parse_dates=True)
        if source.endswith(".csv")
        else (pl.read_parquet(source))
    )
    frame.write_parquet(Path(work) / "polars.parquet")
    return {"seconds": time.perf_counter() - started, "rows": frame.height}


def run_pandas(source: str, work: str, orgs: int) -> dict[str, Any]:
    import sqlite3

    import pandas as pd

    db = Path(work) / "pandas.db"
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    with sqlite3.connect(db) as conn:
        frame.to_sql("staff", conn, index=False, chunksize=50_000)
    return {"seconds": time.perf_counter() - started, "rows": len(frame)}


def run_national(source: str, work: str, chunk_rows: int) -> dict[str, Any]:
    """Import the national applications file without --org (chunk_rows < 0: the default)."""
    from ladder.store import Workspace

    root = Path(work) / "ws-national"
    shutil.rmtree(root, ignore_errors=True)
    Workspace.init(root).close()
    extra = {} if chunk_rows < 0 else {"chunk_rows": chunk_rows}
    started = time.perf_counter()
    with Workspace.open(root) as ws:
        result = ws.import_file("applications", Path(source), None, 2024, user="bench", **extra)
    elapsed = time.perf_counter() - started
    if not result.stored:
        raise SystemExit(f"import refused: {result.summary}")
    shutil.rmtree(root, ignore_errors=True)
    return {"seconds": elapsed, "rows": result.rows_stored, "orgs": len(result.records)}


CONTENDERS = {
    "ladder": run_ladder,
    "validate": run_validate,
    "polars": run_polars,
    "pandas": run_pandas,
    "national": run_national,
}


def child(name: str, source: str, work: str, orgs: int) -> None:
    result = CONTENDERS[name](source, work, orgs)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_mib"] = usage.ru_maxrss / 1024
    result["cpu"] = usage.ru_utime + usage.ru_stime
    print(json.dumps(result))


def measure(
    name: str, source: Path, work: Path, orgs: int, pythonpath: Path | None = None
) -> dict[str, Any]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, str(source), str(work), str(orgs)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


BASELINE_REF = "dbc085c"
"""The last commit before the streaming import (git history of this repository)."""


def baseline_tree(ref: str, work: Path) -> Path | None:
    """The ``src`` folder of commit ``ref``, extracted under ``work``; None without git."""
    repo = Path(__file__).resolve().parent.parent
    target = work / f"baseline-{ref}"
    archive = work / f"baseline-{ref}.tar"
    try:
        subprocess.run(
            ["git", "-C", str(repo), "archive", "--output", str(archive), ref, "src"],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no baseline: cannot extract {ref} with git archive: {exc})")
        return None
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()
    return target / "src"


def national(args: argparse.Namespace) -> None:
    """Part 2: the national applications file, streaming against the whole-file import."""
    source: Path = args.national
    if not source.is_file() and source.name == "applications.parquet":
        print(f"\nGenerating the national synthetic files into {source.parent} …", flush=True)
        command = [sys.executable, "-m", "ladder", "synth", "--out", str(source.parent)]
        options = ["--orgs", "210", "--staff", "7000", "--format", "parquet", "--seed", "1"]
        subprocess.run([*command, *options], check=True, capture_output=True)
    if not source.is_file():
        print(f"\n(skipping the national import: {source} not found)")
        return
    work = args.out / "import-national"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = [("Parquet", source)]
    if args.national_csv:
        csv = work / "applications.csv"
        pl.scan_parquet(source).sink_csv(csv)
        files.append(("CSV", csv))
    old = baseline_tree(args.baseline_ref, work)
    here = Path(__file__).resolve().parent.parent / "src"
    contenders: list[tuple[str, int, Path | None]] = [("streaming (this version)", -1, here)]
    if not args.no_whole:
        contenders.append(("whole file (this version, chunk rows 0)", 0, here))
    if old is not None:
        contenders.append((f"before streaming (git {args.baseline_ref})", -1, old))
    rows = pl.scan_parquet(source).select(pl.len()).collect().item()
    print(
        f"\nnational applications import: {rows:,} rows, {source.stat().st_size / 2**20:.0f} MiB "
        f"Parquet; median of {args.national_repeat} interleaved runs, each in a fresh process"
    )
    print(
        f"{'input':8} {'contender':42} {'seconds':>8} {'rows/s':>10} {'CPU s':>7} "
        f"{'peak MiB':>9} {'rows/s ×':>9}"
    )
    for label, path in files:
        trials: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in contenders}
        for _ in range(args.national_repeat):
            for name, chunk, tree in contenders:
                try:
                    trials[name].append(t := measure("national", path, work, chunk, tree))
                    print(
                        f"  (run: {label} {name}: {t['seconds']:.1f} s, CPU {t['cpu']:.1f} s, "
                        f"peak {t['peak_mib']:.0f} MiB)",
                        flush=True,
                    )
                except subprocess.CalledProcessError as exc:  # e.g. killed: out of memory
                    print(f"{label:8} {name:42} failed (exit {exc.returncode})", flush=True)
        base = None
        for name, _, _ in contenders:
            if not trials[name]:
                continue
            runs = sorted(trials[name], key=lambda r: float(r["seconds"]))
            r = runs[len(runs) // 2]
            assert r["rows"] == rows, (name, r["rows"])
            speed = r["rows"] / r["seconds"]
            base = base or speed  # the first contender measured: streaming
            peak = max(t["peak_mib"] for t in runs)
            spread = f"({runs[0]['seconds']:.1f}-{runs[-1]['seconds']:.1f})"
            print(
                f"{label:8} {name:42} {r['seconds']:8.1f} {speed:10,.0f} {r['cpu']:7.1f} "
                f"{peak:9.0f} {speed / base:9.2f}  {spread}"
            )
    print(
        "rows/s ×: the contender's rows per second divided by the streaming import's; "
        "peak MiB: the largest max RSS of its runs."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--orgs", type=int, default=1, help="trusts in the file (1-400)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median shown)")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument(
        "--national",
        type=Path,
        default=Path(__file__).parent / "out" / "national" / "applications.parquet",
        help="national applications file (generated with ladder synth when missing)",
    )
    parser.add_argument("--national-csv", action="store_true", help="also import it as CSV")
    parser.add_argument("--national-only", action="store_true", help="skip part 1")
    parser.add_argument("--national-repeat", type=int, default=1)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument(
        "--no-whole", action="store_true", help="skip this version's chunk-rows-0 import"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, source, work, orgs = args.child
        child(name, source, work, int(orgs))
        return
    if not args.national_only:
        staff(args)
    national(args)


def staff(args: argparse.Namespace) -> None:
    """Part 1: generated staff rows, against plain baselines."""
    work = args.out / "import"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    frame = generate(args.rows, args.orgs)
    csv, parquet = work / "staff.csv", work / "staff.parquet"
    frame.write_csv(csv)
    frame.write_parquet(parquet)
    del frame
    print(
        f"generated {args.rows:,} staff rows for {args.orgs} trust(s) in "
        f"{time.perf_counter() - started:.1f} s: CSV {csv.stat().st_size / 2**20:.0f} MiB, "
        f"Parquet {parquet.stat().st_size / 2**20:.0f} MiB"
    )

    runs = [
        ("ladder import (CSV)", "ladder", csv),
        ("  of which validate_file alone", "validate", csv),
        ("ladder import (Parquet)", "ladder", parquet),
        ("baseline: polars read_csv + write_parquet", "polars", csv),
    ]
    if not args.no_pandas:
        runs.append(("baseline: pandas read_csv + to_sql (SQLite)", "pandas", csv))
    results: dict[str, dict[str, Any]] = {}
    print(f"median of {args.repeat} runs, each in a fresh process")
    print(f"{'contender':46} {'seconds':>8} {'rows/s':>12} {'peak MiB':>9} {'× ladder':>9}")
    for label, name, source in runs:
        trials = sorted(
            (measure(name, source, work, args.orgs) for _ in range(args.repeat)),
            key=lambda r: float(r["seconds"]),
        )
        results[label] = r = trials[len(trials) // 2]
        assert r["rows"] == args.rows, (label, r["rows"])
        r["peak_mib"] = max(t["peak_mib"] for t in trials)
        ladder = results["ladder import (CSV)"]["seconds"]
        spread = f"({trials[0]['seconds']:.2f}-{trials[-1]['seconds']:.2f})"
        print(
            f"{label:46} {r['seconds']:8.2f} {r['rows'] / r['seconds']:12,.0f} "
            f"{r['peak_mib']:9.0f} {r['seconds'] / ladder:9.2f}  {spread}"
        )
    print(
        "× ladder: the contender's time divided by ladder import (CSV); "
        "below 1 is faster than ladder."
    )


if __name__ == "__main__":
    main()
