"""Fixtures of the store tests: every test runs on SQLite and on PostgreSQL.

PostgreSQL: one throwaway database per test session (``ladder_test_<random>``) created
through ``LADDER_TEST_POSTGRES`` (default postgresql://postgres@127.0.0.1:5432/test) and
dropped at the end; its schema is emptied after each test. When the server cannot be
reached the PostgreSQL half is skipped, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl
import psycopg
import pytest
from psycopg import sql

from ladder.store import Workspace

ADMIN_URL = os.environ.get("LADDER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


# Imports in these tests read files in chunks of this many rows, so that the streaming
# path's multi-chunk code runs on test-sized files (the default is 500,000 rows).
TEST_CHUNK_ROWS = "1000"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LADDER_DATABASE_URL", "LADDER_USER", "LADDER_TEST_PAUSE", "LADDER_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LADDER_CHUNK_ROWS", TEST_CHUNK_ROWS)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this session; yields its SQLAlchemy URL."""
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL not reachable at {ADMIN_URL}: {' '.join(str(exc).split())}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (PostgreSQL tests never skip in CI)")
        pytest.skip(reason)
    name = f"ladder_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        info = admin.info
        url = f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{name}"
        try:
            yield url
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _empty_schema(url: str) -> None:
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """The session's PostgreSQL database, emptied before and after the test."""
    _empty_schema(postgres_database)
    yield postgres_database
    _empty_schema(postgres_database)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for the embedded SQLite default, else an empty PostgreSQL database's URL."""
    if request.param == "sqlite":
        yield None
        return
    url: str = request.getfixturevalue("postgres_database")
    _empty_schema(url)
    yield url
    _empty_schema(url)


@pytest.fixture
def workspace_dir(tmp_path: Path, database_url: str | None) -> Iterator[Path]:
    """A new workspace on the test's backend (closed again; tests open it as they need)."""
    root = tmp_path / "ws"
    Workspace.init(root, database_url).close()
    yield root


@pytest.fixture
def workspace(workspace_dir: Path) -> Iterator[Workspace]:
    with Workspace.open(workspace_dir) as ws:
        yield ws


def staff_frame(
    n: int,
    *,
    org: str | Sequence[str] = "R1H",
    bad_pay_band_rows: Sequence[int] = (),
    seed: int = 0,
) -> pl.DataFrame:
    """``n`` canonical staff rows as text; rows listed get an invalid pay band."""
    orgs = [org] if isinstance(org, str) else list(org)
    bands = ["Band 2", "Band 5", "Band 6", "Band 8a", "VSM"]
    frame = pl.DataFrame(
        {
            "staff_id": [f"S{seed}{i:07d}" for i in range(n)],
            "org_code": [orgs[i % len(orgs)] for i in range(n)],
            "snapshot_date": [dt.date(2024, 3, 31).isoformat()] * n,
            "ethnic_category": [["A", "H", "N", "Z"][i % 4] for i in range(n)],
            "sex": [["female", "male"][i % 2] for i in range(n)],
            "pay_band": [bands[i % len(bands)] for i in range(n)],
            "fte": [f"{0.5 + (i % 6) / 10:.1f}" for i in range(n)],
            "hourly_pay": [f"{15 + (i % 40) * 0.75:.2f}" for i in range(n)],
            "home_postcode": ["E1 1BB"] * n,
        }
    )
    if bad_pay_band_rows:
        index = pl.int_range(pl.len())
        frame = frame.with_columns(
            pl.when(index.is_in(list(bad_pay_band_rows)))
            .then(pl.lit("Band 99"))
            .otherwise(pl.col("pay_band"))
            .alias("pay_band")
        )
    return frame


class StaffFiles:
    """Writes staff test files (given to tests as the ``staff_csv`` fixture)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(
        self,
        n: int,
        *,
        name: str = "staff.csv",
        org: str | Sequence[str] = "R1H",
        bad_pay_band_rows: Sequence[int] = (),
        seed: int = 0,
    ) -> Path:
        path = self.folder / name
        staff_frame(n, org=org, bad_pay_band_rows=bad_pay_band_rows, seed=seed).write_csv(path)
        return path


@pytest.fixture
def staff_csv(tmp_path: Path) -> StaffFiles:
    folder = tmp_path / "input"
    folder.mkdir()
    return StaffFiles(folder)
