"""Pay gaps by the statutory gender pay gap method, for sex, ethnicity, disability and SEB.

Method (docs/methods/pay-gaps.md): the Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017 — for NHS trusts the same calculations in SI 2017/353, Schedule 1 —
applied to sex (women vs men), and in the same way to ethnicity (each group vs White, as
the DBT ethnicity pay reporting guidance of 2023 does), disability (disabled vs
non-disabled) and socio-economic background (lower and intermediate vs professional).

The engine only filters and counts: per organisation, period, snapshot and group, a
frequency table of the hourly pay of full-pay relevant employees and one of the bonus pay of
every relevant employee (0 for no bonus). Means, medians, quartiles and gaps are computed
from those small tables by :mod:`ladder.metrics.paygap_method`, so every engine gives the
same figures to the last digit.

Result ids (``c`` is ``sex``, ``ethnicity``, ``disability`` or ``seb``):

- ``paygap.c.mean_hourly``, ``paygap.c.median_hourly``: gap in hourly pay, % of the
  reference group's; ``paygap.c.mean_bonus``, ``paygap.c.median_bonus``: bonus gap among
  bonus recipients. Group = the compared group, note names the reference; numerator = the
  compared group's people in the calculation, denominator = the reference group's.
- ``paygap.c.bonus_proportion``: % of each group's relevant employees who received a bonus.
- ``paygap.c.quartiles``: % of each quartile pay band in each group (breakdown
  ``quartile``: lower, lower_middle, upper_middle, upper), with the counts.
- ``paygap.c.hourly_pay.mean`` / ``.median`` and ``paygap.c.bonus_pay.mean`` / ``.median``:
  each group's pay in pounds.
- ``paygap.c.unknown_share`` (ethnicity, disability, SEB): % of relevant employees whose
  group is not known (excluded from every other figure).

Figures about a group of fewer than 50 people (:data:`SMALL_GROUP`) carry the flag
``small_group``; small-number suppression by the runner applies as everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import polars as pl

from ladder.codes import WRES_GROUP
from ladder.engines import materialise
from ladder.metrics import paygap_method as pm
from ladder.metrics import stats
from ladder.metrics.context import Context
from ladder.metrics.enrichment import place_columns
from ladder.metrics.expressions import (
    DISABLED,
    NON_DISABLED,
    UNKNOWN,
    disability_group,
    seb_group,
    to_polars,
)
from ladder.metrics.registry import Produced, Wording, indicator
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.table import rows_frame
from ladder.place.enrich import (
    LEAST_DEPRIVED,
    MOST_DEPRIVED,
    QUINTILE_LABELS,
    deprivation_group,
)

REG = "Equality Act 2010 (Gender Pay Gap Information) Regulations 2017"
PUBLIC = "SI 2017/353 Sch. 1"
DBT_ETHNICITY = "DBT, Ethnicity pay reporting: guidance for employers (2023)"
SMC = "Social Mobility Commission employers' toolkit, class pay gap"
SMALL_GROUP = 50
"""Groups smaller than this are flagged ``small_group`` (the DBT ethnicity pay guidance
suggests not publishing figures for groups of fewer than about 50 people)."""
SMALL_GROUP_FLAG = "small_group"

# Broad ethnic groups of the NHS Data Dictionary ethnic category codes (Census 2021 headings).
WHITE_BRITISH, OTHER_WHITE = "White British", "Other White"
MIXED, ASIAN, BLACK, OTHER = "Mixed", "Asian", "Black", "Other"
BROAD_ETHNIC_GROUP: dict[str, str] = {
    "A": WHITE_BRITISH,
    **dict.fromkeys("BC", OTHER_WHITE),
    **dict.fromkeys("DEFG", MIXED),
    **dict.fromkeys("HJKL", ASIAN),
    **dict.fromkeys("MNP", BLACK),
    **dict.fromkeys("RS", OTHER),
}
"""Ethnic category code → broad group; any other code (Z, blank) is Unknown."""
assert set(BROAD_ETHNIC_GROUP) == {c for c, g in WRES_GROUP.items() if g != UNKNOWN}

# What each result follows: (regulation, what it prescribes).
SECTIONS: dict[str, tuple[int, str]] = {
    "mean_hourly": (8, "mean gap in hourly pay"),
    "median_hourly": (9, "median gap in hourly pay"),
    "mean_bonus": (10, "mean bonus gap"),
    "median_bonus": (11, "median bonus gap"),
    "bonus_proportion": (12, "proportion paid bonus pay"),
    "quartiles": (13, "quartile pay bands"),
    "hourly_pay.mean": (8, "mean hourly rate of pay"),
    "hourly_pay.median": (9, "median hourly rate of pay"),
    "bonus_pay.mean": (10, "mean bonus pay"),
    "bonus_pay.median": (11, "median bonus pay"),
}
RESULTS: tuple[str, ...] = (
    "mean_hourly",
    "median_hourly",
    "mean_bonus",
    "median_bonus",
    "bonus_proportion",
    "quartiles",
    "hourly_pay.mean",
    "hourly_pay.median",
    "bonus_pay.mean",
    "bonus_pay.median",
)


def statute(result: str) -> str:
    """The regulation a result follows, with its public-authority twin."""
    reg, what = SECTIONS[result]
    return f"{REG}, reg. {reg} ({what}); {PUBLIC} para. {reg} for public authorities"


@dataclass(frozen=True)
class Characteristic:
    """One pay gap family: how people are grouped and which groups are compared.

    ``label`` gives each staff row its finest group (in the engine); ``groups`` maps each
    reported group to the labels it pools (e.g. BME = Mixed + Asian + Black + Other);
    ``comparisons`` lists (group, reference group) pairs; ``ranked`` are the labels of the
    people ranked into quartiles (every known group, the unknown left out) and
    ``quartile_groups`` the groups reported in the quartile table. ``enrich`` adds columns
    the label needs (the home area's deprivation) to the staff frame first.
    """

    name: str
    noun: str
    label: Callable[[], nw.Expr]
    groups: Mapping[str, tuple[str, ...]]
    comparisons: tuple[tuple[str, str], ...]
    ranked: tuple[str, ...]
    quartile_groups: tuple[str, ...]
    source: str | None
    unknown: str | None = None
    unknown_title: str = ""
    column: str = ""
    enrich: Callable[[Context, nw.LazyFrame[Any]], nw.LazyFrame[Any]] | None = None
    ids: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        ids = [f"paygap.{self.name}.{r}" for r in RESULTS]
        if self.unknown is not None:
            ids.append(f"paygap.{self.name}.unknown_share")
        object.__setattr__(self, "ids", tuple(ids))

    def indicator_method(self) -> str:
        """The method of the family as a whole."""
        whole = f"{REG}, regs. 8-13; {PUBLIC} paras. 8-13 for public authorities"
        return whole if self.source is None else f"{self.source}, by the method of {whole}"

    def method(self, result: str) -> str:
        """The document and section one result follows."""
        if result == "unknown_share":
            guide = self.source or REG
            return f"{guide}: share of relevant employees in no group ({self.unknown})"
        if self.source is None:
            return statute(result)
        return f"{self.source}, by the method of {statute(result)}"


def sex_label() -> nw.Expr:
    """female / male; any other value (other, not known) is not ranked or compared."""
    sex = nw.col("sex")
    return (
        nw.when(sex == "female")
        .then(nw.lit("female"))
        .when(sex == "male")
        .then(nw.lit("male"))
        .otherwise(nw.lit("other or not known"))
    )


def broad_ethnic_group(column: str = "ethnic_category") -> nw.Expr:
    """Broad ethnic group of an NHS ethnic category code (:data:`BROAD_ETHNIC_GROUP`)."""
    code = nw.col(column)
    expr = nw.when(code.is_null()).then(nw.lit(UNKNOWN))
    for group in dict.fromkeys(BROAD_ETHNIC_GROUP.values()):
        codes = [c for c, g in BROAD_ETHNIC_GROUP.items() if g == group]
        expr = expr.when(code.is_in(codes)).then(nw.lit(group))
    return expr.otherwise(nw.lit(UNKNOWN))


SEX = Characteristic(
    name="sex",
    noun="gender",
    label=sex_label,
    groups={"female": ("female",), "male": ("male",)},
    comparisons=(("female", "male"),),
    ranked=("female", "male"),
    quartile_groups=("female", "male"),
    source=None,
    column="sex",
)
ETHNICITY = Characteristic(
    name="ethnicity",
    noun="ethnicity",
    label=broad_ethnic_group,
    groups={
        "White": (WHITE_BRITISH, OTHER_WHITE),
        "BME": (MIXED, ASIAN, BLACK, OTHER),
        MIXED: (MIXED,),
        ASIAN: (ASIAN,),
        BLACK: (BLACK,),
        OTHER: (OTHER,),
        WHITE_BRITISH: (WHITE_BRITISH,),
        OTHER_WHITE: (OTHER_WHITE,),
    },
    comparisons=(
        ("BME", "White"),
        (MIXED, "White"),
        (ASIAN, "White"),
        (BLACK, "White"),
        (OTHER, "White"),
        (OTHER_WHITE, WHITE_BRITISH),
    ),
    ranked=(WHITE_BRITISH, OTHER_WHITE, MIXED, ASIAN, BLACK, OTHER),
    quartile_groups=("White", "BME", MIXED, ASIAN, BLACK, OTHER),
    source=DBT_ETHNICITY,
    unknown=UNKNOWN,
    unknown_title="Employees whose ethnicity is not known",
    column="ethnic_category",
)
DISABILITY = Characteristic(
    name="disability",
    noun="disability",
    label=disability_group,
    groups={DISABLED: (DISABLED,), NON_DISABLED: (NON_DISABLED,)},
    comparisons=((DISABLED, NON_DISABLED),),
    ranked=(DISABLED, NON_DISABLED),
    quartile_groups=(DISABLED, NON_DISABLED),
    source="Disability pay gap (Ladder; the statutory method as the DBT 2023 guidance "
    "applies it to ethnicity)",
    unknown=UNKNOWN,
    unknown_title="Employees who have not declared whether they have a disability",
    column="disability",
)
SEB = Characteristic(
    name="seb",
    noun="socio-economic background",
    label=seb_group,
    groups={
        "professional": ("professional",),
        "intermediate": ("intermediate",),
        "lower": ("lower",),
    },
    comparisons=(("lower", "professional"), ("intermediate", "professional")),
    ranked=("professional", "intermediate", "lower"),
    quartile_groups=("professional", "intermediate", "lower"),
    source=SMC,
    unknown="non-response",
    unknown_title="Employees with no usable parental occupation answer (non-response)",
    column="seb_parent_occupation",
)
DEPRIVATION = Characteristic(
    name="deprivation",
    noun="home-area deprivation",
    label=deprivation_group,
    groups={q: (q,) for q in QUINTILE_LABELS.values()},
    comparisons=((MOST_DEPRIVED, LEAST_DEPRIVED),),
    ranked=tuple(QUINTILE_LABELS.values()),
    quartile_groups=tuple(QUINTILE_LABELS.values()),
    source="Deprivation pay gap (Ladder; national IMD 2019 quintile of the home area, "
    "docs/methods/place.md), by the statutory method",
    unknown=UNKNOWN,
    unknown_title="Employees whose home area is not known (no postcode or LSOA, not found, or "
    "outside England)",
    column="home_postcode",
    enrich=place_columns,
)
CHARACTERISTICS: tuple[Characteristic, ...] = (SEX, ETHNICITY, DISABILITY, SEB, DEPRIVATION)


# --------------------------------------------------------------------------------------
# Engine: frequency tables


PAY_COLUMNS = (
    "org_code",
    "period",
    "snapshot_date",
    "full_pay_relevant",
    "hourly_pay",
    "bonus_pay",
)


def _pay_staff(ctx: Context) -> nw.LazyFrame[Any]:
    """The staff columns every pay gap reads, with the label of each characteristic that needs
    no enrichment as ``_group_<name>``: one engine scan per run, kept for all of them."""

    def compute() -> nw.LazyFrame[Any]:
        labels = [c.label().alias(f"_group_{c.name}") for c in CHARACTERISTICS if c.enrich is None]
        frame = ctx.frame("staff").select(*PAY_COLUMNS, *labels)
        return materialise(frame, ctx.engine)

    return ctx.memo("paygap.staff", compute)


def frequency_tables(
    ctx: Context,
    label: nw.Expr,
    enrich: Callable[[Context, nw.LazyFrame[Any]], nw.LazyFrame[Any]] | None = None,
    *,
    shared: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(hourly, bonus) frequency tables, as Polars, from the staff frame on any engine.

    hourly: org_code, period, snapshot_date, group, hourly_pay, n — full-pay relevant
    employees (full_pay_relevant true or blank) with an hourly pay. bonus: org_code,
    period, snapshot_date, group, bonus, n — every relevant employee (every staff row),
    bonus = bonus_pay when above 0, else 0. ``shared``: the name of a characteristic whose
    label is in the run's shared pay frame (used instead of ``label``).
    """
    if shared is not None:
        staff = _pay_staff(ctx).with_columns(nw.col(f"_group_{shared}").alias("group"))
    else:
        staff = ctx.frame("staff")
        if enrich is not None:
            staff = enrich(ctx, staff)
        staff = staff.with_columns(label.alias("group"))
        if enrich is not None:  # joined once for both tables, not once per table
            staff = materialise(staff.select(*PAY_COLUMNS, "group"), ctx.engine)
    keys = ("org_code", "period", "snapshot_date", "group")
    hourly = to_polars(
        staff.filter(nw.col("full_pay_relevant").fill_null(True), ~nw.col("hourly_pay").is_null())
        .group_by(*keys, "hourly_pay")
        .agg(nw.len().alias("n"))
    )
    bonus_value = nw.when(nw.col("bonus_pay") > 0).then(nw.col("bonus_pay")).otherwise(nw.lit(0.0))
    bonus = to_polars(
        staff.with_columns(bonus_value.alias("bonus"))
        .group_by(*keys, "bonus")
        .agg(nw.len().alias("n"))
    )
    return _typed(hourly, "hourly_pay"), _typed(bonus, "bonus")


def _typed(table: pl.DataFrame, value: str) -> pl.DataFrame:
    return table.with_columns(
        pl.col("snapshot_date").cast(pl.Date),
        pl.col("period").cast(pl.Int64),
        pl.col(value).cast(pl.Float64),
    )


# --------------------------------------------------------------------------------------
# Python/Polars: figures from the tables

KEYS = ("org_code", "period", "snapshot_date")


def latest_snapshot(hourly: pl.DataFrame, bonus: pl.DataFrame) -> tuple[pl.DataFrame, ...]:
    """Only the latest snapshot of each organisation and period.

    A pay gap describes one snapshot date (31 March); when a period holds several staff
    snapshots, the latest is used and named in every result's note. The bonus table holds
    every staff row, so it holds every snapshot.
    """
    latest = bonus.group_by("org_code", "period").agg(pl.col("snapshot_date").max())
    if latest.height == bonus.select(KEYS).unique().height:
        return hourly, bonus  # one snapshot per organisation and period: nothing to drop
    return tuple(t.join(latest, on=list(KEYS), how="semi") for t in (hourly, bonus))


def pooled(table: pl.DataFrame, groups: Mapping[str, tuple[str, ...]]) -> pl.DataFrame:
    """The table with each row under every reported group its label belongs to."""
    mapping = pl.DataFrame(
        [(label, group) for group, labels in groups.items() for label in labels],
        schema={"group": pl.String, "_reported": pl.String},
        orient="row",
    )
    return table.join(mapping, on="group", how="inner").drop("group").rename({"_reported": "group"})


@dataclass(frozen=True)
class GroupPay:
    """One group's figures at one snapshot."""

    full_pay: int = 0  # full-pay relevant employees with an hourly pay
    hourly_mean: float | None = None
    hourly_median: float | None = None
    relevant: int = 0  # relevant employees (every staff row)
    recipients: int = 0  # relevant employees with bonus pay above 0
    bonus_mean: float | None = None
    bonus_median: float | None = None


@dataclass
class Snapshot:
    """One organisation's figures for one characteristic at one snapshot."""

    org: str
    period: int
    date: dt.date
    pay: dict[str, GroupPay] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # people per quartile
    quartiles: list[dict[str, int]] = field(  # people per reported group, per quartile
        default_factory=lambda: [{}, {}, {}, {}]
    )
    everyone: int = 0
    unknown: int = 0


def snapshots(char: Characteristic, hourly: pl.DataFrame, bonus: pl.DataFrame) -> list[Snapshot]:
    """Every figure one characteristic needs, per organisation and latest snapshot."""
    hourly, bonus = latest_snapshot(hourly, bonus)
    keys = [*KEYS, "group"]
    found: dict[tuple[str, int], Snapshot] = {}
    pay: dict[tuple[str, int], dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))

    def snap(org: str, period: int, date: dt.date) -> Snapshot:
        return found.setdefault((org, period), Snapshot(org, period, date))

    everyone = bonus.group_by(KEYS).agg(pl.col("n").sum())
    unknown = (
        bonus.filter(pl.col("group") == (char.unknown or ""))
        .group_by(KEYS)
        .agg(pl.col("n").sum().alias("unknown"))
    )
    for org, period, date, n, n_unknown in (
        everyone.join(unknown, on=list(KEYS), how="left").sort(KEYS).rows()
    ):
        s = snap(org, period, date)
        s.everyone, s.unknown = int(n), int(n_unknown or 0)

    hourly_stats = pm.summarise(pooled(hourly, char.groups), keys, "hourly_pay")
    for org, period, _date, group, people, mean, median in hourly_stats.rows():
        pay[(org, period)][group].update(full_pay=people, hourly_mean=mean, hourly_median=median)
    paid = pooled(bonus.filter(pl.col("bonus") > 0), char.groups)
    for org, period, _date, group, people, mean, median in pm.summarise(paid, keys, "bonus").rows():
        pay[(org, period)][group].update(recipients=people, bonus_mean=mean, bonus_median=median)
    relevant = pooled(bonus, char.groups).group_by(keys).agg(pl.col("n").sum())
    for org, period, _date, group, n in relevant.rows():
        pay[(org, period)][group]["relevant"] = int(n)
    for key, groups in pay.items():
        found[key].pay = {g: GroupPay(**groups[g]) for g in char.groups if g in groups}

    ranked = hourly.filter(pl.col("group").is_in(list(char.ranked)))
    by_label = pm.quartile_table(ranked, KEYS, "hourly_pay", "group")
    for org, period, _date, quartile, n in (
        by_label.group_by([*KEYS, "quartile"]).agg(pl.col("n").sum()).rows()
    ):
        found[(org, period)].sizes[quartile] = int(n)
    for org, period, _date, quartile, group, n in (
        pooled(by_label, char.groups)
        .group_by([*KEYS, "quartile", "group"])
        .agg(pl.col("n").sum())
        .rows()
    ):
        found[(org, period)].quartiles[quartile][group] = int(n)
    return [found[k] for k in sorted(found)]


