"""Every calibration figure of the synthetic generator, with its source.

Figures marked "approximately" are rounded readings of the named publication, used as targets,
not quoted statistics. Figures marked "assumption" are the generator's own choices, made to
give plausible data where no published figure is used. docs/synthetic-data.md lists them all.
"""

from __future__ import annotations

from typing import Final

# --- Workforce shape ------------------------------------------------------------------------

STAFF_GROUP_SHARES: Final[dict[str, float]] = {
    # Approximately, headcount shares by ESR staff group, NHS England "NHS Workforce
    # Statistics" (trusts and core organisations), 2023; rounded.
    "Nursing and Midwifery Registered": 0.27,
    "Additional Clinical Services": 0.22,
    "Administrative and Clerical": 0.22,
    "Medical and Dental": 0.10,
    "Allied Health Professionals": 0.07,
    "Add Prof Scientific and Technic": 0.05,
    "Estates and Ancillary": 0.045,
    "Healthcare Scientists": 0.02,
    "Students": 0.005,
}

BAND_MIX: Final[dict[str, dict[str, float]]] = {
    # Assumption: band profile of each staff group, chosen so that most staff sit in Bands 2-6
    # and under 1% in Band 8c and above, as in the published Agenda for Change profile.
    "Nursing and Midwifery Registered": {
        "Band 5": 0.44,
        "Band 6": 0.34,
        "Band 7": 0.16,
        "Band 8a": 0.04,
        "Band 8b": 0.012,
        "Band 8c": 0.005,
        "Band 8d": 0.002,
        "Band 9": 0.001,
    },
    "Additional Clinical Services": {
        "Band 2": 0.33,
        "Band 3": 0.45,
        "Band 4": 0.19,
        "Band 5": 0.03,
    },
    "Administrative and Clerical": {
        "Band 2": 0.14,
        "Band 3": 0.29,
        "Band 4": 0.21,
        "Band 5": 0.11,
        "Band 6": 0.08,
        "Band 7": 0.07,
        "Band 8a": 0.045,
        "Band 8b": 0.025,
        "Band 8c": 0.013,
        "Band 8d": 0.008,
        "Band 9": 0.004,
        "Other": 0.005,
    },
    "Medical and Dental": {
        "Consultant": 0.41,
        "Non-consultant career grade": 0.14,
        "Trainee grade": 0.45,
    },
    "Allied Health Professionals": {
        "Band 5": 0.2,
        "Band 6": 0.39,
        "Band 7": 0.28,
        "Band 8a": 0.09,
        "Band 8b": 0.03,
        "Band 8c": 0.01,
    },
    "Add Prof Scientific and Technic": {
        "Band 3": 0.08,
        "Band 4": 0.1,
        "Band 5": 0.14,
        "Band 6": 0.2,
        "Band 7": 0.25,
        "Band 8a": 0.14,
        "Band 8b": 0.06,
        "Band 8c": 0.02,
        "Band 8d": 0.01,
    },
    "Estates and Ancillary": {
        "Band 2": 0.6,
        "Band 3": 0.2,
        "Band 4": 0.09,
        "Band 5": 0.05,
        "Band 6": 0.03,
        "Band 7": 0.02,
        "Band 8a": 0.01,
    },
    "Healthcare Scientists": {
        "Band 5": 0.2,
        "Band 6": 0.3,
        "Band 7": 0.28,
        "Band 8a": 0.13,
        "Band 8b": 0.05,
        "Band 8c": 0.03,
        "Band 8d": 0.01,
    },
    "Students": {"Band 3": 0.6, "Band 4": 0.4},
}

BOARD_EXECUTIVES: Final[tuple[int, int]] = (6, 8)
"""Assumption: executive directors per board (inclusive range); about 2 of them non-voting."""
BOARD_NON_EXECUTIVES: Final[tuple[int, int]] = (6, 8)
"""Assumption: chair and non-executive directors per board (inclusive range)."""

TRUST_RATIO_SPREAD: Final[float] = 0.1
"""Assumption: log-sd of each trust's own relative likelihoods (WRES 2-4, WDES 2-3) around the
national figure, so that trusts differ as they do in the published returns."""
TRUST_SIZE_SIGMA: Final[float] = 0.45
"""Assumption: log-sd of trust sizes around the --staff figure (the first trust is 2x)."""
FIRST_TRUST_WEIGHT: Final[float] = 2.0
"""The first trust is 'large': about twice the typical trust (issue requirement)."""

