"""The recovery attack: bound every withheld value over everything that is published.

The model (:mod:`ladder.metrics.disclosure.relations`) is split into connected components
(variables linked by a relation or by one record's note); each component with a withheld
value is one mixed-integer programme (``scipy.optimize.milp``, HiGHS): people counts are
non-negative integers, pay sums non-negative reals, relations are equalities (or ``≤``),
and what the notes reveal is encoded with binary variables:

* "a count below t" on a withheld record: at least one of its withheld counts is 1..t−1;
* the secondary-suppression note: each of its withheld counts is 0 or ≥ t.

For each withheld value the programme is solved twice (min and max), each as an LP first: an
integral LP optimum is the integer optimum (:mod:`ladder.metrics.disclosure.solver`), and the
integer programme runs only where it is fractional. A value published in another table is known
outright (its interval is one point).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ladder.metrics.disclosure.propagate import Floats, propagate
from ladder.metrics.disclosure.relations import Model
from ladder.metrics.disclosure.solver import Programme


@dataclass(frozen=True)
class Interval:
    """What the attacker can prove about one withheld value, and from what."""

    variable: int
    low: float
    high: float
    why: tuple[str, ...]


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, items: tuple[int, ...] | list[int]) -> None:
        first = self.find(items[0])
        for j in items[1:]:
            self.parent[self.find(j)] = first


def components(model: Model) -> dict[int, list[int]]:
    """Variables grouped by connected component (root -> members)."""
    sets = _Components(len(model.keys))
    for rel in model.relations:
        sets.join([i for i, _ in rel.terms])
    for hidden, _t, _label in (*model.primary, *model.secondary):
        sets.join(hidden)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(model.keys)):
        groups[sets.find(i)].append(i)
    return groups


def _why(model: Model) -> dict[int, list[str]]:
    """The relations and notes that bear on each variable, by name."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for rel in model.relations:
        for i, _ in rel.terms:
            reasons[i].append(rel.name)
    for hidden, t, label in model.primary:
        for i in hidden:
            reasons[i].append(f'note "a count below {t}" on {label}')
    for hidden, t, label in model.secondary:
        for i in hidden:
            reasons[i].append(f"note of secondary suppression on {label} (0 or ≥ {t})")
    return reasons


DEPTH = 3
"""Hops (variable → relation → variable) of the neighbourhood each value is bounded over."""


def _links(model: Model) -> dict[int, set[int]]:
    """Variables sharing a relation or a record's note with each variable."""
    links: dict[int, set[int]] = defaultdict(set)
    groups = [[i for i, _ in rel.terms] for rel in model.relations]
    groups += [list(h) for h, _t, _l in (*model.primary, *model.secondary)]
    for g in groups:
        for i in g:
            links[i].update(g)
    return links


def _neighbourhood(model: Model, links: dict[int, set[int]], start: int) -> list[int]:
    """Variables within :data:`DEPTH` hops of ``start``; known values end a path."""
    seen = {start}
    frontier = {start}
    for _ in range(DEPTH):
        nxt: set[int] = set()
        for i in frontier:
            nxt.update(j for j in links.get(i, ()) if j not in seen)
        seen.update(nxt)
        frontier = {j for j in nxt if j not in model.known}
    return sorted(seen)


def attack(
    model: Model, *, exhaustive: bool = False, worth: Callable[[int], bool] | None = None
) -> list[Interval]:
    """The feasible interval of every withheld value of the model.

    Every value is first bounded by propagation (:mod:`propagate`); a value whose interval
    is then under :data:`WORTH_PROVING` × threshold is bounded again by the integer
    programme over its neighbourhood. ``exhaustive``: every other value too, by the LP.
    ``worth``: only the values it accepts get the programme (the audit's: the sensitive ones,
    the only ones that can be findings); the others keep their propagated interval, which
    holds the true value all the same.
    """
    out: list[Interval] = []
    floor, ceiling = propagate(model)
    groups = components(model)
    links = _links(model)
    reasons = _why(model)
    index = _Index(model)
    built: dict[tuple[int, ...], tuple[Programme, dict[int, int]]] = {}
    for members in groups.values():
        targets = [i for i in members if i in model.withheld]
        if not targets:
            continue
        known = [i for i in targets if i in model.known]
        for i in known:
            v = model.known[i]
            out.append(Interval(i, v, v, ("published in another table", *reasons.get(i, ()))))
        t = threshold_of(model, members)
        for i in (i for i in targets if i not in model.known):
            low, high = float(floor[i]), float(ceiling[i])
            wide = high - low + 1 >= t  # not yet a finding
            if (
                high - low > 1e-9
                and (exhaustive or (wide and high - low < WORTH_PROVING * t))
                and (worth is None or worth(i))
            ):
                near = _neighbourhood(model, links, i)
                key = tuple(near)  # values with the same neighbourhood share its programme
                if key not in built:
                    built[key] = programme_of(model, index, near, floor, ceiling)
                low2, high2 = _solve(
                    model, index, near, [i], floor, ceiling, exhaustive, built[key]
                )[i]
                low, high = max(low, low2), min(high, high2)
            out.append(Interval(i, low, high, tuple(dict.fromkeys(reasons.get(i, ())))))
    out.sort(key=lambda x: x.variable)
    return out


