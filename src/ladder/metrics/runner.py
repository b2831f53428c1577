"""Run the registered indicators over loaded data: results, what was skipped and why."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cached_property

import narwhals as nw
import polars as pl

from ladder.engines import EngineName
from ladder.metrics.context import Context
from ladder.metrics.disclosure import protect
from ladder.metrics.registry import Indicator, all_indicators
from ladder.metrics.results import Result
from ladder.metrics.settings import Settings
from ladder.metrics.table import RESULT_SCHEMA, as_frame, results_from_frame


@dataclass(frozen=True)
class Skipped:
    """An indicator that could not be computed, and why."""

    id: str
    title: str
    reason: str


@dataclass
class Run:
    """Every result of a run (suppression applied) as one frame, the skipped indicators and
    notes.

    ``frame`` has one row per result (:data:`ladder.metrics.table.RESULT_SCHEMA`); the typed
    :class:`Result` objects (``results``) are built from it only when a caller asks for them.
    """

    frame: pl.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def results(self) -> list[Result]:
        """The results as typed objects, in the frame's order (built on first use)."""
        return results_from_frame(self.frame)


def select(ids: Iterable[str] | None) -> list[Indicator]:
    """The indicators whose id (or family, e.g. ``wres``) is in ``ids``; all when None."""
    every = all_indicators()
    if ids is None:
        return every
    wanted = set(ids)
    return [
        i
        for i in every
        if i.id in wanted or i.family in wanted or any(r in wanted for r in i.result_ids)
    ]


#: Environment variable: how many indicators the Polars engine computes at once (1 =
#: one after the other; default :func:`threads`).
THREADS_ENV = "LADDER_INDICATOR_THREADS"

#: Staff records up to which a run is small (one trust, or a few): its indicators spend
#: most of their time in small queries and waiting for the tables they share, so twice as
#: many run at once keep the cores busy. A national run keeps one per core (up to two):
#: more hold more large tables in memory at once for no gain.
SMALL_RUN_STAFF = 200_000

#: The indicators that take longest on national data (they build the tables other
#: indicators share): submitted first, so no thread waits long for them at the end.
_FIRST = (
    "place.deprived_appointed",
    "wres.2",
    "paygap.deprivation",
    "representation.deprivation",
    "place.neighbourhoods",
    "paygap.sex",
    "wres.1",
    "representation.age",
)


def threads(context: Context) -> int:
    """How many indicators to compute at once: several only on the Polars engine (DuckDB
    connections and Spark sessions stay on one thread); ``LADDER_INDICATOR_THREADS`` when
    set, else one per core up to two, twice that on a small run (:data:`SMALL_RUN_STAFF`)."""
    if context.engine is not EngineName.polars:
        return 1
    setting = os.environ.get(THREADS_ENV, "").strip()
    if setting.isdigit():
        return max(1, int(setting))
    cores = min(2, os.cpu_count() or 1)  # unset or not a number: the default
    return 2 * cores if _is_small(context) else cores


def _is_small(context: Context) -> bool:
    """Whether the run's staff records number at most :data:`SMALL_RUN_STAFF` (a count
    the Parquet footer answers)."""
    if not context.has("staff"):
        return False
    rows = context.frame("staff").select(nw.len()).collect().item()
    return int(rows) <= SMALL_RUN_STAFF


