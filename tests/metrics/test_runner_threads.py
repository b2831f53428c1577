"""Indicators computed on several threads give exactly the sequential results; a shared
table is computed once even when threads ask for it together."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import narwhals as nw
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ladder.engines import EngineName
from ladder.metrics import runner
from ladder.metrics.context import Context
from ladder.metrics.inputs import load
from ladder.metrics.registry import Indicator
from ladder.metrics.runner import THREADS_ENV, Skipped
from ladder.synth import SynthConfig, generate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(SynthConfig(out=out, orgs=2, staff=800, seed=5, fmt="parquet"))
    return out


def _compute(
    data: Path, threads: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[pl.DataFrame, list[Skipped], list[str], list[str]]:
    """(frame, skipped, progress ids, names of the threads progress was called on)."""
    monkeypatch.setenv(THREADS_ENV, str(threads))
    loaded = load(data, engine=EngineName.polars)
    seen: list[str] = []
    callers: list[str] = []

    def step(ind: Indicator) -> None:
        seen.append(ind.id)
        callers.append(threading.current_thread().name)

    try:
        assert runner.threads(loaded.context) == threads
        frame, skipped = runner.compute(loaded.context, progress=step)
    finally:
        loaded.close()
    return frame, skipped, seen, callers


def test_threaded_run_equals_sequential(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, one_skipped, one_seen, _ = _compute(synthetic, 1, monkeypatch)
    two, two_skipped, two_seen, callers = _compute(synthetic, 2, monkeypatch)
    assert one.height > 1000
    assert_frame_equal(one, two, check_exact=True)  # figure by figure, in the same order
    assert one_skipped == two_skipped
    assert sorted(one_seen) == sorted(two_seen) == sorted(i.id for i in runner.select(None))
    assert set(callers) == {threading.main_thread().name}


def test_other_engines_stay_sequential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(THREADS_ENV, "4")
    assert runner.threads(Context({}, engine=EngineName.duckdb)) == 1
    assert runner.threads(Context({}, engine=EngineName.spark)) == 1
    assert runner.threads(Context({})) == 4
    monkeypatch.delenv(THREADS_ENV)
    assert 1 <= runner.threads(Context({})) <= 2


def test_a_small_run_runs_twice_as_many_indicators_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(THREADS_ENV, raising=False)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    staff = nw.from_native(pl.LazyFrame({"staff_id": ["a", "b", "c"]}))
    assert runner.threads(Context({})) == 2  # no staff: not known to be small
    assert runner.threads(Context({"staff": staff})) == 4
    monkeypatch.setattr(runner, "SMALL_RUN_STAFF", 2)
    assert runner.threads(Context({"staff": staff})) == 2  # 3 staff records: not small
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 1)
    assert runner.threads(Context({"staff": staff})) == 1


def test_memo_computes_once_under_threads() -> None:
    context = Context({})
    calls: list[str] = []
    start = threading.Barrier(8)

    def build(key: str) -> object:
        calls.append(key)
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        return object()

    got: list[object] = []

    def ask(key: str) -> None:
        start.wait()
        got.append(context.memo(key, lambda: build(key)))

    workers = [threading.Thread(target=ask, args=("ab"[i % 2],)) for i in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(calls) == ["a", "b"]
    assert len({id(g) for g in got}) == 2
    assert context.memoised("a") is not None and context.memoised("b") is not None
