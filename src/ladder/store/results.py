"""Stored results: Parquet files under ``DIR/results`` indexed by the ``result_sets`` table.

The store keeps what it is given and says whether it is current; it does not know what a
result is (that is :mod:`ladder.metrics.stored`). One file holds the results of one
organisation and period computed under one settings key; a set is *current* while its
``method_version`` and ``data_version`` (:func:`data_version`: the fingerprint of the
organisation's current datasets, which every import changes) are the caller's.

Layout::

    DIR/results/org=<ORG>/period=<YEAR>/<uuid>.parquet
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from ladder.store import database, layout
from ladder.store.models import DatasetRow, PublicationRow, ResultSetRow, utcnow

if TYPE_CHECKING:
    from ladder.store.workspace import Workspace

RESULTS = "results"


@dataclass(frozen=True)
class StoredSet:
    """The index row of one stored result file."""

    org: str
    period: int
    settings_key: str
    method_version: str
    data_version: str
    path: Path
    row_count: int
    skipped: tuple[tuple[str, str, str], ...]


def results_dir(root: Path) -> Path:
    return root / RESULTS


NOT_INDICATOR_INPUTS = frozenset({"vacancies", "routes"})
"""Datasets no indicator reads (the careers datasets): importing them leaves results current."""


def data_versions(ws: Workspace, orgs: Iterable[str] | None = None) -> dict[str, str]:
    """Each organisation's data fingerprint: a hash of its current (kind, period, import) of
    the datasets the indicators read (an organisation with careers data only is listed) and
    of its recorded publications (stored results are protected against them, so recording a
    publication makes them stale too)."""
    query = select(DatasetRow.org_code, DatasetRow.kind, DatasetRow.period, DatasetRow.import_id)
    published = select(PublicationRow.org_code, PublicationRow.id)
    wanted = None if orgs is None else sorted(set(orgs))
    if wanted is not None:
        query = query.where(DatasetRow.org_code.in_(wanted))
        published = published.where(PublicationRow.org_code.in_(wanted))
    parts: dict[str, list[str]] = {}
    try:
        with ws.reading() as session:
            for org, kind, period, import_id in session.execute(query):
                items = parts.setdefault(org, [])
                if kind not in NOT_INDICATOR_INPUTS:
                    items.append(f"{kind}:{period}:{import_id}")
            for org, pid in session.execute(published):
                if org in parts:
                    parts[org].append(f"publication:{pid}")
    except SQLAlchemyError as exc:
        raise database.unreachable(ws.engine, exc) from None
    return {
        org: hashlib.sha256("|".join(sorted(items)).encode()).hexdigest()
        for org, items in parts.items()
    }


def data_version(ws: Workspace, org: str) -> str | None:
    """``org``'s data fingerprint (None when the workspace holds no data of it)."""
    return data_versions(ws, [org]).get(org)


def stored_sets(
    ws: Workspace, settings_key: str, orgs: Iterable[str] | None = None
) -> list[StoredSet]:
    """The index rows stored under ``settings_key`` (of ``orgs``, or every organisation)."""
    query = select(ResultSetRow).where(ResultSetRow.settings_key == settings_key)
    if orgs is not None:
        query = query.where(ResultSetRow.org_code.in_(sorted(set(orgs))))
    try:
        with ws.reading() as session:
            rows = list(session.scalars(query.order_by(ResultSetRow.org_code, ResultSetRow.period)))
    except SQLAlchemyError as exc:
        raise database.unreachable(ws.engine, exc) from None
    return [
        StoredSet(
            org=r.org_code,
            period=r.period,
            settings_key=r.settings_key,
            method_version=r.method_version,
            data_version=r.data_version,
            path=layout.absolute(ws.root, r.path),
            row_count=r.row_count,
            skipped=tuple(tuple(s) for s in json.loads(r.skipped)),
        )
        for r in rows
    ]


def read_sets(sets: Iterable[StoredSet]) -> pl.DataFrame | None:
    """The stored frames of ``sets``, one after the other (None when there are none)."""
    paths = [str(s.path) for s in sets]
    if not paths:
        return None
    return pl.read_parquet(paths)


def write_sets(
    ws: Workspace,
    org: str,
    frames: Mapping[int, pl.DataFrame],
    *,
    settings_key: str,
    method_version: str,
    data_version: str,
    skipped: Iterable[tuple[str, str, str]] = (),
) -> list[StoredSet]:
    """Store ``org``'s results, one frame per period, replacing every set of ``org`` under
    ``settings_key`` and every set of ``org`` that is no longer current (other method or
    data version). The files are written first and indexed in one transaction; a failure
    leaves the index as it was."""
    skipped_json = json.dumps([list(s) for s in skipped])
    written: dict[int, Path] = {}
    try:
        for period, frame in sorted(frames.items()):
            target = results_dir(ws.root) / f"org={org}" / f"period={period}"
            target = target / f"{uuid.uuid4().hex}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = layout.temp_beside(target)
            frame.write_parquet(temp)
            layout.fsync_file(temp)
            layout.move_into_place(temp, target)
            written[period] = target
        stale = (ResultSetRow.org_code == org) & (
            (ResultSetRow.settings_key == settings_key)
            | (ResultSetRow.method_version != method_version)
            | (ResultSetRow.data_version != data_version)
        )
        now = utcnow()
        with ws.session() as session, session.begin():
            old = list(session.scalars(select(ResultSetRow.path).where(stale)))
            session.execute(delete(ResultSetRow).where(stale))
            session.add_all(
                ResultSetRow(
                    org_code=org,
                    period=period,
                    settings_key=settings_key,
                    method_version=method_version,
                    data_version=data_version,
                    path=layout.relative(ws.root, path),
                    row_count=frames[period].height,
                    skipped=skipped_json,
                    computed_at=now,
                )
                for period, path in written.items()
            )
    except SQLAlchemyError as exc:
        for path in written.values():
            layout.remove_quietly(path)
        raise database.unreachable(ws.engine, exc) from None
    except BaseException:
        for path in written.values():
            layout.remove_quietly(path)
        raise
    for stored in old:
        layout.remove_quietly(layout.absolute(ws.root, stored))
    return stored_sets(ws, settings_key, [org])
