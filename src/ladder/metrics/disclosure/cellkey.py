"""Cell key perturbation: the optional alternative to suppression (docs/methods/disclosure.md).

After the ONS cell key method used for Census 2021. Every record (a member of staff) gets a
*record key* 0..255: a keyed hash (HMAC-SHA256) of the user's seed, the organisation and the
record's pseudonymised id — deterministic, never the raw id. A published count's *cell key*
is the sum of its records' keys mod 256, and its perturbation is read from the shipped
perturbation table (:func:`ptable`, ``reference/data/ptable_cellkey.csv``) at (count, cell
key). So the same population always gets the same noise: in every table it appears in, and
in every run with the same seed and data.

A population is the one :mod:`relations` models (a universe cut by conditions): its cell key
is computed from the staff rows it is made of when Ladder can resolve it to them (the staff
headcount universe cut by cluster, pay band and the representation characteristics; checked:
the resolved rows must number exactly the published count). Any other population (events
such as appointments or cases, pay-gap employees, survey respondents, participants) gets a
*population key*: a keyed hash of the seed and its description (organisation, period,
universe, conditions) — the same population still gets the same noise in every table, but
the key is not a sum over records (the documented fallback).

Derived figures are recomputed from the perturbed counts (shares and rates with their Wilson
intervals, relative likelihoods with their log-method intervals and flags, differences with
Newcombe's interval; a share less a published reference share), each checked first: the
formula must give the published figure from the true counts, else the figure cannot be
recomputed and is withheld. Means, medians, pay gaps and other money figures (a living-wage
cost) are published from the true data only when every non-empty population they are over
has a perturbed count of at least threshold + D (D the maximum perturbation): then the true
count is at least the threshold, and the rule reads only published numbers. Boards' headcounts are
public knowledge and are not perturbed.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from ladder.metrics import stats
from ladder.metrics.disclosure.notes import neutral_note
from ladder.metrics.disclosure.relations import BOARD, STAFF, count_keys
from ladder.metrics.results import RESULT_FIELDS, VALUE_FLAGS
from ladder.metrics.table import rows_frame
from ladder.reference import data_file

CELLKEY = "cellkey"
PERTURBED = "perturbed"
"""The flag every perturbed figure carries (JSON/CSV ``flags``)."""
PERTURBED_NOTE = "counts perturbed by the cell key method (see the notes on disclosure control)"
"""The note part every perturbed figure carries."""
KEYS = 256
"""Record and cell keys are 0..KEYS−1."""

METHOD_NOTE = (
    "Disclosure control: cell key perturbation (after the ONS method for Census 2021). Every "
    "count of people has a little noise added, read from a published table at the count and "
    "a key made from its members' record keys, so the same population reads the same in every "
    "table: at most ±{d} people, mean 0, variance about {v:g}; zero stays zero and no count "
    "of 1 or 2 is published as such. Shares, rates and ratios are computed from the perturbed "
    "counts; a mean, median or pay gap is published only over populations whose perturbed "
    "count is at least {floor}. Totals may differ from the sum of their cells by up to ±{d} "
    "per cell and total."
)
"""Explained once per publication (:func:`method_note`)."""


@dataclass(frozen=True)
class PTable:
    """The perturbation table: for each row value ``i`` (0..imax), the perturbation of each
    cell-key interval; a count above ``imax`` uses row ``imax``."""

    rows: dict[int, tuple[tuple[int, int, int], ...]]
    """i -> ((first cell key, last cell key, perturbation j), …) covering 0..255."""
    imax: int
    d: int
    """The maximum perturbation."""
    variance: float
    """The variance of row ``imax`` (the variance of any count ≥ imax)."""

    def perturbation(self, value: int, cell_key: int) -> int:
        """The perturbation of a count ``value`` whose cell key is ``cell_key``."""
        if value < 0:
            raise ValueError(f"a count cannot be negative ({value})")
        for lo, hi, j in self.rows[min(value, self.imax)]:
            if lo <= cell_key <= hi:
                return j
        raise ValueError(f"cell key {cell_key} is outside 0..{KEYS - 1}")

    def perturb(self, value: int, cell_key: int) -> int:
        return value + self.perturbation(value, cell_key)


def read_ptable(text: str) -> PTable:
    """A ptable from its CSV (columns i, j, p, v, ckey_lo, ckey_hi)."""
    rows: dict[int, list[tuple[int, int, int]]] = {}
    probs: dict[int, list[tuple[float, int]]] = {}
    for rec in csv.DictReader(io.StringIO(text)):
        i = int(rec["i"])
        rows.setdefault(i, []).append((int(rec["ckey_lo"]), int(rec["ckey_hi"]), int(rec["j"])))
        probs.setdefault(i, []).append((float(rec["p"]), int(rec["j"])))
    for i, intervals in rows.items():
        covered = sorted(intervals)
        if (
            covered[0][0] != 0
            or covered[-1][1] != KEYS - 1
            or any(a[1] + 1 != b[0] for a, b in itertools.pairwise(covered))
        ):
            raise ValueError(f"ptable row {i} does not cover the cell keys 0..{KEYS - 1} once")
    imax = max(rows)
    last = probs[imax]
    mean = sum(p * j for p, j in last)
    return PTable(
        rows={i: tuple(sorted(v)) for i, v in rows.items()},
        imax=imax,
        d=max(abs(j) for v in rows.values() for _lo, _hi, j in v),
        variance=sum(p * j * j for p, j in last) - mean * mean,
    )


@cache
def ptable() -> PTable:
    """The shipped ptable (built by scripts/build_ptable.py; data/README.md)."""
    return read_ptable(data_file("ptable_cellkey.csv").read_text("utf-8"))


def _digest(seed: int, *parts: str) -> bytes:
    message = "\x1f".join(parts).encode()
    return hmac.new(str(seed).encode(), message, hashlib.sha256).digest()


def record_key(seed: int, org: str, record_id: str) -> int:
    """A record's key 0..255: a keyed hash of the seed, organisation and pseudonymised id."""
    return _digest(seed, "record", org, record_id)[0]


