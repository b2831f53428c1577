"""Rounding instead of withholding a changed figure: safe only where the audit, reading the
rounded count as its interval (and knowing the method), still narrows nothing."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from ladder.metrics.disclosure.protect import apply
from ladder.metrics.disclosure.relations import published_values
from ladder.metrics.disclosure.report import audit
from ladder.metrics.disclosure.rounding import (
    audit_rounded,
    interval,
    possible,
    round_changes,
    round_to,
)
from tests.metrics.disclosure.test_protect import grid


def test_round_to_and_its_interval() -> None:
    assert [round_to(x, 20) for x in (9, 10, 29, 30, 69, 70)] == [0, 20, 20, 40, 60, 80]
    assert interval(40, 20) == (30, 49)
    assert interval(40, 10) == (35, 44)
    assert all(round_to(x, 20) == 40 for x in range(30, 50))


def test_what_a_reader_who_knows_the_method_can_exclude() -> None:
    """Previous 40, rounded 40: exact (unchanged) or any change of 1..9 within 30..49 —
    31..49, 19 values. Previous 43, rounded 40: it cannot be exact (a change of 3 is never
    published exactly), and not 43 (unchanged is published exactly): 34..49 less 43, 15.
    Previous 49, rounded 40: 40..48, 9 values: fewer than 10, narrowed. Base 10, previous
    43, rounded 40: 35..44 less 43, 9 values — why the base is twice the threshold."""
    assert possible(30, 49, 40, 40, 10) == 19
    assert possible(30, 49, 40, 43, 10) == 15
    assert possible(30, 49, 40, 49, 10) == 9
    assert possible(35, 44, 40, 43, 10) == 9
    assert possible(30, 49, 40, None, 10) == 20


@given(st.integers(10, 200), st.integers(1, 9), st.sampled_from([-1, 1]))
def test_possible_values_hold_the_truth(before: int, change: int, sign: int) -> None:
    """Whatever the change of 1..9, the values the reader keeps include the true one."""
    x = before + sign * change
    r = round_to(x, 20)
    lo, hi = interval(r, 20)
    assert lo <= x <= hi
    assert possible(x, x, r, before, 10) == 1


def test_the_leaver_grid_is_rounded_where_the_audit_allows() -> None:
    """2024: g0 40 | 30, g1 25 | 35; 2025: the same less one leaver from g0, band b0.
    Withholding hides g0 b0, g0's total and band b0 (and complements); rounding to 20
    publishes g0's total as 60 of 120 (true 69 of 129) — the reader keeps 60..69 less what
    the method rules out, at least 10 values — and keeps the rest withheld, because g0 b0
    rounded (40) would be narrowed through g0's rounded total and the published b1 cells."""
    before = grid([[40, 30], [25, 35]])
    after = [replace(r, period=2025) for r in grid([[39, 30], [25, 35]])]
    earlier = published_values([r.to_dict() for r in apply(before, 10)])
    shown = apply(after, 10, previous=earlier)
    done = round_changes(after, shown, 10, earlier)
    assert done.base == 20 and done.rounded == frozenset({4})
    g0_all = done.results[4]
    assert (g0_all.numerator, g0_all.denominator, g0_all.suppressed) == (60.0, 120.0, False)
    assert g0_all.value is not None and abs(g0_all.value - 50.0) < 1e-9
    assert g0_all.ci_lower is None and g0_all.note == after[4].note
    assert [r.suppressed for r in done.results] == [True, True, False, False, False, True]
    truth = [r.to_dict() for r in after]
    again = audit_rounded(
        [r.to_dict() for r in done.results],
        truth,
        10,
        rounded_at=done.rounded,
        base=20,
        previous=earlier,
        exhaustive=True,
    )
    assert again.audit.findings == []
    # read as exact figures (as a reader who ignored the rounding would), g0's total
    # 60 would be a change of 9 from 69 … the audit of exact values flags it, which is why
    # rounded figures must be audited as intervals
    assert audit([r.to_dict() for r in done.results], truth, 10, previous=earlier).findings


def test_base_ten_leaves_nothing_rounded_in_the_grid() -> None:
    """Rounded to the threshold itself, every candidate is narrowed (9 values or fewer):
    the loop withholds them all again, and the publication is the withheld one."""
    before = grid([[43, 30], [25, 35]])
    after = [replace(r, period=2025) for r in grid([[41, 30], [25, 35]])]
    earlier = published_values([r.to_dict() for r in apply(before, 10)])
    shown = apply(after, 10, previous=earlier)
    done = round_changes(after, shown, 10, earlier, base=10)
    assert done.rounded == frozenset()
    assert [r.suppressed for r in done.results] == [r.suppressed for r in shown]
    assert done.audit.findings == []
