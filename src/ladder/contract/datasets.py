"""The canonical datasets of Ladder, each defined once.

Every importer, validator, generator and indicator reads its columns from here; the docs in
docs/data-contract.md are generated from these definitions (``ladder contract``).
"""

from __future__ import annotations

import itertools

import polars as pl

from ladder.contract.schema import Column, Dataset, Rule, Severity

WARNING: Severity = "warning"
"""Severity of optional descriptive columns: a bad value is stored as not known, row kept."""

# Plausibility bounds: a value beyond them is an error (out_of_range), so that a typing slip
# or a hostile file (hourly pay 1e308) cannot reach an indicator. Generous on purpose: the
# highest NHS pay (VSM, consultants with extra sessions) is well under £200 an hour.
PLAUSIBLE_HOURLY_PAY = 1_000.0
PLAUSIBLE_BONUS_PAY = 1_000_000.0
PLAUSIBLE_COUNT = 1_000_000.0


def _org() -> Column:
    return Column(
        "org_code",
        "ods_code",
        "ODS code of the employing organisation; a trust name, or 'CODE Name', is resolved "
        "through the NHS trust list (filled from --org when the file has none)",
        required=True,
        aliases=(
            "Organisation Code",
            "Org Code",
            "ODS Code",
            "Trust Code",
            "Employer Code",
            "Organisation ODS Code",
            "Organisation",
            "Organisation Name",
            "Employing Organisation",
            "Trust",
            "Trust Name",
        ),
    )


def _demographics(*, with_dob: bool = True) -> tuple[Column, ...]:
    cols = [
        Column(
            "ethnic_category",
            "ethnic_category",
            "Ethnic category (NHS Data Dictionary)",
            aliases=(
                "Ethnic Origin",
                "Ethnicity",
                "Ethnic Group",
                "Ethnic Category",
                "Ethnic Origin Code",
                "Ethnicity Code",
            ),
            special_category=True,
        ),
        Column(
            "sex",
            "sex",
            "Sex (legal sex in ESR; gender in most recruitment systems)",
            aliases=("Gender", "Legal Sex", "Sex at Birth"),
        ),
        Column(
            "disability",
            "disability",
            "Whether the person declared a disability",
            aliases=(
                "Disability Flag",
                "Disabled",
                "Disability Status",
                "Do you consider yourself to have a disability",
            ),
            special_category=True,
        ),
        Column(
            "age_band",
            "age_band",
            "Age band in the scheme given (ESR, ONS five-year or ten-year), or an age in years; "
            "derived from date_of_birth if absent",
            aliases=("Age Band", "Age Group", "Age Range"),
            severity=WARNING,
        ),
    ]
    if with_dob:
        cols.append(
            Column(
                "date_of_birth",
                "date",
                "Date of birth",
                aliases=("Date of Birth", "DOB", "Birth Date"),
                severity=WARNING,
            )
        )
    return tuple(cols)


def _place() -> tuple[Column, ...]:
    return (
        Column(
            "home_postcode",
            "postcode",
            "Home postcode (used only to find the LSOA)",
            aliases=(
                "Home Postcode",
                "Postcode",
                "Post Code",
                "Home Post Code",
                "Applicant Postcode",
            ),
            severity=WARNING,
        ),
        Column(
            "home_lsoa",
            "lsoa",
            "Home LSOA code, when given instead of a postcode",
            aliases=("LSOA", "Home LSOA", "LSOA Code", "LSOA21", "LSOA11"),
            severity=WARNING,
        ),
    )


def _seb() -> tuple[Column, ...]:
    return (
        Column(
            "seb_parent_occupation",
            "seb_parent_occupation",
            "SMC question: occupation of main household earner at about age 14 (option 1-9)",
            aliases=(
                "Parental Occupation",
                "Parent Occupation",
                "Main Household Earner Occupation",
                "SEB Parental Occupation",
            ),
            severity=WARNING,
        ),
        Column(
            "seb_school_type",
            "school_type",
            "Type of school attended aged 11-16",
            aliases=("School Type", "Type of School"),
            severity=WARNING,
        ),
        Column(
            "seb_free_school_meals",
            "free_school_meals",
            "Eligible for free school meals at any point during school years",
            aliases=("Free School Meals", "FSM", "Free School Meals Eligibility"),
            severity=WARNING,
        ),
        Column(
            "seb_parent_qualification",
            "parent_qualification",
            "Highest level of qualification achieved by either parent by age 18",
            aliases=(
                "Parental Qualification",
                "Parent Qualification",
                "Highest Parental Qualification",
            ),
            severity=WARNING,
        ),
    )


