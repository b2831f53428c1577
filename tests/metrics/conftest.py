"""Run hand-worked examples on every engine: the same inputs must give the same results."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl
import pytest

from ladder.engines import EngineName
from ladder.metrics.inputs import load_frames
from ladder.metrics.results import Result
from ladder.metrics.runner import run
from ladder.metrics.settings import Settings

Compute = Callable[..., list[Result]]


@pytest.fixture(params=list(EngineName), ids=[e.value for e in EngineName])
def engine(request: pytest.FixtureRequest) -> EngineName:
    """Each test that takes ``engine`` runs on Polars, DuckDB and PySpark."""
    return EngineName(request.param)


def compute_results(
    frames: dict[str, pl.DataFrame],
    ids: Iterable[str] | None = None,
    *,
    engine: EngineName = EngineName.polars,
    settings: Settings | None = None,
    suppress: bool = False,
) -> list[Result]:
    """Results of the given indicators on in-memory frames.

    Suppression is off unless asked for (threshold 1), so hand-worked examples can use
    small counts; tests of suppression pass ``suppress=True`` or their own settings.
    """
    chosen = settings or (Settings() if suppress else Settings(threshold=1))
    loaded = load_frames(frames, engine=engine, settings=chosen)
    try:
        return run(loaded.context, ids=ids).results
    finally:
        loaded.close()


def pick(results: list[Result], id: str, group: str | None = None, **breakdown: str) -> Result:
    """The one result with this id, group and breakdown (fails if not exactly one)."""
    found = [
        r
        for r in results
        if r.id == id
        and (group is None or r.group == group)
        and all(r.breakdown.get(k) == v for k, v in breakdown.items())
    ]
    assert len(found) == 1, f"{len(found)} results for {id} {group} {breakdown}"
    return found[0]
