"""Every number the reports print equals the metrics JSON for the same data, and no
suppressed figure appears anywhere."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.formatting import counts_text, value_text
from ladder.metrics.neighbourhoods import count_text
from ladder.metrics.results import Measure, Result, Unit
from ladder.reports import findings, labels
from ladder.reports.html import DETAIL_AXES

runner = CliRunner()


def as_result(doc: dict[str, object]) -> Result:
    fields = dict(doc)
    fields["measure"] = Measure(str(fields["measure"]))
    fields["unit"] = Unit(str(fields["unit"]))
    fields["flags"] = tuple(fields["flags"])  # type: ignore[arg-type]
    return Result(**fields)  # type: ignore[arg-type]


class Rows(HTMLParser):
    """The text of every table row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def _report_rows(reports: Path, org: str) -> list[list[str]]:
    parser = Rows()
    parser.feed((reports / f"{org}-2024-equality-report.html").read_text(encoding="utf-8"))
    return parser.rows


def test_html_tables_equal_the_metrics_json(
    reports: Path, metrics_json: list[dict[str, object]]
) -> None:
    """Every figure of the appendix (group, value, counts) is the metrics JSON's, in words."""
    results = [as_result(d) for d in metrics_json if d["org"] == "R1H" and d["period"] == 2024]
    rows = {(r[1], r[2], r[4]) for r in _report_rows(reports, "R1H") if len(r) == 6}
    checked = 0
    for result in results:
        if (
            DETAIL_AXES & {k for k, v in result.breakdown.items() if v != "all"}
            or result.id.startswith(("place.neighbourhoods", "representation"))
            or result.unit is Unit.GBP
        ):
            continue
        if result.id.startswith("programme."):  # in the evaluation report (tests/programmes)
            continue
        extra = labels.breakdown(result.breakdown)
        group = labels.group(result.group) + (f" ({extra})" if extra else "")
        key = (group, findings.shown(result, 10), counts_text(result))
        assert key in rows, (result.id, key)
        checked += 1
    assert checked > 50


def test_neighbourhood_table_equals_the_metrics_json(
    reports: Path, metrics_json: list[dict[str, object]]
) -> None:
    counts = {
        (d["id"], d["breakdown"]["lsoa21"]): as_result(d)  # type: ignore[index]
        for d in metrics_json
        if d["org"] == "R1H" and str(d["id"]).startswith("place.neighbourhoods.")
    }
    assert counts
    rows = [r for r in _report_rows(reports, "R1H") if r and r[0].endswith(")") and "E0" in r[0]]
    table = {r[0].split("(")[-1].rstrip(")"): r for r in rows if len(r) == 11}
    assert len(table) >= 5
    for lsoa, row in table.items():
        staff = counts[("place.neighbourhoods.staff", lsoa)]
        assert row[8] == count_text(staff, 10), lsoa  # a withheld one reads "withheld"


def test_pdf_has_pages_and_the_headline_figures(
    reports: Path, metrics_json: list[dict[str, object]], tmp_path: Path
) -> None:
    pdf = reports / "R1H-2024-equality-report.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) >= 3
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    headline = [
        as_result(d)
        for d in metrics_json
        if d["org"] == "R1H"
        and d["id"] in ("wres.2", "paygap.sex.mean_hourly")
        and not d["breakdown"]
        and not d["suppressed"]
    ]
    assert headline
    for result in headline:
        assert value_text(result, 10) in text


def test_no_suppressed_count_appears(reports: Path, region: Path) -> None:
    unsuppressed = runner.invoke(
        app, ["metrics", str(region), "-f", "json", "--threshold", "1", "--org", "RR8"]
    )
    suppressed = runner.invoke(app, ["metrics", str(region), "-f", "json", "--org", "RR8"])
    plain = {_key(d): as_result(d) for d in json.loads(unsuppressed.stdout)}
    withheld = [_key(d) for d in json.loads(suppressed.stdout) if d["suppressed"]]
    assert withheld
    html = (reports / "RR8-2024-equality-report.html").read_text(encoding="utf-8")
    cells = {c for row in _report_rows(reports, "RR8") for c in row}
    for key in withheld:
        original = plain[key]
        text = counts_text(original)
        if original.reference_numerator is not None and text:
            assert text not in cells, key  # a/b; c/d of a withheld likelihood
    assert ">withheld<" in html and "fewer than 10" not in html


def _key(doc: dict[str, object]) -> tuple[str, str, str, str]:
    return (
        str(doc["id"]),
        str(doc["group"]),
        json.dumps(doc["breakdown"], sort_keys=True),
        str(doc["measure"]),
    )
