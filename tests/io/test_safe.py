"""Formula injection: text that a spreadsheet would run comes out neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.io.safe import neutralise, neutralise_frame

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Band 5", "Band 5"),
        ("", ""),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


@given(st.text(max_size=20))
def test_frame_matches_scalar(text: str) -> None:
    frame = neutralise_frame(pl.DataFrame({"a": [text], "n": [1]}))
    assert frame.get_column("a").to_list() == [neutralise(text)]
    assert frame.get_column("n").to_list() == [1]


def test_rejects_file_is_neutralised(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(workspace)]).exit_code == 0
    data = tmp_path / "staff.csv"
    data.write_text(
        "staff_id,org_code,snapshot_date,pay_band\n"
        "A1,R1H,2024-03-31,Band 5\n"
        '"=HYPERLINK(""http://x"",""y"")",R1H,2024-03-31,Band 99\n'
    )
    result = runner.invoke(
        app,
        [
            "import",
            str(workspace),
            "staff",
            str(data),
            "--org",
            "R1H",
            "--period",
            "2024",
            "--quarantine",
            "--rejects",
            str(tmp_path / "rejects.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "rejects.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["staff_id"].startswith("'=HYPERLINK")
