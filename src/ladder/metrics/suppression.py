"""Small-number suppression, primary and secondary (statistical disclosure control).

Primary: a figure is withheld when any count it publishes (numerator, denominator, or those
of its reference group) is from 1 to ``threshold`` − 1. Zero is published: a rate of 0 out
of 250 discloses nothing about an individual that the denominator does not.

Secondary: figures that are cells of a table (``Measure.SHARE``, ``Measure.COUNT`` and
``Measure.DIFFERENCE``; e.g. representation of each ethnic group in each pay band, or the
board-versus-workforce difference of each group) add up to published totals, so a lone
withheld cell in a row or column could be recovered by subtraction. Along every line of
such a table (all cells that differ in one coordinate only), whenever exactly one cell is
withheld the smallest other non-zero published cell is withheld too (a withheld zero
protects nothing), until no line has exactly one.
Every coordinate is treated as additive, which is conservative: a line with no published
total (e.g. one band across the WRES clusters) may lose a cell it could have kept.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import polars as pl

from ladder.metrics.results import VALUE_FLAGS, Measure, Result

TABLE_MEASURES = {Measure.SHARE, Measure.COUNT, Measure.DIFFERENCE}


def is_small(count: float, threshold: int) -> bool:
    """A count that must not be published: 1 ≤ count < threshold."""
    return 0 < count < threshold


SECONDARY_REASON = "withheld so a smaller cell cannot be derived from totals"

Line = list[int]
"""Positions (within one table) of the cells of one line."""


def _publishes_small(r: Result, threshold: int) -> bool:
    """True when any count of ``r`` (see :meth:`Result.counts`) is small."""
    return any(
        c is not None and 0 < c < threshold
        for c in (r.numerator, r.denominator, r.reference_numerator, r.reference_denominator)
    )


def primary(results: Iterable[Result], threshold: int) -> list[Result]:
    """Withhold every figure that publishes a small count."""
    reason = f"a count below {threshold}"
    return [
        r.suppress(reason) if not r.suppressed and _publishes_small(r, threshold) else r
        for r in results
    ]


def _coordinates(r: Result) -> dict[str, str]:
    return _cell_coordinates(r.breakdown, r.group)


def _cell_coordinates(
    breakdown: Iterable[tuple[str, str]] | dict[str, str], group: str | None
) -> dict[str, str]:
    coords = dict(breakdown)
    coords["group"] = group or ""
    return coords


def _complement_rank(count: float | None, index: int) -> tuple[int, float, int]:
    """Order in which to pick a complementary cell: the smallest non-zero count first.

    A withheld zero protects nothing (counts cannot be negative, so the other withheld cell
    is still recovered exactly); zeros are picked only when nothing else is left.
    """
    count = count or 0.0
    return (1 if count == 0 else 0, count, index)


def _lines(coords: list[dict[str, str]]) -> list[Line]:
    """Every line of a table: axis by axis (sorted by name), lines in order of first cell.

    A line along an axis holds the cells whose other coordinates are all equal (a cell
    without an axis differs from every cell that has it).
    """
    axes = sorted({axis for c in coords for axis in c})
    rows = [tuple(c.get(axis) for axis in axes) for c in coords]
    lines: list[Line] = []
    for k in range(len(axes)):
        by_rest: dict[tuple[str | None, ...], Line] = {}
        for pos, row in enumerate(rows):
            by_rest.setdefault(row[:k] + row[k + 1 :], []).append(pos)
        lines.extend(by_rest.values())
    return lines


def _complements(
    coords: list[dict[str, str]], counts: list[float | None], withheld: list[bool]
) -> list[int]:
    """Positions of the cells of one table to withhold as complements, in the order picked.

    ``coords``, ``counts`` (numerators) and ``withheld`` describe each cell. Lines are swept in
    a fixed order until no line has exactly one withheld cell; ties between equal counts go
    to the earlier cell (see :func:`_complement_rank`).
    """
    if not any(withheld):
        return []
    return _sweep(_Layout(_lines(coords), len(coords)), counts, withheld)


class _Layout:
    """What :func:`_sweep` needs of a table's shape: its lines that can need a complement
    (more than one cell), in order, and for each cell the lines it lies on. Tables of the
    same cells (one per organisation and period) share it."""

    def __init__(self, lines: list[Line], cells: int) -> None:
        self.lines = [line for line in lines if len(line) > 1]
        self.on: list[list[int]] = [[] for _ in range(cells)]
        for i, line in enumerate(self.lines):
            for p in line:
                self.on[p].append(i)


def _sweep(layout: _Layout, counts: list[float | None], withheld: list[bool]) -> list[int]:
    """:func:`_complements` on a table's layout: the lines swept in order, again until a
    sweep picks nothing; each line's number of withheld cells is kept as cells are picked."""
    hidden = list(withheld)
    lines, on = layout.lines, layout.on
    withheld_on = [sum(hidden[p] for p in line) for line in lines]
    picked: list[int] = []
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if withheld_on[i] == 1:
                pick = min(
                    (p for p in line if not hidden[p]),
                    key=lambda p: _complement_rank(counts[p], p),
                )
                hidden[pick] = True
                picked.append(pick)
                for j in on[pick]:
                    withheld_on[j] += 1
                changed = True
    return picked


