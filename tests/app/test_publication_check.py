"""The audit built into publishing: `ladder report` and the web's publish step refuse what the
disclosure audit breaks (ladder.app.disclosure.check_publication)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ladder.app.disclosure import PublicationRefused, check_publication
from ladder.cli.app import app
from ladder.metrics import suppression
from ladder.metrics.disclosure import protect
from ladder.metrics.results import Measure, Result, Unit


def cell(group: str, n: int, total: int) -> Result:
    return Result(
        id="representation.sex",
        title="t",
        org="X",
        period=2024,
        measure=Measure.SHARE,
        unit=Unit.PERCENT,
        value=100 * n / total,
        method="m",
        group=group,
        breakdown={"pay_band": "Band 5"},
        numerator=n,
        denominator=total,
    )


def records(results: list[Result]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in results]


def test_a_leaking_publication_is_refused_with_the_figures_named() -> None:
    """Band 5: 18 staff, female 14 published, male 4 withheld alone: 18 − 14 = 4."""
    truth = [cell("female", 14, 18), cell("male", 4, 18)]
    leaky = [truth[0], truth[1].suppress("a count below 10")]
    with pytest.raises(PublicationRefused) as refused:
        check_publication(records(leaky), records(truth), 10)
    text = str(refused.value)
    assert text.startswith("not published: the disclosure audit can narrow 1 withheld value")
    assert "sex=male" in text and "= 4" in text and "representation.sex male" in text
    assert len(refused.value.audit.findings) == 1


def test_the_protected_publication_passes() -> None:
    truth = [cell("female", 14, 18), cell("male", 4, 18)]
    shown = protect.apply(truth, 10)
    assert [r.suppressed for r in shown] == [True, True]
    cleared = check_publication(records(shown), records(truth), 10)
    assert cleared.findings == []
    assert cleared.publications == [("X", 2024, 2, 2)]


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("probe")
    done = CliRunner().invoke(
        app, ["synth", "--out", str(out), "--orgs", "1", "--staff", "300", "--seed", "1"]
    )
    assert done.exit_code == 0, done.output
    return out


def test_report_refuses_what_the_old_suppression_would_publish(
    probe: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the old table-by-table suppression in place of the protection, `ladder report`
    writes nothing and names the figures the audit recovers."""
    monkeypatch.setattr(protect, "apply", suppression.apply)
    done = CliRunner().invoke(app, ["report", str(probe), "--out", str(tmp_path / "r")])
    assert done.exit_code == 1
    assert "not published: the disclosure audit can narrow" in done.output
    assert not list((tmp_path / "r").glob("*.html"))


def test_report_of_the_protected_publication_says_how_much_is_withheld(
    probe: Path, tmp_path: Path
) -> None:
    done = CliRunner().invoke(app, ["report", str(probe), "--out", str(tmp_path / "r")])
    assert done.exit_code == 0, done.output
    assert "figures withheld (disclosure control" in done.output
    assert "A withheld figure reads the same whatever the reason" in done.output


def test_publish_records_and_republication_checks_against_it(probe: Path, tmp_path: Path) -> None:
    """A workspace: publish 2024 (recorded, audited clean); publish it again — checked
    against the first publication, nothing changed, so the same figures are withheld."""
    from ladder.app.disclosure import publish
    from ladder.app.workspace import create_workspace, import_file
    from ladder.store import Workspace
    from ladder.store.publications import publications

    root = tmp_path / "ws"
    with create_workspace(root) as ws:
        outcome = import_file(ws, "staff", probe / "staff.csv", None, 2024, user="t")
        assert outcome.stored
    import polars as pl

    org = str(pl.read_csv(probe / "staff.csv", infer_schema=False)["org_code"][0])
    first = publish(root, org=org, period=2024, threshold=10)
    shown, cleared = first.results, first.audit
    assert cleared.findings == [] and any(r.suppressed for r in shown)
    again = publish(root, org=org, period=2024, threshold=10).results
    assert [r.suppressed for r in again] == [r.suppressed for r in shown]
    with Workspace.open(root) as ws:
        kept = publications(ws, org)
    assert [(p.period, p.withheld) for p in kept] == [(2024, sum(r.suppressed for r in shown))] * 2
    done = CliRunner().invoke(app, ["publish", str(root), "--org", org, "--period", "2024"])
    assert done.exit_code == 0, done.output
    assert f"Published {org} 2024: {len(shown):,} figures" in done.output
    with Workspace.open(root) as ws:
        assert len(publications(ws, org)) == 3
