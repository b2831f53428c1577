"""Problems found in a file, each pointing at a spreadsheet row and column."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

# Kinds of problem, in the order summaries list them.
PROBLEM_CODES: dict[str, str] = {
    "unreadable": "file cannot be read",
    "empty_file": "file is empty",
    "no_rows": "file has a header but no data rows",
    "missing_column": "required column missing",
    "duplicate_column": "column given twice",
    "missing_value": "required value blank",
    "invalid_value": "value not recognised",
    "impossible_date": "impossible date",
    "negative_value": "negative value",
    "out_of_range": "value out of range",
    "duplicate_id": "duplicate ID",
    "wrong_org": "row belongs to another organisation",
    "inconsistent": "values contradict each other",
}


@dataclass(frozen=True)
class Problem:
    """One problem: where (file, spreadsheet row, column as headed), the value, why, what to do.

    ``row`` counts as a spreadsheet does (the header is row 1); it is None for a problem with
    the whole file.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    reason: str
    hint: str
    severity: str = "error"

    def format(self) -> str:
        """``file:row:column: value — reason (hint)``."""
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        shown = "(blank)" if self.value is None or self.value == "" else self.value
        if self.row is None and self.column is None:
            return f"{where}: {self.reason} ({self.hint})"
        return f"{where}: {shown} — {self.reason} ({self.hint})"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(problems: list[Problem]) -> dict[str, int]:
    """Count of problems per code, in the order of :data:`PROBLEM_CODES`."""
    counts = Counter(p.code for p in problems)
    order = list(PROBLEM_CODES)
    return {
        code: counts[code]
        for code in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c))
    }