def _flags(*sizes: int) -> tuple[str, ...]:
    return (SMALL_GROUP_FLAG,) if any(s < SMALL_GROUP for s in sizes) else ()


def _pct(interval: stats.Interval) -> tuple[float | None, float | None, float | None]:
    def scale(x: float | None) -> float | None:
        return None if x is None else x * 100.0

    return scale(interval.value), scale(interval.lower), scale(interval.upper)


def characteristic_results(char: Characteristic, snap: Snapshot) -> list[dict[str, Any]]:
    """Every figure of one characteristic for one organisation's snapshot, as the fields of
    its :class:`Result` (:func:`ladder.metrics.table.rows_frame` makes them a frame)."""
    out: list[dict[str, Any]] = []
    when = f"snapshot {snap.date.isoformat()}"
    none = GroupPay()
    pay = {g: snap.pay.get(g, none) for g in char.groups}

    def result(key: str, title: str, measure: Measure, unit: Unit, **fields: Any) -> dict[str, Any]:
        fields.update(
            id=f"paygap.{char.name}.{key}",
            title=title,
            org=snap.org,
            period=snap.period,
            measure=measure,
            unit=unit,
            method=char.method(key),
        )
        return fields

    gaps = (
        ("mean_hourly", "Mean", "hourly pay", "full_pay", "hourly_mean"),
        ("median_hourly", "Median", "hourly pay", "full_pay", "hourly_median"),
        ("mean_bonus", "Mean", "bonus pay", "recipients", "bonus_mean"),
        ("median_bonus", "Median", "bonus pay", "recipients", "bonus_median"),
    )
    for key, stat, what, base, figure in gaps:
        for group, reference in char.comparisons:
            n, n_ref = getattr(pay[group], base), getattr(pay[reference], base)
            if n == 0 or n_ref == 0:
                continue
            out.append(
                result(
                    key,
                    f"{stat} {char.noun} pay gap in {what}",
                    Measure.GAP,
                    Unit.PERCENT,
                    value=pm.gap(getattr(pay[reference], figure), getattr(pay[group], figure)),
                    group=group,
                    numerator=n,
                    denominator=n_ref,
                    flags=_flags(n, n_ref),
                    note=f"reference group: {reference}; {when}"
                    + ("; bonus recipients only" if base == "recipients" else ""),
                )
            )
    levels = (
        ("hourly_pay.mean", "Mean hourly pay", "full_pay", "hourly_mean"),
        ("hourly_pay.median", "Median hourly pay", "full_pay", "hourly_median"),
        ("bonus_pay.mean", "Mean bonus pay of bonus recipients", "recipients", "bonus_mean"),
        ("bonus_pay.median", "Median bonus pay of bonus recipients", "recipients", "bonus_median"),
    )
    for key, title, base, figure in levels:
        measure = Measure.MEAN if key.endswith("mean") else Measure.MEDIAN
        for group, figures in pay.items():
            n = getattr(figures, base)
            if n == 0:
                continue
            out.append(
                result(
                    key,
                    title,
                    measure,
                    Unit.GBP,
                    value=getattr(figures, figure),
                    group=group,
                    denominator=n,
                    flags=_flags(n),
                    note=when,
                )
            )
    for group, figures in pay.items():
        if figures.relevant == 0:
            continue
        value, lower, upper = _pct(stats.wilson(figures.recipients, figures.relevant))
        out.append(
            result(
                "bonus_proportion",
                "Proportion of employees receiving bonus pay",
                Measure.RATE,
                Unit.PERCENT,
                value=value,
                group=group,
                numerator=figures.recipients,
                denominator=figures.relevant,
                ci_lower=lower,
                ci_upper=upper,
                flags=_flags(figures.relevant),
                note=when,
            )
        )
    if sum(snap.sizes) >= 4:  # four people at least, to fill four quartile pay bands
        for quartile, size, section in zip(pm.QUARTILES, snap.sizes, snap.quartiles, strict=True):
            for group in char.quartile_groups:
                count = section.get(group, 0)
                value, lower, upper = _pct(stats.wilson(count, size))
                out.append(
                    result(
                        "quartiles",
                        "Proportion of each quartile pay band",
                        Measure.SHARE,
                        Unit.PERCENT,
                        value=value,
                        group=group,
                        breakdown={"quartile": quartile},
                        numerator=count,
                        denominator=size,
                        ci_lower=lower,
                        ci_upper=upper,
                        flags=_flags(pay[group].full_pay),
                        note=when,
                    )
                )
    if char.unknown is not None and snap.everyone:
        value, lower, upper = _pct(stats.wilson(snap.unknown, snap.everyone))
        out.append(
            result(
                "unknown_share",
                char.unknown_title,
                Measure.SHARE,
                Unit.PERCENT,
                value=value,
                group=char.unknown,
                numerator=snap.unknown,
                denominator=snap.everyone,
                ci_lower=lower,
                ci_upper=upper,
                note=f"relevant employees; {when}",
            )
        )
    return out


