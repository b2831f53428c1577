"""Representation by pay band worked by hand: every characteristic, the workforce, a benchmark.

Also the disclosure checks shared with test_seb.py: every line of a published share table
has 0 or at least 2 withheld cells, and no withheld count can be solved for from all the
published figures together (numerators, denominators, totals, benchmark comparisons).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import narwhals as nw
import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.codes import PAY_BANDS
from ladder.engines import EngineName
from ladder.metrics.indicators import representation as representation_module
from ladder.metrics.indicators.representation import (
    CHARACTERISTICS,
    Characteristic,
    band_counts,
    labelled,
    representation,
)
from ladder.metrics.inputs import load_frames
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.settings import Settings
from tests.metrics.conftest import compute_results, pick

Z = 1.959963984540054

# --- Helpers shared with test_seb.py ------------------------------------------------------


def staff(rows: Sequence[Mapping[str, object]], org: str = "R1H") -> pl.DataFrame:
    """Staff rows (pay_band plus any contract columns); by default in one trust, snapshot
    31 March 2024."""
    columns = sorted({k for r in rows for k in r})
    data: dict[str, list[object]] = {c: [r.get(c) for r in rows] for c in columns}
    overrides = {"disability": pl.Boolean, "seb_parent_occupation": pl.Int64}
    frame = pl.DataFrame(data, schema_overrides={k: v for k, v in overrides.items() if k in data})
    defaults = {"org_code": pl.lit(org), "snapshot_date": pl.lit(dt.date(2024, 3, 31))}
    return frame.with_columns(
        pl.Series("staff_id", [f"S{i}" for i in range(len(rows))]),
        *[
            (pl.col(name).fill_null(value) if name in data else value).alias(name)
            for name, value in defaults.items()
        ],
    )


def rows(count: int, **values: object) -> list[dict[str, object]]:
    """``count`` identical rows."""
    return [dict(values) for _ in range(count)]


def wilson(events: int, total: int) -> tuple[float, float]:
    """Wilson 95% interval in percent, written out (not ladder.metrics.stats)."""
    p = events / total
    denom = 1 + Z * Z / total
    centre = (p + Z * Z / (2 * total)) / denom
    half = Z * math.sqrt(p * (1 - p) / total + Z * Z / (4 * total * total)) / denom
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def of(results: Iterable[Result], id: str) -> list[Result]:
    return [r for r in results if r.id == id]


def table_lines(results: Iterable[Result]) -> dict[tuple[object, ...], list[Result]]:
    """Every line of every share/count table: the cells that differ in one coordinate only."""
    tables: dict[tuple[object, ...], list[Result]] = defaultdict(list)
    for r in results:
        if r.measure in (Measure.SHARE, Measure.COUNT):
            tables[(r.id, r.org, r.period)].append(r)
    lines: dict[tuple[object, ...], list[Result]] = defaultdict(list)
    for key, cells in tables.items():
        coords = [{**c.breakdown, "group": c.group or ""} for c in cells]
        for axis in {a for c in coords for a in c}:
            for cell, coord in zip(cells, coords, strict=True):
                rest = tuple(sorted((k, v) for k, v in coord.items() if k != axis))
                lines[(*key, axis, rest)].append(cell)
    return lines


def assert_no_line_with_one_withheld(results: Iterable[Result]) -> None:
    """Every line has 0 or at least 2 withheld cells, or publishes nothing at all (a line of
    one cell, withheld: its total is withheld with it)."""
    for line, cells in table_lines(results).items():
        withheld = sum(c.suppressed for c in cells)
        assert withheld != 1 or len(cells) == 1, line


Var = tuple[str, str]
"""A count the attacker wants: (group, line) of a table's base cell."""
Functional = dict[Var, int]


def solvable(published: list[Functional], targets: Mapping[str, Functional]) -> list[str]:
    """The targets whose value follows from the published linear functionals of the counts.

    A target t is determined exactly when it lies in the span of the published functionals,
    i.e. adding it does not raise the rank.
    """
    names = sorted({v for f in [*published, *targets.values()] for v in f})
    index = {v: i for i, v in enumerate(names)}

    def row(f: Functional) -> np.ndarray:
        out = np.zeros(len(names))
        for v, c in f.items():
            out[index[v]] = c
        return out

    matrix = np.array([row(f) for f in published]).reshape(len(published), len(names))
    base = np.linalg.matrix_rank(matrix) if published else 0
    return [
        name
        for name, f in targets.items()
        if np.linalg.matrix_rank(np.vstack([matrix, row(f)])) == base
    ]