# --- Ethnicity -------------------------------------------------------------------------------
# Each person's ethnic category is drawn from the Census 2021 mix of the local authority they
# live in (ONS Census 2021 TS021), with BME categories' odds multiplied by BME_ODDS[band].
# Targets (approximately, NHS England "Workforce Race Equality Standard 2023 data analysis
# report for NHS trusts", March 2023 data): BME ~26% of the workforce; highest in Band 5 and
# medical grades, lowest in Band 8c-9 and VSM. The multipliers were tuned so that a run over
# all 214 trusts lands near those targets (see docs/synthetic-data.md for the measured shares).

BME_ODDS: Final[dict[str, float]] = {
    "Band 2": 1.5,
    "Band 3": 1.35,
    "Band 4": 1.15,
    "Band 5": 3.2,
    "Band 6": 1.6,
    "Band 7": 1.15,
    "Band 8a": 0.95,
    "Band 8b": 0.8,
    "Band 8c": 0.62,
    "Band 8d": 0.55,
    "Band 9": 0.5,
    "VSM": 0.45,
    "Consultant": 3.4,
    "Non-consultant career grade": 6.0,
    "Trainee grade": 3.6,
    "Other": 0.9,
}
BOARD_BME_ODDS: Final[float] = 0.7
"""Assumption giving boards ~13% BME nationally (approximately, WRES 2023: ~13% of board
members from BME backgrounds)."""

INTERNATIONAL_BOOST: Final[dict[str, float]] = {
    # Assumption: internationally recruited nurses and doctors (India, the Philippines,
    # Nigeria, Pakistan and others) raise these codes' odds in nursing Bands 5-6 and medicine.
    "H": 1.6,
    "L": 2.0,
    "N": 1.8,
    "J": 1.3,
    "S": 1.2,
}
WHITE_OTHER_BOOST: Final[float] = 1.3
"""Assumption: EU-trained staff raise 'White - Any other White background' (code C)."""
ETHNICITY_NOT_STATED: Final[float] = 0.025
"""Approximately, share recorded as 'Not stated' (code Z) in ESR (WRES 2023 unknown ~3-4%)."""
ETHNICITY_NOT_KNOWN: Final[float] = 0.012
"""Approximately, share with no ethnic category at all in ESR (stored as null)."""
APPLICANT_BME_ODDS: Final[float] = 1.5
"""Assumption: applicant pools are more diverse than the workforce (international applicants)."""

# --- Sex, age, hours ---------------------------------------------------------------------------

FEMALE_SHARE: Final[dict[str, float]] = {
    # Approximately, NHS Workforce Statistics 2023 (about 77% of NHS staff are female overall).
    "Nursing and Midwifery Registered": 0.89,
    "Additional Clinical Services": 0.82,
    "Administrative and Clerical": 0.8,
    "Medical and Dental": 0.48,
    "Allied Health Professionals": 0.84,
    "Add Prof Scientific and Technic": 0.68,
    "Estates and Ancillary": 0.45,
    "Healthcare Scientists": 0.6,
    "Students": 0.85,
}
FEMALE_SENIOR_FACTOR: Final[dict[str, float]] = {
    # Assumption: women are under-represented in senior AfC bands relative to their groups
    # (the pattern behind NHS trusts' gender pay gaps; top-quartile female share ~68% in the
    # median NHS trust vs ~81% in the lower quartile, computed here from GOV.UK gender pay gap
    # data 2021-22).
    "Band 7": 0.97,
    "Band 8a": 0.94,
    "Band 8b": 0.9,
    "Band 8c": 0.86,
    "Band 8d": 0.83,
    "Band 9": 0.8,
}
FEMALE_SHARE_BY_GRADE: Final[dict[str, float]] = {
    # Approximately, NHS Workforce Statistics: consultants ~40% female, resident doctors ~55%.
    "Consultant": 0.41,
    "Non-consultant career grade": 0.47,
    "Trainee grade": 0.56,
    "VSM": 0.5,
}
BOARD_FEMALE_SHARE: Final[float] = 0.47
"""Assumption, close to the NHS Confederation's reported near-parity of trust boards."""

