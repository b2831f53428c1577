"""Pay gaps by the statutory gender pay gap method, for sex, ethnicity, disability and SEB.

Method (docs/methods/pay-gaps.md): the Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017 — for NHS trusts the same calculations in SI 2017/353, Schedule 1 —
applied to sex (women vs men), and in the same way to ethnicity (each group vs White, as
the DBT ethnicity pay reporting guidance of 2023 does), disability (disabled vs
non-disabled) and socio-economic background (lower and intermediate vs professional).

The engine only selects: the pay columns and the column each group is read from, at the
latest snapshot, once per run (:class:`PayRows`). Labels, a frequency table of each
characteristic (snapshot, rate, label: :func:`frequencies`), means, medians, quartiles
(:func:`ladder.metrics.paygap_method.quartile_table`) and gaps are computed in Polars for
every organisation at once, and the results built column-wise, so every engine gives the
same figures.

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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import polars as pl

from ladder.codes import WRES_GROUP
from ladder.engines import EngineName
from ladder.metrics import paygap_method as pm
from ladder.metrics import stats
from ladder.metrics.context import Context
from ladder.metrics.enrichment import AREA, coded_places, place_areas, place_columns
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
from ladder.metrics.table import BREAKDOWN, RESULT_SCHEMA
from ladder.place.enrich import (
    COLUMNS,
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
    the label needs (the home area's deprivation) to the staff frame first. ``reads``: the one
    column the label reads, when declared: the label is then evaluated on its distinct values
    only (faster); otherwise on every row, in the engine.
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
    reads: str | None = None
    ids: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        ids = [f"paygap.{self.name}.{r}" for r in RESULTS]
        if self.unknown is not None:
            ids.append(f"paygap.{self.name}.unknown_share")
        object.__setattr__(self, "ids", tuple(ids))

    @property
    def label_column(self) -> str:
        """The column of the staff rows the label is found from: ``reads``, or the label
        itself (``_label_<name>``, evaluated in the engine)."""
        return self.reads or f"_label_{self.name}"

    def selected(self) -> str | nw.Expr:
        """What the engine selects for the label: the column it reads, or the label."""
        return self.reads or self.label().alias(self.label_column)

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
    reads="sex",
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
    reads="ethnic_category",
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
    reads="disability",
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
    reads="seb_parent_occupation",
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
    reads="imd_quintile",
)
CHARACTERISTICS: tuple[Characteristic, ...] = (SEX, ETHNICITY, DISABILITY, SEB, DEPRIVATION)


# --------------------------------------------------------------------------------------
# Engine: the staff rows, once per run

KEYS = ("org_code", "period", "snapshot_date")
PAY_COLUMNS = (*KEYS, "full_pay_relevant", "hourly_pay", "bonus_pay")


@dataclass(frozen=True)
class PayRows:
    """The staff rows every pay gap reads, at the latest snapshot of each organisation and
    period, as Polars.

    ``rows``: ``k`` (the organisation and snapshot, a row of ``keys``), ``h`` (the rank of
    the hourly pay among the distinct rates, 0 lowest; null for an employee who is not
    full-pay relevant or has no hourly pay), ``hourly`` (null likewise), ``bonus`` (bonus
    pay when above 0, else 0) and the columns the groups are read from. ``keys``: ``k``,
    org_code, period, snapshot_date, ``everyone`` (relevant employees). ``rates``: the
    distinct hourly rates, lowest first (rate ``h`` at index ``h``).
    """

    rows: pl.DataFrame
    keys: pl.DataFrame
    rates: pl.Series


def pay_rows(frame: nw.LazyFrame[Any], reads: Sequence[str | nw.Expr]) -> PayRows:
    """:class:`PayRows` of a staff frame on any engine (the engine selects the columns).

    A pay gap describes one snapshot date (31 March): when a period holds several staff
    snapshots, the latest is used and named in every result's note.
    """
    full_pay = nw.col("full_pay_relevant").fill_null(True) & ~nw.col("hourly_pay").is_null()
    bonus = nw.when(nw.col("bonus_pay") > 0).then(nw.col("bonus_pay")).otherwise(nw.lit(0.0))
    staff = to_polars(
        frame.select(
            *KEYS,
            nw.when(full_pay).then(nw.col("hourly_pay")).alias("hourly"),
            bonus.alias("bonus"),
            *reads,
        )
    ).with_columns(
        pl.col("snapshot_date").cast(pl.Date),
        pl.col("period").cast(pl.Int64),
        pl.col("hourly").cast(pl.Float64),
        pl.col("bonus").cast(pl.Float64),
    )
    labels = [c for c in staff.columns if c not in (*KEYS, "hourly", "bonus")]
    # Lazy: Polars' streaming engine groups the rows by the three keys at a fraction of the
    # eager group-by's cost.
    snaps = staff.lazy().group_by(KEYS).agg(pl.len().alias("everyone")).collect()
    latest = snaps.group_by("org_code", "period").agg(pl.col("snapshot_date").max())
    if latest.height != snaps.height:  # several snapshots in a period: the latest only
        staff = staff.join(latest, on=list(KEYS), how="semi")
        snaps = snaps.join(latest, on=list(KEYS), how="semi")
    keys = snaps.sort(KEYS).with_row_index("k")
    # One snapshot per organisation (the usual case): the organisation alone gives ``k``.
    on = ["org_code"] if keys.get_column("org_code").is_unique().all() else list(KEYS)
    rates = (
        staff.lazy()
        .select(pl.col("hourly").drop_nulls().unique().sort())
        .with_row_index("h")
        .collect()
    )
    # ``k`` and ``h`` joined on the key columns alone (the other columns are not copied).
    k = (
        staff.select(on)
        .join(keys.select(*on, "k"), on=on, how="left", nulls_equal=True, maintain_order="left")
        .get_column("k")
    )
    h = (
        staff.select("hourly")
        .join(rates, on="hourly", how="left", maintain_order="left")
        .get_column("h")
    )
    rows = staff.select(k, h, "hourly", "bonus", *labels)
    return PayRows(rows, keys, rates.get_column("hourly"))


HOME = ("home_lsoa", "home_postcode")
"""The columns a staff member's home area is found from (:func:`coded_places`)."""


