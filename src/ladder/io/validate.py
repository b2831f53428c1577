"""Validate a file against its dataset's contract and produce canonical typed rows.

Every problem is reported with its spreadsheet row (header = row 1), the column as headed
in the file, the value as written, the reason and what to do. Nothing here raises for bad
data: an unreadable file becomes a blocking problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ladder.contract.codes import AGE_BANDS
from ladder.contract.datasets import dataset
from ladder.contract.schema import Dataset
from ladder.io.errors import ReadError
from ladder.io.headers import map_headers
from ladder.io.normalising import clean_text, normalise_column
from ladder.io.problems import Problem, summarise
from ladder.io.readers import RawTable, read_table

__all__ = ["Problem", "Validation", "unreadable", "validate_file", "validate_table"]

ROW = "_row"
_BLOCKING = {"unreadable", "empty_file", "no_rows", "missing_column", "duplicate_column"}


@dataclass
class Validation:
    """The outcome of validating one file: problems, and the canonical rows."""

    kind: str
    source: Path
    problems: list[Problem]
    rows_read: int
    canonical: pl.DataFrame
    raw: pl.DataFrame
    raw_headers: list[str]
    bad_rows: pl.Series
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    file_format: str | None = None
    row_offset: int = 0  # data rows before this table (a chunk of a longer file)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def blocking(self) -> bool:
        """True when a problem affects the whole file, so no row can be stored."""
        return any(p.code in _BLOCKING for p in self.problems)

    def summary(self) -> dict[str, int]:
        return summarise(self.problems)

    def valid_rows(self) -> pl.DataFrame:
        """Canonical rows without problems (empty when the file is blocked)."""
        if self.blocking:
            return self.canonical.clear()
        bad = self.canonical.get_column(ROW).is_in(self.bad_rows.implode())
        return self.canonical.filter(~bad).drop(ROW)

    def rejected_rows(self) -> pl.DataFrame:
        """Rejected rows as written, with their spreadsheet row and the reasons."""
        reasons = (
            pl.DataFrame(
                {
                    "row": [p.row for p in self.problems if p.row is not None and p.row > 1],
                    "reason": [
                        f"{p.column}: {p.reason}"
                        for p in self.problems
                        if p.row is not None and p.row > 1
                    ],
                },
                schema={"row": pl.Int64, "reason": pl.String},
            )
            .group_by("row", maintain_order=True)
            .agg(pl.col("reason").str.join("; ").alias("problems"))
        )
        names = _unique_names(self.raw_headers)
        raw = self.raw.rename(dict(zip(self.raw.columns, names, strict=True)))
        first = 2 + self.row_offset
        raw = raw.with_columns(pl.int_range(first, pl.len() + first, dtype=pl.Int64).alias("row"))
        return raw.join(reasons, on="row", how="inner").select("row", *names, "problems")


def _unique_names(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for i, h in enumerate(headers):
        base = h if h.strip() else f"column_{i + 1}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        names.append(base if count == 0 else f"{base}_{count + 1}")
    return names


def validate_file(
    path: Path, kind: str, *, org: str | None = None, sheet: str | None = None
) -> Validation:
    """Read and validate ``path`` as dataset ``kind``. KeyError for an unknown kind."""
    ds = dataset(kind)
    try:
        table = read_table(path, sheet=sheet)
    except ReadError as exc:
        return unreadable(ds, path, exc)
    return validate_table(table, ds, source=path, org=org)


def unreadable(ds: Dataset, path: Path, exc: ReadError) -> Validation:
    """The blocked result for a file that cannot be read (``exc`` says why)."""
    code = "empty_file" if exc.reason == "file is empty" else "unreadable"
    problem = Problem(str(path), exc.row, None, None, code, exc.reason, exc.hint)
    return _blocked(ds, path, [problem])


def _blocked(ds: Dataset, path: Path, problems: list[Problem], rows: int = 0) -> Validation:
    empty = pl.DataFrame(schema={**ds.polars_schema(), ROW: pl.Int64})
    return Validation(
        ds.name, path, problems, rows, empty, pl.DataFrame(), [], pl.Series(ROW, [], dtype=pl.Int64)
    )


def validate_table(
    table: RawTable,
    ds: Dataset,
    *,
    source: Path,
    org: str | None = None,
    row_offset: int = 0,
    earlier: FirstRows | None = None,
) -> Validation:
    """Validate an already-read table (see :func:`validate_file`).

    For one chunk of a longer file (:mod:`ladder.io.stream`): ``row_offset`` counts the data
    rows before it, so that rows are reported as the file numbers them, and ``earlier``
    gives the first file row of each key in the earlier chunks (duplicates across chunks).
    """
    name = str(source)
    mapping = map_headers(table.headers, ds)
    problems: list[Problem] = []
    for col_name, position in mapping.duplicates:
        problems.append(
            Problem(
                name,
                1,
                table.headers[position],
                table.headers[position],
                "duplicate_column",
                f"a second column for {col_name}",
                f"keep one of the columns holding {col_name}",
            )
        )
    for col in ds.columns:
        if col.required and col.name not in mapping.columns:
            if col.name == "org_code" and org is not None:
                continue
            spellings = ", ".join(f"'{a}'" for a in col.aliases[:3])
            also = f" or one of {spellings}" if spellings else ""
            problems.append(
                Problem(
                    name,
                    1,
                    col.name,
                    None,
                    "missing_column",
                    "required column is missing",
                    f"add a column headed '{col.name}'{also}",
                )
            )
    n = table.frame.height
    if n == 0:
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                "no_rows",
                "file has a header row but no data rows",
                "export the data again including its rows",
            )
        )
    if problems:
        blocked = _blocked(ds, source, problems, n)
        blocked.ignored_columns = mapping.ignored
        blocked.encoding, blocked.file_format = table.encoding, table.format
        return blocked

    text = table.frame.select(
        [clean_text(pl.col(f"col_{pos}")).alias(col) for col, pos in mapping.columns.items()]
    )
    header_of = {col: table.headers[pos] for col, pos in mapping.columns.items()}
    raw_of = {col: table.frame.get_column(f"col_{pos}") for col, pos in mapping.columns.items()}
    first_row = 2 + row_offset
    rows = pl.int_range(first_row, n + first_row, dtype=pl.Int64, eager=True).alias(ROW)
    found: list[pl.DataFrame] = []

    file_position = dict(mapping.columns)

    def report(col: str, mask: pl.Series, code: str, reason: str, hint: str) -> None:
        if not mask.any():
            return
        found.append(
            pl.DataFrame(
                {
                    "row": rows.filter(mask),
                    "position": file_position.get(col, len(table.headers)),
                    "column": pl.Series(
                        [header_of.get(col, col)] * int(mask.sum()), dtype=pl.String
                    ),
                    "value": raw_of[col].filter(mask)
                    if col in raw_of
                    else pl.repeat(None, int(mask.sum()), dtype=pl.String, eager=True),
                    "code": code,
                    "reason": reason,
                    "hint": hint,
                },
                schema=_PROBLEM_SCHEMA,
            )
        )

    canonical: dict[str, pl.Series] = {}
    for col in ds.columns:
        if col.name not in text.columns:
            fill = org if col.name == "org_code" else None
            canonical[col.name] = pl.repeat(fill, n, dtype=col.type.dtype, eager=True).alias(
                col.name
            )
            continue
        series = text.get_column(col.name)
        result = normalise_column(series, col.type)
        for raw_value, why in result.refused.items():
            report(col.name, series == raw_value, why.code, why.reason, why.hint)
        values = result.values
        if col.required:
            report(
                col.name,
                series.is_null(),
                "missing_value",
                "required value is blank",
                f"fill in {col.name} on every row",
            )
        if col.minimum is not None:
            below = (values < col.minimum).fill_null(False)
            code = "negative_value" if col.minimum == 0 else "out_of_range"
            report(
                col.name,
                below,
                code,
                f"must not be below {col.minimum:g}",
                "check the value; amounts are in pounds",
            )
        if col.maximum is not None:
            report(
                col.name,
                (values > col.maximum).fill_null(False),
                "out_of_range",
                f"must not be above {col.maximum:g}",
                "check the value",
            )
        canonical[col.name] = values
    frame = pl.DataFrame(canonical).with_columns(rows)

    if org is not None and "org_code" in text.columns:
        report(
            "org_code",
            (frame.get_column("org_code") != org).fill_null(False),
            "wrong_org",
            f"row is for another organisation than {org}",
            "import each organisation's rows with its own --org, or fix the code",
        )
    for rule in ds.rules:
        if all(c in text.columns for c in rule.needs):
            mask = frame.select(rule.violated().fill_null(False)).to_series()
            report(rule.column, mask, rule.code, rule.reason, rule.hint)
    _check_duplicates(ds, frame, text.columns, report, earlier)
    frame = _derive(frame)

    problems = _collect(name, found)
    bad = pl.Series(ROW, sorted({p.row for p in problems if p.row is not None}), dtype=pl.Int64)
    return Validation(
        ds.name,
        source,
        problems,
        n,
        frame,
        table.frame,
        table.headers,
        bad,
        ignored_columns=mapping.ignored,
        encoding=table.encoding,
        file_format=table.format,
        row_offset=row_offset,
    )


_PROBLEM_SCHEMA = {
    "row": pl.Int64,
    "position": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "code": pl.String,
    "reason": pl.String,
    "hint": pl.String,
}


def _collect(name: str, found: list[pl.DataFrame]) -> list[Problem]:
    if not found:
        return []
    every = pl.concat(found).with_row_index("order").sort("row", "position", "order")
    return [
        Problem(name, r["row"], r["column"], r["value"], r["code"], r["reason"], r["hint"])
        for r in every.iter_rows(named=True)
    ]


Report = Callable[[str, pl.Series, str, str, str], None]
FirstRows = Callable[[pl.DataFrame], pl.Series]
"""Given key columns and ``_row``: each key's first row in earlier chunks (null if none)."""


