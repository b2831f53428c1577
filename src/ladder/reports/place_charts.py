"""Charts of the neighbourhood view: a dot map of the catchment and the counts beside it.

The map plots every LSOA of the catchment at its centroid, coloured by national IMD 2019
decile, with the listed (most deprived) neighbourhoods ringed; no base map is drawn, so the
report stays offline. Counts withheld by suppression are never plotted.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from ladder.metrics.neighbourhoods import NeighbourhoodView, count_text, count_value
from ladder.place.neighbourhoods import KIND_LABELS
from ladder.reports.charts import Figure, _data, _figure

DECILE_COLOURS = (
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
)
"""National decile 1 (most deprived, dark purple) … 10 (least deprived, yellow): viridis,
readable in greyscale and by people with colour-vision deficiencies."""
MAX_BARS = 15


def neighbourhood_map(view: NeighbourhoodView) -> Figure | None:
    """Dot map of the catchment's LSOAs by national decile, the listed ones ringed."""
    points = view.map.drop_nulls(["lon", "lat", "imd_decile"])
    if points.is_empty():
        return None
    listed = {r.lsoa21 for r in view.rows}
    values = [
        {
            "lon": float(p["lon"]),
            "lat": float(p["lat"]),
            "decile": int(p["imd_decile"]),
            "listed": p["lsoa21"] in listed,
        }
        for p in points.iter_rows(named=True)
    ]
    scale = alt.Scale(domain=list(range(1, 11)), range=list(DECILE_COLOURS))
    base = alt.Chart(_data(values)).project(type="mercator")
    dots = base.mark_circle(size=18, opacity=0.9).encode(
        longitude="lon:Q",
        latitude="lat:Q",
        color=alt.Color(
            "decile:O",
            scale=scale,
            legend=alt.Legend(
                title="National IMD 2019 decile (1 = most deprived 10%)",
                orient="bottom",
                titleLimit=400,
            ),
        ),
    )
    rings = (
        base.transform_filter("datum.listed")
        .mark_circle(size=110, fill=None, stroke="#d5281b", strokeWidth=1.5)
        .encode(longitude="lon:Q", latitude="lat:Q")
    )
    chart = alt.layer(dots, rings).properties(width=420, height=420)
    by_decile = (
        view.map.drop_nulls("imd_decile")
        .group_by("imd_decile")
        .agg(pl.len().alias("lsoas"))
        .sort("imd_decile")
    )
    rows = [[str(d), f"{n:,}"] for d, n in by_decile.iter_rows()]
    title = f"Neighbourhoods of the catchment by national deprivation decile: {view.org}"
    alt_text = (
        f"Dot map of the {view.catchment_lsoas:,} neighbourhoods (LSOAs) of the catchment "
        f"({view.catchment}), each at its centroid and coloured by its national IMD 2019 "
        f"decile; the {len(view.rows):,} in the most deprived {view.percent}% nationally are "
        "ringed. The table gives the number of neighbourhoods in each decile."
    )
    return _figure(chart, title, alt_text, ["National decile", "Neighbourhoods"], rows)


def neighbourhood_counts(view: NeighbourhoodView, threshold: int) -> Figure | None:
    """Staff, applications and participants from each of the most deprived neighbourhoods."""
    if not view.rows or not view.kinds:
        return None
    shown = view.rows[:MAX_BARS]
    values: list[dict[str, Any]] = []
    for r in shown:
        for kind in view.kinds:
            count = count_value(r.counts.get(kind))
            if count is not None:
                values.append(
                    {"lsoa": f"{r.name} ({r.lsoa21})", "kind": KIND_LABELS[kind], "count": count}
                )
    order = [f"{r.name} ({r.lsoa21})" for r in shown]
    chart = (
        alt.Chart(_data(values))
        .mark_bar(color="#005eb8")
        .encode(
            x=alt.X("count:Q", title="People"),
            y=alt.Y("lsoa:N", sort=order, title=None),
            column=alt.Column("kind:N", title=None, sort=[KIND_LABELS[k] for k in view.kinds]),
        )
        .properties(width=130, height=max(60, 16 * len(shown)))
    )
    rows = [
        [f"{r.name} ({r.lsoa21})", *(count_text(r.counts.get(k), threshold) for k in view.kinds)]
        for r in shown
    ]
    more = len(view.rows) - len(shown)
    title = f"People from the most deprived {view.percent}% of neighbourhoods: {view.org}"
    alt_text = (
        f"Bar charts of how many {', '.join(KIND_LABELS[k].lower() for k in view.kinds)} live "
        f"in each of the {len(shown)} most deprived neighbourhoods of the catchment"
        + (f" (the other {more} are in the table and the workbook)" if more else "")
        + ". Withheld counts are not drawn (disclosure control: see the notes)."
    )
    headers = ["Neighbourhood", *(KIND_LABELS[k] for k in view.kinds)]
    return _figure(chart, title, alt_text, headers, rows)
