"""A workspace holding two reporting years gives a multi-year series."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.inputs import load
from ladder.metrics.runner import run
from ladder.synth import SynthConfig, generate

runner = CliRunner()


def test_two_periods_in_a_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(workspace)]).exit_code == 0
    for period in (2023, 2024):
        out = tmp_path / f"synth{period}"
        generate(SynthConfig(out=out, orgs=1, staff=600, seed=period, period=period, fmt="parquet"))
        for kind in ("staff", "applications"):
            result = runner.invoke(
                app,
                [
                    "import",
                    str(workspace),
                    kind,
                    str(out / f"{kind}.parquet"),
                    "--period",
                    str(period),
                ],
            )
            assert result.exit_code == 0, result.output
    loaded = load(workspace)
    try:
        results = run(loaded.context, ids=["wres.2", "wres.1"]).results
    finally:
        loaded.close()
    assert {r.period for r in results} == {2023, 2024}
    assert {r.period for r in results if r.id == "wres.2"} == {2023, 2024}
    only_2024 = runner.invoke(
        app, ["metrics", str(workspace), "--period", "2024", "-f", "csv", "-i", "wres.2"]
    )
    assert only_2024.exit_code == 0
    rows = only_2024.stdout.splitlines()[1:]
    assert rows and all(",2024," in row for row in rows)