class _Index:
    """Which relations and notes touch each variable (so a neighbourhood's are found fast)."""

    def __init__(self, model: Model) -> None:
        self.relations: dict[int, list[int]] = defaultdict(list)
        self.primary: dict[int, list[int]] = defaultdict(list)
        self.secondary: dict[int, list[int]] = defaultdict(list)
        for k, rel in enumerate(model.relations):
            for i, _ in rel.terms:
                self.relations[i].append(k)
        for k, (hidden, _t, _l) in enumerate(model.primary):
            for i in hidden:
                self.primary[i].append(k)
        for k, (hidden, _t, _l) in enumerate(model.secondary):
            for i in hidden:
                self.secondary[i].append(k)
        # the relations as arrays: entries of relation k are start[k]:start[k + 1]
        sizes = [len(rel.terms) for rel in model.relations]
        self.start = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
        self.var = np.array([i for rel in model.relations for i, _ in rel.terms], dtype=np.int64)
        self.coef = np.array([a for rel in model.relations for _, a in rel.terms], dtype=np.float64)
        self.equality = np.array([rel.equality for rel in model.relations], dtype=bool)
        self.sizes = np.array(sizes, dtype=np.int64)
        self.row = np.repeat(np.arange(len(sizes)), self.sizes)
        """The relation of each entry."""
        self.size = len(model.keys)

    def relation_rows(
        self, model: Model, members: list[int], column: dict[int, int]
    ) -> tuple[Any, Any, Any, Any, Any]:
        """The relations wholly within ``members`` that hold a free (unpublished) variable, as
        rows ``lower ≤ Σ a·x_free ≤ upper`` (published terms moved to the bounds): (row of
        each entry, column of each entry, coefficients, lower, upper), rows numbered from 0
        in relation order."""
        members_arr = np.array(members, dtype=np.int64)
        place = np.full(self.size, -1, dtype=np.int64)
        place[members_arr] = np.arange(len(members))
        inside_all = place[self.var] >= 0
        # the relations wholly within the members (every entry inside), in relation order
        inside_count = np.bincount(self.row, inside_all, minlength=len(self.sizes))
        ks = np.flatnonzero((inside_count == self.sizes) & (self.sizes > 0))
        empty = np.zeros(0)
        if not len(ks):
            return empty.astype(np.int64), empty.astype(np.int64), empty, empty, empty
        starts, ends = self.start[ks], self.start[ks + 1]
        lengths = ends - starts
        row = np.repeat(np.arange(len(ks)), lengths)
        entry = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        entry += np.repeat(starts, lengths)
        var, coef = self.var[entry], self.coef[entry]
        known_value = np.array([model.known.get(i, np.nan) for i in members], dtype=np.float64)
        col_of = np.array([column.get(i, -1) for i in members], dtype=np.int64)
        at = place[var]
        free = col_of[at] >= 0
        published = ~free
        const = np.bincount(
            row,
            np.where(published, coef * np.where(published, known_value[at], 0.0), 0.0),
            minlength=len(ks),
        )
        keep_row = np.bincount(row, free, minlength=len(ks)) > 0
        number = np.cumsum(keep_row) - 1
        take = free & keep_row[row]
        upper = -const[keep_row]
        lower = np.where(self.equality[ks][keep_row], upper, -np.inf)
        return number[row[take]], col_of[at[take]], coef[take], lower, upper

    @staticmethod
    def among(table: dict[int, list[int]], members: list[int]) -> list[int]:
        return sorted({k for i in members for k in table.get(i, ())})


