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

from collections import defaultdict
from collections.abc import Iterable

from ladder.metrics.results import Measure, Result

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
    coords = dict(r.breakdown)
    coords["group"] = r.group or ""
    return coords


def _complement_rank(r: Result, index: int) -> tuple[int, float, int]:
    """Order in which to pick a complementary cell: the smallest non-zero count first.

    A withheld zero protects nothing (counts cannot be negative, so the other withheld cell
    is still recovered exactly); zeros are picked only when nothing else is left.
    """
    count = r.numerator or 0.0
    return (1 if count == 0 else 0, count, index)


def _lines(cells: list[Result]) -> list[Line]:
    """Every line of a table: axis by axis (sorted by name), lines in order of first cell.

    A line along an axis holds the cells whose other coordinates are all equal (a cell
    without an axis differs from every cell that has it).
    """
    coords = [_coordinates(r) for r in cells]
    axes = sorted({axis for c in coords for axis in c})
    rows = [tuple(c.get(axis) for axis in axes) for c in coords]
    lines: list[Line] = []
    for k in range(len(axes)):
        by_rest: dict[tuple[str | None, ...], Line] = {}
        for pos, row in enumerate(rows):
            by_rest.setdefault(row[:k] + row[k + 1 :], []).append(pos)
        lines.extend(by_rest.values())
    return lines


def _complements(cells: list[Result]) -> list[int]:
    """Positions of the cells of one table to withhold as complements, in the order picked.

    Lines are swept in a fixed order until no line has exactly one withheld cell; ties
    between equal counts go to the earlier cell (see :func:`_complement_rank`).
    """
    hidden = [r.suppressed for r in cells]
    if not any(hidden):
        return []
    lines = _lines(cells)
    picked: list[int] = []
    changed = True
    while changed:
        changed = False
        for line in lines:
            if len(line) > 1 and sum(hidden[p] for p in line) == 1:
                pick = min(
                    (p for p in line if not hidden[p]),
                    key=lambda p: _complement_rank(cells[p], p),
                )
                hidden[pick] = True
                picked.append(pick)
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
        for pos in _complements(cells):
            i = members[pos]
            out[i] = out[i].suppress(SECONDARY_REASON)
    return out


def apply(results: list[Result], threshold: int) -> list[Result]:
    """Primary then secondary suppression."""
    return secondary(primary(results, threshold))
