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


def primary(results: Iterable[Result], threshold: int) -> list[Result]:
    """Withhold every figure that publishes a small count."""
    out = []
    for r in results:
        if not r.suppressed and any(is_small(c, threshold) for c in r.counts()):
            r = r.suppress(f"a count below {threshold}")
        out.append(r)
    return out


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


def secondary(results: list[Result]) -> list[Result]:
    """Withhold complementary cells so no withheld table cell can be derived from totals."""
    out = list(results)
    tables: dict[tuple[str, str, int, str], list[int]] = defaultdict(list)
    for i, r in enumerate(out):
        if r.measure in TABLE_MEASURES:
            tables[(r.id, r.org, r.period, str(r.measure))].append(i)
    for members in tables.values():
        changed = True
        while changed:
            changed = False
            axes = {axis for i in members for axis in _coordinates(out[i])}
            for axis in sorted(axes):
                lines: dict[tuple[tuple[str, str], ...], list[int]] = defaultdict(list)
                for i in members:
                    coords = _coordinates(out[i])
                    rest = tuple(sorted((k, v) for k, v in coords.items() if k != axis))
                    lines[rest].append(i)
                for line in lines.values():
                    hidden = [i for i in line if out[i].suppressed]
                    shown = [i for i in line if not out[i].suppressed]
                    if len(hidden) == 1 and shown:
                        pick = min(shown, key=lambda i: _complement_rank(out[i], i))
                        out[pick] = out[pick].suppress(
                            "withheld so a smaller cell cannot be derived from totals"
                        )
                        changed = True
    return out


def apply(results: list[Result], threshold: int) -> list[Result]:
    """Primary then secondary suppression."""
    return secondary(primary(results, threshold))
