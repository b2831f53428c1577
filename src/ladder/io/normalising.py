"""Turn one text column into its canonical typed column, collecting the values refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from ladder.contract.types import ColumnType
from ladder.normalise.errors import InvalidValue


@dataclass(frozen=True)
class Refusal:
    """Why a distinct raw value was refused."""

    code: str
    reason: str
    hint: str


@dataclass
class NormalisedColumn:
    """The canonical values (null where refused or blank) and the refused distinct values."""

    values: pl.Series
    refused: dict[str, Refusal]


_BLANKS = " \t\r\n\u00a0\u2007\u202f\ufeff"


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Strip whitespace (incl. non-breaking spaces); an empty cell becomes null."""
    return expr.str.strip_chars(_BLANKS).replace("", None)


def normalise_column(text: pl.Series, ctype: ColumnType) -> NormalisedColumn:
    """Normalise a cleaned text series.

    Values the type's fast path accepts are parsed in bulk; every other distinct value goes
    once through the Python normaliser, which is the definition of what is accepted.
    """
    frame = text.alias("t").to_frame()
    if ctype.fast is not None:
        fast = frame.select(ctype.fast(pl.col("t")).cast(ctype.dtype)).to_series()
        pending = text.filter(text.is_not_null() & fast.is_null()).unique()
    else:
        fast = pl.repeat(None, len(text), dtype=ctype.dtype, eager=True)
        pending = text.drop_nulls().unique()
    mapping: dict[str, Any] = {}
    refused: dict[str, Refusal] = {}
    for raw in pending.to_list():
        try:
            mapping[raw] = ctype.normalise(raw)
        except InvalidValue as exc:
            refused[raw] = Refusal(exc.code, exc.reason, exc.hint)
    if mapping:
        slow = text.replace_strict(
            list(mapping), list(mapping.values()), default=None, return_dtype=ctype.dtype
        )
        values = fast.fill_null(slow) if ctype.fast is not None else slow
    else:
        values = fast
    return NormalisedColumn(values.alias(text.name), refused)
