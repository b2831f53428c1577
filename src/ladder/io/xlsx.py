"""Look inside an XLSX workbook before reading it: its sheets, their real extent, merged cells.

An XLSX file is a zip of XML parts. The spreadsheet engine (calamine, through fastexcel)
allocates a dense grid from the first to the last cell holding a value, so a 5 KB file whose
one cell sits at XFD1048576 asks for 17 billion cells (549 GB). This module streams each
sheet's XML (zipfile and regular expressions over decompressed chunks, so memory stays
constant) and refuses a sheet whose extent exceeds the limits below before the engine sees it.

Limits (documented in docs/validation.md, "Limits"):

- at most :data:`MAX_COLUMNS` columns and Excel's own :data:`MAX_ROWS` rows;
- at most :data:`MAX_CELLS` cells in the extent (rows × columns);
- an extent above :data:`SPARSE_FLOOR` cells must be at least 1/:data:`SPARSE_RATIO` filled
  (a stray cell far below or to the right of the table is refused, with its address);
- no part of the workbook may unpack to more than :data:`MAX_PART_BYTES`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from ladder.io.errors import ReadError

MAX_COLUMNS = 1_000
MAX_ROWS = 1_048_576
MAX_CELLS = 50_000_000
SPARSE_FLOOR = 1_000_000
SPARSE_RATIO = 10
MAX_PART_BYTES = 4 << 30
_MAX_SMALL_PART = 64 << 20  # workbook.xml and its relationships
_CHUNK = 1 << 22
_MAX_MERGES = 100_000

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_CELL_ANY = re.compile(rb"<c[\s/>]")
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"')
_ROW_ANY = re.compile(rb"<row[\s/>]")
_MERGE = re.compile(
    rb'<mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"'
)
_HINT_EXTENT = (
    "delete the stray cells outside the table (Ctrl+End in Excel shows the last cell), "
    "or save the sheet as CSV"
)


@dataclass(frozen=True)
class SheetInfo:
    """One worksheet: where its values are (1-based rows and columns; 0 when empty)."""

    name: str
    part: str
    visible: bool
    first_row: int = 0
    last_row: int = 0
    first_col: int = 0
    last_col: int = 0
    values: int = 0
    merges: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def has_data(self) -> bool:
        return self.values > 0

    @property
    def extent(self) -> int:
        if not self.has_data:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """1 → ``A``, 16384 → ``XFD``."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def inspect_workbook(path: Path) -> list[SheetInfo]:
    """Every worksheet of the workbook at ``path``, in workbook order, each checked against
    the limits. Raises :class:`ReadError` for a file that is not an XLSX workbook or a sheet
    that is too large to read safely."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size > MAX_PART_BYTES:
                    raise ReadError(
                        f"part {info.filename} of the workbook unpacks to "
                        f"{info.file_size / 2**30:.1f} GiB (the limit is "
                        f"{MAX_PART_BYTES / 2**30:.0f} GiB)",
                        "save the sheet as CSV",
                    )
            sheets = _sheets(archive)
            return [_scan(archive, sheet) for sheet in sheets]
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ElementTree.ParseError, OSError):
        raise ReadError(
            "not a readable Excel workbook", "open it in Excel and save it as .xlsx or CSV"
        ) from None
    except (RuntimeError, NotImplementedError, EOFError, ValueError):  # encrypted, odd codecs
        raise ReadError(
            "not a readable Excel workbook (encrypted or damaged)",
            "open it in Excel and save it as .xlsx or CSV without a password",
        ) from None


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > _MAX_SMALL_PART:
        raise ReadError(f"part {name} of the workbook is too large", "save the sheet as CSV")
    return ElementTree.fromstring(archive.read(info))


def _sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    """Sheet names and XML parts from xl/workbook.xml and its relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise ReadError(
            "not an Excel workbook (a zip file without xl/workbook.xml)",
            "give an .xlsx file, or save the data as CSV",
        )
    workbook = _small_xml(archive, "xl/workbook.xml")
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
        for rel in rels.iter(f"{_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id", "")] = posixpath.normpath(part)
    sheets = []
    for element in workbook.iter(f"{_MAIN}sheet"):
        part = targets.get(element.get(f"{_REL}id", ""), "")
        if part not in names or "worksheets/" not in part:
            continue  # a chart sheet or a dangling relationship: no cells to read
        visible = element.get("state", "visible") == "visible"
        sheets.append(SheetInfo(element.get("name", ""), part, visible))
    return sheets


def _scan(archive: zipfile.ZipFile, sheet: SheetInfo) -> SheetInfo:
    """Stream the sheet's XML once: the extent of the cells holding values, merged ranges."""
    extent = _Extent()
    merges: list[tuple[int, int, int, int]] = []
    total = 0
    carry = b""
    with archive.open(sheet.part) as stream:
        while True:
            block = stream.read(_CHUNK)
            total += len(block)
            if total > MAX_PART_BYTES:
                raise ReadError(f"sheet '{sheet.name}' is too large to read", "save it as CSV")
            data = carry + block
            if block:
                cut = data.rfind(b">") + 1
                data, carry = data[:cut], data[cut:]
            extent.add(data)
            if len(merges) < _MAX_MERGES and b"<mergeCell " in data:
                for c1, r1, c2, r2 in _MERGE.findall(data):
                    first = (int(r1), column_number(c1))
                    last = (int(r2), column_number(c2)) if c2 else first
                    merges.append((*first, *last))
            if not block:
                break
    if extent.values == 0:
        return sheet
    info = SheetInfo(
        sheet.name,
        sheet.part,
        sheet.visible,
        extent.first_row,
        extent.last_row,
        extent.first_col,
        extent.last_col,
        extent.values,
        tuple(merges),
    )
    _check_limits(info)
    return info


