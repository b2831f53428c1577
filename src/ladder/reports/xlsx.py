"""Spreadsheet returns: one XLSX workbook of every figure, laid out like the NHS England
WRES and WDES data returns.

One sheet per indicator family (WRES, WDES, Pay gaps, SEB, Representation, Place; 'Other'
only if a result belongs to none of them), 'Neighbourhoods' (the priority neighbourhoods of
the trust's catchment, :mod:`ladder.place.neighbourhoods`) and a 'Notes' sheet. Each family
sheet has one row per figure: indicator id, title, group, breakdown, value, unit, numerator,
denominator, the reference group's numerator and denominator, the 95% confidence interval,
flags and note.

Values are numbers with number formats (0.0 for percentages and percentage points, 0.00 for
ratios, £ for pay, #,##0 for counts), never rounded text. A withheld figure shows
"withheld" in its value cell (the same whatever the reason, no bound), leaves every count
and interval cell blank, is filled light grey and carries the ``suppressed`` flag: the
number is never written. The Notes sheet explains the method once.

Every text cell is written with ``write_string`` (never ``write``), and text that a
spreadsheet could read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with a single quote, as the OWASP CSV injection guidance
advises, so it stays text if the sheet is copied or exported to CSV.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import xlsxwriter

from ladder import __version__
from ladder.io.safe import neutralise
from ladder.metrics import Result, Unit
from ladder.metrics.formatting import WITHHELD, method_text
from ladder.metrics.neighbourhoods import ID as NEIGHBOURHOODS
from ladder.metrics.neighbourhoods import NeighbourhoodView, default_view

SHEETS: tuple[tuple[str, str], ...] = (
    ("wres", "WRES"),
    ("wdes", "WDES"),
    ("paygap", "Pay gaps"),
    ("seb", "SEB"),
    ("representation", "Representation"),
    ("place", "Place"),
)
"""Id prefix (family) → sheet name, in workbook order."""

OTHER_SHEET = "Other"
NEIGHBOURHOODS_SHEET = "Neighbourhoods"
NOTES_SHEET = "Notes"

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Indicator", 26),
    ("Title", 60),
    ("Group", 22),
    ("Breakdown", 30),
    ("Value", 14),
    ("Unit", 16),
    ("Numerator", 12),
    ("Denominator", 13),
    ("Reference numerator", 12),
    ("Reference denominator", 13),
    ("95% CI lower", 12),
    ("95% CI upper", 12),
    ("Flags", 30),
    ("Note", 80),
)
"""Header and column width of every family sheet."""

VALUE_FORMATS: dict[Unit, str] = {
    Unit.PERCENT: "0.0",
    Unit.PERCENTAGE_POINTS: "0.0",
    Unit.RATIO: "0.00",
    Unit.GBP: "£#,##0.00",
    Unit.COUNT: "#,##0",
}
COUNT_FORMAT = "#,##0"
UNIT_LABELS: dict[Unit, str] = {
    Unit.PERCENT: "%",
    Unit.PERCENTAGE_POINTS: "percentage points",
    Unit.RATIO: "ratio",
    Unit.GBP: "£",
    Unit.COUNT: "count",
}
SUPPRESSED_FILL = "#D9D9D9"

_VALUE, _UNIT, _NUM, _DEN, _REFNUM, _REFDEN, _LOW, _HIGH, _FLAGS, _NOTE = range(4, 14)


def family_of(result: Result) -> str:
    """The sheet family of a result: the first part of its id."""
    return result.id.split(".", 1)[0]


def _breakdown_text(breakdown: dict[str, str]) -> str:
    """'pay band: Band 5; cluster: clinical'."""
    return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in breakdown.items())


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _period_text(period: int) -> str:
    return f"{period - 1}/{period % 100:02d} (the year to 31 March {period})"


class _Writer:
    """Writes cells with explicit types; text is always neutralised."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}

    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format(props)
        return self._formats[key]

    def text(self, sheet: Any, row: int, col: int, value: str | None, cell_format: Any) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write_string(row, col, neutralise(value), cell_format)

    def number(self, sheet: Any, row: int, col: int, value: float | None, cell_format: Any) -> None:
        finite = _finite(value)
        if finite is None:
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write_number(row, col, finite, cell_format)