class Table:
    """A table of counts: base cells (group, line); ``total`` names the all-lines column."""

    def __init__(self, groups: Iterable[str], lines: Iterable[str], total: str | None) -> None:
        self.groups = sorted(set(groups))
        self.lines = sorted(set(lines) - {total} if total else set(lines))
        self.total = total

    def cell(self, group: str, line: str) -> Functional:
        if line == self.total:
            return {(group, b): 1 for b in self.lines}
        return {(group, line): 1}

    def line_total(self, line: str, groups: Iterable[str] | None = None) -> Functional:
        chosen = self.groups if groups is None else list(groups)
        bands = self.lines if line == self.total else [line]
        return {(g, b): 1 for g in chosen for b in bands}


def share_functionals(
    results: Iterable[Result], table: Table, axis: str | None
) -> tuple[list[Functional], dict[str, Functional]]:
    """What a share table publishes (numerators and denominators of shown cells) and what
    it withholds (numerators of withheld cells)."""
    published: list[Functional] = []
    hidden: dict[str, Functional] = {}
    for r in results:
        line = r.breakdown.get(axis, table.total or "") if axis else (table.total or "")
        f = table.cell(r.group or "", line)
        if r.suppressed:
            hidden[f"{r.id} {r.group} {line}"] = f
        else:
            published += [f, table.line_total(line)]
    return published, hidden


def pinned(
    published: list[Functional], hidden: Mapping[str, Functional], truth: Mapping[Var, int]
) -> list[str]:
    """The withheld figures an attacker can pin to one value, counts being non-negative.

    For each withheld figure, the smallest and largest values it can take given every
    published figure (equalities) and counts ≥ 0, by linear programming; pinned when fewer
    than two whole numbers fit.
    """
    from scipy.optimize import linprog  # type: ignore[import-untyped]

    names = sorted(truth)
    # Each distinct equation once (a published total repeats beside every cell of its line):
    # the same constraints, a smaller problem for each of the two solves per withheld figure.
    equations = {
        (tuple(f.get(v, 0) for v in names), sum(c * truth[v] for v, c in f.items()))
        for f in published
    }
    a_eq = np.array([row for row, _ in equations], dtype=float)
    b_eq = np.array([value for _, value in equations], dtype=float)
    out = []
    for name, f in hidden.items():
        objective = [f.get(v, 0) for v in names]
        args: dict[str, object] = {"bounds": (0, None), "method": "highs"}
        if equations:
            args |= {"A_eq": a_eq, "b_eq": b_eq}
        low = linprog(objective, **args)
        high = linprog([-c for c in objective], **args)
        assert low.status == 0 and high.status in (0, 3), (low.message, high.message)
        if high.status == 0 and -high.fun - low.fun < 1 - 1e-6:  # 3: no upper bound
            out.append(name)
    return out


def assert_nothing_recoverable(
    published: list[Functional],
    hidden: Mapping[str, Functional],
    truth: Mapping[Var, int] | None = None,
) -> None:
    """No withheld count follows from the published figures: not by solving the equations
    they make, nor (given the true counts) by bounding them with counts ≥ 0."""
    assert not solvable(published, hidden), "withheld counts recoverable"
    if truth is not None:
        assert not pinned(published, hidden, truth), "withheld counts pinned"


# --- Hand-worked examples -----------------------------------------------------------------

