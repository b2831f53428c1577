"""Benchmark: every indicator for every trust, end to end from Parquet, beside pandas and a scan.

Contenders, each in its own subprocess so its wall time and peak memory (max RSS) are its own:

- ladder (polars, duckdb; spark with --spark): ``load`` + every registered indicator, the
  place family included (postcode → IMD enrichment, anchor indicators), WITHOUT the
  disclosure protection (``runner.compute``; ``runner.run`` = compute + protect, and the
  protection is timed by ``bench_disclosure.py``);
- ladder, core set: the same, for the figure set the pandas baseline computes (WRES 1-9,
  WDES, the four pay gaps with quartiles, SEB), for a like-for-like ratio;
- pandas baseline (``pandas_baseline.py``): those figures in plain pandas, with intervals and
  primary suppression (see its docstring for what it leaves out);
- raw-scan floor: a Polars aggregate that reads every column of the same Parquet files and
  does nothing else — no engine can compute the figures faster than it reads them;
- with --fairlearn: Fairlearn's MetricFrame for selection rates beside ladder's ``wres.2``.

Two sizes in one run: national (default 210 trusts × 7,000 staff) and one large trust
(25,000 staff), each generated once with ``ladder synth`` if missing. Each contender runs
once in a fresh process (the first run: reference data read, Polars' first queries); on one
trust, Ladder is also timed in a fresh process after ``ladder.metrics.warm()`` (what the web
service runs at start: the first run of a started service), and Ladder (every indicator,
core set) and pandas in a WARM process, as a running service answers a dashboard: after one
untimed run on other, small data (``--warmup``, a 3,000-staff trust), the same run five
times, each loading its data afresh (the median). On one trust every contender runs in
``--one-repeats`` fresh processes (default 3), round by round, and the median is given.

Each contender's wall time and CPU time (user + system, every thread of its process) of the
timed section (interpreter start and imports left out) and its peak memory are printed, and
every ratio both ways: on a shared machine the wall times are noisy (other processes take
the cores), so compare CPU times. ``--before SRC`` adds Ladder's every
indicator run from another source tree (e.g. ``git archive b611577 src | tar -x -C /tmp/base``,
then ``--before /tmp/base/src``), run right before the current code in the same minutes.

Usage: python bench/bench_metrics.py [--data DIR] [--one DIR] [--spark] [--fairlearn]
       [--before SRC] [--sizes national,one]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CORE = (
    "wres",
    "wdes",
    "paygap.sex",
    "paygap.ethnicity",
    "paygap.disability",
    "paygap.seb",
    "seb.response_rate",
    "seb.profile",
    "seb.profile_by_band",
    "seb.funnel",
    "seb.appointment",
)
"""Ladder's indicators for the figure set of the pandas baseline."""
DATASETS = ("staff", "applications", "training", "cases", "survey", "participants")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(start: float, cpu: float, figures: int) -> dict[str, Any]:
    """Wall and CPU seconds of the timed section (imports and interpreter start left out)."""
    return {
        "seconds": time.perf_counter() - start,
        "cpu": _cpu_seconds() - cpu,
        "results": figures,
    }


def run_ladder(data: Path, engine: str, ids: list[str] | None) -> dict[str, Any]:
    """``load`` + every selected indicator, WITHOUT the disclosure protection (measured on
    its own by ``bench_disclosure.py``): ``runner.compute``, or the same loop on a tree that
    predates it (``--before``)."""
    import polars as pl

    from ladder.engines import EngineName
    from ladder.metrics import runner
    from ladder.metrics.inputs import load
    from ladder.metrics.table import as_frame

    runner.select(None)  # the indicator modules imported (as in a running service) …
    start, cpu = time.perf_counter(), _cpu_seconds()  # … reference data, scans, figures timed
    loaded = load(data, engine=EngineName(engine))
    if hasattr(runner, "compute"):
        frame, _ = runner.compute(loaded.context, ids=ids)
    else:
        produced = [
            as_frame(ind.compute(loaded.context))
            for ind in runner.select(ids)
            if all(loaded.context.has(k) for k in ind.needs)
        ]
        frame = pl.concat([p for p in produced if p.height]).sort(
            "org", "period", maintain_order=True
        )
    loaded.close()
    return _timed(start, cpu, frame.height)


def run_pandas(data: Path) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    import pandas_baseline

    start, cpu = time.perf_counter(), _cpu_seconds()
    figures = pandas_baseline.compute(data)
    return _timed(start, cpu, figures)