def record_keys(seed: int, org: str, ids: Sequence[str]) -> np.ndarray:
    """:func:`record_key` of each id, as an array."""
    return np.fromiter((record_key(seed, org, str(i)) for i in ids), dtype=np.int64, count=len(ids))


Conditions = tuple[tuple[str, str], ...]


def population_key(seed: int, org: str, period: int, universe: str, conds: Conditions) -> int:
    """The fallback key of a population Ladder cannot resolve to its records."""
    cut = "\x1e".join(f"{a}={v}" for a, v in conds)
    return _digest(seed, "population", org, str(period), universe, cut)[0]


def method_note(threshold: int) -> str:
    """The one note that explains the perturbation, once per publication."""
    table = ptable()
    return METHOD_NOTE.format(d=table.d, v=table.variance, floor=threshold + table.d)


# --- Cell keys --------------------------------------------------------------------------------


class StaffKeys:
    """Record keys of the workforce, with the attributes a staff-headcount population is cut
    by (cluster, pay band, each representation characteristic's group) — to resolve a
    population to its members and sum their keys."""

    def __init__(self, frame: pl.DataFrame, seed: int) -> None:
        self.seed = seed
        self.parts: dict[tuple[str, int], pl.DataFrame] = {}
        self.masks: dict[tuple[str, int, str, str], np.ndarray] = {}
        self.keys: dict[tuple[str, int], np.ndarray] = {}
        if frame.is_empty():
            return
        for (org, period), part in frame.group_by("org_code", "period"):
            where = (str(org), int(str(period)))
            self.parts[where] = part
            self.keys[where] = record_keys(
                seed, where[0], part["staff_id"].cast(pl.String).to_list()
            )

    def cell_key(self, org: str, period: int, conds: Conditions, count: int) -> int | None:
        """The cell key of the staff population cut by ``conds`` (None: not resolvable, or
        its members do not number ``count``)."""
        where = (org, period)
        part = self.parts.get(where)
        if part is None:
            return None
        mask = np.ones(part.height, dtype=bool)
        for attr, value in conds:
            if attr not in part.columns:
                return None
            key = (org, period, attr, value)
            m = self.masks.get(key)
            if m is None:
                m = (part[attr].cast(pl.String) == value).fill_null(False).to_numpy()
                self.masks[key] = m
            mask &= m
        if int(mask.sum()) != count:
            return None
        return int(self.keys[where][mask].sum() % KEYS)