# Band 5 (10 staff): ethnicity A A A A A A H H H Z → White 6, BME 3, Unknown 1.
#   sex female ×7, male ×3; disability yes ×2, no ×6, not declared ×2;
#   age 21-25 ×5, 26-30 ×5.
# Band 7 (4 staff): ethnicity B B N N → White 2, BME 2, Unknown 0.
#   sex female 1, male 2, blank 1; disability no ×4; age 41-45 ×3, blank 1.
# All (14): White 8, BME 5, Unknown 1; Female 8, Male 5, Unknown 1; Disabled 2,
#   Non-disabled 10, Unknown 2; 21-25 5, 26-30 5, 41-45 3, Unknown 1.
COLUMNS = ("pay_band", "ethnic_category", "sex", "disability", "age_band")
HAND = staff(
    [
        dict(zip(COLUMNS, values, strict=True))
        for count, *values in [
            (2, "Band 5", "A", "female", True, "21-25"),
            (3, "Band 5", "A", "female", False, "21-25"),
            (1, "Band 5", "A", "female", False, "26-30"),
            (1, "Band 5", "H", "female", False, "26-30"),
            (2, "Band 5", "H", "male", None, "26-30"),
            (1, "Band 5", "Z", "male", False, "26-30"),
            (1, "Band 7", "B", "female", False, "41-45"),
            (1, "Band 7", "B", None, False, "41-45"),
            (1, "Band 7", "N", "male", False, "41-45"),
            (1, "Band 7", "N", "male", False, None),
        ]
        for _ in range(int(count or 0))
    ]
)


def test_by_band_and_whole_workforce(engine: EngineName) -> None:
    results = compute_results({"staff": HAND}, ["representation"], engine=engine)

    def value(id: str, group: str, band: str) -> float | None:
        return pick(results, f"representation.{id}", group, pay_band=band).value

    # Ethnicity: Band 5 6/10, 3/10, 1/10; Band 7 2/4, 2/4, 0/4; All 8/14, 5/14, 1/14.
    assert value("ethnicity", "White", "Band 5") == pytest.approx(60.0)
    assert value("ethnicity", "BME", "Band 5") == pytest.approx(30.0)
    assert value("ethnicity", "Unknown", "Band 5") == pytest.approx(10.0)
    assert value("ethnicity", "White", "Band 7") == pytest.approx(50.0)
    assert value("ethnicity", "Unknown", "Band 7") == 0.0  # a zero cell, published
    assert value("ethnicity", "White", "all") == pytest.approx(100 * 8 / 14)
    assert value("ethnicity", "BME", "all") == pytest.approx(100 * 5 / 14)
    white = pick(results, "representation.ethnicity", "White", pay_band="Band 5")
    assert (white.numerator, white.denominator) == (6, 10)
    assert (white.ci_lower, white.ci_upper) == pytest.approx(wilson(6, 10))
    assert white.measure is Measure.SHARE and white.unit is Unit.PERCENT
    assert "indicator 1" in white.method and white.org == "R1H" and white.period == 2024
    # Sex: Band 5 7/10 female, 3/10 male; Band 7 1/4, 2/4, Unknown 1/4; All 8/14, 5/14, 1/14.
    assert value("sex", "female", "Band 5") == pytest.approx(70.0)
    assert value("sex", "male", "Band 7") == pytest.approx(50.0)
    assert value("sex", "Unknown", "Band 7") == pytest.approx(25.0)
    assert value("sex", "Unknown", "Band 5") == 0.0
    assert value("sex", "female", "all") == pytest.approx(100 * 8 / 14)
    # "Other" sex appears nowhere, so it has no row.
    assert not [r for r in results if r.id == "representation.sex" and r.group == "Other"]
    # Disability: Band 5 2/10, 6/10, 2/10; Band 7 0/4, 4/4, 0/4; All 2/14, 10/14, 2/14.
    assert value("disability", "Disabled", "Band 5") == pytest.approx(20.0)
    assert value("disability", "Non-disabled", "Band 7") == pytest.approx(100.0)
    assert value("disability", "Unknown", "all") == pytest.approx(100 * 2 / 14)
    # Age: Band 5 21-25 5/10, 26-30 5/10; Band 7 41-45 3/4, Unknown 1/4.
    assert value("age", "21-25", "Band 5") == pytest.approx(50.0)
    assert value("age", "41-45", "Band 7") == pytest.approx(75.0)
    assert value("age", "41-45", "Band 5") == 0.0
    assert value("age", "Unknown", "all") == pytest.approx(100 / 14)
    # Rows in band order then group order, the whole workforce last.
    ethnicity = of(results, "representation.ethnicity")
    assert [(r.breakdown["pay_band"], r.group) for r in ethnicity] == [
        (band, group)
        for band in ("Band 5", "Band 7", "all")
        for group in ("White", "BME", "Unknown")
    ]
    ages = [r.group for r in of(results, "representation.age") if r.breakdown["pay_band"] == "all"]
    assert ages == ["21-25", "26-30", "41-45", "Unknown"]
    # No benchmark set: no comparison.
    assert not of(results, "representation.ethnicity.benchmark")


