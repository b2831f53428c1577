"""Contracted staff of one trust: cleaners, porters, caterers and security officers employed
by contractors on the trust's sites, with their hourly pay against the Real Living Wage.

Invented: each trust has two or three contractors; the first (the soft-services contractor
holding cleaning and portering) pays part of its staff between the National Living Wage and
the Real Living Wage, as in the seed story in which contracted porters and cleaners were
refused a 30p an hour rise; the others pay at or above the living wage.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ladder import reference
from ladder.synth import frames
from ladder.synth.sampling import rng_for
from ladder.synth.trusts import TrustPlan

STREAM_CONTRACTED = 16
"""Random stream of this generator (its own, so adding it changed no other dataset)."""
PER_STAFF = 0.04
"""Assumption: about one contracted worker on site for every 25 directly employed staff."""
CONTRACTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Synthetic Soft Services Ltd", ("cleaning", "portering")),
    ("Synthetic Catering Ltd", ("catering",)),
    ("Synthetic Security Ltd", ("security",)),
)
SHARE_BELOW = 0.6
"""Assumption: share of the first contractor's porters and cleaners paid below the rate."""
HOURS = np.array([16.0, 20.0, 25.0, 30.0, 37.5])


def living_wage_at(snapshot: dt.date, london: bool) -> float:
    """The Real Living Wage employers were to pay by ``snapshot`` (the earliest rate before
    the table starts)."""
    table = reference.living_wage().sort("pay_by")
    rows = table.filter(pl.col("pay_by") <= snapshot)
    row = rows.row(-1, named=True) if rows.height else table.row(0, named=True)
    return float(row["london"] if london else row["uk"])


def generate_contracted(plan: TrustPlan, seed: int, snapshot: dt.date) -> pl.DataFrame:
    """The trust's contracted staff at ``snapshot``."""
    rng = rng_for(seed, plan.index, STREAM_CONTRACTED)
    n = max(20, round(PER_STAFF * plan.staff))
    rate = living_wage_at(snapshot, plan.london)
    contractors = CONTRACTORS[: 2 + int(rng.random() < 0.5)]
    weights = np.array([0.65, 0.2, 0.15][: len(contractors)])
    which = rng.choice(len(contractors), size=n, p=weights / weights.sum())
    service = np.array(
        [contractors[c][1][int(rng.integers(0, len(contractors[c][1])))] for c in which]
    )
    below = (which == 0) & (rng.random(n) < SHARE_BELOW)
    pay = np.where(
        below,
        rate - rng.uniform(0.15, 1.20, n),
        rate + rng.choice([0.0, 0.0, 0.25, 0.5, 1.0], n),
    )
    start_years = np.array([2, 5, 1])[which]
    contract_start = [dt.date(snapshot.year - int(y), 4, 1) for y in start_years]
    sites = np.array(["Main hospital", "Community hospital"])[(rng.random(n) < 0.2).astype(int)]
    df = pl.DataFrame(
        {
            "org_code": [plan.org_code] * n,
            "snapshot_date": [snapshot] * n,
            "contractor": [contractors[c][0] for c in which],
            "service": service.tolist(),
            "site": sites.tolist(),
            "hourly_pay": np.round(pay, 2),
            "hours": HOURS[rng.integers(0, HOURS.size, n)],
            "contract_start": contract_start,
        }
    ).with_columns(frames.ids(f"SYN-{plan.org_code}-C", n, 5, "worker_id"))
    return frames.conform(df, "contracted_staff")
