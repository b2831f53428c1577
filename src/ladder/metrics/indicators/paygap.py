"""Pay gaps by the statutory gender pay gap method, for sex, ethnicity, disability and SEB.

Method (docs/methods/pay-gaps.md): the Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017 — for NHS trusts the same calculations in SI 2017/353, Schedule 1 —
applied to sex (women vs men), and in the same way to ethnicity (each group vs White, as
the DBT ethnicity pay reporting guidance of 2023 does), disability (disabled vs
non-disabled) and socio-economic background (lower and intermediate vs professional).

The engine only selects: the pay columns and the column each group is read from, at the
latest snapshot, once per run (:class:`PayRows`), laid out once for NumPy (:class:`Slots`:
each row's snapshot and hourly rate). Each characteristic's labels, its frequency table
(people per snapshot, rate and label: one count), means, medians, quartile pay bands
(:func:`ladder.metrics.paygap_method.quartile_bands`, the same as its Polars
``quartile_table``) and gaps are computed with NumPy for every organisation at once, and
the results frame built in one go: after the selection every engine shares these steps, so
gives the same figures, and a one-trust run pays for a few array operations instead of a
Polars query per step.

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

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    NON_RESPONSE,
    SEB_LABELS,
    UNKNOWN,
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


SEX_OTHER = "other or not known"


@dataclass(frozen=True)
class Lookup:
    """A label that looks a column's value up: ``names[value]``; any other value, or none,
    is ``otherwise``. Called, it is that lookup as one ``replace_strict`` (an engine's label);
    :meth:`of` gives the same labels in Python, which :func:`label_codes` uses on the few
    distinct values of the column (translating an expression for them costs more)."""

    column: str
    names: Mapping[Any, str]
    otherwise: str

    def __call__(self) -> nw.Expr:
        return nw.col(self.column).replace_strict(
            dict(self.names), default=self.otherwise, return_dtype=nw.String
        )

    def of(self, values: Iterable[Any]) -> list[str]:
        """The label of each value."""
        return [self.names.get(v, self.otherwise) for v in values]


SEX_LABEL = Lookup("sex", {"female": "female", "male": "male"}, SEX_OTHER)


def sex_label() -> nw.Expr:
    """female / male; any other value (other, not known) is not ranked or compared."""
    return SEX_LABEL()


ETHNIC_LABEL = Lookup("ethnic_category", BROAD_ETHNIC_GROUP, UNKNOWN)
DEPRIVATION_LABEL = Lookup("imd_quintile", QUINTILE_LABELS, UNKNOWN)


def broad_ethnic_group(column: str = "ethnic_category") -> nw.Expr:
    """Broad ethnic group of an NHS ethnic category code (:data:`BROAD_ETHNIC_GROUP`); a blank
    or any other code is Unknown."""
    return replace(ETHNIC_LABEL, column=column)()


def deprivation_label(column: str = "imd_quintile") -> nw.Expr:
    """:func:`ladder.place.enrich.deprivation_group` (a test checks they agree) as a
    :class:`Lookup`."""
    return replace(DEPRIVATION_LABEL, column=column)()


SEX = Characteristic(
    name="sex",
    noun="gender",
    label=SEX_LABEL,
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
    label=ETHNIC_LABEL,
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
    label=Lookup("disability", {True: DISABLED, False: NON_DISABLED}, UNKNOWN),
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
    label=Lookup("seb_parent_occupation", SEB_LABELS, NON_RESPONSE),
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
    label=DEPRIVATION_LABEL,
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
    staff = _selected(frame, reads)
    labels = [c for c in staff.columns if c not in (*KEYS, "hourly", "bonus")]
    snaps = _snapshots(staff)
    latest = snaps.group_by("org_code", "period").agg(pl.col("snapshot_date").max())
    if latest.height != snaps.height:  # several snapshots in a period: the latest only
        staff = staff.join(latest, on=list(KEYS), how="semi")
        snaps = snaps.join(latest, on=list(KEYS), how="semi")
    keys = snaps.sort(KEYS).with_row_index("k")
    if keys.height == 1:  # one organisation's snapshot (the usual case): no join
        k: pl.Expr | pl.Series = pl.lit(0, dtype=pl.UInt32).alias("k")
    else:
        # One snapshot per organisation: the organisation alone gives ``k``.
        on = ["org_code"] if keys.get_column("org_code").is_unique().all() else list(KEYS)
        # ``k`` joined on the key columns alone (the other columns are not copied).
        k = (
            staff.select(on)
            .join(keys.select(*on, "k"), on=on, how="left", nulls_equal=True, maintain_order="left")
            .get_column("k")
        )
    rates, h = _rates(staff.get_column("hourly"))
    rows = staff.select(k, h, "hourly", "bonus", *labels)
    return PayRows(rows, keys, rates)


_ONE_ORGANISATION = 2**17
"""More staff rows than one organisation has (the largest NHS trusts employ ~25,000)."""


_TYPED = {"snapshot_date": pl.Date, "period": pl.Int64, "hourly": pl.Float64, "bonus": pl.Float64}
"""The types of the pay rows' key and pay columns on every engine."""


def _selected(frame: nw.LazyFrame[Any], reads: Sequence[str | nw.Expr]) -> pl.DataFrame:
    """The staff frame's :data:`KEYS`, ``hourly`` (hourly pay of the full-pay relevant,
    else null), ``bonus`` (bonus pay above 0, else 0) and ``reads``, as Polars (integers as
    Int64, as :func:`to_polars` gives them). A Polars frame whose reads are columns (and pay
    is Float64, as the contract has it) is selected by one native query: the Narwhals
    translation costs more than the query."""
    native = frame.to_native()
    schema = native.collect_schema() if isinstance(native, pl.LazyFrame) else {}
    floats = all(schema.get(c) == pl.Float64 for c in ("hourly_pay", "bonus_pay"))
    if isinstance(native, pl.LazyFrame) and floats and all(isinstance(r, str) for r in reads):
        full_pay = pl.col("full_pay_relevant").fill_null(True) & pl.col("hourly_pay").is_not_null()
        pay = {
            "hourly": pl.when(full_pay).then(pl.col("hourly_pay")),
            "bonus": pl.when(pl.col("bonus_pay") > 0).then(pl.col("bonus_pay")).otherwise(0.0),
        }

        def typed(name: str) -> pl.Expr:
            dtype = schema[name]
            wide = isinstance(dtype, pl.Decimal) or (dtype.is_integer() and dtype != pl.Int64)
            return pl.col(name).cast(pl.Int64) if wide else pl.col(name)

        columns = [typed(c) for c in KEYS] + [e.alias(c) for c, e in pay.items()]
        columns += [typed(str(c)) for c in reads]
        return native.select(
            e.cast(_TYPED[e.meta.output_name()]) if e.meta.output_name() in _TYPED else e
            for e in columns
        ).collect()
    full_pay_nw = nw.col("full_pay_relevant").fill_null(True) & ~nw.col("hourly_pay").is_null()
    bonus = nw.when(nw.col("bonus_pay") > 0).then(nw.col("bonus_pay")).otherwise(nw.lit(0.0))
    selected = to_polars(
        frame.select(
            *KEYS,
            nw.when(full_pay_nw).then(nw.col("hourly_pay")).alias("hourly"),
            bonus.alias("bonus"),
            *reads,
        )
    )
    return selected.with_columns(pl.col(name).cast(dtype) for name, dtype in _TYPED.items())


def _snapshots(staff: pl.DataFrame) -> pl.DataFrame:
    """The staff rows' organisations' snapshots (:data:`KEYS`) with ``everyone`` (their
    rows), sorted by neither: one query when they are all of one snapshot (checked on one
    organisation's rows, the usual case; a grouping costs more there)."""
    if staff.height > _ONE_ORGANISATION:
        return _grouped_snapshots(staff)
    one = staff.select(
        pl.col(KEYS).first(),
        pl.len().alias("everyone"),
        pl.col(KEYS).min().name.suffix("_min"),
        pl.col(KEYS).max().name.suffix("_max"),
        pl.col(KEYS).null_count().name.suffix("_nulls"),
    )
    bounds = one.row(0, named=True)
    if bounds["everyone"] > 0 and all(
        bounds[f"{c}_nulls"] == 0 and bounds[f"{c}_min"] == bounds[f"{c}_max"] for c in KEYS
    ):
        return one.select(*KEYS, "everyone")
    return _grouped_snapshots(staff)


def _grouped_snapshots(staff: pl.DataFrame) -> pl.DataFrame:
    """:func:`_snapshots` by grouping. Lazy: Polars' streaming engine groups the rows by the
    three keys at a fraction of the eager group-by's cost."""
    return staff.lazy().group_by(KEYS).agg(pl.len().alias("everyone")).collect()


def _rates(hourly: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(rates, h): the distinct hourly rates, lowest first (NumPy's sort), and each row's
    rate's place among them (``h``, null where ``hourly`` is; joined on the rate)."""
    known = hourly.is_not_null().to_numpy()
    rates = pl.Series("hourly", np.unique(hourly.to_numpy()[known]), dtype=pl.Float64)
    h = (
        hourly.to_frame()
        .join(rates.to_frame().with_row_index("h"), on="hourly", how="left", maintain_order="left")
        .get_column("h")
    )
    return rates, h


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
# NumPy: figures from the rows, every organisation at once
#
# After the engine's one selection the pay gaps are a few small dense tables (one row per
# snapshot and hourly rate): NumPy computes them in microseconds, where each Polars query
# on such a table costs ~100 µs of planning. Every engine shares these steps.


def label_codes(rows: PayRows, char: Characteristic) -> tuple[np.ndarray, list[str]]:
    """Each row's label as its index (``c``) in the returned sorted list of labels. The label
    is found for the distinct values of its column only (a :class:`Lookup`'s in Python)."""
    column = char.label_column
    values = rows.rows.get_column(column)
    distinct = values.unique()
    if isinstance(char.label, Lookup) and char.label.column == char.reads:
        names = char.label.of(distinct.to_list())
    else:
        label = char.label() if char.reads else nw.col(column)  # else: labelled in the engine
        named = nw.from_native(distinct.to_frame()).with_columns(label.alias("_label"))
        names = named.get_column("_label").to_list()
    labels = sorted(set(names))
    codes = [labels.index(name) for name in names]
    return _coded(values, distinct, codes), labels


def _coded(values: pl.Series, distinct: pl.Series, codes: list[int]) -> np.ndarray:
    """``codes[i]`` for each of ``values`` equal to ``distinct[i]`` (null matching null;
    ``distinct`` holds every value once). Strings, booleans and integers of a small range
    become a position in a short array of codes (no join); other values are joined."""
    known = [(v, c) for v, c in zip(distinct.to_list(), codes, strict=True) if v is not None]
    no_value = next((c for v, c in zip(distinct.to_list(), codes, strict=True) if v is None), 0)
    index: np.ndarray | None = None
    if values.dtype == pl.String:
        index = values.cast(pl.Enum([v for v, _c in known])).to_physical().to_numpy()
        table = np.array([c for _v, c in known] + [no_value], dtype=np.int64)
        offset = 0
    elif values.dtype == pl.Boolean or values.dtype.is_integer():
        numbers = [int(v) for v, _c in known]
        low, high = (min(numbers), max(numbers)) if numbers else (0, -1)
        if high - low < 2**16 and low > -(2**52) and high < 2**52:  # exact as floats
            index = values.cast(pl.Int64).to_numpy()
            table = np.full(high - low + 2, no_value, dtype=np.int64)
            table[np.array(numbers, dtype=np.int64) - low] = [c for _v, c in known]
            offset = low
    if index is None:
        frame = values.to_frame().join(
            pl.DataFrame([distinct, pl.Series("_code", codes, dtype=pl.Int64)]),
            on=values.name,
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        return frame.get_column("_code").to_numpy().astype(np.int64)
    if index.dtype.kind == "f":  # nulls (NaN): the last code
        index = np.where(np.isnan(index), len(table) - 1 + offset, index)
    return table[index.astype(np.int64) - offset]


_DENSE = 2**24
"""Largest (snapshots × rates) table :func:`slots` counts directly (else it sorts)."""


@dataclass(frozen=True)
class Slots:
    """The pay rows laid out for NumPy (the same for every characteristic: kept per run).

    ``slot``: each row's (snapshot ``k``, hourly rate) combination; the slots are sorted by
    ``k`` and rate, no hourly pay after every rate, with their ``owner`` (``k``), ``rate``,
    ``full_pay`` (False: no hourly pay, rate NaN) and ``starts`` (each ``k``'s first slot;
    one bound more).
    ``recipients``: the rows with bonus pay, sorted by ``k`` and bonus, with their
    ``bonus_owner`` and ``bonus``."""

    slot: np.ndarray
    owner: np.ndarray
    rate: np.ndarray
    full_pay: np.ndarray
    starts: np.ndarray
    recipients: np.ndarray
    bonus_owner: np.ndarray
    bonus: np.ndarray


def slots(rows: PayRows) -> Slots:
    """The :class:`Slots` of pay rows."""
    snapshots, rates = rows.keys.height, rows.rates.len()
    k = rows.rows.get_column("k").to_numpy().astype(np.int64)
    h = rows.rows.get_column("h").fill_null(rates).to_numpy().astype(np.int64)
    key = k * (rates + 1) + h
    size = snapshots * (rates + 1)
    if size <= _DENSE:  # count each combination: no sort of the rows
        present = np.bincount(key, minlength=size) > 0
        combinations = np.flatnonzero(present)
        slot = (np.cumsum(present) - 1)[key]
    else:  # tens of thousands of rates in hundreds of organisations: sorted
        combinations, slot = np.unique(key, return_inverse=True)
    owner = combinations // (rates + 1)
    rate = np.append(rows.rates.to_numpy().astype(np.float64), np.nan)
    bonus = rows.rows.get_column("bonus")
    recipients = np.flatnonzero((bonus > 0).to_numpy())
    paid = bonus.to_numpy()[recipients]
    order = np.lexsort((paid, k[recipients]))
    return Slots(
        slot=slot,
        owner=owner,
        rate=rate[combinations % (rates + 1)],
        full_pay=combinations % (rates + 1) < rates,
        starts=pm.segment_starts(owner, snapshots),
        recipients=recipients[order],
        bonus_owner=k[recipients][order],
        bonus=paid[order],
    )


def _slots_of(ctx: Context, rows: PayRows) -> Slots:
    """The run's :class:`Slots` when ``rows`` are (or extend) the shared rows, else theirs."""
    shared = ctx.memoised("paygap.rows")
    if isinstance(shared, PayRows) and rows.keys is shared.keys:
        return ctx.memo("paygap.slots", lambda: slots(shared))
    return slots(rows)


def _members(labels: list[str], char: Characteristic) -> np.ndarray:
    """``members[c, g]``: 1 when label ``c`` is in reported group ``g`` (its index in
    ``char.groups``; a label can be in several, e.g. Mixed in Mixed and in BME)."""
    members = np.zeros((len(labels), len(char.groups)), dtype=np.int64)
    for g, pooled in enumerate(char.groups.values()):
        for label in pooled:
            if label in labels:
                members[labels.index(label), g] = 1
    return members


@dataclass(frozen=True)
class Figures:
    """Each reported group's figures per snapshot, arrays indexed [k, g]: ``relevant``
    (every employee), ``full_pay``, ``hourly_mean``, ``hourly_median``, ``recipients``
    (bonus above 0), ``bonus_mean``, ``bonus_median`` (NaN: no figure); ``sizes[k, q]``,
    the people in each quartile pay band, ``counts[k, q, g]``, those of each group;
    ``unknown[k]``, the relevant employees in no group."""

    relevant: np.ndarray
    full_pay: np.ndarray
    hourly_mean: np.ndarray
    hourly_median: np.ndarray
    recipients: np.ndarray
    bonus_mean: np.ndarray
    bonus_median: np.ndarray
    sizes: np.ndarray
    counts: np.ndarray
    unknown: np.ndarray


def _finite_array(values: np.ndarray) -> np.ndarray:
    """An overflowing figure is no figure (NaN, null in the results), never inf."""
    return np.where(np.isfinite(values), values, np.nan)


def figures(layout: Slots, codes: np.ndarray, labels: list[str], char: Characteristic) -> Figures:
    """The :class:`Figures` of labelled rows: a frequency table (people per slot and label)
    counted once, each group's pay from it (:func:`paygap_method.segment_medians`,
    :func:`paygap_method.quartile_bands`), the bonus from the recipients."""
    owners, width = len(layout.starts) - 1, len(labels)
    members = _members(labels, char)
    groups = members.shape[1]
    table = np.bincount(layout.slot * width + codes, minlength=len(layout.owner) * width)
    table = table.reshape(len(layout.owner), width)
    has_rate = layout.full_pay
    people = table @ members  # [slot, g]
    paid = people * has_rate[:, None]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        relevant = pm.segment_sums(people, layout.starts)
        full_pay = pm.segment_sums(paid, layout.starts)
        pay = np.where(paid > 0, paid * layout.rate[:, None], 0.0)  # only rates people are on
        hourly_mean = pm.segment_sums(pay, layout.starts) / full_pay
        # Each group's slots one after the other: one median pass for every group and k.
        per_group = np.arange(groups)[:, None] * len(layout.owner) + layout.starts[:-1]
        hourly_median = pm.segment_medians(
            np.tile(layout.rate, groups),
            paid.T.ravel(),
            np.append(per_group.ravel(), groups * len(layout.owner)),
        )
        # The recipients of each group, by group, k and bonus (rows in order of k and bonus).
        row, group = np.nonzero(members[codes[layout.recipients]])
        order = np.argsort(group, kind="stable")
        row, cell = row[order], group[order] * owners + layout.bonus_owner[row[order]]
        bonus = layout.bonus[row]
        recipients = np.bincount(cell, minlength=groups * owners)
        bonus_mean = np.bincount(cell, weights=bonus, minlength=groups * owners) / recipients
        bonus_median = pm.segment_medians(
            bonus, np.ones(len(bonus)), np.concatenate([[0], np.cumsum(recipients)])
        )

    def by_k(values: np.ndarray) -> np.ndarray:
        return values.reshape(groups, owners).T

    ranked = [c for c, label in enumerate(labels) if label in char.ranked]
    bands = pm.quartile_bands(table[:, ranked] * has_rate[:, None], layout.owner, owners)
    unknown = np.zeros(owners, dtype=np.int64)
    if char.unknown is not None and char.unknown in labels:
        unknown = pm.segment_sums(table[:, labels.index(char.unknown)], layout.starts)
    return Figures(
        relevant=relevant,
        full_pay=full_pay,
        hourly_mean=_finite_array(hourly_mean),
        hourly_median=_finite_array(by_k(hourly_median)),
        recipients=by_k(recipients),
        bonus_mean=_finite_array(by_k(bonus_mean)),
        bonus_median=_finite_array(by_k(bonus_median)),
        sizes=bands.sum(axis=2),
        counts=bands @ members[ranked],
        unknown=unknown,
    )


# --------------------------------------------------------------------------------------
# Results, column-wise

_TEXTS = ("id", "title", "measure", "unit", "method")
"""The result fields that are the same for every result of one kind."""

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
_FIELDS = ("value", "numerator", "denominator", "events", "total", "small")
"""The numeric fields of a kind's rows (NaN: none)."""


def _gap_array(reference: np.ndarray, group: np.ndarray) -> np.ndarray:
    """:func:`paygap_method.gap`, element-wise (NaN: no gap)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        gap = (reference - group) / reference * 100.0
    return _finite_array(np.where(reference != 0, gap, np.nan))


def _texts(
    char: Characteristic, key: str, title: str, measure: Measure, unit: Unit
) -> tuple[str, ...]:
    """The :data:`_TEXTS` of the ``key`` figures of ``char`` (id, title, measure, unit and
    method, as :meth:`_Rows.add` takes them)."""
    return (f"paygap.{char.name}.{key}", title, str(measure), str(unit), char.method(key))


class _Rows:
    """A characteristic's results, kind by kind, as NumPy arrays: a kind's figures on a grid
    (snapshot ``k`` × its groups), the rows kept flattened. :meth:`frame` sorts them and
    builds the results frame with a few gathers from small tables (texts, groups, notes)."""

    def __init__(self, snapshots: int) -> None:
        self.snapshots = snapshots
        self.kinds: list[tuple[str, ...]] = []
        self.rows: list[dict[str, np.ndarray | None]] = []
        self.sizes: list[int] = []

    def add(
        self,
        keep: np.ndarray,
        order: int,
        sub: np.ndarray | int,
        texts: tuple[str, ...],
        *,
        group: np.ndarray | int,
        note: np.ndarray | int,
        breakdown: np.ndarray | int = 0,
        **fields: np.ndarray,
    ) -> None:
        """Rows of one kind where ``keep`` [k, x]: ``order`` and ``sub`` (below 1000) their
        place among a snapshot's results, ``texts`` the :data:`_TEXTS`; ``group`` the index
        of the group name, ``note`` of the snapshot's note, ``breakdown`` of the breakdown;
        the :data:`_FIELDS` given (the others NaN): ``events`` and ``total`` of a rate (value
        and interval from them), ``small`` the size of the smallest group a figure is about.
        Each is an [x] array (the same for every snapshot) or a [k, x] array."""
        k, x = np.nonzero(keep)

        def pick(values: np.ndarray | int) -> np.ndarray:
            if isinstance(values, int):
                return np.full(len(k), values)
            return values[k, x] if values.ndim == 2 else values[x]

        self.rows.append(
            {
                "k": k,
                "_place": pick(order * 1000 + sub),
                "group": pick(group),
                "note": pick(note),
                "breakdown": pick(breakdown),
                **{name: None if name not in fields else pick(fields[name]) for name in _FIELDS},
            }
        )
        self.kinds.append(texts)
        self.sizes.append(len(k))

    def frame(self, keys: pl.DataFrame, groups: list[str], notes: list[str | None]) -> pl.DataFrame:
        """Every result, sorted by organisation, period and place, as a results frame
        (``keys`` sorted by organisation and period, ``k`` their row)."""
        sizes = self.sizes

        def column(name: str) -> np.ndarray:
            return np.concatenate(
                [
                    np.full(n, np.nan) if part[name] is None else part[name]
                    for part, n in zip(self.rows, sizes, strict=True)
                ]
            )

        c = {name: column(name) for name in self.rows[0]}
        c["_kind"] = np.repeat(np.arange(len(sizes)), sizes)
        order = np.lexsort((c["_place"], c["k"]))
        c = {name: values[order] for name, values in c.items()}
        rated = ~np.isnan(c["total"])
        value, lower, upper = (x * 100.0 for x in stats.wilson_arrays(c["events"], c["total"]))
        numbers = pl.DataFrame(
            [
                pl.Series("value", np.where(rated, value, c["value"]), nan_to_null=True),
                *(
                    pl.Series(name, c[name], nan_to_null=True).cast(pl.Int64)
                    for name in ("numerator", "denominator")
                ),
                pl.Series("ci_lower", lower, nan_to_null=True),
                pl.Series("ci_upper", upper, nan_to_null=True),
                pl.Series("suppressed", np.zeros(len(order), dtype=bool)),
            ]
        )
        kinds = _texts_table(tuple(self.kinds))
        small = np.nan_to_num(c["small"], nan=SMALL_GROUP) < SMALL_GROUP
        parts = [
            kinds[c["_kind"]],
            pl.DataFrame([keys.get_column("org_code").alias("org"), keys.get_column("period")])[
                c["k"]
            ],
            _group_table(tuple(groups))[c["group"]],
            _BREAKDOWNS[c["breakdown"]],
            _FLAGS[small.astype(np.int64)],
            pl.DataFrame({"note": notes}, schema={"note": pl.String})[
                c["k"] * (len(notes) // max(self.snapshots, 1)) + c["note"]
            ],
            numbers,
        ]
        columns = {series.name: series for part in parts for series in part.get_columns()}
        nothing = pl.Series(np.full(len(order), np.nan), nan_to_null=True).cast(pl.Int64)
        columns["reference_numerator"] = nothing.alias("reference_numerator")
        columns["reference_denominator"] = nothing.alias("reference_denominator")
        return pl.DataFrame([columns[name] for name in RESULT_SCHEMA])


@functools.cache
def _texts_table(kinds: tuple[tuple[str, ...], ...]) -> pl.DataFrame:
    """The :data:`_TEXTS` of each kind as a table (row: the kind; a characteristic's texts
    are constants, built once)."""
    return pl.DataFrame(
        {name: [k[i] for k in kinds] for i, name in enumerate(_TEXTS)},
        schema=dict.fromkeys(_TEXTS, pl.String),
    )


@functools.cache
def _group_table(groups: tuple[str, ...]) -> pl.DataFrame:
    """The group names as a table (row: the index of a group)."""
    return pl.DataFrame({"group": groups}, schema={"group": pl.String})


_BREAKDOWNS = pl.DataFrame(
    {"breakdown": [[], *([{"name": "quartile", "value": q}] for q in pm.QUARTILES)]},
    schema={"breakdown": BREAKDOWN},
)
"""Row 0: no breakdown; row q + 1: quartile pay band q."""
_FLAGS = pl.DataFrame({"flags": [[], [SMALL_GROUP_FLAG]]}, schema={"flags": pl.List(pl.String)})
"""Row 0: no flag; row 1: a small group."""


def characteristic_frame(char: Characteristic, keys: pl.DataFrame, fig: Figures) -> pl.DataFrame:
    """Every figure of one characteristic, every organisation's snapshot, as a results frame
    in the order of a snapshot's results: the gaps, each group's pay, the bonus proportions,
    the quartile pay bands and the unknown share."""
    snapshots = keys.height
    groups = list(char.groups)
    rank = {g: i for i, g in enumerate(groups)}
    names = [*groups, char.unknown or ""]
    pairs = len(char.comparisons)
    # The notes of each snapshot: [reference group (pair), bonus recipients] of each gap,
    # then each group's figures, then the unknown share.
    notes: list[str | None] = []
    for date in keys.get_column("snapshot_date").to_list():  # a few dates: in Python
        when = None if date is None else f"snapshot {date.isoformat()}"
        for _group, ref in char.comparisons:
            for recipients in ("", "; bonus recipients only"):
                notes.append(
                    None if when is None else f"reference group: {ref}; {when}{recipients}"
                )
        notes.extend([when, None if when is None else f"relevant employees; {when}"])
    plain, unknown_note = 2 * pairs, 2 * pairs + 1
    rows = _Rows(snapshots)
    table = {
        name: getattr(fig, name)
        for name in (
            "relevant",
            "full_pay",
            "hourly_mean",
            "hourly_median",
            "recipients",
            "bonus_mean",
            "bonus_median",
        )
    }
    compared = np.array([rank[g] for g, _r in char.comparisons], dtype=np.int64)
    reference = np.array([rank[r] for _g, r in char.comparisons], dtype=np.int64)
    pair = np.arange(pairs)
    for index, (key, stat, what, base, figure) in enumerate(GAPS):
        n, n_ref = table[base][:, compared], table[base][:, reference]
        rows.add(
            (n > 0) & (n_ref > 0),
            0,
            index * 100 + pair,
            _texts(char, key, f"{stat} {char.noun} pay gap in {what}", Measure.GAP, Unit.PERCENT),
            group=compared,
            note=2 * pair + (base == "recipients"),
            value=_gap_array(table[figure][:, reference], table[figure][:, compared]),
            numerator=n,
            denominator=n_ref,
            small=np.minimum(n, n_ref),
        )
    everyone = np.arange(len(groups))
    for index, (key, title, base, figure) in enumerate(LEVELS):
        measure = Measure.MEAN if key.endswith("mean") else Measure.MEDIAN
        rows.add(
            table[base] > 0,
            1,
            index * 100 + everyone,
            _texts(char, key, title, measure, Unit.GBP),
            group=everyone,
            note=plain,
            value=table[figure],
            denominator=table[base],
            small=table[base],
        )
    rows.add(
        fig.relevant > 0,
        2,
        everyone,
        _texts(
            char,
            "bonus_proportion",
            "Proportion of employees receiving bonus pay",
            Measure.RATE,
            Unit.PERCENT,
        ),
        group=everyone,
        note=plain,
        events=fig.recipients,
        total=fig.relevant,
        numerator=fig.recipients,
        denominator=fig.relevant,
        small=fig.relevant,
    )
    reported = np.array([rank[g] for g in char.quartile_groups], dtype=np.int64)
    quartile = np.repeat(np.arange(len(pm.QUARTILES)), len(reported))
    cell = np.tile(reported, len(pm.QUARTILES))
    counts = fig.counts[:, quartile, cell]
    sizes = fig.sizes[:, quartile]
    filled = fig.sizes.sum(axis=1) >= 4  # four people at least, to fill four quartile pay bands
    rows.add(
        np.broadcast_to(filled[:, None], counts.shape),
        3,
        quartile * 100 + np.tile(np.arange(len(reported)), len(pm.QUARTILES)),
        _texts(
            char, "quartiles", "Proportion of each quartile pay band", Measure.SHARE, Unit.PERCENT
        ),
        group=cell,
        note=plain,
        breakdown=quartile + 1,
        events=counts,
        total=sizes,
        numerator=counts,
        denominator=sizes,
        small=fig.full_pay[:, cell],
    )
    if char.unknown is not None:
        everyone_k = keys.get_column("everyone").to_numpy().astype(np.int64)[:, None]
        rows.add(
            everyone_k > 0,
            4,
            0,
            _texts(char, "unknown_share", char.unknown_title, Measure.SHARE, Unit.PERCENT),
            group=len(groups),
            note=unknown_note,
            events=fig.unknown[:, None],
            total=everyone_k,
            numerator=fig.unknown[:, None],
            denominator=everyone_k,
        )
    return rows.frame(keys, names, notes)


def compute(ctx: Context, char: Characteristic) -> Produced:
    """Every figure of one characteristic for every organisation and period."""
    rows = staff_rows(ctx, char)
    codes, labels = label_codes(rows, char)
    present = np.bincount(codes, minlength=len(labels))
    if not any(present[i] for i, label in enumerate(labels) if label in char.ranked):
        return []  # nobody has a known group: the characteristic is not recorded
    layout = _slots_of(ctx, rows)
    return characteristic_frame(char, rows.keys, figures(layout, codes, labels, char))


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