def compute(ctx: Context, char: Characteristic) -> Produced:
    """Every figure of one characteristic for every organisation and period."""
    shared = char.name if char.enrich is None else None
    hourly, bonus = frequency_tables(ctx, char.label(), char.enrich, shared=shared)
    if not bonus.filter(pl.col("group").is_in(list(char.ranked))).height:
        return []  # nobody has a known group: the characteristic is not recorded
    out: list[dict[str, Any]] = []
    for snap in snapshots(char, hourly, bonus):
        out.extend(characteristic_results(char, snap))
    return rows_frame(out) if out else []


BONUS_WORDING = Wording("employees", "received bonus pay")


def _register(char: Characteristic, title: str) -> None:
    @indicator(
        f"paygap.{char.name}",
        title,
        family="paygap",
        needs=("staff",),
        method=char.indicator_method(),
        ids=char.ids,
        columns=(("staff", "hourly_pay"), ("staff", char.column)),
        wordings=((f"paygap.{char.name}.bonus_proportion", BONUS_WORDING),),
    )
    def _compute(ctx: Context) -> Produced:
        return compute(ctx, char)


_register(SEX, "Gender pay gap (statutory method)")
_register(ETHNICITY, "Ethnicity pay gap")
_register(DISABILITY, "Disability pay gap")
_register(SEB, "Socio-economic background (class) pay gap")
_register(DEPRIVATION, "Pay gap by deprivation of the home area (most vs least deprived quintile)")


