"""Calibration: on `ladder synth` output the indicators recover the patterns the generator
was calibrated to (docs/synthetic-data.md). The trusts are pooled into one organisation so
that the national figures are compared with the national targets."""

from __future__ import annotations

import polars as pl
import pytest

from ladder.contract.datasets import DATASETS
from ladder.metrics.inputs import load
from ladder.metrics.results import Result
from ladder.metrics.runner import run
from ladder.metrics.settings import Settings
from ladder.synth import SynthConfig, generate
from tests.metrics.conftest import pick


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory) -> list[Result]:
    raw = tmp_path_factory.mktemp("calibration-raw")
    generate(SynthConfig(out=raw, orgs=8, staff=3000, seed=2024, fmt="parquet"))
    pooled_dir = tmp_path_factory.mktemp("calibration-pooled")
    for kind in DATASETS:
        frame = pl.read_parquet(raw / f"{kind}.parquet")
        frame.with_columns(pl.lit("ZZZ").alias("org_code")).write_parquet(
            pooled_dir / f"{kind}.parquet"
        )
    loaded = load(pooled_dir, settings=Settings(threshold=1))
    try:
        return run(loaded.context).results
    finally:
        loaded.close()


def test_appointment_from_shortlisting(pooled: list[Result]) -> None:
    # WRES 2023 national: White applicants 1.59 times as likely to be appointed.
    wres2 = pick(pooled, "wres.2", "White:BME")
    assert wres2.value == pytest.approx(1.59, abs=0.2)
    assert wres2.ci_lower is not None and wres2.ci_lower > 1
    # WDES: non-disabled applicants about 1.1 times as likely.
    wdes2 = pick(pooled, "wdes.2", "Non-disabled:Disabled")
    assert wdes2.value == pytest.approx(1.1, abs=0.15)


def test_training_and_disciplinary(pooled: list[Result]) -> None:
    wres4 = pick(pooled, "wres.4", "White:BME")
    assert wres4.value == pytest.approx(1.10, abs=0.08)
    wres3 = pick(pooled, "wres.3", "BME:White")
    assert wres3.value is not None and 0.9 < wres3.value < 1.6


def test_survey_equal_opportunities(pooled: list[Result]) -> None:
    # NHS Staff Survey 2022: 58.7% of White and 44.4% of ethnic minority staff.
    white = pick(pooled, "wres.7", "White")
    bme = pick(pooled, "wres.7", "BME")
    assert white.value == pytest.approx(58.7, abs=3)
    assert bme.value == pytest.approx(44.4, abs=3)


def test_workforce_profile(pooled: list[Result]) -> None:
    female = pick(pooled, "representation.sex", "female", pay_band="all")
    assert female.value == pytest.approx(77, abs=3)
    declared = pick(pooled, "wdes.declaration")
    assert declared.value is not None and declared.value < 100
    # BME share falls with band (WRES 1): Band 5 above Band 8c-9 in the whole workforce.
    band5 = pick(pooled, "representation.ethnicity", "BME", pay_band="Band 5")
    band9 = pick(pooled, "representation.ethnicity", "BME", pay_band="Band 9")
    assert band5.value is not None and band9.value is not None
    assert band5.value > band9.value + 10


def test_pay_gap_direction(pooled: list[Result]) -> None:
    mean_gap = pick(pooled, "paygap.sex.mean_hourly", "female")
    assert mean_gap.value is not None and 5 < mean_gap.value < 30
    men = pick(pooled, "paygap.sex.bonus_proportion", "male")
    women = pick(pooled, "paygap.sex.bonus_proportion", "female")
    assert men.value is not None and women.value is not None and men.value > women.value
