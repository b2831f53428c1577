"""Benchmark: the web service under load, on a copy of the demo workspace (`make demo`).

A uvicorn server (``ladder.web.main:from_environment``, ``--workers`` processes) is started on
127.0.0.1 over a copy of the workspace; then, with an asynchronous httpx client on loopback:

1. **Dashboard**: ``--users`` signed-in users (each its own session) ask for the dashboard
   ``/orgs/R1H``, back to back (``--think 0``, the default: the worst case) or reading each
   page for ``--think`` seconds on average (exponential), until ``--requests`` answers or
   ``--seconds`` have passed, whichever is first. Printed: p50, p95, p99 latency and
   throughput (the first, warming, view of each page is made before timing).
2. **Upload**: a 25,000-row staff file (``bench/out/one-trust/staff.parquet`` as CSV,
   or ``ladder synth``'s when given ``--staff-csv``) is posted to
   ``POST /api/v1/orgs/R1H/uploads``: the time to validate and store it, the organisation's
   results computed once as part of storing.

With ``--postgres URL`` (an administrator's URL, e.g. postgresql://postgres@127.0.0.1:5432/test)
the copy's database is moved to a new PostgreSQL database (created, migrated, filled from the
SQLite file, dropped at the end) and the server uses it. ``--sqlite-journal delete`` puts the
copy's SQLite file back in rollback-journal mode (the engine then keeps that mode only until a
connection sets WAL, so this is for comparing the file's first run only; see docs/performance.md).

Every loop is bounded in count and time; the server is stopped at the end. Nothing leaves
127.0.0.1.

Usage: python bench/bench_web.py [--workspace demo/workspace] [--users 50] [--requests 2000]
       [--seconds 60] [--workers 1] [--think 0] [--skip-upload] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ORG = "R1H"
PASSWORD = "bench-only-password"
STAFF = Path("bench/out/one-trust/staff.parquet")  # made by bench/bench_metrics.py


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    workspace: Path, port: int, workers: int, database_url: str | None
) -> subprocess.Popen[bytes]:
    env = os.environ | {"LADDER_WEB_WORKSPACE": str(workspace), "LADDER_WEB_INSECURE_DEV": "1"}
    if database_url:
        env["LADDER_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "uvicorn", "ladder.web.main:from_environment", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--no-access-log", "--log-level", "warning"]
    # keep idle connections as a browser and a proxy do (uvicorn's default closes them after
    # 5 s, when a user with think time may just be sending the next request on them)
    command += ["--timeout-keep-alive", "120"]
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


async def sign_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, "no CSRF field on the sign-in page"
    answer = await client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf.group(1)}
    )
    assert answer.status_code in (200, 303), answer.status_code


async def dashboard_load(
    base: str, emails: list[str], requests: int, seconds: float, think: float, pid: int
) -> tuple[list[float], float, int, float]:
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in emails]
    try:
        for client, email in zip(clients, emails, strict=True):
            await sign_in(client, email)
        warm = await clients[0].get(f"/orgs/{ORG}")
        assert warm.status_code == 200 and "Headline indicators" in warm.text
        latencies: list[float] = []
        errors = 0
        deadline = time.monotonic() + seconds

        rng = random.Random(14)

        async def user(client: httpx.AsyncClient) -> None:
            nonlocal errors
            if think:
                await asyncio.sleep(rng.uniform(0, think))  # users arrive spread out
            while len(latencies) < requests and time.monotonic() < deadline:
                start_at = time.perf_counter()
                answer = await client.get(f"/orgs/{ORG}")
                latencies.append(time.perf_counter() - start_at)
                errors += answer.status_code != 200
                if think:
                    await asyncio.sleep(rng.expovariate(1 / think))

        started = time.perf_counter()
        cpu_before = cpu_seconds(pid)
        await asyncio.gather(*(user(c) for c in clients))
        cpu = cpu_seconds(pid) - cpu_before
        return latencies, time.perf_counter() - started, errors, cpu
    finally:
        for client in clients:
            await client.aclose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the server process and its worker processes (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(c) for c in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def to_postgres(sqlite_file: Path, admin_url: str) -> tuple[str, str]:
    """A new PostgreSQL database holding the rows of ``sqlite_file``: (its URL, its name)."""
    import secrets

    import psycopg
    from psycopg import sql
    from sqlalchemy import create_engine, insert, select, text

    from ladder.store import database
    from ladder.store.models import Base

    name = f"ladder_bench_web_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = f"postgresql+psycopg://{admin.info.user}@{admin.info.host}:{admin.info.port}/{name}"
    target = database.make_engine(url)
    database.migrate(target)
    source = create_engine(f"sqlite:///{sqlite_file}")
    with source.connect() as read, target.begin() as write:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in read.execute(select(table))]
            write.execute(table.delete())
            if rows:
                write.execute(insert(table), rows)
            if rows and "id" in table.c and str(table.c.id.type) == "INTEGER":
                write.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
    source.dispose()
    target.dispose()
    return url, name


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def prepare(
    source: Path, folder: Path, users: int, database_url: str | None, journal: str | None
) -> tuple[Path, list[str], str]:
    from ladder.app import accounts
    from ladder.app.workspace import open_workspace

    workspace = folder / "workspace"
    shutil.copytree(source, workspace)
    if journal:
        import sqlite3

        with sqlite3.connect(workspace / "ladder.db") as db:
            db.execute(f"PRAGMA journal_mode = {journal}")
    emails = [f"bench{i}@r1h.bench.nhs.uk" for i in range(users)]
    with open_workspace(workspace, database_url) as ws:
        for email in emails:
            accounts.add_user(ws, email, PASSWORD, "viewer", ORG)
        accounts.add_user(ws, "uploader@r1h.bench.nhs.uk", PASSWORD, "analyst", ORG)
        token = accounts.create_token(ws, "uploader@r1h.bench.nhs.uk")
    return workspace, emails, token


def upload(base: str, token: str, csv: Path) -> tuple[float, dict[str, object]]:
    with csv.open("rb") as handle:
        started = time.perf_counter()
        answer = httpx.post(
            f"{base}/api/v1/orgs/{ORG}/uploads",
            headers={"Authorization": f"Bearer {token}"},
            data={"kind": "staff", "period": "2024"},
            files={"file": (csv.name, handle, "text/csv")},
            timeout=600,
        )
        took = time.perf_counter() - started
    body: dict[str, object] = answer.json()
    return took, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("demo/workspace"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a user reads a page (0: none)"
    )
    parser.add_argument("--staff-csv", type=Path, default=None)
    parser.add_argument("--skip-upload", action="store_true")
    parser.add_argument("--postgres", default=None, help="PostgreSQL administrator URL")
    parser.add_argument("--sqlite-journal", default=None, choices=["delete", "wal"])
    args = parser.parse_args()
    if not (args.workspace / "ladder.toml").is_file():
        raise SystemExit(f"{args.workspace} is not a workspace: run `make demo` first")
    with tempfile.TemporaryDirectory(prefix="ladder-bench-web-") as tmp:
        folder = Path(tmp)
        url = name = None
        if args.postgres:
            url, name = to_postgres(args.workspace / "ladder.db", args.postgres)
        print(f"database: {'PostgreSQL' if url else 'SQLite'}")
        workspace, emails, token = prepare(
            args.workspace, folder, args.users, url, args.sqlite_journal
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start(workspace, port, args.workers, url)
        try:
            load = os.getloadavg()
            print(f"machine load (1, 5, 15 min) before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
            latencies, took, errors, cpu = asyncio.run(
                dashboard_load(base, emails, args.requests, args.seconds, args.think, server.pid)
            )
            print(
                f"dashboard /orgs/{ORG}: {len(latencies)} requests by {args.users} users in "
                f"{took:.1f} s ({len(latencies) / took:.1f} req/s, {errors} errors, "
                f"{args.workers} worker(s), think time {args.think:g} s)"
            )
            print(
                "  latency ms: p50 {:.0f}  p95 {:.0f}  p99 {:.0f}  max {:.0f}".format(
                    *(1000 * percentile(latencies, q) for q in (50, 95, 99)),
                    1000 * max(latencies),
                )
            )
            print(
                f"  server CPU: {1000 * cpu / len(latencies):.1f} ms per dashboard view "
                f"({cpu:.1f} s in all)"
            )
            if not args.skip_upload:
                csv = args.staff_csv
                if csv is None and not STAFF.is_file():
                    raise SystemExit(
                        f"{STAFF} is missing: give --staff-csv (e.g. `ladder synth --trusts R1H "
                        "--staff 25000`'s staff.csv) or --skip-upload"
                    )
                if csv is None:
                    import polars as pl

                    csv = folder / "staff-25000.csv"
                    pl.read_parquet(STAFF).write_csv(csv)
                cpu_before = cpu_seconds(server.pid)
                took_upload, body = upload(base, token, csv)
                upload_cpu = cpu_seconds(server.pid) - cpu_before
                print(
                    f"upload of {csv.name} ({csv.stat().st_size / 1e6:.1f} MB): "
                    f"{took_upload:.1f} s ({upload_cpu:.1f} s server CPU), status "
                    f"{body.get('status')}, {body.get('rows_stored')} rows stored"
                )
            load = os.getloadavg()
            print(f"machine load (1, 5, 15 min) after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)
            if args.postgres and name:
                drop_postgres(args.postgres, name)


if __name__ == "__main__":
    main()
