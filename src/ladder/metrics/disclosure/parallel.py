"""Publications one by one, in worker processes when there are many.

No relation links two publications (every variable of the relation model is keyed by its
organisation and period, :mod:`ladder.metrics.disclosure.relations`), so the protection and the
audit take each publication (organisation, period) on its own: a small model each, rounds set
by that publication alone, and independent work that spreads over the machine's CPUs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

FIELDS = (
    "id",
    "org",
    "period",
    "measure",
    "group",
    "breakdown",
    "value",
    "note",
    "suppressed",
    "numerator",
    "denominator",
    "reference_numerator",
    "reference_denominator",
)
"""The fields of a record that the relation model reads (what a worker is sent)."""

PARALLEL_PUBLICATIONS = 8
PARALLEL_RECORDS = 50_000
"""Publications are protected in worker processes only from this many publications and
records up (below, starting the workers costs more than it saves)."""


def publications(records: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """Positions of the records of each publication (organisation, period), in the order the
    publications first appear. No relation links two publications (every variable is keyed
    by its organisation and period), so each is protected, and audited, on its own."""
    groups: dict[tuple[Any, Any], list[int]] = {}
    for pos, r in enumerate(records):
        groups.setdefault((r["org"], int(r["period"])), []).append(pos)
    return list(groups.values())


def workers(jobs: int, records: int) -> int:
    """Worker processes for ``jobs`` publications of ``records`` records in all (1: serial).
    ``LADDER_DISCLOSURE_WORKERS`` overrides the number of CPUs (``1`` turns them off)."""
    chosen = os.environ.get("LADDER_DISCLOSURE_WORKERS", "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        cpus = int(chosen)
    else:
        if jobs < PARALLEL_PUBLICATIONS or records < PARALLEL_RECORDS:
            return 1
        affinity = getattr(os, "sched_getaffinity", None)
        cpus = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return max(1, min(cpus, jobs))


def in_parallel(task: Callable[..., Any], jobs: list[tuple[Any, ...]], n: int) -> list[Any]:
    """``task(*job)`` for every job, in order: in ``n`` worker processes when ``n`` > 1.

    The workers are *spawned* (a fresh interpreter each, no fork of a process that runs
    Polars' thread pool) and receive plain records, never frames; their CPU time counts as
    the caller's children's once they exit."""
    if n <= 1:
        return [task(*job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            chunk = max(1, len(jobs) // (4 * n))
            return list(pool.map(task, *zip(*jobs, strict=True), chunksize=chunk))
    except (BrokenProcessPool, OSError):  # no worker processes here: the same work, serially
        return [task(*job) for job in jobs]


def plain(r: Mapping[str, Any]) -> dict[str, Any]:
    """A record with only :data:`FIELDS`, as plain values (for a worker)."""
    out = {k: r[k] for k in FIELDS}
    out["measure"] = str(getattr(r["measure"], "value", r["measure"]))
    return out
