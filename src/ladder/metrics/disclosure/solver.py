"""The least and greatest value of one variable over a small linear programme, LP first.

The attack's programmes (:mod:`ladder.metrics.disclosure.attack`) ask, for each withheld value,
its minimum and its maximum over the integer points of ``lower ≤ A·x ≤ upper``,
``lb ≤ x ≤ ub``. The relations of a publication are sums of cells (tables with their margins,
nested groups): the LP relaxation's optimal vertex is nearly always integral already, and then
it IS the integer optimum (the LP optimum bounds the integer one, and an integral optimal
vertex is an integer point attaining it). So each end is solved as an LP (HiGHS dual simplex,
the model passed once and re-solved with the objective's sense flipped, warm from the last
basis), and the mixed-integer programme (``scipy.optimize.milp``) runs only for an end whose
LP optimum is fractional on an integer column. The answer is the integer programme's,
at a tenth of its cost (docs/performance.md, "Disclosure control").

HiGHS is reached through the copy SciPy ships (``scipy.optimize._highspy``, SciPy ≥ 1.15); with
an older SciPy every end goes to ``milp`` as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

try:  # SciPy ≥ 1.15 ships HiGHS' own Python binding
    from scipy.optimize._highspy import _core as _highs
except ImportError:  # pragma: no cover - older SciPy: the integer programme every time
    _highs = None

TIME_LIMIT = 1.0
"""Seconds allowed for one integer programme (a bound not proven in time is left at the LP's)."""

INTEGRAL = 1e-6
"""How far from an integer an LP value may be and still count as that integer."""


class Programme:
    """``lower ≤ A·x ≤ upper``, ``lb ≤ x ≤ ub`` (``integrality[j]`` 1: x_j an integer), built
    once; :meth:`extremes` of any column."""

    def __init__(self, a: Any, lower: Any, upper: Any, lb: Any, ub: Any, integrality: Any) -> None:
        """``a``: a SciPy sparse matrix, or its entries ``(rows, cols, values, shape)``."""
        if isinstance(a, tuple):
            rows, cols, values, shape = a
            order = np.argsort(rows, kind="stable")
            self.index = np.asarray(cols, dtype=np.int32)[order]
            self.value = np.asarray(values, dtype=np.float64)[order]
            counts = np.bincount(np.asarray(rows, dtype=np.int64), minlength=shape[0])
            self.start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
            self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        else:
            csr = a.tocsr()
            self.index = csr.indices.astype(np.int32)
            self.value = csr.data.astype(np.float64)
            self.start = csr.indptr.astype(np.int32)
            self.shape = (int(csr.shape[0]), int(csr.shape[1]))
        self.lower = np.asarray(lower, dtype=np.float64)
        self.upper = np.asarray(upper, dtype=np.float64)
        self.lb = np.asarray(lb, dtype=np.float64)
        self.ub = np.asarray(ub, dtype=np.float64)
        self.integrality = np.asarray(integrality)
        self.integer = self.integrality == 1
        self.width = self.shape[1]
        self._lp: Any = None
        self._column: int | None = None

    def _model(self, column: int) -> Any:
        """The HiGHS model with the objective ``x[column]`` (passed once, then re-costed)."""
        if self._lp is None:
            lp = _highs.HighsLp()
            lp.num_col_ = self.width
            lp.num_row_ = self.shape[0]
            lp.a_matrix_.num_col_ = self.width
            lp.a_matrix_.num_row_ = self.shape[0]
            lp.a_matrix_.format_ = _highs.MatrixFormat.kRowwise
            lp.a_matrix_.start_ = self.start
            lp.a_matrix_.index_ = self.index
            lp.a_matrix_.value_ = self.value
            cost = np.zeros(self.width)
            cost[column] = 1.0
            lp.col_cost_ = cost
            lp.col_lower_ = self.lb
            lp.col_upper_ = self.ub
            lp.row_lower_ = self.lower
            lp.row_upper_ = self.upper
            solver = _highs._Highs()
            solver.setOptionValue("output_flag", False)
            solver.setOptionValue("presolve", "off")  # small programmes: presolve costs more
            solver.passModel(lp)
            self._lp = solver
        elif self._column != column:
            if self._column is not None:
                self._lp.changeColCost(self._column, 0.0)
            self._lp.changeColCost(column, 1.0)
        self._column = column
        return self._lp

    def _lp_end(self, column: int, sign: float) -> tuple[float | None, bool]:
        """(optimum of ``sign × x[column]`` over the LP, whether it is an integer point);
        None when the LP says nothing usable (then the integer programme decides)."""
        if _highs is None:
            return None, False
        solver = self._model(column)
        sense = _highs.ObjSense.kMinimize if sign > 0 else _highs.ObjSense.kMaximize
        solver.changeObjectiveSense(sense)
        solver.run()
        status = solver.getModelStatus()
        if status == _highs.HighsModelStatus.kUnbounded:
            return (-np.inf if sign > 0 else np.inf), True
        if status != _highs.HighsModelStatus.kOptimal:
            return None, False
        x = np.asarray(solver.getSolution().col_value)
        values = x[self.integer]
        whole = not len(values) or float(np.max(np.abs(values - np.round(values)))) <= INTEGRAL
        value = float(x[column])
        return (float(round(value)) if whole and self.integer[column] else value), whole

    def extremes(self, column: int, *, relaxed: bool = False) -> tuple[float, float]:
        """(min, max) of ``x[column]`` over the integer points (``relaxed``: over the LP);
        ±inf where nothing bounds it."""
        ends: list[float] = []
        for sign in (1.0, -1.0):
            value, whole = self._lp_end(column, sign)
            if value is not None and (whole or relaxed):
                ends.append(value)
            else:
                ends.append(self._milp_end(column, sign, relaxed))
        return max(0.0, ends[0]), ends[1]

    def _milp_end(self, column: int, sign: float, relaxed: bool) -> float:
        c = np.zeros(self.width)
        c[column] = sign
        a = csr_array((self.value, self.index, self.start), shape=self.shape)
        constraints = [LinearConstraint(a, self.lower, self.upper)] if self.shape[0] else []
        res = milp(
            c,
            integrality=np.zeros(self.width) if relaxed else self.integrality,
            bounds=Bounds(self.lb, self.ub),
            constraints=constraints,
            options={"time_limit": TIME_LIMIT},
        )
        if res.status == 0 and res.x is not None:
            return float(res.x[column])
        if res.status == 1 and getattr(res, "mip_dual_bound", None) is not None:
            return sign * float(res.mip_dual_bound)  # time limit: still a bound
        return -np.inf if sign > 0 else np.inf  # unbounded, or nothing proven
