"""Problems found in a file, each pointing at a spreadsheet row and column."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ladder.contract.schema import Severity

ERROR: Severity = "error"
WARNING: Severity = "warning"

# Kinds of problem, in the order summaries list them.
PROBLEM_CODES: dict[str, str] = {
    "unreadable": "file cannot be read",
    "empty_file": "file is empty",
    "no_rows": "file has a header but no data rows",
    "missing_column": "required column missing",
    "duplicate_column": "column given twice",
    "missing_value": "required value blank",
    "invalid_value": "value not recognised",
    "unknown_org": "organisation name not recognised",
    "impossible_date": "impossible date",
    "negative_value": "negative value",
    "out_of_range": "value out of range",
    "duplicate_id": "duplicate ID",
    "wrong_org": "row belongs to another organisation",
    "wrong_snapshot_date": "row is for another snapshot date",
    "inconsistent": "values contradict each other",
}

BLOCKING_CODES = frozenset(
    {"unreadable", "empty_file", "no_rows", "missing_column", "duplicate_column"}
)
"""Problems with the whole file: while one is present no row can be stored."""


@dataclass(frozen=True)
class Problem:
    """One problem: where (file, spreadsheet row, column as headed), the value, why, what to do.

    ``row`` counts as a spreadsheet does (the header is row 1); it is None for a problem with
    the whole file. ``severity`` is ``error`` (the row cannot be used) or ``warning`` (the
    value is stored as not known and the row is kept). ``rows`` lists every row when one
    problem stands for the same value on many rows (``row`` is then the first of them).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    reason: str
    hint: str
    severity: Severity = ERROR
    rows: tuple[int, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def blocking(self) -> bool:
        """True for a problem with the whole file (no row can be stored)."""
        return self.code in BLOCKING_CODES

    @property
    def data_rows(self) -> tuple[int, ...]:
        """The data rows (not the header) this problem is on."""
        if self.rows:
            return self.rows
        if self.blocking:
            return ()
        return (self.row,) if self.row is not None and self.row > 1 else ()

    def format(self) -> str:
        """``file:row:column: value — reason (hint)``; warnings say so after the location."""
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        if self.severity == WARNING:
            where += ": warning"
        shown = "(blank)" if self.value is None or self.value == "" else self.value
        reason = self.reason
        if len(self.rows) > 1:
            reason += f" (on {len(self.rows):,} rows: {row_ranges(self.rows)})"
        if self.row is None and self.column is None:
            return f"{where}: {reason} ({self.hint})"
        return f"{where}: {shown} — {reason} ({self.hint})"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``rows`` only when the problem stands for several rows."""
        doc: dict[str, Any] = {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "severity": self.severity,
            "reason": self.reason,
            "hint": self.hint,
        }
        if self.rows:
            doc["rows"] = list(self.rows)
        return doc


def row_ranges(rows: Iterable[int], *, limit: int = 12) -> str:
    """Rows as ranges, e.g. ``2-5, 9, 12-14``; after ``limit`` ranges, ``… (N more)``."""
    ordered = sorted(set(rows))
    spans: list[tuple[int, int]] = []
    for row in ordered:
        if spans and row == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    text = [str(a) if a == b else f"{a}-{b}" for a, b in spans[:limit]]
    if len(spans) > limit:
        text.append(f"… ({len(spans) - limit} more)")
    return ", ".join(text)


def _order(code: str) -> tuple[int, str]:
    order = list(PROBLEM_CODES)
    return (order.index(code) if code in order else len(order), code)


def summarise(problems: list[Problem]) -> dict[str, int]:
    """Count of problems per code, in the order of :data:`PROBLEM_CODES`."""
    counts = Counter(p.code for p in problems)
    return {code: counts[code] for code in sorted(counts, key=_order)}


@dataclass(frozen=True)
class Kind:
    """All problems of one code and severity: how many, which rows, what they block."""

    code: str
    severity: Severity
    count: int
    rows: tuple[int, ...]

    @property
    def blocks(self) -> str:
        """``file`` (nothing can be stored), ``rows`` (those rows are rejected) or ``none``."""
        if self.code in BLOCKING_CODES:
            return "file"
        return "rows" if self.severity == ERROR else "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "count": self.count,
            "blocks": self.blocks,
            "rows": row_ranges(self.rows, limit=50),
        }


def kinds(problems: list[Problem]) -> list[Kind]:
    """The problems grouped by code and severity (errors first, in code order)."""
    groups: dict[tuple[str, Severity], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.code, p.severity), []).append(p)
    ordered = sorted(groups, key=lambda k: (k[1] != ERROR, *_order(k[0])))
    return [
        Kind(
            code,
            severity,
            len(groups[code, severity]),
            tuple(sorted({r for p in groups[code, severity] for r in p.data_rows})),
        )
        for code, severity in ordered
    ]
