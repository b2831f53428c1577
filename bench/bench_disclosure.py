"""Benchmark: the disclosure audit beside the indicator run it audits, on the same data.

Times, in one process, (1) the indicator run of every registered indicator (load and
compute, before disclosure control), (2) the protection of that publication
(`protect.apply`) and (3) the audit of the protected publication (`audit`: relations,
propagation, integer programmes). Prints all three and the ratio (protection + audit) /
indicator run, with the figures withheld and the findings.

Usage: python bench/bench_disclosure.py [--data bench/out/national] [--orgs N] [--org CODE]...
(the data is generated with ``ladder synth`` at national size if missing, as bench_metrics
does; --orgs: audit only the first N organisations; the indicator run is timed over the same
organisations, so the ratio compares like with like; --org: load and run only those
organisations, one after another — a quick sample of national-size trusts.)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("bench/out/national"))
    parser.add_argument("--orgs", type=int, default=None, help="only the first N orgs")
    parser.add_argument(
        "--org", action="append", default=None, help="load and run only this org (repeatable)"
    )
    parser.add_argument("--exhaustive", action="store_true", help="LP on every value too")
    args = parser.parse_args()
    if not (args.data / "staff.parquet").exists():
        print(f"Generating 210 trusts × 7,000 staff into {args.data} …", flush=True)
        synth = ["--out", str(args.data), "--orgs", "210", "--staff", "7000", "--seed", "1"]
        subprocess.run(
            [sys.executable, "-m", "ladder", "synth", *synth, "--format", "parquet"],
            check=True,
            capture_output=True,
        )

    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.publication import unprotected
    from ladder.metrics.disclosure.report import audit
    from ladder.metrics.inputs import load
    from ladder.metrics.settings import Settings

    started = time.perf_counter()
    protect_s = 0.0
    published, truth = [], []
    for org in args.org or [None]:
        loaded = load(args.data, org=org, settings=Settings())
        try:
            raw = unprotected(loaded.context)
        finally:
            loaded.close()
        begun = time.perf_counter()
        shown = protect.apply(raw, 10)
        protect_s += time.perf_counter() - begun
        published += [r.to_dict() for r in shown]
        truth += [r.to_dict() for r in raw]
    run_s = time.perf_counter() - started - protect_s
    orgs = sorted({r["org"] for r in published})
    if args.orgs is not None:
        keep = set(orgs[: args.orgs])
        pairs = [(p, t) for p, t in zip(published, truth, strict=True) if p["org"] in keep]
        published, truth = [p for p, _ in pairs], [t for _, t in pairs]
        run_s *= len(keep) / len(orgs)  # the run's share of those organisations
        protect_s *= len(keep) / len(orgs)
        orgs = sorted(keep)
    print(f"indicator run done: {run_s:.1f} s; auditing {len(orgs)} organisations", flush=True)
    started = time.perf_counter()
    result = audit(published, truth, 10, exhaustive=args.exhaustive)
    audit_s = time.perf_counter() - started
    small = sum(1 for f in result.exact if 1 <= f.low <= 9)
    print(f"data: {args.data} — {len(orgs)} organisations, {len(published):,} published figures")
    withheld = sum(1 for r in published if r["suppressed"])
    print(f"indicator run (load + every indicator):              {run_s:8.1f} s")
    print(f"protection:                                          {protect_s:8.1f} s")
    print(f"disclosure audit:                                    {audit_s:8.1f} s")
    print(f"ratio (protection + audit) / indicator run: {(protect_s + audit_s) / run_s:.2f}")
    print(f"figures withheld: {withheld:,} of {len(published):,}")
    print(
        f"withheld values {result.withheld:,}; relations {result.relations:,}; "
        f"findings {len(result.findings):,} (exact {len(result.exact):,}, "
        f"of which a count 1-9: {small:,})"
    )


if __name__ == "__main__":
    main()
