"""Load the datasets an indicator run reads: a folder of canonical files or a workspace.

A folder holds files named after their datasets (``staff.csv``, ``applications.parquet``…,
as ``ladder synth`` writes them); any subset will do. A Parquet file already in the
canonical schema is read as it is; any other file is validated first and only its valid
rows are used (the rejected ones are counted in the notes). Rows with warnings only are
valid (those values are not known) unless ``strict`` makes the warnings errors. A workspace
is read through its current datasets (audited).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl

from ladder.contract.datasets import DATASETS
from ladder.engines import EngineName, scan
from ladder.io.validate import Validation, validate_file
from ladder.metrics.context import Context
from ladder.metrics.expressions import period_of, polars_period
from ladder.metrics.settings import Settings

SUFFIXES = (".parquet", ".csv", ".xlsx")
PERIOD_DATE = {
    "staff": "snapshot_date",
    "applications": "applied_date",
    "training": "start_date",
    "cases": "start_date",
    "participants": "engaged_date",
    "vacancies": "closing_date",
    "routes": "next_cohort",
    "contracted_staff": "snapshot_date",
}


WORKSPACE_MARKER = "ladder.toml"
"""The file that makes a folder a workspace (``ladder.store.config.CONFIG_NAME``), checked
without importing the store, so reading a folder of files never loads the database stack."""


class InputError(Exception):
    """The data to compute from cannot be found or read."""


@dataclass
class Loaded:
    """The context to compute from, plus what the user should know about the inputs."""

    context: Context
    sources: dict[str, list[Path]]
    notes: list[str] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def with_period(kind: str, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Add the reporting ``period`` (year ending 31 March; survey year + 1)."""
    if kind == "survey":
        return frame.with_columns((nw.col("year") + 1).cast(nw.Int64).alias("period"))
    native = frame.to_native()
    if isinstance(native, pl.LazyFrame):  # native: every query reading it computes it again
        period = polars_period(PERIOD_DATE[kind]).alias("period")
        result: nw.LazyFrame[Any] = nw.from_native(native.with_columns(period))
        return result
    return frame.with_columns(period_of(PERIOD_DATE[kind]).alias("period"))


ADDED_LATER: dict[str, frozenset[str]] = {
    "applications": frozenset({"stage"}),
    "participants": frozenset(
        {
            "enrolled_date",
            "in_work_13w_date",
            "in_work_26w_date",
            "in_work_12m_date",
            "qualification_date",
            "conditional_offer_date",
            "placement_date",
            "apprenticeship_date",
            "stage",
            "staff_id",
        }
    ),
}
"""Columns added to the contract after Ladder first wrote canonical files: a canonical file
written before them lacks them and is still read as it is (they read as nulls). Any other
file lacking a column is validated row by row, as a hand-made file may hold raw values."""


def _is_canonical(path: Path, kind: str) -> bool:
    """A Parquet file in the contract's storage schema: every column in its canonical type
    (a column added to the contract since the file was written may be absent)."""
    if path.suffix != ".parquet":
        return False
    try:
        schema = pl.read_parquet_schema(path)
    except Exception:
        return False
    later = ADDED_LATER.get(kind, frozenset())
    return all(
        schema.get(name) == dtype or (name in later and name not in schema)
        for name, dtype in DATASETS[kind].polars_schema().items()
    )


def find_files(folder: Path) -> dict[str, Path]:
    """The dataset files in ``folder`` (``staff.parquet`` preferred over ``staff.csv``)."""
    found: dict[str, Path] = {}
    for kind in DATASETS:
        for suffix in SUFFIXES:
            candidate = folder / f"{kind}{suffix}"
            if candidate.is_file():
                found[kind] = candidate
                break
    return found


def load_folder(
    folder: Path,
    *,
    engine: EngineName = EngineName.polars,
    org: str | None = None,
    settings: Settings | None = None,
    strict: bool = False,
) -> Loaded:
    """Load every dataset file found in ``folder``."""
    files = find_files(folder)
    if not files:
        raise InputError(
            f"{folder} holds no dataset files: name them after their datasets, e.g. "
            "staff.csv, applications.parquet"
        )
    tmp = tempfile.TemporaryDirectory(prefix="ladder-metrics-")
    notes: list[str] = []
    parquet: dict[str, list[Path]] = {}
    for kind, path in files.items():
        if _is_canonical(path, kind):
            parquet[kind] = [path]
            continue
        result = validate_file(path, kind, strict=strict)
        if result.blocking:
            first = next(p for p in result.problems if p.blocking)
            notes.append(f"{path.name}: not used — {first.reason}")
            continue
        notes += _validation_notes(path, result)
        target = Path(tmp.name) / f"{kind}.parquet"
        result.valid_rows().write_parquet(target)
        parquet[kind] = [target]
    loaded = _load(parquet, engine=engine, org=org, settings=settings, notes=notes)
    loaded.sources = {k: [files[k]] for k in parquet}
    loaded._tmp = tmp
    return loaded


