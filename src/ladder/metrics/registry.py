"""The indicator registry: each indicator declared once, with its inputs and method.

Adding an indicator is one :func:`indicator` declaration (a function that turns the
inputs into :class:`~ladder.metrics.results.Result` rows, usually one block of the shared
kit, :mod:`ladder.metrics.kit`, and its :class:`Wording`) plus its tests. ``ladder
metrics`` runs every registered indicator whose datasets are present; the reports word
its figures from the declaration (:func:`wording_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ladder.metrics.context import Context
from ladder.metrics.results import Result

Produced = list[Result] | pl.DataFrame
"""What an indicator computes: :class:`Result` objects, or the same as a results frame
(:data:`ladder.metrics.table.RESULT_SCHEMA`; built column-wise, the faster way)."""
Compute = Callable[[Context], Produced]


@dataclass(frozen=True)
class Wording:
    """How a report's sentences speak of an indicator's figures.

    ``subject``: who the figures are about ("applicants", "staff", "employees"). ``event``:
    what happened to them, past tense, for its rates and differences ("were appointed from
    shortlisting"; ``{from}`` is filled from the ``from`` breakdown). ``likely``: the same
    as an infinitive without "to", for its relative likelihoods ("be appointed from
    shortlisting"). A figure whose wording is missing gets a plainer generic sentence.
    """

    subject: str
    event: str = ""
    likely: str = ""


@dataclass(frozen=True)
class Indicator:
    """One indicator: a stable ``id`` (e.g. ``wres.2``), what it needs and how it is computed.

    ``ids`` lists every result id the indicator emits when it emits more than its own
    (e.g. ``paygap.sex`` emits ``paygap.sex.mean_hourly``, ``paygap.sex.median_hourly``…).
    ``columns`` names (dataset, column) pairs that must hold some values for it to run.
    """

    id: str
    title: str
    family: str
    needs: tuple[str, ...]
    method: str
    compute: Compute
    ids: tuple[str, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    wording: Wording | None = None
    wordings: tuple[tuple[str, Wording], ...] = ()

    @property
    def result_ids(self) -> tuple[str, ...]:
        return self.ids or (self.id,)

    def wording_for(self, result_id: str) -> Wording | None:
        """The wording of one of its result ids (``wordings`` first, then ``wording``)."""
        return dict(self.wordings).get(result_id, self.wording)


REGISTRY: dict[str, Indicator] = {}


def indicator(
    id: str,
    title: str,
    *,
    family: str,
    needs: tuple[str, ...],
    method: str,
    ids: tuple[str, ...] = (),
    columns: tuple[tuple[str, str], ...] = (),
    wording: Wording | None = None,
    wordings: tuple[tuple[str, Wording], ...] = (),
) -> Callable[[Compute], Compute]:
    """Register the decorated function as indicator ``id``.

    ``wording`` is how the reports speak of its figures; ``wordings`` gives a result id of
    its own wording (e.g. ``paygap.sex.bonus_proportion``)."""

    def register(compute: Compute) -> Compute:
        if id in REGISTRY:
            raise ValueError(f"indicator {id} is declared twice")
        REGISTRY[id] = Indicator(
            id, title, family, needs, method, compute, ids, columns, wording, wordings
        )
        _WORDING.clear()
        return compute

    return register


FAMILY_ORDER: tuple[str, ...] = ("wres", "wdes", "paygap", "seb", "representation", "place")
"""Reporting order of the families; within a family, declaration order."""


def all_indicators() -> list[Indicator]:
    """Every registered indicator, family by family (importing the families first)."""
    import ladder.metrics.indicators  # noqa: F401  (registers the families)

    def rank(item: tuple[int, Indicator]) -> tuple[int, int]:
        position, ind = item
        family = FAMILY_ORDER.index(ind.family) if ind.family in FAMILY_ORDER else len(FAMILY_ORDER)
        return (family, position)

    return [ind for _, ind in sorted(enumerate(REGISTRY.values()), key=rank)]


_WORDING: dict[str, Wording | None] = {}


def wording_of(result_id: str) -> Wording | None:
    """The declared wording of a result id (None when its indicator declares none)."""
    if not _WORDING:
        for ind in all_indicators():
            for rid in ind.result_ids:
                _WORDING[rid] = ind.wording_for(rid)
    return _WORDING.get(result_id)