def _write_family(writer: _Writer, sheet: Any, results: list[Result], threshold: int) -> None:
    header = writer.fmt(bold=True, bg_color="#005EB8", font_color="#FFFFFF", text_wrap=True)
    for col, (name, width) in enumerate(COLUMNS):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, width)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 0)
    for row, result in enumerate(results, start=1):
        grey: dict[str, Any] = {"bg_color": SUPPRESSED_FILL} if result.suppressed else {}
        plain = writer.fmt(**grey)
        value_format = writer.fmt(num_format=VALUE_FORMATS[result.unit], **grey)
        count_format = writer.fmt(num_format=COUNT_FORMAT, **grey)
        writer.text(sheet, row, 0, result.id, plain)
        writer.text(sheet, row, 1, result.title, plain)
        writer.text(sheet, row, 2, result.group, plain)
        writer.text(sheet, row, 3, _breakdown_text(result.breakdown), plain)
        writer.text(sheet, row, _UNIT, UNIT_LABELS[result.unit], plain)
        flags = list(result.flags)
        if result.suppressed:
            if "suppressed" not in flags:
                flags.append("suppressed")
            writer.text(sheet, row, _VALUE, WITHHELD, plain)
            for col in range(_NUM, _FLAGS):
                sheet.write_blank(row, col, None, plain)
        else:
            writer.number(sheet, row, _VALUE, result.value, value_format)
            writer.number(sheet, row, _NUM, result.numerator, count_format)
            writer.number(sheet, row, _DEN, result.denominator, count_format)
            writer.number(sheet, row, _REFNUM, result.reference_numerator, count_format)
            writer.number(sheet, row, _REFDEN, result.reference_denominator, count_format)
            writer.number(sheet, row, _LOW, result.ci_lower, value_format)
            writer.number(sheet, row, _HIGH, result.ci_upper, value_format)
        writer.text(sheet, row, _FLAGS, "; ".join(flags), plain)
        writer.text(sheet, row, _NOTE, result.note, plain)
    last_row = max(len(results), 1)
    sheet.autofilter(0, 0, last_row, len(COLUMNS) - 1)
    if not results:
        writer.text(sheet, 1, 0, "No figures for this family.", writer.fmt(italic=True))


def _write_neighbourhoods(
    writer: _Writer, sheet: Any, view: NeighbourhoodView, threshold: int
) -> None:
    """One row per listed neighbourhood: reference values, then the counts (withheld counts
    blank, with the reason in the ``<kind>_note`` column)."""
    header = writer.fmt(bold=True, bg_color="#005EB8", font_color="#FFFFFF", text_wrap=True)
    italic = writer.fmt(italic=True, text_wrap=True)
    plain = writer.fmt()
    whole = writer.fmt(num_format=COUNT_FORMAT)
    writer.text(
        sheet,
        0,
        0,
        f"The most deprived {view.percent}% of neighbourhoods nationally (IMD 2019, 2021 LSOAs "
        f"through the ONS bridge) within {view.catchment}; withheld counts: see the Notes sheet.",
        italic,
    )
    frame = view.to_frame(threshold)
    if frame.is_empty():
        writer.text(sheet, 2, 0, "No neighbourhood in the catchment is this deprived.", italic)
        return
    for col, name in enumerate(frame.columns):
        sheet.write_string(2, col, name, header)
        sheet.set_column(col, col, 24 if name in ("name", "local_authority_name") else 13)
    sheet.freeze_panes(3, 0)
    for row, record in enumerate(frame.iter_rows(), start=3):
        for col, value in enumerate(record):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell_format = whole if isinstance(value, int) else plain
                writer.number(sheet, row, col, float(value), cell_format)
            else:
                writer.text(sheet, row, col, None if value is None else str(value), plain)
    sheet.autofilter(2, 0, 2 + frame.height, len(frame.columns) - 1)