def _flag(name: str, description: str, *aliases: str) -> Column:
    return Column(name, "boolean", description, aliases=aliases)


def _stage_order(earlier: str, later: str) -> Rule:
    """Funnel stage ``later`` must not be dated before stage ``earlier``."""
    return Rule(
        "impossible_date",
        later,
        (earlier, later),
        f"{later.removesuffix('_date')} before {earlier.removesuffix('_date')}",
        "funnel stages must be in order: check both dates",
        lambda: pl.col(later) < pl.col(earlier),
    )


STAFF = Dataset(
    name="staff",
    title="Staff (workforce snapshot)",
    row="employee assignment at a snapshot date",
    key=("org_code", "snapshot_date", "staff_id"),
    columns=(
        Column(
            "staff_id",
            "identifier",
            "Pseudonymous staff or assignment ID",
            required=True,
            aliases=(
                "Assignment Number",
                "Assignment No",
                "Employee Number",
                "Staff ID",
                "Person Number",
                "Employee ID",
                "Pseudo ID",
            ),
        ),
        _org(),
        Column(
            "snapshot_date",
            "date",
            "Date the snapshot describes (31 March for pay gaps; filled from --snapshot-date or "
            "--period when the file has none)",
            required=True,
            aliases=("Snapshot Date", "Census Date", "Extract Date", "Reporting Date"),
        ),
        *_demographics(),
        Column(
            "religion",
            "religion",
            "Religion or belief",
            aliases=("Religious Belief", "Religion or Belief"),
            severity=WARNING,
            special_category=True,
        ),
        Column(
            "sexual_orientation",
            "sexual_orientation",
            "Sexual orientation",
            aliases=("Sexual Orientation",),
            severity=WARNING,
            special_category=True,
        ),
        Column(
            "staff_group",
            "staff_group",
            "ESR staff group (decides the WRES cluster)",
            aliases=("Staff Group",),
            severity=WARNING,
        ),
        Column(
            "occupation_code",
            "text",
            "NHS occupation code",
            aliases=("Occupation Code",),
            severity=WARNING,
        ),
        Column(
            "pay_band",
            "pay_band",
            "Agenda for Change band, VSM or medical grade",
            required=True,
            aliases=("Pay Band", "Band", "AfC Band", "Grade", "Pay Grade", "Payscale Band"),
        ),
        Column(
            "fte",
            "number",
            "Full-time equivalent of the assignment",
            minimum=0,
            maximum=2,
            aliases=("FTE", "WTE", "Contracted WTE", "Contracted FTE", "Assignment FTE"),
        ),
        Column(
            "hourly_pay",
            "number",
            "Ordinary hourly pay in the snapshot pay period (GBP)",
            minimum=0,
            maximum=PLAUSIBLE_HOURLY_PAY,
            aliases=("Hourly Pay", "Ordinary Hourly Pay", "Hourly Rate", "Basic Hourly Rate"),
        ),
        Column(
            "bonus_pay",
            "number",
            "Bonus pay in the 12 months to the snapshot date (GBP); blank = no bonus",
            minimum=0,
            maximum=PLAUSIBLE_BONUS_PAY,
            aliases=("Bonus Pay", "Bonus", "Bonus Amount"),
        ),
        _flag(
            "full_pay_relevant",
            "Full-pay relevant employee (not on reduced pay for leave); blank = yes",
            "Full Pay Relevant",
            "Full-Pay Relevant Employee",
            "FPRE",
        ),
        Column(
            "start_date",
            "date",
            "Start date of the assignment (for new starters)",
            aliases=(
                "Start Date",
                "Assignment Start Date",
                "Date Started",
                "Hire Date",
                "Latest Start Date",
            ),
        ),
        *_place(),
        _flag("is_board_member", "Member of the trust board", "Board Member", "Board"),
        _flag("is_executive", "Executive member of the board", "Executive", "Executive Member"),
        _flag(
            "is_voting_member", "Voting member of the board", "Voting Member", "Voting Board Member"
        ),
        *_seb(),
    ),
    rules=(
        Rule(
            "impossible_date",
            "date_of_birth",
            ("date_of_birth", "snapshot_date"),
            "date of birth makes the person younger than 14 at the snapshot date",
            "check the date of birth and the snapshot date",
            lambda: pl.col("date_of_birth") > pl.col("snapshot_date").dt.offset_by("-14y"),
        ),
        Rule(
            "impossible_date",
            "date_of_birth",
            ("date_of_birth", "snapshot_date"),
            "date of birth makes the person older than 100 at the snapshot date",
            "check the date of birth",
            lambda: pl.col("date_of_birth") < pl.col("snapshot_date").dt.offset_by("-100y"),
        ),
        Rule(
            "impossible_date",
            "start_date",
            ("start_date", "snapshot_date"),
            "start date is after the snapshot date",
            "a snapshot holds people already in post: check the start date",
            lambda: pl.col("start_date") > pl.col("snapshot_date"),
        ),
        Rule(
            "inconsistent",
            "is_executive",
            ("is_executive", "is_board_member"),
            "executive is not marked as a board member",
            "set is_board_member to Y for executive board members",
            lambda: pl.col("is_executive") & ~pl.col("is_board_member"),
        ),
    ),
)