def test_the_workforce_is_wres_1s(engine: EngineName) -> None:
    # Period 2024 holds two snapshots: 30 September 2023 (5 White staff, Band 5: not used)
    # and 31 March 2024: Band 5 White 2, BME 2; an executive director (BME, Band 9) reported
    # as VSM; a non-executive director (White) left out.
    # Band 5 50% / 50%; VSM BME 100%; all: White 2/5 = 40%, BME 3/5 = 60%.
    september = dt.date(2023, 9, 30)
    frame = staff(
        [
            *rows(5, pay_band="Band 5", ethnic_category="A", snapshot_date=september),
            *rows(2, pay_band="Band 5", ethnic_category="A"),
            *rows(2, pay_band="Band 5", ethnic_category="H"),
            *rows(
                1, pay_band="Band 9", ethnic_category="N", is_board_member=True, is_executive=True
            ),
            *rows(
                1, pay_band="Other", ethnic_category="B", is_board_member=True, is_executive=False
            ),
        ]
    )
    results = compute_results({"staff": frame}, ["representation.ethnicity"], engine=engine)
    table = {(r.breakdown["pay_band"], r.group): r.numerator for r in results}
    assert table == {
        ("Band 5", "White"): 2,
        ("Band 5", "BME"): 2,
        ("VSM", "White"): 0,
        ("VSM", "BME"): 1,
        ("all", "White"): 2,
        ("all", "BME"): 3,
    }
    assert pick(results, "representation.ethnicity", "BME", pay_band="all").value == 60.0


def test_bands_in_agenda_for_change_order(engine: EngineName) -> None:
    # One person in each of these bands, given out of order; results follow codes.PAY_BANDS
    # (VSM before the medical grades, "Other" last), then the whole workforce.
    bands = ["Consultant", "Band 8a", "VSM", "Band 2", "Other", "Band 9", "Band 8c"]
    frame = staff([{"pay_band": b, "sex": "female"} for b in bands])
    results = compute_results({"staff": frame}, ["representation.sex"], engine=engine)
    order = [r.breakdown["pay_band"] for r in of(results, "representation.sex")]
    assert order == [*sorted(bands, key=PAY_BANDS.index), "all"]
    assert all(r.value == 100.0 for r in results)


def test_against_a_local_benchmark(engine: EngineName) -> None:
    bench = Settings(
        threshold=1,
        benchmark={"ethnic_group": {"White": 45.0, "BME": 55.0}, "sex": {"female": 51.0}},
    )
    ids = ["representation.ethnicity", "representation.sex"]
    results = compute_results({"staff": HAND}, ids, engine=engine, settings=bench)
    # Known ethnicity: 8 White + 5 BME = 13 (the 1 Unknown left out).
    # White 8/13 = 61.538% → 61.538 − 45 = +16.538 pp; ratio 61.538 / 45 = 1.3675.
    # BME 5/13 = 38.462% → 38.462 − 55 = −16.538 pp; ratio 38.462 / 55 = 0.6993.
    white = pick(results, "representation.ethnicity.benchmark", "White")
    assert white.measure is Measure.DIFFERENCE and white.unit is Unit.PERCENTAGE_POINTS
    assert white.value == pytest.approx(100 * 8 / 13 - 45)
    assert (white.numerator, white.denominator) == (8, 13)
    low, high = wilson(8, 13)  # 35.5%–82.3%: the interval of the workforce share
    assert (white.ci_lower, white.ci_upper) == pytest.approx((low - 45, high - 45))
    # The interval (about −9.5 to +37.3 pp) includes 0: no evidence of a difference.
    assert white.flags == ("no_evidence_of_difference",)
    bme = pick(results, "representation.ethnicity.benchmark", "BME")
    assert bme.value == pytest.approx(100 * 5 / 13 - 55)
    ratio = pick(results, "representation.ethnicity.benchmark_ratio", "White")
    assert ratio.unit is Unit.RATIO
    assert ratio.value == pytest.approx((100 * 8 / 13) / 45)
    assert (ratio.ci_lower, ratio.ci_upper) == pytest.approx((low / 45, high / 45))
    assert pick(results, "representation.ethnicity.benchmark_ratio", "BME").value == (
        pytest.approx((100 * 5 / 13) / 55)
    )
    assert "45" in (white.note or "") and white.breakdown == {"pay_band": "all"}
    # Sex: 8 female of 13 known (1 not known) → 61.538 − 51 = +10.538 pp; only Female given.
    female = pick(results, "representation.sex.benchmark", "female")
    assert female.value == pytest.approx(100 * 8 / 13 - 51)
    assert not [
        r for r in results if r.id == "representation.sex.benchmark" and r.group != "female"
    ]


