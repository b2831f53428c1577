"""``ladder synth`` on the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ladder.cli.app import app


def test_synth_command_writes_files_and_readme(tmp_path: Path) -> None:
    out = tmp_path / "synthetic"
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--out",
            str(out),
            "--trusts",
            "rr8",
            "--staff",
            "120",
            "--seed",
            "3",
            "--format",
            "parquet",
            "--period",
            "2023",
        ],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "README.txt",
            "applications.parquet",
            "cases.parquet",
            "contracted_staff.parquet",
            "participants.parquet",
            "routes.parquet",
            "staff.parquet",
            "survey.parquet",
            "training.parquet",
            "vacancies.parquet",
        ]
    )
    readme = (out / "README.txt").read_text()
    assert "SYNTHETIC" in readme and "Seed:      3" in readme and "RR8" in readme
    assert "--trusts RR8" in readme and "snapshot date 2023-03-31" in readme


def test_synth_command_rejects_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_format = runner.invoke(app, ["synth", "--out", str(tmp_path), "--format", "xlsx"])
    assert bad_format.exit_code != 0
    bad_trust = runner.invoke(app, ["synth", "--out", str(tmp_path), "--trusts", "NOPE"])
    assert bad_trust.exit_code != 0
    assert "unknown trust" in bad_trust.output
