"""Representation: each characteristic by pay band, against the workforce and a local benchmark.

For every characteristic declared in :data:`CHARACTERISTICS` (one line each) Ladder publishes

- ``representation.<name>``: the share of staff in each group within each pay band, and the
  same share over all bands (``pay_band`` = ``all``, the whole workforce), as WRES indicator 1
  does for ethnicity (``Measure.SHARE``; a band's shares add up to 100);
- ``representation.<name>.benchmark``: when ``Settings.benchmark`` holds local-population
  shares for the characteristic, the workforce share minus the local share, in percentage
  points (``Measure.DIFFERENCE``);
- ``representation.<name>.benchmark_ratio``: the workforce share divided by the local share
  (1.00 is representative; ``Unit.RATIO``).

The benchmark comparisons use the workforce share among staff whose group is known (the
characteristic's unknown groups left out), since population figures have no "unknown".

Suppression: a characteristic's shares are one table (bands and the ``all`` column), withheld
here (primary, then secondary along every line: :func:`published`) so that every figure that
republishes one of its counts (a benchmark comparison) can be withheld with it: no withheld
count can be derived from another published figure. Method and choices:
docs/methods/seb-representation.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import polars as pl

from ladder.codes import AGE_SCHEMES, ALL_AGE_BANDS, PAY_BANDS, age_label
from ladder.engines import EngineName
from ladder.metrics import stats, suppression
from ladder.metrics.builders import NO_EVIDENCE, rate_frame
from ladder.metrics.context import Context
from ladder.metrics.enrichment import AREA, place_areas, place_columns, sum_by
from ladder.metrics.expressions import (
    BME,
    DISABLED,
    NON_DISABLED,
    UNKNOWN,
    WHITE,
    disability_group,
    ethnic_group,
    seb_group,
    to_polars,
)
from ladder.metrics.kit import reported_band, workforce
from ladder.metrics.kit.groupings import seb_label
from ladder.metrics.kit.workforce import (
    SHARED,
    polars_reported_band,
    staff_areas,
    workforce_counts,
)
from ladder.metrics.registry import Produced, indicator
from ladder.metrics.results import Measure, Result, Unit, evolve
from ladder.metrics.table import RESULT_SCHEMA, results_from_frame
from ladder.place.enrich import (
    COLUMNS,
    DEPRIVATION_GROUPS,
    DEPRIVATION_NOTE,
    QUINTILE_LABELS,
    deprivation_group,
)

DOC = "Ladder docs/methods/seb-representation.md"
METHOD = (
    "NHS England, Workforce Race Equality Standard technical guidance, indicator 1 (percentage "
    f"of staff in each band compared with the overall workforce), applied to each characteristic; "
    f"{DOC}, 'Representation by pay band'"
)
BENCHMARK_METHOD = f"{DOC}, 'Against a local population benchmark'"
SMC_TOOLKIT = (
    "Social Mobility Commission, Socio-economic diversity and inclusion: employers' toolkit "
    "(2020, updated 2021), 'Measurement'"
)

ALL = "all"
"""The ``pay_band`` of the whole-workforce share (every band together), as in WRES 1."""

NON_RESPONSE = "non-response"
SEB_GROUPS: tuple[str, ...] = ("professional", "intermediate", "lower")
"""SMC parental-occupation groups in reporting order (non-response is left out)."""
SEX_LABELS: dict[str, str] = {"female": "female", "male": "male", "other": "other"}
"""Groups keep the contract's values, as the pay gap indicators do."""
SEX_GROUPS: tuple[str, ...] = (*SEX_LABELS.values(), UNKNOWN)

Enrich = Callable[[Context, nw.LazyFrame[Any]], nw.LazyFrame[Any]]


def labelled(column: str, labels: Mapping[str, str], otherwise: str = UNKNOWN) -> nw.Expr:
    """``labels[value]`` for each listed value of ``column``; any other value (or null) is
    ``otherwise``."""
    value = nw.col(column)
    expr: nw.Expr = nw.lit(otherwise)
    for raw, label in reversed(list(labels.items())):
        expr = nw.when(value == raw).then(nw.lit(label)).otherwise(expr)
    return expr


def sex_group(column: str = "sex") -> nw.Expr:
    """female / male / other (the canonical sex values); Unknown when not known."""
    return labelled(column, SEX_LABELS)


# Polars twins of the characteristics' expressions, for the Polars engine's shared counts
# (:func:`_every_band_count`): translating the Narwhals expressions costs more there than
# counting with them. The test suite checks each twin gives every value the same group.


def polars_labelled(column: str, labels: Mapping[str, str], otherwise: str = UNKNOWN) -> pl.Expr:
    """:func:`labelled` in Polars (one lookup rather than a chain: null is ``otherwise``)."""
    return pl.col(column).replace_strict(
        list(labels), list(labels.values()), default=otherwise, return_dtype=pl.String
    )


