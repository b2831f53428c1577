"""Read CSV (UTF-8, UTF-8 with BOM, Windows-1252), XLSX and Parquet into text columns.

Every reader returns the table as strings exactly as the file holds them, so that the
validator sees (and can report) the original value; typing happens in normalisation.
The format is recognised from the file's first bytes, not its name.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ladder.io.errors import ReadError

_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class RawTable:
    """A table read from a file: text columns named by position, with the headers as written."""

    frame: pl.DataFrame
    headers: list[str]
    format: str
    encoding: str | None = None


def read_table(path: Path, *, sheet: str | None = None) -> RawTable:
    """Read ``path`` as a table of strings. Raises :class:`ReadError` with a reason and a hint."""
    if not path.exists():
        raise ReadError("file not found", "check the path")
    if path.is_dir():
        raise ReadError("is a folder, not a file", "give the path of a CSV, XLSX or Parquet file")
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ReadError(f"cannot open the file ({exc.strerror})", "check its permissions") from None
    if not head.strip():
        raise ReadError("file is empty", "export the data again with a header row and data rows")
    if head.startswith(_PARQUET_MAGIC):
        return _read_parquet(path)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, sheet)
    if head.startswith(_OLE_MAGIC):
        raise ReadError("old Excel .xls format is not supported", "save it as .xlsx or CSV")
    return _read_csv(path, head)


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


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    try:
        import fastexcel

        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        if not names:
            raise ReadError("workbook has no sheets", "export the data again")
        if sheet is not None and sheet not in names:
            raise ReadError(f"workbook has no sheet '{sheet}'", f"use one of: {', '.join(names)}")
        target = sheet if sheet is not None else names[0]
        loaded = reader.load_sheet(target, dtypes="string")
        frame = pl.DataFrame(loaded.to_arrow())
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(
            f"not a readable Excel workbook ({type(exc).__name__})",
            "open it in Excel and save it as .xlsx or CSV",
        ) from None
    headers = [str(h) for h in frame.columns]
    frame = frame.select(pl.all().cast(pl.String))
    text = _as_text_frame(frame)
    # A fully empty trailing row is an Excel artefact, not data.
    text = text.filter(~pl.all_horizontal(pl.all().is_null())) if text.width else text
    return RawTable(text, headers, "xlsx")


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


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path, head: bytes) -> RawTable:
    if b"\x00" in head:
        raise ReadError(
            "file looks binary, not a CSV text file", "give a CSV, XLSX or Parquet file"
        )
    encoding = _detect_encoding(path, head)
    text_head = head.decode(encoding, errors="ignore")
    lines = text_head.splitlines()
    delimiter = _sniff_delimiter(lines[0] if lines else "")
    try:
        headers = next(csv.reader(io.StringIO(text_head), delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise ReadError(
            "cannot read the header row", "the first row must name the columns"
        ) from None
    source: Path | bytes = path
    with tempfile.TemporaryDirectory(prefix="ladder-") as tmp:
        if encoding == "cp1252":
            source = Path(tmp) / "utf8.csv"
            _transcode(path, source)
        try:
            frame = pl.read_csv(
                source,
                has_header=True,
                infer_schema=False,
                separator=delimiter,
                encoding="utf8",
                raise_if_empty=False,
                new_columns=[f"col_{i}" for i in range(len(headers))],
            )
        except Exception:
            raise _diagnose_csv(path, encoding, delimiter, len(headers)) from None
    if frame.width != len(headers):
        raise _diagnose_csv(path, encoding, delimiter, len(headers))
    return RawTable(frame, headers, "csv", encoding)


def _transcode(source: Path, target: Path) -> None:
    with (
        source.open("r", encoding="cp1252", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        while chunk := src.read(1 << 22):
            dst.write(chunk)


def _diagnose_csv(path: Path, encoding: str, delimiter: str, width: int) -> ReadError:
    """Find the first malformed record with the standard library to name its row."""
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            for number, record in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                if len(record) > width:
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

    ``frames`` yields text frames named ``col_0..col_n`` like :attr:`RawTable.frame`, in file
    order, at least one (an empty frame when the file has no data rows). Iterating it can
    raise :class:`ReadError` for a malformed row further down the file.
    """

    headers: list[str]
    format: str
    frames: Iterator[pl.DataFrame]
    encoding: str | None = None
    total_rows: int | None = None  # known for Parquet (from its metadata)

    def table(self, frame: pl.DataFrame) -> RawTable:
        """One chunk as a :class:`RawTable`."""
        return RawTable(frame, self.headers, self.format, self.encoding)


def open_chunks(path: Path, *, chunk_rows: int) -> Chunks | None:
    """Open ``path`` to read ``chunk_rows`` rows at a time; None for an XLSX workbook.

    Workbooks are bounded in size (Excel's own limit) and read whole with :func:`read_table`.
    Raises :class:`ReadError`, as :func:`read_table` does, for a file that cannot be opened.
    """
    if not path.exists():
        raise ReadError("file not found", "check the path")
    if path.is_dir():
        raise ReadError("is a folder, not a file", "give the path of a CSV, XLSX or Parquet file")
    if not path.is_file():
        raise ReadError("is not a regular file", "give the path of a CSV, XLSX or Parquet file")
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
    return _csv_chunks(path, head, chunk_rows)


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

    def frames() -> Iterator[pl.DataFrame]:
        given = False
        try:
            for frame in scan.collect_batches(chunk_size=chunk_rows):
                if frame.height:
                    given = True
                    yield _as_text_frame(frame)
        except ReadError:
            raise
        except Exception as exc:
            raise _parquet_error(exc) from None
        if not given:
            yield _as_text_frame(pl.DataFrame(schema=schema))

    return Chunks(list(schema), "parquet", frames(), total_rows=total)


def _csv_chunks(path: Path, head: bytes, chunk_rows: int) -> Chunks:
    """As :func:`_read_csv`, with the same parser options, a batch of rows at a time."""
    if b"\x00" in head:
        raise ReadError(
            "file looks binary, not a CSV text file", "give a CSV, XLSX or Parquet file"
        )
    encoding = _detect_encoding(path, head)
    text_head = head.decode(encoding, errors="ignore")
    lines = text_head.splitlines()
    delimiter = _sniff_delimiter(lines[0] if lines else "")
    try:
        headers = next(csv.reader(io.StringIO(text_head), delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise ReadError(
            "cannot read the header row", "the first row must name the columns"
        ) from None
    names = [f"col_{i}" for i in range(len(headers))]

    def frames() -> Iterator[pl.DataFrame]:
        with tempfile.TemporaryDirectory(prefix="ladder-") as tmp:
            source = path
            if encoding == "cp1252":
                source = Path(tmp) / "utf8.csv"
                _transcode(path, source)
            scan = pl.scan_csv(
                source,
                has_header=True,
                infer_schema=False,
                separator=delimiter,
                encoding="utf8",
                raise_if_empty=False,
                new_columns=names,
            )
            given = False
            try:
                for frame in scan.collect_batches(chunk_size=chunk_rows):
                    if frame.width != len(headers):
                        raise _diagnose_csv(path, encoding, delimiter, len(headers))
                    if frame.height:
                        given = True
                        yield frame
            except ReadError:
                raise
            except Exception:
                raise _diagnose_csv(path, encoding, delimiter, len(headers)) from None
            if not given:
                yield pl.DataFrame(schema=dict.fromkeys(names, pl.String))

    return Chunks(headers, "csv", frames(), encoding)
