"""Benchmark: reading one organisation's stored results against computing them.

A workspace of --orgs synthetic trusts × --staff staff (every dataset) is made in a temporary
folder; then, in this process:

- compute and store every organisation's results once (``ladder.app.results.results``);
- read one organisation's stored results back (best of --repeat): the index query, the
  Parquet file and the ``Result`` objects, with the workspace already open; the use case on
  the open workspace (``stored_results``: also checks the data is current); and the use case
  from a path (``results``: also opens the workspace, migration check and tidy included);
- compute that organisation's results afresh (``load`` + ``run`` of its own data).

Printed as times and ratios in the same run (issue 11: reading takes milliseconds).

Usage: python bench/bench_stored_results.py [--orgs 3] [--staff 7000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def best(repeat: int, work: object) -> float:
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=3)
    parser.add_argument("--staff", type=int, default=7000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from ladder.app.results import results, stored_results
    from ladder.app.workspace import create_workspace, import_file
    from ladder.metrics import Settings, load, run
    from ladder.metrics.stored import settings_key
    from ladder.metrics.table import results_from_frame
    from ladder.store import Workspace
    from ladder.store import results as store
    from ladder.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory(prefix="ladder-bench-stored-") as tmp:
        folder = Path(tmp)
        made = generate(
            SynthConfig(out=folder / "data", orgs=args.orgs, staff=args.staff, fmt="parquet")
        )
        root = folder / "ws"
        with create_workspace(root) as ws:
            for kind, path in made.files.items():
                import_file(ws, kind, path, None, 2024, user="bench")
        org = made.trusts[0].org_code
        start = time.perf_counter()
        first = results(root)
        computed = time.perf_counter() - start
        mine = [r for r in first.results if r.org == org]

        key = settings_key(Settings())
        with Workspace.open(root) as ws:

            def read_open() -> None:
                sets = store.stored_sets(ws, key, [org])
                frame = store.read_sets(sets)
                assert frame is not None
                assert len(results_from_frame(frame)) == len(mine)

            read_seconds = best(args.repeat, read_open)

            def read_open_use_case() -> None:
                assert len(stored_results(ws, org=org).results) == len(mine)

            open_use_case_seconds = best(args.repeat, read_open_use_case)

        def read_use_case() -> None:
            assert len(results(root, org=org).results) == len(mine)

        use_case_seconds = best(args.repeat, read_use_case)

        def fresh() -> None:
            loaded = load(root, org=org)
            try:
                run(loaded.context)
            finally:
                loaded.close()

        fresh_seconds = best(3, fresh)

    print(
        f"Stored results: {args.orgs} trusts x ~{args.staff:,} staff; "
        f"{len(first.results):,} results, {len(mine):,} of {org}"
    )
    print(f"  compute and store every organisation         {computed:8.3f} s")
    print(
        f"  read {org}'s stored results (workspace open)  {read_seconds * 1000:8.1f} ms"
        f"   {fresh_seconds / read_seconds:7.0f}x faster than computing"
    )
    print(
        f"  the use case, workspace open (check, read)  {open_use_case_seconds * 1000:8.1f} ms"
        f"   {fresh_seconds / open_use_case_seconds:7.0f}x faster than computing"
    )
    print(
        f"  the use case (open, check current, read)    {use_case_seconds * 1000:8.1f} ms"
        f"   {fresh_seconds / use_case_seconds:7.0f}x faster than computing"
    )
    print(f"  compute {org} afresh (load + run)             {fresh_seconds:8.3f} s")


if __name__ == "__main__":
    main()
