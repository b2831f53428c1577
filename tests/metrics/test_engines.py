"""The same indicators on Polars, DuckDB and PySpark give identical results on synthetic data."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from ladder.engines import EngineName
from ladder.metrics.inputs import load
from ladder.metrics.results import Result
from ladder.metrics.runner import run
from ladder.synth import SynthConfig, generate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(SynthConfig(out=out, orgs=2, staff=1500, seed=11, fmt="parquet"))
    return out


@pytest.fixture(scope="module")
def polars_results(synthetic: Path) -> list[dict[str, object]]:
    """The Polars figures, computed once for both comparisons."""
    return [r.to_dict() for r in _results(synthetic, EngineName.polars)]


def _results(data: Path, engine: EngineName) -> list[Result]:
    loaded = load(data, engine=engine)
    try:
        return run(loaded.context).results
    finally:
        loaded.close()


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize("engine", [EngineName.duckdb, EngineName.spark])
def test_engines_agree_with_polars(
    synthetic: Path, polars_results: list[dict[str, object]], engine: EngineName
) -> None:
    expected = polars_results
    actual = [r.to_dict() for r in _results(synthetic, engine)]
    assert len(expected) > 50
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        assert want.keys() == got.keys()
        differing = {k for k in want if not _same(want[k], got[k])}
        assert not differing, (want["id"], want["group"], want["breakdown"], differing)