def run_floor(data: Path) -> dict[str, Any]:
    """Read every column of every dataset file once (count of non-nulls by trust)."""
    import polars as pl

    start, cpu = time.perf_counter(), _cpu_seconds()
    frames = [
        pl.scan_parquet(data / f"{kind}.parquet").group_by("org_code").agg(pl.all().count())
        for kind in DATASETS
        if (data / f"{kind}.parquet").exists()
    ]
    rows = sum(f.height for f in pl.collect_all(frames))
    return _timed(start, cpu, rows)


def run_fairlearn(data: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    from fairlearn.metrics import MetricFrame, selection_rate

    start, cpu = time.perf_counter(), _cpu_seconds()
    apps = pd.read_parquet(
        data / "applications.parquet",
        columns=["org_code", "ethnic_category", "shortlisted", "appointed"],
    )
    short = apps[apps["shortlisted"]]
    codes = short["ethnic_category"]
    group = np.where(
        codes.isin(list("ABC")),
        "White",
        np.where(codes.isna() | (codes == "Z"), "Unknown", "BME"),
    )
    y = short["appointed"].astype(int).to_numpy()
    frame = MetricFrame(
        metrics=selection_rate,
        y_true=y,
        y_pred=y,
        sensitive_features=pd.DataFrame({"org": short["org_code"].to_numpy(), "group": group}),
    )
    rates = frame.by_group.unstack()
    ratio = rates["White"] / rates["BME"]
    return _timed(start, cpu, int(ratio.notna().sum()))


def child(name: str, data: Path, warmup: Path | None = None) -> dict[str, Any]:
    """Time contender ``name`` on ``data``; a ``-warm`` contender first runs, untimed, on
    ``warmup`` (another, small dataset: nothing of ``data`` is kept, as each run loads its
    data afresh), as a running service has (reference data read, the allocator's memory in
    use), then on ``data`` :data:`WARM_RUNS` times: the run of median wall time is given."""
    if name.endswith(WARM):
        assert warmup is not None, "a -warm contender needs --warmup"
        name = name.removesuffix(WARM)
        child(name, warmup)
        runs = sorted((child(name, data) for _ in range(WARM_RUNS)), key=lambda r: r["seconds"])
        return runs[len(runs) // 2]
    if name == STARTED:  # a service's first run: ladder.metrics.warm() at its start
        from ladder.metrics import warm

        warm()
        return run_ladder(data, "polars", None)
    if name == "pandas":
        return run_pandas(data)
    if name == "floor":
        return run_floor(data)
    if name == "fairlearn":
        return run_fairlearn(data)
    if name == "wres2":
        return run_ladder(data, "polars", ["wres.2"])
    if name == "core":
        return run_ladder(data, "polars", list(CORE))
    if name == "before":
        return run_ladder(data, "polars", None)
    return run_ladder(data, name, None)


STARTED = "polars-started"
"""The contender timed in a fresh process after :func:`ladder.metrics.warm` (what a service
runs at start): the first run of a started service."""
WARM = "-warm"
"""The suffix of a contender timed in a warm process (:func:`child`)."""
WARM_RUNS = 5
"""Timed runs of a warm contender (the median is given: one run of a quarter of a second
varies by ±20% on a shared machine)."""


def measure(
    name: str, data: Path, before: str | None = None, warmup: Path | None = None
) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--data", str(data), "--child", name]
    if warmup is not None:
        cmd += ["--warmup", str(warmup)]
    env = None
    if name == "before" and before is not None:
        import os

        env = {**os.environ, "PYTHONPATH": before}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def interleaved(
    names: list[str], data: Path, before: str | None, warmup: Path, repeats: int
) -> dict[str, dict[str, Any]]:
    """Each contender measured ``repeats`` times in fresh processes, round by round (every
    contender once, then again: a shared machine's drift touches each alike), and the run
    of median wall time kept: a quarter-second run varies by ±30% on a shared machine."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            runs[name].append(measure(name, data, before, warmup))
    return {
        name: sorted(got, key=lambda r: r["seconds"])[len(got) // 2] for name, got in runs.items()
    }


def ensure(data: Path, orgs: int, staff: int) -> None:
    if (data / "staff.parquet").exists():
        return
    print(f"Generating {orgs} trusts × {staff} staff into {data} …", flush=True)
    args = ["--out", str(data), "--orgs", str(orgs), "--staff", str(staff)]
    subprocess.run(
        [sys.executable, "-m", "ladder", "synth", *args, "--format", "parquet", "--seed", "1"],
        check=True,
        capture_output=True,
    )


LABELS = {
    "polars": "ladder, every indicator (polars)",
    "duckdb": "ladder, every indicator (duckdb)",
    "spark": "ladder, every indicator (spark)",
    "core": "ladder, core figure set (polars)",
    "pandas": "pandas baseline, core figure set",
    "floor": "raw scan of the same Parquet (polars)",
    "wres2": "ladder wres.2 only (polars)",
    "fairlearn": "Fairlearn MetricFrame, selection rates",
    "before": "ladder, every indicator, --before code",
    "polars-started": "ladder, every indicator, after warm()",
    "polars-warm": "ladder, every indicator, warm process",
    "core-warm": "ladder, core figure set, warm process",
    "pandas-warm": "pandas baseline, core set, warm process",
}


def report(title: str, figures: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'contender':<40}{'wall s':>9}{'CPU s':>9}{'peak MB':>10}{'figures':>10}")
    for name, f in figures.items():
        print(
            f"{LABELS[name]:<40}{f['seconds']:>9.2f}{f['cpu']:>9.2f}{f['peak_mb']:>10.0f}"
            f"{f['results']:>10,}"
        )

    def ratio(a: str, b: str) -> str:
        wall = figures[a]["seconds"] / figures[b]["seconds"]
        return f"{wall:6.1f}× wall, {figures[a]['cpu'] / figures[b]['cpu']:6.1f}× CPU"

    print(f"pandas / ladder core set (same figures):  {ratio('pandas', 'core')}")
    if "core-warm" in figures and "pandas-warm" in figures:
        print(f"pandas / ladder core set, warm processes: {ratio('pandas-warm', 'core-warm')}")
    print(f"pandas core set / ladder every indicator: {ratio('pandas', 'polars')}")
    print(f"ladder every indicator / raw scan floor:  {ratio('polars', 'floor')}")
    print(f"duckdb / polars:                          {ratio('duckdb', 'polars')}")
    if "spark" in figures:
        print(f"spark / polars:                           {ratio('spark', 'polars')}")
    if "before" in figures:
        print(f"--before / this code, every indicator:    {ratio('before', 'polars')}")
    if "fairlearn" in figures:
        print(f"Fairlearn / ladder wres.2:                {ratio('fairlearn', 'wres2')}")


ONE_WARM = ("polars-started", "polars-warm", "core-warm", "pandas-warm")
"""Contenders also timed in a warm process on one trust: a dashboard asks a running service,
which has read the reference data and run Polars' queries before."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="bench/out/national")
    parser.add_argument("--orgs", type=int, default=210)
    parser.add_argument("--staff", type=int, default=7000)
    parser.add_argument("--one", default="bench/out/one-trust", help="one large trust's data")
    parser.add_argument("--one-staff", type=int, default=25000)
    parser.add_argument(
        "--one-repeats", type=int, default=3, help="fresh processes per one-trust contender"
    )
    parser.add_argument("--spark", action="store_true", help="also time the Spark engine")
    parser.add_argument("--fairlearn", action="store_true", help="also time Fairlearn")
    parser.add_argument("--before", help="another src tree to time beside this code")
    parser.add_argument("--sizes", default="national,one", help="national, one or both")
    parser.add_argument(
        "--warmup", default="bench/out/warmup", help="small data for the warm-process runs"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args.child, Path(args.data), Path(args.warmup))
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return
    national, one, warmup = Path(args.data), Path(args.one), Path(args.warmup)
    sizes = set(args.sizes.split(","))
    if "national" in sizes:
        ensure(national, args.orgs, args.staff)
    if "one" in sizes:
        ensure(one, 1, args.one_staff)
        ensure(warmup, 1, 3000)
    names = [
        *(["before"] if args.before else []),
        "polars",
        "duckdb",
        *(["spark"] if args.spark else []),
        "core",
        "pandas",
        "floor",
    ]
    extra = ["wres2", "fairlearn"] if args.fairlearn else []
    if "national" in sizes:
        report(
            f"National: {national} ({args.orgs} trusts × {args.staff:,} staff, ladder synth "
            "Parquet)",
            {name: measure(name, national, args.before) for name in [*names, *extra]},
        )
    if "one" in sizes:
        report(
            f"One large trust: {one} ({args.one_staff:,} staff; each contender the median of "
            f"{args.one_repeats} fresh processes, interleaved)",
            interleaved([*names, *ONE_WARM], one, args.before, warmup, args.one_repeats),
        )


if __name__ == "__main__":
    main()
