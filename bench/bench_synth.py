"""Benchmark ``ladder synth``: wall time, rows per second and peak memory.

    python bench/bench_synth.py                      # national size, parquet then csv
    python bench/bench_synth.py --orgs 20 --staff 2000 --formats parquet

Each measured run happens in a fresh child process so that its peak RSS (getrusage
ru_maxrss of that child) is its own. The baseline, measured in the same run, is a naive
per-row Python generator (random + csv.writer, one dict per staff row) on a small sample;
the ratio printed is Ladder's rows per second over the baseline's.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAFF_COLUMNS = [
    "staff_id", "org_code", "snapshot_date", "ethnic_category", "sex", "disability", "age_band",
    "date_of_birth", "religion", "sexual_orientation", "staff_group", "occupation_code",
    "pay_band", "fte", "hourly_pay", "bonus_pay", "full_pay_relevant", "start_date",
    "home_postcode", "home_lsoa", "is_board_member", "is_executive", "is_voting_member",
    "seb_parent_occupation", "seb_school_type", "seb_free_school_meals",
    "seb_parent_qualification",
]  # fmt: skip


def _child(args: argparse.Namespace) -> None:
    """Run one generation and print its measurements as JSON."""
    from ladder.synth import SynthConfig, generate

    start = time.perf_counter()
    result = generate(
        SynthConfig(
            out=Path(args.out),
            orgs=args.orgs,
            staff=args.staff,
            seed=args.seed,
            fmt=args.fmt,
            messy=args.messy,
        )
    )
    wall = time.perf_counter() - start
    size = sum(p.stat().st_size for p in result.files.values())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall": wall, "rows": result.rows, "bytes": size, "peak_mb": peak_kb / 1024}))


def _naive_baseline(n: int, out: Path) -> float:
    """Rows per second of a plain per-row Python staff generator writing CSV."""
    rng = random.Random(1)
    bands = ["Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Consultant"]
    codes = [*list("ABCDEFGHJKLMNPRS"), "Z", ""]
    start = time.perf_counter()
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=STAFF_COLUMNS)
        writer.writeheader()
        for i in range(n):
            age = min(70, max(18, int(rng.gauss(42, 11))))
            row = {c: "" for c in STAFF_COLUMNS}
            row.update(
                staff_id=f"SYN-XXX-{i:06d}",
                org_code="XXX",
                snapshot_date="2024-03-31",
                ethnic_category=rng.choice(codes),
                sex=rng.choice(["female", "male"]),
                disability=rng.choice(["true", "false", ""]),
                age_band=f"{16 + 5 * ((age - 16) // 5)}-{20 + 5 * ((age - 16) // 5)}",
                date_of_birth=f"{2024 - age}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                pay_band=rng.choice(bands),
                fte=rng.choice([1.0, 0.6, 0.8]),
                hourly_pay=round(rng.uniform(12, 70), 2),
                full_pay_relevant="true",
                is_board_member="false",
                is_executive="false",
                is_voting_member="false",
            )
            writer.writerow(row)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=210)
    parser.add_argument("--staff", type=int, default=7000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--messy", action="store_true")
    parser.add_argument("--baseline-rows", type=int, default=50_000)
    parser.add_argument("--out", default=None, help="output folder (default: a temp folder)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fmt", default="parquet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return

    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="ladder-bench-synth-"))
    base.mkdir(parents=True, exist_ok=True)
    baseline = _naive_baseline(args.baseline_rows, base / "naive_staff.csv")
    print(f"baseline (naive per-row Python, staff rows only): {baseline:,.0f} rows/s")
    for fmt in args.formats.split(","):
        out = base / fmt
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--fmt",
            fmt,
            "--out",
            str(out),
            "--orgs",
            str(args.orgs),
            "--staff",
            str(args.staff),
            "--seed",
            str(args.seed),
        ]
        if args.messy:
            cmd.append("--messy")
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        m = json.loads(done.stdout.strip().splitlines()[-1])
        rows = sum(m["rows"].values())
        rate = rows / m["wall"]
        staff_rate = m["rows"]["staff"] / m["wall"]
        print(f"\n{fmt}{' (messy)' if args.messy else ''}: --orgs {args.orgs} --staff {args.staff}")
        print(f"  wall time        {m['wall']:8.1f} s")
        print(
            f"  rows             {rows:>12,}  "
            + ", ".join(f"{k} {v:,}" for k, v in m["rows"].items())
        )
        print(f"  rows per second  {rate:>12,.0f}  (staff rows {staff_rate:,.0f}/s)")
        print(f"  output size      {m['bytes'] / 1e6:8.1f} MB")
        print(f"  peak memory      {m['peak_mb']:8.0f} MB (RSS high-water of the run)")
        print(
            f"  ratio vs naive   {rate / baseline:8.1f}x all rows/s; "
            f"{staff_rate / baseline:.1f}x staff rows/s"
        )
    print(f"\noutput in {base}")


if __name__ == "__main__":
    main()