def staff_frame(context: Any) -> pl.DataFrame:
    """The workforce as staff rows with the attributes a staff population is cut by (empty
    without staff data). An attribute that cannot be computed from the data (a column the
    staff file lacks) is left out: populations cut by it take the fallback key."""
    if not context.has("staff"):
        return pl.DataFrame()
    from ladder.metrics.indicators.representation import CHARACTERISTICS
    from ladder.metrics.kit.workforce import cluster, reported_band

    attributes: list[tuple[str, Any, Any]] = [
        ("cluster", cluster, None),
        ("pay_band", reported_band, None),
        *((c.name, c.expression, c.enrich) for c in CHARACTERISTICS),
    ]
    try:
        return _attributes(context, attributes)
    except Exception:  # a characteristic the data cannot give: keep the ones it can
        usable = []
        for attribute in attributes:
            try:
                _attributes(context, [attribute])
            except Exception:  # left out: the fallback key (documented)
                continue
            usable.append(attribute)
        return _attributes(context, usable)


def _attributes(context: Any, attributes: Sequence[tuple[str, Any, Any]]) -> pl.DataFrame:
    import narwhals as nw

    from ladder.metrics.expressions import to_polars
    from ladder.metrics.kit.workforce import workforce

    frame = workforce(context)
    for _name, _expr, enrich in attributes:
        if enrich is not None:
            frame = enrich(context, frame)
    names = [name for name, _e, _n in attributes]
    out = to_polars(
        frame.with_columns(*(expr().alias(name) for name, expr, _n in attributes)).select(
            nw.col("org_code"), nw.col("period"), nw.col("staff_id"), *(nw.col(n) for n in names)
        )
    )
    return out.sort("org_code", "period", "staff_id")


KeyOf = Callable[[str, int, str, Conditions, int], int]
"""(org, period, universe, conditions, true count) -> cell key."""


def keyer(seed: int, staff: StaffKeys | None = None) -> tuple[KeyOf, dict[str, int]]:
    """The cell key of each population (record keys where resolvable, else the population
    key), memoised; and a tally of how many populations took each route."""
    memo: dict[tuple[str, int, str, Conditions, int], int] = {}
    tally = {"records": 0, "population": 0}

    def key_of(org: str, period: int, universe: str, conds: Conditions, count: int) -> int:
        k = (org, period, universe, conds, count)
        found = memo.get(k)
        if found is None:
            found = (
                None
                if staff is None or universe != STAFF
                else staff.cell_key(org, period, conds, count)
            )
            if found is None:
                found = population_key(seed, org, period, universe, conds)
                tally["population"] += 1
            else:
                tally["records"] += 1
            memo[k] = found
        return found

    return key_of, tally


# --- Perturbing a publication ----------------------------------------------------------------

ROLES = ("numerator", "denominator", "reference_numerator", "reference_denominator")


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100.0


def _newcombe(a: int, n1: int, c: int, n2: int) -> tuple[float | None, float | None, float | None]:
    first, second = stats.wilson(a, n1), stats.wilson(c, n2)
    if None in (first.value, second.value, first.lower, first.upper, second.lower, second.upper):
        return None, None, None
    assert first.value is not None and second.value is not None
    assert first.lower is not None and first.upper is not None
    assert second.lower is not None and second.upper is not None
    d = first.value - second.value
    lo = d - math.sqrt((first.value - first.lower) ** 2 + (second.upper - second.value) ** 2)
    hi = d + math.sqrt((first.upper - first.value) ** 2 + (second.value - second.lower) ** 2)
    return d * 100.0, lo * 100.0, hi * 100.0


