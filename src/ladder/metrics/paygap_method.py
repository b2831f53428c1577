"""The statutory pay gap calculations on frequency tables: Polars and Python, no engine.

The calculations behind the ``paygap`` indicators (docs/methods/pay-gaps.md). The engine
aggregates staff to frequency tables — (pay, number of people) per group — and these
functions compute from them exactly what the Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017 (SI 2017/172; for public authorities such as NHS trusts, the same
calculations in SI 2017/353, Schedule 1, paragraphs 8-13) prescribe:

- mean and median of a group's pay (reg. 8-11): the median is the middle value, or the mean
  of the two middle values when the number of people is even;
- the gap, (reference − group) ÷ reference × 100 (negative: the group is paid more);
- the quartile pay bands (reg. 13): rank everyone by hourly pay, cut into four sections of
  as equal a size as possible (remainder: 1 → lower; 2 → lower and upper middle; 3 → lower,
  lower middle and upper middle; GOV.UK's "Acme" example: 4,445 → 1,112/1,111/1,111/1,111),
  and where people on the same rate straddle a cut, spread them so each section gets, as
  far as whole people allow, the same group mix as everyone on that rate
  (:func:`apportion_tie`).

Every function is deterministic and independent of the order of its input rows, so every
engine gives identical figures from the same table. :func:`summarise` and
:func:`quartile_table` work on Polars frequency tables for many organisations at once; the
plain-input forms (:func:`mean`, :func:`median`, :func:`quartile_counts`) call them.
:func:`segment_medians` and :func:`quartile_bands` are the same calculations on dense NumPy
tables (one row per organisation and rate), what the indicators use: on one trust's small
table a few array operations cost far less than a Polars query per step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

QUARTILES: tuple[str, str, str, str] = ("lower", "lower_middle", "upper_middle", "upper")
"""The four quartile pay bands, lowest paid first (reg. 13 Step 2)."""

REMAINDER_ORDER: tuple[int, int, int] = (0, 2, 1)
"""Which sections take the 1st, 2nd and 3rd employee left over after n ÷ 4 (GOV.UK
guidance): lower first, then upper middle, then lower middle."""


def gap(reference: float | None, group: float | None) -> float | None:
    """Pay gap in percent: (reference − group) ÷ reference × 100.

    Positive: the group is paid less than the reference group; negative: more. None when
    either figure is missing or not finite, or the reference is 0 (no gap can be expressed).
    """
    if reference is None or group is None or reference == 0:
        return None
    value = (reference - group) / reference * 100.0
    return value if math.isfinite(value) else None


def quartile_sizes(n: int) -> tuple[int, int, int, int]:
    """Sizes of the lower, lower middle, upper middle and upper quartile pay bands.

    n ÷ 4 each; the remainder goes to lower (1), then upper middle (2), then lower middle
    (3): 4,445 → (1112, 1111, 1111, 1111); 10 → (3, 2, 3, 2); 11 → (3, 3, 3, 2).
    """
    if n < 0:
        raise ValueError(f"a negative number of employees ({n})")
    base, extra = divmod(n, 4)
    sizes = [base] * 4
    for section in REMAINDER_ORDER[:extra]:
        sizes[section] += 1
    return (sizes[0], sizes[1], sizes[2], sizes[3])


def apportion_tie(sections: Sequence[int], counts: Mapping[Any, int]) -> list[dict[Any, int]]:
    """Spread people on one hourly rate over the sections their ranks straddle (reg. 13(2)).

    ``sections`` are the numbers of places the rate takes in each section it falls in,
    lowest paid first; ``counts`` the number of people of each group on that rate (the
    totals agree). The exact share of group g in section i is ``sections[i] × counts[g] ÷
    m`` (m people on the rate): the same group mix in every section. In whole people each
    cell gets that share rounded down or up (never further off, so every section is within
    one person per group of the rate's mix); which cells are rounded up is chosen to keep
    the sum of squared differences from the exact shares smallest, and among equally close
    choices groups are placed in lower sections in the order of ``sorted(counts)``
    (e.g. "female" before "male"). Such a rounding always exists (it is an integral flow
    in a transportation network whose fractional solution is the exact shares), and it is
    found here as a minimum-cost flow.
    """
    groups = sorted(counts)
    m = sum(counts.values())
    if m != sum(sections):
        raise ValueError(f"{sum(sections)} places for {m} people on one rate")
    if any(s < 0 for s in sections) or any(c < 0 for c in counts.values()):
        raise ValueError("negative places or people")
    if m == 0:
        return [dict.fromkeys(groups, 0) for _ in sections]
    floors = [[s * counts[g] // m for g in groups] for s in sections]
    remainders = [[s * counts[g] % m for g in groups] for s in sections]
    row_need = [s - sum(row) for s, row in zip(sections, floors, strict=True)]
    col_need = [counts[g] - sum(row[j] for row in floors) for j, g in enumerate(groups)]
    if len(sections) == 2:
        ups = _round_up_two(remainders, row_need[0])
    else:
        ups = _round_up_cells(remainders, row_need, col_need)
    return [
        {g: floors[i][j] + ((i, j) in ups) for j, g in enumerate(groups)}
        for i in range(len(sections))
    ]


def _round_up_two(remainders: list[list[int]], lower_need: int) -> set[tuple[int, int]]:
    """:func:`_round_up_cells` for a rate straddling one cut (two sections), directly.

    A group's two exact shares add up to a whole number, so either both are whole or their
    fractional parts add up to 1: each such group is rounded up in exactly one section. The
    lower section takes the ``lower_need`` groups with the largest remainder difference
    (lower minus upper), earlier groups first among equal differences: that choice has the
    unique smallest cost of :func:`_round_up_cells` (the remainder weighs more than any sum
    of tie-breaks), so the minimum-cost flow finds the same cells.
    """
    lower, upper = remainders
    split = [j for j, r in enumerate(lower) if r > 0]
    split.sort(key=lambda j: (upper[j] - lower[j], j))
    chosen = set(split[:lower_need])
    return {(0, j) if j in chosen else (1, j) for j in split}


def _round_up_cells(
    remainders: list[list[int]], row_need: list[int], col_need: list[int]
) -> set[tuple[int, int]]:
    """Cells to round up: a 0/1 choice with the given row and column sums among cells whose
    exact share is fractional (remainder > 0), of maximum total remainder; ties prefer
    earlier groups (columns) in earlier sections (rows). Successive shortest paths
    (Bellman-Ford) on source → rows → cells → columns → sink."""
    rows, cols = len(row_need), len(col_need)
    # Lexicographic integer cost: the remainder dominates, the tie-break only decides ties.
    weight = rows * cols * rows * cols + 1
    source, sink = rows + cols, rows + cols + 1
    # Edge list: [to, capacity, cost, index of the reverse edge]
    graph: list[list[list[int]]] = [[] for _ in range(rows + cols + 2)]

    def add(u: int, v: int, capacity: int, cost: int) -> None:
        graph[u].append([v, capacity, cost, len(graph[v])])
        graph[v].append([u, 0, -cost, len(graph[u]) - 1])

    for i in range(rows):
        add(source, i, row_need[i], 0)
        for j in range(cols):
            if remainders[i][j] > 0:
                add(i, rows + j, 1, -(remainders[i][j] * weight) - (rows - i) * (cols - j))
    for j in range(cols):
        add(rows + j, sink, col_need[j], 0)
    for _ in range(sum(row_need)):
        dist: list[float] = [math.inf] * len(graph)
        via: list[tuple[int, int] | None] = [None] * len(graph)
        dist[source] = 0
        for _round in range(len(graph)):
            changed = False
            for u, edges in enumerate(graph):
                if dist[u] == math.inf:
                    continue
                for k, (v, capacity, cost, _rev) in enumerate(edges):
                    if capacity > 0 and dist[u] + cost < dist[v]:
                        dist[v] = dist[u] + cost
                        via[v] = (u, k)
                        changed = True
            if not changed:
                break
        if dist[sink] == math.inf:  # pragma: no cover - impossible: the exact shares are a flow
            raise AssertionError("no rounding of the tied employees keeps the totals")
        v = sink
        while v != source:
            step = via[v]
            assert step is not None
            u, k = step
            graph[u][k][1] -= 1
            graph[v][graph[u][k][3]][1] += 1
            v = u
    return {
        (i, v - rows)
        for i in range(rows)
        for v, capacity, _cost, _rev in graph[i]
        if rows <= v < rows + cols and capacity == 0
    }


# --------------------------------------------------------------------------------------
# Frequency tables (Polars): what the indicators use, vectorised over organisations


def summarise(
    table: pl.DataFrame, keys: Sequence[str], value: str, count: str = "n"
) -> pl.DataFrame:
    """People, mean and median of ``value`` for each combination of ``keys``.

    ``table`` is a frequency table: ``keys``, ``value`` and ``count`` (people with that
    value), rows in any order, a value possibly on several rows. Returns ``keys``,
    ``people``, ``mean``, ``median`` (the middle value, or the mean of the two middle
    values), one row per combination with people, sorted by ``keys``. The table is first
    reduced to one sorted row per value, so the figures do not depend on the row order.
    """
    keys = list(keys)
    v, n = pl.col(value), pl.col(count)
    through = n.cum_sum()  # rows sorted by value within each group: people up to this row
    people = n.sum()
    return (
        # One row per value (so the sums do not depend on the input rows), one sort by value,
        # then each combination's rows in that order (a group keeps the order of its rows):
        # no sort or window over the keys of the whole table.
        table.group_by([*keys, value])
        .agg(n.sum())
        .filter(n > 0)
        .sort(value)
        .group_by(keys)
        .agg(
            people.alias("people"),
            ((v * n).sum() / people).alias("mean"),
            v.filter(through > (people - 1) // 2).first().alias("_low"),
            v.filter(through > people // 2).first().alias("_high"),
        )
        .with_columns(((pl.col("_low") + pl.col("_high")) / 2).alias("median"))
        .with_columns(  # an overflowing sum is no figure (null), never inf or NaN
            pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in ("mean", "median")
        )
        .select(*keys, pl.col("people").cast(pl.Int64), "mean", "median")
        .sort(keys)
    )


_FEW = pl.QueryOptFlags.none()
"""The optimisations of :func:`small_query` (none: its plans are short, optimising them costs
more than it saves)."""


def small_query(query: pl.LazyFrame) -> pl.DataFrame:
    """A short query, run at once: in memory (the streaming engine's set-up costs more than
    such a query) and unoptimised. One query for several steps costs less than a query per
    step, as eager frames run them."""
    return query.collect(engine="in-memory", optimizations=_FEW)


def _section(position: pl.Expr) -> pl.Expr:
    """Index (0-3) of the quartile pay band holding a 0-based rank position."""
    return (
        (position >= pl.col("_b1")).cast(pl.Int64)
        + (position >= pl.col("_b2")).cast(pl.Int64)
        + (position >= pl.col("_b3")).cast(pl.Int64)
    )


def quartile_table(
    table: pl.DataFrame,
    keys: Sequence[str],
    value: str,
    group: str,
    count: str = "n",
    *,
    prepared: bool = False,
) -> pl.DataFrame:
    """People of each group in each quartile pay band, for each combination of ``keys``.

    ``table`` holds ``keys``, ``value`` (hourly pay), ``group`` and ``count``. Returns
    ``keys``, ``quartile`` (0 = lower … 3 = upper), ``group``, ``count`` for every group
    present in a quartile. Ranks are cut by :func:`quartile_sizes`; a pay rate whose ranks
    fall in one section goes there whole, one that straddles cuts is spread by
    :func:`apportion_tie` (at most three such rates per combination of keys).
    ``prepared``: the table already has one row per keys, value and group, each with people,
    sorted by keys and value.
    """
    keys = list(keys)
    people = (
        table.lazy()
        if prepared
        else table.lazy()
        .group_by([*keys, value, group])
        .agg(pl.col(count).sum())
        .filter(pl.col(count) > 0)
        .sort([*keys, value])
    )
    n = pl.col(count)
    # Sorted by keys and value, each rate (block) and each combination of keys is a run of
    # rows: their first and last people's places are running sums, no group-by or window.
    new_key = pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift(1)) for k in keys)
    last_key = pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift(-1)) for k in keys)
    new_block = new_key | pl.col(value).ne_missing(pl.col(value).shift(1))
    last_block = last_key | pl.col(value).ne_missing(pl.col(value).shift(-1))
    through, before = pl.col("_through"), pl.col("_through") - n
    base, extra = pl.col("_total") // 4, pl.col("_total") % 4
    ranked = small_query(
        people.with_columns(n.cast(pl.Int64).cum_sum().alias("_through"))
        .with_columns(
            pl.when(new_key).then(before).forward_fill().alias("_key_start"),
            pl.when(last_key).then(through).backward_fill().alias("_key_end"),
            pl.when(new_block).then(before).forward_fill().alias("_start"),
            pl.when(last_block).then(through).backward_fill().alias("_end"),
        )
        .with_columns(
            (pl.col("_key_end") - pl.col("_key_start")).alias("_total"),
            (pl.col("_start") - pl.col("_key_start")).alias("_start"),
            (pl.col("_end") - pl.col("_key_start")).alias("_end"),
        )
        .with_columns(
            # Cuts between sections: the remainder goes to lower, upper middle, lower middle.
            (base + (extra >= 1).cast(pl.Int64)).alias("_b1"),
            (2 * base + (extra >= 1).cast(pl.Int64) + (extra >= 3).cast(pl.Int64)).alias("_b2"),
            (3 * base + extra).alias("_b3"),
        )
        .with_columns(
            _section(pl.col("_start")).alias("_first"),
            _section(pl.col("_end") - 1).alias("_last"),
        )
    )
    whole = (
        ranked.lazy()
        .filter(pl.col("_first") == pl.col("_last"))
        .group_by([*keys, pl.col("_first").alias("quartile"), group])
        .agg(n.sum())
    )
    split_rows: list[dict[str, object]] = []
    straddling = ranked.filter(pl.col("_first") != pl.col("_last"))
    if straddling.height:
        at_rate: dict[tuple[object, ...], dict[Any, int]] = {}
        blocks: dict[tuple[object, ...], dict[str, Any]] = {}
        for row in straddling.iter_rows(named=True):
            block = tuple(row[k] for k in (*keys, value))
            at_rate.setdefault(block, {})[row[group]] = int(row[count])
            blocks.setdefault(block, row)
        for block, row in blocks.items():
            cuts = [0, row["_b1"], row["_b2"], row["_b3"], row["_total"]]
            start, end = row["_start"], row["_end"]
            places = [
                (q, min(end, cuts[q + 1]) - max(start, cuts[q]))
                for q in range(row["_first"], row["_last"] + 1)
            ]
            places = [(q, p) for q, p in places if p > 0]
            shares = apportion_tie([p for _q, p in places], at_rate[block])
            for (q, _p), share in zip(places, shares, strict=True):
                for name, people_in in share.items():
                    if people_in:
                        split_rows.append(
                            {
                                **{k: row[k] for k in keys},
                                "quartile": q,
                                group: name,
                                count: people_in,
                            }
                        )
    if split_rows:
        schema = whole.collect_schema()
        split = pl.LazyFrame(split_rows).select(
            *[pl.col(k).cast(schema[k]) for k in keys],
            pl.col("quartile").cast(schema["quartile"]),
            pl.col(group).cast(schema[group]),
            pl.col(count).cast(schema[count]),
        )
        whole = pl.concat([whole, split])
    return small_query(
        whole.group_by([*keys, "quartile", group])
        .agg(pl.col(count).sum())
        .with_columns(pl.col("quartile").cast(pl.Int64), pl.col(count).cast(pl.Int64))
        .sort([*keys, "quartile", group])
    )


# --------------------------------------------------------------------------------------
# Frequency tables (NumPy): the same figures on small dense tables, no query per step


def segment_starts(owner: np.ndarray, owners: int) -> np.ndarray:
    """The first row of each owner (0 … ``owners`` − 1) in rows sorted by ``owner``, and the
    number of rows after the last: ``owners`` + 1 bounds."""
    return np.searchsorted(owner, np.arange(owners + 1), side="left")


def segment_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of ``values`` (along the first axis) between consecutive ``starts`` (0 for an
    empty segment)."""
    shape = (len(starts) - 1, *values.shape[1:])
    out = np.zeros(shape, dtype=values.dtype)
    full = starts[:-1] < starts[1:]
    if full.any():
        out[full] = np.add.reduceat(values, starts[:-1][full], axis=0)
    return out


def segment_medians(values: np.ndarray, counts: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The median of each segment of a frequency table (NaN for nobody): ``values`` sorted
    within each segment between consecutive ``starts``, ``counts`` the people on each row
    (0 allowed); the middle value, or the mean of the two middle values (as
    :func:`summarise`)."""
    through = np.cumsum(counts)
    before = np.concatenate([[0], through])[starts]
    people = before[1:] - before[:-1]
    before = before[:-1]
    last = max(len(values) - 1, 0)
    low = np.searchsorted(through, before + (people - 1) // 2, side="right").clip(0, last)
    high = np.searchsorted(through, before + people // 2, side="right").clip(0, last)
    if not len(values):
        return np.full(len(people), np.nan)
    middle = (values[low] + values[high]) / 2
    return np.where(people > 0, middle, np.nan)


def quartile_bands(people: np.ndarray, owner: np.ndarray, owners: int) -> np.ndarray:
    """:func:`quartile_table` on a dense table: ``people[s, j]`` people of label ``j`` on
    row ``s``, one row per distinct hourly rate of an owner (an organisation's snapshot),
    rows sorted by ``owner`` and rate. Returns ``bands[o, q, j]``: people of label ``j`` in
    quartile pay band ``q`` of owner ``o``, with the same cuts and the same apportionment
    of rates straddling them (:func:`apportion_tie`, labels ordered by index)."""
    labels = people.shape[1]
    on_rate = people.sum(axis=1)
    through = np.cumsum(on_rate)
    before = np.concatenate([[0], through])[segment_starts(owner, owners)]
    total = before[1:] - before[:-1]
    start = through - on_rate - before[:-1][owner]  # places before the rate, in its owner
    end = start + on_rate
    base, extra = total // 4, total % 4
    cuts = np.stack(
        [
            np.zeros_like(total),
            base + (extra >= 1),
            2 * base + (extra >= 1) + (extra >= 3),
            3 * base + extra,
            total,
        ],
        axis=1,
    )[owner]

    def section(position: np.ndarray) -> np.ndarray:
        index: np.ndarray = (
            (position >= cuts[:, 1]).astype(np.int64)
            + (position >= cuts[:, 2])
            + (position >= cuts[:, 3])
        )
        return index

    first, last = section(start), section(end - 1)
    bands = np.zeros((owners * 4, labels), dtype=np.int64)
    whole = (on_rate > 0) & (first == last)
    at = owner[whole] * 4 + first[whole]
    for j in range(labels):
        bands[:, j] = np.bincount(at, weights=people[whole, j], minlength=owners * 4).round()
    for s in np.flatnonzero((on_rate > 0) & (first != last)):
        places = [
            (q, int(min(end[s], cuts[s, q + 1]) - max(start[s], cuts[s, q])))
            for q in range(int(first[s]), int(last[s]) + 1)
        ]
        places = [(q, p) for q, p in places if p > 0]
        counts = {j: int(people[s, j]) for j in range(labels) if people[s, j] > 0}
        shares = apportion_tie([p for _q, p in places], counts)
        for (q, _p), share in zip(places, shares, strict=True):
            for j, n in share.items():
                bands[owner[s] * 4 + q, j] += n
    return bands.reshape(owners, 4, labels)


# --------------------------------------------------------------------------------------
# The same on plain Python inputs (hand-worked examples, documentation)

Frequencies = Iterable[tuple[float, int]]
"""(value, number of people with that value) pairs, in any order, values may repeat."""


def _frame(freq: Frequencies) -> pl.DataFrame:
    rows = list(freq)
    if any(n < 0 for _v, n in rows):
        raise ValueError("a negative count in a frequency table")
    return pl.DataFrame(
        {
            "k": [0] * len(rows),
            "value": [float(v) for v, _n in rows],
            "n": [int(n) for _v, n in rows],
        },
        schema={"k": pl.Int64, "value": pl.Float64, "n": pl.Int64},
    )


def headcount(freq: Frequencies) -> int:
    """The number of people in a frequency table."""
    return sum(n for _v, n in freq)


def mean(freq: Frequencies) -> float | None:
    """Mean of the values of a frequency table (None for nobody)."""
    summary = summarise(_frame(freq), ["k"], "value")
    value = None if summary.is_empty() else summary["mean"][0]
    return None if value is None else float(value)


def median(freq: Frequencies) -> float | None:
    """Median of a frequency table: the middle value, or the mean of the two middle values."""
    summary = summarise(_frame(freq), ["k"], "value")
    value = None if summary.is_empty() else summary["median"][0]
    return None if value is None else float(value)


def quartile_counts(
    table: Iterable[tuple[float, str, int]], groups: Iterable[str] = ()
) -> list[dict[str, int]]:
    """People of each group in the lower, lower middle, upper middle and upper quartile pay
    bands, from (hourly pay, group, people) rows; ``groups`` are reported even if empty."""
    rows = list(table)
    if any(n < 0 for _v, _g, n in rows):
        raise ValueError("a negative count in a frequency table")
    frame = pl.DataFrame(
        {
            "k": [0] * len(rows),
            "value": [float(v) for v, _g, _n in rows],
            "group": [g for _v, g, _n in rows],
            "n": [int(n) for _v, _g, n in rows],
        },
        schema={"k": pl.Int64, "value": pl.Float64, "group": pl.String, "n": pl.Int64},
    )
    names = sorted({*groups, *(g for _v, g, _n in rows)})
    out: list[dict[str, int]] = [dict.fromkeys(names, 0) for _ in QUARTILES]
    for _k, quartile, group, n in quartile_table(frame, ["k"], "value", "group").rows():
        out[quartile][group] += n
    return out
