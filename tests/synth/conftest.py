"""Synthetic datasets generated once per test session (small sizes keep the module fast)."""

from __future__ import annotations

import pytest

from ladder.synth import SynthConfig, SynthResult, generate


def _make(tmp: pytest.TempPathFactory, name: str, **kwargs: object) -> SynthResult:
    out = tmp.mktemp(name)
    return generate(SynthConfig(out=out, **kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return _make(tmp_path_factory, "small_csv", orgs=3, staff=300, seed=11)


@pytest.fixture(scope="session")
def small_parquet(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return _make(tmp_path_factory, "small_parquet", orgs=3, staff=300, seed=11, fmt="parquet")


@pytest.fixture(scope="session")
def calibration(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """2 trusts x 5000 staff (R1H about 6,700 and RR8 about 3,300)."""
    return _make(tmp_path_factory, "calibration", orgs=2, staff=5000, seed=2024, fmt="parquet")


@pytest.fixture(scope="session")
def messy_csv(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return _make(tmp_path_factory, "messy_csv", orgs=2, staff=400, seed=5, messy=True)


@pytest.fixture(scope="session")
def messy_parquet(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return _make(
        tmp_path_factory, "messy_parquet", orgs=2, staff=400, seed=5, messy=True, fmt="parquet"
    )