# --------------------------------------------------------------------------------------
# The GOV.UK return

GOV_UK_FIELDS: tuple[str, ...] = (
    "DiffMeanHourlyPercent",
    "DiffMedianHourlyPercent",
    "DiffMeanBonusPercent",
    "DiffMedianBonusPercent",
    "MaleBonusPercent",
    "FemaleBonusPercent",
    "MaleLowerQuartile",
    "FemaleLowerQuartile",
    "MaleLowerMiddleQuartile",
    "FemaleLowerMiddleQuartile",
    "MaleUpperMiddleQuartile",
    "FemaleUpperMiddleQuartile",
    "MaleTopQuartile",
    "FemaleTopQuartile",
)
"""The figure columns of the GOV.UK gender pay gap service (its download files)."""

_QUARTILE_FIELD = {
    "lower": "Lower",
    "lower_middle": "LowerMiddle",
    "upper_middle": "UpperMiddle",
    "upper": "Top",
}


def gov_uk_return(results: Iterable[Result], org: str, period: int) -> dict[str, float | None]:
    """One organisation's gender pay gap figures as the GOV.UK service publishes them.

    Keys are the service's column names (:data:`GOV_UK_FIELDS`); values are rounded to one
    decimal place, as published. A figure that was not computed or is suppressed is None.
    """
    out: dict[str, float | None] = dict.fromkeys(GOV_UK_FIELDS)
    names = {
        ("paygap.sex.mean_hourly", "female"): "DiffMeanHourlyPercent",
        ("paygap.sex.median_hourly", "female"): "DiffMedianHourlyPercent",
        ("paygap.sex.mean_bonus", "female"): "DiffMeanBonusPercent",
        ("paygap.sex.median_bonus", "female"): "DiffMedianBonusPercent",
        ("paygap.sex.bonus_proportion", "male"): "MaleBonusPercent",
        ("paygap.sex.bonus_proportion", "female"): "FemaleBonusPercent",
    }
    for r in results:
        if r.org != org or r.period != period or r.group is None:
            continue
        name = names.get((r.id, r.group))
        if r.id == "paygap.sex.quartiles":
            sex = "Male" if r.group == "male" else "Female"
            name = f"{sex}{_QUARTILE_FIELD[r.breakdown['quartile']]}Quartile"
        if name is not None:
            out[name] = None if r.value is None else round(r.value, 1)
    return out
