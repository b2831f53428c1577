"""The XLSX answer template: an ``About`` sheet (framework, org, name, sector, period) and an
``Answers`` sheet (one row per question; fill in ``answer`` and ``evidence``). A problem's
line is the row of the ``Answers`` sheet (or of ``About``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from ladder.frameworks.model import Framework
from ladder.frameworks.yamlfile import FileProblems, Lines, Problem

ABOUT, ANSWERS = "About", "Answers"
ANSWER_COLUMNS = ("section", "question", "kind", "text", "options", "answer", "evidence")


def write_template(framework: Framework, path: Path, org: str = "", period: int = 2025) -> None:
    """Write the workbook an employer fills in."""
    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True})
        about = book.add_worksheet(ABOUT)
        rows = [
            ("field", "value"),
            ("framework", framework.id),
            ("framework_version", framework.version),
            ("org", org),
            ("name", ""),
            ("sector", "nhs_trust"),
            ("period", str(period)),
            ("note", framework.label),
        ]
        for r, (k, v) in enumerate(rows):
            about.write_string(r, 0, k, bold if r == 0 else None)
            about.write_string(r, 1, v, bold if r == 0 else None)
        about.set_column(0, 0, 20)
        about.set_column(1, 1, 80)
        sheet = book.add_worksheet(ANSWERS)
        for c, name in enumerate(ANSWER_COLUMNS):
            sheet.write_string(0, c, name, bold)
        r = 1
        for section in framework.sections:
            for q in section.questions:
                if q.kind == "data":
                    continue  # measured: nothing to answer
                if q.options:
                    options = "; ".join(f"{o.id} = {o.text} ({o.points:g})" for o in q.options)
                elif q.kind == "yes_no":
                    options = "yes / no" + (" (evidence required)" if q.evidence_required else "")
                elif q.kind == "numeric":
                    options = f"a number{f' ({q.unit})' if q.unit else ''}"
                else:
                    options = "text"
                for c, value in enumerate((section.id, q.id, q.kind, q.text, options, "", "")):
                    sheet.write_string(r, c, value)
                r += 1
        sheet.set_column(3, 4, 60)
        sheet.set_column(5, 6, 30)
    finally:
        book.close()


def _sheet(path: Path, name: str) -> pl.DataFrame:
    try:
        return pl.read_excel(path, sheet_name=name, infer_schema_length=0)
    except Exception as exc:  # fastexcel raises its own types for a missing sheet
        raise FileProblems(
            [
                Problem(
                    str(path),
                    None,
                    name,
                    f"cannot read sheet {name!r} ({exc}); "
                    "use the workbook from `ladder index template`",
                )
            ]
        ) from None


def read_workbook(path: Path) -> tuple[dict[str, Any], Lines]:
    """The answer document in a filled-in template, with sheet rows as lines."""
    about = _sheet(path, ABOUT)
    answers = _sheet(path, ANSWERS)
    lines: dict[tuple[str | int, ...], int] = {}
    doc: dict[str, Any] = {}
    for i, row in enumerate(about.iter_rows(named=True), start=2):
        key, value = row.get("field"), row.get("value")
        if key in ("framework", "framework_version", "org", "name", "sector", "period"):
            lines[(key,)] = i
            if value not in (None, ""):
                doc[key] = int(value) if key == "period" and str(value).isdigit() else value
    doc["answers"] = {}
    lines[("answers",)] = 1
    for i, row in enumerate(answers.iter_rows(named=True), start=2):
        qid = row.get("question")
        answer = row.get("answer")
        evidence = [e.strip() for e in str(row.get("evidence") or "").split(";") if e.strip()]
        if not qid or (answer in (None, "") and not evidence):
            continue
        given: Any = answer
        if row.get("kind") == "multiple_choice" and answer:
            given = [v.strip() for v in str(answer).split(",") if v.strip()]
        doc["answers"][qid] = {"answer": given, "evidence": evidence} if evidence else given
        lines[("answers", qid)] = i
    return doc, Lines(lines)