Figure = tuple[float | None, float | None, float | None]
"""(value, ci_lower, ci_upper)."""


def _formulas(r: Mapping[str, Any]) -> list[Callable[[dict[str, int]], Figure]]:
    """Candidate formulas of a figure from its counts, in the order tried."""
    measure, unit = r["measure"], r["unit"]

    def wilson(c: dict[str, int]) -> Figure:
        w = stats.wilson(c["numerator"], c["denominator"])
        return _pct(w.value), _pct(w.lower), _pct(w.upper)

    def ratio(c: dict[str, int]) -> Figure:
        i = stats.relative_likelihood(
            c["numerator"], c["denominator"], c["reference_numerator"], c["reference_denominator"]
        )
        return i.value, i.lower, i.upper

    def newcombe(c: dict[str, int]) -> Figure:
        return _newcombe(
            c["numerator"], c["denominator"], c["reference_numerator"], c["reference_denominator"]
        )

    def plain_difference(c: dict[str, int]) -> Figure:
        if c["denominator"] <= 0 or c["reference_denominator"] <= 0:
            return None, None, None
        v = 100.0 * c["numerator"] / c["denominator"]
        return v - 100.0 * c["reference_numerator"] / c["reference_denominator"], None, None

    def shifted(c: dict[str, int]) -> Figure:
        """A share minus a fixed published reference share (a catchment's, a benchmark's):
        the offset is the figure less its share, the same for the true and perturbed counts."""
        base = stats.wilson(int(r["numerator"]), int(r["denominator"]))
        if base.value is None or r["value"] is None:
            return None, None, None
        offset = float(r["value"]) - base.value * 100.0
        w = stats.wilson(c["numerator"], c["denominator"])
        if w.value is None or w.lower is None or w.upper is None:
            return None, None, None
        return w.value * 100 + offset, w.lower * 100 + offset, w.upper * 100 + offset

    def scaled(c: dict[str, int]) -> Figure:
        """A share divided by a fixed published reference share (a benchmark ratio)."""
        base = stats.wilson(int(r["numerator"]), int(r["denominator"]))
        if not base.value or r["value"] is None:
            return None, None, None
        factor = float(r["value"]) / (base.value * 100.0)
        w = stats.wilson(c["numerator"], c["denominator"])
        if w.value is None or w.lower is None or w.upper is None:
            return None, None, None
        return w.value * 100 * factor, w.lower * 100 * factor, w.upper * 100 * factor

    def count_of(role: str) -> Callable[[dict[str, int]], Figure]:
        return lambda c: (float(c[role]), None, None)

    if measure in ("share", "rate") and unit == "percent":
        return [wilson]
    if measure == "relative_likelihood":
        return [ratio, scaled]
    if measure == "difference" and unit == "percentage_points":
        return [newcombe, plain_difference, shifted]
    if measure == "count":
        return [count_of("numerator"), count_of("denominator")]
    return []


def _withheld(r: dict[str, Any]) -> dict[str, Any]:
    r.update(
        value=None,
        ci_lower=None,
        ci_upper=None,
        suppressed=True,
        flags=["suppressed"],
        note=neutral_note(r.get("note")),
    )
    return r


def _with_note(note: str | None, part: str) -> str:
    return part if not note else f"{note}; {part}"


