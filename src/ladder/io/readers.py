"""Read CSV (UTF-8, UTF-8 with BOM, Windows-1252), XLSX and Parquet into text columns.

Every reader returns the table as strings exactly as the file holds them, so that the
validator sees (and can report) the original value; typing happens in normalisation.
The format is recognised from the file's first bytes, not its name.

Files as they come out of real systems are read as a person would read them: a title block
above the header is skipped (the header is the row naming most of the dataset's columns,
or ``header_row``), totals rows at the bottom are left out, blank rows are skipped, and in a
workbook the sheet holding the data is chosen (or ``sheet``, a name or a 1-based number).
Row numbers stay the file's own: :meth:`RawTable.data_rows` gives each row's spreadsheet
row. Anything that is not a regular file (a named pipe, a device) is refused unread, and a
workbook is measured before it is read (:mod:`ladder.io.xlsx`).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ladder.contract.schema import Dataset
from ladder.io.errors import ReadError
from ladder.io.headers import alias_index
from ladder.io.shape import (
    HEADER_SEARCH_ROWS,
    blank_rows,
    combine_group_headers,
    fill_merges,
    find_header,
    score,
    trailing_totals,
)
from ladder.io.xlsx import SheetInfo, inspect_workbook
from ladder.normalise.text import key

_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class RawTable:
    """A table read from a file: text columns named by position, with the headers as written.

    ``header_row`` is the spreadsheet row of the header (1 unless a title block is above it);
    ``row_numbers`` the spreadsheet row of each data row when they are not consecutive from
    the header (blank rows skipped); ``notes`` say what the reader left out and why.
    """

    frame: pl.DataFrame
    headers: list[str]
    format: str
    encoding: str | None = None
    header_row: int = 1
    row_numbers: pl.Series | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = ()

    def data_rows(self, offset: int = 0) -> pl.Series:
        """The spreadsheet row number of every data row (plus ``offset``), as ``Int64``."""
        if self.row_numbers is not None:
            return (self.row_numbers + offset).cast(pl.Int64).alias("_row")
        start = self.header_row + 1 + offset
        return pl.int_range(start, start + self.frame.height, dtype=pl.Int64, eager=True).alias(
            "_row"
        )


@dataclass(frozen=True)
class _Hints:
    """What the dataset tells the reader: header spellings, and its identifier columns."""

    known: frozenset[str]
    ids: frozenset[str]

    @staticmethod
    def of(ds: Dataset | None) -> _Hints | None:
        if ds is None:
            return None
        index = alias_index(ds)
        ids = {c for c in ds.key if ds.column(c).type_name == "identifier"}
        return _Hints(frozenset(index), frozenset(k for k, name in index.items() if name in ids))


def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    dataset: Dataset | None = None,
) -> RawTable:
    """Read ``path`` as a table of strings. Raises :class:`ReadError` with a reason and a hint.

    ``sheet``: worksheet name or 1-based number (XLSX); ``header_row``: the spreadsheet row
    of the header (default: found from ``dataset``'s column names, else row 1).
    """
    _check_regular(path)
    if header_row is not None and header_row < 1:
        raise ReadError(f"--header-row {header_row} is not a row", "give a row number from 1")
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ReadError(f"cannot open the file ({exc.strerror})", "check its permissions") from None
    if not head.strip():
        raise ReadError("file is empty", "export the data again with a header row and data rows")
    hints = _Hints.of(dataset)
    if head.startswith(_PARQUET_MAGIC):
        return _read_parquet(path)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, sheet, header_row, hints)
    if head.startswith(_OLE_MAGIC):
        raise ReadError("old Excel .xls format is not supported", "save it as .xlsx or CSV")
    return _read_csv(path, head, header_row, hints)


def _check_regular(path: Path) -> None:
    """Refuse what is not a regular file before opening it (a named pipe would block)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ReadError("file not found", "check the path") from None
    except OSError as exc:
        raise ReadError(f"cannot open the file ({exc.strerror})", "check its permissions") from None
    if stat.S_ISDIR(mode):
        raise ReadError("is a folder, not a file", "give the path of a CSV, XLSX or Parquet file")
    if not stat.S_ISREG(mode):
        what = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        raise ReadError(
            f"is {what}, not a regular file",
            "save the data to a CSV, XLSX or Parquet file and give its path",
        )


def _as_text_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast every column to text, positional names col_0..col_n (headers kept separately)."""
    cols = []
    for i, name in enumerate(frame.columns):
        series = frame.get_column(name)
        if series.dtype == pl.Boolean:
            series = series.cast(pl.String).str.replace("true", "Y").str.replace("false", "N")
        elif series.dtype == pl.Datetime or isinstance(series.dtype, pl.Datetime):
            series = series.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00$", "")
        elif series.dtype.is_nested():
            raise ReadError(
                f"column '{name}' holds nested values", "flatten the file to one value per cell"
            )
        else:
            series = series.cast(pl.String)
        cols.append(series.alias(f"col_{i}"))
    return pl.DataFrame(cols) if cols else pl.DataFrame()


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars/pyarrow raise many types for corrupt files
        raise ReadError(
            f"not a readable Parquet file ({type(exc).__name__})",
            "write the file again or export it as CSV",
        ) from None
    return RawTable(_as_text_frame(frame), list(frame.columns), "parquet")


# -- the table below the title block --------------------------------------------------------


def _header_index(
    top: list[list[str | None]], first_row: int, header_row: int | None, hints: _Hints | None
) -> int:
    """0-based index in ``top`` (rows from sheet row ``first_row``) of the header row."""
    if header_row is not None:
        index = header_row - first_row
        if index < 0 or index >= len(top) or not any(c and c.strip() for c in top[index]):
            raise ReadError(
                f"row {header_row} is blank, so it cannot be the header",
                "give --header-row the row number that names the columns",
            )
        return index
    return find_header(top, hints.known) if hints is not None else 0


def _finish(
    data: pl.DataFrame,
    headers: list[str],
    fmt: str,
    *,
    header_row: int,
    encoding: str | None = None,
    sheet: str | None = None,
    notes: list[str],
    hints: _Hints | None,
) -> RawTable:
    """Drop blank rows and totals rows at the bottom; keep every row's spreadsheet number."""
    rows = pl.int_range(header_row + 1, header_row + 1 + data.height, dtype=pl.Int64, eager=True)
    if header_row > 1:
        above = "row 1" if header_row == 2 else f"rows 1-{header_row - 1}"
        notes.append(f"{above} above the header (row {header_row}) not read")
    blank = blank_rows(data)
    ids = [f"col_{i}" for i, h in enumerate(headers) if hints is not None and key(h) in hints.ids]
    totals = trailing_totals(data.filter(~blank), ids) if data.height else 0
    numbered: pl.Series | None = None
    if blank.any():
        skipped = rows.filter(blank)
        numbers = skipped.to_list()
        if len(numbers) < data.height and numbers[-1] < header_row + data.height:
            notes.append(
                f"{len(numbers)} blank {'row' if len(numbers) == 1 else 'rows'} skipped "
                f"(row {', '.join(str(r) for r in numbers[:5])}"
                f"{', …' if len(numbers) > 5 else ''})"
            )
        data, rows = data.filter(~blank), rows.filter(~blank)
        numbered = rows
    if totals:
        cut = data.height - totals
        dropped = rows.slice(cut).to_list()
        label = str(dropped[0]) if len(dropped) == 1 else f"{dropped[0]}-{dropped[-1]}"
        first = next((c for c in data.row(cut) if c is not None and c.strip()), "")
        notes.append(
            f"{'row' if totals == 1 else 'rows'} {label} at the bottom "
            f"{'is a totals row' if totals == 1 else 'are totals rows'} ('{first}'): not read"
        )
        data, rows = data.head(cut), rows.head(cut)
        numbered = rows if numbered is not None else None
    return RawTable(
        data, headers, fmt, encoding, header_row, numbered, sheet=sheet, notes=tuple(notes)
    )


# -- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(
    path: Path, sheet: str | int | None, header_row: int | None, hints: _Hints | None
) -> RawTable:
    sheets = inspect_workbook(path)
    if not sheets:
        raise ReadError("workbook has no sheets", "export the data again")
    notes: list[str] = []
    target = _choose_sheet(path, sheets, sheet, hints, notes)
    if not target.has_data:
        raise ReadError(f"sheet '{target.name}' is empty", _sheet_hint(sheets))
    grid, left = _load_grid(path, target)
    top = [list(r) for r in grid.head(HEADER_SEARCH_ROWS + 1).rows()]
    fill_merges(top, target.merges, target.first_row, left)
    index = _header_index(top, target.first_row, header_row, hints)
    known = hints.known if hints is not None else frozenset()
    header_cells = combine_group_headers(top[index], top[index - 1] if index else None, known)
    headers = ["" if h is None else h.strip() for h in header_cells]
    data = _fill_data_merges(grid.slice(index + 1), target, target.first_row + index + 1, left)
    data = data.with_columns(
        pl.all().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1")
    )  # date cells read as text: no midnight
    if len(sheets) > 1 and sheet is None and not notes:
        notes.append(f"read sheet '{target.name}' (the only one with data)")
    return _finish(
        data,
        headers,
        "xlsx",
        header_row=target.first_row + index,
        sheet=target.name,
        notes=notes,
        hints=hints,
    )


