"""Property test: invariants hold for any seed, size and period."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.synth.applications import generate_applications
from ladder.synth.participants import STAGES, generate_participants
from ladder.synth.trusts import plan_trusts
from ladder.synth.workforce import generate_staff


@settings(max_examples=8, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    staff=st.integers(50, 400),
    period=st.integers(2019, 2026),
    trust=st.sampled_from(["R1H", "RR8", "RJ1", "RQF", "RP4", "K0N6A"]),
)
def test_invariants(seed: int, staff: int, period: int, trust: str) -> None:
    plan = plan_trusts(1, staff, seed, [trust])[0]
    snapshot = dt.date(period, 3, 31)
    workforce = generate_staff(plan, seed, snapshot)
    frame = workforce.frame
    assert frame.height == staff
    assert frame.get_column("staff_id").is_unique().all()
    assert 12 <= int(frame.get_column("is_board_member").sum()) <= 16
    assert (frame.get_column("hourly_pay") > 0).all()
    assert (frame.get_column("start_date") <= snapshot).all()

    apps = generate_applications(plan, workforce, seed, snapshot)
    short = apps.get_column("shortlisted").to_numpy()
    appointed = apps.get_column("appointed").to_numpy()
    assert not np.any(appointed & ~short)
    per_vacancy = apps.group_by("vacancy_id").agg(pl.col("shortlisted").any())
    assert per_vacancy.get_column("shortlisted").all()
    people = generate_participants(plan, seed, snapshot)
    stages = people.select(STAGES).rows()
    for row in stages:
        reached = [d for d in row if d is not None]
        assert reached == sorted(reached)
        assert all(d <= snapshot for d in reached)