def polars_sex_group(column: str = "sex") -> pl.Expr:
    """:func:`sex_group` in Polars."""
    return polars_labelled(column, SEX_LABELS)


def _age_order() -> tuple[str, ...]:
    """Every age band as reports show it (without its scheme), ordered by the ages it holds,
    so the bands of any one scheme come in age order."""
    bounds: dict[str, tuple[int, int]] = {}
    for bands in AGE_SCHEMES.values():
        for band, low, high in bands:
            bounds.setdefault(age_label(band), (low or 0, 999 if high is None else high))
    return tuple(sorted(bounds, key=lambda b: bounds[b]))


AGE_LABELS: tuple[str, ...] = _age_order()
AGE_NOTE = (
    "age bands as the data gives them (ESR, ONS five-year or ten-year bands; "
    "docs/validation.md, 'Age bands')"
)


def age_group(column: str = "age_band") -> nw.Expr:
    """The age band as given, without its scheme (``ons5:20-24`` → ``20-24``); Unknown when
    blank or not a band of a known scheme."""
    value = nw.col(column)
    # one condition rather than a chain of one per band (as fast on any number of bands):
    # a known band without the text up to its first colon is its label (age_label)
    return (
        nw.when(value.is_in(list(ALL_AGE_BANDS)))
        .then(value.str.replace_all(_SCHEME, ""))
        .otherwise(nw.lit(UNKNOWN))
    )


def polars_age_group(column: str = "age_band") -> pl.Expr:
    """:func:`age_group` in Polars."""
    value = pl.col(column)
    return (
        pl.when(value.is_in(list(ALL_AGE_BANDS)))
        .then(value.str.replace_all(_SCHEME, ""))
        .otherwise(pl.lit(UNKNOWN))
    )


_SCHEME = "^[^:]*:"
"""The scheme prefix of an age band (``ons5:``), as a pattern."""
assert all(re.sub(_SCHEME, "", band) == age_label(band) for band in ALL_AGE_BANDS)


@dataclass(frozen=True)
class Characteristic:
    """One characteristic whose representation is published by pay band.

    - ``name``: the id suffix (``representation.<name>``); ``title`` how titles name it.
    - ``key``: its key in ``Settings.benchmark`` (e.g. ``ethnic_group``).
    - ``column``: the staff column it is read from (must hold some values).
    - ``expression``: a Narwhals expression giving each person's group label.
    - ``groups``: every label the expression gives that is reported, in reporting order.
    - ``unknown``: reported groups left out of benchmark comparisons (not known, not stated).
    - ``excluded``: labels left out of the table and of every denominator (SEB non-response,
      as the SMC recommends).
    - ``note``: attached to every figure (e.g. how groups are formed); ``source``: the
      document the grouping follows, added to the method when it is not the WRES's.
    - ``enrich``: optional step adding the columns the expression needs (e.g. a join to the
      deprivation deciles) before it is evaluated.
    - ``reads``: the one column the expression reads, when declared: the engine then counts
      by it and the expression is evaluated on its distinct values only (faster); otherwise
      the expression is evaluated on every row, in the engine.
    - ``polars``: optionally, the expression written in Polars (the same groups), which the
      Polars engine uses on its shared counts.
    """

    name: str
    key: str
    column: str
    expression: Callable[[], nw.Expr]
    groups: tuple[str, ...]
    unknown: tuple[str, ...] = (UNKNOWN,)
    excluded: tuple[str, ...] = ()
    title: str = ""
    note: str | None = None
    source: str | None = None
    enrich: Enrich | None = None
    reads: str | None = None
    polars: Callable[[], pl.Expr] | None = None

    @property
    def label(self) -> str:
        """How titles name the characteristic (``title``, else ``name``)."""
        return self.title or self.name

    @property
    def id(self) -> str:
        return f"representation.{self.name}"

    @property
    def method(self) -> str:
        return METHOD if self.source is None else f"{METHOD}; {self.source}"

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(g for g in self.groups if g not in self.unknown)


SEB_NOTE = (
    "SMC parental occupation at 14: professional 1-2, intermediate 3 and 7, lower 4-6; "
    "options 8 and 9 and blanks are non-response, left out of the denominator"
)

ETHNIC_GROUPS: tuple[str, ...] = (WHITE, BME, UNKNOWN)
DISABILITY_GROUPS: tuple[str, ...] = (DISABLED, NON_DISABLED, UNKNOWN)
AGE_GROUPS: tuple[str, ...] = (*AGE_LABELS, UNKNOWN)

CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic(
        "ethnicity",
        "ethnic_group",
        "ethnic_category",
        ethnic_group,
        ETHNIC_GROUPS,
        reads="ethnic_category",
    ),
    Characteristic(
        "sex", "sex", "sex", sex_group, SEX_GROUPS, reads="sex", polars=polars_sex_group
    ),
    Characteristic(
        "disability",
        "disability",
        "disability",
        disability_group,
        DISABILITY_GROUPS,
        reads="disability",
    ),
    Characteristic(
        "age",
        "age_band",
        "age_band",
        age_group,
        AGE_GROUPS,
        title="age band",
        note=AGE_NOTE,
        reads="age_band",
        polars=polars_age_group,
    ),
    Characteristic(
        "seb",
        "seb_group",
        "seb_parent_occupation",
        seb_group,
        SEB_GROUPS,
        unknown=(),
        excluded=(NON_RESPONSE,),
        note=SEB_NOTE,
        title="socio-economic background",
        source=f"groups as the {SMC_TOOLKIT}",
        reads="seb_parent_occupation",
        polars=seb_label,
    ),
    Characteristic(
        "deprivation",
        "deprivation_quintile",
        "home_postcode",
        deprivation_group,
        DEPRIVATION_GROUPS,
        title="deprivation quintile of home area",
        note=DEPRIVATION_NOTE,
        source="English Indices of Deprivation 2019 (national quintiles); docs/methods/place.md",
        enrich=place_columns,
        reads="imd_quintile",
    ),
)
"""The declared characteristics: adding one is one line here (and its tests)."""

BY_NAME: dict[str, Characteristic] = {c.name: c for c in CHARACTERISTICS}


# --- Engine side: one small aggregate per characteristic ------------------------------------


def band_counts(ctx: Context, characteristic: Characteristic) -> pl.DataFrame:
    """Headcount by organisation, period, pay band and group (``count``), from the engine.

    The workforce and its bands are WRES indicator 1's (:func:`wres.workforce`,
    :func:`wres.reported_band`): the latest snapshot of each period, without non-executive
    board members, executive board members reported as VSM. When the characteristic declares
    the column it ``reads``, the engine counts by its values, the recorded pay band and the
    executive flag, and the reported band and the group expression are evaluated on that
    small table.
    """
    c = characteristic
    if ctx.engine is EngineName.polars and c in _shared_counts():
        shared = ctx.memo("representation.counts", lambda: _every_band_count(ctx))
        if c.name in shared:
            return shared[c.name]
    if c.enrich is place_columns and c.reads in COLUMNS and ctx.engine is EngineName.polars:
        # the place column read from the home area's index of the workforce counts the staff
        # place figures read (:func:`staff_areas`), not from a second enriched workforce
        counts = staff_areas(ctx)
        _, areas = place_areas(ctx)
        if counts.height <= SMALL_AREA_COUNTS and c.expression is deprivation_group:
            return _small_deprivation_counts(counts, areas[c.reads].gather(counts[AREA]))
        placed = counts.with_columns(areas[c.reads].gather(counts[AREA]))
        keys = ["org_code", "period", "pay_band", c.reads]
        return _named(to_polars(nw.from_native(sum_by(placed, keys).select(*keys, "count"))), c)
    frame = workforce(ctx)
    if c.enrich is not None:
        frame = c.enrich(ctx, frame)
    if c.reads is None:
        return to_polars(
            frame.with_columns(
                reported_band().alias("pay_band"),
                c.expression().alias("group"),
            )
            .group_by("org_code", "period", "pay_band", "group")
            .agg(nw.len().alias("count"))
        )
    # counted by the recorded band (and executive flag) too: the reported band is a
    # function of them, given on the small table (:func:`_named` sums by it)
    raw = to_polars(
        frame.group_by("org_code", "period", "pay_band", "is_executive", c.reads).agg(
            nw.len().alias("count")
        )
    )
    if raw.height <= SMALL_COUNTS:  # banded, named and summed in one query
        return to_polars(
            nw.from_native(raw.lazy())
            .with_columns(reported_band().alias("pay_band"), c.expression().alias("group"))
            .group_by("org_code", "period", "pay_band", "group")
            .agg(nw.col("count").sum())
        )
    banded = nw.from_native(raw).with_columns(reported_band().alias("pay_band"))
    return _named(banded.drop("is_executive").to_native(), c)


SMALL_AREA_COUNTS = 100_000
"""Up to this many rows of the workforce's area counts (one large trust has about 10,000),
representation by deprivation is counted in one plain query (:func:`_small_deprivation_counts`)."""


