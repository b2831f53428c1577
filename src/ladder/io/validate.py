"""Validate a file against its dataset's contract and produce canonical typed rows.

Every problem is reported with its spreadsheet row (header = row 1), the column as headed
in the file, the value as written, the reason and what to do. Nothing here raises for bad
data: an unreadable file becomes a blocking problem. A missing required column blocks the
file, but every row is still checked against the columns that are there, so one run lists
all the work there is.

Each problem has a severity, from its column in the contract: an ``error`` rejects its row;
a ``warning`` (an unreadable value in an optional descriptive column) stores the value as
not known and keeps the row. ``strict`` turns warnings into errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ladder.contract.datasets import dataset
from ladder.contract.schema import Column, Dataset, Severity
from ladder.io.derive import derivable, derive
from ladder.io.errors import ReadError
from ladder.io.headers import HeaderMap, map_headers
from ladder.io.normalising import clean_text, normalise_column
from ladder.io.orgs import resolve_org
from ladder.io.problems import ERROR, WARNING, Kind, Problem, kinds, summarise
from ladder.io.readers import RawTable, read_table
from ladder.normalise.stages import StageMap

__all__ = [
    "Context",
    "Problem",
    "Validation",
    "context_mistake",
    "period_snapshot",
    "reporting_year",
    "unreadable",
    "validate_file",
    "validate_table",
]

ROW = "_row"


def period_snapshot(period: int) -> dt.date:
    """The staff snapshot date of reporting year ``period`` (year ending 31 March): 31 March."""
    return dt.date(period, 3, 31)


def reporting_year(day: dt.date) -> int:
    """The reporting year (ending 31 March) ``day`` falls in: 2024-03-31 → 2024."""
    return day.year + (day.month > 3)


def context_mistake(kind: str, snapshot_date: dt.date | None, period: int | None) -> str | None:
    """Why ``--snapshot-date``/``--period`` do not fit together or ``kind``; None if they do."""
    if snapshot_date is None:
        return None
    if "snapshot_date" not in dataset(kind).column_names:
        return f"--snapshot-date: {kind} files have no snapshot date (it is for staff files)"
    year = reporting_year(snapshot_date)
    if period is not None and year != period:
        return (
            f"--snapshot-date {snapshot_date.isoformat()} is in reporting year {year} "
            f"(April to March), not --period {period}"
        )
    return None


@dataclass(frozen=True)
class Context:
    """What the command line says about every row: fills what the file lacks.

    ``org`` fills a missing column or blank cell of ``org_code`` and flags rows of other
    organisations. ``snapshot_date`` fills a missing ``snapshot_date`` column; when it was
    given explicitly (``explicit_date``: ``--snapshot-date``, not 31 March implied by
    ``--period``) it also fills blank cells and flags rows of other dates.
    """

    org: str | None = None
    snapshot_date: dt.date | None = None
    explicit_date: bool = False
    strict: bool = False

    @staticmethod
    def of(
        org: str | None, snapshot_date: dt.date | None, period: int | None, strict: bool
    ) -> Context:
        implied = period_snapshot(period) if period is not None else None
        return Context(org, snapshot_date or implied, snapshot_date is not None, strict)

    def fill(self, column: str) -> str | None:
        """The text a missing ``column`` is filled with, if the context gives one."""
        if column == "org_code":
            return self.org
        if column == "snapshot_date" and self.snapshot_date is not None:
            return self.snapshot_date.isoformat()
        return None

    def fill_blanks(self, column: str) -> str | None:
        """The text blank cells of ``column`` are filled with (explicit options only)."""
        if column == "snapshot_date" and not self.explicit_date:
            return None
        return self.fill(column)

    def severity(self, col: Column) -> Severity:
        return ERROR if self.strict else col.severity


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
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing stops the file or a row being used (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def rows_with_warnings(self) -> int:
        """Rows with warnings and no error: kept, with those values stored as not known."""
        bad = set(self.bad_rows.to_list())
        return len({r for p in self.warnings for r in p.data_rows} - bad)

    @property
    def blocking(self) -> bool:
        """True when a problem affects the whole file, so no row can be stored."""
        return any(p.blocking for p in self.problems)

    def summary(self) -> dict[str, int]:
        """Problems per code (errors and warnings together)."""
        return summarise(self.problems)

    def kinds(self) -> list[Kind]:
        """Problems per code and severity, with their rows and what they block."""
        return kinds(self.problems)

    def valid_rows(self) -> pl.DataFrame:
        """Canonical rows without errors (rows with warnings only are kept; empty if blocked)."""
        if self.blocking:
            return self.canonical.clear().drop(ROW)
        bad = self.canonical.get_column(ROW).is_in(self.bad_rows.implode())
        return self.canonical.filter(~bad).drop(ROW)

    def rejected_rows(self) -> pl.DataFrame:
        """Rows with errors as written, with their spreadsheet row and every problem on it."""
        bad = set(self.bad_rows.to_list())
        pairs = [
            (row, f"{p.column}: {p.reason}" + ("" if p.is_error else " (warning)"))
            for p in self.problems
            for row in p.data_rows
            if row in bad
        ]
        reasons = (
            pl.DataFrame(
                {"row": [r for r, _ in pairs], "reason": [t for _, t in pairs]},
                schema={"row": pl.Int64, "reason": pl.String},
            )
            .group_by("row", maintain_order=True)
            .agg(pl.col("reason").str.join("; ").alias("problems"))
        )
        names = _unique_names(self.raw_headers)
        raw = self.raw.rename(dict(zip(self.raw.columns, names, strict=True)))
        raw = raw.with_columns(self.canonical.get_column(ROW).alias("row"))
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
    path: Path,
    kind: str,
    *,
    org: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    snapshot_date: dt.date | None = None,
    period: int | None = None,
    strict: bool = False,
    stage_map: StageMap | None = None,
) -> Validation:
    """Read and validate ``path`` as dataset ``kind``. KeyError for an unknown kind.

    ``org`` and ``snapshot_date`` fill the file's missing or blank ``org_code`` and
    ``snapshot_date``; ``period`` implies a snapshot date of 31 March of that year when no
    date is given. ``strict`` reports warnings as errors.
    """
    ds = dataset(kind)
    try:
        table = read_table(path, sheet=sheet, header_row=header_row, dataset=ds)
    except ReadError as exc:
        return unreadable(ds, path, exc)
    return validate_table(
        table,
        ds,
        source=path,
        org=org,
        snapshot_date=snapshot_date,
        period=period,
        strict=strict,
        stage_map=stage_map,
    )


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
    snapshot_date: dt.date | None = None,
    period: int | None = None,
    strict: bool = False,
    stage_map: StageMap | None = None,
    earlier: FirstRows | None = None,
) -> Validation:
    """Validate an already-read table (see :func:`validate_file`).

    For one chunk of a longer file (:mod:`ladder.io.stream`) the table carries its rows'
    file numbers, and ``earlier`` gives the first file row of each key in the earlier
    chunks (duplicates across chunks).
    """
    ctx = Context.of(org, snapshot_date, period, strict)
    name = str(source)
    mapping = map_headers(table.headers, ds)
    header = _header_problems(name, table.headers, mapping, ds, ctx, table.header_row)
    n = table.frame.height
    if n == 0:
        header.append(
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
        blocked = _blocked(ds, source, header, n)
        blocked.ignored_columns = mapping.ignored
        blocked.encoding, blocked.file_format = table.encoding, table.format
        blocked.notes = list(table.notes)
        return blocked

    checker = _Checker(name, table, mapping, ds, ctx)
    frame = checker.canonical()
    checker.check_context(frame)
    for rule in ds.rules:
        if all(c in checker.known for c in rule.needs):
            mask = frame.select(rule.violated().fill_null(False)).to_series()
            checker.report(rule.column, mask, rule.code, rule.reason, rule.hint)
    _check_duplicates(ds, frame, checker.known, checker.report, earlier)
    derived = derive(checker.null_warned(frame), ds.name, checker.text.columns, stage_map=stage_map)
    for f in derived.findings:
        checker.report(f.column, f.mask, f.code, f.reason, f.hint)
    frame = derived.frame

    problems = header + checker.problems()
    bad = sorted({r for p in problems if p.is_error for r in p.data_rows})
    return Validation(
        ds.name,
        source,
        problems,
        n,
        frame,
        table.frame,
        table.headers,
        pl.Series(ROW, bad, dtype=pl.Int64),
        ignored_columns=mapping.ignored,
        encoding=table.encoding,
        file_format=table.format,
        notes=list(table.notes),
    )


def _header_problems(
    name: str, headers: list[str], mapping: HeaderMap, ds: Dataset, ctx: Context, at: int
) -> list[Problem]:
    """Columns given twice, and required columns missing (unless the context fills them)."""
    problems = [
        Problem(
            name,
            at,
            headers[position],
            headers[position],
            "duplicate_column",
            f"a second column for {col_name}",
            f"keep one of the columns holding {col_name}",
        )
        for col_name, position in mapping.duplicates
    ]
    for col in ds.columns:
        if (
            not col.required
            or col.name in mapping.columns
            or col.name in derivable(ds.name, mapping.columns)
            or ctx.fill(col.name) is not None
        ):
            continue
        spellings = ", ".join(f"'{a}'" for a in col.aliases[:3])
        also = f" or one of {spellings}" if spellings else ""
        problems.append(
            Problem(
                name,
                at,
                col.name,
                None,
                "missing_column",
                "required column is missing",
                f"add a column headed '{col.name}'{also}" + _context_hint(col.name),
            )
        )
    return problems


def _context_hint(column: str) -> str:
    if column == "org_code":
        return ", or give --org CODE"
    if column == "snapshot_date":
        return ", or give --snapshot-date DATE (or --period YEAR for 31 March)"
    return ""


_PROBLEM_SCHEMA = {
    "row": pl.Int64,
    "position": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "code": pl.String,
    "reason": pl.String,
    "hint": pl.String,
    "name": pl.String,
    "severity": pl.String,
}

_ODS_SHAPE = r"^[A-Za-z0-9]{3,5}$"


class _Checker:
    """Normalises the columns a file has and collects the problems found on its rows."""

    def __init__(
        self, name: str, table: RawTable, mapping: HeaderMap, ds: Dataset, ctx: Context
    ) -> None:
        self.name, self.ds, self.ctx = name, ds, ctx
        self.n = table.frame.height
        self.width = len(table.headers)
        self.position = dict(mapping.columns)
        self.header_of = {col: table.headers[pos] for col, pos in mapping.columns.items()}
        self.raw_of = {col: table.frame.get_column(f"col_{p}") for col, p in self.position.items()}
        self.text = table.frame.select(
            [clean_text(pl.col(f"col_{pos}")).alias(col) for col, pos in self.position.items()]
        )
        self.rows = table.data_rows().alias(ROW)
        filled = {c for c in ds.column_names if ctx.fill(c) is not None}
        self.known = set(self.text.columns) | filled
        self.found: list[pl.DataFrame] = []
        self.grouped: list[Problem] = []

    def severity(self, column: str) -> Severity:
        return self.ctx.severity(self.ds.column(column))

    def report(self, col: str, mask: pl.Series, code: str, reason: str, hint: str) -> None:
        """One problem per row of ``mask`` (in ``col``, headed as the file heads it)."""
        count = int(mask.sum())
        if count == 0:
            return
        value = (
            self.raw_of[col].filter(mask)
            if col in self.raw_of
            else pl.repeat(None, count, dtype=pl.String, eager=True)
        )
        self.found.append(
            pl.DataFrame(
                {
                    "row": self.rows.filter(mask),
                    "position": self.position.get(col, self.width),
                    "column": pl.Series([self.header_of.get(col, col)] * count, dtype=pl.String),
                    "value": value,
                    "code": code,
                    "reason": reason,
                    "hint": hint,
                    "name": col,
                    "severity": self.severity(col),
                },
                schema=_PROBLEM_SCHEMA,
            )
        )

    def canonical(self) -> pl.DataFrame:
        """Every contract column, typed; context fills what the file lacks."""
        columns = [self._column(col) for col in self.ds.columns]
        return pl.DataFrame(columns).with_columns(self.rows)

    def _column(self, col: Column) -> pl.Series:
        fill = self.ctx.fill(col.name)
        if col.name not in self.text.columns:
            values = pl.repeat(fill, self.n, dtype=pl.String, eager=True)
            return normalise_column(values, col.type).values.alias(col.name)
        series = self.text.get_column(col.name)
        blank_fill = self.ctx.fill_blanks(col.name)
        if blank_fill is not None:
            series = series.fill_null(blank_fill)
        reported: set[str] = set()
        if col.name == "org_code":
            series, reported = self._resolve_orgs(series)
        result = normalise_column(series, col.type)
        for raw_value, why in result.refused.items():
            if raw_value not in reported:
                self.report(col.name, series == raw_value, why.code, why.reason, why.hint)
        if col.required:
            self.report(
                col.name,
                series.is_null(),
                "missing_value",
                "required value is blank",
                f"fill in {col.name} on every row" + _context_hint(col.name),
            )
        self._limits(col, result.values)
        return result.values

    def _limits(self, col: Column, values: pl.Series) -> None:
        if col.minimum is not None:
            self.report(
                col.name,
                (values < col.minimum).fill_null(False),
                "negative_value" if col.minimum == 0 else "out_of_range",
                f"must not be below {col.minimum:g}",
                "check the value; amounts are in pounds",
            )
        if col.maximum is not None:
            self.report(
                col.name,
                (values > col.maximum).fill_null(False),
                "out_of_range",
                f"must not be above {col.maximum:g}",
                "check the value",
            )

    def _resolve_orgs(self, series: pl.Series) -> tuple[pl.Series, set[str]]:
        """Trust names (and "CODE Name") → ODS codes; one problem per name not resolved."""
        distinct = series.drop_nulls().unique()
        odd = distinct.filter(~distinct.str.contains(_ODS_SHAPE)).to_list()
        resolved = {raw: resolve_org(raw) for raw in odd}
        codes = {raw: code for raw, code in resolved.items() if code is not None}
        unknown = sorted(raw for raw, code in resolved.items() if code is None)
        for raw in unknown:
            rows = tuple(self.rows.filter(series == raw).to_list())
            self.grouped.append(
                Problem(
                    self.name,
                    rows[0],
                    self.header_of["org_code"],
                    raw,
                    "unknown_org",
                    "not an ODS code or the name of an NHS trust in Ladder's trust list",
                    "write the organisation's ODS code (e.g. R1H), or give --org CODE "
                    "for a file of one organisation",
                    rows=rows,
                )
            )
        return (series.replace(codes) if codes else series), set(unknown)

    def check_context(self, frame: pl.DataFrame) -> None:
        """Rows for another organisation or snapshot date than the command line gave."""
        org, date = self.ctx.org, self.ctx.snapshot_date
        if org is not None and "org_code" in self.text.columns:
            self.report(
                "org_code",
                (frame.get_column("org_code") != org).fill_null(False),
                "wrong_org",
                f"row is for another organisation than {org}",
                "import each organisation's rows with its own --org, or fix the code",
            )
        if self.ctx.explicit_date and date is not None and "snapshot_date" in self.text.columns:
            self.report(
                "snapshot_date",
                (frame.get_column("snapshot_date") != date).fill_null(False),
                "wrong_snapshot_date",
                f"row is for another snapshot date than {date.isoformat()}",
                "import each snapshot with its own --snapshot-date, or fix the date",
            )

    def null_warned(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Values with a warning are stored as not known."""
        if not self.found:
            return frame
        warned = pl.concat(self.found).filter(pl.col("severity") == WARNING)
        for col, rows in warned.group_by("name").agg("row").iter_rows():
            frame = frame.with_columns(
                pl.when(pl.col(ROW).is_in(rows)).then(None).otherwise(pl.col(col)).alias(col)
            )
        return frame

    def problems(self) -> list[Problem]:
        """Every problem in row order (then column order, then the order found)."""
        listed = self.grouped
        if self.found:
            every = pl.concat(self.found).with_row_index("order").sort("row", "position", "order")
            listed = [
                Problem(
                    self.name,
                    r["row"],
                    r["column"],
                    r["value"],
                    r["code"],
                    r["reason"],
                    r["hint"],
                    r["severity"],
                )
                for r in every.iter_rows(named=True)
            ] + self.grouped
        return sorted(listed, key=lambda p: p.row or 0)


Report = Callable[[str, pl.Series, str, str, str], None]
FirstRows = Callable[[pl.DataFrame], pl.Series]
"""Given key columns and ``_row``: each key's first row in earlier chunks (null if none)."""


def _check_duplicates(
    ds: Dataset,
    frame: pl.DataFrame,
    known: set[str],
    report: Report,
    earlier: FirstRows | None = None,
) -> None:
    if not ds.key or not all(k in known or k == "org_code" for k in ds.key):
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