def _check_duplicates(
    ds: Dataset,
    frame: pl.DataFrame,
    present: list[str],
    report: Report,
    earlier: FirstRows | None = None,
) -> None:
    if not ds.key or not all(k in present or k == "org_code" for k in ds.key):
        return
    key = list(ds.key)
    id_col = key[-1]
    complete = pl.all_horizontal([pl.col(k).is_not_null() for k in key])
    first = pl.col(ROW).min().over(key)
    if earlier is not None:
        before = earlier(frame.select(*key, ROW)).alias("_earlier")
        frame = frame.with_columns(before)
        first = pl.coalesce(pl.col("_earlier"), first)
    flagged = frame.select((complete & (pl.col(ROW) != first)).alias("dup"), first.alias("first"))
    mask = flagged.get_column("dup")
    if not mask.any():
        return
    firsts = flagged.get_column("first").filter(mask).to_list()
    # One reason per first occurrence keeps the message specific ("also on row N").
    dup_rows = frame.get_column(ROW).filter(mask)
    by_first: dict[int, list[int]] = {}
    for row, first_row in zip(dup_rows.to_list(), firsts, strict=True):
        by_first.setdefault(first_row, []).append(row)
    for first_row, dups in by_first.items():
        report(
            id_col,
            frame.get_column(ROW).is_in(dups),
            "duplicate_id",
            f"duplicate {id_col}: the same ID is on row {first_row}",
            "each row needs its own ID; remove the repeated row or correct the ID",
        )


def _derive(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill age_band from date_of_birth where the file gave a date but no band."""
    if "date_of_birth" not in frame.columns or "age_band" not in frame.columns:
        return frame
    at = next(
        (c for c in ("snapshot_date", "engaged_date", "applied_date") if c in frame.columns), None
    )
    if at is None:
        return frame
    years = (pl.col(at).dt.year() - pl.col("date_of_birth").dt.year()) - (
        (pl.col(at).dt.month() < pl.col("date_of_birth").dt.month())
        | (
            (pl.col(at).dt.month() == pl.col("date_of_birth").dt.month())
            & (pl.col(at).dt.day() < pl.col("date_of_birth").dt.day())
        )
    ).cast(pl.Int32)
    band_index = ((years - 16) // 5).clip(0, len(AGE_BANDS) - 1)
    band = band_index.replace_strict(
        list(range(len(AGE_BANDS))), list(AGE_BANDS), return_dtype=pl.String
    )
    return frame.with_columns(
        pl.coalesce(pl.col("age_band"), pl.when(years >= 16).then(band)).alias("age_band")
    )