AGE_BY_BAND: Final[dict[str, tuple[float, float]]] = {
    # Assumption: mean and sd of age by band (NHS staff median age is in the low 40s).
    "Band 2": (42.0, 13.0),
    "Band 3": (42.0, 12.5),
    "Band 4": (42.0, 11.5),
    "Band 5": (35.0, 10.0),
    "Band 6": (40.0, 9.5),
    "Band 7": (44.0, 9.0),
    "Band 8a": (46.0, 8.0),
    "Band 8b": (47.0, 7.5),
    "Band 8c": (49.0, 7.0),
    "Band 8d": (50.0, 6.5),
    "Band 9": (51.0, 6.0),
    "VSM": (53.0, 6.0),
    "Consultant": (48.0, 8.0),
    "Non-consultant career grade": (45.0, 9.0),
    "Trainee grade": (30.0, 4.0),
    "Other": (52.0, 9.0),
}
AGE_LIMITS: Final[tuple[float, float]] = (18.0, 70.0)
MEAN_YEARS_IN_POST: Final[float] = 7.0
"""Assumption: mean length of service (exponential), capped at the years since age 18."""

PART_TIME_SHARE: Final[dict[str, float]] = {
    # Approximately: about a third of NHS staff work part time, mostly women (NHS Digital).
    "female": 0.4,
    "male": 0.14,
}
PART_TIME_FTE: Final[tuple[tuple[float, ...], tuple[float, ...]]] = (
    (0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    (0.04, 0.13, 0.15, 0.24, 0.12, 0.24, 0.08),
)
"""Assumption: FTE values of part-time staff and their weights."""
NOT_FULL_PAY_RELEVANT: Final[float] = 0.035
"""Assumption: share on reduced or nil pay for leave at the snapshot, plus extra maternity
leave below; about 5% of staff in all (issue requirement)."""
MATERNITY_EXTRA: Final[float] = 0.06
"""Assumption: extra probability of reduced pay for women aged 26-40 (maternity leave)."""

# --- Pay -------------------------------------------------------------------------------------
# Agenda for Change pay points, England, 2024/25 (NHS Employers pay scales, effective 1 April
# 2024, the 5.5% award). Annual basic salary in GBP.
AFC_PAY_POINTS: Final[dict[str, tuple[int, ...]]] = {
    "Band 2": (23615,),
    "Band 3": (24071, 25674),
    "Band 4": (26530, 29114),
    "Band 5": (29970, 32324, 36483),
    "Band 6": (37338, 39405, 44962),
    "Band 7": (46148, 48526, 52809),
    "Band 8a": (53755, 60504),
    "Band 8b": (62215, 72293),
    "Band 8c": (74290, 85601),
    "Band 8d": (88168, 101677),
    "Band 9": (105385, 121271),
}
AFC_HOURS_PER_WEEK: Final[float] = 37.5
WEEKS_PER_YEAR: Final[float] = 52.143
"""Hourly pay = annual / (weekly hours x 52.143) (issue requirement)."""

MEDICAL_PAY_RANGE: Final[dict[str, tuple[int, int]]] = {
    # Approximately, 2024/25 basic pay ranges (England) from the DDRB-based pay circulars as
    # summarised by NHS Employers / NHS Health Careers: consultants £105,504-£139,882;
    # specialty doctor to specialist roughly £59,000-£107,000; resident (trainee) doctors
    # £36,616 (FY1) to £70,425 (top nodal point).
    "Consultant": (105504, 139882),
    "Non-consultant career grade": (59175, 107155),
    "Trainee grade": (36616, 70425),
}
MEDICAL_HOURS_PER_WEEK: Final[float] = 40.0
"""Assumption: doctors' basic week is 40 hours (10 programmed activities of 4 hours)."""
VSM_PAY_RANGE: Final[tuple[int, int]] = (125000, 260000)
"""Approximately, NHS England's VSM pay framework spans roughly £125k-£260k (assumption)."""
OTHER_PAY_RANGE: Final[tuple[int, int]] = (24000, 60000)
"""Assumption: local (non-AfC) pay range for 'Other'."""
NON_EXECUTIVE_FEE: Final[tuple[int, int]] = (13000, 23000)
"""Approximately, NHS England's remuneration structure for chairs and non-executives
(about £13,000 for a non-executive director; chairs more)."""
LONDON_HCAS: Final[float] = 0.15
"""Approximately, High Cost Area Supplement for London trusts: AfC Annex 8 gives 20% (inner),
15% (outer) and 5% (fringe) of basic pay within minimum and maximum amounts; one 15% uplift
is used for every trust in the NHS London region (simplification)."""
UNSOCIAL_HOURS: Final[tuple[float, float, float]] = (0.55, 0.04, 0.22)
"""Assumption: share of ward staff (nursing, additional clinical, trainees) with unsocial-hours
enhancements in the pay period, and the uniform range of the uplift."""

BONUS_RATE_CONSULTANT: Final[dict[str, float]] = {
    # Assumption calibrated to gender pay gap returns of NHS trusts: bonus pay in the NHS is
    # mostly consultants' clinical excellence awards, held more often by men. The median NHS
    # trust reported ~5-6% of men and ~1-2% of women receiving a bonus (computed here from
    # the GOV.UK gender pay gap service data, 2017-18 to 2021-22).
    "male": 0.5,
    "female": 0.36,
}
BONUS_RATE_OTHER: Final[float] = 0.002
"""Assumption: rare bonus payments (e.g. retention awards) for everyone else."""
BONUS_MEDIAN: Final[float] = 9000.0
BONUS_SIGMA: Final[float] = 0.7
"""Assumption: lognormal bonus amounts (local and national clinical excellence awards)."""

# --- Disability --------------------------------------------------------------------------------

LONG_TERM_CONDITION: Final[float] = 0.24
"""Approximately, NHS Staff Survey 2023: about 24% of respondents report a long-term condition
or illness (WDES 2023 data analysis report)."""
LTC_AGE_SLOPE: Final[float] = 0.004
"""Assumption: the probability of a long-term condition rises 0.4 points a year of age."""
ESR_DECLARE_IF_LTC: Final[tuple[float, float]] = (0.21, 0.37)
"""Approximately: ESR records ~5% of staff as disabled (WDES 2023); with ~24% having a
condition, about 1 in 5 declares it. (P(recorded disabled), P(not declared)) for those with a
condition; the rest are recorded 'No'."""
ESR_NOT_DECLARED_IF_NONE: Final[float] = 0.2
"""Approximately: about a fifth of ESR records have no disability declaration (WDES 2023)."""

# --- Religion and sexual orientation ---------------------------------------------------------

RELIGION_BY_GROUP: Final[dict[str, dict[str, float]]] = {
    # Assumption, shaped so that the overall mix is near the NHS Staff Survey 2023 median of
    # acute trusts (computed here from the organisational results): Christian ~47%, no
    # religion ~38%, Muslim ~3%, Hindu ~2.4%, Buddhist ~0.6%, Sikh, Jewish ~0.2% each.
    "white": {
        "christianity": 0.5,
        "atheism": 0.45,
        "judaism": 0.003,
        "buddhism": 0.004,
        "other": 0.043,
    },
    "mixed": {
        "christianity": 0.42,
        "atheism": 0.43,
        "islam": 0.08,
        "buddhism": 0.01,
        "other": 0.06,
    },
    "indian": {
        "hinduism": 0.55,
        "sikhism": 0.14,
        "christianity": 0.17,
        "islam": 0.06,
        "atheism": 0.05,
        "jainism": 0.01,
        "other": 0.02,
    },
    "south_asian_muslim": {"islam": 0.92, "atheism": 0.03, "christianity": 0.03, "other": 0.02},
    "other_asian": {
        "christianity": 0.55,
        "hinduism": 0.12,
        "islam": 0.1,
        "buddhism": 0.12,
        "atheism": 0.07,
        "other": 0.04,
    },
    "black": {"christianity": 0.82, "islam": 0.1, "atheism": 0.05, "other": 0.03},
    "chinese": {"atheism": 0.55, "buddhism": 0.15, "christianity": 0.25, "other": 0.05},
    "other": {"islam": 0.5, "christianity": 0.28, "atheism": 0.12, "other": 0.1},
}
RELIGION_WITHHELD: Final[tuple[float, float]] = (0.12, 0.06)
"""Assumption: ESR shares 'I do not wish to disclose' and unspecified (null)."""
SEXUAL_ORIENTATION: Final[dict[str, float]] = {
    # Assumption, near ESR-based NHS figures (about 3-4% LGB+, ~10% undisclosed).
    "heterosexual": 0.845,
    "gay_or_lesbian": 0.02,
    "bisexual": 0.015,
    "other": 0.004,
    "prefer_not_to_say": 0.076,
}
SEXUAL_ORIENTATION_NULL: Final[float] = 0.04

# --- Socio-economic background -----------------------------------------------------------------
# Social Mobility Commission parental-occupation question (options 1-9). Shares among answers
# 1-7; targets from the Ladder issue: professional ~35-40%, intermediate ~20-25%, lower ~35-40%
# overall, consistent in broad terms with the SMC's State of the Nation reports. The "class
# ceiling": the professional share rises with band (assumption shaped on SMC findings that
# senior roles are dominated by people from professional backgrounds).

SEB_PROFESSIONAL_BY_BAND: Final[dict[str, float]] = {
    "Band 2": 0.24,
    "Band 3": 0.27,
    "Band 4": 0.3,
    "Band 5": 0.37,
    "Band 6": 0.4,
    "Band 7": 0.44,
    "Band 8a": 0.48,
    "Band 8b": 0.51,
    "Band 8c": 0.54,
    "Band 8d": 0.56,
    "Band 9": 0.6,
    "VSM": 0.6,
    "Consultant": 0.63,
    "Non-consultant career grade": 0.5,
    "Trainee grade": 0.66,
    "Other": 0.45,
}
SEB_INTERMEDIATE: Final[float] = 0.22
SEB_OPTION_WITHIN_GROUP: Final[dict[str, dict[int, float]]] = {
    # Assumption: split of each group over its SMC options.
    "professional": {1: 0.58, 2: 0.42},
    "intermediate": {3: 0.62, 7: 0.38},
    "lower": {4: 0.34, 5: 0.56, 6: 0.1},
}
SEB_OTHER_OR_DECLINED: Final[tuple[float, float]] = (0.07, 0.03)
"""Issue requirement: ~10% of those answering choose 8 (other/don't know) or 9 (prefer not)."""
SEB_RESPONSE_RATE: Final[tuple[float, float]] = (0.25, 0.6)
"""Assumption: share of staff answering the SEB questions, uniform per trust (the questions
are new to most trusts' ESR self-service; response rates are partial)."""
SEB_APPLICANT_RESPONSE_RATE: Final[float] = 0.7
"""Assumption: applicants answer monitoring questions on the application form more often."""
SCHOOL_INDEPENDENT: Final[dict[str, float]] = {
    # Approximately: ~7% of UK pupils attend independent schools (ISC / DfE); assumption that
    # it is concentrated in professional backgrounds.
    "professional": 0.15,
    "intermediate": 0.05,
    "lower": 0.015,
}
FREE_SCHOOL_MEALS: Final[dict[str, float]] = {
    # Assumption: eligibility by background (FSM eligibility was ~15% of pupils in the 2000s).
    "professional": 0.04,
    "intermediate": 0.12,
    "lower": 0.33,
}
PARENT_DEGREE: Final[dict[str, float]] = {
    "professional": 0.58,
    "intermediate": 0.22,
    "lower": 0.06,
}
"""Assumption: share whose parent held a degree by the respondent's age 18."""
PARENT_NO_FORMAL: Final[dict[str, float]] = {
    "professional": 0.03,
    "intermediate": 0.12,
    "lower": 0.3,
}
SCHOOLED_ABROAD: Final[dict[str, float]] = {
    # Assumption: share schooled outside the UK (international recruitment).
    "international": 0.85,
    "other": 0.05,
}

# --- Where people live -------------------------------------------------------------------------
# Assumption: the IMD decile of a home postcode is drawn with weight exp(tilt * z) where
# z = (decile - 5.5) / 4.5, on top of the number of postcodes of that decile in the local
# authority. Negative tilt = more deprived.

DEPRIVATION_TILT: Final[dict[str, float]] = {
    "Band 2": -0.9,
    "Band 3": -0.7,
    "Band 4": -0.4,
    "Band 5": -0.05,
    "Band 6": 0.15,
    "Band 7": 0.35,
    "Band 8a": 0.55,
    "Band 8b": 0.7,
    "Band 8c": 0.8,
    "Band 8d": 0.9,
    "Band 9": 1.0,
    "VSM": 1.1,
    "Consultant": 1.1,
    "Non-consultant career grade": 0.4,
    "Trainee grade": 0.5,
    "Other": 0.2,
}
SEB_TILT: Final[dict[str, float]] = {"professional": 0.35, "intermediate": 0.0, "lower": -0.35}
APPLICANT_TILT: Final[float] = -0.2
PARTICIPANT_TILT: Final[float] = -3.2
"""Assumption: programme participants come mostly from the most deprived neighbourhoods."""
POSTCODE_MISSING: Final[float] = 0.015
"""Assumption: share of staff and applicant records without a usable home postcode."""

# --- Recruitment -------------------------------------------------------------------------------

APPLICATIONS_PER_STAFF: Final[float] = 6.7
"""Approximately, ~10 million applications a year for ~1.5 million trust staff (Ladder
DESIGN.md scale note, from NHS Jobs volumes)."""
APPLICATIONS_PER_VACANCY: Final[dict[str, float]] = {
    # Assumption: mean applications per vacancy (entry-level admin posts attract the most).
    # Specialty-doctor and trust-grade posts draw many international applications.
    "Band 2": 50.0,
    "Band 3": 42.0,
    "Band 4": 32.0,
    "Band 5": 24.0,
    "Band 6": 22.0,
    "Band 7": 18.0,
    "Band 8a": 16.0,
    "Band 8b": 14.0,
    "Band 8c": 12.0,
    "Band 8d": 10.0,
    "Band 9": 9.0,
    "VSM": 8.0,
    "Consultant": 6.0,
    "Non-consultant career grade": 30.0,
    "Trainee grade": 20.0,
    "Other": 15.0,
}
SHORTLIST_RATE: Final[float] = 0.22
"""Assumption: base share of applications shortlisted."""
SHORTLIST_BME: Final[float] = 0.85
"""Assumption: BME applicants' relative chance of shortlisting (lower in many WRES returns)."""
SHORTLIST_DISABLED: Final[float] = 1.3
"""Assumption: the Disability Confident guaranteed interview raises disabled applicants'
shortlisting."""
APPOINT_RATIO_WHITE_BME: Final[float] = 1.59
"""Approximately, WRES 2023 national relative likelihood of White applicants being appointed
from shortlisting compared with BME applicants (1.59)."""
APPOINT_POOLING_UPLIFT: Final[float] = 1.07
"""Each trust's own WRES 2 target is the national figure times this: pooling trusts with
different ethnic mixes dilutes the ratio (Simpson's paradox), and with this uplift a run over
all trusts reproduces the national 1.59 (measured; see docs/synthetic-data.md)."""
APPOINT_RATIO_NONDISABLED_DISABLED: Final[float] = 1.1
"""Approximately, WDES 2023 national relative likelihood of non-disabled applicants being
appointed from shortlisting compared with disabled applicants (about 1.1)."""
APPOINT_INTERNAL: Final[float] = 1.5
"""Assumption: internal candidates' relative chance of appointment."""
POSTS_PER_VACANCY: Final[tuple[float, float]] = (0.88, 0.1)
"""Assumption: P(one post), P(two posts); the rest have three posts."""
INTERNAL_SHARE: Final[dict[str, float]] = {"low": 0.12, "mid": 0.25, "high": 0.4}
"""Assumption: share of internal applicants for Bands 2-5 / 6-7 / 8a and above."""
APPLICANT_DISABLED: Final[tuple[float, float]] = (0.07, 0.06)
"""Approximately (WDES 2023, applicants declaring a disability ~7%); (disabled, not declared)."""

# --- Training ----------------------------------------------------------------------------------

MANDATORY_EVENTS_PER_STAFF: Final[float] = 3.5
"""Assumption: statutory and mandatory training events per person a year (Poisson)."""
NON_MANDATORY_ACCESS: Final[float] = 0.42
"""Assumption: share of White staff accessing non-mandatory training or CPD in a year."""
TRAINING_RATIO_WHITE_BME: Final[float] = 1.1
"""Approximately, WRES 2023 national relative likelihood of White staff accessing
non-mandatory training and CPD compared with BME staff (about 1.1)."""
NON_MANDATORY_EXTRA_EVENTS: Final[float] = 0.6
"""Assumption: further non-mandatory events (Poisson) for each person accessing any."""

# --- Formal cases ------------------------------------------------------------------------------

DISCIPLINARY_RATE: Final[float] = 0.009
"""Assumption: annual probability that a White member of staff enters the formal
disciplinary process (NHS trusts typically report around 1 in 100)."""
DISCIPLINARY_RATIO_BME_WHITE: Final[float] = 1.14
"""Approximately, WRES 2023 national relative likelihood of BME staff entering the formal
disciplinary process compared with White staff (about 1.1-1.15)."""
CAPABILITY_PERFORMANCE_RATE: Final[float] = 0.0015
CAPABILITY_ILL_HEALTH_RATE: Final[float] = 0.004
"""Assumption: annual probabilities of entering formal capability (performance / ill health)."""
CAPABILITY_RATIO_DISABLED: Final[float] = 1.95
"""Approximately, WDES 2023 national relative likelihood of disabled staff entering the formal
capability process on the grounds of performance compared with non-disabled staff (~1.9-2)."""
ILL_HEALTH_RATIO_DISABLED: Final[float] = 3.0
"""Assumption: disabled staff are more often in ill-health capability."""
DISCIPLINARY_BY_GROUP: Final[dict[str, float]] = {
    # Assumption: relative disciplinary rates by staff group.
    "Estates and Ancillary": 1.8,
    "Additional Clinical Services": 1.5,
    "Nursing and Midwifery Registered": 1.0,
    "Administrative and Clerical": 0.7,
    "Medical and Dental": 0.4,
    "Allied Health Professionals": 0.5,
    "Add Prof Scientific and Technic": 0.6,
    "Healthcare Scientists": 0.5,
    "Students": 0.5,
}

# --- Staff survey ------------------------------------------------------------------------------

SURVEY_RESPONSE_RATE: Final[float] = 0.45
"""Approximately, NHS Staff Survey national response rate (about 45-46% in 2023)."""
SURVEY_ITEM_NONRESPONSE: Final[float] = 0.02
"""Assumption: items left blank by a respondent."""

SURVEY_POSITIVE: Final[dict[str, tuple[float, float]]] = {
    # Probability of the indicator's 'positive' answer for (White, BME) respondents without
    # a long-term condition (respondents with one use SURVEY_DISABILITY below).
    # q14a harassment from patients/public (WRES 5) and q14b/q14c from managers/colleagues
    # (WRES 6): approximately, WRES 2023 report and the 2023 acute-trust medians computed
    # here from the NHS Staff Survey organisational results (24.5%, 10.2%, 18.5%).
    "q14a": (0.23, 0.26),
    "q14b": (0.08, 0.11),
    "q14c": (0.155, 0.19),
    # q15 equal opportunities for career progression (WRES 7): 2022 national, 58.7% White vs
    # 44.4% ethnic minority (NHS Staff Survey 2022 via the WRES 2023 report; METHODS.md),
    # among Yes/No answers.
    "q15": (0.6, 0.455),
    # q16b discrimination from manager/colleagues (WRES 8): approximately 6.5% White vs
    # ~16-17% BME (WRES 2023 report); overall median 9.1% in 2023 (computed here).
    "q16b": (0.055, 0.155),
    # WDES items (assumption shaped on WDES 2023 report levels).
    "q11e": (0.18, 0.2),
    "q4b": (0.46, 0.42),
}
SURVEY_DISABILITY: Final[dict[str, float]] = {
    # Approximately, WDES 2023 report: disabled respondents report more harassment
    # (e.g. from managers ~1.7x), less belief in equal opportunities, more pressure to work
    # when unwell and feel less valued. Multiplier of the positive probability.
    "q14a": 1.3,
    "q14b": 1.75,
    "q14c": 1.5,
    "q15": 0.87,
    "q16b": 1.8,
    "q11e": 1.45,
    "q4b": 0.75,
}
SURVEY_DONT_KNOW_Q15: Final[float] = 0.18
"""Assumption: share answering 'Don't know' to q15 (excluded from the indicator)."""
REASONABLE_ADJUSTMENT_YES: Final[float] = 0.73
"""Approximately, WDES 2023: ~73% of disabled respondents say adequate adjustments were made."""
REASONABLE_ADJUSTMENT_NA: Final[float] = 0.3
"""Assumption: share of respondents with a condition who needed no adjustment."""
SURVEY_FREQUENCY: Final[tuple[float, float, float, float]] = (0.58, 0.23, 0.08, 0.11)
"""Assumption: among those who experienced it, shares answering 1-2 / 3-5 / 6-10 / >10."""

# --- Community employment programmes ------------------------------------------------------------

PARTICIPANTS_PER_STAFF: Final[float] = 0.008
"""Assumption: participants over the two years to the snapshot, per member of staff."""
