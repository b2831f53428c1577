"""What Ladder published: one Parquet file per publication under ``DIR/publications``,
indexed by the ``publications`` table (the record the next period's protection checks
against; docs/methods/disclosure.md).

The store keeps the frame it is given (the published figures) and its settings; it does not
know what a result is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ladder.store import database, layout
from ladder.store.models import PublicationRow, utcnow

if TYPE_CHECKING:
    from ladder.store.workspace import Workspace

PUBLICATIONS = "publications"


@dataclass(frozen=True)
class Publication:
    """The index row of one publication."""

    org: str
    period: int
    settings_key: str
    threshold: int
    path: Path
    figures: int
    withheld: int
    published_at: datetime

    def read(self) -> pl.DataFrame:
        """The published figures."""
        return pl.read_parquet(self.path)


def record_publication(
    ws: Workspace,
    org: str,
    period: int,
    frame: pl.DataFrame,
    *,
    settings_key: str,
    threshold: int,
) -> Publication:
    """Keep ``frame`` (the published figures, with a boolean ``suppressed`` column) as
    ``org``'s publication for ``period``; earlier ones are kept too (re-publication)."""
    target = ws.root / PUBLICATIONS / f"org={org}" / f"period={period}"
    target = target / f"{uuid.uuid4().hex}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = layout.temp_beside(target)
    frame.write_parquet(temp)
    layout.fsync_file(temp)
    layout.move_into_place(temp, target)
    row = PublicationRow(
        org_code=org,
        period=period,
        settings_key=settings_key,
        threshold=threshold,
        path=layout.relative(ws.root, target),
        figures=frame.height,
        withheld=int(frame["suppressed"].sum()) if "suppressed" in frame.columns else 0,
        published_at=utcnow(),
    )
    try:
        with ws.session() as session, session.begin():
            session.add(row)
    except SQLAlchemyError as exc:
        layout.remove_quietly(target)
        raise database.unreachable(ws.engine, exc) from None
    return _publication(ws, row)


def publications(ws: Workspace, org: str) -> list[Publication]:
    """Every publication of ``org``, oldest first."""
    query = (
        select(PublicationRow)
        .where(PublicationRow.org_code == org)
        .order_by(PublicationRow.published_at, PublicationRow.id)
    )
    try:
        with ws.session() as session:
            rows = list(session.scalars(query))
    except SQLAlchemyError as exc:
        raise database.unreachable(ws.engine, exc) from None
    return [_publication(ws, r) for r in rows]


def latest_publication(ws: Workspace, org: str) -> Publication | None:
    """``org``'s most recent publication (any period), or None."""
    found = publications(ws, org)
    return found[-1] if found else None


def _publication(ws: Workspace, r: PublicationRow) -> Publication:
    return Publication(
        org=r.org_code,
        period=r.period,
        settings_key=r.settings_key,
        threshold=r.threshold,
        path=layout.absolute(ws.root, r.path),
        figures=r.figures,
        withheld=r.withheld,
        published_at=r.published_at,
    )
