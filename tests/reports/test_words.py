"""Plain-English sentences: hand-written expectations for every kind of figure."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.metrics.results import Measure, Result, Unit
from ladder.reports.words import sentence, summary

ORG, PERIOD = "R1H", 2024


def make(result_id: str, measure: Measure, unit: Unit, value: float | None, **kw: Any) -> Result:
    fields: dict[str, Any] = {"title": result_id, "org": ORG, "period": PERIOD, "method": "m"}
    fields.update(kw)
    return Result(id=result_id, measure=measure, unit=unit, value=value, **fields)


def likelihood(result_id: str, group: str, value: float, low: float, high: float) -> Result:
    flags = ("no_evidence_of_difference",) if low <= 1 <= high else ()
    return make(
        result_id,
        Measure.RELATIVE_LIKELIHOOD,
        Unit.RATIO,
        value,
        group=group,
        numerator=664,
        denominator=2755,
        reference_numerator=845,
        reference_denominator=6103,
        ci_lower=low,
        ci_upper=high,
        flags=flags,
    )


def gap(result_id: str, group: str, value: float, reference: str, **kw: Any) -> Result:
    note = f"reference group: {reference}; snapshot 2024-03-31"
    return make(result_id, Measure.GAP, Unit.PERCENT, value, group=group, note=note, **kw)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            likelihood("wres.2", "White:BME", 1.6149, 1.4213, 1.8321),
            "White applicants were 1.61 times as likely as BME applicants to be appointed "
            "from shortlisting (95% confidence interval 1.42 to 1.83).",
        ),
        (
            likelihood("wres.3", "BME:White", 1.1412, 0.9104, 1.4301),
            "BME staff were 1.14 times as likely as White staff to enter the formal "
            "disciplinary process (95% CI 0.91 to 1.43): there is no evidence of a difference.",
        ),
        (
            likelihood("wres.4", "White:BME", 0.8512, 0.8049, 0.9003),
            "White staff were 0.85 times as likely as BME staff to access non-mandatory "
            "training and CPD (95% confidence interval 0.80 to 0.90).",
        ),
        (
            likelihood("wdes.2", "Non-disabled:Disabled", 1.296, 1.083, 1.55),
            "Non-disabled applicants were 1.30 times as likely as disabled applicants to be "
            "appointed from shortlisting (95% confidence interval 1.08 to 1.55).",
        ),
        (
            likelihood("wdes.3", "Disabled:Non-disabled", 0.72, 0.41, 1.26),
            "Disabled staff were 0.72 times as likely as non-disabled staff to enter the "
            "formal capability process on grounds of performance (95% CI 0.41 to 1.26): "
            "there is no evidence of a difference.",
        ),
        (
            likelihood("seb.appointment", "professional:lower", 1.154, 1.017, 1.31),
            "Applicants from a professional background were 1.15 times as likely as applicants "
            "from a lower socio-economic background to be appointed from shortlisting "
            "(95% confidence interval 1.02 to 1.31).",
        ),
        (
            likelihood("wres.2", "White:BME", 1.001, 0.95, 1.05),
            "White applicants were as likely as BME applicants to be appointed from "
            "shortlisting (relative likelihood 1.00; 95% CI 0.95 to 1.05): there is no "
            "evidence of a difference.",
        ),
    ],
    ids=["wres2", "ci-includes-1", "below-1", "wdes2", "wdes3-below-1-ci-1", "seb", "equal"],
)
def test_relative_likelihoods(result: Result, expected: str) -> None:
    assert sentence(result) == expected


def test_interval_including_one_is_no_evidence_even_without_the_flag() -> None:
    result = likelihood("wres.2", "White:BME", 1.2, 0.9, 1.6)
    unflagged = make(
        result.id,
        result.measure,
        result.unit,
        result.value,
        group=result.group,
        ci_lower=0.9,
        ci_upper=1.6,
    )
    assert sentence(unflagged).endswith("there is no evidence of a difference.")
    assert "more likely" not in sentence(unflagged)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            gap("paygap.sex.mean_hourly", "female", 14.635, "male"),
            "Women's mean hourly pay was 14.6% lower than men's.",
        ),
        (
            gap("paygap.sex.median_hourly", "female", -3.734, "male"),
            "Women's median hourly pay was 3.7% higher than men's.",
        ),
        (
            gap("paygap.sex.mean_bonus", "female", 16.99, "male"),
            "Women's mean bonus pay was 17.0% lower than men's.",
        ),
        (
            gap("paygap.sex.median_hourly", "female", 0.02, "male"),
            "Women's median hourly pay was the same as men's.",
        ),
        (
            gap("paygap.ethnicity.mean_hourly", "BME", -2.6, "White"),
            "The mean hourly pay of BME staff was 2.6% higher than that of White staff.",
        ),
        (
            gap("paygap.disability.median_hourly", "Disabled", 5.04, "Non-disabled"),
            "The median hourly pay of disabled staff was 5.0% lower than that of non-disabled "
            "staff.",
        ),
        (
            gap("paygap.seb.mean_hourly", "lower", 19.561, "professional"),
            "The mean hourly pay of staff from a lower socio-economic background was 19.6% "
            "lower than that of staff from a professional background.",
        ),
        (
            gap("paygap.ethnicity.mean_bonus", "BME", 28.58, "White", flags=("small_group",)),
            "The mean bonus pay of BME staff was 28.6% lower than that of White staff; one of "
            "the groups has fewer than 50 people, so read this with caution.",
        ),
    ],
    ids=["mean", "negative", "bonus", "zero", "ethnicity", "disability", "seb", "small"],
)
def test_pay_gaps(result: Result, expected: str) -> None:
    assert sentence(result) == expected


def rate(result_id: str, group: str, value: float, num: int, den: int, **kw: Any) -> Result:
    return make(
        result_id, Measure.RATE, Unit.PERCENT, value, group=group, numerator=num, denominator=den,
        **kw,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            rate("wres.5", "BME", 24.78, 458, 1848, ci_lower=22.87, ci_upper=26.79),
            "24.8% of BME staff (458 of 1,848) experienced harassment, bullying or abuse from "
            "patients, relatives or the public in the last 12 months (95% confidence interval "
            "22.9% to 26.8%).",
        ),
        (
            rate("wres.2", "White", 24.1016, 664, 2755),
            "24.1% of White applicants (664 of 2,755) were appointed from shortlisting.",
        ),
        (
            rate("wdes.4", "Disabled", 16.07, 112, 697, breakdown={"from": "managers"}),
            "16.1% of disabled staff (112 of 697) experienced harassment, bullying or abuse "
            "from managers in the last 12 months.",
        ),
        (
            rate("paygap.sex.bonus_proportion", "female", 1.127, 54, 4793),
            "1.1% of women (54 of 4,793) received bonus pay.",
        ),
        (
            make(
                "wres.1",
                Measure.SHARE,
                Unit.PERCENT,
                62.504,
                group="BME",
                breakdown={"cluster": "clinical", "pay_band": "Band 5"},
                numerator=512,
                denominator=819,
                title="Staff in each band by ethnic group (% of the band)",
            ),
            "62.5% of staff in Band 5 (clinical) (512 of 819) were BME.",
        ),
        (
            make(
                "seb.profile",
                Measure.SHARE,
                Unit.PERCENT,
                36.929,
                group="professional",
                numerator=873,
                denominator=2364,
                title="Socio-economic background of the workforce (% of staff answering)",
            ),
            "36.9% of staff answering (873 of 2,364) were from a professional background.",
        ),
    ],
    ids=["survey", "appointment-rate", "wdes4", "bonus", "band-share", "seb-profile"],
)
def test_rates_and_shares(result: Result, expected: str) -> None:
    assert sentence(result) == expected


def test_difference_below_zero_and_interval_including_zero() -> None:
    lower = make(
        "wres.7",
        Measure.DIFFERENCE,
        Unit.PERCENTAGE_POINTS,
        -12.798,
        group="BME:White",
        ci_lower=-16.944,
        ci_upper=-8.576,
    )
    assert sentence(lower) == (
        "The percentage of BME staff who believed that the trust provides equal opportunities "
        "for career progression or promotion was 12.8 percentage points lower than that of "
        "White staff (95% confidence interval -16.9 to -8.6)."
    )
    spanning = make(
        "wres.5",
        Measure.DIFFERENCE,
        Unit.PERCENTAGE_POINTS,
        2.514,
        group="BME:White",
        ci_lower=-0.883,
        ci_upper=5.819,
    )
    assert sentence(spanning) == (
        "The percentage of BME staff who experienced harassment, bullying or abuse from "
        "patients, relatives or the public in the last 12 months was 2.5 percentage points "
        "higher than that of White staff (95% CI -0.9 to 5.8): there is no evidence of a "
        "difference."
    )


def test_suppressed_says_withheld_with_no_bound_and_never_the_value() -> None:
    result = rate("wdes.8", "Disabled", 74.797, 368, 492).suppress("a count below 10")
    assert sentence(result) == (
        "The figure for disabled staff is withheld (disclosure control: see the notes)."
    )
    assert sentence(result, threshold=5) == sentence(result)  # no threshold, no bound
    assert "74" not in sentence(result)


def test_suppressed_likelihood_and_secondary_suppression() -> None:
    result = likelihood("wdes.3", "Disabled:Non-disabled", 1.5, 0.5, 4.0).suppress(
        "a count below 10"
    )
    assert sentence(result) == (
        "The figure for disabled staff compared with non-disabled staff is withheld "
        "(disclosure control: see the notes)."
    )
    secondary = make(
        "representation.ethnicity",
        Measure.SHARE,
        Unit.PERCENT,
        40.0,
        group="BME",
        breakdown={"pay_band": "Band 8a"},
    ).suppress("withheld so a smaller cell cannot be derived from totals")
    assert sentence(secondary) == (  # a complement reads like a small count (issue 12)
        "The figure for BME staff in Band 8a is withheld (disclosure control: see the notes)."
    )


def test_missing_value_gives_the_reason_in_the_note() -> None:
    result = make(
        "wres.3",
        Measure.RELATIVE_LIKELIHOOD,
        Unit.RATIO,
        None,
        group="BME:White",
        note="no White staff entered the formal disciplinary process, so the ratio is undefined",
    )
    assert sentence(result) == (
        "There is no figure for BME staff compared with White staff: no White staff entered "
        "the formal disciplinary process, so the ratio is undefined."
    )
    bare = make("wres.5", Measure.RATE, Unit.PERCENT, float("nan"), group="BME")
    assert sentence(bare) == "There is no figure for BME staff and no reason was recorded."


def test_pay_amounts() -> None:
    result = make(
        "paygap.sex.hourly_pay.mean", Measure.MEAN, Unit.GBP, 23.0916, group="female",
        title="Mean hourly pay",
    )  # fmt: skip
    assert sentence(result) == "The mean hourly pay of women was £23.09."


def family_results() -> list[Result]:
    return [
        make("wres.1", Measure.SHARE, Unit.PERCENT, 62.5, group="BME",
             breakdown={"cluster": "all", "pay_band": "all"}, numerator=3884, denominator=6214),
        make("wres.1", Measure.SHARE, Unit.PERCENT, 60.0, group="BME",
             breakdown={"cluster": "all", "pay_band": "Band 5"}, numerator=600, denominator=1000),
        rate("wres.2", "White", 24.1, 664, 2755),
        likelihood("wres.2", "White:BME", 1.6149, 1.4213, 1.8321),
        likelihood("wres.3", "BME:White", 1.1412, 0.9104, 1.4301),
        likelihood("wres.4", "White:BME", 0.8512, 0.8049, 0.9003),
        replace(likelihood("wres.2", "White:BME", 3.0, 2.0, 4.0), org="RRV"),
        gap("paygap.sex.mean_hourly", "female", 14.635, "male"),
        gap("paygap.sex.median_hourly", "female", -3.734, "male"),
        gap("paygap.ethnicity.mean_hourly", "Asian", 1.0, "White"),
    ]  # fmt: skip


def test_wres_summary_opens_with_org_and_period_then_the_headline_likelihoods() -> None:
    assert summary(family_results(), "wres", ORG, PERIOD) == [
        "These figures are for R1H, reporting year 2023/24 (the year to 31 March 2024).",
        "62.5% of all staff (3,884 of 6,214) were BME.",
        "White applicants were 1.61 times as likely as BME applicants to be appointed from "
        "shortlisting (95% confidence interval 1.42 to 1.83).",
        "BME staff were 1.14 times as likely as White staff to enter the formal disciplinary "
        "process (95% CI 0.91 to 1.43): there is no evidence of a difference.",
        "White staff were 0.85 times as likely as BME staff to access non-mandatory training "
        "and CPD (95% confidence interval 0.80 to 0.90).",
    ]


def test_paygap_summary_and_empty_families() -> None:
    assert summary(family_results(), "paygap", ORG, PERIOD)[1:] == [
        "Women's mean hourly pay was 14.6% lower than men's.",
        "Women's median hourly pay was 3.7% higher than men's.",
    ]
    assert summary(family_results(), "wdes", ORG, PERIOD)[1:] == [
        "No WDES figures are available for this organisation and year."
    ]
    assert summary(family_results(), "wres", ORG, 2023)[1:] == [
        "No WRES figures are available for this organisation and year."
    ]
    with pytest.raises(ValueError, match="unknown family"):
        summary(family_results(), "nonsense", ORG, PERIOD)


def test_representation_summary_counts_withheld_figures() -> None:
    rows = [
        make("representation.sex", Measure.SHARE, Unit.PERCENT, 70.0, group="female",
             breakdown={"pay_band": "Band 5"}, numerator=70, denominator=100),
        make("representation.sex", Measure.SHARE, Unit.PERCENT, 30.0, group="male",
             breakdown={"pay_band": "Band 5"}, numerator=30, denominator=100),
        make("representation.sex", Measure.SHARE, Unit.PERCENT, 90.0, group="female",
             breakdown={"pay_band": "VSM"}).suppress("a count below 10"),
    ]  # fmt: skip
    assert summary(rows, "representation", ORG, PERIOD)[1:] == [
        "Representation by sex is shown for 2 pay bands; 1 of its 3 figures is withheld "
        "(disclosure control: see the notes)."
    ]


@given(
    value=st.floats(min_value=0.01, max_value=99.0),
    low=st.floats(min_value=0.01, max_value=50.0),
    width=st.floats(min_value=0.0, max_value=50.0),
)
def test_likelihood_wording_never_overstates(value: float, low: float, width: float) -> None:
    text = sentence(likelihood("wres.2", "White:BME", value, low, low + width))
    assert "more likely" not in text and "less likely" not in text
    assert text.endswith("there is no evidence of a difference.") == (low <= 1 <= low + width)
    suppressed = sentence(likelihood("wres.2", "White:BME", value, low, low + width).suppress("x"))
    assert f"{value:.2f}" not in suppressed


def test_place_summary_sentences() -> None:
    from ladder.reports.words import place_summary

    q1, q5 = "Q1 (most deprived)", "Q5 (least deprived)"
    results = [
        make("place.deprived_staff", Measure.SHARE, Unit.PERCENT, 12.34,
             group="most deprived decile", breakdown={"pay_band": "all"},
             numerator=123, denominator=997),
        make("place.local_staff", Measure.SHARE, Unit.PERCENT, 61.0, group="local",
             breakdown={"pay_band": "all"}, numerator=610, denominator=1000),
        likelihood("place.training", f"{q5}:{q1}", 1.2512, 1.05, 1.49),
        gap("paygap.deprivation.median_hourly", q1, 18.26, q5),
        gap("paygap.deprivation.median_hourly", "Q2", 5.0, q5),
    ]  # fmt: skip
    text = place_summary(
        results, ORG, PERIOD, catchment_percent=20.04, neighbourhoods=(9, 1, 16965)
    )
    assert text == [
        "12.3% of staff whose home area is known live in the most deprived 10% of "
        "neighbourhoods in England, against 20.0% of the population of the trust's catchment.",
        "61.0% of staff live in the trust's local authorities.",
        "Staff from the least deprived fifth of neighbourhoods in England were 1.25 times as "
        "likely as staff from the most deprived fifth of neighbourhoods in England to access "
        "non-mandatory training and CPD (95% confidence interval 1.05 to 1.49).",
        "The median hourly pay of staff from the most deprived fifth of neighbourhoods in "
        "England was 18.3% lower than that of staff from the least deprived fifth of "
        "neighbourhoods in England.",
        "9 of the catchment's neighbourhoods are among the most deprived 10% in England (1 "
        "among the most deprived 1%), home to 16,965 people (Census 2021).",
    ]
    withheld = [make("place.deprived_staff", Measure.SHARE, Unit.PERCENT, None,
                     group="most deprived decile", breakdown={"pay_band": "all"},
                     suppressed=True)]  # fmt: skip
    assert place_summary(withheld, ORG, PERIOD)[0] == (
        "The share of staff living in the most deprived 10% of neighbourhoods in England is "
        "withheld (disclosure control: see the notes)."
    )
