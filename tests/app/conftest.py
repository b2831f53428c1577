"""Fixtures of the application-layer tests: a small synthetic region, written once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder.synth import SynthConfig, generate
from tests.store.conftest import database_url, postgres_database

__all__ = ["database_url", "postgres_database"]  # SQLite and PostgreSQL, as the store tests

TRUSTS = ("R1H", "RQX")


@pytest.fixture(scope="session")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two trusts of ~300 staff, every dataset, as canonical Parquet (period 2024)."""
    out = tmp_path_factory.mktemp("region")
    generate(SynthConfig(out=out, staff=300, seed=11, fmt="parquet", trusts=TRUSTS, period=2024))
    return out
