"""An attacker's view of a staff survey's publication: every filtered view of every question,
the unfiltered totals and the SEB indicator figures, as linear relations between the unknown
counts; each withheld small count is then bounded by integer programming (scipy's HiGHS).

A count is *found by elimination* when its lowest and highest possible values are equal.
Used by tests/web/test_surveys.py (the differencing test)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ladder.app import surveys
from ladder.codes import PAY_BANDS
from ladder.metrics import Result

PO = "parent_occupation"
SEB_ANSWERING = ("professional", "intermediate", "lower")
NON_ANSWERS = ("dont_know", "prefer_not_to_say")


@dataclass
class Model:
    names: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[dict[int, float], float]] = field(default_factory=list)

    def var(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]

    def equal(self, terms: dict[str, float], value: float) -> None:
        coeffs: dict[int, float] = {}
        for name, c in terms.items():
            i = self.var(name)
            coeffs[i] = coeffs.get(i, 0.0) + c
        self.rows.append((coeffs, value))

    def bounds(self, name: str, threshold: int) -> tuple[int, int]:
        """The lowest and highest value of ``name``: by linear programming, and when that
        leaves fewer than ``threshold`` possibilities, by integer programming."""
        n = len(self.names)
        data, ri, ci, b = [], [], [], []
        for k, (coeffs, value) in enumerate(self.rows):
            for i, c in coeffs.items():
                data.append(c)
                ri.append(k)
                ci.append(i)
            b.append(value)
        a = sparse.csr_array((data, (ri, ci)), shape=(len(self.rows), n))
        rhs = np.array(b)
        cost = np.zeros(n)
        cost[self.index[name]] = 1.0
        box = [(0, None)] * n
        low = linprog(cost, A_eq=a, b_eq=rhs, bounds=box, method="highs")
        high = linprog(-cost, A_eq=a, b_eq=rhs, bounds=box, method="highs")
        assert low.status == 0 and high.status == 0, (name, low.message, high.message)
        lo, hi = math.ceil(low.fun - 1e-6), math.floor(-high.fun + 1e-6)
        if hi - lo + 1 >= threshold:
            return lo, hi
        constraint = LinearConstraint(a, rhs, rhs)
        found = []
        for sign in (1.0, -1.0):
            res = milp(
                sign * cost,
                constraints=[constraint],
                integrality=np.ones(n),
                bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
            )
            assert res.status == 0, (name, res.message)
            found.append(round(sign * res.fun))
        return found[0], found[1]


def _cell(b: str, q: str, r: str, c: str) -> str:
    return f"x[{b}|{q}|{r}|{c}]"


def _group(b: str, r: str) -> str:
    return f"G[{b}|{r}]"


def _answer_total(q: str, c: str) -> str:
    return f"T[{q}|{c}]"


def _band(row: str) -> str:
    return row if row in PAY_BANDS else "Not known"


def model(views: dict[str | None, surveys.View], indicators: Sequence[Result]) -> Model:
    """The relations an attacker reads from ``views`` (by breakdown, None: everyone) and the
    published (not suppressed) ``indicators``, with the structure every survey has."""
    m = Model()
    m.var("N")
    for q in surveys.SMC_QUESTIONS:
        cols = views[None].tables[q].cols
        m.equal({_answer_total(q, c): 1 for c in cols} | {"N": -1}, 0)
        for b in surveys.BREAKDOWNS:
            t = views[b].tables[q]
            for c in cols:  # the answer totals are the same under every filter
                m.equal({_cell(b, q, r, c): 1 for r in t.rows} | {_answer_total(q, c): -1}, 0)
            for r in t.rows:  # a group has the same size in every question's table
                m.equal({_cell(b, q, r, c): 1 for c in cols} | {_group(b, r): -1}, 0)
    for b in surveys.BREAKDOWNS:
        rows = views[b].tables[PO].rows
        m.equal({_group(b, r): 1 for r in rows} | {"N": -1}, 0)
    # what the pages show
    for b, view in views.items():
        if view.total is not None:
            m.equal({"N": 1}, view.total)
        for q, t in view.tables.items():
            for c in t.cols:
                if (shown := t.shown(None, c)) is not None:
                    m.equal({_answer_total(q, c): 1}, shown)
            if b is None:
                for c in t.cols:
                    if (shown := t.shown("", c)) is not None:
                        m.equal({_answer_total(q, c): 1}, shown)
                if (shown := t.shown("", None)) is not None:
                    m.equal({"N": 1}, shown)
                continue
            present = set(t.present_rows)
            for r in t.rows:
                if r not in present:  # the page leaves out an empty group
                    m.equal({_group(b, r): 1}, 0)
                    continue
                if (shown := t.shown(r, None)) is not None:
                    m.equal({_group(b, r): 1}, shown)
                for c in t.cols:
                    if (shown := t.shown(r, c)) is not None:
                        m.equal({_cell(b, q, r, c): 1}, shown)
    # the SEB indicator figures (numerator and denominator of each one shown)
    band_rows = views["pay_band"].tables[PO].rows
    for result in indicators:
        if result.suppressed or result.numerator is None or result.denominator is None:
            continue
        num, den = float(result.numerator), float(result.denominator)
        if result.id == "seb.response_rate":
            q = result.group or ""
            cols = [c for c in views[None].tables[q].cols if c not in NON_ANSWERS]
            if q == PO:
                cols = list(SEB_ANSWERING)
            m.equal({_answer_total(q, c): 1 for c in cols}, num)
            m.equal({"N": 1}, den)
        elif result.id == "seb.profile":
            m.equal({_answer_total(PO, result.group or ""): 1}, num)
            m.equal({_answer_total(PO, c): 1 for c in SEB_ANSWERING}, den)
        elif result.id == "seb.profile_by_band":
            band = result.breakdown["pay_band"]
            rows = [r for r in band_rows if _band(r) == band]
            m.equal({_cell("pay_band", PO, r, result.group or ""): 1 for r in rows}, num)
            m.equal({_cell("pay_band", PO, r, c): 1 for r in rows for c in SEB_ANSWERING}, den)
    return m


def found_by_elimination(
    views: dict[str | None, surveys.View], indicators: Sequence[Result], threshold: int
) -> list[tuple[str, int]]:
    """The withheld counts from 1 to ``threshold`` - 1 that the publication pins down exactly:
    (the unknown's name, its value)."""
    m = model(views, indicators)
    small: dict[str, int] = {}
    for b, view in views.items():
        if b is None:
            continue
        for q, t in view.tables.items():
            for (r, c), value in t.cells.items():
                if (r, c) not in t.hidden or not 0 < value < threshold:
                    continue
                if r is None and c is not None:
                    small[_answer_total(q, c)] = value
                elif c is None and r is not None:
                    small[_group(b, r)] = value
                elif r is not None and c is not None:
                    small[_cell(b, q, r, c)] = value
    found = []
    for name, value in sorted(small.items()):
        if name not in m.index:
            continue
        lo, hi = m.bounds(name, threshold)
        assert lo <= value <= hi, (name, value, lo, hi)  # the model is right about the truth
        if lo == hi:
            found.append((name, value))
    return found