def _write_notes(
    writer: _Writer, sheet: Any, results: list[Result], org: str, period: int, threshold: int
) -> None:
    bold = writer.fmt(bold=True, valign="top")
    wrap = writer.fmt(text_wrap=True, valign="top")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 110)
    perturbed = any("perturbed" in r.flags for r in results)
    how = "" if perturbed else f"{method_text(threshold)} "
    rows: list[tuple[str, str]] = [
        ("Organisation", org),
        ("Period", _period_text(period)),
        ("Generated by", f"Ladder {__version__}"),
        (
            "Disclosure control",
            f"{how}A withheld figure's value cell reads '{WITHHELD}', its "
            "counts and interval are left blank, the row is shaded grey and flagged "
            "'suppressed'.",
        ),
        (
            "Values",
            "Percentages are written as percentages (24.8 means 24.8%) to full precision and "
            "displayed to one decimal place; relative likelihoods (ratios) to two. A relative "
            "likelihood whose 95% confidence interval includes 1 is flagged "
            "'no_evidence_of_difference'.",
        ),
        (
            "Columns",
            "For a relative likelihood, numerator and denominator are the first group's "
            "events and people and the reference columns the second group's. For a pay gap "
            "they are the headcounts of the group and the reference group.",
        ),
        (
            "Text cells",
            "Text that could be read as a spreadsheet formula is prefixed with a single quote.",
        ),
    ]
    if perturbed:
        rows.insert(
            4,
            (
                "Cell key perturbation",
                "The counts in this workbook are perturbed by the cell key method (after the ONS "
                "method for Census 2021; Ladder docs/methods/disclosure.md): each count of "
                "people has noise of at most 5 either way added, the same for the same group "
                "in every table; zero stays zero and no count of 1 or 2 is shown as such. "
                "Percentages, rates and ratios are computed from the perturbed counts; totals "
                "may differ from the sum of their cells. A mean, median or pay gap is shown "
                f"only over groups whose perturbed count is at least {threshold + 5}. Each "
                "perturbed figure is flagged 'perturbed'.",
            ),
        )
    methods: dict[str, str] = {}
    for result in results:
        methods.setdefault(".".join(result.id.split(".")[:2]), result.method)
    for row, (name, text) in enumerate(rows):
        writer.text(sheet, row, 0, name, bold)
        writer.text(sheet, row, 1, text, wrap)
    start = len(rows) + 1
    writer.text(sheet, start, 0, "Method references", bold)
    for offset, (indicator, method) in enumerate(sorted(methods.items()), start=1):
        writer.text(sheet, start + offset, 0, indicator, wrap)
        writer.text(sheet, start + offset, 1, method, wrap)


OFFICIAL_SHEET = "Official return"
FLAG_WORDS = {
    "suppressed": "withheld",
    "outside_four_fifths": "outside 0.80 to 1.25",
    "within_four_fifths": "within 0.80 to 1.25",
    "no_evidence_of_difference": "no evidence of difference",
    "small_group": "small group",
    "perturbed": "perturbed (cell key method)",
}
BAND_GROUPS = {
    "wres.1": ("WRES indicator 1: headcount by pay band and cluster", ("White", "BME", "Unknown")),
    "wdes.1": (
        "WDES metric 1: headcount by pay band and cluster",
        ("Disabled", "Non-disabled", "Unknown"),
    ),
}
CLUSTERS = ("non-clinical", "clinical", "medical", "all")
OFFICIAL_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Standard", 9),
    ("Indicator", 20),
    ("Description", 60),
    ("First group", 14),
    ("First group value", 12),
    ("Second group", 14),
    ("Second group value", 12),
    ("Comparison", 22),
    ("Comparison value", 12),
    ("Unit", 16),
    ("95% CI lower", 11),
    ("95% CI upper", 11),
    ("Reading", 34),
    ("Flags", 34),
)


def _band_key(band: str) -> tuple[int, str]:
    order = ["Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a"]
    order += ["Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"]
    return (order.index(band) if band in order else len(order), band)


