"""XmR charts and the Making Data Count special-cause rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.reports.spc import (
    Signal as S,
)
from ladder.reports.spc import (
    XmR,
    outside_limits,
    shifts,
    signals,
    trends,
    two_of_three,
    xmr,
)


def test_hand_worked_xmr() -> None:
    # 10, 12, 11, 15, 12: mean 60/5 = 12; moving ranges 2, 1, 4, 3; MR-bar 10/4 = 2.5;
    # limits 12 ± 2.66 × 2.5 = 12 ± 6.65 → 5.35 and 18.65; two sigma 12 ± 4.4333.
    chart = xmr([10, 12, 11, 15, 12])
    assert chart.mean == 12
    assert chart.moving_ranges == (2, 1, 4, 3)
    assert chart.mean_moving_range == 2.5
    assert chart.upper == pytest.approx(18.65)
    assert chart.lower == pytest.approx(5.35)
    assert chart.near_upper == pytest.approx(12 + 2 * 2.66 * 2.5 / 3)
    assert chart.near_lower == pytest.approx(12 - 2 * 2.66 * 2.5 / 3)
    assert signals(chart) == [frozenset()] * 5


def test_xmr_needs_two_finite_values() -> None:
    with pytest.raises(ValueError):
        xmr([1.0])
    with pytest.raises(ValueError):
        xmr([1.0, float("nan")])


def test_point_outside_limits() -> None:
    # mean 103/8 = 12.875; MR-bar 26/7; upper limit 22.76: 30 is outside.
    values = [10, 11, 10, 11, 10, 11, 10, 30]
    flags = outside_limits(xmr(values))
    assert flags == [False] * 7 + [True]
    assert S.OUTSIDE_LIMITS in signals(values)[-1]
    assert not any(outside_limits(xmr([10, 12, 11, 15, 12])))


def test_point_below_lower_limit() -> None:
    values = [20, 19, 20, 19, 20, 19, 20, 1]
    assert outside_limits(xmr(values))[-1]


def test_shift_of_seven_below_the_mean() -> None:
    values = [1, 2, 1, 2, 1, 2, 1, 10, 10]  # mean 3.33: the first seven are below
    assert shifts(xmr(values)) == [True] * 7 + [False, False]
    assert all(S.SHIFT in s for s in signals(values)[:7])


def test_six_on_one_side_is_not_a_shift() -> None:
    values = [1, 2, 1, 2, 1, 2, 10, 10]  # mean 3.625: six below
    assert not any(shifts(xmr(values)))


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    chart = XmR(
        values=(1, 1, 1, 0, 1, 1, 1, 1),
        mean=0,
        moving_ranges=(),
        mean_moving_range=1,
        upper=2.66,
        lower=-2.66,
        near_upper=1.7733,
        near_lower=-1.7733,
    )
    assert not any(shifts(chart))


def test_trend_of_seven_rising_and_falling() -> None:
    rising = [1, 2, 3, 4, 5, 6, 7]
    assert trends(xmr(rising)) == [True] * 7
    falling = [9, *reversed(rising)]  # 9 then 7..1: 7 falling points, 9 → 7 falls too
    assert trends(xmr(falling)) == [True] * 8
    assert S.TREND in signals(rising)[0]


def test_six_rising_is_not_a_trend() -> None:
    assert not any(trends(xmr([1, 2, 3, 4, 5, 6, 5])))


def test_equal_neighbours_break_a_trend() -> None:
    assert not any(trends(xmr([1, 2, 3, 3, 4, 5, 6, 7])))


def test_trend_flags_only_the_run() -> None:
    flags = trends(xmr([5, 1, 2, 3, 4, 5, 6, 7, 3]))
    assert flags == [False, True, True, True, True, True, True, True, False]


def _chart(values: list[float]) -> XmR:
    """A chart with limits fixed at ±2.66 (MR-bar 1) and two sigma at ±1.773."""
    return XmR(
        values=tuple(values),
        mean=0.0,
        moving_ranges=(),
        mean_moving_range=1.0,
        upper=2.66,
        lower=-2.66,
        near_upper=2 * 2.66 / 3,
        near_lower=-2 * 2.66 / 3,
    )


def test_two_of_three_near_the_upper_limit() -> None:
    assert two_of_three(_chart([0, 0.5, 2.0, 0.3, 2.1, 0])) == [
        False,
        False,
        True,
        False,
        True,
        False,
    ]


def test_two_of_three_below() -> None:
    assert two_of_three(_chart([0, -2.0, -2.2, 0])) == [False, True, True, False]


def test_two_of_three_not_triggered() -> None:
    # two near points four apart, and two near points on opposite sides
    assert not any(two_of_three(_chart([2.0, 0, 0, 2.0, 0])))
    assert not any(two_of_three(_chart([2.0, -2.0, 0, 0])))
    # one point near a limit on its own
    assert not any(two_of_three(_chart([0, 1.5, 2.2, 1.7])))


def test_signals_combine_rules_per_point() -> None:
    result = signals([10, 11, 10, 11, 10, 11, 10, 30])
    assert result[0] == {S.SHIFT}
    assert result[-1] == {S.OUTSIDE_LIMITS}


series = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=30,
)


@given(series)
def test_limits_symmetric_about_the_mean(values: list[float]) -> None:
    chart = xmr(values)
    assert chart.upper - chart.mean == pytest.approx(chart.mean - chart.lower, abs=1e-6)
    assert chart.lower <= chart.mean <= chart.upper
    assert len(chart.moving_ranges) == len(values) - 1
    assert len(signals(chart)) == len(values)


@given(series, st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_adding_a_constant_shifts_everything(values: list[float], c: float) -> None:
    a = xmr(values)
    b = xmr([v + c for v in values])
    tol = 1e-6 * (1 + max(abs(v) for v in values) + abs(c))
    assert b.mean == pytest.approx(a.mean + c, abs=tol)
    assert b.upper == pytest.approx(a.upper + c, abs=tol)
    assert b.lower == pytest.approx(a.lower + c, abs=tol)
    assert b.mean_moving_range == pytest.approx(a.mean_moving_range, abs=tol)


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.integers(min_value=2, max_value=40),
)
def test_constant_series_has_no_signals(value: float, n: int) -> None:
    chart = xmr([value] * n)
    assert chart.mean_moving_range == 0
    assert signals(chart) == [frozenset()] * n
