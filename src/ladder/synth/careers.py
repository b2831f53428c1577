"""Vacancies and entry routes of one trust (the careers datasets, docs/matching.md).

Vacancies are drawn from a table of real NHS job families with their usual band, staff
group and essential requirements; each trust advertises about one post per 60 staff at a
handful of its own sites (postcodes sampled in its catchment, plus its headquarters).
Closing dates fall in the weeks after ``anchor``, so that a demo made today has open posts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from ladder import reference
from ladder.contract.datasets import ROUTES, VACANCIES
from ladder.synth import geography
from ladder.synth.sampling import rng_for
from ladder.synth.trusts import TrustPlan

STREAM_CAREERS = 8
VACANCIES_PER_STAFF = 1 / 60


@dataclass(frozen=True)
class Job:
    """A job family: title, band, staff group and its essential and desirable requirements."""

    title: str
    band: str
    staff_group: str
    level: int
    subject: str | None
    registration: str
    driving: bool
    shifts: tuple[str, ...]
    weight: float
    description: str
    desirable: str


JOBS: tuple[Job, ...] = (
    Job(
        "Healthcare support worker",
        "Band 2",
        "Additional Clinical Services",
        0,
        None,
        "none",
        False,
        ("days", "rotating", "nights"),
        10,
        "Help patients on a ward with washing, dressing, eating and moving about; take "
        "temperatures and blood pressure; keep patients comfortable and talk with families.",
        "Care Certificate; experience caring for someone, paid or unpaid",
    ),
    Job(
        "Senior healthcare support worker",
        "Band 3",
        "Additional Clinical Services",
        2,
        "Health and Social Care",
        "none",
        False,
        ("rotating", "days"),
        5,
        "Provide personal care and clinical observations, take blood samples, support newly "
        "qualified support workers and help nurses run the ward.",
        "Phlebotomy or ECG experience",
    ),
    Job(
        "Domestic assistant",
        "Band 2",
        "Estates and Ancillary",
        0,
        None,
        "none",
        False,
        ("days", "weekends"),
        6,
        "Clean wards, clinics and public areas to infection-control standards; work as part "
        "of the housekeeping team keeping patients safe.",
        "Cleaning experience",
    ),
    Job(
        "Porter",
        "Band 2",
        "Estates and Ancillary",
        0,
        None,
        "none",
        False,
        ("rotating", "nights"),
        5,
        "Move patients in wheelchairs and beds, deliver equipment, samples and post around "
        "the hospital; physical work with a lot of walking.",
        "Customer service experience",
    ),
    Job(
        "Catering assistant",
        "Band 2",
        "Estates and Ancillary",
        0,
        None,
        "none",
        False,
        ("days", "weekends"),
        4,
        "Prepare and serve meals for patients and staff, follow food hygiene rules and keep "
        "the kitchen clean.",
        "Food hygiene certificate; cooking or kitchen work",
    ),
    Job(
        "Ward clerk",
        "Band 2",
        "Administrative and Clerical",
        2,
        None,
        "none",
        False,
        ("days",),
        4,
        "Answer the phone, greet visitors, book appointments and keep patient records up to "
        "date on the computer for a busy ward.",
        "Office or reception work; typing",
    ),
    Job(
        "Medical secretary",
        "Band 4",
        "Administrative and Clerical",
        3,
        "Business Administration",
        "none",
        False,
        ("days",),
        3,
        "Type clinic letters from dictation, manage consultants' diaries and answer patient "
        "queries about appointments.",
        "Medical terminology; audio typing",
    ),
    Job(
        "Receptionist",
        "Band 2",
        "Administrative and Clerical",
        1,
        None,
        "none",
        False,
        ("days", "flexible"),
        4,
        "Welcome patients at the front desk of an outpatient clinic, check them in, answer "
        "questions and help people find their way.",
        "Customer service; speaking a second language",
    ),
    Job(
        "Phlebotomist",
        "Band 3",
        "Additional Clinical Services",
        2,
        None,
        "none",
        False,
        ("days",),
        3,
        "Take blood samples from adults and children in clinics and on wards, label them and "
        "send them to the laboratory; full training given.",
        "Experience with patients",
    ),
    Job(
        "Community healthcare assistant",
        "Band 3",
        "Additional Clinical Services",
        2,
        "Health and Social Care",
        "none",
        True,
        ("days",),
        3,
        "Visit patients in their own homes to support district nurses with wound care, "
        "observations and personal care; you drive between visits.",
        "Experience of home care",
    ),
    Job(
        "Staff nurse",
        "Band 5",
        "Nursing and Midwifery Registered",
        6,
        "Nursing",
        "NMC",
        False,
        ("rotating",),
        8,
        "Plan and give nursing care to adult patients on a medical ward, give medicines, work "
        "with doctors and therapists, and support students.",
        "Experience in acute medicine",
    ),
    Job(
        "Midwife",
        "Band 6",
        "Nursing and Midwifery Registered",
        6,
        "Midwifery",
        "NMC",
        False,
        ("rotating",),
        2,
        "Care for women through pregnancy, birth and after, in the hospital and community.",
        "Community midwifery experience",
    ),
    Job(
        "Physiotherapist",
        "Band 5",
        "Allied Health Professionals",
        6,
        "Physiotherapy",
        "HCPC",
        False,
        ("days", "weekends"),
        2,
        "Assess and treat patients to help them move again after illness or surgery.",
        "Rotational post experience",
    ),
    Job(
        "Occupational therapy support worker",
        "Band 3",
        "Allied Health Professionals",
        2,
        None,
        "none",
        False,
        ("days",),
        2,
        "Help occupational therapists get patients ready to go home: practise daily tasks, "
        "fit equipment and talk with families.",
        "Experience of care work",
    ),
    Job(
        "Pharmacy assistant",
        "Band 2",
        "Add Prof Scientific and Technic",
        2,
        None,
        "none",
        False,
        ("days", "weekends"),
        2,
        "Pick and label medicines, deliver them to wards and keep stock in order in the "
        "hospital pharmacy.",
        "Retail pharmacy experience",
    ),
    Job(
        "Laboratory support worker",
        "Band 2",
        "Healthcare Scientists",
        2,
        "Science",
        "none",
        False,
        ("rotating",),
        2,
        "Receive, sort and prepare patient samples in the pathology laboratory and keep the "
        "analysers supplied.",
        "Laboratory or science experience",
    ),
    Job(
        "Resident doctor",
        "Trainee grade",
        "Medical and Dental",
        7,
        "Medicine",
        "GMC",
        False,
        ("rotating",),
        2,
        "Assess and treat patients admitted to hospital as part of the medical team.",
        "Experience in the NHS",
    ),
    Job(
        "IT service desk analyst",
        "Band 4",
        "Administrative and Clerical",
        3,
        None,
        "none",
        False,
        ("days",),
        2,
        "Answer staff calls about computers and systems, fix problems or pass them on, and "
        "set up new laptops and phones.",
        "IT support experience; customer service",
    ),
)


@dataclass(frozen=True)
class Route:
    """An entry route: its type, title, eligibility and what it serves."""

    route_type: str
    title: str
    level: int
    hours: float
    eligibility: str
    right_to_work: bool
    overseas: bool
    english: bool
    description: str


ROUTE_TABLE: tuple[Route, ...] = (
    Route(
        "apprenticeship",
        "Healthcare support worker apprenticeship (Level 2)",
        0,
        37.5,
        "Aged 16 or over, living in England, not in full-time education",
        True,
        False,
        False,
        "Earn while you learn: work on a ward as a healthcare support worker and gain a "
        "Level 2 apprenticeship in 12 to 15 months.",
    ),
    Route(
        "apprenticeship",
        "Business administration apprenticeship (Level 3)",
        2,
        37.5,
        "GCSE English and maths, or willing to work towards them",
        True,
        False,
        False,
        "Work in a hospital office while gaining a Level 3 business administration "
        "apprenticeship: patient records, appointments, phones.",
    ),
    Route(
        "apprenticeship",
        "Nursing associate apprenticeship (Level 5)",
        2,
        37.5,
        "Working in a care role now, with GCSE English and maths",
        True,
        False,
        False,
        "Train as a registered nursing associate over two years while you work, with "
        "university study one day a week.",
    ),
    Route(
        "pre_employment",
        "Pre-employment academy: care and support roles",
        0,
        16,
        "Anyone living locally who is out of work or wants to change career",
        False,
        False,
        True,
        "Six weeks of training in care, infection control and customer service, with a "
        "guaranteed interview for a healthcare support worker or domestic role.",
    ),
    Route(
        "pre_employment",
        "Overseas qualified healthcare professionals programme",
        0,
        16,
        "Qualified in nursing, midwifery or an allied health profession in another country",
        False,
        True,
        True,
        "Help to get your qualification recognised in the UK, prepare for the OSCE or HCPC "
        "application, and English language support for the IELTS or OET test.",
    ),
    Route(
        "pre_employment",
        "English for health and care work (ESOL)",
        0,
        8,
        "Adults whose first language is not English",
        False,
        False,
        True,
        "English lessons built around health and care work, with hospital visits and help "
        "to apply for entry-level jobs.",
    ),
    Route(
        "bank",
        "Bank work: healthcare support and domestic shifts",
        0,
        0,
        "Right to work in the UK; choose the shifts you want",
        True,
        False,
        False,
        "Join the staff bank and pick up shifts that fit around you, on wards, in "
        "housekeeping or in catering.",
    ),
    Route(
        "supported_internship",
        "Supported internship (Project Search)",
        0,
        25,
        "Aged 17 to 24 with an education, health and care plan",
        False,
        False,
        False,
        "A year of work placements in the hospital with a job coach, for young people with "
        "learning disabilities or autism.",
    ),
)


def _sites(rng: np.random.Generator, plan: TrustPlan) -> list[str]:
    """Postcodes of the trust's sites: its headquarters (when in the lookup) and two more
    in its catchment."""
    p = geography.pool()
    la = geography.sample_la(rng, plan.area, 2)
    rows = geography.sample_postcodes(rng, la, np.zeros(2))
    sites = [str(pc) for pc in p.pcds.gather(rows).to_list()]
    hq = reference.trusts().filter(pl.col("org_code") == plan.org_code).get_column("postcode")
    if hq.len() and hq[0] is not None:
        known = reference.postcodes().filter(pl.col("pcds") == hq[0]).height
        if known:
            sites.insert(0, str(hq[0]))
    return sites


def careers_anchor(snapshot: dt.date, today: dt.date | None = None) -> dt.date:
    """The date closing dates and cohorts follow: the later of the snapshot and the first
    of the current month (so a demo made today has open posts; same month, same data)."""
    now = (today or dt.date.today()).replace(day=1)
    return max(snapshot, now)


def generate_vacancies(plan: TrustPlan, seed: int, anchor: dt.date) -> pl.DataFrame:
    """One trust's current vacancies."""
    rng = rng_for(seed, plan.index, STREAM_CAREERS, 0)
    sites = _sites(rng, plan)
    n = max(8, round(plan.staff * VACANCIES_PER_STAFF))
    weights = np.array([j.weight for j in JOBS])
    picks = rng.choice(len(JOBS), size=n, p=weights / weights.sum())
    rows = []
    for i, k in enumerate(picks):
        job = JOBS[int(k)]
        part_time = rng.random() < 0.25
        hours = float(rng.choice([15.0, 22.5, 30.0])) if part_time else 37.5
        contract = (
            "bank"
            if rng.random() < 0.08
            else ("fixed_term" if rng.random() < 0.15 else "permanent")
        )
        rows.append(
            {
                "vacancy_id": f"{plan.org_code}-V{i + 1:04d}",
                "org_code": plan.org_code,
                "title": job.title,
                "band": job.band,
                "staff_group": job.staff_group,
                "site_postcode": sites[int(rng.integers(0, len(sites)))],
                "hours_per_week": hours,
                "contract_type": contract,
                "closing_date": anchor + dt.timedelta(days=int(rng.integers(14, 75))),
                "min_qualification_level": job.level,
                "qualification_subject": job.subject,
                "registration_required": job.registration,
                "driving_licence": job.driving,
                "shift_pattern": job.shifts[int(rng.integers(0, len(job.shifts)))],
                "desirable": job.desirable,
                "description": job.description,
            }
        )
    return pl.DataFrame(rows, schema=VACANCIES.polars_schema())


