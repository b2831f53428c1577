"""Two organisations published side by side whose people overlap: the audit over both.

What Ladder publishes that overlaps is the same staff under two organisation codes: a trust
published twice with different boundaries (before and after a merger or a transfer of
services, a host trust and a hosted body, a trust and the same trust less a division), or
any two publications built from staff records that share people. People are matched by
``staff_id`` within a period (the ESR assignment number the data contract keys staff on).

The attacker holds both publications. Linking them needs populations neither publishes:
for organisations A and B, the people in both (as A records them, ``A&B``, and as B does,
``B&A``), in A only (``A-B``) and in B only (``B-A``). Ladder computes every indicator over
those four pseudo-organisations (their truth is known, none of it is published) and adds,
for every population both sides define, the relations ``A = A&B + A-B``,
``B = B&A + B-A`` and ``A&B = B&A`` — each kept only when it holds on the true figures, like
every other relation. The attack then bounds every withheld value of A and B, and every
count of the pseudo-organisations: a difference population of 1..threshold−1 people
narrowed below the threshold (B is A less three people, so A − B is those three) is a
finding, as a leaver between two periods is.

Datasets without ``staff_id`` (applications, the survey) are left out of the pseudo-
organisations: their overlap is not modelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import narwhals as nw
import polars as pl

from ladder.metrics.context import Context
from ladder.metrics.disclosure.publication import unprotected
from ladder.metrics.disclosure.relations import ROLES, Earlier, Model, _add, build
from ladder.metrics.disclosure.report import Audit, audit_model


def pseudo(a: str, b: str) -> dict[str, str]:
    """The pseudo-organisations of ``a`` beside ``b`` (name -> meaning)."""
    return {
        f"{a}&{b}": f"people in both, as {a} records them",
        f"{b}&{a}": f"people in both, as {b} records them",
        f"{a}-{b}": f"people in {a} only",
        f"{b}-{a}": f"people in {b} only",
    }


def _polars(frame: nw.LazyFrame[Any]) -> pl.DataFrame:
    return frame.collect().to_polars()


def shared_people(context: Context, a: str, b: str) -> int:
    """How many (period, staff_id) of ``a``'s staff are also ``b``'s."""
    if not context.has("staff"):
        return 0
    staff = _polars(context.frame("staff").select("org_code", "staff_id", "period"))
    first = staff.filter(pl.col("org_code") == a).select("period", "staff_id").unique()
    second = staff.filter(pl.col("org_code") == b).select("period", "staff_id").unique()
    return first.join(second, on=["period", "staff_id"]).height


def split(context: Context, a: str, b: str) -> Context:
    """``context`` with ``a``'s and ``b``'s people relabelled as the four pseudo-
    organisations (frames with ``staff_id``; the others are left out)."""
    staff = _polars(context.frame("staff").select("org_code", "staff_id", "period"))
    members = {
        org: staff.filter(pl.col("org_code") == org)
        .select("period", "staff_id")
        .unique()
        .with_columns(pl.lit(True).alias(f"in_{org}"))
        for org in (a, b)
    }
    frames: dict[str, nw.LazyFrame[Any]] = {}
    for kind, frame in context.frames.items():
        names = frame.collect_schema().names()
        if "staff_id" not in names or "org_code" not in names:
            continue
        data = _polars(frame).filter(pl.col("org_code").is_in([a, b]))
        for org in (a, b):
            data = data.join(members[org], on=["period", "staff_id"], how="left")
        both = pl.col(f"in_{a}").fill_null(False) & pl.col(f"in_{b}").fill_null(False)
        org_code = (
            pl.when((pl.col("org_code") == a) & both)
            .then(pl.lit(f"{a}&{b}"))
            .when(pl.col("org_code") == a)
            .then(pl.lit(f"{a}-{b}"))
            .when(both)
            .then(pl.lit(f"{b}&{a}"))
            .otherwise(pl.lit(f"{b}-{a}"))
        )
        data = data.with_columns(org_code.alias("org_code")).drop(f"in_{a}", f"in_{b}")
        frames[kind] = nw.from_native(data.lazy())
    return Context(frames, context.engine, context.settings)


def _masked(record: Mapping[str, Any]) -> dict[str, Any]:
    return {**record, "suppressed": True, "value": None, **dict.fromkeys(ROLES)}


def link(model: Model, a: str, b: str) -> int:
    """Add the relations between ``a``, ``b`` and their pseudo-organisations (kept when
    true); how many were added."""
    before = len(model.relations)
    orgs = {k[1] for k in model.keys}
    for i, (kind, org, period, universe, conds) in enumerate(list(model.keys)):
        if org not in (a, b):
            continue
        other = b if org == a else a
        parts = [f"{org}&{other}", f"{org}-{other}"]
        terms: list[int] = []
        for part in parts:
            if part not in orgs:
                continue  # nobody there: that part is zero
            j = model.index.get((kind, part, period, universe, conds))
            if j is None:
                terms = []
                break
            terms.append(j)
        if terms:
            _add(model, i, terms, f"{org} = {' + '.join(parts)} [{model.label(i)}]")
    for i, (kind, org, period, universe, conds) in enumerate(list(model.keys)):
        if org == f"{a}&{b}":
            j = model.index.get((kind, f"{b}&{a}", period, universe, conds))
            if j is not None:
                _add(model, i, [j], f"{a}&{b} = {b}&{a} [{model.label(i)}]")
    return len(model.relations) - before


def audit_beside(
    context: Context,
    a: str,
    b: str,
    published: Sequence[Mapping[str, Any]],
    truth: Sequence[Mapping[str, Any]],
    threshold: int,
    *,
    previous: Earlier | None = None,
    exhaustive: bool = False,
    periods: Sequence[int] | None = None,
) -> Audit:
    """Attack the publications of ``a`` and ``b`` together (``published``: both, as
    published; ``truth``: the same records unprotected, in the same order; ``context``:
    both organisations' data) through the populations that link them."""
    hidden = unprotected(split(context, a, b), periods=periods)
    extra = [r.to_dict() for r in hidden]
    model = build([*published, *(_masked(r) for r in extra)], [*truth, *extra], previous)
    link(model, a, b)
    found = audit_model(model, list(published), threshold, exhaustive=exhaustive)
    meaning = pseudo(a, b)
    found.findings[:] = [
        replace(f, what=f"{f.what}: {meaning[f.org]}", figures=()) if f.org in meaning else f
        for f in found.findings
        if not f.low > f.high + 1e-6 * max(1.0, abs(f.low))  # a solver's failure, not a bound
    ]
    return found


def restrict(context: Context, orgs: Sequence[str]) -> Context:
    """``context`` with only the rows of ``orgs``."""
    frames = {
        kind: frame.filter(nw.col("org_code").is_in(list(orgs)))
        if "org_code" in frame.collect_schema().names()
        else frame
        for kind, frame in context.frames.items()
    }
    return Context(frames, context.engine, context.settings)


def figure(r: Mapping[str, Any]) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A figure's identity whatever its organisation: (id, group, breakdown)."""
    return (r["id"], r["group"] or "", tuple(sorted(r["breakdown"].items())))


def as_previous(earlier: Earlier, org: str) -> Earlier:
    """Another organisation's published values read as ``org``'s previous publication: the
    protection of ``org`` beside it (a population that differs by 1..threshold−1 people
    between the two is withheld, as a change between two periods is)."""
    return {(kind, org, name, cut): values for (kind, _other, name, cut), values in earlier.items()}


def withheld_figures(
    records: Sequence[Mapping[str, Any]],
) -> set[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """The figures an overlapping publication withheld (withheld beside it too)."""
    return {figure(r) for r in records if r["suppressed"]}