def _sheet_hint(sheets: list[SheetInfo]) -> str:
    listed = ", ".join(
        f"{i}: '{s.name}'" + ("" if s.has_data else " (empty)") + ("" if s.visible else " (hidden)")
        for i, s in enumerate(sheets, start=1)
    )
    return f"choose one with --sheet NAME or --sheet N; the sheets are {listed}"


def _choose_sheet(
    path: Path,
    sheets: list[SheetInfo],
    sheet: str | int | None,
    hints: _Hints | None,
    notes: list[str],
) -> SheetInfo:
    if sheet is not None:
        text = str(sheet).strip()
        for s in sheets:
            if s.name == text:
                return s
        for s in sheets:
            if s.name.strip().casefold() == text.casefold():
                return s
        if text.isdigit():
            number = int(text)
            if 1 <= number <= len(sheets):
                return sheets[number - 1]
        raise ReadError(f"workbook has no sheet '{text}'", _sheet_hint(sheets))
    with_data = [s for s in sheets if s.has_data and s.visible] or [s for s in sheets if s.has_data]
    if not with_data:
        raise ReadError("workbook has no data in any sheet", "export the data again")
    if len(with_data) == 1:
        return with_data[0]
    if hints is not None:
        scores = {}
        for s in with_data:
            top = _load_grid(path, s)[0].head(HEADER_SEARCH_ROWS).rows()
            scores[s.name] = max((score(r, hints.known) for r in top), default=0)
        best = max(scores.values())
        chosen = [s for s in with_data if scores[s.name] == best]
        if best >= 2 and len(chosen) == 1:
            notes.append(
                f"read sheet '{chosen[0].name}', the only sheet whose header names the "
                "dataset's columns (choose another with --sheet)"
            )
            return chosen[0]
    names = ", ".join(f"'{s.name}'" for s in with_data)
    raise ReadError(
        f"workbook has {len(with_data)} sheets with data ({names})", _sheet_hint(sheets)
    )