def test_benchmark_flags_no_evidence_when_the_interval_includes_equality() -> None:
    # White 8/13: 35.5%–82.3% includes 45 → no evidence of difference; ratio CI includes 1.
    bench = Settings(threshold=1, benchmark={"ethnic_group": {"White": 45.0, "BME": 55.0}})
    results = compute_results({"staff": HAND}, ["representation.ethnicity"], settings=bench)
    white = pick(results, "representation.ethnicity.benchmark", "White")
    assert "no_evidence_of_difference" in white.flags
    ratio = pick(results, "representation.ethnicity.benchmark_ratio", "White")
    assert "no_evidence_of_difference" in ratio.flags
    # A workforce that is 100% White (60 of 60) against 45%: well outside the interval.
    frame = staff(rows(60, pay_band="Band 5", ethnic_category="A"))
    results = compute_results({"staff": frame}, ["representation.ethnicity"], settings=bench)
    white = pick(results, "representation.ethnicity.benchmark", "White")
    assert white.value == pytest.approx(55.0) and white.flags == ()


def test_benchmark_with_an_unknown_group_is_an_error() -> None:
    bench = Settings(threshold=1, benchmark={"ethnic_group": {"white": 45.0}})
    with pytest.raises(ValueError, match="white"):
        compute_results({"staff": HAND}, ["representation.ethnicity"], settings=bench)
    bench = Settings(threshold=1, benchmark={"ethnic_group": {"Unknown": 5.0}})
    with pytest.raises(ValueError, match="Unknown"):
        compute_results({"staff": HAND}, ["representation.ethnicity"], settings=bench)


def test_a_new_characteristic_is_one_declaration() -> None:
    # A characteristic needing a derived column (as deprivation will: postcode → LSOA →
    # decile): the enrich step adds it, the expression groups by it. Home LSOA E01… is
    # England, W01… Wales; blank is Unknown. Band 5: E01 ×3, W01 ×1; Band 6: E01 ×1, blank ×1.
    area = Characteristic(
        "nation",
        "nation",
        "home_lsoa",
        lambda: labelled("area", {"E01": "England", "W01": "Wales"}),
        ("England", "Wales", "Unknown"),
        enrich=lambda _ctx, frame: frame.with_columns(
            nw.col("home_lsoa").str.slice(0, 3).alias("area")
        ),
    )
    frame = staff(
        [
            *rows(3, pay_band="Band 5", home_lsoa="E01000001"),
            *rows(1, pay_band="Band 5", home_lsoa="W01000002"),
            *rows(1, pay_band="Band 6", home_lsoa="E01000003"),
            *rows(1, pay_band="Band 6", home_lsoa=None),
        ]
    )
    loaded = load_frames(
        {"staff": frame}, settings=Settings(threshold=1, benchmark={"nation": {"England": 80.0}})
    )
    try:
        results = representation(loaded.context, area)
    finally:
        loaded.close()
    assert pick(results, "representation.nation", "England", pay_band="Band 5").value == 75.0
    assert pick(results, "representation.nation", "Unknown", pay_band="Band 6").value == 50.0
    assert pick(results, "representation.nation", "Wales", pay_band="all").numerator == 1
    # England 4 of 5 known (the blank left out) = 80%: 0 pp from the benchmark, ratio 1.
    assert pick(results, "representation.nation.benchmark", "England").value == pytest.approx(0)
    assert pick(results, "representation.nation.benchmark_ratio", "England").value == (
        pytest.approx(1.0)
    )


