"""Benchmark: the full indicator suite for every trust, end to end from Parquet.

Contenders, each in its own subprocess so its wall time and peak memory (max RSS) are its own:

- ladder (polars, duckdb; spark optional): `load` + `run` of every registered indicator;
- baseline (a): a straightforward pandas implementation of the main indicators
  (WRES 1-4 and 5-8, WDES 2-3, sex pay gap with quartiles, SEB profile);
- baseline (b): Fairlearn's MetricFrame for the selection-rate part (appointment from
  shortlisting by trust and ethnic group), beside ladder's `wres.2` alone.

Printed as ratios in the same run. Data: `ladder synth` Parquet output (default: national
size, 210 trusts × 7,000 staff, generated once into --data if missing).

Usage: python bench/bench_metrics.py [--data DIR] [--orgs 210] [--staff 7000] [--spark]
       python bench/bench_metrics.py --data /tmp/one --orgs 1 --staff 25000   # one large trust
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

WHITE = set("ABC")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ladder(data: Path, engine: str, ids: list[str] | None) -> dict[str, Any]:
    from ladder.engines import EngineName
    from ladder.metrics import load, run

    start = time.perf_counter()
    loaded = load(data, engine=EngineName(engine))
    outcome = run(loaded.context, ids=ids)
    loaded.close()
    return {"seconds": time.perf_counter() - start, "results": len(outcome.results)}


def run_pandas(data: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    start = time.perf_counter()
    staff = pd.read_parquet(data / "staff.parquet")
    apps = pd.read_parquet(data / "applications.parquet")
    training = pd.read_parquet(data / "training.parquet")
    cases = pd.read_parquet(data / "cases.parquet")
    survey = pd.read_parquet(data / "survey.parquet")

    def eth(codes: pd.Series) -> pd.Series:
        return pd.Series(
            np.where(
                codes.isin(list(WHITE)),
                "White",
                np.where(codes.isna() | (codes == "Z"), "Unknown", "BME"),
            ),
            index=codes.index,
        )

    out: dict[str, Any] = {}
    staff["group"] = eth(staff["ethnic_category"])
    clinical = {
        "Administrative and Clerical": "non-clinical",
        "Estates and Ancillary": "non-clinical",
        "Medical and Dental": "medical",
    }
    staff["cluster"] = staff["staff_group"].map(clinical).fillna("clinical")
    band = staff.groupby(["org_code", "cluster", "pay_band", "group"]).size()
    out["wres1"] = band / band.groupby(level=[0, 1, 2]).transform("sum")
    short = apps[apps["shortlisted"]].copy()
    short["group"] = eth(short["ethnic_category"])
    rates = short.groupby(["org_code", "group"])["appointed"].mean().unstack()
    out["wres2"] = rates["White"] / rates["BME"]
    headcount = staff.groupby(["org_code", "group"]).size().unstack()
    disc = cases[cases["case_type"] == "disciplinary"].merge(
        staff[["org_code", "staff_id", "group"]], on=["org_code", "staff_id"]
    )
    entering = (
        disc.drop_duplicates(["org_code", "staff_id"])
        .groupby(["org_code", "group"])
        .size()
        .unstack()
    )
    out["wres3"] = (entering["BME"] / headcount["BME"]) / (entering["White"] / headcount["White"])
    nonmand = (
        training[~training["mandatory"]]
        .drop_duplicates(["org_code", "staff_id"])
        .merge(staff[["org_code", "staff_id", "group"]], on=["org_code", "staff_id"])
    )
    access = nonmand.groupby(["org_code", "group"]).size().unstack() / headcount
    out["wres4"] = access["White"] / access["BME"]
    survey["group"] = eth(survey["ethnic_category"])
    out["wres5_8"] = survey.groupby(["org_code", "question_id", "group"])["answer"].mean()
    short["dis"] = short["disability"].map({True: "D", False: "N"})
    drates = short.groupby(["org_code", "dis"])["appointed"].mean().unstack()
    out["wdes2"] = drates["N"] / drates["D"]
    staff["dis"] = staff["disability"].map({True: "D", False: "N"})
    cap = cases[
        (cases["case_type"] == "capability") & (cases["capability_reason"] == "performance")
    ].merge(staff[["org_code", "staff_id", "dis"]], on=["org_code", "staff_id"])
    cap_rate = (
        cap.groupby(["org_code", "dis"]).size().unstack()
        / staff.groupby(["org_code", "dis"]).size().unstack()
    )
    out["wdes3"] = cap_rate["D"] / cap_rate["N"]
    fp = staff[staff["full_pay_relevant"].fillna(True)]
    pay = fp.groupby(["org_code", "sex"])["hourly_pay"].agg(["mean", "median"]).unstack()
    out["gap_mean"] = (pay[("mean", "male")] - pay[("mean", "female")]) / pay[("mean", "male")]
    out["gap_median"] = (pay[("median", "male")] - pay[("median", "female")]) / pay[
        ("median", "male")
    ]
    bonus = (
        staff[staff["bonus_pay"].fillna(0) > 0]
        .groupby(["org_code", "sex"])["bonus_pay"]
        .agg(["mean", "median"])
    )
    out["bonus"] = bonus
    fp = fp.sort_values(["org_code", "hourly_pay"])
    fp["quartile"] = (
        fp.groupby("org_code")["hourly_pay"].rank(method="first", pct=True).mul(4).apply(np.ceil)
    )
    out["quartiles"] = fp.groupby(["org_code", "quartile", "sex"]).size()
    seb = staff["seb_parent_occupation"].map(
        {
            1: "professional",
            2: "professional",
            3: "intermediate",
            7: "intermediate",
            4: "lower",
            5: "lower",
            6: "lower",
        }
    )
    out["seb"] = staff.assign(seb=seb).dropna(subset=["seb"]).groupby(["org_code", "seb"]).size()
    return {"seconds": time.perf_counter() - start, "results": sum(len(v) for v in out.values())}


def run_fairlearn(data: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    from fairlearn.metrics import MetricFrame, selection_rate

    start = time.perf_counter()
    apps = pd.read_parquet(
        data / "applications.parquet",
        columns=["org_code", "ethnic_category", "shortlisted", "appointed"],
    )
    short = apps[apps["shortlisted"]]
    codes = short["ethnic_category"]
    group = np.where(
        codes.isin(list(WHITE)), "White", np.where(codes.isna() | (codes == "Z"), "Unknown", "BME")
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
    return {"seconds": time.perf_counter() - start, "results": int(ratio.notna().sum())}


def child(args: argparse.Namespace) -> None:
    data = Path(args.data)
    if args.child == "pandas":
        result = run_pandas(data)
    elif args.child == "fairlearn":
        result = run_fairlearn(data)
    elif args.child == "wres2":
        result = run_ladder(data, "polars", ["wres.2"])
    else:
        result = run_ladder(data, args.child, None)
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def measure(name: str, data: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--data", str(data), "--child", name]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="bench/out/national")
    parser.add_argument("--orgs", type=int, default=210)
    parser.add_argument("--staff", type=int, default=7000)
    parser.add_argument("--spark", action="store_true", help="also time the Spark engine")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    data = Path(args.data)
    if not (data / "staff.parquet").exists():
        print(f"Generating {args.orgs} trusts × {args.staff} staff into {data} …", flush=True)
        subprocess.run(
            [
                "ladder",
                "synth",
                "--out",
                str(data),
                "--orgs",
                str(args.orgs),
                "--staff",
                str(args.staff),
                "--format",
                "parquet",
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
    contenders = [
        "polars",
        "duckdb",
        *(["spark"] if args.spark else []),
        "pandas",
        "wres2",
        "fairlearn",
    ]
    figures = {name: measure(name, data) for name in contenders}
    print(f"\nData: {data} (ladder synth Parquet)")
    print(f"{'contender':<34}{'wall s':>9}{'peak MB':>10}{'results':>9}")
    labels = {
        "polars": "ladder, full suite (polars)",
        "duckdb": "ladder, full suite (duckdb)",
        "spark": "ladder, full suite (spark)",
        "pandas": "baseline (a): pandas subset",
        "wres2": "ladder wres.2 only (polars)",
        "fairlearn": "baseline (b): Fairlearn MetricFrame",
    }
    for name, f in figures.items():
        print(f"{labels[name]:<34}{f['seconds']:>9.2f}{f['peak_mb']:>10.0f}{f['results']:>9}")
    base = figures["polars"]["seconds"]
    print(f"\npandas subset / ladder full suite:      {figures['pandas']['seconds'] / base:6.1f}×")
    print(
        f"Fairlearn / ladder wres.2 (selection): "
        f"{figures['fairlearn']['seconds'] / figures['wres2']['seconds']:6.1f}×"
    )
    print(f"duckdb / polars:                        {figures['duckdb']['seconds'] / base:6.2f}×")


if __name__ == "__main__":
    main()
