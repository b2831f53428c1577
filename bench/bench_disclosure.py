"""Benchmark: the disclosure protection and audit beside the indicator run, on the same data.

For each data set, in one process: (1) the indicator run as ``ladder metrics`` does it (load and
every registered indicator, ``runner.run``) with the protection step taken out, (2) the
protection of that publication exactly as the runner applies it (``protect.apply_frame``, one
publication per organisation and period, in worker processes when there are many), (3) the
audit of the protected publication (``report.audit``: relations, propagation, programmes).
Prints CPU seconds (``time.process_time`` plus the CPU of worker processes that have exited)
beside wall seconds — the machine is shared, so the CPU figures and the ratios of the same run
are the ones to read — and the ratios protection / run, audit / run, (protection + audit) / run,
with the figures withheld and the audit's findings.

Usage:
  python bench/bench_disclosure.py                       # one trust (bench/out/one-trust)
  python bench/bench_disclosure.py --national            # and national (bench/out/national)
  python bench/bench_disclosure.py --national --every 21 # national, every 21st trust only
Options: --one DIR / --national-data DIR (generated with ``ladder synth`` when missing: one trust
of 25,000 staff; 210 trusts × 7,000 staff), --threshold N, --exhaustive (the audit's LP on every
withheld value too).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ONE = Path("bench/out/one-trust")
NATIONAL = Path("bench/out/national")


def clocks() -> tuple[float, float]:
    """(CPU seconds of this process and its exited children, wall seconds)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system, time.perf_counter()


def timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, CPU s, wall s) of ``step()``."""
    cpu, wall = clocks()
    out = step()
    cpu2, wall2 = clocks()
    return out, cpu2 - cpu, wall2 - wall


def ensure(data: Path, orgs: int, staff: int) -> None:
    if (data / "staff.parquet").exists():
        return
    print(f"Generating {orgs} trust(s) × {staff:,} staff into {data} …", flush=True)
    args = ["--out", str(data), "--orgs", str(orgs), "--staff", str(staff), "--seed", "1"]
    subprocess.run(
        [sys.executable, "-m", "ladder", "synth", *args, "--format", "parquet"],
        check=True,
        capture_output=True,
    )


def bench(name: str, data: Path, threshold: int, every: int, exhaustive: bool) -> None:
    import polars as pl

    from ladder.metrics import runner
    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.report import audit
    from ladder.metrics.inputs import load
    from ladder.metrics.settings import Settings
    from ladder.metrics.table import results_from_frame

    publish = runner.publish
    runner.publish = lambda frame, context: frame  # the run without its protection step

    def indicators() -> pl.DataFrame:
        loaded = load(data, settings=Settings(threshold=threshold))
        try:
            return runner.run(loaded.context).frame
        finally:
            loaded.close()

    try:
        raw, run_cpu, run_wall = timed(indicators)
    finally:
        runner.publish = publish
    orgs = sorted(raw["org"].unique().to_list())
    if every > 1:  # a sample of the organisations; the run's share of them
        keep = orgs[::every]
        share = raw.filter(pl.col("org").is_in(keep)).height / max(1, raw.height)
        raw = raw.filter(pl.col("org").is_in(keep))
        run_cpu, run_wall = run_cpu * share, run_wall * share
        orgs = keep
    shown, prot_cpu, prot_wall = timed(lambda: protect.apply_frame(raw, threshold))
    published = [r.to_dict() for r in results_from_frame(shown)]
    truth = [r.to_dict() for r in results_from_frame(raw)]
    result, audit_cpu, audit_wall = timed(
        lambda: audit(published, truth, threshold, exhaustive=exhaustive)
    )
    withheld = sum(1 for r in published if r["suppressed"])
    publications = len(result.publications)
    small = sum(1 for f in result.exact if 1 <= f.low <= 9)
    sample = f" (every {every}th organisation; run time pro rata)" if every > 1 else ""
    print(f"\n== {name}: {data}{sample}")
    print(
        f"{len(orgs)} organisations, {publications} publications, {len(published):,} figures; "
        f"threshold {threshold}; CPUs {os.cpu_count()}"
    )
    print(f"{'step':<44}{'CPU s':>9}{'wall s':>9}")
    print(f"{'indicator run (load + every indicator)':<44}{run_cpu:9.2f}{run_wall:9.2f}")
    print(f"{'protection (protect.apply_frame)':<44}{prot_cpu:9.2f}{prot_wall:9.2f}")
    print(f"{'audit of the protected publication':<44}{audit_cpu:9.2f}{audit_wall:9.2f}")
    for label, cpu, wall in (
        ("protection / run", prot_cpu, prot_wall),
        ("audit / run", audit_cpu, audit_wall),
        ("(protection + audit) / run", prot_cpu + audit_cpu, prot_wall + audit_wall),
    ):
        print(f"{'ratio ' + label:<44}{cpu / run_cpu:9.2f}{wall / run_wall:9.2f}")
    print(f"figures withheld: {withheld:,} of {len(published):,}")
    print(
        f"audit: withheld values {result.withheld:,}; relations {result.relations:,}; "
        f"findings {len(result.findings):,} (exact {len(result.exact):,}, "
        f"of which a count 1-9: {small:,})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--one", type=Path, default=ONE, help="one large trust's data")
    parser.add_argument("--national", action="store_true", help="also the national data")
    parser.add_argument("--national-data", type=Path, default=NATIONAL)
    parser.add_argument("--only-national", action="store_true", help="skip the one trust")
    parser.add_argument("--every", type=int, default=1, help="national: every Nth trust only")
    parser.add_argument("--threshold", type=int, default=10)
    parser.add_argument("--exhaustive", action="store_true", help="audit: LP on every value")
    args = parser.parse_args()
    if not args.only_national:
        ensure(args.one, 1, 25_000)
        bench("one trust", args.one, args.threshold, 1, args.exhaustive)
    if args.national or args.only_national:
        ensure(args.national_data, 210, 7_000)
        bench("national", args.national_data, args.threshold, args.every, args.exhaustive)


if __name__ == "__main__":
    main()