def test_characteristics_are_declared_once() -> None:
    names = [c.name for c in CHARACTERISTICS]
    assert names == ["ethnicity", "sex", "disability", "age", "seb", "deprivation"]
    assert all(isinstance(c, Characteristic) and c.groups for c in CHARACTERISTICS)
    seb = CHARACTERISTICS[4]
    assert seb.excluded == ("non-response",) and seb.unknown == ()


# --- Suppression ----------------------------------------------------------------------------

# Threshold 10. Band 2: White 40, BME 30, Unknown 4 (small). Band 5: White 25, BME 45,
# Unknown 20. Band 8a: White 12, BME 3 (small), Unknown 0.
# Primary: Unknown/Band 2 and BME/Band 8a. Secondary: each of their lines needs a second
# withheld cell; the benchmark comparison of White (12 + 40 + 25 of White + BME) republishes
# the known total = all staff − Unknown, so it is withheld whenever an Unknown cell of the
# whole workforce is.
SMALL = staff(
    [
        *rows(40, pay_band="Band 2", ethnic_category="A"),
        *rows(30, pay_band="Band 2", ethnic_category="H"),
        *rows(4, pay_band="Band 2", ethnic_category=None),
        *rows(25, pay_band="Band 5", ethnic_category="A"),
        *rows(45, pay_band="Band 5", ethnic_category="M"),
        *rows(20, pay_band="Band 5", ethnic_category="Z"),
        *rows(12, pay_band="Band 8a", ethnic_category="C"),
        *rows(3, pay_band="Band 8a", ethnic_category="S"),
    ]
)


def truth(
    results: Iterable[Result], id: str, axis: str | None, total: str | None
) -> dict[Var, int]:
    """The true counts of a table's base cells, from an unsuppressed run."""
    return {
        (r.group or "", r.breakdown.get(axis, "") if axis else ""): int(r.numerator or 0)
        for r in results
        if r.id == id and (axis is None or r.breakdown.get(axis) != total)
    }


def representation_attack(
    results: list[Result], characteristic: Characteristic, true: Mapping[Var, int] | None = None
) -> None:
    """Every figure of one characteristic together gives away no withheld count."""
    cells = of(results, characteristic.id)
    if not cells:
        return
    table = Table(
        [r.group or "" for r in cells], [r.breakdown["pay_band"] for r in cells], total="all"
    )
    published, hidden = share_functionals(cells, table, "pay_band")
    for id in (f"{characteristic.id}.benchmark", f"{characteristic.id}.benchmark_ratio"):
        for r in of(results, id):
            if not r.suppressed:
                known = [g for g in table.groups if g not in characteristic.unknown]
                published += [table.cell(r.group or "", "all"), table.line_total("all", known)]
    assert_nothing_recoverable(published, hidden, true)


def test_suppression_protects_every_line(engine: EngineName) -> None:
    bench = Settings(benchmark={"ethnic_group": {"White": 45.0, "BME": 55.0}})
    results = compute_results(
        {"staff": SMALL}, ["representation.ethnicity"], engine=engine, settings=bench
    )
    hidden = {
        (r.group, r.breakdown["pay_band"])
        for r in of(results, "representation.ethnicity")
        if r.suppressed
    }
    assert_no_line_with_one_withheld(results)
    representation_attack(results, CHARACTERISTICS[0])
    # Band 2 line: Unknown 4 withheld → the smaller of White 40 / BME 30: BME 30.
    # Band 8a line: BME 3 withheld → White 12 (a 0 is a complement of last resort: with
    #   Unknown 0 withheld, Unknown's column 0 + 20 + 4 = 24 would show both withheld
    #   Unknown cells are 0, so BME 8a = 15 − 12 − 0).
    # White column: 8a withheld → White Band 5 (25 < 40). Unknown column: Band 2 withheld →
    #   Unknown Band 5 (20). Band 5 then has two (White, Unknown): done.
    # The six withheld cells form one cycle (U2 B2 B8a W8a W5 U5): each line gives only the
    # sum of its two, and no cell can be solved for.
    assert hidden == {
        ("Unknown", "Band 2"),
        ("BME", "Band 2"),
        ("BME", "Band 8a"),
        ("White", "Band 8a"),
        ("White", "Band 5"),
        ("Unknown", "Band 5"),
    }
    # The whole workforce (White 77, BME 78, Unknown 24) is published in full, so the
    # benchmark comparisons (77 of 155 known, 78 of 155) are too.
    for group, count in (("White", 77), ("BME", 78)):
        comparison = pick(results, "representation.ethnicity.benchmark", group)
        assert not comparison.suppressed and comparison.numerator == count
        assert comparison.denominator == 155