def _write_official(
    writer: _Writer, sheet: Any, results: list[Result], period: int, threshold: int
) -> None:
    """The WRES/WDES data collection layout: headcounts by band and cluster, then one row per
    indicator in the official order. Withheld cells read 'withheld' (grey)."""
    from ladder.reports import findings, labels

    bold = writer.fmt(bold=True)
    header = writer.fmt(bold=True, bg_color="#005EB8", font_color="#FFFFFF", text_wrap=True)
    grey = writer.fmt(bg_color=SUPPRESSED_FILL)
    count = writer.fmt(num_format=COUNT_FORMAT)
    plain = writer.fmt(text_wrap=True, valign="top")
    for col, (_, width) in enumerate(OFFICIAL_COLUMNS):
        sheet.set_column(col, col, width)
    writer.text(
        sheet,
        0,
        0,
        f"WRES and WDES return, reporting year {_period_text(period)}; withheld figures: "
        "see the Notes sheet.",
        bold,
    )
    row = 2
    for result_id, (title, groups) in BAND_GROUPS.items():
        writer.text(sheet, row, 0, title, bold)
        row += 1
        for col, name in enumerate(("Cluster", "Pay band", *groups, "Total")):
            writer.text(sheet, row, col, name, header)
        row += 1
        cells = {
            (r.breakdown.get("cluster"), r.breakdown.get("pay_band"), r.group): r
            for r in results
            if r.id == result_id
        }
        for cluster in CLUSTERS:
            bands = sorted({b for c, b, _ in cells if c == cluster and b}, key=_band_key)
            for band in bands:
                writer.text(sheet, row, 0, "all clusters" if cluster == "all" else cluster, plain)
                writer.text(sheet, row, 1, "all bands" if band == "all" else band, plain)
                total: float | None = None
                for col, group in enumerate(groups, start=2):
                    r = cells.get((cluster, band, group))
                    if r is None or r.suppressed or r.numerator is None:
                        writer.text(sheet, row, col, "withheld" if r else "", grey)
                    else:
                        writer.number(sheet, row, col, r.numerator, count)
                        total = r.denominator if r.denominator is not None else total
                writer.number(sheet, row, 2 + len(groups), total, count)
                row += 1
        row += 1
    writer.text(sheet, row, 0, "Indicators, in the official order", bold)
    row += 1
    for col, (name, _) in enumerate(OFFICIAL_COLUMNS):
        writer.text(sheet, row, col, name, header)
    row += 1
    for finding in findings.read(results, results[0].org if results else "", period, threshold):
        spec = finding.spec
        if spec.standard not in ("WRES", "WDES"):
            continue
        writer.text(sheet, row, 0, spec.standard, plain)
        writer.text(sheet, row, 1, spec.key, plain)
        writer.text(sheet, row, 2, spec.label, plain)
        for offset, (group, result) in enumerate(zip(spec.columns, finding.columns, strict=True)):
            col = 3 + 2 * offset
            writer.text(sheet, row, col, labels.group(group) if group else "not applicable", plain)
            _official_value(writer, sheet, row, col + 1, result, threshold)
        result = finding.result
        writer.text(sheet, row, 7, labels.group(spec.group), plain)
        _official_value(writer, sheet, row, 8, result, threshold)
        if result is not None:
            writer.text(sheet, row, 9, UNIT_LABELS[result.unit], plain)
            if not result.suppressed:
                fmt = writer.fmt(num_format=VALUE_FORMATS[result.unit])
                writer.number(sheet, row, 10, result.ci_lower, fmt)
                writer.number(sheet, row, 11, result.ci_upper, fmt)
        writer.text(sheet, row, 12, finding.reading, plain)
        words = (
            [] if result is None else [FLAG_WORDS.get(f, f.replace("_", " ")) for f in result.flags]
        )
        writer.text(sheet, row, 13, "; ".join(words), plain)
        row += 1
    sheet.freeze_panes(1, 0)


def _official_value(
    writer: _Writer, sheet: Any, row: int, col: int, result: Result | None, threshold: int
) -> None:
    if result is None:
        writer.text(sheet, row, col, "not available", writer.fmt(italic=True))
    elif result.suppressed:
        writer.text(
            sheet,
            row,
            col,
            WITHHELD,
            writer.fmt(bg_color=SUPPRESSED_FILL),
        )
    else:
        writer.number(
            sheet, row, col, result.value, writer.fmt(num_format=VALUE_FORMATS[result.unit])
        )


def write_workbook(
    results: list[Result], org: str, period: int, path: Path, threshold: int = 10
) -> None:
    """Write the spreadsheet return of ``org`` for ``period`` to ``path`` (XLSX).

    Only results of that organisation and period are written, in the order given, each on
    the sheet of its family. Every family sheet is present, with a header row, even when
    it has no figures.
    """
    mine = [r for r in results if r.org == org and r.period == period]
    by_family: dict[str, list[Result]] = {family: [] for family, _ in SHEETS}
    other: list[Result] = []
    for result in mine:
        if result.id.startswith(f"{NEIGHBOURHOODS}."):
            continue  # their own sheet, with the neighbourhoods' reference values
        by_family.get(family_of(result), other).append(result)
    view = default_view(mine, org, period)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    try:
        book.set_properties(
            {"title": f"Equality indicators: {org}, {period}", "author": f"Ladder {__version__}"}
        )
        writer = _Writer(book)
        _write_official(writer, book.add_worksheet(OFFICIAL_SHEET), mine, period, threshold)
        for family, name in SHEETS:
            _write_family(writer, book.add_worksheet(name), by_family[family], threshold)
        if other:
            _write_family(writer, book.add_worksheet(OTHER_SHEET), other, threshold)
        if view is not None:
            _write_neighbourhoods(writer, book.add_worksheet(NEIGHBOURHOODS_SHEET), view, threshold)
        _write_notes(writer, book.add_worksheet(NOTES_SHEET), mine, org, period, threshold)
    finally:
        book.close()
