"""Guard: every figure of a synthetic multi-trust run equals the saved figures.

The saved file (tests/metrics/golden/synth_3x1500_seed5.parquet) holds every result of
``ladder synth --orgs 3 --staff 1500 --seed 5 --format parquet``, saved again deliberately
when the disclosure protection (issue 12), the programme and the fair-pay families came in
(every figure before that was unchanged by the kit and the column-wise results); a refactoring
of the engine must
leave each figure as it was (numbers within 1e-9). A deliberate change of method replaces the
file: ``python -m tests.metrics.golden.compare DATA tests/metrics/golden/…parquet``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ladder.engines import EngineName
from ladder.metrics.inputs import load
from ladder.metrics.runner import run
from ladder.synth import SynthConfig, generate
from tests.metrics.golden.compare import differences, figures

SAVED = Path(__file__).parent / "golden" / "synth_3x1500_seed5.parquet"
ADDED_SINCE: tuple[str, ...] = ()
"""Families added after the saved run (each checked against hand-worked examples)."""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    generate(SynthConfig(out=out, orgs=3, staff=1500, seed=5, fmt="parquet"))
    return out


@pytest.mark.parametrize("engine", [EngineName.polars, EngineName.duckdb])
def test_every_figure_equals_the_saved_run(data: Path, engine: EngineName) -> None:
    loaded = load(data, engine=engine)
    try:
        found = [r for r in run(loaded.context).results if not r.id.startswith(ADDED_SINCE)]
        frame = figures(found)
    finally:
        loaded.close()
    saved = pl.read_parquet(SAVED)
    assert frame.height == saved.height == 6759
    assert differences(saved, frame) == []


def test_the_comparison_finds_a_changed_figure() -> None:
    saved = pl.read_parquet(SAVED)
    row = saved.with_row_index("i").filter(pl.col("value").is_not_null())["i"][0]
    changed = saved.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.col("value") + 0.001)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    found = differences(saved, changed)
    assert len(found) == 1 and "value" in found[0]
    assert differences(saved, saved.head(100))[0].startswith("only before")
