"""The statutory pay gap calculations, worked by hand and checked by property tests.

No engine here: :mod:`ladder.metrics.paygap_method` works on frequency tables (pay,
number of people) and is what every engine's figures are computed by.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.metrics import paygap_method as pm

# --------------------------------------------------------------------------------------
# Quartile sizes (reg. 13 Step 2 and the GOV.UK guidance on the remainder)


def test_acme_worked_example() -> None:
    # GOV.UK guidance: 4,445 full-pay relevant employees → 1,112 / 1,111 / 1,111 / 1,111.
    assert pm.quartile_sizes(4445) == (1112, 1111, 1111, 1111)


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (8, (2, 2, 2, 2)),  # no remainder
        (9, (3, 2, 2, 2)),  # 1 extra → lower
        (10, (3, 2, 3, 2)),  # 2 extra → lower and upper middle
        (11, (3, 3, 3, 2)),  # 3 extra → lower, lower middle and upper middle
        (12, (3, 3, 3, 3)),
        (0, (0, 0, 0, 0)),
        (1, (1, 0, 0, 0)),
        (2, (1, 0, 1, 0)),
        (3, (1, 1, 1, 0)),
    ],
)
def test_quartile_sizes_remainder(n: int, sizes: tuple[int, int, int, int]) -> None:
    assert pm.quartile_sizes(n) == sizes


def test_quartile_sizes_rejects_negative() -> None:
    with pytest.raises(ValueError):
        pm.quartile_sizes(-1)


@given(st.integers(min_value=0, max_value=10**7))
def test_quartile_sizes_properties(n: int) -> None:
    sizes = pm.quartile_sizes(n)
    assert sum(sizes) == n
    assert max(sizes) - min(sizes) <= 1
    lower, lower_middle, upper_middle, upper = sizes
    # the remainder goes to lower first, then upper middle, then lower middle; never upper
    assert lower >= upper_middle >= lower_middle >= upper


# --------------------------------------------------------------------------------------
# Means, medians and gaps


def test_mean_and_median_by_hand() -> None:
    # 10, 12, 15, 20: mean 57/4 = 14.25; even count, median (12 + 15) / 2 = 13.5
    freq = [(10.0, 1), (12.0, 1), (15.0, 1), (20.0, 1)]
    assert pm.mean(freq) == pytest.approx(14.25)
    assert pm.median(freq) == 13.5
    # 12 ×3, 15, 25: odd count (5), the middle (3rd) value is 12; mean 76/5 = 15.2
    freq = [(25.0, 1), (12.0, 3), (15.0, 1)]
    assert pm.median(freq) == 12.0
    assert pm.mean(freq) == pytest.approx(15.2)
    # the same value on two rows counts twice: 5, 5, 9, 9 → median (5 + 9) / 2 = 7
    assert pm.median([(9.0, 1), (5.0, 1), (5.0, 1), (9.0, 1)]) == 7.0
    assert pm.median([(200.0, 1), (600.0, 1)]) == 400.0  # two people: their mean
    assert pm.mean([]) is None and pm.median([]) is None
    assert pm.median([(3.0, 0)]) is None  # nobody
    assert pm.headcount([(1.0, 2), (3.0, 5)]) == 7


def test_gap_by_hand() -> None:
    # reference (men) mean 20.00, women 14.25: (20 − 14.25) ÷ 20 × 100 = 28.75%
    assert pm.gap(20.0, 14.25) == pytest.approx(28.75)
    # women paid more: (400 − 500) ÷ 400 × 100 = −25% (negative gap)
    assert pm.gap(400.0, 500.0) == pytest.approx(-25.0)
    assert pm.gap(10.0, 10.0) == 0.0
    assert pm.gap(0.0, 5.0) is None  # no gap relative to nothing
    assert pm.gap(None, 5.0) is None and pm.gap(5.0, None) is None


def test_summarise_many_groups_at_once() -> None:
    # Two organisations in one table; each is summarised on its own.
    table = pl.DataFrame(
        {
            "org": ["A", "A", "A", "B", "B", "A"],
            "pay": [10.0, 12.0, 15.0, 30.0, 10.0, 20.0],
            "n": [1, 1, 1, 2, 1, 1],
        }
    )
    out = pm.summarise(table, ["org"], "pay")
    assert out.to_dicts() == [
        {"org": "A", "people": 4, "mean": 14.25, "median": 13.5},
        # B: 10, 30, 30 → mean 70/3, median 30
        {"org": "B", "people": 3, "mean": pytest.approx(70 / 3), "median": 30.0},
    ]


# --------------------------------------------------------------------------------------
# Quartiles by hand


def test_quartiles_distinct_pay() -> None:
    # n = 8, sizes 2/2/2/2: the two lowest paid in lower, and so on.
    table = [
        (10.0, "female", 1),
        (11.0, "female", 1),
        (12.0, "male", 1),
        (13.0, "female", 1),
        (14.0, "male", 1),
        (15.0, "male", 1),
        (16.0, "female", 1),
        (17.0, "male", 1),
    ]
    assert pm.quartile_counts(table) == [
        {"female": 2, "male": 0},
        {"female": 1, "male": 1},
        {"female": 0, "male": 2},
        {"female": 1, "male": 1},
    ]


@pytest.mark.parametrize(
    ("n", "sizes"),
    [(9, [3, 2, 2, 2]), (10, [3, 2, 3, 2]), (11, [3, 3, 3, 2])],
)
def test_quartiles_remainder_places_people(n: int, sizes: list[int]) -> None:
    # Pay 1..n: lower takes the first sizes[0] ranks, then lower middle, and so on.
    table = [(float(i), f"p{i:02d}", 1) for i in range(1, n + 1)]
    counts = pm.quartile_counts(table)
    assert [sum(q.values()) for q in counts] == sizes
    cuts = list(itertools.accumulate([0, *sizes]))
    for q in range(4):
        members = {g for g, c in counts[q].items() if c}
        assert members == {f"p{i:02d}" for i in range(cuts[q] + 1, cuts[q + 1] + 1)}


def test_tie_split_evenly_across_a_boundary() -> None:
    # 8 employees, quartile size 2. Four share £15 (2 women, 2 men) and take ranks 3-6:
    # two places in lower middle, two in upper middle. The rate's mix is 50:50, so each
    # of those sections gets exactly 1 woman and 1 man.
    table = [
        (10.0, "female", 1),
        (11.0, "male", 1),
        (15.0, "female", 2),
        (15.0, "male", 2),
        (20.0, "female", 1),
        (21.0, "male", 1),
    ]
    assert pm.quartile_counts(table) == [{"female": 1, "male": 1}] * 4


def test_tie_rounding_rule_across_three_sections() -> None:
    # 8 employees, size 2. The four on £15 (2 women, 2 men) take ranks 2-5: 1 place in
    # lower, 2 in lower middle, 1 in upper middle. Exact shares: lower ½ woman + ½ man,
    # lower middle 1 + 1, upper middle ½ + ½. Lower middle gets its exact 1 + 1; the two
    # half-people cannot be split: by the documented rule (equally close choices place
    # groups in lower sections in alphabetical order) the woman goes to lower, the man to
    # upper middle.
    table = [
        (10.0, "male", 1),
        (15.0, "female", 2),
        (15.0, "male", 2),
        (20.0, "male", 1),
        (21.0, "female", 1),
        (22.0, "female", 1),
    ]
    assert pm.quartile_counts(table) == [
        {"female": 1, "male": 1},  # £10 man + one of the £15 (the woman)
        {"female": 1, "male": 1},  # two of the £15: the same 50:50 mix as the rate
        {"female": 0, "male": 2},  # the other £15 (the man) + £20 man
        {"female": 2, "male": 0},  # £21, £22 women
    ]


def test_apportion_tie_prefers_the_closest_mix() -> None:
    # 4 people on one rate (1 woman, 3 men) split 1 place / 3 places. Exact shares:
    # first ¼ woman + ¾ man, second ¾ woman + 2¼ men. Putting the man in the single
    # place is closer (each cell off by ¼) than the woman (each off by ¾).
    assert pm.apportion_tie([1, 3], {"female": 1, "male": 3}) == [
        {"female": 0, "male": 1},
        {"female": 1, "male": 2},
    ]
    # 7 people, three groups (3, 2, 2) over 3 + 3 + 1 places: exact shares
    # 9/7, 6/7, 6/7 | 9/7, 6/7, 6/7 | 3/7, 2/7, 2/7.
    assert pm.apportion_tie([3, 3, 1], {"a": 3, "b": 2, "c": 2}) == [
        {"a": 1, "b": 1, "c": 1},
        {"a": 1, "b": 1, "c": 1},
        {"a": 1, "b": 0, "c": 0},
    ]


def test_apportion_tie_rejects_inconsistent_totals() -> None:
    with pytest.raises(ValueError):
        pm.apportion_tie([2, 2], {"female": 1, "male": 1})
    assert pm.apportion_tie([0, 0], {"female": 0}) == [{"female": 0}, {"female": 0}]


def test_quartile_table_many_organisations() -> None:
    # Two organisations ranked separately: A has 4 people (1 per quartile), B has 8.
    table = pl.DataFrame(
        {
            "org": ["A"] * 4 + ["B"] * 2,
            "pay": [1.0, 2.0, 3.0, 4.0, 5.0, 9.0],
            "group": ["x", "y", "x", "y", "x", "y"],
            "n": [1, 1, 1, 1, 4, 4],
        }
    )
    out = pm.quartile_table(table, ["org"], "pay", "group")
    rows = {(o, q, g): n for o, q, g, n in out.rows()}
    assert rows == {
        ("A", 0, "x"): 1,
        ("A", 1, "y"): 1,
        ("A", 2, "x"): 1,
        ("A", 3, "y"): 1,
        ("B", 0, "x"): 2,
        ("B", 1, "x"): 2,
        ("B", 2, "y"): 2,
        ("B", 3, "y"): 2,
    }


# --------------------------------------------------------------------------------------
# Property tests

GROUPS = ("female", "male", "other")
pay_values = st.integers(min_value=1, max_value=40).map(lambda p: p / 4)  # many ties
rows_strategy = st.lists(
    st.tuples(pay_values, st.sampled_from(GROUPS), st.integers(min_value=0, max_value=6)),
    max_size=40,
)


def _people(table: list[tuple[float, str, int]]) -> list[tuple[float, str]]:
    return sorted((pay, group) for pay, group, n in table for _ in range(n))


@settings(max_examples=150, deadline=None)
@given(rows_strategy)
def test_every_employee_assigned_exactly_once(table: list[tuple[float, str, int]]) -> None:
    counts = pm.quartile_counts(table, GROUPS)
    people = _people(table)
    n = len(people)
    assert tuple(sum(q.values()) for q in counts) == pm.quartile_sizes(n)
    for group in GROUPS:
        assert sum(q[group] for q in counts) == sum(1 for _p, g in people if g == group)


@settings(max_examples=150, deadline=None)
@given(rows_strategy)
def test_quartiles_agree_with_ranking_employees_one_by_one(
    table: list[tuple[float, str, int]],
) -> None:
    # Brute force: rank every employee; a pay rate wholly inside one section must be there
    # whole; a rate straddling cuts must give each section its exact share of each group
    # rounded down or up.
    people = _people(table)
    sizes = pm.quartile_sizes(len(people))
    section_of = [q for q in range(4) for _ in range(sizes[q])]
    expected: list[dict[str, float]] = [dict.fromkeys(GROUPS, 0.0) for _ in range(4)]
    slack: list[dict[str, bool]] = [dict.fromkeys(GROUPS, False) for _ in range(4)]
    for _pay, run in itertools.groupby(range(len(people)), key=lambda i: people[i][0]):
        ranks = list(run)
        m = len(ranks)
        mix = {g: sum(1 for i in ranks if people[i][1] == g) for g in GROUPS}
        for q in {section_of[i] for i in ranks}:
            places = sum(1 for i in ranks if section_of[i] == q)
            for g in GROUPS:
                share = places * mix[g] / m
                expected[q][g] += share
                slack[q][g] |= share != int(share)
    counts = pm.quartile_counts(table, GROUPS)
    for q in range(4):
        for g in GROUPS:
            if not slack[q][g]:
                assert counts[q][g] == expected[q][g]
            else:  # each straddling rate is off by under one; a section meets two at most
                assert abs(counts[q][g] - expected[q][g]) < 2


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=4),
    st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=4),
)
def test_apportion_tie_rounds_each_exact_share(places: list[int], people: list[int]) -> None:
    # Make the totals agree by putting the difference into the last place or group.
    diff = sum(people) - sum(places)
    if diff > 0:
        places[-1] += diff
    else:
        people[-1] -= diff
    counts = {f"g{j}": c for j, c in enumerate(people)}
    m = sum(people)
    split = pm.apportion_tie(places, counts)
    assert [sum(s.values()) for s in split] == places
    for g, c in counts.items():
        assert sum(s[g] for s in split) == c
        for i, s in enumerate(split):
            exact = places[i] * c / m if m else 0.0
            assert math.floor(exact) <= s[g] <= math.ceil(exact)
    # Least squares: no other rounding with the same totals is closer to the exact shares.
    if m and len(places) <= 3 and m <= 7:
        best = _best_squared_error(places, people)
        error = sum(
            (split[i][f"g{j}"] - places[i] * c / m) ** 2
            for i in range(len(places))
            for j, c in enumerate(people)
        )
        assert error == pytest.approx(best)


def _best_squared_error(places: list[int], people: list[int]) -> float:
    m = sum(people)
    best = math.inf
    options = [
        [row for row in itertools.product(*(range(c + 1) for c in people)) if sum(row) == p]
        for p in places
    ]
    for matrix in itertools.product(*options):
        if all(sum(row[j] for row in matrix) == c for j, c in enumerate(people)):
            error = sum(
                (matrix[i][j] - places[i] * c / m) ** 2
                for i in range(len(places))
                for j, c in enumerate(people)
            )
            best = min(best, error)
    return best


freq_strategy = st.lists(
    st.tuples(
        st.floats(min_value=0.01, max_value=500, allow_nan=False, allow_infinity=False),
        st.integers(min_value=1, max_value=5),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(freq_strategy)
def test_median_and_mean_match_the_expanded_list(freq: list[tuple[float, int]]) -> None:
    values = [v for v, n in freq for _ in range(n)]
    assert pm.median(freq) == pytest.approx(statistics.median(values), rel=1e-12)
    assert pm.mean(freq) == pytest.approx(statistics.fmean(values), rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(freq_strategy, freq_strategy, st.randoms(use_true_random=False))
def test_gap_invariant_to_row_order(
    men: list[tuple[float, int]], women: list[tuple[float, int]], rnd: random.Random
) -> None:
    # Shuffle the rows, and split each row of n people into single rows: same figures.
    def scrambled(freq: list[tuple[float, int]]) -> list[tuple[float, int]]:
        rows = [(v, 1) for v, n in freq for _ in range(n)]
        rnd.shuffle(rows)
        return rows

    for stat in (pm.mean, pm.median):
        before = pm.gap(stat(men), stat(women))
        after = pm.gap(stat(scrambled(men)), stat(scrambled(women)))
        assert before == after  # exactly: the table is reduced and sorted first
    table = [(v, "male", n) for v, n in men] + [(v, "female", n) for v, n in women]
    shuffled = [(v, g, 1) for v, g, n in table for _ in range(n)]
    rnd.shuffle(shuffled)
    assert pm.quartile_counts(table) == pm.quartile_counts(shuffled)


@settings(max_examples=100, deadline=None)
@given(freq_strategy, freq_strategy, st.floats(min_value=0.01, max_value=1000))
def test_scaling_all_pay_leaves_gaps_unchanged(
    men: list[tuple[float, int]], women: list[tuple[float, int]], k: float
) -> None:
    def scaled(freq: list[tuple[float, int]], by: float) -> list[tuple[float, int]]:
        return [(v * by, n) for v, n in freq]

    for stat in (pm.mean, pm.median):
        gap = pm.gap(stat(men), stat(women))
        assert gap is not None
        assert pm.gap(stat(scaled(men, k)), stat(scaled(women, k))) == pytest.approx(
            gap, rel=1e-9, abs=1e-9
        )
    # Ranks only depend on order: scaling by a power of two (exact in floating point)
    # leaves every quartile count unchanged.
    table = [(v, "male", n) for v, n in men] + [(v, "female", n) for v, n in women]
    assert pm.quartile_counts(table) == pm.quartile_counts([(v * 8, g, n) for v, g, n in table])


def test_two_section_ties_are_the_minimum_cost_flows_rounding() -> None:
    # A rate straddling one cut is rounded directly; the general flow gives the same cells.
    rnd = random.Random(11)
    for _ in range(3000):
        m = rnd.randint(1, 30)
        first = rnd.randint(0, m)
        sections = [first, m - first]
        cuts = sorted(rnd.randint(0, m) for _ in range(rnd.randint(0, 5)))
        counts = {
            f"g{i}": b - a for i, (a, b) in enumerate(zip([0, *cuts], [*cuts, m], strict=True))
        }
        groups = sorted(counts)
        floors = [[s * counts[g] // m for g in groups] for s in sections]
        remainders = [[s * counts[g] % m for g in groups] for s in sections]
        rows = [s - sum(r) for s, r in zip(sections, floors, strict=True)]
        cols = [counts[g] - sum(r[j] for r in floors) for j, g in enumerate(groups)]
        assert pm._round_up_two(remainders, rows[0]) == pm._round_up_cells(remainders, rows, cols)


# --------------------------------------------------------------------------------------
# The NumPy forms (what the indicators use) agree with the Polars frequency-table forms

org_rows_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),
        pay_values,
        st.sampled_from(GROUPS),
        st.integers(min_value=0, max_value=6),
    ),
    max_size=60,
)


def _dense(
    table: list[tuple[int, float, str, int]], owners: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(people[slot, group], owner[slot], pay[slot]): one slot per organisation and pay,
    sorted by both."""
    slots = sorted({(o, p) for o, p, _g, _n in table})
    index = {s: i for i, s in enumerate(slots)}
    people = np.zeros((len(slots), len(GROUPS)), dtype=np.int64)
    for o, p, g, n in table:
        people[index[(o, p)], GROUPS.index(g)] += n
    owner = np.array([o for o, _p in slots], dtype=np.int64)
    pay = np.array([p for _o, p in slots], dtype=np.float64)
    return people, owner, pay