APPLICATIONS = Dataset(
    name="applications",
    title="Applications (recruitment)",
    row="application to a vacancy",
    key=("org_code", "application_id"),
    columns=(
        Column(
            "application_id",
            "identifier",
            "Pseudonymous application ID",
            required=True,
            aliases=(
                "Application ID",
                "Application Reference",
                "Application Number",
                "Application Ref",
            ),
        ),
        Column(
            "vacancy_id",
            "identifier",
            "Vacancy (job) reference",
            required=True,
            aliases=(
                "Vacancy ID",
                "Vacancy Reference",
                "Job Reference",
                "Job Ref",
                "Vacancy Number",
            ),
        ),
        _org(),
        Column(
            "applied_date",
            "date",
            "Date the application was submitted",
            required=True,
            aliases=("Application Date", "Date Applied", "Applied Date", "Submitted Date"),
        ),
        *_demographics(with_dob=False),
        *_place(),
        *_seb(),
        Column(
            "shortlisted",
            "boolean",
            "Whether the applicant was shortlisted",
            required=True,
            aliases=("Shortlisted", "Shortlisted Flag", "Was Shortlisted"),
        ),
        Column(
            "appointed",
            "boolean",
            "Whether the applicant was appointed (offer accepted)",
            required=True,
            aliases=("Appointed", "Appointed Flag", "Was Appointed", "Hired"),
        ),
        Column(
            "stage",
            "text",
            "Recruitment status or stage as the system exports it (TRAC, NHS Jobs, Oleeo); when "
            "shortlisted or appointed is not given, they are derived from it through the stage "
            "map (docs/validation.md, 'Recruitment stages')",
            aliases=(
                "Status",
                "Application Status",
                "Stage",
                "Application Stage",
                "Current Stage",
                "Current Status",
                "Outcome",
                "Application Outcome",
                "Recruitment Stage",
            ),
        ),
        Column(
            "pay_band",
            "pay_band",
            "Band of the vacancy",
            aliases=("Vacancy Band", "Job Band", "Pay Band", "Band"),
        ),
        Column(
            "staff_group",
            "staff_group",
            "Staff group of the vacancy",
            aliases=("Staff Group", "Vacancy Staff Group"),
            severity=WARNING,
        ),
        _flag(
            "internal",
            "Applicant already works for the organisation",
            "Internal",
            "Internal Applicant",
            "Internal Candidate",
        ),
    ),
    rules=(
        Rule(
            "inconsistent",
            "appointed",
            ("appointed", "shortlisted"),
            "appointed but not shortlisted",
            "WRES counts appointments from shortlisting: mark the application as shortlisted",
            lambda: pl.col("appointed") & ~pl.col("shortlisted"),
        ),
    ),
)

