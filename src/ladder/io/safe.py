"""Neutralise text that a spreadsheet would run as a formula (CSV/formula injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be taken
for a formula by Excel, LibreOffice or Google Sheets when a CSV or XLSX file is opened.
Following the OWASP guidance on CSV injection, such text is prefixed with a single quote,
so it is shown as text. Numbers are never changed (only text cells pass through here).
"""

from __future__ import annotations

import polars as pl

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``'=1+1`` for ``=1+1``; any other text unchanged."""
    return "'" + text if text.startswith(TRIGGERS) else text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of ``frame`` neutralised (other columns untouched), and every
    column name: a header copied from a hostile file (``=HYPERLINK(...)``) is text too."""
    pattern = "^[=+\\-@\\t\\r]"
    frame = frame.rename(_safe_names(frame.columns))
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def _safe_names(names: list[str]) -> dict[str, str]:
    """Neutralised column names, kept distinct (``'=A1`` would not clash with ``'=A1_2``)."""
    taken = set(names)
    renames: dict[str, str] = {}
    for name in names:
        safe = neutralise(name)
        if safe == name:
            continue
        candidate, n = safe, 2
        while candidate in taken:
            candidate, n = f"{safe}_{n}", n + 1
        taken.add(candidate)
        renames[name] = candidate
    return renames
