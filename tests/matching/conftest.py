"""A small hand-made set of vacancies and routes, and the people matched against them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ladder.contract.datasets import ROUTES, VACANCIES
from ladder.matching.openings import Opening, openings_from_frames
from ladder.matching.rank import Index, build_index

TODAY = dt.date(2027, 1, 10)
OPEN = dt.date(2027, 2, 1)

HOME = "E1 1BB"  # LSOA E01004322; E2 7XY is 1.0 mile away, E17 0QX 4.9 miles

CARE = "Help patients on a ward with washing, dressing, eating and moving about."


def vacancy(vid: str, title: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "vacancy_id": vid,
        "org_code": "R1H",
        "title": title,
        "band": "Band 2",
        "staff_group": "Additional Clinical Services",
        "site_postcode": "E2 7XY",
        "hours_per_week": 22.5,
        "contract_type": "permanent",
        "closing_date": OPEN,
        "min_qualification_level": 0,
        "qualification_subject": None,
        "registration_required": "none",
        "driving_licence": False,
        "shift_pattern": "days",
        "desirable": None,
        "description": CARE,
    }
    row.update(fields)
    return row


VACANCY_ROWS = [
    vacancy("V1", "Healthcare support worker", hours_per_week=37.5),
    vacancy("V2", "Healthcare support worker"),
    vacancy(
        "V3",
        "Staff nurse",
        band="Band 5",
        min_qualification_level=6,
        qualification_subject="Nursing",
        registration_required="NMC",
    ),
    vacancy(
        "V4",
        "Senior healthcare support worker",
        band="Band 3",
        min_qualification_level=2,
        qualification_subject="Health and Social Care",
        shift_pattern="rotating",
    ),
    vacancy("V5", "Community healthcare assistant", band="Band 3", driving_licence=True),
    vacancy("V6", "Ward clerk", closing_date=dt.date(2027, 1, 3)),
    vacancy(
        "V7",
        "Porter",
        site_postcode="E17 0QX",
        staff_group="Estates and Ancillary",
        description="Move beds, equipment, samples and post around the hospital.",
    ),
    vacancy(
        "V8",
        "Senior healthcare support worker",
        band="Band 3",
        min_qualification_level=2,
        qualification_subject="Health and Social Care",
        org_code="RQX",
    ),
]


def route(rid: str, route_type: str, title: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "route_id": rid,
        "org_code": "R1H",
        "route_type": route_type,
        "title": title,
        "site_postcode": "E2 7XY",
        "hours_per_week": 16.0,
        "min_qualification_level": 0,
        "eligibility": "Anyone living locally",
        "right_to_work_required": True,
        "overseas_qualifications": False,
        "english_support": False,
        "next_cohort": dt.date(2027, 3, 1),
        "contact": "careers@example.nhs.uk",
        "description": "Training for care roles",
    }
    row.update(fields)
    return row


ROUTE_ROWS = [
    route("R1", "pre_employment", "English for health and care work (ESOL)",
          right_to_work_required=False, english_support=True),
    route("R2", "pre_employment", "Overseas qualified healthcare professionals programme",
          right_to_work_required=False, overseas_qualifications=True, english_support=True),
    route("R3", "apprenticeship", "Healthcare support worker apprenticeship",
          hours_per_week=37.5),
]  # fmt: skip


def frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    return (
        pl.DataFrame(VACANCY_ROWS, schema=VACANCIES.polars_schema()),
        pl.DataFrame(ROUTE_ROWS, schema=ROUTES.polars_schema()),
    )


def openings() -> list[Opening]:
    return openings_from_frames(*frames())


@pytest.fixture(scope="session")
def index() -> Index:
    return build_index(openings())


def carer(**fields: object) -> dict[str, object]:
    """A person with a Level 2 in Health and Social Care who can work 30 hours, days only."""
    data: dict[str, object] = {
        "right_to_work": True,
        "postcode": HOME,
        "qualifications": [{"level": 2, "subject": "Health and Social Care"}],
        "max_hours": 30,
        "shifts": ["days"],
        "experience": "I looked after my mother at home: washing, dressing, meals.",
        "interests": "caring for patients in a hospital",
    }
    data.update(fields)
    return data
