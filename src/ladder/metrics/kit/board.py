"""The board against the workforce (WRES 9, WDES 10): percentage-point differences by group."""

from __future__ import annotations

from ladder.metrics.context import Context
from ladder.metrics.expressions import (
    count_true,
    to_polars,
)
from ladder.metrics.kit.groupings import Grouping, march
from ladder.metrics.kit.workforce import WORKFORCE_NOTE, is_non_executive, snapshot
from ladder.metrics.results import Measure, Result, Unit

KEYS = ("org_code", "period")


MEMBERSHIPS: dict[str, str] = {
    "board": "is_board_member",
    "voting": "is_voting_member",
    "executive": "is_executive",
}
"""Board membership reported by WRES 9 / WDES 10 → the staff column that marks it."""


def board_difference(
    ctx: Context, grouping: Grouping, *, id: str, title: str, method: str
) -> list[Result]:
    """Board % of each group minus workforce % of the group, in percentage points.

    Shares include the Unknown group in their denominators (they add up to 100). Reported
    for all board members, voting members and executive members, wherever the membership
    has at least one person. Board and workforce are complete counts, not samples, and
    overlap (executives are staff), so no confidence interval is given.
    """
    counts = to_polars(
        snapshot(ctx)
        .with_columns(grouping.expr().alias("group"))
        .group_by(*KEYS, "group")
        .agg(
            count_true(~is_non_executive()).alias("workforce"),
            *[count_true(column).alias(name) for name, column in MEMBERSHIPS.items()],
        )
    )
    out: list[Result] = []
    for (org, period), part in counts.sort(*KEYS).group_by(*KEYS, maintain_order=True):
        org_code, year = str(org), int(str(period))
        rows = {row["group"]: row for row in part.iter_rows(named=True)}
        staff_total = int(part["workforce"].sum())
        for membership in MEMBERSHIPS:
            members = int(part[membership].sum())
            if members == 0 or staff_total == 0:
                continue
            for group in grouping.groups:
                row = rows.get(group)
                b = int(row[membership]) if row else 0
                w = int(row["workforce"]) if row else 0
                out.append(
                    Result(
                        id=id,
                        title=title,
                        org=org_code,
                        period=year,
                        measure=Measure.DIFFERENCE,
                        unit=Unit.PERCENTAGE_POINTS,
                        value=100.0 * b / members - 100.0 * w / staff_total,
                        method=method,
                        group=group,
                        breakdown={"membership": membership},
                        numerator=b,
                        denominator=members,
                        reference_numerator=w,
                        reference_denominator=staff_total,
                        note=(
                            f"{membership} members % minus workforce % at {march(year)}; "
                            f"{WORKFORCE_NOTE.format(date=march(year))}"
                        ),
                    )
                )
    return out