def compute(
    context: Context,
    *,
    ids: Iterable[str] | None = None,
    periods: Iterable[int] | None = None,
    progress: Callable[[Indicator], None] | None = None,
) -> tuple[pl.DataFrame, list[Skipped]]:
    """Every selected indicator whose datasets are present, BEFORE any disclosure control:
    the results frame sorted by (org, period), and what was skipped. Only :func:`run` (which
    protects it) hands results to users; this is the indicator engine on its own (the bench
    times it apart from the protection).

    On the Polars engine the indicators run in a small thread pool (:func:`threads`); the
    results are the same as one after the other (kept in registry order), and ``progress``
    is called once per indicator from the calling thread."""
    chosen = select(ids)
    outcome: dict[str, pl.DataFrame | Skipped] = {}

    def one(ind: Indicator) -> pl.DataFrame | Skipped:
        produced = ind.compute(context)
        if not len(produced):
            return Skipped(ind.id, ind.title, "no rows to compute it from")
        return as_frame(produced)

    runnable: list[Indicator] = []
    for ind in chosen:
        missing = [k for k in ind.needs if not context.has(k)]
        if missing:
            outcome[ind.id] = Skipped(
                ind.id, ind.title, f"needs {', '.join(missing)} (not provided)"
            )
            if progress is not None:
                progress(ind)
        else:
            runnable.append(ind)
    workers = threads(context)
    if workers <= 1 or len(runnable) <= 1:
        for ind in runnable:
            outcome[ind.id] = one(ind)
            if progress is not None:
                progress(ind)
    else:
        _in_pool(runnable, one, workers, outcome, progress)
    frames: list[pl.DataFrame] = []
    skipped: list[Skipped] = []
    for ind in chosen:
        got = outcome[ind.id]
        if isinstance(got, Skipped):
            skipped.append(got)
        else:
            frames.append(got)
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=RESULT_SCHEMA)
    if periods is not None:
        frame = frame.filter(pl.col("period").is_in(list(periods)))
    return frame.sort("org", "period", maintain_order=True), skipped


def _in_pool(
    runnable: list[Indicator],
    one: Callable[[Indicator], pl.DataFrame | Skipped],
    workers: int,
    outcome: dict[str, pl.DataFrame | Skipped],
    progress: Callable[[Indicator], None] | None,
) -> None:
    """Compute ``runnable`` on ``workers`` threads, the slowest first, into ``outcome``;
    ``progress`` called here (the calling thread) as each one finishes."""
    rank = {name: i for i, name in enumerate(_FIRST)}
    ordered = sorted(runnable, key=lambda ind: rank.get(ind.id, len(rank)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ladder-indicator") as pool:
        pending: dict[Future[pl.DataFrame | Skipped], Indicator] = {
            pool.submit(one, ind): ind for ind in ordered
        }
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    ind = pending.pop(future)
                    outcome[ind.id] = future.result()
                    if progress is not None:
                        progress(ind)
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def warm() -> None:
    """Prepare this process for fast runs: import every indicator family and build the
    reference tables that runs read (:func:`ladder.place.caches.warm`, the run's area codes,
    the Real Living Wage rates and the trusts), each cached for the process. A long-running
    service calls it once at start, so its first dashboard computes about as fast as any
    later one (a first run in a fresh process spends ~60 ms reading them otherwise)."""
    from ladder import reference
    from ladder.metrics.enrichment import reference_areas
    from ladder.place import caches

    select(None)
    caches.warm()
    reference_areas()
    reference.living_wage()
    reference.trusts()


def run(
    context: Context,
    *,
    ids: Iterable[str] | None = None,
    periods: Iterable[int] | None = None,
    progress: Callable[[Indicator], None] | None = None,
) -> Run:
    """Compute every selected indicator whose datasets are present, and protect the results
    (:func:`publish`)."""
    frame, skipped = compute(context, ids=ids, periods=periods, progress=progress)
    return Run(publish(frame, context), skipped, [method_note(context.settings)])


def publish(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    """THE step where a run's results are protected before anyone sees them (frame in, frame
    out): each organisation and period's publication protected as linked tables
    (:mod:`ladder.metrics.disclosure.protect`), or, with ``Settings(disclosure="cellkey")``,
    perturbed by the cell key method (:mod:`ladder.metrics.disclosure.cellkey`)."""
    if context.settings.disclosure == "cellkey":
        from ladder.metrics.disclosure import cellkey

        return cellkey.apply_frame(frame, context)
    return protect.apply_frame(frame, context.settings.threshold)


def method_note(settings: Settings) -> str:
    """The one note that explains the publication's disclosure control."""
    if settings.disclosure == "cellkey":
        from ladder.metrics.disclosure import cellkey

        return cellkey.method_note(settings.threshold)
    return protect.method_note(settings.threshold)
