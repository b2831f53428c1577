"""Notes that say nothing (issue 12, item 2): on a synthetic trust's full HTML report and
XLSX workbook every withheld figure reads the same — a small count and a complement
(withheld only so that a small one cannot be derived) alike — with no bound beside it, and
the method is explained once, in the notes."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.disclosure.notes import WITHHELD as WITHHELD_NOTE
from ladder.metrics.formatting import WITHHELD, method_text
from ladder.reports.xlsx import NOTES_SHEET, SHEETS
from tests.reports.test_consistency import _report_rows

runner = CliRunner()
ORG = "RR8"
SENTENCE_TAIL = " (disclosure control: see the notes)"
BOUND = re.compile(r"fewer than\s*\d+|below\s*\d+|under\s*\d+|<\s*\d+|less than\s*\d+")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _bounds(text: str) -> list[str]:
    """Every 'fewer than N'-like phrase except the pay gap's caution on published figures
    (groups of fewer than 50 people: not about a withheld figure)."""
    return [m.group(0) for m in BOUND.finditer(text) if not m.group(0).endswith("50")]


def _true_counts(region: Path) -> dict[tuple[str, str, str], list[float]]:
    """The counts behind each figure of ORG, computed with nothing withheld."""
    plain = runner.invoke(
        app, ["metrics", str(region), "-f", "json", "--threshold", "1", "--org", ORG]
    )
    assert plain.exit_code == 0, plain.output
    out = {}
    for d in json.loads(plain.stdout):
        breakdown = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in d["breakdown"].items())
        counts = [
            float(d[k])
            for k in ("numerator", "denominator", "reference_numerator", "reference_denominator")
            if d[k] is not None
        ]
        out[(d["id"], d["group"] or "", breakdown)] = counts
    return out


def test_every_withheld_figure_reads_the_same_in_the_html(reports: Path) -> None:
    html = (reports / f"{ORG}-2024-equality-report.html").read_text(encoding="utf-8")
    text = _text(html)
    # table cells (every table, charts' table views included): the one word
    cells = [c for row in _report_rows(reports, ORG) for c in row if "withheld" in c]
    assert len(cells) >= 50
    parts = {p for c in cells for p in c.split("; ") if "withheld" in p}  # notes columns too
    assert WITHHELD in parts and parts <= {WITHHELD, WITHHELD_NOTE}
    # sentences (summaries, findings, alt text): the same words after every "is withheld"
    method = method_text(10)
    assert text.count(method) == 1  # the method, once, in "About these figures"
    said = re.findall(r"(?:is|are) withheld(.{0,36})", text.replace(method, ""))
    assert len(said) >= 3
    assert {s[: len(SENTENCE_TAIL)] for s in said} == {SENTENCE_TAIL}
    # no bound anywhere a person reads (alt text and aria-labels included)
    assert _bounds(text) == []
    assert _bounds(unescape(html)) == []
    assert "fewer than 10" not in html


def test_every_withheld_figure_reads_the_same_in_the_xlsx(reports: Path, region: Path) -> None:
    book = openpyxl.load_workbook(reports / f"{ORG}-2024-equality-report.xlsx")
    truth = _true_counts(region)
    values: set[str] = set()
    small = complement = 0
    for _, name in SHEETS:
        if name not in book.sheetnames:
            continue
        rows = list(book[name].iter_rows(values_only=True))
        header = [str(h).lower() for h in rows[0]]
        value, flags, note = header.index("value"), header.index("flags"), header.index("note")
        for row in rows[1:]:
            if "suppressed" not in str(row[flags] or "").split("; "):
                continue
            values.add(str(row[value]))
            assert str(row[note]).endswith(WITHHELD_NOTE), row
            counts = truth.get((str(row[0]), str(row[2] or ""), str(row[3] or "")))
            if counts is None:
                continue
            if any(0 < c < 10 for c in counts):
                small += 1
            elif counts and all(c == 0 or c >= 10 for c in counts):
                complement += 1  # withheld only to protect another figure
    assert small >= 5 and complement >= 5, (small, complement)
    assert values == {WITHHELD}  # a small count and a complement read alike
    every = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    notes = {r[0]: r[1] for r in book[NOTES_SHEET].iter_rows(values_only=True) if r[0]}
    headings = {c for c in every if "see the Notes sheet" in c}
    parts = {
        p
        for c in every
        if c not in headings and c != notes["Disclosure control"]
        for p in c.split("; ")
        if "withheld" in p
    }
    assert parts == {WITHHELD, WITHHELD_NOTE}
    assert str(notes["Disclosure control"]).startswith(method_text(10))
    assert [c for c in every if _bounds(c)] == []
