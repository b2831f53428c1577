"""WRES: the Workforce Race Equality Standard indicators (NHS England technical guidance).

Groups: White (ethnic codes A-C) and BME (D-S); Unknown (Z, not known) is excluded from
every ratio and reported as its own count. Ratios: WRES 2 White ÷ BME; WRES 3 BME ÷ White;
WRES 4 White ÷ BME (METHODS.md).
"""

from __future__ import annotations

import narwhals as nw

from ladder.metrics.builders import likelihood_results, rate_results
from ladder.metrics.context import Context
from ladder.metrics.expressions import BME, WHITE, count_true, ethnic_group, to_polars
from ladder.metrics.registry import indicator
from ladder.metrics.results import Result

GUIDANCE = "NHS England, Workforce Race Equality Standard technical guidance"


@indicator(
    "wres.2",
    "Relative likelihood of White applicants being appointed from shortlisting compared to "
    "BME applicants",
    family="wres",
    needs=("applications",),
    method=f"{GUIDANCE}, indicator 2",
)
def wres_2(ctx: Context) -> list[Result]:
    """Appointed ÷ shortlisted by group, applications in the reporting year."""
    counts = to_polars(
        ctx.frame("applications")
        .filter(nw.col("shortlisted"))
        .with_columns(ethnic_group().alias("group"))
        .group_by("org_code", "period", "group")
        .agg(count_true("appointed").alias("events"), nw.len().alias("total"))
    )
    title = "Appointment from shortlisting"
    method = f"{GUIDANCE}, indicator 2"
    return [
        *rate_results(counts, id="wres.2", title=title, method=method),
        *likelihood_results(
            counts,
            id="wres.2",
            title="Relative likelihood of White applicants being appointed from shortlisting "
            "compared to BME applicants",
            method=method,
            first=WHITE,
            second=BME,
        ),
    ]
