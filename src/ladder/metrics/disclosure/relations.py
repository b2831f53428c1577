"""Published figures as linear relations between people counts and pay sums.

Every count a record publishes (numerator, denominator, reference numerator/denominator)
is the size of a *population*: a universe (staff headcount, pay-gap relevant employees,
bonus recipients, an indicator's events…) cut by conditions (ethnicity = White,
pay_band = Band 5, …). The same population appearing in several tables is ONE variable
(a group's headcount is the WRES 1 total, the representation total, the WRES 3 and WRES 4
denominators and the WRES 9 reference at once). Relations between variables:

* partitions: a population is the sum of its cuts along one attribute (the cells of a
  line add up to its total; quartiles add up to the whole);
* nested groups: White = White British + Other White; BME = Mixed + Asian + Black + Other;
* means × counts: a mean over ``n`` people publishes the pay sum ``mean × n``; pay sums
  add up like the counts.

Candidate relations are checked against the TRUE (unsuppressed) figures: a relation is
kept as an equality only when it holds exactly (as a ``≤`` when only the cuts' sum is
below the total). The attacker is thus assumed to know every additive fact that holds in
this publication, which makes the audit conservative (see docs/methods/disclosure.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

Record = Mapping[str, Any]
"""One published result in the JSON record shape (``Result.to_dict()``)."""

Key = tuple[str, str, int, str, tuple[tuple[str, str], ...]]
"""(kind, org, period, universe, sorted conditions): kind is "count" or "paysum"."""

ROLES = ("numerator", "denominator", "reference_numerator", "reference_denominator")

CHILDREN: dict[str, dict[str, tuple[str, ...]]] = {
    "ethnicity": {
        "White": ("White British", "Other White"),
        "BME": ("Mixed", "Asian", "Black", "Other"),
    },
}
"""Nested groups of a characteristic: parent -> its children."""

_CHARACTERISTICS: tuple[tuple[str, str], ...] = (
    ("wres.", "ethnicity"),
    ("representation.ethnicity", "ethnicity"),
    ("paygap.ethnicity.", "ethnicity"),
    ("wdes.", "disability"),
    ("representation.disability", "disability"),
    ("paygap.disability.", "disability"),
    ("representation.sex", "sex"),
    ("paygap.sex.", "sex"),
    ("representation.age", "age"),
    ("representation.deprivation", "deprivation"),
    ("paygap.deprivation.", "deprivation"),
    ("representation.seb", "seb"),
    ("paygap.seb.", "seb"),
)

STAFF = "staff headcount"
BOARD = " board: "
PAY = "pay: relevant employees"
BONUS = "pay: bonus recipients"

_STAFF_TABLES = ("wres.1", "wdes.1", "representation.")
_STAFF_BASES = ("wres.3", "wres.4", "wdes.3", "place.training", "place.disciplinary")
_REFERENCE = re.compile(r"reference group: ([^;]+)")
_PRIMARY = re.compile(r"a count below (\d+)")
SECONDARY_TEXT = "withheld so a smaller cell cannot be derived from totals"


@cache
def characteristic(indicator: str) -> str:
    """The attribute a record's ``group`` is a value of."""
    for prefix, name in _CHARACTERISTICS:
        if indicator.startswith(prefix):
            return name
    return f"group of {indicator}"


def _universes(r: Record) -> dict[str, str]:
    """The universe of each count role of a record."""
    rid: str = r["id"]
    measure: str = r["measure"]
    if rid.startswith(_STAFF_TABLES):
        return dict.fromkeys(ROLES, STAFF)
    if rid.startswith("paygap."):
        bonus = "bonus" in rid.rsplit(".", 1)[-1] or ".bonus_pay." in rid
        if rid.endswith("bonus_proportion"):
            return {"numerator": BONUS, "denominator": PAY}
        return dict.fromkeys(ROLES, BONUS if bonus else PAY)
    if measure == "difference" and "membership" in r["breakdown"]:
        board = f"{rid}{BOARD}{r['breakdown']['membership']}"
        return {
            "numerator": board,
            "denominator": board,
            "reference_numerator": STAFF,
            "reference_denominator": STAFF,
        }
    base = STAFF if rid.startswith(_STAFF_BASES) else f"{rid}: people"
    if measure in ("rate", "relative_likelihood", "difference"):
        return {
            "numerator": f"{rid}: events",
            "denominator": base,
            "reference_numerator": f"{rid}: events",
            "reference_denominator": base,
        }
    return dict.fromkeys(ROLES, f"{rid}: people")