TRAINING = Dataset(
    name="training",
    title="Training",
    row="training or CPD event attended by a member of staff",
    columns=(
        Column(
            "staff_id",
            "identifier",
            "Staff ID (as in the staff dataset)",
            required=True,
            aliases=("Assignment Number", "Employee Number", "Staff ID", "Person Number"),
        ),
        _org(),
        Column(
            "start_date",
            "date",
            "Date of the training",
            required=True,
            aliases=(
                "Start Date",
                "Course Start Date",
                "Event Date",
                "Course Date",
                "Training Date",
                "Completion Date",
            ),
        ),
        Column(
            "course",
            "text",
            "Course or competence name",
            aliases=("Course", "Course Name", "Competence Name", "Course Title"),
        ),
        Column(
            "mandatory",
            "boolean",
            "Statutory or mandatory training (WRES 4 counts the non-mandatory)",
            required=True,
            aliases=("Mandatory", "Statutory/Mandatory", "Statutory or Mandatory", "Is Mandatory"),
        ),
    ),
)

CASES = Dataset(
    name="cases",
    title="Formal employment cases",
    row="formal disciplinary or capability case",
    key=("org_code", "case_id"),
    columns=(
        Column(
            "case_id",
            "identifier",
            "Case reference",
            aliases=("Case ID", "Case Reference", "Case Number", "Case Ref"),
        ),
        Column(
            "staff_id",
            "identifier",
            "Staff ID (as in the staff dataset)",
            required=True,
            aliases=("Assignment Number", "Employee Number", "Staff ID", "Person Number"),
        ),
        _org(),
        Column(
            "start_date",
            "date",
            "Date the formal process started",
            required=True,
            aliases=("Start Date", "Case Start Date", "Date Opened", "Formal Start Date"),
        ),
        Column(
            "case_type",
            "case_type",
            "disciplinary or capability",
            required=True,
            aliases=("Case Type", "Type", "Process", "ER Case Type"),
        ),
        Column(
            "capability_reason",
            "capability_reason",
            "For capability cases: performance or ill health",
            aliases=("Capability Reason", "Capability Grounds", "Reason"),
        ),
        *_demographics(with_dob=False),
    ),
    rules=(
        Rule(
            "inconsistent",
            "capability_reason",
            ("case_type", "capability_reason"),
            "capability case without its grounds",
            "give capability_reason (performance or ill health): WDES 3 counts performance",
            lambda: (pl.col("case_type") == "capability") & pl.col("capability_reason").is_null(),
        ),
    ),
)

SURVEY = Dataset(
    name="survey",
    title="Staff survey",
    row="answer of one respondent to one question, or an aggregate count for a group",
    key=("org_code", "year", "respondent_id", "question_id"),
    columns=(
        Column(
            "respondent_id",
            "identifier",
            "Pseudonymous respondent ID (respondent-level data)",
            aliases=("Respondent ID", "Respondent", "Response ID"),
        ),
        _org(),
        Column("year", "year", "Survey year", required=True, aliases=("Survey Year", "Year")),
        Column(
            "question_id",
            "text",
            "Question number in the survey year's own numbering (Q14a, 14a, q14a); NHS Staff "
            "Survey numbers are mapped to Ladder's ids through the shipped table "
            "(docs/validation.md, 'Staff survey question numbers')",
            required=True,
            aliases=(
                "Question",
                "Question ID",
                "Question Number",
                "Item",
                "Question Code",
                "Item Code",
                "Variable",
            ),
        ),
        Column(
            "ethnic_category",
            "ethnic_category",
            "Respondent's ethnic category",
            aliases=("Ethnic Origin", "Ethnicity", "Ethnic Category"),
            special_category=True,
        ),
        Column(
            "ethnic_group",
            "ethnic_group",
            "WRES group of an aggregate row",
            aliases=("Ethnic Group", "WRES Group"),
        ),
        Column(
            "disability",
            "disability",
            "Respondent has a long-term condition or illness",
            aliases=("Disability", "Disabled", "Long Term Condition"),
            special_category=True,
        ),
        Column(
            "answer",
            "survey_answer",
            "The answer (respondent-level data)",
            aliases=("Answer", "Response", "Positive"),
        ),
        Column(
            "n",
            "integer",
            "Aggregate: number answering",
            minimum=0,
            maximum=PLAUSIBLE_COUNT,
            aliases=("Base", "N", "Respondents", "Count"),
        ),
        Column(
            "n_positive",
            "integer",
            "Aggregate: number answering positively",
            minimum=0,
            maximum=PLAUSIBLE_COUNT,
            aliases=("N Positive", "Positive Count", "Numerator"),
        ),
    ),
    rules=(
        Rule(
            "inconsistent",
            "n_positive",
            ("n", "n_positive"),
            "more positive answers than answers",
            "n_positive must not exceed n",
            lambda: pl.col("n_positive") > pl.col("n"),
        ),
    ),
    notes="Give respondent-level rows (respondent_id and answer) or aggregate rows (n and "
    "n_positive with ethnic_group or disability).",
)