def _small_deprivation_counts(counts: pl.DataFrame, quintile: pl.Series) -> pl.DataFrame:
    """:func:`band_counts` of deprivation from the workforce's area counts and each row's
    ``imd_quintile``, in one in-memory query: on one trust's counts, the coded group-by of
    :func:`~ladder.metrics.enrichment.sum_by` and the Narwhals labelling cost more than the
    data. The labels are :func:`~ladder.place.enrich.deprivation_group`'s, in Polars."""
    label: pl.Expr = pl.lit(UNKNOWN)
    for value, name in reversed(list(QUINTILE_LABELS.items())):
        label = pl.when(pl.col("imd_quintile") == value).then(pl.lit(name)).otherwise(label)
    return (
        counts.lazy()
        .with_columns(quintile.alias("imd_quintile"))
        .group_by("org_code", "period", "pay_band", label.alias("group"))
        .agg(pl.col("count").cast(pl.Int64).sum())
        .with_columns(pl.col("period").cast(pl.Int64))
        .collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())
    )


def _shared_counts() -> tuple[Characteristic, ...]:
    """The declared characteristics read from one workforce column as it is (no enrich
    step): :func:`band_counts` counts them all at once."""
    return tuple(c for c in CHARACTERISTICS if c.enrich is None and c.reads is not None)


SMALL_WORKFORCE_COUNTS = 20_000
"""Up to this many rows of the workforce counted by every column the characteristics read,
:func:`_every_band_count` labels those rows in one query (one large trust: a few thousand);
beyond, each characteristic takes its own query (its labels from its column's values)."""


def _every_band_count(ctx: Context) -> dict[str, pl.DataFrame]:
    """:func:`band_counts` of :func:`_shared_counts` (Polars engine): a grouping the WRES
    and WDES workforce counts already hold is summed from them
    (:func:`~ladder.metrics.kit.workforce.workforce_counts`, one query a run for both); the
    others from one count of the workforce by every column they read, banded and labelled
    once, then summed by each group in one more query, when that count is small (on one
    trust a query per step and per characteristic costs more than the counting). A
    characteristic left out is counted on its own (:func:`band_counts`)."""
    out: dict[str, pl.DataFrame] = {}
    chosen: list[Characteristic] = []
    for c in _shared_counts():
        expression: object = c.expression
        held = [g for g in SHARED if g.of is expression and g.column == c.reads]
        if held:
            out[c.name] = workforce_counts(ctx, held[0], "pay_band")
        else:
            chosen.append(c)
    reads = list(dict.fromkeys(c.reads for c in chosen if c.reads is not None))
    if not reads:
        return out
    none = pl.QueryOptFlags.none()
    native: pl.LazyFrame = workforce(ctx).to_native()
    counted = (  # over the whole workforce: Polars' default engine (in memory it takes
        # twice the memory on national data)
        native.group_by("org_code", "period", "pay_band", "is_executive", *reads)
        .agg(pl.len().alias("count"))
        .collect()
    )
    if counted.height > SMALL_WORKFORCE_COUNTS:
        return out
    groups = {
        f"_group{i}": c.expression() for i, c in enumerate(chosen) if c.polars is None
    }  # in Narwhals, with the reported band; the rest in Polars
    banded: pl.LazyFrame = (
        nw.from_native(counted.lazy())
        .with_columns(reported_band().alias("pay_band"), **groups)
        .to_native()
        if groups
        else counted.lazy().with_columns(polars_reported_band().alias("pay_band"))
    )
    labelled = banded.with_columns(
        c.polars().alias(f"_group{i}") for i, c in enumerate(chosen) if c.polars is not None
    ).collect(engine="in-memory", optimizations=none)
    found = pl.collect_all(
        [
            labelled.lazy()
            .group_by("org_code", "period", "pay_band", pl.col(f"_group{i}").alias("group"))
            .agg(pl.col("count").cast(pl.Int64).sum())
            .with_columns(pl.col("period").cast(pl.Int64))
            for i in range(len(chosen))
        ],
        engine="in-memory",
        optimizations=none,
    )
    out.update((c.name, counts) for c, counts in zip(chosen, found, strict=True))
    return out


def _named(raw: pl.DataFrame, c: Characteristic) -> pl.DataFrame:
    """Counts by org_code, period, pay_band and the column ``c`` reads, summed by group."""
    assert c.reads is not None
    if raw.height <= SMALL_COUNTS:  # few rows: the expression on each, in one query
        return to_polars(
            nw.from_native(raw.lazy())
            .with_columns(c.expression().alias("group"))
            .group_by("org_code", "period", "pay_band", "group")
            .agg(nw.col("count").sum())
        )
    values = raw.select(c.reads).unique()
    named = nw.from_native(values).with_columns(c.expression().alias("group")).to_native()
    return (
        raw.join(named, on=c.reads, how="left", nulls_equal=True)
        .group_by("org_code", "period", "pay_band", "group")
        .agg(pl.col("count").sum())
    )


# --- Python side: tables of shares ----------------------------------------------------------

CellKey = tuple[str, int, str, str]
"""(org, period, group, coordinate along the table's axis) of one table cell."""


def _rank(value: str, order: Sequence[str]) -> tuple[int, int, str]:
    """Sort key: values in ``order`` first, in that order; any other value after, by name."""
    return (0, order.index(value), "") if value in order else (1, 0, value)


