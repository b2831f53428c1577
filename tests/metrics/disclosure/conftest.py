"""The disclosure tests' shared data: the issue's probe."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ladder.cli.app import app

ORG = "G6V2S"
"""The probe's organisation the tests publish."""


@pytest.fixture(scope="session")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ladder synth --orgs 3 --staff 300 --seed 1` (the issue's probe), written once."""
    out = tmp_path_factory.mktemp("probe")
    done = CliRunner().invoke(
        app, ["synth", "--out", str(out), "--orgs", "3", "--staff", "300", "--seed", "1"]
    )
    assert done.exit_code == 0, done.output
    return out