def test_benchmark_withheld_with_the_unknown_count_it_would_reveal() -> None:
    # All staff: White 50, BME 40, Unknown 5 (small). Published alone, the known total (90)
    # with the whole-workforce denominator (95) would give Unknown = 95 − 90 = 5.
    frame = staff(
        [
            *rows(50, pay_band="Band 5", ethnic_category="A"),
            *rows(40, pay_band="Band 5", ethnic_category="H"),
            *rows(5, pay_band="Band 5", ethnic_category="Z"),
        ]
    )
    bench = Settings(benchmark={"ethnic_group": {"White": 45.0, "BME": 55.0}})
    results = compute_results({"staff": frame}, ["representation.ethnicity"], settings=bench)
    whole = {
        r.group: r.suppressed
        for r in of(results, "representation.ethnicity")
        if r.breakdown["pay_band"] == "all"
    }
    assert whole == {"White": False, "BME": True, "Unknown": True}
    comparisons = [r for r in results if r.id.startswith("representation.ethnicity.bench")]
    assert len(comparisons) == 4 and all(r.suppressed and r.value is None for r in comparisons)
    representation_attack(results, CHARACTERISTICS[0])


# --- Properties (Polars) --------------------------------------------------------------------

ETHNIC = ["A", "B", "C", "H", "N", "S", "Z", None]
SEXES = ["female", "male", None]
BANDS = ["Band 2", "Band 3", "Band 5", "Band 8a", "VSM", "Consultant"]

person = st.fixed_dictionaries(
    {
        "pay_band": st.sampled_from(BANDS),
        "ethnic_category": st.sampled_from(ETHNIC),
        "sex": st.sampled_from(SEXES),
        "disability": st.sampled_from([True, False, None]),
        "age_band": st.sampled_from(["21-25", "36-40", "61-65", None]),
        "seb_parent_occupation": st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 9, None]),
    }
)
workforce = st.lists(person, min_size=1, max_size=120)


@settings(max_examples=25, deadline=None)
@given(workforce)
def test_shares_in_each_band_add_up_to_100(people: list[dict[str, object]]) -> None:
    results = compute_results({"staff": staff(people)}, ["representation"])
    by_line: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        by_line[(r.id, r.breakdown["pay_band"])].append(r)
    assert by_line
    for cells in by_line.values():
        assert sum(r.value or 0.0 for r in cells) == pytest.approx(100.0)
        assert len({r.denominator for r in cells}) == 1
    # The whole workforce column counts every band together.
    for c in CHARACTERISTICS:
        whole = {
            r.group: r.numerator for r in of(results, c.id) if r.breakdown["pay_band"] == "all"
        }
        bands: dict[str | None, float] = defaultdict(float)
        for r in of(results, c.id):
            if r.breakdown["pay_band"] != "all":
                bands[r.group] += r.numerator or 0
        assert whole == bands


