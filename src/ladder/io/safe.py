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
    """Every text column of ``frame`` neutralised (other columns untouched)."""
    pattern = "^[=+\\-@\\t\\r]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
