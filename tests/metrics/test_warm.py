"""``ladder.metrics.warm``: a service's start-up builds the reference tables runs read, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ladder import metrics, reference
from ladder.metrics.enrichment import reference_areas
from ladder.place import catchment, enrich, neighbourhoods

CACHED: tuple[Callable[..., Any], ...] = (
    enrich.area_index,
    enrich._places,
    neighbourhoods._by_local_authority,
    catchment.catchments,
    catchment._catchment_shares,
    catchment._every_local_area,
    catchment.la_names,
    reference_areas,
    reference.living_wage,
    reference.trusts,
)
"""The process-wide caches a first run would otherwise fill (functools.cache)."""


def _sizes() -> list[int]:
    return [f.cache_info().currsize for f in CACHED]  # type: ignore[attr-defined]


@pytest.fixture
def cold() -> None:
    """Every cache emptied, as in a fresh process."""
    for f in CACHED:
        f.cache_clear()  # type: ignore[attr-defined]
    assert _sizes() == [0] * len(CACHED)


@pytest.mark.usefixtures("cold")
def test_warm_builds_every_reference_table_once() -> None:
    metrics.warm()
    assert _sizes() == [1] * len(CACHED)
    metrics.warm()  # again: nothing more is built
    assert _sizes() == [1] * len(CACHED)


@pytest.mark.usefixtures("cold")
def test_the_service_warms_the_engine_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from ladder.app import dashboard
    from ladder.web import main

    class State:
        workspace = object()

    class App:
        state = State()

    seen: list[object] = []
    monkeypatch.setattr(dashboard, "warm", seen.append)
    main._warm(App())  # type: ignore[arg-type]
    assert seen == [State.workspace]
    assert _sizes() == [1] * len(CACHED)