def generate_routes(plan: TrustPlan, seed: int, anchor: dt.date) -> pl.DataFrame:
    """One trust's entry routes: every route of the table, except that only some trusts
    run the overseas-qualified programme and Project Search."""
    rng = rng_for(seed, plan.index, STREAM_CAREERS, 1)
    sites = _sites(rng, plan)
    trust = reference.trusts().filter(pl.col("org_code") == plan.org_code).get_column("name")
    name = str(trust[0]) if trust.len() else plan.org_code
    rows = []
    for i, route in enumerate(ROUTE_TABLE):
        optional = "Overseas" in route.title or route.route_type == "supported_internship"
        if optional and rng.random() < 0.4:
            continue
        slug = name.lower().replace(" ", "")[:24]
        rows.append(
            {
                "route_id": f"{plan.org_code}-R{i + 1:02d}",
                "org_code": plan.org_code,
                "route_type": route.route_type,
                "title": route.title,
                "site_postcode": sites[int(rng.integers(0, len(sites)))],
                "hours_per_week": route.hours,
                "min_qualification_level": route.level,
                "eligibility": route.eligibility,
                "right_to_work_required": route.right_to_work,
                "overseas_qualifications": route.overseas,
                "english_support": route.english,
                "next_cohort": anchor + dt.timedelta(days=int(rng.integers(20, 120))),
                "contact": f"careers@{slug}.nhs.uk",
                "description": route.description,
            }
        )
    return pl.DataFrame(rows, schema=ROUTES.polars_schema())