def _shared_rows(ctx: Context) -> PayRows:
    """The run's :class:`PayRows` for every characteristic read straight from the staff
    frame (one engine query per run, kept for all of them)."""

    def compute() -> PayRows:
        staff = ctx.frame("staff")
        names = staff.collect_schema().names()
        reads: list[str | nw.Expr] = [
            c.selected() for c in CHARACTERISTICS if c.enrich is None and c.column in names
        ]
        if ctx.engine is EngineName.polars and set(HOME) <= set(names):
            reads.extend(HOME)  # the home area's place columns are found from them in Polars
        return pay_rows(staff, reads)

    return ctx.memo("paygap.rows", compute)


def staff_rows(ctx: Context, char: Characteristic) -> PayRows:
    """The :class:`PayRows` a characteristic reads (its enrichment added first)."""
    if char.enrich is None:
        shared = _shared_rows(ctx)
        if char.label_column in shared.rows.columns:
            return shared
        return pay_rows(ctx.frame("staff"), [char.selected()])
    if char.enrich is place_columns and char.reads in COLUMNS:
        shared = _shared_rows(ctx)
        if set(HOME) <= set(shared.rows.columns):  # Polars: from the shared rows' home area
            _, areas = place_areas(ctx)
            coded = coded_places(ctx, nw.from_native(shared.rows.lazy()), ordered=True)
            index = coded.select(AREA).collect().get_column(AREA)
            rows = shared.rows.with_columns(areas[char.reads].gather(index))
            return PayRows(rows, shared.keys, shared.rates)
    return pay_rows(char.enrich(ctx, ctx.frame("staff")), [char.selected()])


