"""The audit on a small synthetic trust: the OLD publication leaks, the protected one does not.

`ladder synth --orgs 3 --staff 300 --seed 1`, trust G6V2S. The old suppression (primary +
secondary table by table, notes that tell primary from secondary:
:func:`ladder.metrics.suppression.apply`) leaks, and the audit finds the planted recoveries;
the protection of issue 12 (:mod:`ladder.metrics.disclosure.protect`: one pattern over the
linked tables, neutral notes) gives the same publication ZERO findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics import suppression
from ladder.metrics.disclosure.attack import attack
from ladder.metrics.disclosure.notes import WITHHELD
from ladder.metrics.disclosure.publication import publication, unprotected
from ladder.metrics.disclosure.relations import build
from ladder.metrics.disclosure.report import audit
from ladder.metrics.inputs import load
from ladder.metrics.settings import Settings
from tests.metrics.disclosure.conftest import ORG


@pytest.fixture(scope="module")
def protected(probe: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The publication as Ladder makes it now (protected)."""
    loaded = load(probe, org=ORG, settings=Settings(threshold=10))
    try:
        return publication(loaded.context)
    finally:
        loaded.close()


@pytest.fixture(scope="module")
def records(probe: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The publication as the old suppression made it (and the true records)."""
    loaded = load(probe, org=ORG, settings=Settings(threshold=10))
    try:
        raw = unprotected(loaded.context)  # sorted by (org, period)
    finally:
        loaded.close()
    old = suppression.apply(raw, 10)
    return [r.to_dict() for r in old], [r.to_dict() for r in raw]


def test_every_interval_holds_the_true_value(
    records: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """The attack is sound: no bound it proves excludes the truth."""
    published, truth = records
    model = build(published, truth)
    intervals = attack(model)
    assert len(intervals) == len(model.withheld)
    for iv in intervals:
        true = model.truth[iv.variable]
        assert iv.low - 1e-6 <= true <= iv.high + 1e-6 * max(1.0, abs(true)), model.label(
            iv.variable
        )


def test_the_old_publication_leaks_small_counts(
    records: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Hand-checked in the published JSON: medical Consultants are 11 (published as the
    WRES 1 band total), BME Consultants are withheld as a SECONDARY cell (so 0 or ≥ 10)
    and White Consultants as "a count below 10" (1..9), Unknown 0 is published: White + BME
    = 11 with White ≥ 1 forces BME = 10 and White = 1 — both exact (only the 1 is a
    finding: 10 could have been published)."""
    published, truth = records
    result = audit(published, truth, 10)
    found = {f.what: f for f in result.findings}
    white = found[
        "count of staff headcount [cluster=medical, ethnicity=White, pay_band=Consultant]"
    ]
    assert (white.low, white.high) == (1.0, 1.0)
    assert any("a count below 10" in w for w in white.why)
    small = [f for f in result.exact if 1 <= f.low <= 9]
    assert len(small) >= 3
    assert all(f.org == ORG and f.period == 2024 for f in result.findings)


def test_the_protected_publication_gives_nothing_away(
    protected: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """The same trust, protected: the planted recoveries are gone, and so is every other;
    every withheld figure reads the same."""
    published, truth = protected
    assert audit(published, truth, 10).findings == []
    withheld = [r for r in published if r["suppressed"]]
    assert withheld
    assert {r["flags"] == ["suppressed"] for r in withheld} == {True}
    assert not any("count below" in (r["note"] or "") for r in withheld)
    assert not any("smaller cell" in (r["note"] or "") for r in withheld)
    assert {(r["note"] or "").rsplit("; ", 1)[-1] for r in withheld} == {WITHHELD}
    assert all(
        r[k] is None
        for r in withheld
        for k in ("value", "numerator", "denominator", "ci_lower", "ci_upper")
    )


def test_cli_audit_of_the_protected_publication_is_clean(
    probe: Path, protected: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> None:
    """`ladder audit disclosure DATA --org G6V2S --format json`: no findings, exit 0, and
    how many figures each publication withholds."""
    import json

    done = CliRunner().invoke(
        app, ["audit", "disclosure", str(probe), "--org", ORG, "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["findings"] == 0
    assert doc["threshold"] == 10
    published, _ = protected
    cells = {(c["org"], c["period"]): c for c in doc["publications"]}
    cell = cells[(ORG, 2024)]
    assert 0 < cell["withheld"] < cell["figures"]
    assert sum(c["figures"] for c in cells.values()) == len(published)