def perturb_record(
    r: Mapping[str, Any], key_of: KeyOf, threshold: int, table: PTable
) -> dict[str, Any]:
    """One published figure (the JSON record shape) with its counts perturbed and its value
    recomputed from them, or withheld (module docstring)."""
    out = dict(r)
    if r["suppressed"]:
        return out
    true = {role: r[role] for role in ROLES}
    if all(v is None for v in true.values()):
        return out  # no people count: nothing to perturb
    populations = count_keys(r)
    org, period = str(r["org"]), int(r["period"])
    perturbed: dict[str, int] = {}
    for role in ROLES:
        value = true[role]
        if value is None:
            continue
        n = int(value)
        universe, conds = populations.get(role, (f"{r['id']}: {role}", dict(r["breakdown"])))
        if BOARD in universe:
            perturbed[role] = n  # a board's headcount is public knowledge
            continue
        cut = tuple(sorted(conds.items()))
        perturbed[role] = table.perturb(n, key_of(org, period, universe, cut, n))
    for role, value in perturbed.items():
        out[role] = value
    flags = [f for f in (r["flags"] or []) if f not in VALUE_FLAGS]
    measure = r["measure"]
    if measure in ("mean", "median", "gap") or r["unit"] == "gbp":
        floor = threshold + table.d
        over = [perturbed[k] for k in ("numerator", "denominator") if k in perturbed]
        if any(0 < n < floor for n in over):
            return _withheld(out)
        kept = [f for f in (r["flags"] or []) if f != PERTURBED]
        out["flags"] = [*kept, PERTURBED]
        out["note"] = _with_note(r.get("note"), PERTURBED_NOTE)
        return out
    truth = {k: int(v) for k, v in true.items() if v is not None}
    original: Figure = (r["value"], r["ci_lower"], r["ci_upper"])
    chosen: Figure | None = None
    for formula in _formulas(r):
        try:
            again = formula(truth)
        except KeyError:
            continue
        if not _close(again[0], original[0]):
            continue
        if original[1] is not None and not (
            _close(again[1], original[1]) and _close(again[2], original[2])
        ):
            continue
        new = formula(perturbed)
        chosen = (
            new[0],
            new[1] if original[1] is not None else None,
            new[2] if original[2] is not None else None,
        )
        break
    if chosen is None and original[0] is not None:
        return _withheld(out)
    if chosen is not None:
        out["value"], out["ci_lower"], out["ci_upper"] = chosen
        if measure == "relative_likelihood" and chosen[0] is not None:
            interval = stats.Interval(*chosen)
            if interval.contains_one:
                flags.append("no_evidence_of_difference")
            outside = stats.outside_four_fifths(chosen[0])
            flags.append("outside_four_fifths" if outside else "within_four_fifths")
        elif (
            measure == "difference"
            and chosen[1] is not None
            and chosen[2] is not None
            and chosen[1] <= 0.0 <= chosen[2]
        ):
            flags.append("no_evidence_of_difference")
    out["flags"] = [*(f for f in flags if f != PERTURBED), PERTURBED]
    out["note"] = _with_note(r.get("note"), PERTURBED_NOTE)
    return out


@dataclass(frozen=True)
class Perturbation:
    """A perturbed publication, and how its cell keys were found."""

    records: list[dict[str, Any]]
    from_records: int
    """Populations keyed from their members' record keys."""
    from_population: int
    """Populations keyed by the fallback population key."""


def perturb(
    records: Sequence[Mapping[str, Any]],
    *,
    seed: int,
    threshold: int,
    staff: pl.DataFrame | None = None,
    table: PTable | None = None,
) -> Perturbation:
    """Every figure of ``records`` (JSON record shape, unprotected) perturbed;
    ``staff``: the workforce rows (:func:`staff_frame`) to key staff populations from."""
    chosen = table or ptable()
    keys = None if staff is None or staff.is_empty() else StaffKeys(staff, seed)
    key_of, tally = keyer(seed, keys)
    out = [perturb_record(r, key_of, threshold, chosen) for r in records]
    return Perturbation(out, tally["records"], tally["population"])


def apply_frame(frame: pl.DataFrame, context: Any) -> pl.DataFrame:
    """Frame in, frame out (:data:`ladder.metrics.table.RESULT_SCHEMA`): every figure
    perturbed with the context's seed and threshold."""
    if frame.is_empty():
        return frame
    settings = context.settings
    records = [
        {**row, "breakdown": {b["name"]: b["value"] for b in row["breakdown"] or []}}
        for row in frame.iter_rows(named=True)
    ]
    done = perturb(
        records,
        seed=settings.seed,
        threshold=settings.threshold,
        staff=staff_frame(context),
    )
    rows = [{name: rec[name] for name in RESULT_FIELDS} for rec in done.records]
    return rows_frame(rows)