def _conditions(r: Record, group: str | None) -> dict[str, str]:
    conds = {
        k: v for k, v in r["breakdown"].items() if v != "all" and not k.startswith("membership")
    }
    if group is not None and group != "":
        conds[characteristic(r["id"])] = group
    return conds


def count_keys(r: Record) -> dict[str, tuple[str, dict[str, str]]]:
    """(universe, conditions) of each people count the record publishes, by role."""
    measure: str = r["measure"]
    group: str | None = r["group"]
    universes = _universes(r)
    out: dict[str, tuple[str, dict[str, str]]] = {}
    if measure in ("share", "count"):
        out["numerator"] = (universes["numerator"], _conditions(r, group))
        out["denominator"] = (universes["denominator"], _conditions(r, None))
    elif measure in ("mean", "median"):
        out["denominator"] = (universes["denominator"], _conditions(r, group))
    elif measure == "gap":
        ref = _REFERENCE.search(r["note"] or "")
        out["numerator"] = (universes["numerator"], _conditions(r, group))
        if ref is not None:
            out["denominator"] = (universes["denominator"], _conditions(r, ref.group(1).strip()))
    elif measure == "difference" and "membership" in r["breakdown"]:
        out["numerator"] = (universes["numerator"], _conditions(r, group))
        out["denominator"] = (universes["denominator"], _conditions(r, None))
        out["reference_numerator"] = (universes["reference_numerator"], _conditions(r, group))
        out["reference_denominator"] = (universes["reference_denominator"], _conditions(r, None))
    else:  # rate, relative likelihood, difference of two rates
        first, _, second = (group or "").partition(":")
        out["numerator"] = (universes["numerator"], _conditions(r, first))
        out["denominator"] = (universes["denominator"], _conditions(r, first))
        if second:
            out["reference_numerator"] = (universes["reference_numerator"], _conditions(r, second))
            out["reference_denominator"] = (
                universes["reference_denominator"],
                _conditions(r, second),
            )
    return out


@dataclass(frozen=True)
class Relation:
    """``sum(coef × variable) (= or ≤) 0`` with a readable name."""

    name: str
    terms: tuple[tuple[int, float], ...]
    equality: bool = True


@dataclass
class Model:
    """The variables of one publication, what is published, and the relations between them."""

    keys: list[Key] = field(default_factory=list)
    index: dict[Key, int] = field(default_factory=dict)
    truth: dict[int, float] = field(default_factory=dict)
    known: dict[int, float] = field(default_factory=dict)
    withheld: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    relations: list[Relation] = field(default_factory=list)
    primary: list[tuple[tuple[int, ...], int, str]] = field(default_factory=list)
    """(variables of a withheld record, threshold, label): one of them is 1..threshold−1."""
    secondary: list[tuple[tuple[int, ...], int, str]] = field(default_factory=list)
    """(variables, threshold, label): each is 0 or ≥ threshold (the note says so)."""
    previous: dict[int, float] = field(default_factory=dict)
    """What an earlier publication published of each variable (same population, earlier
    period): a change of 1..threshold−1 people from it is sensitive too."""
    carried: list[tuple[int, ...]] = field(default_factory=list)
    """The variables each record carries (whose true value it holds), in record order."""

    def var(self, key: Key) -> int:
        i = self.index.get(key)
        if i is None:
            i = len(self.keys)
            self.index[key] = i
            self.keys.append(key)
        return i

    def is_board(self, i: int) -> bool:
        """A board's headcount (public knowledge: published as the WRES return does)."""
        return BOARD in self.keys[i][3]

    def sensitive(self, i: int, threshold: int) -> bool:
        """A people count from 1 to threshold − 1 (not a board's), or the pay sum of one."""
        kind, org, period, universe, conds = self.keys[i]
        if kind == "paysum":
            j = self.index.get(("count", org, period, universe, conds))
            return j is not None and self.sensitive(j, threshold)
        true = self.truth.get(i)
        if true is None or self.is_board(i):
            return False
        before = self.previous.get(i)
        return 0 < true < threshold or (before is not None and 0 < abs(true - before) < threshold)

    def label(self, i: int) -> str:
        kind, _org, _period, universe, conds = self.keys[i]
        cut = ", ".join(f"{a}={v}" for a, v in conds) or "all"
        return f"{'pay sum' if kind == 'paysum' else 'count'} of {universe} [{cut}]"