# --------------------------------------------------------------------------------------
# Polars: figures from the rows, every organisation at once


def labelled(rows: PayRows, char: Characteristic) -> tuple[pl.DataFrame, list[str]]:
    """The rows' ``k``, ``h`` and ``bonus`` with ``c``, the index of each employee's label in
    the returned list of labels. The label expression is evaluated on the distinct values of
    its column only."""
    column = char.label_column
    values = rows.rows.get_column(column)
    distinct = values.unique().to_frame()
    label = char.label() if char.reads else nw.col(column)  # else: labelled in the engine
    named = nw.from_native(distinct).with_columns(label.alias("_label")).to_native()
    labels = sorted(set(named.get_column("_label").to_list()))
    codes = named.get_column("_label").replace_strict(labels, list(range(len(labels))))
    c = _coded(values, named.get_column(column), codes.cast(pl.UInt32))
    return rows.rows.select("k", "h", "bonus").with_columns(c.alias("c")), labels


def _coded(values: pl.Series, distinct: pl.Series, codes: pl.Series) -> pl.Series:
    """``codes[i]`` for each of ``values`` equal to ``distinct[i]`` (null matching null;
    ``distinct`` holds every value once). Strings, booleans and integers of a small range
    become a position in a short list of codes (no join); other values are joined."""
    known = distinct.is_not_null()
    values_known, codes_known = distinct.filter(known), codes.filter(known)
    no_value = codes.filter(~known).extend_constant(None, 1).head(1)  # the code of null
    if values.dtype == pl.String:
        index = values.cast(pl.Enum(values_known)).to_physical().cast(pl.UInt32)
        table = pl.concat([codes_known, no_value])
        return table.gather(index.fill_null(len(values_known)))
    if values.dtype == pl.Boolean or values.dtype.is_integer():
        numbers = values_known.cast(pl.Int64)
        low, high = numbers.min(), numbers.max()
        if not isinstance(low, int) or not isinstance(high, int):  # no value but null
            low, high = 0, -1
        if high - low < 2**16:
            table = pl.concat(
                [
                    pl.Series([None] * (high - low + 1), dtype=codes.dtype).scatter(
                        numbers - low, codes_known
                    ),
                    no_value,
                ]
            )
            offset = values.cast(pl.Int64) - low
            return table.gather(offset.fill_null(high - low + 1))
    frame = values.to_frame().join(
        pl.DataFrame([distinct, codes.alias("_code")]),
        on=values.name,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    return frame.get_column("_code")


def _bits(largest: int) -> int:
    """Bits that hold the integers 0 … ``largest``."""
    return max(1, largest.bit_length())


def frequencies(rows: pl.DataFrame, snapshots: int, rates: int, labels: int) -> pl.DataFrame:
    """The people (``n``) of each snapshot ``k``, hourly rate ``h`` and label ``c`` of labelled
    rows, one row per combination with people, sorted by ``k``, ``h`` and ``c``; ``h`` is
    ``rates`` (after every rate) for the employees with no hourly pay.

    The three are packed into one integer, sorted and counted in runs (no hash group-by over
    the rows)."""
    h = pl.col("h").fill_null(rates)
    hb, cb = _bits(rates), _bits(max(labels - 1, 0))
    if _bits(max(snapshots - 1, 0)) + hb + cb > 63:  # pragma: no cover - billions of rows
        return (
            rows.group_by("k", h.cast(pl.UInt32), "c").agg(pl.len().alias("n")).sort("k", "h", "c")
        )
    key = (pl.col("k").cast(pl.UInt64) * 2 ** (hb + cb)) + h.cast(pl.UInt64) * 2**cb + pl.col("c")
    value = pl.col("value")
    return (
        rows.select(key.sort().rle().alias("_run"))
        .unnest("_run")
        .select(
            (value // 2 ** (hb + cb)).cast(pl.UInt32).alias("k"),
            (value // 2**cb % 2**hb).cast(pl.UInt32).alias("h"),
            (value % 2**cb).cast(pl.UInt32).alias("c"),
            pl.col("len").cast(pl.Int64).alias("n"),
        )
    )


def _members(labels: list[str], char: Characteristic) -> pl.DataFrame:
    """Which reported groups (``g``, their index in ``char.groups``) each label ``c`` is in
    (a label can be in several, e.g. Mixed in Mixed and in BME)."""
    pairs = [
        (labels.index(member), g)
        for g, members in enumerate(char.groups.values())
        for member in members
        if member in labels
    ]
    return pl.DataFrame(
        {"c": [c for c, _g in pairs], "g": [g for _c, g in pairs]},
        schema={"c": pl.UInt32, "g": pl.UInt32},
    )


def _group_names(char: Characteristic) -> pl.Expr:
    """The name of reported group ``g``."""
    names = list(char.groups)
    return pl.col("g").replace_strict(list(range(len(names))), names, return_dtype=pl.String)


def _finite(expr: pl.Expr) -> pl.Expr:
    """An overflowing figure is no figure (null), never inf or NaN."""
    return pl.when(expr.is_finite()).then(expr)


def group_figures(
    table: pl.DataFrame,
    rows: pl.DataFrame,
    labels: list[str],
    char: Characteristic,
    rates: pl.Series,
) -> pl.DataFrame:
    """Each reported group's figures per snapshot ``k``: ``relevant`` (every employee),
    ``full_pay``, ``hourly_mean``, ``hourly_median``, ``recipients`` (bonus above 0),
    ``bonus_mean``, ``bonus_median``; one row per group with employees.

    The hourly figures come from the :func:`frequencies` ``table``: each group's rows of it
    one after the other (the group's labels' people on each rate, in order of snapshot and
    pay, no hourly pay last), the median found from the running count of people; the bonus
    figures from the labelled ``rows`` of bonus recipients."""
    members = _members(labels, char)
    # Each group's rows of the table one after the other, in one query.
    lazy = table.lazy()
    parts = [
        lazy.filter(pl.col("c").is_in(codes)).select(
            pl.lit(g, dtype=pl.UInt64).alias("g"), "k", "h", "n"
        )
        for g, codes in members.group_by("g").agg("c").sort("g").iter_rows()
    ]
    empty = pl.LazyFrame(schema={"g": pl.UInt64, "k": pl.UInt32, "h": pl.UInt32, "n": pl.Int64})
    by_group = pm.small_query(pl.concat([empty, *parts]))
    rate = pl.concat([rates, pl.Series([None], dtype=pl.Float64)]).gather(by_group["h"])
    through = np.cumsum(by_group.get_column("n").to_numpy())  # people up to this row, all groups
    n = pl.col("n")
    pay = pm.small_query(
        by_group.lazy()
        .with_columns(
            rate.alias("_rate"),
            pl.Series("_through", through),
            (pl.col("g") * 2**32 + pl.col("k")).set_sorted().alias("_gk"),
        )
        .group_by("_gk", maintain_order=True)
        .agg(
            pl.col("g", "k").first(),
            n.sum().alias("relevant"),
            n.filter(pl.col("_rate").is_not_null()).sum().alias("full_pay"),
            (pl.col("_rate") * n).sum().alias("_sum"),
            (pl.col("_through") - n).first().alias("_before"),
        )
    )
    # The middle people's places among all rows' people, and the rows they are on.
    last = max(by_group.height - 1, 0)
    full_pay = pay.get_column("full_pay").to_numpy()
    before = pay.get_column("_before").to_numpy()
    low = np.searchsorted(through, before + (full_pay - 1) // 2, side="right").clip(0, last)
    high = np.searchsorted(through, before + full_pay // 2, side="right").clip(0, last)
    rate_values = rate.to_numpy()  # a null rate is NaN: no median (below)
    median = (rate_values[low] + rate_values[high]) / 2 if by_group.height else full_pay * 0.0
    bonus = (
        rows.lazy()
        .filter(pl.col("bonus") > 0)
        .join(members.lazy(), on="c")
        .group_by("k", "g")
        .agg(
            pl.len().cast(pl.Int64).alias("recipients"),
            _finite(pl.col("bonus").mean()).alias("bonus_mean"),
            _finite(pl.col("bonus").median()).alias("bonus_median"),
        )
    )
    return pm.small_query(
        pay.lazy()
        .select(
            pl.col("k"),
            pl.col("g").cast(pl.UInt32),
            pl.col("relevant", "full_pay").cast(pl.Int64),
            _finite(pl.col("_sum") / pl.col("full_pay")).alias("hourly_mean"),
            _finite(
                pl.when(pl.col("full_pay") > 0).then(pl.Series(median, dtype=pl.Float64))
            ).alias("hourly_median"),
        )
        .join(bonus, on=["k", "g"], how="left")
        .with_columns(pl.col("recipients").fill_null(0), _group_names(char).alias("group"))
        .drop("g")
    )


def quartile_figures(
    table: pl.DataFrame, labels: list[str], char: Characteristic, rates: int
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(sizes, counts): people per quartile pay band (``k``, ``quartile``, ``size``) and of
    each reported group in it (``k``, ``quartile``, ``group``, ``count``), the employees of a
    known group ranked (:func:`paygap_method.quartile_table` on the :func:`frequencies`
    ``table``)."""
    ranked = [i for i, label in enumerate(labels) if label in char.ranked]
    people = table.filter((pl.col("h") < rates) & pl.col("c").is_in(ranked))
    by_label = pm.quartile_table(people, ["k"], "h", "c", prepared=True)
    sizes = by_label.lazy().group_by("k", "quartile").agg(pl.col("n").sum().alias("size"))
    counts = (
        by_label.lazy()
        .join(_members(labels, char).lazy(), on="c")
        .group_by("k", "quartile", "g")
        .agg(pl.col("n").sum().alias("count"))
        .select("k", "quartile", _group_names(char).alias("group"), "count")
    )
    return sizes, counts


# --------------------------------------------------------------------------------------
# Results, column-wise

_EMPTY_BREAKDOWN = pl.lit([], dtype=BREAKDOWN)


def _small(*counts: pl.Expr) -> pl.Expr:
    """The flags of a figure about groups of these sizes."""
    small = pl.any_horizontal(*(c < SMALL_GROUP for c in counts))
    return pl.concat_list(pl.when(small).then(pl.lit(SMALL_GROUP_FLAG))).list.drop_nulls()


def _wilson(events: pl.Expr, total: pl.Expr, z: float = stats.Z95) -> dict[str, pl.Expr]:
    """value, ci_lower, ci_upper in percent: :func:`stats.wilson` × 100, element-wise."""
    e, n = events.cast(pl.Float64), total.cast(pl.Float64)
    valid = (n > 0) & (e >= 0) & (e <= n)
    p = e / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)).sqrt() / denom
    lower = pl.when(e == 0).then(0.0).otherwise(pl.max_horizontal(0.0, centre - half))
    upper = pl.when(e == n).then(1.0).otherwise(pl.min_horizontal(1.0, centre + half))
    return {
        "value": pl.when(valid).then(p * 100.0),
        "ci_lower": pl.when(valid).then(lower * 100.0),
        "ci_upper": pl.when(valid).then(upper * 100.0),
    }


def _gap(reference: pl.Expr, group: pl.Expr) -> pl.Expr:
    """:func:`paygap_method.gap`, element-wise."""
    return _finite(pl.when(reference != 0).then((reference - group) / reference * 100.0))


_TEXTS = ("id", "title", "measure", "unit", "method")
"""The result fields that are the same for every result of one kind."""


class _Parts:
    """A characteristic's results, kind by kind: each kind's rows carry only the fields that
    vary (the texts of a kind, its place among a snapshot's results, the fields no kind
    sets, the rates with their confidence intervals and the flags are added once, to all of
    them together, by :meth:`frame`). The parts are lazy: :meth:`frame` runs them all as
    one Polars query (a query per small step costs more than its rows)."""

    def __init__(self) -> None:
        self.parts: list[pl.LazyFrame] = []
        self.kinds: list[tuple[str, ...]] = []
        self.orders: list[int] = []
        self.columns: set[str] = set()

    def add(
        self,
        frame: pl.LazyFrame,
        order: int,
        sub: pl.Expr,
        texts: tuple[str, ...],
        rate: tuple[pl.Expr, pl.Expr] | None = None,
        small: pl.Expr | None = None,
        **fields: pl.Expr,
    ) -> None:
        """Results of one kind from ``frame`` (one a row): ``order`` and ``sub`` give their
        place among a snapshot's results, ``texts`` the :data:`_TEXTS`; ``rate``: (events,
        total) of a rate in percent with its Wilson interval (``value``, ``ci_lower``,
        ``ci_upper``); ``small``: the size of the smallest group a figure is about (flagged
        ``small_group`` below :data:`SMALL_GROUP`); the other fields are null,
        ``breakdown`` and ``flags`` empty, unless given."""
        kind = pl.lit(len(self.kinds), dtype=pl.Int64).alias("_kind")
        columns = [e.cast(RESULT_SCHEMA[name]).alias(name) for name, e in fields.items()]
        if rate is not None:
            columns += [rate[0].alias("_events"), rate[1].alias("_total")]
        if small is not None:
            columns.append(small.cast(pl.Int64).alias("_small"))
        self.columns.update(c.meta.output_name() for c in columns)
        self.parts.append(frame.select("k", kind, sub.cast(pl.Int64).alias("_sub"), *columns))
        self.kinds.append(texts)
        self.orders.append(order)

    def frame(self, keys: pl.DataFrame) -> pl.DataFrame:
        """Every result, sorted by organisation, period and place, as a results frame."""
        kinds = pl.DataFrame(
            {
                "_kind": list(range(len(self.kinds))),
                "_order": self.orders,
                **{name: [k[i] for k in self.kinds] for i, name in enumerate(_TEXTS)},
            },
            schema={"_kind": pl.Int64, "_order": pl.Int64, **dict.fromkeys(_TEXTS, pl.String)},
        )
        rows = pl.concat(self.parts, how="diagonal_relaxed")
        extra = {"_events": pl.Float64, "_total": pl.Float64, "_small": pl.Int64}
        missing = [
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in {**RESULT_SCHEMA, **extra}.items()
            if name not in self.columns and name not in (*_TEXTS, "org", "period")
        ]
        rated = pl.col("_events").is_not_null()
        wilson = _wilson(pl.col("_events"), pl.col("_total"))
        return pm.small_query(
            rows.with_columns(missing)
            .with_columns(
                pl.when(rated).then(wilson["value"]).otherwise(pl.col("value")).alias("value"),
                pl.when(rated).then(wilson["ci_lower"]).alias("ci_lower"),
                pl.when(rated).then(wilson["ci_upper"]).alias("ci_upper"),
                _small(pl.col("_small")).alias("flags"),
            )
            .join(kinds.lazy(), on="_kind")
            .join(keys.lazy().select("k", pl.col("org_code").alias("org"), "period"), on="k")
            .sort("org", "period", "_order", "_sub")
            .with_columns(
                pl.col("breakdown").fill_null(_EMPTY_BREAKDOWN),
                pl.lit(False).alias("suppressed"),
            )
            .select(list(RESULT_SCHEMA))
        )


GAPS = (
    ("mean_hourly", "Mean", "hourly pay", "full_pay", "hourly_mean"),
    ("median_hourly", "Median", "hourly pay", "full_pay", "hourly_median"),
    ("mean_bonus", "Mean", "bonus pay", "recipients", "bonus_mean"),
    ("median_bonus", "Median", "bonus pay", "recipients", "bonus_median"),
)
LEVELS = (
    ("hourly_pay.mean", "Mean hourly pay", "full_pay", "hourly_mean"),
    ("hourly_pay.median", "Median hourly pay", "full_pay", "hourly_median"),
    ("bonus_pay.mean", "Mean bonus pay of bonus recipients", "recipients", "bonus_mean"),
    ("bonus_pay.median", "Median bonus pay of bonus recipients", "recipients", "bonus_median"),
)


def characteristic_frame(
    char: Characteristic,
    keys: pl.DataFrame,
    figures: pl.DataFrame,
    sizes: pl.LazyFrame,
    counts: pl.LazyFrame,
    unknown: pl.LazyFrame,
) -> pl.DataFrame:
    """Every figure of one characteristic, every organisation's snapshot, as a results frame
    in the order of a snapshot's results: the gaps, each group's pay, the bonus proportions,
    the quartile pay bands and the unknown share (one Polars query)."""
    when = pl.concat_str(pl.lit("snapshot "), pl.col("snapshot_date").dt.strftime("%Y-%m-%d"))
    dates = keys.lazy().select("k", when.alias("_when"))
    rank = {g: i for i, g in enumerate(char.groups)}
    lazy = (
        figures.lazy()
        .join(dates, on="k")
        .with_columns(pl.col("group").replace_strict(rank, return_dtype=pl.Int64).alias("_rank"))
    )
    parts = _Parts()
    pairs = pl.DataFrame(
        {
            "group": [g for g, _r in char.comparisons],
            "reference": [r for _g, r in char.comparisons],
            "_pair": list(range(len(char.comparisons))),
        },
        schema={"group": pl.String, "reference": pl.String, "_pair": pl.Int64},
    )
    reference = lazy.rename(lambda c: c if c == "k" else f"ref_{c}")
    compared = (
        pairs.lazy()
        .join(lazy, on="group")
        .join(reference, left_on=["k", "reference"], right_on=["k", "ref_group"])
    )
    for index, (key, stat, what, base, figure) in enumerate(GAPS):
        n, n_ref = pl.col(base), pl.col(f"ref_{base}")
        recipients = "; bonus recipients only" if base == "recipients" else ""
        parts.add(
            compared.filter((n > 0) & (n_ref > 0)),
            0,
            pl.lit(index * 100) + pl.col("_pair"),
            (
                f"paygap.{char.name}.{key}",
                f"{stat} {char.noun} pay gap in {what}",
                str(Measure.GAP),
                str(Unit.PERCENT),
                char.method(key),
            ),
            value=_gap(pl.col(f"ref_{figure}"), pl.col(figure)),
            group=pl.col("group"),
            numerator=n,
            denominator=n_ref,
            small=pl.min_horizontal(n, n_ref),
            note=pl.concat_str(
                pl.lit("reference group: "),
                pl.col("reference"),
                pl.lit("; "),
                pl.col("_when"),
                pl.lit(recipients),
            ),
        )
    for index, (key, title, base, figure) in enumerate(LEVELS):
        measure = Measure.MEAN if key.endswith("mean") else Measure.MEDIAN
        rows = lazy.filter(pl.col(base) > 0)
        parts.add(
            rows,
            1,
            pl.lit(index * 100) + pl.col("_rank"),
            (f"paygap.{char.name}.{key}", title, str(measure), str(Unit.GBP), char.method(key)),
            value=pl.col(figure),
            group=pl.col("group"),
            denominator=pl.col(base),
            small=pl.col(base),
            note=pl.col("_when"),
        )
    proportions = lazy.filter(pl.col("relevant") > 0)
    parts.add(
        proportions,
        2,
        pl.col("_rank"),
        (
            f"paygap.{char.name}.bonus_proportion",
            "Proportion of employees receiving bonus pay",
            str(Measure.RATE),
            str(Unit.PERCENT),
            char.method("bonus_proportion"),
        ),
        rate=(pl.col("recipients"), pl.col("relevant")),
        group=pl.col("group"),
        numerator=pl.col("recipients"),
        denominator=pl.col("relevant"),
        small=pl.col("relevant"),
        note=pl.col("_when"),
    )
    bands = pl.DataFrame(
        {
            "quartile": list(range(len(pm.QUARTILES))),
            "breakdown": [[{"name": "quartile", "value": q}] for q in pm.QUARTILES],
        },
        schema={"quartile": pl.Int64, "breakdown": BREAKDOWN},
    )
    reported = pl.DataFrame(
        {"group": list(char.quartile_groups), "_rank": list(range(len(char.quartile_groups)))},
        schema={"group": pl.String, "_rank": pl.Int64},
    )
    filled = (
        sizes.group_by("k")
        .agg(pl.col("size").sum().alias("_ranked"))
        .filter(pl.col("_ranked") >= 4)  # four people at least, to fill four quartile pay bands
        .join(bands.lazy(), how="cross")
        .join(reported.lazy(), how="cross")
        .join(sizes, on=["k", "quartile"], how="left")
        .join(counts, on=["k", "quartile", "group"], how="left")
        .join(lazy.select("k", "group", "full_pay"), on=["k", "group"], how="left")
        .join(dates, on="k")
        .with_columns(pl.col("size", "count", "full_pay").fill_null(0))
    )
    parts.add(
        filled,
        3,
        pl.col("quartile") * 100 + pl.col("_rank"),
        (
            f"paygap.{char.name}.quartiles",
            "Proportion of each quartile pay band",
            str(Measure.SHARE),
            str(Unit.PERCENT),
            char.method("quartiles"),
        ),
        rate=(pl.col("count"), pl.col("size")),
        group=pl.col("group"),
        breakdown=pl.col("breakdown"),
        numerator=pl.col("count"),
        denominator=pl.col("size"),
        small=pl.col("full_pay"),
        note=pl.col("_when"),
    )
    if char.unknown is not None:
        shares = (
            keys.lazy()
            .filter(pl.col("everyone") > 0)
            .join(unknown, on="k", how="left")
            .with_columns(pl.col("unknown").fill_null(0), when.alias("_when"))
        )
        parts.add(
            shares,
            4,
            pl.lit(0),
            (
                f"paygap.{char.name}.unknown_share",
                char.unknown_title,
                str(Measure.SHARE),
                str(Unit.PERCENT),
                char.method("unknown_share"),
            ),
            rate=(pl.col("unknown"), pl.col("everyone")),
            group=pl.lit(char.unknown),
            numerator=pl.col("unknown"),
            denominator=pl.col("everyone"),
            note=pl.concat_str(pl.lit("relevant employees; "), pl.col("_when")),
        )
    return parts.frame(keys)


def compute(ctx: Context, char: Characteristic) -> Produced:
    """Every figure of one characteristic for every organisation and period."""
    rows = staff_rows(ctx, char)
    coded, labels = labelled(rows, char)
    known = [i for i, label in enumerate(labels) if label in char.ranked]
    if not known or not coded.select(pl.col("c").is_in(known).any()).item():
        return []  # nobody has a known group: the characteristic is not recorded
    table = frequencies(coded, rows.keys.height, rows.rates.len(), len(labels))
    figures = group_figures(table, coded, labels, char, rows.rates)
    sizes, counts = quartile_figures(table, labels, char, rows.rates.len())
    unknown = pl.LazyFrame(schema={"k": pl.UInt32, "unknown": pl.Int64})
    if char.unknown is not None and char.unknown in labels:
        unknown = (
            table.lazy()
            .filter(pl.col("c") == labels.index(char.unknown))
            .group_by("k")
            .agg(pl.col("n").sum().alias("unknown"))
        )
    return characteristic_frame(char, rows.keys, figures, sizes, counts, unknown)


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
