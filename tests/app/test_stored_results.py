"""Stored results: computed once per organisation and period, read back while current.

A set is current while the settings, Ladder's method version and the organisation's data
are those it was computed with; each of the three is changed here and must make the
organisation's results be computed again, and what is read back must equal a fresh run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ladder.app import results as app_results
from ladder.app.results import results
from ladder.app.workspace import create_workspace, import_file
from ladder.metrics import Result, Settings, load, run, stored
from ladder.metrics.table import results_frame, results_from_frame
from ladder.store import Workspace
from ladder.store import results as store
from tests.app.conftest import TRUSTS

KINDS = ("staff", "applications", "training", "cases", "survey", "participants")


def _workspace(region: Path, root: Path, database_url: str | None = None) -> Path:
    with create_workspace(root, database_url) as ws:
        for kind in KINDS:
            outcome = import_file(ws, kind, region / f"{kind}.parquet", None, 2024, user="t")
            assert outcome.stored, kind
    return root


def _fresh(data: Path, org: str, settings: Settings | None = None) -> list[dict[str, Any]]:
    """A run of ``org``'s own data, as the JSON records."""
    loaded = load(data, org=org, settings=settings)
    try:
        return [r.to_dict() for r in run(loaded.context).results]
    finally:
        loaded.close()


def _records(found: list[Result], org: str) -> list[dict[str, Any]]:
    return [r.to_dict() for r in found if r.org == org]


def test_frame_round_trip_keeps_every_field() -> None:
    from ladder.metrics import Measure, Unit

    given = [
        Result(
            "x.1",
            "T",
            "R1H",
            2024,
            Measure.RATE,
            Unit.PERCENT,
            12.5,
            "m",
            "BME",
            {"pay_band": "Band 5", "cluster": "clinical"},
            5,
            40,
            ci_lower=4.0,
            ci_upper=20.0,
            flags=("no_evidence_of_difference",),
            note="n",
        ),
        Result(
            "x.2",
            "T",
            "R1H",
            2024,
            Measure.COUNT,
            Unit.COUNT,
            None,
            "m",
            suppressed=True,
            flags=("suppressed",),
        ),
    ]
    frame = results_frame(given)
    assert frame.height == 2 and frame.columns[0] == "id"
    assert frame["breakdown"][0].to_list() == [
        {"name": "pay_band", "value": "Band 5"},
        {"name": "cluster", "value": "clinical"},
    ]
    back = results_from_frame(frame)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in given]
    assert list(back[0].breakdown) == ["pay_band", "cluster"]  # order kept


def test_stored_once_then_read_back_equal_to_a_fresh_run(
    region: Path, tmp_path: Path, database_url: str | None
) -> None:
    data = _workspace(region, tmp_path / "ws", database_url)
    first = results(data)
    assert first.computed == list(TRUSTS) and first.stored
    again = results(data)
    assert again.computed == []
    assert [r.to_dict() for r in again.results] == [r.to_dict() for r in first.results]
    for org in TRUSTS:
        assert _records(again.results, org) == _fresh(data, org)
    with Workspace.open(data) as ws:
        sets = store.stored_sets(ws, app_results.settings_key(Settings()))
    assert {(s.org, s.period) for s in sets} == {(r.org, r.period) for r in first.results}
    assert {(org, 2024) for org in TRUSTS} <= {(s.org, s.period) for s in sets}
    assert sum(s.row_count for s in sets) == len(first.results)


def test_a_reimport_recomputes_that_organisation_only(
    region: Path, tmp_path: Path, database_url: str | None
) -> None:
    data = _workspace(region, tmp_path / "ws", database_url)
    before = results(data)
    staff = pl.read_parquet(region / "staff.parquet").filter(pl.col("org_code") == "R1H")
    smaller = tmp_path / "staff-R1H.parquet"
    staff.head(staff.height - 40).write_parquet(smaller)
    with Workspace.open(data) as ws:
        assert import_file(ws, "staff", smaller, "R1H", 2024, user="t").stored
    after = results(data)
    assert after.computed == ["R1H"]
    assert _records(after.results, "RQX") == _records(before.results, "RQX")
    assert _records(after.results, "R1H") == _fresh(data, "R1H")
    assert _records(after.results, "R1H") != _records(before.results, "R1H")
    assert results(data).computed == []


def test_other_settings_are_stored_beside_the_first(region: Path, tmp_path: Path) -> None:
    data = _workspace(region, tmp_path / "ws")
    assert results(data).computed == list(TRUSTS)
    wider = Settings(threshold=5, disciplinary_years=2)
    changed = results(data, settings=wider)
    assert changed.computed == list(TRUSTS)
    for org in TRUSTS:
        assert _records(changed.results, org) == _fresh(data, org, wider)
    assert results(data).computed == []  # the default settings' results are still current
    assert results(data, settings=wider).computed == []


def test_a_new_method_version_recomputes_everything(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _workspace(region, tmp_path / "ws")
    assert results(data).computed == list(TRUSTS)
    with Workspace.open(data) as ws:
        old = {s.path for s in store.stored_sets(ws, app_results.settings_key(Settings()))}
    monkeypatch.setattr(stored, "METHOD_VERSION", "test-next")
    assert results(data).computed == list(TRUSTS)
    assert results(data).computed == []
    assert not any(path.exists() for path in old)  # replaced sets leave no files behind


def test_selection_by_org_period_and_indicator(region: Path, tmp_path: Path) -> None:
    data = _workspace(region, tmp_path / "ws")
    chosen = results(data, org="RQX", ids=["wres"], periods=[2024])
    assert chosen.computed == ["RQX"]
    assert chosen.results and {r.org for r in chosen.results} == {"RQX"}
    assert {r.id.split(".")[0] for r in chosen.results} == {"wres"}
    loaded = load(data, org="RQX")
    try:
        # the stored results are one protected publication (every indicator, issue 12):
        # the selection is its WRES part, not a WRES-only publication protected on its own
        fresh = [r for r in run(loaded.context, periods=[2024]).results if r.id.startswith("wres")]
    finally:
        loaded.close()
    assert [r.to_dict() for r in chosen.results] == [r.to_dict() for r in fresh]
    assert results(data, periods=[2019]).results == []  # no data of 2019


def test_the_command_reads_the_stored_results(region: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ladder.cli.app import app

    runner = CliRunner()
    data = _workspace(region, tmp_path / "ws")
    args = ["metrics", str(data), "--format", "json", "--org", "rqx"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    with Workspace.open(data) as ws:
        stored = store.stored_sets(ws, app_results.settings_key(Settings()))
    assert {s.org for s in stored} == {"RQX"}
    again = runner.invoke(app, args)
    forced = runner.invoke(app, [*args, "--recompute"])
    assert again.stdout == first.stdout == forced.stdout
    assert [r["org"] for r in json.loads(first.stdout)] == ["RQX"] * len(json.loads(first.stdout))
    missing = runner.invoke(app, ["metrics", str(data), "--org", "RXX"])
    assert missing.exit_code == 1
    assert "holds no data of RXX" in missing.output
