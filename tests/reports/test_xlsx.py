"""Spreadsheet returns, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from ladder.metrics.results import Measure, Result, Unit
from ladder.reports.xlsx import COLUMNS, neutralise, write_workbook

ORG, PERIOD = "R1H", 2024
HEADER = [name for name, _ in COLUMNS]
VALUE, NUM, DEN, REFNUM, REFDEN, LOW, HIGH, FLAGS, NOTE = (
    HEADER.index(name) + 1
    for name in (
        "Value",
        "Numerator",
        "Denominator",
        "Reference numerator",
        "Reference denominator",
        "95% CI lower",
        "95% CI upper",
        "Flags",
        "Note",
    )
)


def make(result_id: str, measure: Measure, unit: Unit, value: float | None, **kw: Any) -> Result:
    fields: dict[str, Any] = {"title": result_id, "org": ORG, "period": PERIOD, "method": "m"}
    fields.update(kw)
    return Result(id=result_id, measure=measure, unit=unit, value=value, **fields)


LIKELIHOOD = make(
    "wres.2",
    Measure.RELATIVE_LIKELIHOOD,
    Unit.RATIO,
    1.7413,
    title="Relative likelihood of White applicants being appointed from shortlisting",
    group="White:BME",
    numerator=664,
    denominator=2755,
    reference_numerator=845,
    reference_denominator=6103,
    ci_lower=1.589,
    ci_upper=1.907,
    flags=("outside_four_fifths",),
    method="NHS England, WRES technical guidance, indicator 2",
)
RATE = make(
    "wdes.8",
    Measure.RATE,
    Unit.PERCENT,
    74.797,
    group="Disabled",
    numerator=368,
    denominator=492,
    ci_lower=70.778,
    ci_upper=78.431,
)
SUPPRESSED = make(
    "wdes.3",
    Measure.RELATIVE_LIKELIHOOD,
    Unit.RATIO,
    4.375,
    group="Disabled:Non-disabled",
    numerator=7,
    denominator=312,
    reference_numerator=23,
    reference_denominator=4433,
    ci_lower=1.9,
    ci_upper=10.1,
).suppress("a count below 10")
GAP = make(
    "paygap.sex.mean_hourly",
    Measure.GAP,
    Unit.PERCENT,
    14.635,
    group="female",
    numerator=4527,
    denominator=1385,
    note="reference group: male",
)
SEB = make("seb.profile", Measure.SHARE, Unit.PERCENT, 36.93, group="professional")
BAND = make(
    "representation.sex",
    Measure.SHARE,
    Unit.PERCENT,
    73.32,
    group="female",
    breakdown={"pay_band": "Band 2", "cluster": "clinical"},
    numerator=580,
    denominator=791,
)
HOSTILE = make(
    "representation.ethnicity",
    Measure.SHARE,
    Unit.PERCENT,
    12.5,
    title='=HYPERLINK("http://evil")',
    group="=1+1",
    breakdown={"pay_band": "+Band 5", "-x": "@SUM(A1)"},
    note="@SUM(A1)",
    flags=("-1+2",),
    numerator=10,
    denominator=80,
)
OTHER_ORG = make("wres.2", Measure.RELATIVE_LIKELIHOOD, Unit.RATIO, 9.99, org="RRV")
OTHER_PERIOD = make("wres.2", Measure.RELATIVE_LIKELIHOOD, Unit.RATIO, 8.88, period=2023)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "out" / "return.xlsx"
    results = [LIKELIHOOD, RATE, SUPPRESSED, GAP, SEB, BAND, HOSTILE, OTHER_ORG, OTHER_PERIOD]
    write_workbook(results, ORG, PERIOD, path)
    return openpyxl.load_workbook(path)


def rows_of(sheet: Worksheet, result_id: str) -> list[tuple[Any, ...]]:
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == result_id]


def test_sheets_and_headers(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [
        "Official return", "WRES", "WDES", "Pay gaps", "SEB", "Representation", "Place",
        "Neighbourhoods", "Notes"
    ]  # fmt: skip
    for name in book.sheetnames[1:-2]:
        sheet = book[name]
        assert [cell.value for cell in sheet[1]] == HEADER
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert sheet.column_dimensions["B"].width > 30


def test_known_value_and_denominators_in_the_right_cells(book: openpyxl.Workbook) -> None:
    sheet = book["WRES"]
    assert sheet.max_row == 2  # the other organisation's and period's figures are left out
    assert sheet.cell(2, 1).value == "wres.2"
    assert sheet.cell(2, 3).value == "White:BME"
    value = sheet.cell(2, VALUE)
    assert value.value == pytest.approx(1.7413)
    assert value.data_type == "n"
    assert value.number_format == "0.00"
    assert sheet.cell(2, NUM).value == 664
    assert sheet.cell(2, DEN).value == 2755
    assert sheet.cell(2, REFNUM).value == 845
    assert sheet.cell(2, REFDEN).value == 6103
    assert sheet.cell(2, LOW).value == pytest.approx(1.589)
    assert sheet.cell(2, HIGH).value == pytest.approx(1.907)
    assert sheet.cell(2, FLAGS).value == "outside_four_fifths"

    rate = book["WDES"].cell(2, VALUE)
    assert rate.value == pytest.approx(74.797)
    assert rate.number_format == "0.0"
    assert book["WDES"].cell(2, DEN).value == 492
    pay = rows_of(book["Pay gaps"], "paygap.sex.mean_hourly")[0]
    assert pay[VALUE - 1] == pytest.approx(14.635)
    assert pay[DEN - 1] == 1385


def test_breakdown_is_readable(book: openpyxl.Workbook) -> None:
    row = rows_of(book["Representation"], "representation.sex")[0]
    assert row[3] == "pay band: Band 2; cluster: clinical"


def test_suppressed_row_says_withheld_and_shows_no_number(book: openpyxl.Workbook) -> None:
    sheet = book["WDES"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "wdes.3")
    assert row[VALUE - 1].value == "withheld"
    for cell in row:
        assert not isinstance(cell.value, int | float), cell.coordinate
        assert cell.fill.fgColor.rgb.endswith("D9D9D9")
    for col in (NUM, DEN, REFNUM, REFDEN, LOW, HIGH):
        assert row[col - 1].value is None
    assert "suppressed" in row[FLAGS - 1].value.split("; ")
    text = " ".join(str(cell.value) for cell in row if cell.value is not None)
    for secret in ("4.375", "4.38", "312", "4433", "23", "1.9", "10.1"):
        assert secret not in text


def test_threshold_is_written_once_in_the_notes(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_workbook([SUPPRESSED], ORG, PERIOD, path, threshold=5)
    book = openpyxl.load_workbook(path)
    assert book["WDES"].cell(2, VALUE).value == "withheld"  # no bound in the cell
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(values_only=True) if row[0]}
    assert "a count of people from 1 to 4 are withheld" in str(notes["Disclosure control"])


def test_formula_like_text_is_stored_as_quoted_text(book: openpyxl.Workbook) -> None:
    sheet = book["Representation"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "representation.ethnicity")
    title, group, breakdown = row[1], row[2], row[3]
    note, flags = row[NOTE - 1], row[FLAGS - 1]
    assert title.data_type == "s" and title.value == '\'=HYPERLINK("http://evil")'
    assert group.data_type == "s" and group.value == "'=1+1"
    assert note.data_type == "s" and note.value == "'@SUM(A1)"
    assert flags.data_type == "s" and flags.value == "'-1+2"
    assert breakdown.data_type == "s" and breakdown.value.startswith("pay band: +Band 5")


def test_no_cell_anywhere_is_a_formula(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_notes_sheet(book: openpyxl.Workbook) -> None:
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(values_only=True) if row[0]}
    assert notes["Organisation"] == "R1H"
    assert notes["Period"] == "2023/24 (the year to 31 March 2024)"
    assert str(notes["Generated by"]).startswith("Ladder ")
    assert str(notes["Disclosure control"]).startswith(
        "Disclosure control: figures that would publish, or let a reader derive, a count of "
        "people from 1 to 9 are withheld, together with the figures needed to protect them."
    )
    assert "fewer than" not in str(notes["Disclosure control"])
    assert "Method references" in notes
    assert notes["wres.2"] == "NHS England, WRES technical guidance, indicator 2"


def test_empty_families_still_have_their_sheet(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_workbook([], ORG, PERIOD, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Official return", "WRES", "WDES", "Pay gaps", "SEB", "Representation", "Place",
        "Neighbourhoods", "Notes"
    ]  # fmt: skip
    official = [r for r in book["Official return"].iter_rows(values_only=True) if r[0] == "WRES"]
    assert [r[1] for r in official][:2] == ["WRES 1", "WRES 2"]
    assert all(r[8] == "not available" for r in official)  # no figures, said in words
    assert book["WRES"].cell(2, 1).value == "No figures for this family."
    # Barts Health's catchment (its local authorities) holds 9 LSOAs in the most deprived
    # 10% nationally: listed with no counts when there are no results.
    sheet = book["Neighbourhoods"]
    assert "within local authorities Newham" in str(sheet.cell(1, 1).value)
    assert [c.value for c in sheet[3]][:3] == ["lsoa21", "name", "local_authority"]
    assert sheet.cell(4, 1).value == "E01003486" and sheet.max_row == 3 + 9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("BME", "BME"),
        ("16-20", "16-20"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    group=st.text(min_size=1, max_size=12),
    note=st.text(max_size=20),
    key=st.text(min_size=1, max_size=8),
)
def test_any_text_stays_text(tmp_path: Path, group: str, note: str, key: str) -> None:
    result = make(
        "wres.1", Measure.SHARE, Unit.PERCENT, 1.0, group=group, note=note, breakdown={key: group}
    )
    path = tmp_path / "h.xlsx"
    write_workbook([result], ORG, PERIOD, path)
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
