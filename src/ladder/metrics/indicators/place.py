"""Place: deprivation cuts and anchor-institution indicators (method: docs/methods/place.md).

- ``place.appointment``: appointment from shortlisting by national IMD quintile of the home
  area (``Measure.RATE``), and the relative likelihood of applicants from the least deprived
  quintile being appointed compared with the most deprived (``Q5:Q1``, WRES 2 direction).
- ``place.deprived_staff`` / ``place.deprived_starters`` / ``place.deprived_appointed``: the
  share of the workforce, of new starters (start date in the period's 12 months) and of
  appointed applicants living in the most deprived decile and quintile nationally, by pay
  band and over all bands (``Measure.SHARE``), each with ``<id>.catchment``: the share minus
  the share of the trust's catchment population living there (``Measure.DIFFERENCE``, pp).
- ``place.local_staff``: the share of the workforce living in the trust's local authorities.
- ``place.disciplinary``: WRES indicator 3 (entering the formal disciplinary process) by IMD
  quintile, and the relative likelihood Q1:Q5 (leavers have no home area: Unknown).
- ``place.training``: WRES indicator 4 (access to non-mandatory training and CPD) by IMD
  quintile, and the relative likelihood Q5:Q1.
- ``place.neighbourhoods.{staff,applications,participants}``: how many current staff,
  applications of the period and participants engaged in the period live in each of the most
  deprived 10% (or 1%) of neighbourhoods nationally within the catchment, and in all of them
  (``lsoa21`` = ``all``); ``Measure.COUNT`` (suppressed as a table along the LSOAs).

Shares are among the people whose home area is known (found in the shipped lookup); the
unmatched are counted in the note.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl

from ladder.codes import PAY_BANDS
from ladder.engines import EngineName
from ladder.metrics import stats
from ladder.metrics.builders import (
    NO_EVIDENCE,
    frame_of,
    join_notes,
    likelihood_results,
    rate_results,
)
from ladder.metrics.context import Context
from ladder.metrics.enrichment import (
    PLACE_KEYS,
    SMALL,
    application_deciles,
    application_homes,
    application_places,
    area_homes,
    coarse_counts,
    decoded,
    enriched,
    homes,
    place_columns,
    place_lookup,
    small_query,
)
from ladder.metrics.expressions import to_polars
from ladder.metrics.kit import (
    Grouping,
    entering_process,
    training_access,
    workforce,
)
from ladder.metrics.kit import likelihoods as wres_likelihoods
from ladder.metrics.kit import rates as wres_rates
from ladder.metrics.kit.groupings import Native
from ladder.metrics.kit.workforce import STAFF_AREA_KEYS, staff_areas, staff_frame
from ladder.metrics.neighbourhoods import ID as NEIGHBOURHOODS
from ladder.metrics.registry import Produced, Wording, indicator
from ladder.metrics.results import Measure, Result, Unit, evolve
from ladder.metrics.table import as_frame, combine
from ladder.place.catchment import (
    DECILE,
    QUINTILE,
    Catchment,
    catchment_share,
    default_catchment,
    local_areas,
)
from ladder.place.enrich import (
    DEPRIVATION_GROUPS,
    LEAST_DEPRIVED,
    MOST_DEPRIVED,
    QUINTILE_LABELS,
    UNKNOWN,
    deprivation_group,
)
from ladder.place.neighbourhoods import KIND_LABELS, priority_lsoas
from ladder.place.neighbourhoods import KINDS as NEIGHBOURHOOD_KINDS

DOC = "Ladder docs/methods/place.md"
ALL = "all"
LOCAL = "local"
KEYS = ("org_code", "period")


def _method(section: str) -> str:
    return f"{DOC}, '{section}'"


# --- Shares by pay band ---------------------------------------------------------------------


def _place_workforce(ctx: Context) -> nw.LazyFrame[Any]:
    """The workforce with its home area's place columns: enriched once per run and kept (the
    staff place figures, training and the disciplinary process by deprivation read it)."""
    return place_columns(ctx, workforce(ctx))


BANDS = ("org_code", "period", "pay_band")
PLACES = {"applicants": ("imd_decile",), "staff": ("imd_decile", "local_authority")}
"""The place columns each population's figures read (the applicants' local authority: none)."""
FLAGS = {"applicants": ("shortlisted", "appointed"), "staff": ("starter",)}


def _staff_places(ctx: Context) -> pl.DataFrame:
    """The workforce counted by :data:`PLACE_KEYS` and ``starter`` (start date in the
    period's 12 months): one engine query per run, shared by the staff place figures."""

    def compute() -> pl.DataFrame:
        if ctx.engine is EngineName.polars:
            return decoded(ctx, staff_areas(ctx), STAFF_AREA_KEYS)
        return to_polars(
            staff_frame(_place_workforce(ctx))
            .group_by(*PLACE_KEYS, "starter")
            .agg(nw.len().alias("count"))
        )

    return ctx.memo("place.staff_places", compute)


def _coarse(ctx: Context, who: str) -> pl.DataFrame:
    """``applicants`` (applications) or ``staff`` counted by :data:`BANDS`, their place
    columns (:data:`PLACES`) and their flags (:data:`FLAGS`): the small table every share by
    pay band starts from, once per run (on Polars, only the applicants the figures read: the
    shortlisted or appointed)."""

    def compute() -> pl.DataFrame:
        if ctx.engine is EngineName.polars:
            if who == "applicants":
                return application_deciles(ctx)
            return coarse_counts(ctx, staff_areas(ctx), (*BANDS, *FLAGS[who]))
        table = application_places(ctx) if who == "applicants" else _staff_places(ctx)
        return table.group_by(*BANDS, *PLACES[who], *FLAGS[who]).agg(pl.col("count").sum())

    return ctx.memo(f"place.coarse.{who}", compute)


def _with_all(counts: pl.LazyFrame) -> pl.LazyFrame:
    """``counts`` and ``counts`` again with ``pay_band`` = ``all``."""
    whole = counts.with_columns(pl.lit(ALL).alias("pay_band"))
    return pl.concat([counts, whole])


def deprived_lines(table: pl.DataFrame, keep: pl.Expr | None = None) -> pl.DataFrame:
    """From a table of counts with ``imd_decile`` (rows where ``keep``): by org, period and
    pay band (and all bands), how many live in the most deprived decile and quintile
    (``group``, ``events``) of the ``total`` whose decile is known. One small query."""
    known = table.lazy().filter(pl.col("imd_decile").is_not_null())
    if keep is not None:
        known = known.filter(keep)
    by_line = (
        _with_all(known)
        .group_by(*KEYS, "pay_band")
        .agg(
            (pl.col("count") * (pl.col("imd_decile") == 1)).sum().alias(DECILE),
            (pl.col("count") * (pl.col("imd_decile") <= 2)).sum().alias(QUINTILE),
            pl.col("count").sum().alias("total"),
        )
    )
    return small_query(
        by_line.unpivot(
            on=[DECILE, QUINTILE],
            index=[*KEYS, "pay_band", "total"],
            variable_name="group",
            value_name="events",
        )
    )


def _order(r: Result) -> tuple[Any, ...]:
    band = r.breakdown.get("pay_band", "")
    rank = PAY_BANDS.index(band) if band in PAY_BANDS else len(PAY_BANDS)
    return (r.org, r.period, band == ALL, rank, band, r.group or "")


def deprived_results(table: pl.DataFrame, *, id: str, title: str, note: str | None) -> list[Result]:
    """Shares in the most deprived decile and quintile (``table``: :func:`deprived_lines`),
    and their catchment differences."""
    if table.is_empty():
        return []
    method = _method("Living in the most deprived areas")
    shares = rate_results(
        table,
        id=id,
        title=title,
        method=method,
        measure=Measure.SHARE,
        breakdown=["pay_band"],
        note=note,
    )
    differences: list[Result] = []
    for r in shares:
        local = catchment_share(r.org, r.group or "")
        if local is None:
            continue
        interval = stats.wilson(int(r.numerator or 0), int(r.denominator or 0))

        def pp(x: float | None, local: float = local) -> float | None:
            return None if x is None else 100.0 * x - local

        low, high = pp(interval.lower), pp(interval.upper)
        flags = (NO_EVIDENCE,) if low is None or high is None or low <= 0.0 <= high else ()
        text = f"catchment population {local:.1f}% ({r.group}, IMD 2019; Census 2021 population)"
        differences.append(
            evolve(
                r,
                id=f"{id}.catchment",
                title=f"{title}: against the catchment population",
                measure=Measure.DIFFERENCE,
                unit=Unit.PERCENTAGE_POINTS,
                value=pp(interval.value),
                ci_lower=low,
                ci_upper=high,
                flags=flags if interval.value is not None else (),
                method=_method("Against the catchment population"),
                note=join_notes(text, r.note),
            )
        )
    return sorted(shares, key=_order) + sorted(differences, key=_order)


def _register_deprived(id: str, title: str, who: str, needs: str) -> None:
    @indicator(
        id,
        title,
        family="place",
        needs=(needs,),
        method=_method("Living in the most deprived areas"),
        ids=(id, f"{id}.catchment"),
    )
    def compute(ctx: Context) -> list[Result]:
        return deprived_results(
            _population(ctx, who),
            id=id,
            title=title,
            note=place_lookup(ctx).note(needs),
        )


def _population(ctx: Context, who: str) -> pl.DataFrame:
    if who == "applicants":
        return deprived_lines(_coarse(ctx, "applicants"), pl.col("appointed"))
    if who == "starters":
        return deprived_lines(_coarse(ctx, "staff"), pl.col("starter"))
    return deprived_lines(_coarse(ctx, "staff"))


_register_deprived(
    "place.deprived_staff",
    "Staff living in the most deprived areas nationally, by pay band",
    "staff",
    "staff",
)
_register_deprived(
    "place.deprived_starters",
    "New starters living in the most deprived areas nationally, by pay band",
    "starters",
    "staff",
)
_register_deprived(
    "place.deprived_appointed",
    "Appointed applicants living in the most deprived areas nationally, by pay band",
    "applicants",
    "applications",
)


@indicator(
    "place.local_staff",
    "Staff living in the trust's local authorities, by pay band",
    family="place",
    needs=("staff",),
    method=_method("Living locally"),
)
def local_staff(ctx: Context) -> list[Result]:
    table = _coarse(ctx, "staff")
    orgs = table.get_column("org_code").unique().to_list()
    pairs = [(o, la) for o in orgs for la in sorted(local_areas(o))]
    areas = pl.DataFrame(
        {
            "org_code": [o for o, _ in pairs],
            "local_authority": [la for _, la in pairs],
            "is_local": [True] * len(pairs),
        },
        schema={"org_code": pl.String, "local_authority": pl.String, "is_local": pl.Boolean},
    )
    known = table.lazy().filter(pl.col("local_authority").is_not_null())
    lines = small_query(
        _with_all(known)
        .join(areas.lazy(), on=["org_code", "local_authority"], how="left")
        .group_by(*KEYS, "pay_band")
        .agg(
            (pl.col("count") * pl.col("is_local").fill_null(False)).sum().alias("events"),
            pl.col("count").sum().alias("total"),
        )
        .filter(pl.col("org_code").is_in(list({o for o in orgs if local_areas(o)})))
        .with_columns(pl.lit(LOCAL).alias("group"))
    )
    if lines.is_empty():
        return []
    note = join_notes(
        "local: the catchment's local authorities holding at least 5% of its population "
        "(the trust's own local authority when it has no published catchment)",
        place_lookup(ctx).note("staff"),
    )
    results = rate_results(
        lines,
        id="place.local_staff",
        title="Staff living locally",
        method=_method("Living locally"),
        measure=Measure.SHARE,
        breakdown=["pay_band"],
        note=note,
    )
    return sorted(results, key=_order)


# --- Deprivation cut of appointment from shortlisting ---------------------------------------


@indicator(
    "place.appointment",
    "Relative likelihood of applicants from the least deprived quintile being appointed from "
    "shortlisting compared to the most deprived quintile",
    family="place",
    needs=("applications",),
    method=_method("Appointment from shortlisting by deprivation"),
    wording=Wording("applicants", likely="be appointed from shortlisting"),
)
def appointment(ctx: Context) -> list[Result]:
    quintile = (pl.col("imd_decile") + 1) // 2  # as the lookup derives imd_quintile
    group = quintile.replace_strict(
        list(QUINTILE_LABELS), list(QUINTILE_LABELS.values()), default=UNKNOWN
    )
    counts = small_query(
        _coarse(ctx, "applicants")
        .lazy()
        .filter(pl.col("shortlisted"))
        .with_columns(group.alias("group"))
        .group_by("org_code", "period", "group")
        .agg(
            pl.col("count").filter(pl.col("appointed")).sum().alias("events"),
            pl.col("count").sum().alias("total"),
        )
    )
    if counts.is_empty():
        return []
    method = _method("Appointment from shortlisting by deprivation")
    note = place_lookup(ctx).note("applications")
    rates = rate_results(
        counts,
        id="place.appointment",
        title="Appointment from shortlisting by deprivation",
        method=method,
        note=note,
    )
    ratios = likelihood_results(
        counts,
        id="place.appointment",
        title="Relative likelihood of applicants from the least deprived quintile being "
        "appointed from shortlisting compared to the most deprived quintile",
        method=method,
        first=LEAST_DEPRIVED,
        second=MOST_DEPRIVED,
        note=note,
    )
    return [*rates, *ratios]


@indicator(
    "place.training",
    "Relative likelihood of staff from the least deprived quintile accessing non-mandatory "
    "training and CPD compared to the most deprived quintile",
    family="place",
    needs=("staff", "training"),
    method=_method("Training and CPD by deprivation"),
    wording=Wording("staff", likely="access non-mandatory training and CPD"),
)
def training(ctx: Context) -> Produced:
    """WRES indicator 4's measure with home-area deprivation quintiles for groups."""
    staff = _place_workforce(ctx).with_columns(deprivation_group().alias("group"))
    counts, notes = training_access(ctx, staff)
    if counts.is_empty():
        return []
    unmatched = place_lookup(ctx).note("staff")
    notes = {key: join_notes(note, unmatched) or note for key, note in notes.items()}
    method = _method("Training and CPD by deprivation")
    return combine(
        wres_rates(
            counts,
            id="place.training",
            title="Staff accessing non-mandatory training and CPD by deprivation (% of headcount)",
            method=method,
            notes=notes,
        ),
        wres_likelihoods(
            counts,
            id="place.training",
            title="Relative likelihood of staff from the least deprived quintile accessing "
            "non-mandatory training and CPD compared to the most deprived quintile",
            method=method,
            first=LEAST_DEPRIVED,
            second=MOST_DEPRIVED,
            what="staff accessing non-mandatory training or CPD",
            notes=notes,
        ),
    )


def _deprivation_label(column: str = "imd_quintile") -> pl.Expr:
    """:func:`ladder.place.enrich.deprivation_group` in native Polars (the kit's fast paths
    label with it; a test checks it equal)."""
    quintile = pl.col(column)
    return quintile.replace_strict(QUINTILE_LABELS, default=UNKNOWN, return_dtype=pl.String)


DEPRIVATION = Grouping(
    name="deprivation quintile",
    column="imd_quintile",
    groups=DEPRIVATION_GROUPS,
    of=deprivation_group,
    aggregate_filter=lambda: nw.lit(False),
    aggregate=lambda: nw.lit(UNKNOWN),
    focus=MOST_DEPRIVED,
    reference=LEAST_DEPRIVED,
    respondent=lambda: nw.lit(UNKNOWN),
    respondent_columns=(),
    native=Native(
        of=_deprivation_label,
        aggregate_filter=lambda: pl.lit(False),
        aggregate=lambda: pl.lit(UNKNOWN),
        respondent=lambda: pl.lit(UNKNOWN),
    ),
)
"""Home-area deprivation quintile as a WRES-style grouping (staff records only: no survey)."""


@indicator(
    "place.disciplinary",
    "Relative likelihood of staff from the most deprived quintile entering the formal "
    "disciplinary process compared to the least deprived quintile",
    family="place",
    needs=("staff", "cases"),
    method=_method("Disciplinary process by deprivation"),
    wording=Wording("staff", likely="enter the formal disciplinary process"),
)
def disciplinary(ctx: Context) -> Produced:
    """WRES indicator 3's measure with home-area deprivation quintiles for groups."""
    results = entering_process(
        ctx,
        DEPRIVATION,
        cases=nw.col("case_type") == "disciplinary",
        years=ctx.settings.disciplinary_years,
        first=MOST_DEPRIVED,
        second=LEAST_DEPRIVED,
        id="place.disciplinary",
        title="Relative likelihood of staff from the most deprived quintile entering the formal "
        "disciplinary process compared to the least deprived quintile",
        rate_title="Staff entering the formal disciplinary process by deprivation (% of headcount)",
        method=_method("Disciplinary process by deprivation"),
        what="staff entering the formal disciplinary process",
        staff=_place_workforce(ctx),
    )
    extra = join_notes(
        "staff who left before the snapshot have no home area on record: Unknown",
        place_lookup(ctx).note("staff"),
    )
    if extra is None or not len(results):
        return results
    return as_frame(results).with_columns(
        pl.when(pl.col("note").is_null())
        .then(pl.lit(extra))
        .otherwise(pl.col("note") + pl.lit(f"; {extra}"))
        .alias("note")
    )


# --- Neighbourhood targeting ----------------------------------------------------------------


def _home_counts(ctx: Context, kind: str) -> pl.LazyFrame:
    """org_code, period, lsoa21 (null: not known), count of ``kind``'s people (a query:
    :func:`neighbourhoods` collects every kind's at once)."""
    if ctx.engine is EngineName.polars:
        if kind == "applications":
            return application_homes(ctx)
        if kind == "staff":
            return area_homes(ctx, staff_areas(ctx))
        return homes(ctx, kind)
    if kind == "staff":
        table = _staff_places(ctx)
    elif kind == "applications":
        table = application_places(ctx)
    else:
        grouped = enriched(ctx, kind).group_by("org_code", "period", "lsoa21")
        return to_polars(grouped.agg(nw.len().alias("count"))).lazy()
    return table.lazy().group_by("org_code", "period", "lsoa21").agg(pl.col("count").sum())


def neighbourhood_catchment(ctx: Context, org: str) -> Catchment | None:
    """The run's catchment (``Settings.catchment``), else the trust's local authorities."""
    return ctx.settings.catchment or default_catchment(org)


def _listed(ctx: Context, org: str, percent: int) -> tuple[pl.DataFrame, str] | None:
    """The organisation's listed neighbourhoods (lsoa21, org_code, ``_pos``: most deprived
    first) and its catchment's description; None when it has no catchment."""
    catchment = neighbourhood_catchment(ctx, org)
    if catchment is None:
        return None
    codes = priority_lsoas(catchment, percent)["lsoa21"].cast(pl.String)
    listed = pl.DataFrame({"lsoa21": codes}).with_columns(
        pl.lit(org, dtype=pl.String).alias("org_code"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_pos"),
    )
    return listed, catchment.describe()


@indicator(
    "place.neighbourhoods",
    "Staff, applications and programme participants from the most deprived neighbourhoods "
    "nationally within the catchment",
    family="place",
    needs=("staff",),
    method=_method("Neighbourhood targeting"),
    ids=tuple(f"{NEIGHBOURHOODS}.{k}" for k in NEIGHBOURHOOD_KINDS),
)
def neighbourhoods(ctx: Context) -> Produced:
    """Per organisation, period and kind: the people living in each listed neighbourhood of
    the catchment, and in all of them (built column-wise: one query joins every trust's
    listed neighbourhoods with the counts of every kind)."""
    percent = ctx.settings.neighbourhood_percent
    kinds = [kind for kind in NEIGHBOURHOOD_KINDS if ctx.has(kind)]
    counts = pl.concat(
        [
            _home_counts(ctx, kind).select(
                pl.lit(k, dtype=pl.Int64).alias("_k"),
                pl.col("org_code").cast(pl.String),
                pl.col("period").cast(pl.Int64),
                pl.col("lsoa21").cast(pl.String),
                pl.col("count").cast(pl.Int64),
            )
            for k, kind in enumerate(kinds)
        ]
    ).collect(engine="in-memory")
    areas: dict[str, tuple[pl.DataFrame, str] | None] = {}  # per organisation, for every kind
    noted: list[tuple[int, str, str | None]] = []
    for k, org in counts.select("_k", "org_code").unique().sort("_k", "org_code").iter_rows():
        if org not in areas:
            areas[org] = _listed(ctx, org, percent)
        area = areas[org]
        if area is None:
            continue
        kind = kinds[k]
        note = join_notes(
            f"{KIND_LABELS[kind].lower()} living in the most deprived {percent}% of "
            f"neighbourhoods nationally (IMD 2019) within {area[1]}",
            place_lookup(ctx).note(kind),
        )
        noted.append((k, org, note))
    if not noted:
        return []
    listed = pl.concat([area[0] for area in areas.values() if area is not None]).lazy()
    notes = pl.DataFrame(
        noted, schema={"_k": pl.Int64, "org_code": pl.String, "note": pl.String}, orient="row"
    ).lazy()
    rows = _neighbourhood_rows(counts.lazy(), listed, notes)
    # in memory on one trust's counts; a national run's joins stream faster
    frame = rows.collect(engine="in-memory" if counts.height <= SMALL else "auto")
    titles = [
        f"{KIND_LABELS[kind]} from the most deprived {percent}% of neighbourhoods in the catchment"
        for kind in kinds
    ]
    return frame_of(
        frame,
        id="",
        title="",
        method=_method("Neighbourhood targeting"),
        measure=Measure.COUNT,
        unit=Unit.COUNT,
        breakdown=("lsoa21",),
        columns={
            "id": pl.col("_k").replace_strict(
                range(len(kinds)), [f"{NEIGHBOURHOODS}.{kind}" for kind in kinds]
            ),
            "title": pl.col("_k").replace_strict(range(len(kinds)), titles),
            "group": pl.col("_k").replace_strict(range(len(kinds)), kinds),
            "value": pl.col("n").cast(pl.Float64),
            "numerator": pl.col("n"),
            "note": pl.col("note"),
        },
    )


def _neighbourhood_rows(
    counts: pl.LazyFrame, listed: pl.LazyFrame, notes: pl.LazyFrame
) -> pl.LazyFrame:
    """One row per kind (``_k``), organisation, period and listed neighbourhood (``n``: its
    people, from ``counts``), each group's rows most deprived first, then their total
    (``lsoa21`` = ``all``, with the group's ``note``); only organisations in ``notes``."""
    keys = ["_k", "org_code", "period"]
    reported = counts.select(keys).unique().join(notes, on=["_k", "org_code"], how="inner")
    # the counts of the listed neighbourhoods first: a join against the small listed table
    found = counts.join(listed.select("org_code", "lsoa21"), on=["org_code", "lsoa21"])
    cells = (
        reported.join(listed, on="org_code", how="inner")
        .join(found, on=[*keys, "lsoa21"], how="left")
        .with_columns(pl.col("count").fill_null(0).alias("n"))
    )
    totals = reported.join(
        cells.group_by(keys).agg(pl.col("n").sum()), on=keys, how="left"
    ).with_columns(
        pl.col("n").fill_null(0),
        pl.lit(ALL).alias("lsoa21"),
        pl.lit(2**62, dtype=pl.Int64).alias("_pos"),
    )
    columns = [*keys, "_pos", "lsoa21", "n", "note"]
    return pl.concat(
        [
            cells.with_columns(pl.lit(None, dtype=pl.String).alias("note")).select(columns),
            totals.select(columns),
        ]
    ).sort(*keys, "_pos")
