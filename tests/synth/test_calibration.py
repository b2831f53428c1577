"""Published national patterns hold in a moderately sized generation (2 trusts x 5000)."""

from __future__ import annotations

import polars as pl
import pytest

from ladder import codes, reference
from ladder.synth import SynthResult

WRES = pl.col("ethnic_category").replace_strict(codes.WRES_GROUP, default="Unknown")


@pytest.fixture(scope="module")
def staff(calibration: SynthResult) -> pl.DataFrame:
    return pl.read_parquet(calibration.files["staff"]).with_columns(WRES.alias("group"))


def _by_key(df: pl.DataFrame) -> dict[str, float]:
    """First column → second column of a two-column aggregate."""
    return dict(zip(df.to_series(0).to_list(), df.to_series(1).to_list(), strict=True))


def _bme_share(df: pl.DataFrame) -> float:
    known = df.filter(pl.col("group") != "Unknown")
    return float((known.get_column("group") == "BME").mean())  # type: ignore[arg-type]


def test_bme_share_falls_with_band(staff: pl.DataFrame) -> None:
    band5 = _bme_share(staff.filter(pl.col("pay_band") == "Band 5"))
    senior = _bme_share(
        staff.filter(pl.col("pay_band").is_in(["Band 8c", "Band 8d", "Band 9", "VSM"]))
    )
    assert senior < band5 * 0.75, (senior, band5)


def test_barts_is_far_more_diverse_than_leeds(staff: pl.DataFrame) -> None:
    barts = _bme_share(staff.filter(pl.col("org_code") == "R1H"))
    leeds = _bme_share(staff.filter(pl.col("org_code") == "RR8"))
    assert barts > 0.45 and leeds < 0.35 and barts > leeds + 0.2, (barts, leeds)


def test_first_trust_is_large(calibration: SynthResult) -> None:
    sizes = {t.org_code: t.staff for t in calibration.trusts}
    assert sizes["R1H"] > 1.5 * sizes["RR8"]
    assert abs(sum(sizes.values()) - 10_000) < 200


def test_about_77_percent_female(staff: pl.DataFrame) -> None:
    share = float((staff.get_column("sex") == "female").mean())  # type: ignore[arg-type]
    assert 0.7 <= share <= 0.82


def test_white_bme_appointment_from_shortlisting_ratio(calibration: SynthResult) -> None:
    apps = pl.read_parquet(calibration.files["applications"]).with_columns(WRES.alias("group"))
    short = apps.filter(pl.col("shortlisted"))
    rate = _by_key(short.group_by("group").agg(pl.col("appointed").mean()))
    ratio = rate["White"] / rate["BME"]
    assert 1.3 <= ratio <= 1.9, ratio
    per_staff = apps.height / 10_000
    assert 6.0 <= per_staff <= 7.5


def test_disability_under_declared_in_esr(calibration: SynthResult, staff: pl.DataFrame) -> None:
    esr_disabled = float(staff.get_column("disability").fill_null(False).mean())  # type: ignore[arg-type]
    not_declared = staff.get_column("disability").null_count() / staff.height
    survey = pl.read_parquet(calibration.files["survey"])
    respondents = survey.unique("respondent_id").filter(pl.col("disability").is_not_null())
    survey_rate = float(respondents.get_column("disability").mean())  # type: ignore[arg-type]
    assert 0.03 <= esr_disabled <= 0.08
    assert survey_rate > 0.18 and survey_rate > 3 * esr_disabled
    assert not_declared > 0.1


def test_lower_bands_live_in_more_deprived_areas(staff: pl.DataFrame) -> None:
    deciles = reference.postcodes().select("pcds", "imd2019_decile")
    joined = staff.join(deciles, left_on="home_postcode", right_on="pcds", how="inner")
    low = joined.filter(pl.col("pay_band").is_in(["Band 2", "Band 3"]))
    high = joined.filter(
        pl.col("pay_band").is_in(["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"])
    )
    low_mean = float(low.get_column("imd2019_decile").mean())  # type: ignore[arg-type]
    high_mean = float(high.get_column("imd2019_decile").mean())  # type: ignore[arg-type]
    assert low_mean + 0.8 < high_mean, (low_mean, high_mean)


def test_participants_come_from_deprived_neighbourhoods(calibration: SynthResult) -> None:
    deciles = reference.postcodes().select("pcds", "imd2019_decile")
    people = pl.read_parquet(calibration.files["participants"]).join(
        deciles, left_on="home_postcode", right_on="pcds"
    )
    assert float(people.get_column("imd2019_decile").mean()) < 3.5  # type: ignore[arg-type]


def test_class_ceiling_and_seb_mix(staff: pl.DataFrame) -> None:
    answered = staff.filter(pl.col("seb_parent_occupation").is_not_null())
    response = answered.height / staff.height
    assert 0.2 < response < 0.7
    other = answered.get_column("seb_parent_occupation").is_in([8, 9]).mean()
    assert 0.05 < float(other) < 0.15  # type: ignore[arg-type]
    grouped = answered.with_columns(
        pl.col("seb_parent_occupation").replace_strict(codes.SEB_GROUP).alias("seb")
    ).filter(pl.col("seb").is_not_null())
    mix = _by_key(grouped.get_column("seb").value_counts(normalize=True))
    assert 0.3 <= mix["professional"] <= 0.45
    assert 0.17 <= mix["intermediate"] <= 0.28
    assert 0.3 <= mix["lower"] <= 0.45

    def professional(bands: list[str]) -> float:
        part = grouped.filter(pl.col("pay_band").is_in(bands))
        return float((part.get_column("seb") == "professional").mean())  # type: ignore[arg-type]

    assert professional(["Band 2", "Band 3"]) + 0.15 < professional(
        ["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM", "Consultant"]
    )


def test_pay_rises_with_band_and_men_get_more_bonuses(staff: pl.DataFrame) -> None:
    means = _by_key(staff.group_by("pay_band").agg(pl.col("hourly_pay").median()))
    ladder = ["Band 2", "Band 4", "Band 6", "Band 8a", "Band 8c", "Band 9"]
    values = [means[b] for b in ladder]
    assert values == sorted(values)
    bonus = _by_key(staff.group_by("sex").agg(pl.col("bonus_pay").is_not_null().mean()))
    assert bonus["male"] > 2 * bonus["female"]
    assert 0.005 < bonus["female"] < bonus["male"] < 0.12
    not_relevant = 1 - float(staff.get_column("full_pay_relevant").mean())  # type: ignore[arg-type]
    assert 0.02 < not_relevant < 0.09
    part_time = float((staff.get_column("fte") < 1).mean())  # type: ignore[arg-type]
    assert 0.2 < part_time < 0.45


def test_survey_pattern_equal_opportunities(calibration: SynthResult) -> None:
    survey = pl.read_parquet(calibration.files["survey"]).with_columns(WRES.alias("group"))
    q15 = (
        survey.filter(pl.col("question_id") == "q15")
        .with_columns(pl.col("answer").alias("yes"))  # canonical Parquet: already boolean
        .filter(pl.col("yes").is_not_null())
    )
    share = _by_key(q15.group_by("group").agg(pl.col("yes").mean()))
    assert share["White"] - share["BME"] > 0.08
    staff_n = 10_000
    respondents = survey.get_column("respondent_id").n_unique()
    assert 0.33 < respondents / staff_n < 0.55
