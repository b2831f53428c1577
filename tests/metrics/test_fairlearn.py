"""Cross-check: selection rates and their ratio agree with Fairlearn's MetricFrame."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from fairlearn.metrics import MetricFrame, selection_rate

from tests.metrics.conftest import compute_results, pick


def test_appointment_rates_match_fairlearn() -> None:
    rng = np.random.default_rng(3)
    n = 4000
    codes = rng.choice(list("ABCHJKMNZ"), size=n)
    shortlisted = rng.random(n) < 0.4
    white = np.isin(codes, list("ABC"))
    appointed = shortlisted & (rng.random(n) < np.where(white, 0.3, 0.2))
    frame = pl.DataFrame(
        {
            "application_id": [f"A{i}" for i in range(n)],
            "vacancy_id": "V",
            "org_code": "R1H",
            "applied_date": dt.date(2023, 9, 1),
            "ethnic_category": codes,
            "shortlisted": shortlisted,
            "appointed": appointed,
        }
    )
    results = compute_results({"applications": frame}, ["wres.2"])

    group = np.where(white, "White", np.where(codes == "Z", "Unknown", "BME"))
    mf = MetricFrame(
        metrics=selection_rate,
        y_true=appointed[shortlisted].astype(int),
        y_pred=appointed[shortlisted].astype(int),
        sensitive_features=group[shortlisted],
    )
    for name in ("White", "BME", "Unknown"):
        assert pick(results, "wres.2", name).value == pytest.approx(100 * mf.by_group[name])
    ratio = pick(results, "wres.2", "White:BME").value
    assert ratio == pytest.approx(mf.by_group["White"] / mf.by_group["BME"])