_STAGES = (
    "engaged_date",
    "trained_date",
    "interviewed_date",
    "offered_date",
    "employed_date",
    "retained_date",
)

PARTICIPANTS = Dataset(
    name="participants",
    title="Community employment programme participants",
    row="person taking part in a community employment programme",
    key=("org_code", "programme", "participant_id"),
    columns=(
        Column(
            "participant_id",
            "identifier",
            "Pseudonymous participant ID",
            required=True,
            aliases=("Participant ID", "Participant", "Learner ID", "Client ID"),
        ),
        Column(
            "programme",
            "text",
            "Programme name (e.g. Project Search)",
            required=True,
            aliases=("Programme", "Programme Name", "Scheme", "Program"),
        ),
        Column("cohort", "text", "Cohort (intake) label", aliases=("Cohort", "Intake")),
        _org(),
        *_place(),
        *_demographics(),
        Column(
            "engaged_date",
            "date",
            "First contact with the programme",
            required=True,
            aliases=("Engaged Date", "Date Engaged", "Referral Date", "First Contact Date"),
        ),
        Column(
            "trained_date",
            "date",
            "Completed pre-employment training",
            aliases=("Trained Date", "Training Completed", "Training Completion Date"),
        ),
        Column(
            "interviewed_date",
            "date",
            "Interviewed for a job",
            aliases=("Interviewed Date", "Interview Date"),
        ),
        Column("offered_date", "date", "Offered a job", aliases=("Offered Date", "Offer Date")),
        Column(
            "employed_date",
            "date",
            "Started a job",
            aliases=("Employed Date", "Job Start Date", "Employment Start Date"),
        ),
        Column(
            "retained_date",
            "date",
            "Still employed at the programme's retention point",
            aliases=("Retained Date", "Retention Date"),
        ),
        # Added for the programme evaluation (docs/programmes.md): the other stages of the
        # default programme, the outcomes that are not stages, a stage column as exports
        # often have, and the staff record a recruit is followed in.
        Column(
            "enrolled_date",
            "date",
            "Enrolled on the programme",
            aliases=("Enrolled Date", "Enrolment Date", "Enrollment Date"),
        ),
        Column(
            "in_work_13w_date",
            "date",
            "Still in work 13 weeks after starting",
            aliases=("In Work 13 Weeks", "13 Week Date", "Sustained 13 Weeks"),
        ),
        Column(
            "in_work_26w_date",
            "date",
            "Still in work 26 weeks after starting",
            aliases=("In Work 26 Weeks", "26 Week Date", "Sustained 26 Weeks"),
        ),
        Column(
            "in_work_12m_date",
            "date",
            "Still in work 12 months after starting",
            aliases=("In Work 12 Months", "12 Month Date", "Sustained 12 Months"),
        ),
        Column(
            "qualification_date",
            "date",
            "Accredited qualification achieved (an outcome, not a stage)",
            aliases=("Qualification Date", "Accredited Qualification Date"),
        ),
        Column(
            "conditional_offer_date",
            "date",
            "Conditional offer made (an outcome, not a stage)",
            aliases=("Conditional Offer Date", "Conditional Offer"),
        ),
        Column(
            "placement_date",
            "date",
            "Work placement started (an outcome, not a stage)",
            aliases=("Placement Date", "Work Placement Date", "Work Experience Date"),
        ),
        Column(
            "apprenticeship_date",
            "date",
            "Apprenticeship started (an outcome, not a stage)",
            aliases=("Apprenticeship Date", "Apprenticeship Start Date"),
        ),
        Column(
            "stage",
            "text",
            "Furthest stage reached, when the file has a stage column instead of a date per "
            "stage (a stage id or label of the programme's stages file)",
            aliases=("Stage", "Stage Reached", "Furthest Stage"),
        ),
        Column(
            "staff_id",
            "identifier",
            "Staff ID of a recruit in the staff records (to follow them across snapshots)",
            aliases=("Staff ID", "Employee Number", "Assignment Number"),
        ),
    ),
    rules=tuple(_stage_order(earlier, later) for earlier, later in itertools.pairwise(_STAGES)),
)


