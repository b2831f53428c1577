"""The fast paths of the protection and the audit give the answers of the slow ones.

LP first (an integral LP optimum is the integer optimum; the integer programme where it is
fractional), one publication at a time (no relation links two), worker processes, and
propagation that holds a determined pay sum at its value.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.sparse import coo_array

from ladder.metrics.disclosure.parallel import publications, workers
from ladder.metrics.disclosure.propagate import Propagator
from ladder.metrics.disclosure.protect import protect, protect_one
from ladder.metrics.disclosure.relations import Model, Relation
from ladder.metrics.disclosure.report import audit
from ladder.metrics.disclosure.solver import Programme
from ladder.metrics.results import Result
from tests.metrics.disclosure.test_protect import grid


def test_an_integral_lp_optimum_is_the_answer() -> None:
    """x + y = 7, 0 ≤ x ≤ 5, y ≤ 4: x runs from 3 to 5 (the LP's vertices are integers)."""
    a = coo_array(([1.0, 1.0], ([0, 0], [0, 1])), shape=(1, 2))
    p = Programme(a, [7.0], [7.0], [0.0, 0.0], [5.0, 4.0], [1, 1])
    assert p.extremes(0) == (3.0, 5.0)
    assert p.extremes(1) == (2.0, 4.0)


def test_a_fractional_lp_optimum_goes_to_the_integer_programme() -> None:
    """2x ≤ 3, x an integer: the LP's maximum is 1.5, the integer one 1."""
    a = coo_array(([2.0], ([0], [0])), shape=(1, 1))
    p = Programme(a, [-np.inf], [3.0], [0.0], [np.inf], [1])
    assert p.extremes(0) == (0.0, 1.0)
    assert p.extremes(0, relaxed=True) == (0.0, 1.5)


def test_nothing_bounds_an_unbounded_value() -> None:
    """x − y = 0 with no upper bounds: x has no maximum."""
    a = coo_array(([1.0, -1.0], ([0, 0], [0, 1])), shape=(1, 2))
    p = Programme(a, [0.0], [0.0], [2.0, 0.0], [np.inf, np.inf], [1, 1])
    assert p.extremes(0) == (2.0, np.inf)


def test_a_determined_pay_sum_stays_at_its_value() -> None:
    """Pay sums with awkward pence, the withheld one determined twice over (by the total and
    by a second partition): its interval is its value to within rounding, never crossed."""
    parts = [4_512_998.64, 275_064.79, 2_410_984.63]
    whole = sum(parts)
    keys = [("paysum", "X", 2024, "pay", (("g", str(k)),)) for k in range(6)]
    model = Model(keys=keys, index={k: i for i, k in enumerate(keys)})
    model.truth = {0: whole, 1: parts[0], 2: parts[1], 3: parts[2], 4: whole - parts[0], 5: 0.0}
    model.relations = [
        Relation("whole = parts", ((0, -1.0), (1, 1.0), (2, 1.0), (3, 1.0))),
        Relation("rest = two parts", ((4, -1.0), (2, 1.0), (3, 1.0))),
        Relation("whole = first + rest", ((0, -1.0), (1, 1.0), (4, 1.0), (5, 1.0))),
    ]
    known = {0: whole, 2: parts[1], 3: parts[2], 5: 0.0}
    lo, hi = Propagator(model).bounds(known, notes=False)
    for i in (1, 4):
        truth = model.truth[i]
        assert lo[i] <= hi[i] + 1e-9 * truth
        assert abs(lo[i] - truth) <= 1e-6 * truth and abs(hi[i] - truth) <= 1e-6 * truth


def two_trusts() -> list[Result]:
    """Two organisations, two periods each: four publications with small cells."""
    out: list[Result] = []
    for org, counts in (("A", [[4, 22], [26, 8]]), ("B", [[40, 30], [25, 3]])):
        for period in (2023, 2024):
            out += [replace(r, org=org, period=period) for r in grid(counts)]
    return out


def test_publications_are_organisation_and_period() -> None:
    records = [r.__dict__ for r in two_trusts()]
    groups = publications(records)
    assert len(groups) == 4
    assert {(records[g[0]]["org"], records[g[0]]["period"]) for g in groups} == {
        ("A", 2023),
        ("A", 2024),
        ("B", 2023),
        ("B", 2024),
    }
    assert sorted(p for g in groups for p in g) == list(range(len(records)))


def test_one_publication_at_a_time_withholds_what_all_at_once_does() -> None:
    """No relation links two publications: protecting each on its own gives the pattern of
    protecting the whole lot as one model."""
    records = [r.__dict__ for r in two_trusts()]
    split = protect(records, 10)
    joint = protect_one(records, 10)
    assert split.withheld == joint.withheld
    assert split.primary == joint.primary
    assert split.withheld  # something small in each


def test_worker_processes_give_the_serial_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two spawned workers (forced by LADDER_DISCLOSURE_WORKERS) protect and audit the four
    publications exactly as one process does."""
    results = two_trusts()
    records = [r.__dict__ for r in results]
    monkeypatch.setenv("LADDER_DISCLOSURE_WORKERS", "1")
    serial = protect(records, 10)
    monkeypatch.setenv("LADDER_DISCLOSURE_WORKERS", "2")
    assert workers(4, len(records)) == 2
    parallel = protect(records, 10)
    assert parallel == serial
    truth = [r.to_dict() for r in results]
    shown = [
        {**t, "suppressed": True, "numerator": None, "denominator": None, "value": None}
        if pos in parallel.withheld
        else t
        for pos, t in enumerate(truth)
    ]
    found = audit(shown, truth, 10)
    assert found.findings == []
    assert [p[:2] for p in found.publications] == [
        ("A", 2023),
        ("A", 2024),
        ("B", 2023),
        ("B", 2024),
    ]


def test_few_publications_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LADDER_DISCLOSURE_WORKERS", raising=False)
    assert workers(3, 1_000_000) == 1
    assert workers(300, 1_000) == 1
    assert 1 <= workers(210, 438_421) <= 210
