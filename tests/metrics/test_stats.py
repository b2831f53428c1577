"""Relative likelihoods, Wilson intervals and the four-fifths flag, checked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.metrics import stats


def test_relative_likelihood_worked_example() -> None:
    # 30 of 100 vs 15 of 100: RR = 2.0; SE = sqrt(1/30 - 1/100 + 1/15 - 1/100) = sqrt(0.08)
    interval = stats.relative_likelihood(30, 100, 15, 100)
    se = math.sqrt(0.08)
    assert interval.value == pytest.approx(2.0)
    assert interval.lower == pytest.approx(2.0 * math.exp(-1.959964 * se), rel=1e-6)
    assert interval.upper == pytest.approx(2.0 * math.exp(1.959964 * se), rel=1e-6)
    assert interval.lower == pytest.approx(1.1489, abs=1e-4)  # 2 × exp(−0.55437)
    assert interval.upper == pytest.approx(3.4817, abs=1e-4)  # 2 × exp(0.55437)
    assert not interval.contains_one


def test_interval_including_one_is_no_evidence() -> None:
    assert stats.relative_likelihood(11, 100, 10, 100).contains_one


def test_undefined_cases() -> None:
    assert stats.relative_likelihood(5, 0, 5, 10).value is None  # no first group
    assert stats.relative_likelihood(5, 10, 0, 10).value is None  # second rate is 0
    zero_first = stats.relative_likelihood(0, 10, 5, 10)
    assert zero_first.value == 0.0
    assert zero_first.lower is None and zero_first.contains_one


def test_wilson_worked_example() -> None:
    # 8 of 10: Wilson 95% interval 0.4902–0.9433 (Newcombe 1998, table I style check)
    interval = stats.wilson(8, 10)
    assert interval.value == pytest.approx(0.8)
    assert interval.lower == pytest.approx(0.4902, abs=1e-4)
    assert interval.upper == pytest.approx(0.9433, abs=1e-4)
    assert stats.wilson(0, 20).lower == 0.0
    assert stats.wilson(0, 0).value is None


@pytest.mark.parametrize(
    ("ratio", "outside"), [(0.79, True), (0.8, False), (1.0, False), (1.25, False), (1.26, True)]
)
def test_four_fifths_band(ratio: float, outside: bool) -> None:
    assert stats.outside_four_fifths(ratio) is outside


@given(st.integers(1, 500), st.integers(0, 500), st.integers(1, 500), st.integers(0, 500))
def test_interval_brackets_the_ratio_and_is_symmetric_on_log_scale(
    a: int, extra1: int, c: int, extra2: int
) -> None:
    n1, n2 = a + extra1, c + extra2
    interval = stats.relative_likelihood(a, n1, c, n2)
    assert interval.value is not None and interval.lower is not None
    assert interval.upper is not None
    assert interval.lower <= interval.value <= interval.upper
    inverse = stats.relative_likelihood(c, n2, a, n1)
    assert inverse.value == pytest.approx(1 / interval.value)
    assert inverse.lower == pytest.approx(1 / interval.upper)


@given(st.integers(0, 1000), st.integers(1, 1000))
def test_wilson_contains_the_proportion(events: int, extra: int) -> None:
    total = events + extra
    interval = stats.wilson(events, total)
    assert interval.lower is not None and interval.upper is not None
    assert 0 <= interval.lower <= events / total <= interval.upper <= 1


@given(
    st.lists(
        st.tuples(st.integers(min_value=-2, max_value=10**6), st.integers(-1, 10**6)),
        max_size=50,
    )
)
def test_wilson_many_equals_wilson_exactly(pairs: list[tuple[int, int]]) -> None:
    events = [e for e, _ in pairs]
    totals = [n for _, n in pairs]
    values, lower, upper = stats.wilson_many(events, totals)
    for i, (e, n) in enumerate(pairs):
        one = stats.wilson(e, n)
        assert (values[i], lower[i], upper[i]) == (one.value, one.lower, one.upper)


def test_wilson_many_edge_cases() -> None:
    events = [0, 5, 10, 3, 11, -1, 0]
    totals = [10, 10, 10, 0, 10, 10, 1]
    values, lower, upper = stats.wilson_many(events, totals)
    for i, (e, n) in enumerate(zip(events, totals, strict=True)):
        one = stats.wilson(e, n)
        assert repr((values[i], lower[i], upper[i])) == repr((one.value, one.lower, one.upper))
