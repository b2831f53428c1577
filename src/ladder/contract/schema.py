"""Types that describe a dataset of the contract: its columns, keys and row rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from ladder.contract.types import TYPES, ColumnType

Severity = Literal["error", "warning"]
"""What a bad value in a column does: rejects the row (error) or is stored as null (warning)."""


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``aliases`` are the headers that real exports use (ESR, TRAC, Jobtrain, NHS Jobs);
    headers are matched case- and punctuation-insensitively, so list each spelling once.

    ``severity`` says what an unreadable value does: ``error`` (the row cannot be used: it
    is rejected) or ``warning`` (an optional descriptive value: stored as not known, the row
    is kept). ``--strict`` treats warnings as errors.
    """

    name: str
    type_name: str
    description: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    special_category: bool = False
    severity: Severity = "error"

    @property
    def type(self) -> ColumnType:
        return TYPES[self.type_name]


@dataclass(frozen=True)
class Rule:
    """A check across columns of a normalised row.

    ``violated`` returns a boolean expression that is true for a row breaking the rule
    (null counts as not broken); the problem is reported against ``column``.
    """

    code: str
    column: str
    needs: tuple[str, ...]
    reason: str
    hint: str
    violated: Callable[[], pl.Expr]


@dataclass(frozen=True)
class Dataset:
    """A canonical dataset: one row per ``row``; ``key`` columns identify a row uniquely."""

    name: str
    title: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    notes: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def polars_schema(self) -> dict[str, pl.DataType]:
        """Storage schema of the canonical table (every column, in contract order)."""
        return {c.name: c.type.dtype for c in self.columns}