def _load_grid(path: Path, sheet: SheetInfo) -> tuple[pl.DataFrame, int]:
    """The sheet's cells as text, one column per sheet column from its first used column
    (returned too, 1-based), rows from its first used row."""
    try:
        import fastexcel

        loaded = fastexcel.read_excel(str(path)).load_sheet(
            sheet.name, header_row=None, dtypes="string", whitespace_as_null=True
        )
        positions = [c.absolute_index for c in loaded.available_columns()]
        frame = pl.DataFrame(loaded.to_arrow())
    except Exception as exc:
        raise ReadError(
            f"not a readable Excel workbook ({type(exc).__name__})",
            "open it in Excel and save it as .xlsx or CSV",
        ) from None
    first = min(positions, default=0)
    width = (max(positions) + 1 - first) if positions else 0
    by_position = dict(zip(positions, frame.columns, strict=True))
    grid = pl.DataFrame(
        [
            (
                frame.get_column(by_position[first + i]).cast(pl.String)
                if first + i in by_position
                else pl.repeat(None, frame.height, dtype=pl.String, eager=True)
            ).alias(f"col_{i}")
            for i in range(width)
        ]
    )
    return grid, first + 1


def _fill_data_merges(data: pl.DataFrame, sheet: SheetInfo, top: int, left: int) -> pl.DataFrame:
    """Cells of merged ranges below the header take the range's top-left value."""
    merges = [
        (r1, c1 - left, r2, c2 - left + 1)
        for r1, c1, r2, c2 in sheet.merges
        if r2 >= top and (r2 > r1 or c2 > c1) and c1 >= left
    ]
    if not merges or data.height == 0:
        return data
    columns = {j for _, j0, _, j1 in merges for j in range(j0, min(j1, data.width))}
    lists = {j: data.get_column(f"col_{j}").to_list() for j in sorted(columns)}
    for r1, j0, r2, j1 in merges:
        i0 = r1 - top
        if not 0 <= i0 < data.height or j0 not in lists:
            continue
        value = lists[j0][i0]
        for j in range(j0, min(j1, data.width)):
            cells = lists[j]
            for i in range(i0, min(r2 - top + 1, data.height)):
                if cells[i] is None:
                    cells[i] = value
    return data.with_columns(
        pl.Series(f"col_{j}", values, dtype=pl.String) for j, values in lists.items()
    )


