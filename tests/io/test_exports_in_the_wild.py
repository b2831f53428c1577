"""Golden tests: workbooks and CSV files shaped as trusts export them.

A title block above the header, a notes sheet beside the data sheet, a header written under
a merged group heading, a blank row, dates as date cells and as text, and totals rows at the
bottom. Every reported row number is the row the spreadsheet shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ladder.contract.datasets import dataset
from ladder.io.errors import ReadError
from ladder.io.readers import read_table
from ladder.io.validate import validate_file

HEADERS = ["Staff ID", "Org Code", "Snapshot Date", "Ethnic Origin", "Gender", "Pay Band"]


def esr_workbook(path: Path, *, bad_band_on_row: int | None = None) -> Path:
    """Sheet 1 'Notes' (two lines of text); sheet 2 'Staff in post': title rows 1-2 (row 1
    merged across A1:F1), the pay heading merged over G3:H3 with 'Hourly' and 'Bonus' below
    it, the header in row 4, data in rows 5, 6, 8 and 9 (row 7 blank), a 'Grand total' row
    10 and a row 11 holding only a sum."""
    wb = openpyxl.Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "Notes"
    notes["A1"] = "About this extract"
    notes["A2"] = "Prepared by the workforce information team"
    ws = wb.create_sheet("Staff in post")
    ws["A1"] = "Barts Health NHS Trust"
    ws.merge_cells("A1:F1")
    ws["A2"] = "Staff in post at 31 March 2024"
    for column, header in enumerate(HEADERS, start=1):
        ws.cell(4, column, header)
    ws.merge_cells("G3:H3")
    ws["G3"] = "Pay"
    ws["G4"], ws["H4"] = "Hourly", "Bonus"
    records = {
        5: ["1001", "R1H", dt.date(2024, 3, 31), "A", "F", "Band 5", 17.5, 0],
        6: ["1002", "R1H", "31/03/2024", "H", "M", "Band 6", 20.25, None],
        8: ["1003", "R1H", "31-Mar-2024", "Z", "F", "Band 7", 25, 100],
        9: ["1004", "R1H", "2024-03-31", "A", "F", "Band 5", 17.5, 0],
    }
    for row, values in records.items():
        for column, value in enumerate(values, start=1):
            ws.cell(row, column, value)
    if bad_band_on_row is not None:
        ws.cell(bad_band_on_row, 6, "Band 99")
    ws["A10"] = "Grand total"
    ws["G10"] = "=SUM(G5:G9)"
    ws["G11"] = 80.25
    wb.save(path)
    return path


def test_workbook_with_title_block_two_sheets_and_totals(tmp_path: Path) -> None:
    result = validate_file(esr_workbook(tmp_path / "esr.xlsx"), "staff")
    assert result.problems == []
    assert result.notes == [
        "read sheet 'Staff in post', the only sheet whose header names the dataset's columns "
        "(choose another with --sheet)",
        "rows 1-3 above the header (row 4) not read",
        "1 blank row skipped (row 7)",
        "rows 10-11 at the bottom are totals rows ('Grand total'): not read",
    ]
    rows = result.valid_rows()
    assert rows.get_column("staff_id").to_list() == ["1001", "1002", "1003", "1004"]
    # a date cell and dates written as text all read as the same date
    assert rows.get_column("snapshot_date").to_list() == [dt.date(2024, 3, 31)] * 4
    # 'Hourly' under the merged 'Pay' heading is hourly pay; 'Bonus' is bonus pay
    assert rows.get_column("hourly_pay").to_list() == [17.5, 20.25, 25.0, 17.5]
    assert rows.get_column("bonus_pay").to_list() == [0.0, None, 100.0, 0.0]


@pytest.mark.parametrize("row", [6, 8])
def test_problems_carry_the_spreadsheet_row(tmp_path: Path, row: int) -> None:
    """Row 8 comes after the blank row 7: still reported as row 8."""
    result = validate_file(esr_workbook(tmp_path / "esr.xlsx", bad_band_on_row=row), "staff")
    assert [(p.row, p.column, p.value) for p in result.problems] == [(row, "Pay Band", "Band 99")]
    rejected = result.rejected_rows()
    assert rejected.get_column("row").to_list() == [row]
    assert rejected.get_column("Staff ID").to_list() == [{6: "1002", 8: "1003"}[row]]


def test_sheet_by_name_or_number(tmp_path: Path) -> None:
    path = esr_workbook(tmp_path / "esr.xlsx")
    by_number = validate_file(path, "staff", sheet="2")
    by_name = validate_file(path, "staff", sheet="staff in post")
    assert by_number.problems == by_name.problems == []
    assert by_number.rows_read == by_name.rows_read == 4
    notes = validate_file(path, "staff", sheet=1)
    assert {p.code for p in notes.problems} == {"missing_column"}


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    result = validate_file(esr_workbook(tmp_path / "esr.xlsx"), "staff", sheet="Data")
    [problem] = result.problems
    assert problem.code == "unreadable"
    assert problem.reason == "workbook has no sheet 'Data'"
    assert problem.hint == (
        "choose one with --sheet NAME or --sheet N; the sheets are 1: 'Notes', 2: 'Staff in post'"
    )


def test_two_data_sheets_of_the_same_kind_need_a_choice(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    for i, title in enumerate(("2023", "2024")):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        ws.append(["Staff ID", "Org Code", "Snapshot Date", "Pay Band"])
        ws.append(["1", "R1H", f"31/03/{title}", "Band 5"])
    wb.save(path)
    with pytest.raises(ReadError) as caught:
        read_table(path, dataset=dataset("staff"))
    assert caught.value.reason == "workbook has 2 sheets with data ('2023', '2024')"
    assert "--sheet" in caught.value.hint
    # a sheet named like a number is chosen by its name first
    table = read_table(path, sheet="2024")
    assert table.sheet == "2024" and table.frame.row(0)[2] == "31/03/2024"


def test_header_row_given(tmp_path: Path) -> None:
    path = esr_workbook(tmp_path / "esr.xlsx")
    result = validate_file(path, "staff", sheet="Staff in post", header_row=4)
    assert result.problems == [] and result.rows_read == 4
    blank = validate_file(path, "staff", sheet="Staff in post", header_row=7)
    assert [p.reason for p in blank.problems] == ["row 7 is blank, so it cannot be the header"]


def test_missing_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    path = tmp_path / "esr.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Report title"
    ws.append([])
    ws.append(["Staff ID", "Org Code", "Snapshot Date", "Ethnic Origin"])
    ws.append(["1", "R1H", "31/03/2024", "A"])
    wb.save(path)
    result = validate_file(path, "staff")
    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (3, "pay_band", "missing_column")
    ]


def test_merged_cells_down_the_data_take_their_value(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Org Code", "Staff ID", "Snapshot Date", "Pay Band"])
    ws.append(["R1H", "1", "31/03/2024", "Band 5"])
    ws.append([None, "2", "31/03/2024", "Band 6"])
    ws.merge_cells("A2:A3")
    wb.save(path)
    result = validate_file(path, "staff")
    assert result.problems == []
    assert result.valid_rows().get_column("org_code").to_list() == ["R1H", "R1H"]


def test_csv_with_a_title_block_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "esr.csv"
    path.write_text(
        "Staff in post report\n"
        "Generated 1 April 2024;;;\n"
        "\n"
        "Staff ID;Org Code;Snapshot Date;Pay Band;Hourly Rate\n"
        "1;R1H;31/03/2024;Band 5;17.50\n"
        "2;R1H;31/03/2024;Band 99;18.00\n"
        "Total;;;;35.50\n",
        encoding="utf-8",
    )
    result = validate_file(path, "staff")
    assert [(p.row, p.column, p.value) for p in result.problems] == [(6, "Pay Band", "Band 99")]
    assert result.rows_read == 2
    assert result.notes == [
        "rows 1-3 above the header (row 4) not read",
        "row 7 at the bottom is a totals row ('Total'): not read",
    ]
    given = validate_file(path, "staff", header_row=4)
    assert [p.row for p in given.problems] == [6]


def test_plain_csv_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("staff_id,org_code,snapshot_date,pay_band\n1,R1H,2024-03-31,Band 5\n")
    table = read_table(path)
    assert (table.header_row, table.notes, table.data_rows().to_list()) == (1, (), [2])