def secondary(results: list[Result]) -> list[Result]:
    """Withhold complementary cells so no withheld table cell can be derived from totals."""
    out = list(results)
    tables: dict[tuple[str, str, int, str], list[int]] = defaultdict(list)
    for i, r in enumerate(out):
        if r.measure in TABLE_MEASURES:
            tables[(r.id, r.org, r.period, str(r.measure))].append(i)
    for members in tables.values():
        cells = [out[i] for i in members]
        picks = _complements(
            [_coordinates(r) for r in cells],
            [r.numerator for r in cells],
            [r.suppressed for r in cells],
        )
        for pos in picks:
            i = members[pos]
            out[i] = out[i].suppress(SECONDARY_REASON)
    return out


def apply(results: list[Result], threshold: int) -> list[Result]:
    """Primary then secondary suppression."""
    return secondary(primary(results, threshold))


# --- The same, column-wise, on a results frame (:data:`ladder.metrics.table.RESULT_SCHEMA`)

_NUMBERS = (
    "value",
    "numerator",
    "denominator",
    "reference_numerator",
    "reference_denominator",
    "ci_lower",
    "ci_upper",
)
_COUNTS = ("numerator", "denominator", "reference_numerator", "reference_denominator")
_TABLE_KEY = ("id", "org", "period", "measure")


_DROPPED_FLAGS = sorted(VALUE_FLAGS)


def _withhold(frame: pl.DataFrame, mask: np.ndarray, reason: str) -> pl.DataFrame:
    """:meth:`Result.suppress` on the rows where ``mask`` (one boolean per row) holds; the
    frame itself when it holds nowhere."""
    return _withhold_each(frame, [(mask, reason)])


def _withhold_each(frame: pl.DataFrame, withheld: list[tuple[np.ndarray, str]]) -> pl.DataFrame:
    """:func:`_withhold` of several (mask, reason) pairs whose masks share no row, in one
    query (one query a step costs more than a small table)."""
    withheld = [(mask, reason) for mask, reason in withheld if mask.any()]
    if not withheld:
        return frame
    union = np.logical_or.reduce([mask for mask, _ in withheld])
    hide = pl.lit(pl.Series("_mask", union, dtype=pl.Boolean))
    schema = frame.schema
    kept_flags = pl.col("flags").list.eval(pl.element().filter(~pl.element().is_in(_DROPPED_FLAGS)))
    reason: pl.Expr = pl.lit(withheld[-1][1])
    for mask, text in reversed(withheld[:-1]):
        reason = (
            pl.when(pl.lit(pl.Series("_m", mask, dtype=pl.Boolean)))
            .then(pl.lit(text))
            .otherwise(reason)
        )
    note = (
        pl.when(pl.col("note").is_null())
        .then(reason)
        .otherwise(pl.col("note") + pl.lit("; ") + reason)
    )
    return frame.with_columns(
        *(pl.when(hide).then(None).otherwise(pl.col(c)).cast(schema[c]).alias(c) for c in _NUMBERS),
        pl.when(hide).then(True).otherwise(pl.col("suppressed")).alias("suppressed"),
        pl.when(hide)
        .then(pl.concat_list(kept_flags, pl.lit("suppressed")))
        .otherwise(pl.col("flags"))
        .cast(schema["flags"])
        .alias("flags"),
        pl.when(hide).then(note).otherwise(pl.col("note")).cast(schema["note"]).alias("note"),
    )


