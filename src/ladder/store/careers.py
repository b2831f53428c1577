"""The careers matching's counters: uses by day and neighbourhood, and by characteristic.

Only counts are kept (no row says who used the tool); a use adds one to each counter it
falls in, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ladder.store import database
from ladder.store.models import CareersFairnessRow, CareersReachRow
from ladder.store.workspace import Workspace

EVERY_USE = "*"
UNKNOWN_AREA = ""


@dataclass(frozen=True)
class Use:
    """One use of the matching, as counted: where from, which organisations it showed, and
    (only if the person chose to give them) their characteristics and how well it matched."""

    day: dt.date
    lsoa21: str | None
    imd_decile: int | None
    orgs: tuple[str, ...]
    characteristics: Mapping[str, str]
    matched: bool
    good: bool


def _bump_reach(session: Session, day: dt.date, org: str, lsoa: str, decile: int | None) -> None:
    row = session.scalars(
        select(CareersReachRow).where(
            CareersReachRow.day == day,
            CareersReachRow.org_code == org,
            CareersReachRow.lsoa21 == lsoa,
        )
    ).one_or_none()
    if row is None:
        session.add(CareersReachRow(day=day, org_code=org, lsoa21=lsoa, imd_decile=decile, uses=1))
    else:
        row.uses += 1


def _bump_fairness(session: Session, use: Use, dimension: str, group: str) -> None:
    row = session.scalars(
        select(CareersFairnessRow).where(
            CareersFairnessRow.day == use.day,
            CareersFairnessRow.dimension == dimension,
            CareersFairnessRow.grp == group,
        )
    ).one_or_none()
    if row is None:
        row = CareersFairnessRow(
            day=use.day, dimension=dimension, grp=group, uses=0, matched=0, good=0
        )
        session.add(row)
    row.uses += 1
    row.matched += int(use.matched)
    row.good += int(use.good)


def count_use(ws: Workspace, use: Use) -> None:
    """Add ``use`` to the counters."""
    lsoa = use.lsoa21 or UNKNOWN_AREA
    try:
        with ws.session.begin() as session:
            for org in (EVERY_USE, *sorted(set(use.orgs))):
                _bump_reach(session, use.day, org, lsoa, use.imd_decile)
            for dimension, group in sorted(use.characteristics.items()):
                _bump_fairness(session, use, dimension, group[:64])
    except SQLAlchemyError as exc:
        raise database.unreachable(ws.engine, exc) from None


@dataclass(frozen=True)
class ReachCount:
    lsoa21: str
    imd_decile: int | None
    uses: int


def reach_counts(ws: Workspace, org: str, since: dt.date | None = None) -> list[ReachCount]:
    """Uses that showed ``org`` a match (or every use: ``org`` "*"), summed by LSOA."""
    query = select(CareersReachRow).where(CareersReachRow.org_code == org)
    if since is not None:
        query = query.where(CareersReachRow.day >= since)
    totals: dict[str, list[int | None]] = {}
    with ws.session() as session:
        for row in session.scalars(query):
            entry = totals.setdefault(row.lsoa21, [row.imd_decile, 0])
            entry[1] = int(entry[1] or 0) + row.uses
    return [ReachCount(lsoa, dec, int(n or 0)) for lsoa, (dec, n) in sorted(totals.items())]


@dataclass(frozen=True)
class FairnessCount:
    dimension: str
    group: str
    uses: int
    matched: int
    good: int


def fairness_counts(ws: Workspace, dimensions: Iterable[str] | None = None) -> list[FairnessCount]:
    """Uses, matched and good-match counts by characteristic and group (all days)."""
    totals: dict[tuple[str, str], list[int]] = {}
    with ws.session() as session:
        for row in session.scalars(select(CareersFairnessRow)):
            entry = totals.setdefault((row.dimension, row.grp), [0, 0, 0])
            entry[0] += row.uses
            entry[1] += row.matched
            entry[2] += row.good
    wanted = None if dimensions is None else set(dimensions)
    return [
        FairnessCount(d, g, *counts)
        for (d, g), counts in sorted(totals.items())
        if wanted is None or d in wanted
    ]