@settings(max_examples=150, deadline=None)
@given(org_rows_strategy)
def test_quartile_bands_match_quartile_table(table: list[tuple[int, float, str, int]]) -> None:
    owners = 3
    people, owner, _pay = _dense(table, owners)
    bands = pm.quartile_bands(people.reshape(-1, len(GROUPS)), owner, owners)
    frame = pl.DataFrame(
        table,
        schema={"org": pl.Int64, "pay": pl.Float64, "group": pl.String, "n": pl.Int64},
        orient="row",
    )
    expected = np.zeros((owners, 4, len(GROUPS)), dtype=np.int64)
    for o, q, g, n in pm.quartile_table(frame, ["org"], "pay", "group").rows():
        expected[o, q, GROUPS.index(g)] = n
    assert (bands == expected).all()


@settings(max_examples=150, deadline=None)
@given(org_rows_strategy)
def test_segment_medians_and_sums_match_summarise(
    table: list[tuple[int, float, str, int]],
) -> None:
    owners = 3
    people, owner, pay = _dense(table, owners)
    starts = pm.segment_starts(owner, owners)
    counts = people.sum(axis=1) if len(people) else np.zeros(0, dtype=np.int64)
    medians = pm.segment_medians(pay, counts, starts)
    totals = pm.segment_sums(counts, starts)
    frame = pl.DataFrame(
        table,
        schema={"org": pl.Int64, "pay": pl.Float64, "group": pl.String, "n": pl.Int64},
        orient="row",
    )
    expected = {o: (p, m) for o, p, _mean, m in pm.summarise(frame, ["org"], "pay").rows()}
    for o in range(owners):
        people_o, median_o = expected.get(o, (0, None))
        assert totals[o] == people_o
        assert (math.isnan(medians[o]) and median_o is None) or medians[o] == median_o
