"""Whether the matching serves every group alike, for people who chose to give their
characteristics: the share with at least one match and with a good one, per group, with
Wilson intervals; each group's likelihood of a good match against everyone else's (log
method); then the indicator engine's suppression (small numbers withheld, threshold 10)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ladder.metrics import suppression
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.stats import relative_likelihood, wilson

GOOD_SCORE = 0.5
"""A match scoring at least this is 'good' (docs/matching.md, the score)."""

ID = "careers.fairness"


@dataclass(frozen=True)
class GroupCount:
    """People of one group of one characteristic: how many used it, got a match, a good one."""

    dimension: str
    group: str
    uses: int
    matched: int
    good: int


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def fairness_results(
    counts: Iterable[GroupCount], *, org: str = "*", period: int = 0, threshold: int = 10
) -> list[Result]:
    """The fairness figures as indicator results (suppressed)."""
    by_dim: dict[str, list[GroupCount]] = {}
    for c in counts:
        by_dim.setdefault(c.dimension, []).append(c)
    out: list[Result] = []
    for dim, groups in sorted(by_dim.items()):
        total_uses = sum(g.uses for g in groups)
        total_good = sum(g.good for g in groups)
        for g in sorted(groups, key=lambda x: x.group):
            for what, events, title in (
                ("matched", g.matched, "People given at least one match"),
                ("good", g.good, "People given a good match"),
            ):
                ci = wilson(events, g.uses)
                out.append(
                    Result(
                        id=f"{ID}.{what}",
                        title=title,
                        org=org,
                        period=period,
                        measure=Measure.RATE,
                        unit=Unit.PERCENT,
                        value=_pct(ci.value),
                        method="share of uses, Wilson 95% interval",
                        group=g.group,
                        breakdown={"characteristic": dim},
                        numerator=events,
                        denominator=g.uses,
                        ci_lower=_pct(ci.lower),
                        ci_upper=_pct(ci.upper),
                    )
                )
            rest_uses, rest_good = total_uses - g.uses, total_good - g.good
            rl = relative_likelihood(g.good, g.uses, rest_good, rest_uses)
            flags = (
                ("no_evidence_of_difference",) if rl.value is not None and rl.contains_one else ()
            )
            out.append(
                Result(
                    id=f"{ID}.good_likelihood",
                    title="Likelihood of a good match, this group against the others",
                    org=org,
                    period=period,
                    measure=Measure.RELATIVE_LIKELIHOOD,
                    unit=Unit.RATIO,
                    value=None if rl.value is None else round(rl.value, 3),
                    method="relative likelihood, log method 95% interval",
                    group=f"{g.group}:others",
                    breakdown={"characteristic": dim},
                    numerator=g.good,
                    denominator=g.uses,
                    reference_numerator=rest_good,
                    reference_denominator=rest_uses,
                    ci_lower=None if rl.lower is None else round(rl.lower, 3),
                    ci_upper=None if rl.upper is None else round(rl.upper, 3),
                    flags=flags,
                )
            )
    return suppression.apply(out, threshold)


def counts_from_uses(
    uses: Sequence[tuple[dict[str, str], bool, bool]],
) -> list[GroupCount]:
    """Group counts from (characteristics, matched, good) of many uses (e.g. a batch run)."""
    totals: dict[tuple[str, str], list[int]] = {}
    for chars, matched, good in uses:
        for dim, group in chars.items():
            entry = totals.setdefault((dim, group), [0, 0, 0])
            entry[0] += 1
            entry[1] += int(matched)
            entry[2] += int(good)
    return [GroupCount(d, g, *c) for (d, g), c in sorted(totals.items())]
