"""``ladder metrics`` and ``ladder indicators`` as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.docs import indicators_markdown

runner = CliRunner()
DOCS = Path(__file__).parents[2] / "docs"


def _applications(folder: Path) -> None:
    n = 200
    pl.DataFrame(
        {
            "application_id": [f"A{i}" for i in range(n)],
            "vacancy_id": ["V1"] * n,
            "org_code": ["R1H"] * n,
            "applied_date": [dt.date(2023, 6, 1)] * n,
            "ethnic_category": ["A", "H"] * (n // 2),
            "shortlisted": [True] * n,
            "appointed": [i % 4 == 0 for i in range(n)],
        }
    ).write_csv(folder / "applications.csv")


def test_json_list_with_documented_fields_and_skips_reported(tmp_path: Path) -> None:
    _applications(tmp_path)
    result = runner.invoke(app, ["metrics", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert isinstance(doc, list) and doc
    first = doc[0]
    for field in (
        "id",
        "title",
        "org",
        "period",
        "group",
        "value",
        "numerator",
        "denominator",
        "ci_lower",
        "ci_upper",
        "suppressed",
        "method",
    ):
        assert field in first
    ratio = next(d for d in doc if d["id"] == "wres.2" and d["group"] == "White:BME")
    # White: 50 of 100 appointed (i = 0, 4, 8, … are all 'A'); BME: 0 of 100.
    assert ratio["numerator"] == 50 and ratio["reference_numerator"] == 0
    assert ratio["value"] is None  # BME rate is 0: no ratio
    assert "Skipped" in result.stderr and "needs staff" in result.stderr


def test_csv_and_table(tmp_path: Path) -> None:
    _applications(tmp_path)
    csv_out = runner.invoke(app, ["metrics", str(tmp_path), "--format", "csv", "-i", "wres.2"])
    assert csv_out.exit_code == 0
    header = csv_out.stdout.splitlines()[0]
    assert header.startswith("id,title,org,period,measure,unit,value,method,group,breakdown")
    table = runner.invoke(app, ["metrics", str(tmp_path), "-i", "wres.2"])
    assert table.exit_code == 0
    assert "R1H" in table.stdout and "50.0%" in table.stdout


def test_errors(tmp_path: Path) -> None:
    empty = runner.invoke(app, ["metrics", str(tmp_path)])
    assert empty.exit_code == 1
    assert "holds no dataset files" in empty.output
    _applications(tmp_path)
    unknown = runner.invoke(app, ["metrics", str(tmp_path), "-i", "wres.99"])
    assert unknown.exit_code == 2
    assert "unknown indicator wres.99" in unknown.output
    missing = runner.invoke(app, ["metrics", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_indicator_docs_are_generated_from_the_registry() -> None:
    assert (DOCS / "indicators.md").read_text(encoding="utf-8") == indicators_markdown(), (
        "docs/indicators.md is stale: run `ladder indicators --format markdown > "
        "docs/indicators.md`"
    )