def share_frame(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    groups: Sequence[str],
    exclude: Sequence[str] = (),
    axis: str | None = None,
    order: Sequence[str] = (),
    total: str | None = None,
    note: str | None = None,
) -> pl.DataFrame:
    """Shares (``Measure.SHARE``, percent) of each group within each value of ``axis``.

    ``counts`` has ``org_code``, ``period``, ``group``, ``count`` and the ``axis`` column;
    rows whose group is in ``exclude`` are left out (they are in no denominator). The
    table is complete: every group present in an organisation-period gets a cell (0 where it
    has nobody) on every line of that organisation-period, so each line's shares add up to
    100. ``total`` names an extra value of ``axis`` holding every line together (e.g. the
    whole workforce, ``all``). Rows are in ``order`` (axis) and ``groups`` order (any other
    value after, by name), ``total`` last.
    """
    if _small(counts, axis):
        return _small_share_frame(
            counts,
            id=id,
            title=title,
            method=method,
            groups=groups,
            exclude=exclude,
            axis=axis,
            order=order,
            total=total,
            note=note,
        )
    keys = ["org_code", "period"]
    cells = counts.filter(~pl.col("group").is_in(list(exclude)))
    if axis is None:
        axis_name = "__line"
        cells = cells.with_columns(pl.lit("").alias(axis_name))
    else:
        axis_name = axis
        cells = cells.with_columns(pl.col(axis).cast(pl.String))
    cells = cells.select(*keys, axis_name, "group", pl.col("count").cast(pl.Int64))
    if total is not None:
        whole = cells.group_by(*keys, "group").agg(pl.col("count").sum())
        cells = pl.concat(
            [cells, whole.select(*keys, pl.lit(total).alias(axis_name), "group", "count")]
        )
    cells = cells.group_by(*keys, axis_name, "group").agg(pl.col("count").sum())
    present = cells.filter(pl.col("count") > 0)
    if present.is_empty():
        return pl.DataFrame(schema=RESULT_SCHEMA)
    grid = (
        present.select(*keys, axis_name)
        .unique()
        .join(present.select(*keys, "group").unique(), on=keys)
    )
    full = (
        grid.join(cells, on=[*keys, axis_name, "group"], how="left")
        .with_columns(pl.col("count").fill_null(0).alias("events"))
        .with_columns(pl.col("events").sum().over(*keys, axis_name).alias("total"))
    )
    frame = rate_frame(
        full,
        id=id,
        title=title,
        method=method,
        measure=Measure.SHARE,
        breakdown=[axis_name] if axis is not None else [],
    ).with_columns(pl.lit(note, dtype=pl.String).alias("note"))
    line = full.sort("org_code", "period", axis_name, "group", maintain_order=True)[axis_name]
    if axis is None:
        line = pl.Series(axis_name, [""] * frame.height, dtype=pl.String)
    last = (line == total) if total is not None else pl.Series([False] * frame.height)
    ordered = frame.with_columns(
        last.cast(pl.Int8).alias("_last"),
        *_rank_columns(line, order, "_line"),
        *_rank_columns(frame["group"].fill_null(""), groups, "_group"),
    ).sort(
        "org",
        "period",
        "_last",
        "_line0",
        "_line1",
        "_line2",
        "_group0",
        "_group1",
        "_group2",
        maintain_order=True,
    )
    return ordered.select(list(RESULT_SCHEMA))


def _rank_columns(values: pl.Series, order: Sequence[str], name: str) -> list[pl.Series]:
    """:func:`_rank` of each value, as three columns to sort by (column-wise)."""
    position = {v: i for i, v in reversed(list(enumerate(order)))}  # first place of each
    listed = values.is_in(list(position))
    frame = pl.DataFrame({"v": values, "in": listed}).select(
        pl.when(pl.col("in")).then(0).otherwise(1).cast(pl.Int64).alias(f"{name}0"),
        pl.when(pl.col("in"))
        .then(
            pl.col("v").replace_strict(
                list(position), list(position.values()), default=0, return_dtype=pl.Int64
            )
        )
        .otherwise(0)
        .cast(pl.Int64)
        .alias(f"{name}1"),
        pl.when(pl.col("in"))
        .then(pl.lit(""))
        .otherwise(pl.col("v"))
        .cast(pl.String)
        .alias(f"{name}2"),
    )
    return frame.get_columns()


SMALL_COUNTS = 1000
"""Up to this many rows of counts, :func:`share_frame` builds its table in Python (the same
figures, in the same order), without a query per step."""


