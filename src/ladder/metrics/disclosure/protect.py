"""The protection: one suppression pattern for everything published together, as linked tables.

Every organisation and period is one publication. Its figures are modelled as the audit's
attacker sees them (:mod:`ladder.metrics.disclosure.relations`: one variable per population,
whichever tables it appears in; partitions, nested groups, pay sums), and suppression is
decided over that model, not table by table:

1. *primary*: every figure carrying a *sensitive* value is withheld — a people count from 1
   to threshold − 1 (a board's headcount excepted: it is public knowledge), or the pay sum of
   such a population (so its mean and median go too). A population shared by several tables
   is withheld in all of them at once, because it is one variable carried by all of them.
2. *attack*: the audit's bound propagation (:class:`Propagator`) runs over what is still
   published, with no help from notes (every withheld figure reads the same). A sensitive
   count narrowed to fewer than ``threshold`` possible values, or a sensitive pay sum
   recovered exactly, is *exposed*.
3. *complements*: for each exposed value, each relation that pins it (the value the only
   unknown of the relation, or failing that the relation with fewest unknowns) loses one more
   published variable: the one whose withholding costs least — fewest further figures
   withheld, then the smallest value, a zero only when nothing else is left (a withheld zero
   protects least). Every figure carrying that variable is withheld.
4. Repeat 2–3 until propagation exposes nothing; then the audit's integer programme
   (:mod:`attack`, solved LP first: :mod:`solver`) bounds every sensitive count still under
   2 × threshold wide, and any it narrows gets complements the same way, until nothing is
   exposed.

Each publication (organisation, period) is protected on its own — no relation links two —
and, when there are many, in worker processes (:mod:`ladder.metrics.disclosure.parallel`).

This is the τ-ARGUS "hypercube"/modular idea (protect each sensitive cell against every table
it is linked through, picking cheap complements), with the audit's own attack as the test of
sufficiency, so the audit of a protected publication finds nothing by construction
(docs/methods/disclosure.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ladder.metrics.disclosure.attack import (
    WORTH_PROVING,
    _Index,
    _links,
    _neighbourhood,
    _solve,
    components,
    programme_of,
)
from ladder.metrics.disclosure.notes import METHOD_NOTE, neutral_note
from ladder.metrics.disclosure.parallel import FIELDS, in_parallel, plain, publications, workers
from ladder.metrics.disclosure.propagate import Floats, Propagator
from ladder.metrics.disclosure.relations import Earlier, Model, build
from ladder.metrics.disclosure.solver import Programme
from ladder.metrics.results import Result, evolve
from ladder.metrics.table import COUNTS, FLOATS


@dataclass(frozen=True)
class Protection:
    """Which records to withhold, and how the pattern was found."""

    withheld: frozenset[int]
    """Positions of the records to withhold (including any withheld on input)."""
    primary: int
    """How many of them carry a sensitive value."""
    rounds: int


def _exposed(model: Model, sensitive: list[int], lo: Floats, hi: Floats, t: int) -> list[int]:
    out = []
    for i in sensitive:
        if model.keys[i][0] == "paysum":
            if np.isfinite(hi[i]) and hi[i] - lo[i] <= 1e-6 * max(1.0, abs(hi[i])):
                out.append(i)
        elif hi[i] - lo[i] + 1 < t:
            out.append(i)
    return out


class _State:
    def __init__(self, model: Model, records: Sequence[Mapping[str, Any]], t: int) -> None:
        self.model = model
        self.t = t
        self.carriers: dict[int, list[int]] = defaultdict(list)
        for pos, carried in enumerate(model.carried):
            for i in carried:
                self.carriers[i].append(pos)
        self.board = {i for i in range(len(model.keys)) if model.is_board(i)}
        self.hidden: set[int] = {pos for pos, r in enumerate(records) if r["suppressed"]}
        self.sensitive = [i for i in range(len(model.keys)) if model.sensitive(i, t)]
        roots = components(model)
        self.component = [0] * len(model.keys)
        for root, members in roots.items():
            for i in members:
                self.component[i] = root
        self.dirty: set[int] = set(roots)
        """Components where something was withheld since the integer programme last ran."""
        self.cleared: set[int] = set()
        """Sensitive counts the programme cleared (valid while their component is clean)."""
        relations_only = Model(keys=model.keys, index=model.index, relations=model.relations)
        self.index = _Index(relations_only)
        """Which relations touch each variable (the attack's view has no notes)."""
        self.links = _links(relations_only)
        self.solved: dict[tuple[Any, ...], tuple[float, float]] = {}
        """The programme's bounds of a target by everything they depend on (the
        neighbourhood, what in it is published, its propagated bounds)."""
        self.by_var: dict[int, list[int]] = defaultdict(list)
        for k, rel in enumerate(model.relations):
            for i, _ in rel.terms:
                self.by_var[i].append(k)
        truth = model.truth
        self.visible = {
            i: sum(1 for p in pos if p not in self.hidden) for i, pos in self.carriers.items()
        }
        """How many published records carry each variable (it is known while any does)."""
        self.published = {i: truth[i] for i, n in self.visible.items() if n and i in truth}
        self.published.update((i, truth[i]) for i in self.board if i in truth)

    def hide(self, i: int) -> None:
        for pos in self.carriers.get(i, ()):
            if pos in self.hidden:
                continue
            self.hidden.add(pos)
            for j in self.model.carried[pos]:
                self.visible[j] -= 1
                if not self.visible[j] and j not in self.board:
                    self.published.pop(j, None)
        self.dirty.add(self.component[i])

    def known(self) -> dict[int, float]:
        """What is published now (a copy: the round's view while complements are chosen)."""
        return dict(self.published)

    def cost(self, i: int) -> tuple[int, int, float]:
        """Information lost by withholding variable ``i``: zero last, fewest figures, least."""
        value = self.model.truth.get(i, 0.0)
        new = sum(1 for p in self.carriers.get(i, ()) if p not in self.hidden)
        return (1 if value == 0 else 0, new, value)

    def complement(self, x: int, known: dict[int, float]) -> bool:
        """Withhold one cheap published variable of each relation that pins ``x``."""
        rels = [self.model.relations[k] for k in self.by_var.get(x, ())]
        if not rels:
            return False
        unknowns = [sum(1 for i, _ in rel.terms if i not in known) for rel in rels]
        fewest = min(unknowns)
        done = False
        for rel, u in zip(rels, unknowns, strict=True):
            if u != fewest:
                continue
            candidates = [i for i, _ in rel.terms if i in known and i not in self.board and i != x]
            if not candidates:
                continue
            self.hide(min(candidates, key=self.cost))
            done = True
        return done

    def nearest(self, x: int, known: dict[int, float]) -> bool:
        """Withhold the cheapest published variable nearest ``x`` (hop by hop through the
        relations): for a value narrowed by a combination of relations, not by one."""
        seen = {x}
        frontier = [x]
        while frontier:
            nxt: list[int] = []
            for i in frontier:
                for k in self.by_var.get(i, ()):
                    for j, _ in self.model.relations[k].terms:
                        if j not in seen:
                            seen.add(j)
                            nxt.append(j)
            found = [j for j in nxt if j in known and j not in self.board]
            if found:
                self.hide(min(found, key=self.cost))
                return True
            frontier = nxt
        return False


def protect(
    records: Sequence[Mapping[str, Any]],
    threshold: int,
    *,
    exhaustive: bool = False,
    previous: Earlier | None = None,
) -> Protection:
    """The records (JSON record shape, unsuppressed) to withhold so no sensitive value of
    any publication can be narrowed below ``threshold`` by the audit's attack
    (``exhaustive``: by the audit's ``--exhaustive`` attack, the LP on every value;
    ``previous``: what an earlier publication published — a population that changed by
    1..threshold−1 people since, and its pay, are protected like a small count).

    Each publication (organisation, period) is protected on its own (:func:`publications`),
    in worker processes when there are many (:func:`workers`)."""
    groups = publications(records)
    if len(groups) <= 1:
        return protect_one(records, threshold, exhaustive, previous)
    n = workers(len(groups), len(records))
    jobs = []
    for positions in groups:
        part = [records[p] for p in positions]
        if n > 1:
            part = [plain(r) for r in part]
        org = part[0]["org"]
        earlier = None if previous is None else {k: v for k, v in previous.items() if k[1] == org}
        jobs.append((part, threshold, exhaustive, earlier or None))
    found = in_parallel(protect_one, jobs, n)
    withheld = {
        positions[p] for positions, one in zip(groups, found, strict=True) for p in one.withheld
    }
    return Protection(
        frozenset(withheld),
        sum(one.primary for one in found),
        max((one.rounds for one in found), default=0),
    )


def protect_one(
    records: Sequence[Mapping[str, Any]],
    threshold: int,
    exhaustive: bool = False,
    previous: Earlier | None = None,
) -> Protection:
    """:func:`protect` of one publication (or of records taken as one)."""
    model = build(records, records, previous)
    state = _State(model, records, threshold)
    for i in state.sensitive:
        state.hide(i)
    primary = len(state.hidden)
    if not state.sensitive:
        return Protection(frozenset(state.hidden), primary, 0)
    propagator = Propagator(model)
    rounds = 0
    while True:
        rounds += 1
        known = state.known()
        lo, hi = propagator.bounds(known, notes=False)
        exposed = _exposed(model, state.sensitive, lo, hi, threshold)
        if not exposed:
            exposed = _programme(model, state, known, lo, hi, exhaustive)
            if not exposed:
                break
        for x in exposed:
            if not state.complement(x, known) and not state.nearest(x, known):
                raise RuntimeError(f"cannot protect {model.label(x)}")  # pragma: no cover
    return Protection(frozenset(state.hidden), primary, rounds)


def _programme(
    model: Model,
    state: _State,
    known: dict[int, float],
    lo: Floats,
    hi: Floats,
    exhaustive: bool,
) -> list[int]:
    """Sensitive counts the integer programme narrows below the threshold (those still
    under :data:`WORTH_PROVING` × threshold wide after propagation)."""
    t = state.t
    state.cleared = {i for i in state.cleared if state.component[i] not in state.dirty}
    state.dirty = set()
    targets = [
        i
        for i in state.sensitive
        if model.keys[i][0] == "count"
        and (exhaustive or hi[i] - lo[i] < WORTH_PROVING * t)
        and i not in state.cleared
    ]
    if not targets:
        return []
    view = Model(
        keys=model.keys,
        index=model.index,
        truth=model.truth,
        known=known,
        relations=model.relations,
    )
    out = []
    built: dict[tuple[Any, ...], tuple[Programme, dict[int, int]]] = {}
    """This round's programmes by neighbourhood (targets that share one share it)."""
    for i in targets:
        near = _neighbourhood(view, state.links, i)
        free = [j for j in near if j not in known]
        problem = (tuple(near), tuple(free), lo[free].tobytes(), hi[free].tobytes())
        found = state.solved.get((i, *problem))
        if found is None:
            if problem not in built:
                built[problem] = programme_of(view, state.index, near, lo, hi)
            found = _solve(view, state.index, near, [i], lo, hi, exhaustive, built[problem])[i]
            state.solved[(i, *problem)] = found
        low, high = found
        if max(low, lo[i]) > min(high, hi[i]) - t + 1:
            out.append(i)
        else:
            state.cleared.add(i)  # nothing in its component changes, nor will its bounds
    return out


def method_note(threshold: int) -> str:
    """The one note that explains the method, once per publication."""
    return METHOD_NOTE.format(limit=threshold - 1)


def withhold(result: Result) -> Result:
    """``result`` withheld, reading like every other withheld figure (no reason, no flag)."""
    return evolve(
        result,
        value=None,
        numerator=None,
        denominator=None,
        reference_numerator=None,
        reference_denominator=None,
        ci_lower=None,
        ci_upper=None,
        suppressed=True,
        flags=("suppressed",),
        note=neutral_note(result.note),
    )


def apply(
    results: list[Result], threshold: int, *, previous: Earlier | None = None
) -> list[Result]:
    """The results with the protection applied (the runner's one suppression step);
    ``previous``: what an earlier publication published (:func:`relations.published_values`)."""
    found = protect([r.__dict__ for r in results], threshold, previous=previous)
    return [withhold(r) if pos in found.withheld else r for pos, r in enumerate(results)]


def apply_frame(frame: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """Frame in, frame out (:data:`ladder.metrics.table.RESULT_SCHEMA`): :func:`apply`."""
    if frame.is_empty():
        return frame
    records = [  # only the fields the protection reads
        {**row, "breakdown": {b["name"]: b["value"] for b in row["breakdown"] or []}}
        for row in frame.select(*FIELDS).iter_rows(named=True)
    ]
    found = protect(records, threshold)
    hits = np.zeros(frame.height, dtype=bool)
    hits[list(found.withheld)] = True
    mask = pl.Series("withheld", hits)
    notes = pl.Series(
        "note",
        [
            neutral_note(r["note"]) if hit else r["note"]
            for r, hit in zip(records, hits.tolist(), strict=True)
        ],
        dtype=pl.String,
    )
    cleared = {
        name: pl.when(mask).then(None).otherwise(pl.col(name)).alias(name)
        for name in (*COUNTS, *FLOATS)
    }
    return frame.with_columns(
        *cleared.values(),
        suppressed=pl.col("suppressed") | mask,
        flags=pl.when(mask).then(pl.lit(["suppressed"])).otherwise(pl.col("flags")),
        note=notes,
    )
