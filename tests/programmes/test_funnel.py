"""Hand-worked funnels: the Lincoln Green pilot, 127 → 60 → 49, with its Wilson intervals
worked here; conversion, time between stages, a cohort small enough to be suppressed, and
the headline sentence."""

from __future__ import annotations

import math

import pytest

from ladder.metrics.programmes import definition_for
from ladder.metrics.programmes.funnel import headline_sentence
from ladder.metrics.results import Measure
from tests.metrics.conftest import compute_results, pick
from tests.programmes.conftest import ORG, pilot

Z = 1.959963984540054


def wilson_by_hand(events: int, total: int) -> tuple[float, float, float]:
    """Wilson 1927, written out: centre (p + z²/2n) / (1 + z²/n), half-width
    z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n); in percent."""
    p = events / total
    denominator = 1 + Z**2 / total
    centre = (p + Z**2 / (2 * total)) / denominator
    half = Z * math.sqrt(p * (1 - p) / total + Z**2 / (4 * total**2)) / denominator
    return 100 * p, 100 * (centre - half), 100 * (centre + half)


def test_the_lincoln_green_pilot_127_60_49() -> None:
    results = compute_results({"participants": pilot()}, ["programme"])
    name = {"programme": "Lincoln Green pilot", "cohort": "all"}

    engaged = pick(results, "programme.funnel", "engaged", **name)
    completed = pick(results, "programme.funnel", "completed", **name)
    started = pick(results, "programme.funnel", "started", **name)
    assert (engaged.numerator, engaged.denominator) == (127, 127)
    assert (completed.numerator, completed.denominator) == (60, 127)
    assert (started.numerator, started.denominator) == (49, 127)

    # 60/127: p = 0.47244; z²/n = 3.84146/127 = 0.030248; centre = (0.47244 + 0.015124) /
    # 1.030248 = 0.47325; half = 1.95996 × sqrt(0.24924/127 + 3.84146/64516) / 1.030248
    # = 1.95996 × 0.044967 / 1.030248 = 0.085546 → 38.77% to 55.88%.
    assert wilson_by_hand(60, 127) == pytest.approx((47.244, 38.770, 55.880), abs=1e-3)
    assert (completed.value, completed.ci_lower, completed.ci_upper) == pytest.approx(
        (47.244, 38.770, 55.880), abs=1e-3
    )
    # 49/127: p = 0.38583 → 30.57% to 47.27%
    assert (started.value, started.ci_lower, started.ci_upper) == pytest.approx(
        wilson_by_hand(49, 127), abs=1e-9
    )
    assert started.ci_lower == pytest.approx(30.570, abs=1e-3)
    assert started.ci_upper == pytest.approx(47.266, abs=1e-3)

    # conversion from the stage before: 49 of the 60 who completed = 81.67% (70.08–89.44%)
    conversion = pick(results, "programme.conversion", "started", **name)
    assert (conversion.numerator, conversion.denominator) == (49, 60)
    assert conversion.breakdown["from"] == "completed"
    assert (conversion.value, conversion.ci_lower, conversion.ci_upper) == pytest.approx(
        wilson_by_hand(49, 60), abs=1e-9
    )
    assert conversion.ci_lower == pytest.approx(70.080, abs=1e-3)
    assert conversion.ci_upper == pytest.approx(89.442, abs=1e-3)

    # every date is 30 days apart, then 40: median and quartiles equal
    for statistic in ("lower_quartile", "median", "upper_quartile"):
        days = pick(results, "programme.time", "started", statistic=statistic, **name)
        assert days.value == 40.0 and days.numerator == 49
        assert days.measure is Measure.MEDIAN

    # stages without any data (enrolled, interviewed...) are left out, with a note
    assert {r.group for r in results if r.id == "programme.funnel"} == {
        "engaged",
        "completed",
        "started",
    }
    assert "stages without data, left out: enrolled, interviewed" in (engaged.note or "")


def test_headline_in_words() -> None:
    results = compute_results({"participants": pilot()}, ["programme.funnel"])
    programme = definition_for("Lincoln Green pilot")
    sentence = headline_sentence(results, programme, 10)
    assert sentence == (
        "Of 127 people who engaged, 60 (47%) completed pre-employment training and 49 (39%) "
        "were recruited"
    )


def test_a_small_cohort_is_suppressed_and_the_total_is_not() -> None:
    data = pilot(cohorts=(("2023-05", 121), ("2023-09", 6)))
    results = compute_results({"participants": data}, ["programme.funnel"], suppress=True)
    small = [r for r in results if r.breakdown.get("cohort") == "2023-09"]
    assert small and all(r.suppressed and r.value is None for r in small)
    assert all(r.numerator is None for r in small)
    # the small cohort cannot be recovered as all cohorts less the large one: for each stage
    # the protection withholds one of the two as well (issue 12: linked tables)
    for stage in {r.group for r in small}:
        whole = pick(results, "programme.funnel", stage, cohort="all")
        big = pick(results, "programme.funnel", stage, cohort="2023-05")
        assert whole.suppressed or big.suppressed, stage
    # and no more than that: a stage's figure is published in one of the two
    for stage in {r.group for r in small}:
        whole = pick(results, "programme.funnel", stage, cohort="all")
        big = pick(results, "programme.funnel", stage, cohort="2023-05")
        assert not (whole.suppressed and big.suppressed), stage