def _small(counts: pl.DataFrame, axis: str | None) -> bool:
    """Whether :func:`share_frame` can build the table of ``counts`` in Python: few rows, its
    keys text (the period an integer) and its counts integers, none of them null."""
    if counts.height > SMALL_COUNTS:
        return False
    schema = counts.schema
    text = ["org_code", "group", *([axis] if axis is not None else [])]
    if any(schema[k] != pl.String for k in text) or not schema["period"].is_integer():
        return False
    if not schema["count"].is_integer():
        return False
    return not any(counts[k].null_count() for k in [*text, "period", "count"])


def _small_share_frame(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    groups: Sequence[str],
    exclude: Sequence[str],
    axis: str | None,
    order: Sequence[str],
    total: str | None,
    note: str | None,
) -> pl.DataFrame:
    """:func:`share_frame` of a small table (:func:`_small`), its cells worked out in Python."""
    axis_name = "__line" if axis is None else axis
    excluded = set(exclude)
    orgs = counts["org_code"].to_list()
    periods = counts["period"].to_list()
    lines = counts[axis].to_list() if axis is not None else [""] * counts.height
    names = counts["group"].to_list()
    numbers = counts["count"].to_list()
    cells: dict[tuple[str, int, str, str], int] = {}
    whole: dict[tuple[str, int, str], int] = {}
    for org, period, line, group, n in zip(orgs, periods, lines, names, numbers, strict=True):
        if group in excluded:
            continue
        cells[(org, period, line, group)] = cells.get((org, period, line, group), 0) + n
        if total is not None:
            whole[(org, period, group)] = whole.get((org, period, group), 0) + n
    if total is not None:
        for (org, period, group), n in whole.items():
            cells[(org, period, total, group)] = cells.get((org, period, total, group), 0) + n
    present_lines: dict[tuple[str, int], set[str]] = {}
    present_groups: dict[tuple[str, int], set[str]] = {}
    for (org, period, line, group), n in cells.items():
        if n > 0:
            present_lines.setdefault((org, period), set()).add(line)
            present_groups.setdefault((org, period), set()).add(group)
    if not present_lines:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    rows = sorted(
        (org, period, line, group)
        for (org, period), on in present_lines.items()
        for line in on
        for group in present_groups[(org, period)]
    )  # the order of rate_frame's rows: by organisation, period, line, group
    found = [cells.get(row) for row in rows]
    events = [0 if n is None else n for n in found]
    totals: dict[tuple[str, int, str], int] = {}
    for (org, period, line, _), n in zip(rows, events, strict=True):
        totals[(org, period, line)] = totals.get((org, period, line), 0) + n
    full = pl.DataFrame(
        {
            "org_code": [r[0] for r in rows],
            "period": [r[1] for r in rows],
            axis_name: [r[2] for r in rows],
            "group": [r[3] for r in rows],
            "count": found,
            "events": events,
            "total": [totals[r[:3]] for r in rows],
        },
        schema={
            "org_code": pl.String,
            "period": counts.schema["period"],
            axis_name: pl.String,
            "group": pl.String,
            "count": pl.Int64,
            "events": pl.Int64,
            "total": pl.Int64,
        },
    )
    frame = rate_frame(
        full,
        id=id,
        title=title,
        method=method,
        measure=Measure.SHARE,
        breakdown=[axis_name] if axis is not None else [],
    )
    line_order = [r[2] if axis is not None else "" for r in rows]
    keys = [
        (r[0], r[1], int(line == total), _rank(line, order), _rank(r[3], groups))
        for r, line in zip(rows, line_order, strict=True)
    ]
    position = sorted(range(len(rows)), key=keys.__getitem__)
    ordered = frame[pl.Series(position, dtype=pl.UInt32)]
    ordered = ordered.replace_column(
        ordered.get_column_index("note"),
        pl.Series("note", [note] * ordered.height, dtype=pl.String),
    )
    if ordered.columns != list(RESULT_SCHEMA):
        ordered = ordered.select(list(RESULT_SCHEMA))
    return ordered


def share_table(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    groups: Sequence[str],
    exclude: Sequence[str] = (),
    axis: str | None = None,
    order: Sequence[str] = (),
    total: str | None = None,
    note: str | None = None,
) -> list[Result]:
    """:func:`share_frame` as :class:`Result` objects."""
    return results_from_frame(
        share_frame(
            counts,
            id=id,
            title=title,
            method=method,
            groups=groups,
            exclude=exclude,
            axis=axis,
            order=order,
            total=total,
            note=note,
        )
    )


def published(table: list[Result], threshold: int) -> list[Result]:
    """The table as it will be published: primary, then secondary suppression applied.

    This is :func:`ladder.metrics.suppression.apply` with one difference: a cell counting
    nobody (0) is withheld as a complement only when its line has no other published cell.
    A withheld 0 protects little: when the rest of a line adds up to its total, counts being
    non-negative, every withheld cell of the line is known to be 0 (and the small count it
    was meant to protect may follow). The result already has no line with exactly one
    withheld cell, so the runner's own suppression leaves it as it is.
    """
    zero = [r.measure in suppression.TABLE_MEASURES and r.numerator == 0 for r in table]
    staged = [evolve(r, numerator=math.inf) if z else r for r, z in zip(table, zero, strict=True)]
    out = suppression.apply(staged, threshold)
    return [
        original if z and not shown.suppressed else shown
        for original, shown, z in zip(table, out, zero, strict=True)
    ]


