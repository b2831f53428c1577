"""Rounding instead of withholding a changed figure (``ladder publish --changes round``).

A figure withheld only because its population changed by 1..threshold−1 people since the
previous publication (a leaver's group, band, total) may be published *rounded* instead:
its counts to the nearest multiple of ``base`` (the threshold unless told), the share or
rate recomputed from the rounded counts, no confidence interval. Means, medians, pay gaps,
relative likelihoods and differences over such a population stay withheld (a mean times a
rounded n still gives the pay sum away once the n is known from anywhere else), and so
does any figure that carries a count from 1 to threshold − 1 (rounding a small count to 0
or to the base narrows it).

The audit models a rounded count as its interval (``r − base/2 ≤ x < r + base/2``, two
``≤`` relations against a known constant 1, so the attack's propagation and integer
programme use it unchanged) and, for a population published before with value ``p``, as
a reader who knows the method reasons: a figure is published exactly only when it did not
change or changed by at least the threshold, and rounded only when it changed by 1 to
threshold − 1, so the possible values are ``{r}`` (when ``r = p`` or ``|r − p| ≥ t``) and
the values of the interval within ``1..t−1`` of ``p``. Fewer than ``t`` of them is a
finding. :func:`round_changes` rounds every candidate, audits, and withholds again the
rounded figures the audit narrows, until the audit finds nothing (with nothing rounded, the
publication is the withheld one, which the protection already cleared).

Rounded figures are not marked one by one: a mark would tell that the figure changed by 1
to threshold − 1 since the previous publication (with the interval, fewer than threshold
possible values). The publication's notes say once that some counts are rounded, to what
base, and why (:data:`ROUNDING_NOTE`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ladder.metrics.disclosure.attack import attack
from ladder.metrics.disclosure.relations import (
    ROLES,
    Earlier,
    Model,
    Relation,
    build,
    count_keys,
)
from ladder.metrics.disclosure.report import Audit, Finding, narrowed, withheld
from ladder.metrics.results import VALUE_FLAGS, Measure, Result, evolve

ROUNDABLE = frozenset({Measure.SHARE, Measure.COUNT, Measure.RATE})
"""Measures published rounded (their value follows from the rounded counts)."""

ROUNDING_NOTE = (
    "Rounding: where publishing a figure exactly would let a reader work out a change of "
    "1 to {limit} people since this organisation's previous publication, its counts are "
    "rounded to the nearest multiple of {base} (percentages and rates computed from the "
    "rounded counts, no confidence interval) instead of being withheld; means, medians and "
    "pay gaps over such a group are withheld. Which figures are rounded is not marked, "
    "since that would itself tell that they changed."
)
"""Said once in a publication that has rounded figures (format with limit, base)."""

CONSTANT = ("constant", "", 0, "one", ())
"""The model variable known to be 1 (the right-hand side of the interval relations)."""


def rounding_note(threshold: int, base: int) -> str:
    return ROUNDING_NOTE.format(limit=threshold - 1, base=base)


def round_to(x: float, base: int) -> int:
    """The nearest multiple of ``base`` (halves up)."""
    return math.floor(x / base + 0.5) * base


def interval(r: float, base: int) -> tuple[int, int]:
    """The integers that round to ``r``."""
    return math.ceil(r - base / 2), math.ceil(r + base / 2) - 1


def possible(low: float, high: float, r: float, before: float | None, threshold: int) -> int:
    """How many values the reader can still give a rounded count (see the module's text)."""
    lo, hi = math.ceil(low - 1e-6), math.floor(high + 1e-6)
    if before is None:
        return max(0, hi - lo + 1)
    exact_possible = r == before or abs(r - before) >= threshold
    count = 0
    for v in range(lo, hi + 1):
        if (v == r and exact_possible) or 0 < abs(v - before) < threshold:
            count += 1
    return count


def _variables(model: Model, pos: int, record: Mapping[str, Any]) -> dict[str, int]:
    """The model variable of each count role of record ``pos`` (its true value)."""
    out: dict[str, int] = {}
    carried = model.carried[pos]
    for role, (universe, conds) in count_keys(record).items():
        value = record[role]
        if value is None:
            continue
        cut = tuple(sorted(conds.items()))
        for i in carried:
            kind, _org, _period, name, key_cut = model.keys[i]
            if (
                kind == "count"
                and key_cut == cut
                and name.startswith(universe)
                and model.truth.get(i) == float(value)
            ):
                out[role] = i
                break
    return out


def candidates(
    shown: Sequence[Mapping[str, Any]],
    truth: Sequence[Mapping[str, Any]],
    threshold: int,
    previous: Earlier,
) -> set[int]:
    """Positions of figures withheld by the protection (``shown``) that may be published
    rounded instead: a roundable measure, no count from 1 to threshold − 1, at least one
    population that changed by 1 to threshold − 1 people since the previous publication, and
    every other count published exactly elsewhere (an unchanged population withheld as a
    complement stays withheld: so rounding always means a small change, which the audit
    assumes the reader knows)."""
    model = build(shown, truth, previous)
    published = set(model.known)
    hidden = [
        pos
        for pos, (s, t) in enumerate(zip(shown, truth, strict=True))
        if s["suppressed"] and not t["suppressed"]
    ]
    out: set[int] = set()
    for pos in hidden:
        record = truth[pos]
        if record["measure"] not in ROUNDABLE:
            continue
        variables = list(_variables(model, pos, record).values())
        values = [model.truth[i] for i in variables]
        if not values or any(0 < v < threshold for v in values):
            continue
        changed = [i for i in variables if _changed(model, i, threshold)]
        rest = [i for i in variables if i not in changed]
        if changed and all(i in published for i in rest):
            out.add(pos)
    return out


def _changed(model: Model, i: int, threshold: int) -> bool:
    before = model.previous.get(i)
    return before is not None and 0 < abs(model.truth[i] - before) < threshold


def rounded(result: Result, base: int, exact: Collection[str] = ()) -> Result:
    """``result`` with its counts rounded to ``base`` (roles in ``exact`` kept), the value
    recomputed from them, no interval, no flag read off the exact value."""
    counts = {}
    for role in ROLES:
        v = getattr(result, role)
        counts[role] = None if v is None or role in exact else float(round_to(v, base))
    counts = {k: (getattr(result, k) if v is None else v) for k, v in counts.items()}
    value = result.value
    n, d = result.numerator, result.denominator
    if value is not None and n is not None:
        if result.measure == Measure.COUNT:
            value = value * (counts["numerator"] or 0.0) / n if n else counts["numerator"]
        elif d:
            n_r, d_r = counts["numerator"] or 0.0, counts["denominator"] or 0.0
            ratio = n / d
            if n_r == 0:
                value = 0.0
            elif d_r and ratio:
                value = value * (n_r / d_r) / ratio
            else:
                value = None
    return evolve(
        result,
        **counts,
        value=value,
        ci_lower=None,
        ci_upper=None,
        flags=tuple(f for f in result.flags if f not in VALUE_FLAGS),
    )


def _masked(record: Mapping[str, Any]) -> dict[str, Any]:
    return {**record, "suppressed": True, "value": None, **dict.fromkeys(ROLES)}


@dataclass(frozen=True)
class RoundedAudit:
    audit: Audit
    variables: frozenset[int]
    """Model variables of the findings."""
    model: Model


def audit_rounded(
    published: Sequence[Mapping[str, Any]],
    truth: Sequence[Mapping[str, Any]],
    threshold: int,
    *,
    rounded_at: Collection[int],
    base: int,
    previous: Earlier | None = None,
    exhaustive: bool = False,
) -> RoundedAudit:
    """The audit of a publication whose figures at ``rounded_at`` are rounded to ``base``:
    each rounded count is its interval, read as a reader who knows the method would."""
    masked = [_masked(p) if pos in rounded_at else p for pos, p in enumerate(published)]
    model = build(masked, truth, previous)
    one = model.var(CONSTANT)
    model.known[one] = 1.0
    shown: dict[int, float] = {}
    for pos in sorted(rounded_at):
        record, pub = truth[pos], published[pos]
        for role, i in _variables(model, pos, record).items():
            r = pub[role]
            if r is None or i in model.known or i in shown:
                continue
            shown[i] = float(r)
            lo, hi = interval(float(r), base)
            name = f"rounded to {base}: {model.label(i)} = {r:g}"
            model.relations.append(Relation(f"{name} (≤)", ((i, 1.0), (one, -float(hi))), False))
            model.relations.append(Relation(f"{name} (≥)", ((one, float(lo)), (i, -1.0)), False))
    findings: list[Finding] = []
    found: set[int] = set()
    for iv in attack(model, exhaustive=exhaustive):
        i = iv.variable
        if not model.sensitive(i, threshold):
            continue
        if i in shown:
            hit = possible(iv.low, iv.high, shown[i], model.previous.get(i), threshold) < threshold
        else:
            hit = narrowed(iv, model, threshold)
        if not hit:
            continue
        kind, org, period, _universe, _conds = model.keys[i]
        low, high = iv.low, iv.high
        if kind == "count":
            low, high = float(math.ceil(low - 1e-6)), float(math.floor(high + 1e-6))
        found.add(i)
        findings.append(
            Finding(
                org=org,
                period=period,
                what=model.label(i),
                low=low,
                high=high,
                exact=abs(high - low) <= 1e-6 * max(1.0, abs(high)),
                figures=tuple(dict.fromkeys(model.withheld[i])),
                why=iv.why,
            )
        )
    for i, value in model.known.items():
        if i in model.withheld or not model.sensitive(i, threshold):
            continue
        kind, org, period, _universe, _conds = model.keys[i]
        found.add(i)
        findings.append(
            Finding(org, period, model.label(i), value, value, True, (), ("published",))
        )
    audit = Audit(
        findings,
        len(model.withheld) - len(shown),
        len(model.relations),
        threshold,
        withheld([p for pos, p in enumerate(published)]),
    )
    return RoundedAudit(audit, frozenset(found), model)


@dataclass(frozen=True)
class Rounding:
    """A publication with changed figures rounded where that is safe."""

    results: list[Result]
    rounded: frozenset[int]
    """Positions of the rounded figures."""
    audit: Audit
    base: int


def round_changes(
    raw: Sequence[Result],
    shown: Sequence[Result],
    threshold: int,
    previous: Earlier,
    *,
    base: int | None = None,
) -> Rounding:
    """``shown`` (``raw`` protected against ``previous``) with the figures withheld for a
    small change published rounded instead, wherever the audit still finds nothing."""
    b = base or 2 * threshold
    truth = [r.to_dict() for r in raw]
    records = [r.to_dict() for r in shown]
    todo = candidates(records, truth, threshold, previous)
    plain = build(records, truth, previous)
    known = set(plain.known)
    while True:
        out = list(shown)
        for pos in todo:
            exact = {
                role
                for role, i in _variables(plain, pos, truth[pos]).items()
                if i in known and not plain.sensitive(i, threshold)
            }
            out[pos] = rounded(raw[pos], b, exact)
        checked = audit_rounded(
            [r.to_dict() for r in out],
            truth,
            threshold,
            rounded_at=todo,
            base=b,
            previous=previous,
        )
        if not checked.audit.findings or not todo:
            return Rounding(out, frozenset(todo), checked.audit, b)
        model = checked.model
        drop = {
            pos
            for pos in todo
            if set(model.carried[pos]) & checked.variables
            or set(_variables(model, pos, truth[pos]).values()) & checked.variables
        }
        todo = todo - drop if drop else set()
