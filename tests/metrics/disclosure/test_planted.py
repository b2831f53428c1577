"""The audit on a small synthetic trust: TODAY's publication leaks, and the audit sees it.

These tests document the leak of issue 12 on today's suppression (primary + secondary per
table, notes that tell primary from secondary): `ladder synth --orgs 3 --staff 300 --seed 1`,
trust G6V2S. They assert that the audit DETECTS the recoveries (true today). Once the
protection of issue 12 lands (one protection over the linked tables, neutral notes), the
same publication must give ZERO findings: turn these assertions round then (`findings == []`)
— they are the regression test of that protection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.disclosure.attack import attack
from ladder.metrics.disclosure.publication import publication
from ladder.metrics.disclosure.relations import build
from ladder.metrics.disclosure.report import audit
from ladder.metrics.inputs import load
from ladder.metrics.settings import Settings

ORG = "G6V2S"


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ladder synth --orgs 3 --staff 300 --seed 1` (the issue's probe)."""
    out = tmp_path_factory.mktemp("probe")
    done = CliRunner().invoke(
        app, ["synth", "--out", str(out), "--orgs", "3", "--staff", "300", "--seed", "1"]
    )
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="module")
def records(probe: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    loaded = load(probe, org=ORG, settings=Settings(threshold=10))
    try:
        return publication(loaded.context)
    finally:
        loaded.close()


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


def test_todays_publication_leaks_small_counts(
    records: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Hand-checked in the published JSON: medical Consultants are 11 (published as the
    WRES 1 band total), BME Consultants are withheld as a SECONDARY cell (so 0 or ≥ 10)
    and White Consultants as "a count below 10" (1..9), Unknown 0 is published: White + BME
    = 11 with White ≥ 1 forces BME = 10 and White = 1 — both exact."""
    published, truth = records
    result = audit(published, truth, 10)
    found = {f.what: f for f in result.findings}
    white = found[
        "count of staff headcount [cluster=medical, ethnicity=White, pay_band=Consultant]"
    ]
    bme = found["count of staff headcount [cluster=medical, ethnicity=BME, pay_band=Consultant]"]
    assert (white.low, white.high, bme.low, bme.high) == (1.0, 1.0, 10.0, 10.0)
    assert any("secondary suppression" in w for w in bme.why)
    assert any("a count below 10" in w for w in white.why)
    small = [f for f in result.exact if 1 <= f.low <= 9]
    assert len(small) >= 3
    assert all(f.org == ORG and f.period == 2024 for f in result.findings)


def test_cli_reports_the_leak_and_exits_1(
    records: tuple[list[dict[str, Any]], list[dict[str, Any]]], probe: Path
) -> None:
    """`ladder audit disclosure DATA --org G6V2S --format json` lists the same findings."""
    import json

    done = CliRunner().invoke(
        app, ["audit", "disclosure", str(probe), "--org", ORG, "--format", "json"]
    )
    assert done.exit_code == 1
    doc = json.loads(done.stdout)
    published, truth = records
    assert doc["findings"] == len(audit(published, truth, 10).findings) > 0
    assert doc["threshold"] == 10