def test_equality_breakdowns_with_no_evidence_of_difference() -> None:
    results = compute_results({"participants": pilot()}, ["programme.equality"])
    # BME: rows 0, 3, 6 ... (every third) = 43 of 127; recruited among them: rows < 49
    # divisible by 3 = 17. White: 84, recruited 32.
    bme = pick(results, "programme.equality", "BME", characteristic="ethnicity")
    white = pick(results, "programme.equality", "White", characteristic="ethnicity")
    assert (bme.numerator, bme.denominator) == (17, 43)
    assert (white.numerator, white.denominator) == (32, 84)
    ratio = pick(results, "programme.equality", "BME:White", characteristic="ethnicity")
    assert ratio.value == pytest.approx((17 / 43) / (32 / 84))
    assert "no_evidence_of_difference" in ratio.flags
    assert ratio.org == ORG


@pytest.mark.parametrize("columns", [(), ("programme",), ("programme", "cohort", "n")])
def test_breakdowns_from_the_columns_are_the_distinct_ones(columns: tuple[str, ...]) -> None:
    # The programme results build each row's breakdown from its columns as series (with a
    # null value: each distinct breakdown built once and gathered): the same lists.
    import polars as pl

    from ladder.metrics.programmes import frames

    rows = pl.DataFrame(
        {
            "programme": ["A", "B", "A", "A"],
            "cohort": ["2023", "all", "2023", "2024"],
            "n": [1, 2, 1, 3],
        }
    )
    for frame in (rows, rows.with_columns(pl.Series("cohort", ["x", None, "x", "y"]))):
        built = frames.breakdowns(frame, columns)
        assert built.dtype == frames.RESULT_SCHEMA["breakdown"]
        if columns:
            assert built.equals(frames._distinct_breakdowns(frame, columns))
        assert built.to_list()[0] == [
            {"name": c, "value": None if frame[c][0] is None else str(frame[c][0])} for c in columns
        ]


def test_funnel_counts_are_the_counts_of_the_query() -> None:
    # The funnel's counts are worked out on arrays: the sums the query of every stage's flags
    # (by_cohort of _funnel_flags) gives, cohort by cohort and over all cohorts, with a trust
    # whose rows all had errors at zero, and sustained-work stages timed from their start.
    import datetime as dt
    import random

    import polars as pl

    from ladder.metrics.programmes.funnel import _funnel_flags, by_cohort, small_funnel_counts
    from ladder.metrics.programmes.stages import reached

    stages = definition_for("Community Works for Health").stages
    rnd = random.Random(3)
    start = dt.date(2023, 1, 1)
    data: dict[str, list[object]] = {
        "org_code": [rnd.choice(["AAA", "BBB"]) for _ in range(200)],
        "_period": [2024] * 200,
        "cohort": [rnd.choice(["2023-01", "2023-06", None]) for _ in range(200)],
    }
    data["_as_at"] = [
        dt.date(2024, 3, 1) if o == "AAA" else dt.date(2023, 9, 1) for o in data["org_code"]
    ]
    for s in stages:
        data[reached(s.id)] = [rnd.random() < 0.6 for _ in range(200)]
        data[s.column] = [
            rnd.choice([None, start + dt.timedelta(days=rnd.randrange(500))]) for _ in range(200)
        ]
    # start dates on and around each sustained-work stage's time before the latest date
    data["employed_date"] = [
        rnd.choice([None, *(at - dt.timedelta(days=d) for d in (50, 90, 91, 92, 182, 365))])
        for at in data["_as_at"]
    ]
    rows = pl.DataFrame(data).with_columns(pl.col("_period").cast(pl.Int32))
    orgs = pl.DataFrame({"org_code": ["AAA", "BBB", "CCC"], "period": [2024, 2024, 2024]})
    flags = _funnel_flags(stages)
    sums = [pl.col(f.meta.output_name()).sum().cast(pl.Int64) for f in flags]
    expected = by_cohort(rows, orgs, flags, sums).collect()
    found = small_funnel_counts(rows, orgs, stages)
    names = [f.meta.output_name() for f in flags]
    keys = ["org_code", "period", "cohort"]
    assert found.select(*keys, *names).sort(keys).equals(expected.select(*keys, *names).sort(keys))
    assert found.filter(pl.col("org_code") == "CCC")["e0"].to_list() == [0]
