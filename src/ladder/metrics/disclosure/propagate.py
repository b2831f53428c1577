"""Bound propagation: every withheld value's interval from the relations, all at once.

A cheap, vectorised pass over the whole publication (no solver): each relation
``L ≤ Σ a·x ≤ U`` bounds each of its variables by the others' bounds, counts are rounded
to integers, and what the notes say is applied as it becomes decidable (a secondary cell
whose upper bound falls below the threshold is 0; a primary record whose other withheld
counts are all known not to be small has its last one in 1..t−1). Repeated to a fixed
point. The bounds are valid (the true values always satisfy them); the programmes of
:mod:`ladder.metrics.disclosure.attack` can only narrow them further.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ladder.metrics.disclosure.relations import Model

ROUNDS = 60
"""Passes before giving up on a fixed point (each pass narrows or stops)."""

SLACK = 1e-9
"""Relative change below which a pay sum's bound is not moved (rounding, not information: a
pay sum counts as recovered when its interval is under 1e-6 of its size)."""

Floats = NDArray[np.float64]


class Propagator:
    """The relations of a model as sparse arrays, built once and propagated many times."""

    def __init__(self, model: Model) -> None:
        self.model = model
        rows, cols, coef, row_lo = [], [], [], []
        for r, rel in enumerate(model.relations):
            for i, a in rel.terms:
                rows.append(r)
                cols.append(i)
                coef.append(a)
            row_lo.append(0.0 if rel.equality else -np.inf)
        self.R = np.array(rows, dtype=np.int64)
        self.C = np.array(cols, dtype=np.int64)
        self.A = np.array(coef, dtype=np.float64)
        self.L = np.array(row_lo, dtype=np.float64)
        self.U = np.zeros(len(model.relations))
        self.m = len(model.relations)
        self.integer = np.array([k[0] == "count" for k in model.keys], dtype=bool)

    def bounds(
        self, known: dict[int, float], *, notes: bool = True, rows: NDArray[np.bool_] | None = None
    ) -> tuple[Floats, Floats]:
        """(lower, upper) of every variable when ``known`` are published (``notes``: with
        what the model's notes reveal; ``rows``: only these relations' entries)."""
        model = self.model
        n = len(model.keys)
        lo = np.zeros(n)
        hi = np.full(n, np.inf)
        for i, v in known.items():
            lo[i] = hi[i] = v
        if notes:
            for hidden, t, _label in model.primary:
                open_ = [i for i in hidden if i not in known]
                if len(open_) == 1 and not any(0 < known.get(i, 0) < t for i in hidden):
                    lo[open_[0]] = max(lo[open_[0]], 1.0)
                    hi[open_[0]] = min(hi[open_[0]], t - 1.0)
        R, C, A = self.R, self.C, self.A
        if rows is not None:
            keep = rows[R]
            R, C, A = R[keep], C[keep], A[keep]
        integer = self.integer
        active = np.ones(self.m, dtype=bool)  # relations to evaluate in the next pass
        for _ in range(ROUNDS):
            before_lo, before_hi = lo.copy(), hi.copy()
            if len(R):
                # a relation none of whose variables moved in the last pass would give the
                # same bounds again (already applied): only the others are evaluated
                take = active[R]
                if take.all():
                    _pass(R, C, A, self.L, self.U, self.m, lo, hi, integer)
                elif take.any():
                    _pass(R[take], C[take], A[take], self.L, self.U, self.m, lo, hi, integer)
            lo = np.where(integer, np.ceil(lo - 1e-6), lo)
            hi = np.where(integer, np.floor(hi + 1e-6), hi)
            if notes:
                _notes(model, lo, hi)
            moved = (lo != before_lo) | (hi != before_hi)
            if not moved.any():
                break
            active = np.zeros(self.m, dtype=bool)
            active[R[moved[C]]] = True
        return lo, hi


def propagate(model: Model) -> tuple[Floats, Floats]:
    """(lower, upper) bound of every variable of the model."""
    return Propagator(model).bounds(model.known)


def _pass(
    R: NDArray[np.int64],
    C: NDArray[np.int64],
    A: Floats,
    L: Floats,
    U: Floats,
    m: int,
    lo: Floats,
    hi: Floats,
    integer: NDArray[np.bool_],
) -> None:
    """One pass of every relation over every one of its variables (in place).

    A pay sum's bound moves only by more than :data:`SLACK` of its size: a pay sum that the
    relations determine is then held at its value (to within rounding) instead of its two
    bounds crossing by a rounding error and drifting apart pass after pass."""
    with np.errstate(invalid="ignore"):
        low_part = np.where(A > 0, A * lo[C], A * hi[C])  # may be −inf
        high_part = np.where(A > 0, A * hi[C], A * lo[C])  # may be +inf
    low_inf = ~np.isfinite(low_part)
    high_inf = ~np.isfinite(high_part)
    min_sum = np.bincount(R, np.where(low_inf, 0.0, low_part), minlength=m)
    max_sum = np.bincount(R, np.where(high_inf, 0.0, high_part), minlength=m)
    min_infs = np.bincount(R, low_inf.astype(np.float64), minlength=m)
    max_infs = np.bincount(R, high_inf.astype(np.float64), minlength=m)
    # the others' least and greatest activity, for each entry
    others_min = np.where(
        low_inf,
        np.where(min_infs[R] == 1, min_sum[R], -np.inf),
        np.where(min_infs[R] == 0, min_sum[R] - np.where(low_inf, 0.0, low_part), -np.inf),
    )
    others_max = np.where(
        high_inf,
        np.where(max_infs[R] == 1, max_sum[R], np.inf),
        np.where(max_infs[R] == 0, max_sum[R] - np.where(high_inf, 0.0, high_part), np.inf),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        top = (U[R] - others_min) / A  # a·x ≤ U − others_min
        bottom = (L[R] - others_max) / A  # a·x ≥ L − others_max
    new_hi = np.where(A > 0, top, bottom)
    new_lo = np.where(A > 0, bottom, top)
    new_hi = np.where(np.isnan(new_hi), np.inf, new_hi)
    new_lo = np.where(np.isnan(new_lo), -np.inf, new_lo)
    tighter_hi = hi.copy()
    tighter_lo = lo.copy()
    np.minimum.at(tighter_hi, C, new_hi)
    np.maximum.at(tighter_lo, C, new_lo)
    with np.errstate(invalid="ignore"):
        slack = SLACK * np.maximum(1.0, np.abs(np.where(np.isfinite(hi), hi, lo)))
        hi[:] = np.where(integer | (tighter_hi < hi - slack), tighter_hi, hi)
        slack = SLACK * np.maximum(1.0, np.abs(np.where(np.isfinite(lo), lo, hi)))
        lo[:] = np.where(integer | (tighter_lo > lo + slack), tighter_lo, lo)


def _notes(model: Model, lo: Floats, hi: Floats) -> None:
    """What the notes say, where the bounds now decide it (in place)."""
    for hidden, t, _label in model.secondary:
        for i in hidden:
            if hi[i] < t:
                hi[i] = min(hi[i], 0.0)
            elif lo[i] > 0:
                lo[i] = max(lo[i], float(t))
    for hidden, t, _label in model.primary:
        small = [i for i in hidden if not (hi[i] <= 0 or lo[i] >= t)]
        if len(small) == 1:
            i = small[0]
            lo[i] = max(lo[i], 1.0)
            hi[i] = min(hi[i], t - 1.0)
