"""The evaluation report passes axe-core (WCAG 2.2 AA rules) in headless Chromium with no
serious or critical violations, as the equality report does."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from ladder.cli.app import app
from tests.browser import AXE, CHROMIUM, FLAGS, axe, serious
from tests.programmes.conftest import pilot


@pytest.mark.slow
def test_the_evaluation_report_has_no_serious_violations(tmp_path: Path) -> None:
    assert AXE.is_file(), "run `make test` (scripts/ensure-browser-tools.sh fetches axe-core)"
    folder = tmp_path / "data"
    folder.mkdir()
    labels = pl.Series([("2023-01", "2023-05", "2023-09")[i % 3] for i in range(127)])
    pilot().with_columns(labels.alias("cohort")).write_csv(folder / "participants.csv")
    out = tmp_path / "out"
    done = CliRunner().invoke(
        app, ["programme", "report", str(folder), "-p", "Lincoln Green pilot", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    page_file = out / "RR8-lincoln-green-pilot-evaluation.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            result = axe(page)
        finally:
            browser.close()
    assert serious(result) == []
    assert len(result["passes"]) > 10
    # three cohorts: the cohort chart is an XmR chart
    assert "XmR chart: mean" in page_file.read_text(encoding="utf-8")