NOBODY = 2**62
"""Stands in for a zero count while a table is suppressed (see :func:`published`): larger
than any count, so never small and picked as a complement last among the non-zero cells."""


def published_frame(table: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """:func:`published` on a results frame, column-wise (the same figures withheld). The
    zero counts are staged and restored in the numerator column as arrays: a query per step
    would cost more than these small tables."""
    measures = {str(m) for m in suppression.TABLE_MEASURES}
    in_table = np.array([m in measures for m in table["measure"].to_list()], dtype=bool)
    with np.errstate(invalid="ignore"):
        zero = np.flatnonzero(in_table & (table["numerator"].to_numpy() == 0))  # null: NaN
    staged = _numerators(table, zero, NOBODY)
    out = suppression.apply_frame(staged, threshold)
    shown = zero[~out["suppressed"].to_numpy()[zero]]
    return _numerators(out, shown, 0)


def _numerators(frame: pl.DataFrame, rows: np.ndarray, value: int) -> pl.DataFrame:
    """``frame`` (a copy when it changes) with ``value`` as the numerator of ``rows``."""
    if not rows.size:
        return frame
    column = frame["numerator"].clone()
    column.scatter(rows, value)
    out = frame.clone()
    out.replace_column(out.get_column_index("numerator"), column)
    return out


def cell_key(result: Result, axis: str | None = None) -> CellKey:
    line = result.breakdown.get(axis, "") if axis is not None else ""
    return (result.org, result.period, result.group or "", line)


def hidden_cells(table: Iterable[Result], axis: str | None = None) -> set[CellKey]:
    """The cells of a published table that are withheld."""
    return {cell_key(r, axis) for r in table if r.suppressed}


def withhold_with(result: Result, cells: Iterable[CellKey], hidden: set[CellKey]) -> Result:
    """``result`` withheld when any table cell whose count it republishes is withheld."""
    if result.suppressed or not any(c in hidden for c in cells):
        return result
    return result.suppress("withheld with a withheld table cell whose count it republishes")


# --- Against a local population benchmark ---------------------------------------------------


def _check_benchmark(characteristic: Characteristic, shares: Mapping[str, float]) -> None:
    unknown = [g for g in shares if g not in characteristic.known]
    if unknown:
        raise ValueError(
            f"benchmark {characteristic.key!r}: {', '.join(map(repr, unknown))} not among its "
            f"groups ({', '.join(characteristic.known)})"
        )
    bad = [g for g, v in shares.items() if not 0.0 <= v <= 100.0]
    if bad:
        raise ValueError(
            f"benchmark {characteristic.key!r}: shares are percentages from 0 to 100 "
            f"({', '.join(bad)})"
        )


def benchmark_results(
    table: list[Result],
    hidden: set[CellKey],
    characteristic: Characteristic,
    shares: Mapping[str, float],
) -> list[tuple[Result, Result]]:
    """Workforce share (all bands, known groups) against the local-population share: the
    difference and the ratio for each group the benchmark gives.

    ``table`` is the characteristic's share table before suppression (its ``all`` cells give
    the counts); ``hidden`` its withheld cells once published. Each comparison republishes
    its group's count and the known total (the whole workforce less the unknown groups), so
    it is withheld when that group's cell or an unknown group's cell is.
    """
    _check_benchmark(characteristic, shares)
    c = characteristic
    whole = [r for r in table if r.breakdown.get("pay_band") == ALL]
    out: list[tuple[Result, Result]] = []
    for org, period in sorted({(r.org, r.period) for r in whole}):
        cells = {
            r.group: int(r.numerator or 0) for r in whole if (r.org, r.period) == (org, period)
        }
        known = sum(n for g, n in cells.items() if g in c.known)
        depends = [(org, period, g, ALL) for g in c.unknown]
        for group in c.known:
            if group not in shares:
                continue
            local = shares[group]
            events = cells.get(group, 0)
            share = stats.wilson(events, known)
            note = (
                f"local population {local:g}% (settings benchmark {c.key!r}); workforce share "
                f"among staff whose {c.label} is known"
            )
            common: dict[str, Any] = {
                "org": org,
                "period": period,
                "method": BENCHMARK_METHOD,
                "group": group,
                "breakdown": {"pay_band": ALL},
                "numerator": events,
                "denominator": known,
                "note": note,
            }
            difference = _shifted(share, -local)
            ratio = _scaled(share, local)
            pair = [
                Result(
                    id=f"{c.id}.benchmark",
                    title=f"Workforce against the local population, {c.label}: difference",
                    measure=Measure.DIFFERENCE,
                    unit=Unit.PERCENTAGE_POINTS,
                    value=difference.value,
                    ci_lower=difference.lower,
                    ci_upper=difference.upper,
                    flags=_no_evidence(difference, 0.0),
                    **common,
                ),
                Result(
                    id=f"{c.id}.benchmark_ratio",
                    title=f"Workforce against the local population, {c.label}: ratio",
                    measure=Measure.RELATIVE_LIKELIHOOD,
                    unit=Unit.RATIO,
                    value=ratio.value,
                    ci_lower=ratio.lower,
                    ci_upper=ratio.upper,
                    flags=_no_evidence(ratio, 1.0),
                    **common,
                ),
            ]
            cells_used = [(org, period, group, ALL), *depends]
            difference_, ratio_ = (withhold_with(r, cells_used, hidden) for r in pair)
            out.append((difference_, ratio_))
    return out


def _shifted(share: stats.Interval, local: float) -> stats.Interval:
    """Workforce percent + ``local`` (negative: the difference from the benchmark)."""

    def f(x: float | None) -> float | None:
        return None if x is None else 100.0 * x + local

    return stats.Interval(f(share.value), f(share.lower), f(share.upper))


def _scaled(share: stats.Interval, local: float) -> stats.Interval:
    """Workforce percent ÷ ``local`` percent (None when the local share is 0)."""

    def f(x: float | None) -> float | None:
        return None if x is None or local <= 0 else 100.0 * x / local

    return stats.Interval(f(share.value), f(share.lower), f(share.upper))


def _no_evidence(interval: stats.Interval, equal: float) -> tuple[str, ...]:
    if interval.value is None:
        return ()
    if interval.lower is None or interval.upper is None:
        return (NO_EVIDENCE,)
    return (NO_EVIDENCE,) if interval.lower <= equal <= interval.upper else ()


# --- The indicators -------------------------------------------------------------------------


def band_table(ctx: Context, characteristic: Characteristic) -> list[Result]:
    """The characteristic's shares by pay band and over all bands, before suppression."""
    return results_from_frame(band_frame(ctx, characteristic))


def band_frame(ctx: Context, characteristic: Characteristic) -> pl.DataFrame:
    """:func:`band_table` as a results frame."""
    c = characteristic
    return share_frame(
        band_counts(ctx, c),
        id=c.id,
        title=f"Representation by pay band: {c.label}",
        method=c.method,
        groups=c.groups,
        exclude=c.excluded,
        axis="pay_band",
        order=PAY_BANDS,
        total=ALL,
        note=c.note,
    )


def published_table(ctx: Context, characteristic: Characteristic) -> pl.DataFrame:
    """:func:`band_frame` published (:func:`published_frame`), once per run: the SEB family
    publishes parts of the same SEB table (``seb.class_table``)."""
    c = characteristic
    return ctx.memo(
        f"representation.published.{c.name}",
        lambda: published_frame(band_frame(ctx, c), ctx.settings.table_threshold),
    )


def representation(ctx: Context, characteristic: Characteristic) -> Produced:
    """``representation.<name>`` (published) and its benchmark comparisons when set."""
    shares = ctx.settings.benchmark.get(characteristic.key)
    if not shares:  # the table only: column-wise
        return published_table(ctx, characteristic)
    table = band_table(ctx, characteristic)
    shown = published(table, ctx.settings.table_threshold)
    shares = ctx.settings.benchmark.get(characteristic.key)
    if not shares:
        return shown
    hidden = hidden_cells(shown, "pay_band")
    pairs = benchmark_results(table, hidden, characteristic, shares)
    # Differences are table cells for suppression too (one line: the groups): a ratio goes
    # with its difference, so the two never disagree.
    differences = published([d for d, _ in pairs], ctx.settings.table_threshold)
    comparisons: list[Result] = []
    for difference, (_, ratio) in zip(differences, pairs, strict=True):
        if difference.suppressed and not ratio.suppressed:
            ratio = ratio.suppress("withheld with its difference")
        comparisons += [difference, ratio]
    return [*shown, *comparisons]


def _register(characteristic: Characteristic) -> None:
    c = characteristic

    @indicator(
        c.id,
        f"Representation of {c.label} by pay band, against the workforce and the local population",
        family="representation",
        needs=("staff",),
        method=c.method,
        ids=(c.id, f"{c.id}.benchmark", f"{c.id}.benchmark_ratio"),
        columns=(("staff", c.column),),
    )
    def compute(ctx: Context) -> Produced:
        return representation(ctx, c)


for _characteristic in CHARACTERISTICS:
    _register(_characteristic)
