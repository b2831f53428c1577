"""``ladder import`` of a workbook as trusts export it: the right sheet, rows and row numbers."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ladder.store import ImportStatus, Workspace
from tests.io.test_exports_in_the_wild import esr_workbook


def test_import_a_workbook_with_title_block_and_totals(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = workspace.import_file("staff", esr_workbook(tmp_path / "esr.xlsx"), "R1H", 2024)
    assert result.status is ImportStatus.STORED
    assert (result.rows_read, result.rows_stored) == (4, 4)
    stored = workspace.scan("staff").collect()
    assert sorted(stored.get_column("staff_id").to_list()) == ["1001", "1002", "1003", "1004"]


def test_quarantined_rows_keep_their_spreadsheet_row(workspace: Workspace, tmp_path: Path) -> None:
    source = esr_workbook(tmp_path / "esr.xlsx", bad_band_on_row=8)
    result = workspace.import_file(
        "staff", source, "R1H", 2024, quarantine=True, sheet="Staff in post", header_row=4
    )
    assert result.status is ImportStatus.STORED and result.rows_stored == 3
    assert [(p.row, p.column) for p in result.problems] == [(8, "Pay Band")]
    assert result.rejects_file is not None
    rejects = pl.read_csv(result.rejects_file, infer_schema=False)
    assert rejects.get_column("row").to_list() == ["8"]
    assert rejects.get_column("Staff ID").to_list() == ["1003"]