def _validation_notes(path: Path, result: Validation) -> list[str]:
    notes = []
    if len(result.bad_rows):
        notes.append(
            f"{path.name}: {len(result.bad_rows):,} of {result.rows_read:,} rows have "
            "errors and are left out (run `ladder validate` for the list)"
        )
    if result.rows_with_warnings:
        notes.append(
            f"{path.name}: {result.rows_with_warnings:,} rows have warnings and are used with "
            "those values as not known (--strict leaves them out)"
        )
    return notes


def load_frames(
    frames: dict[str, pl.DataFrame],
    *,
    engine: EngineName = EngineName.polars,
    settings: Settings | None = None,
) -> Loaded:
    """Load in-memory canonical frames (any subset of columns; the rest become nulls).

    The frames are written to temporary Parquet files so that every engine reads them the
    same way as real data. Used by the tests' hand-worked examples.
    """
    tmp = tempfile.TemporaryDirectory(prefix="ladder-frames-")
    parquet: dict[str, list[Path]] = {}
    for kind, frame in frames.items():
        schema = DATASETS[kind].polars_schema()
        full = frame.with_columns(
            [
                pl.lit(None, dtype=dtype).alias(name)
                for name, dtype in schema.items()
                if name not in frame.columns
            ]
        ).select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
        target = Path(tmp.name) / f"{kind}.parquet"
        full.write_parquet(target)
        parquet[kind] = [target]
    loaded = _load(parquet, engine=engine, org=None, settings=settings, notes=[])
    loaded._tmp = tmp
    return loaded


def load_workspace(
    directory: Path,
    *,
    engine: EngineName = EngineName.polars,
    org: str | None = None,
    user: str | None = None,
    settings: Settings | None = None,
) -> Loaded:
    """Load the current datasets of a workspace (the reads are written to its audit log)."""
    from ladder.store import Workspace

    with Workspace.open(directory) as ws:
        parquet = {kind: [r.path for r in ws.files(kind, org, user=user)] for kind in DATASETS}
    parquet = {k: v for k, v in parquet.items() if v}
    if not parquet:
        raise InputError(f"the workspace {directory} holds no data yet: use `ladder import`")
    return _load(parquet, engine=engine, org=org, settings=settings, notes=[])


def _load(
    parquet: dict[str, list[Path]],
    *,
    engine: EngineName,
    org: str | None,
    settings: Settings | None,
    notes: list[str],
) -> Loaded:
    frames: dict[str, nw.LazyFrame[Any]] = {}
    for kind, paths in parquet.items():
        frame = scan(engine, paths, DATASETS[kind].polars_schema())
        if org is not None:
            frame = frame.filter(nw.col("org_code") == org)
        frames[kind] = with_period(kind, frame)
    context = Context(frames, engine, settings or Settings())
    return Loaded(context, parquet, notes)


def load(
    data: Path,
    *,
    engine: EngineName = EngineName.polars,
    org: str | None = None,
    user: str | None = None,
    settings: Settings | None = None,
    strict: bool = False,
) -> Loaded:
    """Load a workspace or a folder of dataset files, whichever ``data`` is.

    ``strict`` applies to a folder's files that are validated (a workspace holds rows that
    were validated when imported).
    """
    if not data.exists():
        raise InputError(f"{data} does not exist")
    if (data / WORKSPACE_MARKER).is_file():  # the store (and its database stack) only then
        return load_workspace(data, engine=engine, org=org, user=user, settings=settings)
    if data.is_file():
        raise InputError(f"{data} is a file: give the folder that holds the dataset files")
    return load_folder(data, engine=engine, org=org, settings=settings, strict=strict)


def load_files(
    parquet: dict[str, list[Path]],
    *,
    engine: EngineName = EngineName.polars,
    org: str | None = None,
    settings: Settings | None = None,
) -> Loaded:
    """Load canonical Parquet files already chosen by the caller (e.g. an open workspace's
    current files of one organisation: :func:`ladder.app.results.results`)."""
    return _load(parquet, engine=engine, org=org, settings=settings, notes=[])
