"""Find the table inside a sheet as exported: the header row below a title block, headers
written across merged cells, and the totals rows at the bottom.

Works on plain rows of text (the first rows of a CSV or XLSX sheet) and on a text frame; the
readers call it, knowing nothing of a dataset beyond the header spellings it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import polars as pl

from ladder.normalise.text import key

HEADER_SEARCH_ROWS = 50
"""A title block above the header is looked for in this many first rows."""

_TOTAL = re.compile(
    r"^\s*(?:grand\s+|sub[\s-]?)?totals?\b|^\s*(?:sum|count|average|mean|median)\s*:?\s*$",
    re.IGNORECASE,
)
_NUMBER = r"^\s*[£$€]?\s*[-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?\s*%?\s*$"


def score(cells: Sequence[str | None], known: Collection[str]) -> int:
    """How many distinct known column spellings a row holds."""
    return len({key(c) for c in cells if c and key(c) in known})


def find_header(rows: Sequence[Sequence[str | None]], known: Collection[str]) -> int:
    """0-based index of the header row: the row naming most known columns (the first such),
    among the first :data:`HEADER_SEARCH_ROWS`; 0 when no row names any."""
    best, best_score = 0, 0
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        s = score(cells, known)
        if s > best_score:
            best, best_score = i, s
    return best


def combine_group_headers(
    header: list[str | None], above: Sequence[str | None] | None, known: Collection[str]
) -> list[str | None]:
    """Headers under a group heading merged across columns (``Pay`` over ``Hourly``,
    ``Bonus``): a sub-heading that is not a known column name is joined with the heading
    above it when that makes one (``Hourly Pay`` or ``Pay Hourly``)."""
    if above is None:
        return header
    out = list(header)
    for i, cell in enumerate(header):
        group = above[i] if i < len(above) else None
        if not group or not cell or key(cell) in known or group == cell:
            continue
        for joined in (f"{cell} {group}", f"{group} {cell}"):
            if key(joined) in known:
                out[i] = joined
                break
    return out


def fill_merges(
    grid: list[list[str | None]],
    merges: Sequence[tuple[int, int, int, int]],
    top: int,
    left: int,
) -> None:
    """Give every cell of a merged range its top-left value, in place.

    ``grid`` holds rows from sheet row ``top`` and columns from sheet column ``left``
    (1-based); ranges are ``(row1, col1, row2, col2)`` in sheet coordinates.
    """
    height = len(grid)
    width = len(grid[0]) if grid else 0
    for r1, c1, r2, c2 in merges:
        i0, j0 = r1 - top, c1 - left
        if not (0 <= i0 < height and 0 <= j0 < width):
            continue
        value = grid[i0][j0]
        if value is None:
            continue
        for i in range(i0, min(r2 - top + 1, height)):
            row = grid[i]
            for j in range(max(j0, 0), min(c2 - left + 1, width)):
                if row[j] is None:
                    row[j] = value


def trailing_totals(frame: pl.DataFrame, id_columns: Sequence[str]) -> int:
    """How many rows at the bottom of ``frame`` (text columns) are totals, not records.

    From the last row up: a row whose first filled cell says Total, Grand total, Sum,
    Count or Average; or a row with its identifier blank and only numbers in it.
    """
    if frame.height == 0 or frame.width == 0:
        return 0
    tail = frame.tail(min(frame.height, 20))
    count, totals = 0, 0
    for cells in reversed(tail.rows()):
        filled = [c for c in cells if c is not None and c.strip()]
        if not filled:  # spaces only: dropped with the totals below it, if any
            count += 1
            continue
        named = bool(_TOTAL.match(filled[0]))
        ids = [cells[frame.columns.index(c)] for c in id_columns if c in frame.columns]
        sums = bool(ids) and all(v is None or not v.strip() for v in ids)
        sums = sums and all(re.match(_NUMBER, c) for c in filled)
        if not (named or sums):
            break
        count += 1
        totals = count
    return totals


def blank_rows(frame: pl.DataFrame) -> pl.Series:
    """True for rows with no value in any cell (readers give empty cells as null)."""
    if frame.width == 0:
        return pl.Series([], dtype=pl.Boolean)
    return frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