def _record_label(r: Record) -> str:
    cut = ", ".join(f"{k}={v}" for k, v in r["breakdown"].items())
    return f"{r['id']} {r['group'] or ''}{f' ({cut})' if cut else ''}".strip()


def _key(kind: str, r: Record, universe: str, conds: Mapping[str, str]) -> Key:
    return (kind, r["org"], int(r["period"]), universe, tuple(sorted(conds.items())))


def _bind(model: Model, key: Key, true: float | None, namespace: str) -> int:
    """The variable of ``key``; a key whose true value disagrees gets its own variable."""
    i = model.var(key)
    if true is None:
        return i
    seen = model.truth.get(i)
    if seen is None:
        model.truth[i] = true
        return i
    if abs(seen - true) <= 1e-6 * max(1.0, abs(true)):
        return i
    kind, org, period, universe, conds = key
    n = 1
    while True:  # the first namespaced variable with this true value, or a new one
        suffix = namespace if n == 1 else f"{namespace} {n}"
        j = model.var((kind, org, period, f"{universe} ({suffix})", conds))
        seen = model.truth.get(j)
        if seen is None:
            model.truth[j] = true
            return j
        if abs(seen - true) <= 1e-6 * max(1.0, abs(true)):
            return j
        n += 1


Earlier = dict[tuple[str, str, str, tuple[tuple[str, str], ...]], tuple[float, ...]]
"""Published values of earlier publications by (kind, org, universe, conditions) (and by
figure: :func:`figure_key`), one per publication that published it."""


def combined(earlier: Sequence[Earlier]) -> Earlier:
    """Several publications' values as one :data:`Earlier` (every value kept)."""
    out: Earlier = {}
    for values in earlier:
        for key, seen in values.items():
            out[key] = out.get(key, ()) + seen
    return out


def published_values(published: Sequence[Record]) -> Earlier:
    """What a publication published of each population (and pay sum), whatever its period:
    the record an earlier publication leaves for :func:`build`'s ``previous``.

    Two kinds of key: the population's (kind, org, universe, conditions), and the figure's
    own (:func:`figure_key`: the same record, role by role). The figure's key is the one
    that survives a different suppression pattern: two tables that share a description but
    not a value (the pay quartiles of the sex and of the ethnicity tables) get namespaced
    variables in the order they are met, which depends on what is withheld."""
    model = build(published, published)
    out: Earlier = {}
    for i, value in model.known.items():
        if model.is_board(i):
            continue
        kind, org, _period, universe, conds = model.keys[i]
        out[(kind, org, universe, conds)] = (value,)
    for r in published:
        for role in ROLES:
            if r[role] is not None:
                out[figure_key(r, role)] = (float(r[role]),)
        if r["measure"] == "mean" and r["value"] is not None and r["denominator"] is not None:
            out[figure_key(r, "paysum")] = (float(r["value"]) * float(r["denominator"]),)
    return out


def figure_key(r: Record, role: str) -> tuple[str, str, str, tuple[tuple[str, str], ...]]:
    """The key of one figure's count (or pay sum) in :data:`Earlier`, whatever its period."""
    return (f"figure {role}", r["org"], f"{r['id']} | {r['group'] or ''}", _cut(r["breakdown"]))


def _cut(breakdown: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(breakdown.items()))


def _closest(current: float, values: list[float]) -> float:
    """Of several earlier values of one population, the one whose change is smallest but not
    zero (so a change of 1..t−1 against any of them is seen, whatever t)."""
    return min(values, key=lambda v: (abs(current - v) == 0, abs(current - v)))