def primary_frame(frame: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """:func:`primary` on a results frame (which rows publish a small count is worked out
    on the counts as arrays)."""
    return _withhold(frame, _small_counts(frame, threshold), _primary_reason(threshold))


def _primary_reason(threshold: int) -> str:
    return f"a count below {threshold}"


def _small_counts(frame: pl.DataFrame, threshold: int) -> np.ndarray:
    """The rows :func:`primary` withholds: shown, publishing a count from 1 to ``threshold`` - 1."""
    suppressed = frame["suppressed"]
    shown = ~(suppressed.fill_null(True) if suppressed.null_count() else suppressed).to_numpy()
    publishes = np.zeros(frame.height, dtype=bool)
    with np.errstate(invalid="ignore"):
        for c in _COUNTS:
            counts = frame[c].to_numpy()  # nulls as NaN: never small
            publishes |= (counts > 0) & (counts < threshold)
    return shown & publishes


def secondary_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`secondary` on a results frame (:func:`_complements_frame`)."""
    mask = _complements_frame(frame, frame["suppressed"])
    return frame if mask is None else _withhold(frame, mask, SECONDARY_REASON)


def _complements_frame(frame: pl.DataFrame, suppressed: pl.Series) -> np.ndarray | None:
    """The rows :func:`secondary` withholds in ``frame`` whose rows ``suppressed`` marks
    withheld (None: none); the numerators of withheld rows are not read. Only the tables
    with a withheld cell are read into Python, table by table (its cells' rows, numerators,
    whether withheld, and their coordinates as JSON text: each distinct cell decoded once)."""
    if not suppressed.any():  # nothing withheld: no complement to find
        return None
    is_table = pl.col("measure").is_in(sorted(str(m) for m in TABLE_MEASURES))
    tables = (
        frame.lazy()
        .select(*_TABLE_KEY, "group", "breakdown", "numerator", suppressed.alias("suppressed"))
        .with_row_index("_row")
        .filter(is_table)
        .group_by(list(_TABLE_KEY), maintain_order=True)
        .agg(
            "_row",
            pl.struct("group", "breakdown").struct.json_encode().alias("_cell"),
            "numerator",
            "suppressed",
        )
        .filter(pl.col("suppressed").list.any())
        .select("_row", "_cell", "numerator", "suppressed")
        .collect(engine="in-memory")  # a small table: the streaming set-up costs more
        .rows()
    )
    cells: dict[str, dict[str, str]] = {}
    layouts: dict[tuple[str, ...], _Layout] = {}
    picked: list[int] = []
    for rows, codes, counts, withheld in tables:
        shape = tuple(codes)
        layout = layouts.get(shape)
        if layout is None:
            for code in codes:
                if code not in cells:
                    cell = json.loads(code)
                    cells[code] = _cell_coordinates(
                        ((item["name"], item["value"]) for item in cell["breakdown"] or ()),
                        cell["group"],
                    )
            layout = layouts[shape] = _Layout(_lines([cells[c] for c in codes]), len(codes))
        picked.extend(rows[k] for k in _sweep(layout, counts, withheld))
    if not picked:
        return None
    mask = np.zeros(frame.height, dtype=bool)
    mask[picked] = True
    return mask


def apply_frame(frame: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """:func:`apply` on a results frame, column by column: the same figures withheld, for the
    same reasons, as :func:`apply` on the frame's :class:`Result` objects. The complements
    are found on the rows withheld after the primary step and both steps withheld in one
    query."""
    small = _small_counts(frame, threshold)
    suppressed = frame["suppressed"] | pl.Series(small, dtype=pl.Boolean)
    complements = _complements_frame(frame, suppressed)
    withheld = [(small, _primary_reason(threshold))]
    if complements is not None:
        withheld.append((complements, SECONDARY_REASON))
    return _withhold_each(frame, withheld)