@settings(max_examples=15, deadline=None)
@given(workforce, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(people: list[dict[str, object]], rnd: random.Random) -> None:
    shuffled = list(people)
    rnd.shuffle(shuffled)
    bench = Settings(threshold=10, benchmark={"ethnic_group": {"White": 45.0, "BME": 55.0}})
    first = compute_results({"staff": staff(people)}, ["representation"], settings=bench)
    second = compute_results({"staff": staff(shuffled)}, ["representation"], settings=bench)
    assert [r.to_dict() for r in first] == [r.to_dict() for r in second]


@settings(max_examples=25, deadline=None)
@given(st.lists(person, min_size=1, max_size=300))
def test_suppression_leaves_no_line_with_one_withheld_cell(
    people: list[dict[str, object]],
) -> None:
    bench = Settings(benchmark={"ethnic_group": {"White": 45.0, "BME": 55.0}})
    frames = {"staff": staff(people)}
    results = compute_results(frames, ["representation"], settings=bench)
    assert_no_line_with_one_withheld(results)
    # Nothing withheld can be recovered from all a characteristic's figures together.
    everything = compute_results(frames, ["representation"])
    for c in CHARACTERISTICS:
        representation_attack(results, c, truth(everything, c.id, "pay_band", "all"))
    # Benchmark comparisons never outlive the cells they republish.
    whole = {
        r.group: r.suppressed
        for r in of(results, "representation.ethnicity")
        if r.breakdown["pay_band"] == "all"
    }
    for r in of(results, "representation.ethnicity.benchmark"):
        if whole.get(r.group) or whole.get("Unknown"):
            assert r.suppressed


HOMES = [
    ("SE3 8TL", "E01001593"),
    ("CM23 4DR", "E01023457"),
    ("ME15 6DR", "E01024402"),
    ("E7 8DY", "E01003561"),
    ("SS8 0QG", "E01021503"),
    (None, None),
    ("nonsense", None),
]


def test_polars_fast_counts_are_the_general_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    # On the Polars engine the declared characteristics are counted together (ethnicity and
    # disability from the WRES/WDES workforce counts, the others in one set of queries) and
    # deprivation from the workforce's area counts in one query. A characteristic declared
    # apart (an equal copy is not one of CHARACTERISTICS' own) takes each one's general path:
    # the same counts.
    rnd = random.Random(11)
    people = []
    for _ in range(400):
        postcode, lsoa = rnd.choice(HOMES)
        board = rnd.random() < 0.05
        people.append(
            {
                "pay_band": rnd.choice(["Band 2", "Band 5", "Band 8a", "Consultant", None]),
                "ethnic_category": rnd.choice(["A", "B", "H", "N", "Z", None]),
                "sex": rnd.choice(["female", "male", "other", None]),
                "disability": rnd.choice([True, False, None]),
                "age_band": rnd.choice(["esr:21-25", "ons5:20-24", "ons10:30-39", "bad", None]),
                "seb_parent_occupation": rnd.choice([*range(1, 10), None]),
                "is_board_member": board,
                "is_executive": board and rnd.random() < 0.5,
                "home_postcode": postcode,
                "home_lsoa": lsoa,
            }
        )
    loaded = load_frames({"staff": staff(people)})
    try:
        ctx = loaded.context
        for c in CHARACTERISTICS:
            fast = band_counts(ctx, c)
            monkeypatch.setattr(representation_module, "SMALL_AREA_COUNTS", -1)
            general = band_counts(ctx, dataclasses.replace(c, title=f"{c.label} (apart)"))
            monkeypatch.undo()
            assert fast.schema == general.schema, c.name
            assert sorted(fast.rows()) == sorted(general.rows()), c.name
        groups = set(band_counts(ctx, CHARACTERISTICS[-1])["group"].to_list())
        assert len(groups) > 2  # some known quintiles, and Unknown
    finally:
        loaded.close()


def test_polars_twins_give_the_same_groups() -> None:
    # The Polars engine's shared counts label with a characteristic's Polars twin when it
    # declares one: every value (a blank, anything else) gets the expression's group.
    from ladder.codes import ALL_AGE_BANDS

    domains: dict[str, pl.Series] = {
        "sex": pl.Series(["female", "male", "other", "x", "", None], dtype=pl.String),
        "age_band": pl.Series([*ALL_AGE_BANDS, "20-24", "bad:1", "", None], dtype=pl.String),
        "seb_parent_occupation": pl.Series([*range(0, 11), None], dtype=pl.Int64),
    }
    twins = [c for c in CHARACTERISTICS if c.polars is not None]
    assert {c.name for c in twins} == {"sex", "age", "seb"}
    for c in twins:
        assert c.reads is not None and c.polars is not None
        frame = domains[c.reads].alias(c.reads).to_frame()
        theirs = nw.from_native(frame).select(c.expression().alias("g")).to_native()["g"]
        mine = frame.select(c.polars().alias("g"))["g"]
        assert mine.to_list() == theirs.to_list(), c.name