def _site_postcode() -> Column:
    return Column(
        "site_postcode",
        "postcode",
        "Postcode of the place of work (for the travel distance shown to residents)",
        aliases=("Site Postcode", "Work Postcode", "Location Postcode", "Postcode", "Base"),
        severity=WARNING,
    )


def _qualification_level() -> Column:
    return Column(
        "min_qualification_level",
        "integer",
        "Essential: lowest qualification level (RQF 0-8; 0 = none needed, 2 = GCSEs at 4-9 "
        "or a Level 2 certificate, 3 = A levels or a Level 3 diploma, 6 = degree)",
        minimum=0,
        maximum=8,
        aliases=("Minimum Qualification Level", "Qualification Level", "RQF Level", "Min RQF"),
    )


def _hours() -> Column:
    return Column(
        "hours_per_week",
        "number",
        "Hours a week (37.5 full time)",
        minimum=0,
        maximum=60,
        aliases=("Hours", "Hours Per Week", "Weekly Hours", "Contracted Hours"),
    )


VACANCIES = Dataset(
    name="vacancies",
    title="Vacancies",
    row="job advertised by an organisation (one row per advert)",
    key=("org_code", "vacancy_id"),
    columns=(
        Column(
            "vacancy_id",
            "identifier",
            "Vacancy reference (e.g. the NHS Jobs reference)",
            required=True,
            aliases=("Vacancy ID", "Vacancy Reference", "Job Reference", "Reference"),
        ),
        _org(),
        Column(
            "title",
            "text",
            "Job title",
            required=True,
            aliases=("Job Title", "Title", "Role", "Post Title"),
        ),
        Column("band", "pay_band", "Agenda for Change band", aliases=("Band", "Pay Band", "Grade")),
        Column("staff_group", "staff_group", "ESR staff group", aliases=("Staff Group",)),
        _site_postcode(),
        _hours(),
        Column(
            "contract_type",
            "contract_type",
            "Permanent, fixed term, bank or apprenticeship",
            aliases=("Contract Type", "Contract", "Employment Type"),
        ),
        Column(
            "closing_date",
            "date",
            "Last day to apply",
            aliases=("Closing Date", "Closes", "Close Date"),
        ),
        _qualification_level(),
        Column(
            "qualification_subject",
            "text",
            "Essential: the subject of the qualification, where it matters (e.g. Health and "
            "Social Care)",
            aliases=("Qualification Subject", "Subject"),
        ),
        Column(
            "registration_required",
            "registration",
            "Essential: professional registration (none, NMC, HCPC, GMC, ...)",
            aliases=("Registration", "Registration Required", "Professional Registration"),
        ),
        Column(
            "driving_licence",
            "boolean",
            "Essential: a full driving licence",
            aliases=("Driving Licence", "Driver", "Driving Licence Required"),
        ),
        Column(
            "shift_pattern",
            "shift_pattern",
            "Essential: days, nights, rotating, weekends or flexible",
            aliases=("Shift Pattern", "Shifts", "Working Pattern"),
        ),
        Column(
            "desirable",
            "text",
            "Desirable requirements, in words",
            aliases=("Desirable", "Desirable Criteria", "Desirable Requirements"),
        ),
        Column(
            "description",
            "text",
            "What the job is, in words (the matching reads it)",
            aliases=("Description", "Job Description", "Summary", "Job Summary"),
        ),
    ),
    notes="Matched to residents by `ladder match` and the careers pages (docs/matching.md).",
)