def _solve(
    model: Model,
    index: _Index,
    members: list[int],
    targets: list[int],
    start_lo: Floats,
    start_hi: Floats,
    exhaustive: bool,
    built: tuple[Programme, dict[int, int]] | None = None,
) -> dict[int, tuple[float, float]]:
    """min and max of each target over the component's feasible set (``built``: the
    programme of these members and bounds, from :func:`programme_of`)."""
    programme, col = built or programme_of(model, index, members, start_lo, start_hi)
    out: dict[int, tuple[float, float]] = {}
    t = threshold_of(model, members)
    for i in targets:
        if exhaustive:  # the LP first; the integer programme where it is worth it
            relaxed = programme.extremes(col[i], relaxed=True)
            if relaxed[1] - relaxed[0] >= WORTH_PROVING * t:
                out[i] = relaxed
                continue
        out[i] = programme.extremes(col[i])
    return out


def programme_of(
    model: Model, index: _Index, members: list[int], start_lo: Floats, start_hi: Floats
) -> tuple[Programme, dict[int, int]]:
    """The programme over ``members`` (their relations and notes, the published values
    substituted, ``start_lo``/``start_hi`` as bounds) and the column of each free variable."""
    free = [i for i in members if i not in model.known]
    col = {v: k for k, v in enumerate(free)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    member_set = set(members)
    big = 10.0 * max([abs(model.known[i]) for i in members if i in model.known] + [1e4])
    n_cols = len(free)

    rel_rows, rel_cols, rel_vals, rel_lower, rel_upper = index.relation_rows(model, members, col)
    first = len(rel_lower)

    def row(terms: list[tuple[int, float]], lo: float, hi: float) -> None:
        r = first + len(lower)
        for c, a in terms:
            rows.append(r)
            cols.append(c)
            vals.append(a)
        lower.append(lo)
        upper.append(hi)

    integral = [0 if model.keys[i][0] == "paysum" else 1 for i in free]
    floor = np.array([start_lo[i] for i in free], dtype=np.float64)
    ceiling = np.array([start_hi[i] for i in free], dtype=np.float64)
    binaries = 0
    for hidden, t, _label in (model.primary[k] for k in index.among(index.primary, members)):
        if not all(i in member_set for i in hidden):
            continue
        if any(start_lo[i] >= 1 and start_hi[i] <= t - 1 for i in hidden):
            continue  # already known to hold (propagation, or a published small count)
        open_ = [
            i for i in hidden if i not in model.known and not (start_hi[i] <= 0 or start_lo[i] >= t)
        ]
        if not open_:
            continue
        if len(open_) == 1:  # the one withheld count is the small one
            floor[col[open_[0]]] = max(floor[col[open_[0]]], 1.0)
            ceiling[col[open_[0]]] = min(ceiling[col[open_[0]]], t - 1.0)
            continue
        flags = []
        for i in open_:
            b = n_cols + binaries
            binaries += 1
            flags.append(b)
            row([(col[i], 1.0), (b, -1.0)], 0.0, np.inf)  # x ≥ b
            row([(col[i], 1.0), (b, big)], -np.inf, t - 1 + big)  # x ≤ t−1 + M(1−b)
        row([(b, 1.0) for b in flags], 1.0, np.inf)
    for hidden, t, _label in (model.secondary[k] for k in index.among(index.secondary, members)):
        if not all(i in member_set for i in hidden):
            continue
        for i in hidden:
            if i in model.known or start_hi[i] < t or start_lo[i] > 0:
                continue  # decided already (propagation applied the note)
            z = n_cols + binaries
            binaries += 1
            row([(col[i], 1.0), (z, -big)], -np.inf, 0.0)  # x ≤ M z
            row([(col[i], 1.0), (z, -float(t))], 0.0, np.inf)  # x ≥ t z
    width = n_cols + binaries
    integrality = np.array(integral + [1] * binaries)
    every_lower = np.concatenate([rel_lower, np.array(lower, dtype=np.float64)])
    a = (
        np.concatenate([rel_rows, np.array(rows, dtype=np.int64)]),
        np.concatenate([rel_cols, np.array(cols, dtype=np.int64)]),
        np.concatenate([rel_vals, np.array(vals, dtype=np.float64)]),
        (len(every_lower), width),
    )
    programme = Programme(
        a,
        every_lower,
        np.concatenate([rel_upper, np.array(upper, dtype=np.float64)]),
        np.concatenate([floor, np.zeros(binaries)]),
        np.concatenate([ceiling, np.ones(binaries)]),
        integrality,
    )
    return programme, col


WORTH_PROVING = 2
"""The integer programme is solved only when the interval found so far is under this ×
threshold."""


def threshold_of(model: Model, members: list[int]) -> int:
    """The threshold the notes name (10 when they name none)."""
    for _hidden, t, _label in (*model.primary, *model.secondary):
        return t
    return 10
