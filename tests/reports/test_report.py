"""`ladder report` end to end: self-contained accessible HTML, PDF and XLSX per organisation."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import load_workbook


class Structure(HTMLParser):
    """Collects what the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.external: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.figures = 0
        self.figure_tables = 0
        self._in_figure = False
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
        for name in ("src", "href"):
            value = a.get(name) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        if a.get("role") == "img":
            self.images.append(a)
        if tag == "figure":
            self.figures += 1
            self._in_figure = True
        if tag == "table" and self._in_figure:
            self.figure_tables += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._in_figure = False


def test_one_report_per_organisation_in_three_formats(reports: Path) -> None:
    names = sorted(p.name for p in reports.iterdir())
    assert names == [
        "R1H-2024-equality-report.html",
        "R1H-2024-equality-report.pdf",
        "R1H-2024-equality-report.xlsx",
        "RR8-2024-equality-report.html",
        "RR8-2024-equality-report.pdf",
        "RR8-2024-equality-report.xlsx",
    ]
    assert (reports / "R1H-2024-equality-report.pdf").read_bytes().startswith(b"%PDF")
    book = load_workbook(reports / "R1H-2024-equality-report.xlsx")
    assert len(book.sheetnames) >= 3


def test_html_is_self_contained_and_accessible(reports: Path) -> None:
    html = (reports / "R1H-2024-equality-report.html").read_text(encoding="utf-8")
    page = Structure()
    page.feed(html)
    assert page.lang == "en-GB"
    assert page.external == []  # no network needed to open it
    assert page.headings[0] == "h1" and page.headings.count("h1") == 1
    assert "h2" in page.headings
    assert page.figures >= 3
    assert page.figure_tables == page.figures  # a table equivalent for every chart
    assert page.images and all(img.get("aria-label") for img in page.images)
    assert "Barts Health NHS Trust" in html
    assert "Synthetic data" in html


def test_honest_words_and_suppression(reports: Path) -> None:
    html = (reports / "RR8-2024-equality-report.html").read_text(encoding="utf-8")
    assert "times as likely" in html
    assert "95% confidence interval" in html or "95% CI" in html
    assert "fewer than 10" not in html  # a withheld figure states no bound (issue 12)
    assert "withheld (disclosure control: see the notes)" in html
    assert "a count of people from 1 to 9 are withheld" in html  # the method, once
    assert "Position among the 2 organisations" in html