ROUTES = Dataset(
    name="routes",
    title="Entry routes",
    row="way into work an organisation offers: apprenticeship, pre-employment programme, "
    "bank work or supported internship",
    key=("org_code", "route_id"),
    columns=(
        Column(
            "route_id",
            "identifier",
            "Route reference",
            required=True,
            aliases=("Route ID", "Programme ID", "Reference"),
        ),
        _org(),
        Column(
            "route_type",
            "route_type",
            "Apprenticeship, pre-employment programme, bank work or supported internship",
            required=True,
            aliases=("Route Type", "Type", "Programme Type"),
        ),
        Column(
            "title",
            "text",
            "Name of the route (e.g. Healthcare support worker apprenticeship)",
            required=True,
            aliases=("Title", "Name", "Programme", "Programme Name"),
        ),
        _site_postcode(),
        _hours(),
        _qualification_level(),
        Column(
            "eligibility",
            "text",
            "Who may join, in words",
            aliases=("Eligibility", "Who Can Apply", "Entry Requirements"),
        ),
        Column(
            "right_to_work_required",
            "boolean",
            "Whether the route needs the right to work in the UK (paid routes do)",
            aliases=("Right To Work Required", "Right To Work"),
        ),
        Column(
            "overseas_qualifications",
            "boolean",
            "Serves people whose qualifications are from another country (recognition, "
            "conversion or bridging support)",
            aliases=("Overseas Qualifications", "International Qualifications"),
        ),
        Column(
            "english_support",
            "boolean",
            "Offers English-language support (ESOL) alongside",
            aliases=("English Support", "ESOL", "English Language Support"),
        ),
        Column(
            "next_cohort",
            "date",
            "Start of the next intake",
            aliases=("Next Cohort", "Next Intake", "Start Date"),
        ),
        Column("contact", "text", "How to ask or apply", aliases=("Contact", "Contact Details")),
        Column(
            "description",
            "text",
            "What the route is, in words (the matching reads it)",
            aliases=("Description", "Summary"),
        ),
    ),
    notes="Matched to residents by `ladder match` and the careers pages (docs/matching.md).",
)

CONTRACTED_STAFF = Dataset(
    name="contracted_staff",
    title="Contracted staff (third-party workers on site)",
    row="person working on the organisation's premises for a contractor, at a snapshot date",
    key=("org_code", "snapshot_date", "worker_id"),
    columns=(
        Column(
            "worker_id",
            "identifier",
            "Pseudonymous ID of the contracted worker (the contractor's own reference)",
            required=True,
            aliases=("Worker ID", "Employee Number", "Contractor Staff ID", "Staff ID"),
        ),
        _org(),
        Column(
            "snapshot_date",
            "date",
            "Date the pay and hours describe (filled from --snapshot-date or --period when "
            "the file has none)",
            required=True,
            aliases=("Snapshot Date", "Extract Date", "Reporting Date"),
        ),
        Column(
            "contractor",
            "text",
            "The contractor (company) employing the worker",
            required=True,
            aliases=("Contractor", "Supplier", "Company", "Provider", "Contractor Name"),
        ),
        Column(
            "service",
            "contracted_service",
            "Service: cleaning, portering, catering, security or other",
            required=True,
            aliases=("Service", "Service Line", "Contract Service", "Role"),
        ),
        Column(
            "site", "text", "Site (hospital or building) worked at", aliases=("Site", "Location")
        ),
        _flag(
            "site_london",
            "The site is in Greater London (the London Living Wage applies); blank = no",
            "London",
            "London Site",
            "In London",
        ),
        Column(
            "hourly_pay",
            "number",
            "Basic hourly pay (GBP)",
            required=True,
            minimum=0,
            maximum=PLAUSIBLE_HOURLY_PAY,
            aliases=("Hourly Pay", "Hourly Rate", "Basic Hourly Rate", "Pay Rate"),
        ),
        Column(
            "hours",
            "number",
            "Contracted hours a week on the site",
            minimum=0,
            maximum=100,
            aliases=("Hours", "Weekly Hours", "Contracted Hours", "Hours per Week"),
        ),
        Column(
            "contract_start",
            "date",
            "Start date of the contract under which the worker is employed",
            aliases=("Contract Start", "Contract Start Date", "Contract Date"),
        ),
    ),
    notes="Regular third-party contracted staff (the Living Wage Foundation's definition: on "
    "site two or more hours a day on any day of the week, for eight or more consecutive weeks "
    "a year), for the living-wage indicators (docs/index.md, 'Fair pay').",
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        STAFF,
        APPLICATIONS,
        TRAINING,
        CASES,
        SURVEY,
        PARTICIPANTS,
        CONTRACTED_STAFF,
        VACANCIES,
        ROUTES,
    )
}


def dataset(kind: str) -> Dataset:
    """The dataset called ``kind``; KeyError names the valid kinds."""
    try:
        return DATASETS[kind]
    except KeyError:
        raise KeyError(
            f"unknown dataset kind {kind!r}; use one of: {', '.join(DATASETS)}"
        ) from None
