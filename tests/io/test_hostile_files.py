"""Hostile files, probed as an attacker would: each is refused with a clear message.

A tiny workbook whose one cell sits at XFD1048576 (the spreadsheet engine would allocate
549 GB for it), a workbook with a stray cell far below its table, one too wide, a named pipe
(reading it would block for ever), and implausible or non-finite numbers.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from ladder.io import xlsx
from ladder.io.errors import ReadError
from ladder.io.readers import read_table
from ladder.io.safe import neutralise_frame
from ladder.io.validate import validate_file
from ladder.metrics import paygap_method as pm
from ladder.metrics.formatting import number
from ladder.metrics.results import Unit

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook(path: Path, cells: dict[str, str], dimension: str = "A1", body: str = "") -> Path:
    """A minimal XLSX whose one sheet holds ``cells`` (address → inline text), or the
    ``<sheetData>`` content ``body`` as given."""
    rows: dict[int, list[str]] = {}
    for ref, text in cells.items():
        row = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(row, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    body = body or "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_one_cell_at_xfd1048576_is_refused_before_reading(tmp_path: Path) -> None:
    """A header cell in A1 and one cell at XFD1048576: 17 billion cells in between."""
    path = workbook(tmp_path / "bomb.xlsx", {"A1": "Staff ID", "XFD1048576": "x"})
    assert path.stat().st_size < 5_000
    result = validate_file(path, "staff")
    [problem] = result.problems
    assert problem.code == "unreadable"
    assert problem.reason == (
        "sheet 'Sheet1' spans 16,384 columns, up to cell XFD1048576 (the limit is 1,000 columns)"
    )


def test_a_lone_far_cell_is_read_as_its_real_extent(tmp_path: Path) -> None:
    """Only the used range counts, not the claimed dimension: one cell is one cell."""
    path = workbook(tmp_path / "far.xlsx", {"XFD1048576": "Staff ID"}, dimension="A1:XFD1048576")
    table = read_table(path)
    assert (table.headers, table.header_row, table.frame.height) == (["Staff ID"], 1048576, 0)


def test_the_bomb_through_the_cli_exits_cleanly(tmp_path: Path) -> None:
    """In a child process: no abort (exit 134), no Rust backtrace, one clear line."""
    path = workbook(tmp_path / "bomb.xlsx", {"A1": "Staff ID", "XFD1048576": "x"})
    done = subprocess.run(
        [sys.executable, "-m", "ladder", "validate", str(path), "--kind", "staff"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "panicked" not in done.stderr and "Traceback" not in done.stderr
    assert (
        f"{path}: sheet 'Sheet1' spans 16,384 columns, up to cell XFD1048576 (the limit is "
        "1,000 columns) (delete the stray cells outside the table" in done.stdout
    )


def test_a_stray_cell_far_below_the_table_is_refused(tmp_path: Path) -> None:
    cells = {f"{xlsx.column_letters(j)}1": f"h{j}" for j in range(1, 27)}
    cells["Z1000000"] = "stray"
    path = workbook(tmp_path / "sparse.xlsx", cells)
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.reason == (
        "sheet 'Sheet1' has 27 values spread over 26,000,000 cells, up to cell Z1000000"
    )
    assert "Ctrl+End" in caught.value.hint


def test_a_real_table_within_the_limits_is_read(tmp_path: Path) -> None:
    cells = {"A1": "staff_id", "B1": "pay_band", "A3": "7", "B3": "Band 5"}
    table = read_table(workbook(tmp_path / "ok.xlsx", cells))
    assert table.headers == ["staff_id", "pay_band"]
    assert table.data_rows().to_list() == [3]
    assert table.frame.row(0) == ("7", "Band 5")


@pytest.mark.parametrize(
    ("body", "extent"),
    [
        # r first (Excel, LibreOffice, openpyxl); styled empty cells do not count
        (
            '<row r="2"><c r="B2" s="1"/><c r="C2"><v>1</v></c></row>'
            '<row r="3"><c r="D3" t="s"><v>0</v></c><c r="AB9" s="2"/></row>',
            (2, 3, 3, 4),
        ),
        # r after another attribute
        (
            '<row r="2"><c s="1" r="C2"><v>1</v></c></row>'
            '<row r="5"><c t="n" r="AA5"><v>2</v></c></row>',
            (2, 5, 3, 27),
        ),
        # no r at all: placed by counting, as the engine does
        (
            "<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row><row><c><v>4</v></c></row>",
            (1, 2, 1, 3),
        ),
    ],
)
def test_extent_of_the_cells_holding_values(
    tmp_path: Path, body: str, extent: tuple[int, int, int, int]
) -> None:
    [sheet] = xlsx.inspect_workbook(workbook(tmp_path / "w.xlsx", {}, body=body))
    assert (sheet.first_row, sheet.last_row, sheet.first_col, sheet.last_col) == extent


def test_a_large_sheet_is_measured_across_chunks(tmp_path: Path) -> None:
    """Cells on both sides of every 4 MiB chunk boundary are all seen."""
    n = 60_000
    body = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>x</t></is></c>'
        "</row>"
        for r in range(1, n + 1)
    )
    body += '<row r="60001"><c r="C60001"><v>1</v></c></row>'
    [sheet] = xlsx.inspect_workbook(workbook(tmp_path / "w.xlsx", {}, body=body))
    assert (sheet.values, sheet.last_row, sheet.last_col) == (2 * n + 1, n + 1, 3)


def test_column_letters_round_trip() -> None:
    for n in (1, 26, 27, 702, 703, 16384):
        assert xlsx.column_number(xlsx.column_letters(n)) == n
    assert xlsx.column_letters(16384) == "XFD"


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.reason == "not an Excel workbook (a zip file without xl/workbook.xml)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "staff.csv"
    os.mkfifo(pipe)
    result = validate_file(pipe, "staff")
    [problem] = result.problems
    assert (problem.code, problem.reason) == ("unreadable", "is a named pipe, not a regular file")
    done = subprocess.run(
        [sys.executable, "-m", "ladder", "validate", str(pipe), "--kind", "staff"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "is a named pipe, not a regular file" in done.stdout


@pytest.mark.parametrize(
    ("value", "code", "reason"),
    [
        ("1e308", "out_of_range", "must not be above 1000"),
        ("1000.01", "out_of_range", "must not be above 1000"),
        ("inf", "invalid_value", "not a number"),
        ("-inf", "invalid_value", "not a number"),
        ("nan", "invalid_value", "not a number"),
        ("1e999", "invalid_value", "number is too large"),
    ],
)
def test_implausible_and_non_finite_pay_is_refused(
    tmp_path: Path, value: str, code: str, reason: str
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "staff_id,org_code,snapshot_date,pay_band,hourly_pay\n"
        f"1,R1H,2024-03-31,Band 5,{value}\n"
        "2,R1H,2024-03-31,Band 5,1000\n"
    )
    result = validate_file(path, "staff")
    assert [(p.row, p.code, p.reason) for p in result.problems] == [(2, code, reason)]
    assert result.valid_rows().get_column("hourly_pay").to_list() == [1000.0]


def test_non_finite_parquet_values_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "staff.parquet"
    pl.DataFrame(
        {
            "staff_id": ["1", "2"],
            "org_code": ["R1H", "R1H"],
            "snapshot_date": ["2024-03-31"] * 2,
            "pay_band": ["Band 5"] * 2,
            "hourly_pay": [math.inf, math.nan],
        }
    ).write_parquet(path)
    result = validate_file(path, "staff")
    assert [(p.row, p.code) for p in result.problems] == [
        (2, "invalid_value"),
        (3, "invalid_value"),
    ]


def test_no_non_finite_figure_is_ever_shown() -> None:
    assert number(math.inf, Unit.PERCENT) == "–"
    assert number(-math.inf, Unit.PERCENT) == "–"
    assert number(math.nan, Unit.GBP) == "–"
    assert number(-12.345, Unit.PERCENT) == "-12.3%"
    assert pm.gap(1e308, -1e308) is None
    assert pm.gap(math.inf, 10.0) is None
    assert pm.gap(20.0, 15.0) == 25.0
    # the sum behind a mean overflows: no mean, rather than inf
    assert pm.mean([(1e308, 2), (1e308, 1)]) is None
    assert pm.median([(1e308, 2), (1e308, 1)]) is None  # (1e308 + 1e308) / 2 overflows too
    assert pm.mean([(10.0, 1), (20.0, 3)]) == 17.5


def test_hostile_headers_are_neutralised_in_frames() -> None:
    frame = neutralise_frame(
        pl.DataFrame({'=HYPERLINK("http://x","y")': ["=1+1"], "'=A": ["ok"], "=A": ["b"]})
    )
    assert frame.columns == ['\'=HYPERLINK("http://x","y")', "'=A", "'=A_2"]
    assert frame.row(0) == ("'=1+1", "ok", "b")
