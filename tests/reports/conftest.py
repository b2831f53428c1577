"""Reports written once per test session from a small synthetic region (two trusts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.synth import SynthConfig, generate

runner = CliRunner()


@pytest.fixture(scope="session")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    generate(SynthConfig(out=data, trusts=("R1H", "RR8"), staff=1500, seed=3, fmt="parquet"))
    return data


@pytest.fixture(scope="session")
def reports(region: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = region
    out = tmp_path_factory.mktemp("reports")
    result = runner.invoke(app, ["report", str(data), "--out", str(out), "--pdf", "--xlsx"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def metrics_json(region: Path) -> list[dict[str, object]]:
    """The metrics JSON for the same data: what every number in the reports must equal."""
    result = runner.invoke(app, ["metrics", str(region), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc: list[dict[str, object]] = json.loads(result.stdout)
    return doc