# -- CSV ------------------------------------------------------------------------------------


def _detect_encoding(path: Path, head: bytes) -> str:
    """utf-8-sig when the file decodes as UTF-8 (with or without BOM), else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 24):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        raise ReadError(
            "text is neither UTF-8 nor Windows-1252", "save the file as CSV UTF-8 from Excel"
        ) from None
    return "cp1252"


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter of the first line when it has one twice, else of the line with most."""

    def best(line: str) -> tuple[str, int]:
        counts = {d: line.count(d) for d in _DELIMITERS}
        d = max(counts, key=lambda d: counts[d])
        return d, counts[d]

    first = best(lines[0]) if lines else (",", 0)
    if first[1] >= 2 or len(lines) <= 1:
        return first[0] if first[1] > 0 else ","
    d, n = max((best(line) for line in lines[:HEADER_SEARCH_ROWS]), key=lambda b: b[1])
    return d if n > 0 else ","


@dataclass(frozen=True)
class _CsvLayout:
    """How a CSV file is laid out: its text encoding, delimiter and header (0-based index)."""

    encoding: str
    delimiter: str
    index: int
    headers: list[str]

    def options(self) -> dict[str, Any]:
        """Polars' CSV options for this layout (whole-file read and chunked scan alike)."""
        return {
            "has_header": True,
            "skip_rows": self.index,
            "infer_schema": False,
            "separator": self.delimiter,
            "encoding": "utf8",
            "raise_if_empty": False,
            "new_columns": [f"col_{i}" for i in range(len(self.headers))],
        }

    def utf8(self, path: Path, tmp: str) -> Path:
        """``path``, or a UTF-8 copy of it in ``tmp`` when it is Windows-1252."""
        if self.encoding != "cp1252":
            return path
        target = Path(tmp) / "utf8.csv"
        _transcode(path, target)
        return target


def _csv_layout(
    path: Path, head: bytes, header_row: int | None, hints: _Hints | None
) -> _CsvLayout:
    """Encoding, delimiter and the header row (found below a title block, or ``header_row``)."""
    if b"\x00" in head:
        raise ReadError(
            "file looks binary, not a CSV text file", "give a CSV, XLSX or Parquet file"
        )
    encoding = _detect_encoding(path, head)
    text_head = head.decode(encoding, errors="ignore")
    lines = text_head.splitlines()
    delimiter = _sniff_delimiter(
        lines if header_row is None else lines[header_row - 1 : header_row]
    )
    try:
        records = list(
            itertools.islice(
                csv.reader(io.StringIO(text_head), delimiter=delimiter), HEADER_SEARCH_ROWS + 1
            )
        )
    except csv.Error:
        records = []
    if not records:
        raise ReadError("cannot read the header row", "the first row must name the columns")
    top: list[list[str | None]] = [list(r) for r in records]
    index = _header_index(top, 1, header_row, hints)
    return _CsvLayout(encoding, delimiter, index, records[index])