_PREFIX = b'<c r="'


class _Extent:
    """Running first/last row and column of the cells holding a value (not ``<c .../>``).

    Cells written ``<c r="B12" ...>`` (what Excel, LibreOffice and the Python writers do) are
    located with NumPy over the raw bytes; a chunk with other cells (``r`` not first, or no
    ``r`` at all) goes through a regular expression, cells without a position being placed
    by counting, as the engine does.
    """

    def __init__(self) -> None:
        self.first_row = self.first_col = 1 << 30
        self.last_row = self.last_col = 0
        self.values = 0

    def _take(self, cols: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]) -> None:
        if cols.size == 0:
            return
        self.values += int(cols.size)
        self.first_col = min(self.first_col, int(cols.min()))
        self.last_col = max(self.last_col, int(cols.max()))
        self.first_row = min(self.first_row, int(rows.min()))
        self.last_row = max(self.last_row, int(rows.max()))

    def add(self, data: bytes) -> None:
        cols, rows, cells, located = _fast_refs(data)
        if cells == 0:
            return
        if located == cells:
            self._take(cols, rows)
            return
        found = _CELL.findall(data)
        filled = [(column_number(c), int(r)) for c, r, closed in found if not closed]
        self._take(
            np.array([c for c, _ in filled], dtype=np.int64),
            np.array([r for _, r in filled], dtype=np.int64),
        )
        if cells > len(found):  # cells without a position: as wide as their longest row
            widths = [len(_CELL_ANY.findall(seg)) for seg in data.split(b"<row")]
            rows_here = len(_ROW_ANY.findall(data))
            refs = [int(r) for r in _ROW_REF.findall(data)]
            self.values += cells - len(found)
            self.first_row, self.first_col = 1, 1
            self.last_col = max(self.last_col, *widths)
            self.last_row = max(self.last_row + rows_here, *refs, 1)


def _fast_refs(
    data: bytes,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int, int]:
    """Column and row numbers of the ``<c r="...">`` cells in ``data`` that are not empty,
    the number of ``<c>`` elements, and how many of them were located this way."""
    buf = np.frombuffer(data + bytes(16), dtype=np.uint8)
    n = len(data)
    idx = np.flatnonzero(buf[:n] == ord("<"))
    idx = idx[buf[idx + 1] == ord("c")]
    follow = buf[idx + 2]
    idx = idx[(follow == ord(" ")) | (follow == ord(">")) | (follow == ord("/"))]
    cells = int(idx.size)
    for k in range(2, len(_PREFIX)):
        idx = idx[buf[idx + k] == _PREFIX[k]]
    located = int(idx.size)
    closes = np.flatnonzero(buf[:n] == ord(">"))
    if idx.size == 0 or closes.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, cells, located
    ends = closes[np.minimum(np.searchsorted(closes, idx), closes.size - 1)]
    idx = idx[buf[ends - 1] != ord("/")]  # <c r="A1" s="3"/> holds nothing
    start = idx + len(_PREFIX)
    window = sliding_window_view(buf, 10)[start]  # the 10 bytes after each prefix
    letter = (window >= 65) & (window <= 90)
    digit = (window >= 48) & (window <= 57)
    letters = np.argmax(~letter, axis=1)  # the column letters run from 0 to here
    after = np.arange(window.shape[1])[None, :] >= letters[:, None]
    run = np.logical_and.accumulate(digit | ~after, axis=1) & after  # the row digits
    values = window.astype(np.int64)
    cols = np.zeros(idx.size, dtype=np.int64)
    rows = np.zeros(idx.size, dtype=np.int64)
    for j in range(3):
        cols = np.where(j < letters, cols * 26 + values[:, j] - 64, cols)
    for j in range(1, window.shape[1]):
        rows = np.where(run[:, j], rows * 10 + values[:, j] - 48, rows)
    valid = (letters >= 1) & (letters <= 3) & (rows > 0)
    return cols[valid], rows[valid], cells, located


def _check_limits(sheet: SheetInfo) -> None:
    last = f"{column_letters(sheet.last_col)}{sheet.last_row}"
    width = sheet.last_col - sheet.first_col + 1
    where = f"sheet '{sheet.name}'"
    if sheet.last_row > MAX_ROWS:
        raise ReadError(f"{where} has a cell at row {sheet.last_row:,}", _HINT_EXTENT)
    if width > MAX_COLUMNS:
        raise ReadError(
            f"{where} spans {width:,} columns, up to cell {last} (the limit is "
            f"{MAX_COLUMNS:,} columns)",
            _HINT_EXTENT,
        )
    if sheet.extent > MAX_CELLS:
        raise ReadError(
            f"{where} spans {sheet.extent:,} cells, up to cell {last} (the limit is "
            f"{MAX_CELLS:,} cells)",
            "save the sheet as CSV, which has no size limit",
        )
    if sheet.extent > SPARSE_FLOOR and sheet.extent > SPARSE_RATIO * sheet.values:
        raise ReadError(
            f"{where} has {sheet.values:,} values spread over {sheet.extent:,} cells, up to "
            f"cell {last}",
            _HINT_EXTENT,
        )
