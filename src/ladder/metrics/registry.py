"""The indicator registry: each indicator declared once, with its inputs and method.

Adding an indicator is one :func:`indicator` declaration (a function that turns the
inputs into :class:`~ladder.metrics.results.Result` rows) plus its tests. ``ladder
metrics`` runs every registered indicator whose datasets are present.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ladder.metrics.context import Context
from ladder.metrics.results import Result

Compute = Callable[[Context], list[Result]]


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

    @property
    def result_ids(self) -> tuple[str, ...]:
        return self.ids or (self.id,)


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
) -> Callable[[Compute], Compute]:
    """Register the decorated function as indicator ``id``."""

    def register(compute: Compute) -> Compute:
        if id in REGISTRY:
            raise ValueError(f"indicator {id} is declared twice")
        REGISTRY[id] = Indicator(id, title, family, needs, method, compute, ids, columns)
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