def _read_csv(path: Path, head: bytes, header_row: int | None, hints: _Hints | None) -> RawTable:
    layout = _csv_layout(path, head, header_row, hints)
    encoding, delimiter, index, headers = (
        layout.encoding,
        layout.delimiter,
        layout.index,
        layout.headers,
    )
    with tempfile.TemporaryDirectory(prefix="ladder-") as tmp:
        try:
            frame = pl.read_csv(layout.utf8(path, tmp), **layout.options())
        except Exception:
            raise _diagnose_csv(path, encoding, delimiter, len(headers), index) from None
    if frame.width != len(headers):
        raise _diagnose_csv(path, encoding, delimiter, len(headers), index)
    return _finish(
        frame, headers, "csv", header_row=index + 1, encoding=encoding, notes=[], hints=hints
    )


def _transcode(source: Path, target: Path) -> None:
    with (
        source.open("r", encoding="cp1252", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        while chunk := src.read(1 << 22):
            dst.write(chunk)


def _diagnose_csv(
    path: Path, encoding: str, delimiter: str, width: int, header_index: int = 0
) -> ReadError:
    """Find the first malformed record with the standard library to name its row."""
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            for number, record in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                if number > header_index + 1 and len(record) > width:
                    return ReadError(
                        f"row has {len(record)} cells but the header has {width}",
                        "check for an unquoted delimiter in a value, or a missing header",
                        row=number,
                    )
    except csv.Error as exc:
        return ReadError(f"malformed CSV ({exc})", "check quoting around values")
    return ReadError("malformed CSV", "check quoting and that every row has the header's cells")


# -- reading in chunks (streaming validation, see ladder.io.stream) ---------------------


@dataclass
class Chunks:
    """A CSV or Parquet file opened for reading in chunks of rows.

    ``tables`` yields :class:`RawTable` chunks in file order, at least one (an empty one when
    the file has no data rows), each with its rows' spreadsheet numbers. A CSV is read as
    :func:`read_table` reads it: the header found below a title block, blank rows skipped
    and totals rows at the bottom left out (``notes`` says so once the file has been read).
    Iterating can raise :class:`ReadError` for a malformed row further down the file.
    """

    headers: list[str]
    format: str
    tables: Iterator[RawTable]
    encoding: str | None = None
    total_rows: int | None = None  # known for Parquet (from its metadata)
    notes: list[str] = field(default_factory=list)


def open_chunks(path: Path, *, chunk_rows: int, dataset: Dataset | None = None) -> Chunks | None:
    """Open ``path`` to read ``chunk_rows`` rows at a time; None for an XLSX workbook.

    Workbooks are bounded in size (Excel's own limit) and read whole with :func:`read_table`.
    Raises :class:`ReadError`, as :func:`read_table` does, for a file that cannot be opened.
    """
    _check_regular(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ReadError(f"cannot open the file ({exc.strerror})", "check its permissions") from None
    if not head.strip():
        raise ReadError("file is empty", "export the data again with a header row and data rows")
    if head.startswith(_ZIP_MAGIC):
        return None
    if head.startswith(_PARQUET_MAGIC):
        return _parquet_chunks(path, chunk_rows)
    if head.startswith(_OLE_MAGIC):
        raise ReadError("old Excel .xls format is not supported", "save it as .xlsx or CSV")
    return _csv_chunks(path, head, chunk_rows, _Hints.of(dataset))


def _parquet_error(exc: Exception) -> ReadError:
    return ReadError(
        f"not a readable Parquet file ({type(exc).__name__})",
        "write the file again or export it as CSV",
    )


def _parquet_chunks(path: Path, chunk_rows: int) -> Chunks:
    try:
        scan = pl.scan_parquet(path)
        schema = scan.collect_schema()
        total = int(scan.select(pl.len()).collect().item())
    except Exception as exc:  # polars raises many types for corrupt files
        raise _parquet_error(exc) from None
    headers = list(schema)

    def tables() -> Iterator[RawTable]:
        given, start = False, 2
        try:
            for frame in scan.collect_batches(chunk_size=chunk_rows):
                if frame.height:
                    given = True
                    rows = pl.int_range(start, start + frame.height, dtype=pl.Int64, eager=True)
                    start += frame.height
                    yield RawTable(_as_text_frame(frame), headers, "parquet", row_numbers=rows)
        except ReadError:
            raise
        except Exception as exc:
            raise _parquet_error(exc) from None
        if not given:
            yield RawTable(_as_text_frame(pl.DataFrame(schema=schema)), headers, "parquet")

    return Chunks(headers, "parquet", tables(), total_rows=total)


def _csv_chunks(path: Path, head: bytes, chunk_rows: int, hints: _Hints | None) -> Chunks:
    """As :func:`_read_csv`, with the same header search and parser options, in batches."""
    layout = _csv_layout(path, head, None, hints)
    encoding, delimiter, index, headers = (
        layout.encoding,
        layout.delimiter,
        layout.index,
        layout.headers,
    )
    header_row = index + 1
    names = [f"col_{i}" for i in range(len(headers))]
    ids = [f"col_{i}" for i, h in enumerate(headers) if hints is not None and key(h) in hints.ids]
    notes: list[str] = []
    if header_row > 1:
        above = "row 1" if header_row == 2 else f"rows 1-{header_row - 1}"
        notes.append(f"{above} above the header (row {header_row}) not read")

    def tables() -> Iterator[RawTable]:
        with tempfile.TemporaryDirectory(prefix="ladder-") as tmp:
            scan = pl.scan_csv(layout.utf8(path, tmp), **layout.options())
            start = header_row + 1
            blanks: list[int] = []
            pending: RawTable | None = None
            try:
                for frame in scan.collect_batches(chunk_size=chunk_rows):
                    if frame.width != len(headers):
                        raise _diagnose_csv(path, encoding, delimiter, len(headers), index)
                    rows = pl.int_range(start, start + frame.height, dtype=pl.Int64, eager=True)
                    start += frame.height
                    blank = blank_rows(frame) if frame.height else None
                    if blank is not None and blank.any():
                        blanks.extend(rows.filter(blank).to_list())
                        frame, rows = frame.filter(~blank), rows.filter(~blank)
                    if not frame.height:
                        continue
                    if pending is not None:
                        yield pending
                    pending = RawTable(frame, headers, "csv", encoding, header_row, rows)
            except ReadError:
                raise
            except Exception:
                raise _diagnose_csv(path, encoding, delimiter, len(headers), index) from None
            last = int(pending.data_rows()[-1]) if pending is not None else header_row
            inside = [r for r in blanks if r < last]  # as read_table: trailing blanks unsaid
            if inside:
                notes.append(
                    f"{len(inside)} blank {'row' if len(inside) == 1 else 'rows'} skipped "
                    f"(row {', '.join(str(r) for r in inside[:5])}"
                    f"{', …' if len(inside) > 5 else ''})"
                )
            if pending is None:
                empty = pl.DataFrame(schema=dict.fromkeys(names, pl.String))
                yield RawTable(empty, headers, "csv", encoding, header_row)
                return
            yield _without_totals(pending, ids, notes)

    return Chunks(headers, "csv", tables(), encoding, notes=notes)


def _without_totals(table: RawTable, ids: list[str], notes: list[str]) -> RawTable:
    """The last chunk without the totals rows at its bottom (the file's bottom)."""
    totals = trailing_totals(table.frame, ids) if table.frame.height else 0
    if not totals:
        return table
    cut = table.frame.height - totals
    rows = table.data_rows()
    dropped = rows.slice(cut).to_list()
    label = str(dropped[0]) if len(dropped) == 1 else f"{dropped[0]}-{dropped[-1]}"
    first = next((c for c in table.frame.row(cut) if c is not None and c.strip()), "")
    notes.append(
        f"{'row' if totals == 1 else 'rows'} {label} at the bottom "
        f"{'is a totals row' if totals == 1 else 'are totals rows'} ('{first}'): not read"
    )
    return RawTable(
        table.frame.head(cut),
        table.headers,
        table.format,
        table.encoding,
        table.header_row,
        rows.head(cut),
    )


__all__ = ["Chunks", "RawTable", "ReadError", "open_chunks", "read_table"]