def build(
    published: Sequence[Record], truth: Sequence[Record], previous: Earlier | None = None
) -> Model:
    """The model of a publication: ``published`` and the same records unsuppressed.

    ``truth[i]`` must be ``published[i]`` before suppression (same order, same fields).
    ``previous``: what an earlier publication of the same organisations published
    (:func:`published_values`); a population that changed by 1..threshold−1 since is
    sensitive (a leaver's or joiner's group, and any mean over it).
    """
    if len(published) != len(truth):
        raise ValueError("published and true records differ in number")
    model = Model()
    earlier: dict[int, list[float]] = defaultdict(list)
    threshold: int | None = None
    for pub, true in zip(published, truth, strict=True):
        roles = count_keys(true)
        variables: dict[str, int] = {}
        carried: list[int] = []
        for role, (universe, conds) in roles.items():
            key = _key("count", true, universe, conds)
            value = true[role]
            i = _bind(model, key, None if value is None else float(value), true["id"])
            variables[role] = i
            if value is not None:
                carried.append(i)
                if previous:
                    earlier[i].extend(previous.get(figure_key(true, role), ()))
            if pub[role] is not None:
                model.known[i] = float(pub[role])
            elif value is not None and model.is_board(i):
                model.known[i] = float(value)  # public knowledge, whatever is withheld
            elif pub["suppressed"] and value is not None:
                model.withheld[i].append(_record_label(pub))
        if true["measure"] == "mean" and "denominator" in roles:
            universe, conds = roles["denominator"]
            key = _key("paysum", true, universe, conds)
            n, mean = true["denominator"], true["value"]
            total = None if n is None or mean is None else float(n) * float(mean)
            i = _bind(model, key, total, true["id"])
            if total is not None:
                carried.append(i)
                if previous:
                    earlier[i].extend(previous.get(figure_key(true, "paysum"), ()))
            if pub["value"] is not None and pub["denominator"] is not None:
                model.known[i] = float(pub["value"]) * float(pub["denominator"])
            elif pub["suppressed"] and total is not None:
                model.withheld[i].append(_record_label(pub))
        model.carried.append(tuple(dict.fromkeys(carried)))
        if pub["suppressed"]:
            hidden = tuple(sorted({variables[r] for r in variables if pub[r] is None}))
            note = pub["note"] or ""
            small = _PRIMARY.search(note)
            if small is not None and hidden:
                model.primary.append((hidden, int(small.group(1)), _record_label(pub)))
            elif SECONDARY_TEXT in note and hidden:
                if threshold is None:
                    threshold = _threshold_of(published)
                model.secondary.append((hidden, threshold, _record_label(pub)))
    _add_sums(model)
    if previous:
        for i, (kind_, org_, _period, universe_, cut) in enumerate(model.keys):
            values = [*earlier.get(i, ()), *previous.get((kind_, org_, universe_, cut), ())]
            if values:
                current = model.truth.get(i)
                model.previous[i] = values[0] if current is None else _closest(current, values)
    return model


def _threshold_of(published: Sequence[Record]) -> int:
    for r in published:
        m = _PRIMARY.search(r["note"] or "")
        if m is not None:
            return int(m.group(1))
    return 10


def _add_sums(model: Model) -> None:
    """Partitions along every attribute and nested groups, kept when true."""
    by_rest: dict[
        tuple[str, str, int, str, str, tuple[tuple[str, str], ...]], list[tuple[str, int]]
    ] = defaultdict(list)
    for i, (kind, org, period, universe, conds) in enumerate(list(model.keys)):
        for n, (attr, value) in enumerate(conds):
            rest = conds[:n] + conds[n + 1 :]  # conditions are sorted: one per attribute
            by_rest[(kind, org, period, universe, attr, rest)].append((value, i))
    for (kind, org, period, universe, attr, rest), members in by_rest.items():
        if len(members) < 2:
            continue  # one cut alone: no partition, no nested group
        values = dict(members)
        nested = CHILDREN.get(attr, {})
        children = {c for kids in nested.values() for c in kids if c in values}
        for parent, kids in nested.items():
            if parent in values and all(k in values for k in kids):
                _add(
                    model,
                    values[parent],
                    [values[k] for k in kids],
                    f"{attr}: {parent} = {' + '.join(kids)}",
                )
        top = [values[v] for v in sorted(values) if v not in children]
        total = model.index.get((kind, org, period, universe, rest))
        if total is not None and len(top) > 1:
            where = ", ".join(f"{a}={v}" for a, v in rest) or "all"
            _add(model, total, top, f"{universe} [{where}]: sum over {attr}")


def _add(model: Model, total: int, parts: list[int], name: str) -> None:
    """``total = Σ parts`` when true (``Σ parts ≤ total`` when only that holds)."""
    values = [model.truth.get(i) for i in (total, *parts)]
    if any(v is None for v in values):
        return
    whole, *cuts = (float(v) for v in values if v is not None)
    terms = ((total, -1.0), *((p, 1.0) for p in parts))
    gap = whole - sum(cuts)
    if abs(gap) <= 1e-6 * max(1.0, abs(whole)):
        model.relations.append(Relation(name, terms, True))
    elif gap > 0:
        model.relations.append(Relation(f"{name} (at most)", terms, False))
