"""Hand-made programme data: the Leeds Lincoln Green pilot (127 engaged, 60 completed
pre-employment training, 49 recruited) and small frames for the stage checks."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ladder.synth.frames import conform

ORG = "RR8"
START = dt.date(2023, 5, 1)


def pilot(
    engaged: int = 127,
    completed: int = 60,
    recruited: int = 49,
    *,
    programme: str = "Lincoln Green pilot",
    cohorts: tuple[tuple[str, int], ...] = (("2023-05", 127),),
    org: str = ORG,
) -> pl.DataFrame:
    """``engaged`` participants; the first ``completed`` completed the training 30 days
    after engaging, the first ``recruited`` of those started work 40 days after that.
    Cohorts are handed out in order (label, size). Odd rows female, every third BME."""
    labels = [label for label, size in cohorts for _ in range(size)]
    assert len(labels) == engaged
    rows = []
    for i in range(engaged):
        day = START + dt.timedelta(days=i % 20)
        trained = day + dt.timedelta(days=30) if i < completed else None
        started = trained + dt.timedelta(days=40) if i < recruited and trained else None
        rows.append(
            {
                "participant_id": f"P{i + 1:04d}",
                "programme": programme,
                "cohort": labels[i],
                "org_code": org,
                "sex": "female" if i % 2 else "male",
                "ethnic_category": "N" if i % 3 == 0 else "A",
                "engaged_date": day,
                "trained_date": trained,
                "employed_date": started,
            }
        )
    return conform(pl.DataFrame(rows), "participants")
