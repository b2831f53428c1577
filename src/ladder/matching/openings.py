"""Vacancies and entry routes as one kind of thing a resident can be matched to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from ladder import codes

Kind = Literal["vacancy", "route"]


@dataclass(frozen=True)
class Opening:
    """A vacancy or an entry route, with its essential requirements."""

    kind: Kind
    id: str
    org_code: str
    title: str
    description: str = ""
    band: str | None = None
    staff_group: str | None = None
    site_postcode: str | None = None
    hours: float | None = None
    contract_type: str | None = None
    closing_date: dt.date | None = None
    min_level: int | None = None
    subject: str | None = None
    registration: str | None = None
    driving_licence: bool = False
    shift_pattern: str | None = None
    desirable: str | None = None
    route_type: str | None = None
    eligibility: str | None = None
    right_to_work_required: bool = True
    overseas_qualifications: bool = False
    english_support: bool = False
    next_cohort: dt.date | None = None
    contact: str | None = None

    @property
    def key(self) -> str:
        """Unique across organisations and kinds."""
        return f"{self.kind}:{self.org_code}:{self.id}"

    @property
    def text(self) -> str:
        """The words the ranking compares with what the person told us."""
        parts = [self.title, self.description, self.desirable or "", self.eligibility or ""]
        return ". ".join(p for p in parts if p)

    @property
    def label(self) -> str:
        """What kind of opening this is, in words."""
        if self.kind == "route":
            return codes.ROUTE_TYPES.get(self.route_type or "", "Entry route")
        return f"Job, {self.band}" if self.band else "Job"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "org_code": self.org_code,
            "title": self.title,
            "label": self.label,
            "band": self.band,
            "staff_group": self.staff_group,
            "site_postcode": self.site_postcode,
            "hours_per_week": self.hours,
            "contract_type": self.contract_type,
            "closing_date": None if self.closing_date is None else self.closing_date.isoformat(),
            "route_type": self.route_type,
            "next_cohort": None if self.next_cohort is None else self.next_cohort.isoformat(),
            "contact": self.contact,
            "description": self.description,
        }


def _s(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def openings_from_frames(
    vacancies: pl.DataFrame | None, routes: pl.DataFrame | None
) -> list[Opening]:
    """Openings from canonical ``vacancies`` and ``routes`` frames (either may be None)."""
    out: list[Opening] = []
    if vacancies is not None:
        for row in vacancies.iter_rows(named=True):
            out.append(
                Opening(
                    kind="vacancy",
                    id=str(row["vacancy_id"]),
                    org_code=str(row["org_code"]),
                    title=str(row["title"]),
                    description=_s(row, "description") or "",
                    band=_s(row, "band"),
                    staff_group=_s(row, "staff_group"),
                    site_postcode=_s(row, "site_postcode"),
                    hours=row.get("hours_per_week"),
                    contract_type=_s(row, "contract_type"),
                    closing_date=row.get("closing_date"),
                    min_level=row.get("min_qualification_level"),
                    subject=_s(row, "qualification_subject"),
                    registration=_s(row, "registration_required"),
                    driving_licence=bool(row.get("driving_licence")),
                    shift_pattern=_s(row, "shift_pattern"),
                    desirable=_s(row, "desirable"),
                )
            )
    if routes is not None:
        for row in routes.iter_rows(named=True):
            rtw = row.get("right_to_work_required")
            out.append(
                Opening(
                    kind="route",
                    id=str(row["route_id"]),
                    org_code=str(row["org_code"]),
                    title=str(row["title"]),
                    description=_s(row, "description") or "",
                    site_postcode=_s(row, "site_postcode"),
                    hours=row.get("hours_per_week"),
                    min_level=row.get("min_qualification_level"),
                    route_type=_s(row, "route_type"),
                    eligibility=_s(row, "eligibility"),
                    right_to_work_required=True if rtw is None else bool(rtw),
                    overseas_qualifications=bool(row.get("overseas_qualifications")),
                    english_support=bool(row.get("english_support")),
                    next_cohort=row.get("next_cohort"),
                    contact=_s(row, "contact"),
                )
            )
    return out
