"""The same programme figures in the CLI (table, JSON = `ladder metrics`), the evaluation
report and the equality report's programme section; validation in the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.formatting import interval_text, value_text
from tests.programmes.conftest import pilot
from tests.reports.test_consistency import as_result

runner = CliRunner()
HEADLINE = (
    "Of 127 people who engaged, 60 (47%) completed pre-employment training and 49 (39%) "
    "were recruited"
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    pilot().write_csv(folder / "participants.csv")
    return folder


def test_funnel_json_is_the_metrics_records_and_the_table_says_the_headline(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    funnel = runner.invoke(app, ["programme", "funnel", str(folder), "--format", "json"])
    assert funnel.exit_code == 0, funnel.output
    metrics = runner.invoke(
        app, ["metrics", str(folder), "--indicator", "programme", "--format", "json"]
    )
    assert metrics.exit_code == 0, metrics.output
    records = json.loads(funnel.stdout)
    assert records == json.loads(metrics.stdout)
    started = next(
        r
        for r in records
        if r["id"] == "programme.funnel"
        and r["group"] == "started"
        and r["breakdown"]["cohort"] == "all"
    )
    assert (started["numerator"], started["denominator"]) == (49, 127)

    table = runner.invoke(app, ["programme", "funnel", str(folder), "-p", "lincoln green pilot"])
    assert table.exit_code == 0, table.output
    assert HEADLINE in " ".join(table.stdout.split())
    assert "47.2%" in table.stdout and "38.8–55.9%" in table.stdout

    csv = runner.invoke(app, ["programme", "funnel", str(folder), "--format", "csv"])
    assert csv.stdout.splitlines()[0].startswith("id,title,org,period")

    missing = runner.invoke(app, ["programme", "funnel", str(folder), "-p", "Nope"])
    assert missing.exit_code == 1
    assert "Lincoln Green pilot" in missing.output


def test_the_evaluation_report_and_the_equality_report_say_the_same(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    done = runner.invoke(
        app,
        [
            "programme",
            "report",
            str(folder),
            "--programme",
            "Lincoln Green pilot",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    html = (out / "RR8-lincoln-green-pilot-evaluation.html").read_text(encoding="utf-8")
    assert HEADLINE in html
    # every stage's count and percentage in the funnel table equal the `ladder metrics` JSON
    metrics = runner.invoke(
        app, ["metrics", str(folder), "--indicator", "programme.funnel", "--format", "json"]
    )
    stages = {
        "engaged": "Engaged",
        "completed": "Completed pre-employment",
        "started": "Started work",
    }
    for record in json.loads(metrics.stdout):
        if record["breakdown"]["cohort"] != "all":
            continue
        r = as_result(record)
        cells = (
            f'<td class="nhsuk-table__cell">{stages[r.group or ""]}</td>'
            f'<td class="nhsuk-table__cell">{int(r.numerator or 0)}</td>'
            f'<td class="nhsuk-table__cell">{value_text(r, 10)} ({interval_text(r)})</td>'
        )
        assert cells in html, cells
    assert "38.8–55.9%" in html  # the Wilson interval of 60/127
    assert "<svg" in html and 'role="img"' in html  # the funnel chart, with its name
    for heading in ("Who gets through each step", "Who the programme reaches", "Equality"):
        assert heading in html

    reports = tmp_path / "reports"
    done = runner.invoke(app, ["report", str(folder), "--out", str(reports)])
    assert done.exit_code == 0, done.output
    equality = next(reports.glob("*.html")).read_text(encoding="utf-8")
    assert "Community employment programmes" in equality
    assert f"Lincoln Green pilot: {HEADLINE}." in equality


def test_validate_lists_every_bad_row(tmp_path: Path) -> None:
    data = pilot(3, 2, 1, cohorts=(("2023-05", 3),))
    pid = pl.col("participant_id")
    data = data.with_columns(  # row 2 starts work before training; row 3 without training
        pl.when(pid == "P0002").then(None).otherwise(pl.col("trained_date")).alias("trained_date"),
        pl.when(pid == "P0002")
        .then(pl.col("engaged_date") + pl.duration(days=60))
        .when(pid == "P0001")
        .then(pl.col("engaged_date") + pl.duration(days=10))
        .otherwise(pl.col("employed_date"))
        .alias("employed_date"),
    )
    path = tmp_path / "participants.csv"
    data.write_csv(path)
    result = runner.invoke(app, ["programme", "validate", str(path), "--gaps", "error"])
    assert result.exit_code == 1
    lines = [
        line for line in result.output.splitlines() if line.startswith("│ ") and "│" in line[2:]
    ]
    rows = [line.split("│")[1:3] for line in lines if line.split("│")[1].strip()]
    assert [(r.strip(), c.strip()) for r, c in rows] == [
        ("2", "employed_date"),
        ("3", "trained_date"),
    ]
    text = " ".join(result.output.split())
    for words in ("participant P0001:", "is dated before", "participant P0002:", "without"):
        assert words in text
    assert "2 error(s) in participants.csv" in text
    implied = runner.invoke(app, ["programme", "validate", str(path), "--gaps", "imply"])
    assert implied.exit_code == 1  # dates going backwards stay errors
    assert "1 with errors, 1 with a stage implied" in " ".join(implied.output.split())


def test_list_names_the_shipped_programmes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["programme", "list", str(_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    for name in ("Community Works for Health", "Project Search", "Healthcare Horizons"):
        assert name in result.output
    assert "RR8: 127" in result.output


def test_a_stages_file_of_its_own(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    stages = tmp_path / "pilot.yaml"
    stages.write_text(
        "name: Lincoln Green pilot\nkind: pilot\nstages:\n  - engaged\n"
        "  - id: completed\n    label: Finished the course\n    past: finished the course\n"
        "  - started\nheadline: [completed, started]\n",
        encoding="utf-8",
    )
    listed = runner.invoke(app, ["programme", "list", str(folder), "--stages", str(stages)])
    assert listed.exit_code == 0, listed.output
    assert "Finished" in listed.output and "RR8: 127" in listed.output
    table = runner.invoke(app, ["programme", "funnel", str(folder), "--stages", str(stages)])
    assert table.exit_code == 0, table.output
    assert "60 (47%) finished the course and 49 (39%) were recruited" in " ".join(
        table.stdout.split()
    )
    stages.write_text("name: X\nstages: [engaged, nowhere]\n", encoding="utf-8")
    bad = runner.invoke(app, ["programme", "funnel", str(folder), "--stages", str(stages)])
    assert bad.exit_code == 1
    assert "stage 'nowhere' is not a standard stage" in " ".join(bad.output.split())
