"""Reference code lists of the data contract (NHS Data Dictionary, Agenda for Change, SMC).

Everything here is a fact from an official source, named in each docstring; the
normalisers in :mod:`ladder.normalise` map what real exports contain onto these codes.
"""

from __future__ import annotations

from typing import Final

# NHS Data Dictionary "Ethnic Category" (2001 census based), the coding used by ESR and WRES.
ETHNIC_CATEGORIES: Final[dict[str, str]] = {
    "A": "White - British",
    "B": "White - Irish",
    "C": "White - Any other White background",
    "D": "Mixed - White and Black Caribbean",
    "E": "Mixed - White and Black African",
    "F": "Mixed - White and Asian",
    "G": "Mixed - Any other mixed background",
    "H": "Asian or Asian British - Indian",
    "J": "Asian or Asian British - Pakistani",
    "K": "Asian or Asian British - Bangladeshi",
    "L": "Asian or Asian British - Any other Asian background",
    "M": "Black or Black British - Caribbean",
    "N": "Black or Black British - African",
    "P": "Black or Black British - Any other Black background",
    "R": "Other Ethnic Groups - Chinese",
    "S": "Other Ethnic Groups - Any other ethnic group",
    "Z": "Not stated",
}
"""Code → NHS Data Dictionary label. 'Not known' (99 or blank) is stored as null."""

WRES_GROUP: Final[dict[str, str]] = {
    **{c: "White" for c in "ABC"},
    **{c: "BME" for c in "DEFGHJKLMNPRS"},
    "Z": "Unknown",
}
"""WRES grouping of each ethnic category code; null (not known) is also Unknown."""

SEXES: Final[tuple[str, ...]] = ("female", "male", "other")
"""Canonical sex values; null means not known."""

# Agenda for Change bands, VSM and the medical and dental grades used by WRES indicator 1.
AFC_BANDS: Final[tuple[str, ...]] = (
    "Band 1",
    "Band 2",
    "Band 3",
    "Band 4",
    "Band 5",
    "Band 6",
    "Band 7",
    "Band 8a",
    "Band 8b",
    "Band 8c",
    "Band 8d",
    "Band 9",
)
MEDICAL_GRADES: Final[tuple[str, ...]] = (
    "Consultant",
    "Non-consultant career grade",
    "Trainee grade",
)
PAY_BANDS: Final[tuple[str, ...]] = (*AFC_BANDS, "VSM", *MEDICAL_GRADES, "Other")
"""Canonical pay bands in reporting order. 'Other' covers local and non-AfC pay."""

# ESR staff groups (NHS Occupation Code Manual / ESR), with the WRES cluster of each.
STAFF_GROUPS: Final[dict[str, str]] = {
    "Add Prof Scientific and Technic": "clinical",
    "Additional Clinical Services": "clinical",
    "Administrative and Clerical": "non-clinical",
    "Allied Health Professionals": "clinical",
    "Estates and Ancillary": "non-clinical",
    "Healthcare Scientists": "clinical",
    "Medical and Dental": "medical",
    "Nursing and Midwifery Registered": "clinical",
    "Students": "clinical",
}
"""ESR staff group → WRES cluster (non-clinical, clinical, medical)."""

# Social Mobility Commission: "What was the occupation of your main household earner
# when you were about aged 14?" (options 1-9) and the grouping used in practice.
SEB_PARENT_OCCUPATIONS: Final[dict[int, str]] = {
    1: "Modern professional & traditional professional occupations",
    2: "Senior, middle or junior managers or administrators",
    3: "Clerical and intermediate occupations",
    4: "Technical and craft occupations",
    5: "Routine, semi-routine manual and service occupations",
    6: "Long-term unemployed",
    7: "Small business owners who employed less than 25 people",
    8: "Other (retired, does not apply, don't know)",
    9: "I prefer not to say",
}
SEB_GROUP: Final[dict[int, str | None]] = {
    1: "professional",
    2: "professional",
    3: "intermediate",
    4: "lower",
    5: "lower",
    6: "lower",
    7: "intermediate",
    8: None,
    9: None,
}
"""Parental occupation option → SEB group; None is non-response (excluded from denominators)."""

SCHOOL_TYPES: Final[tuple[str, ...]] = (
    "state",
    "independent",
    "outside_uk",
    "dont_know",
    "prefer_not_to_say",
)
FREE_SCHOOL_MEALS: Final[tuple[str, ...]] = (
    "yes",
    "no",
    "not_applicable",
    "dont_know",
    "prefer_not_to_say",
)
PARENT_QUALIFICATIONS: Final[tuple[str, ...]] = (
    "degree",
    "below_degree",
    "no_formal",
    "dont_know",
    "prefer_not_to_say",
)
CASE_TYPES: Final[tuple[str, ...]] = ("disciplinary", "capability")
CAPABILITY_REASONS: Final[tuple[str, ...]] = ("performance", "ill_health")
AGE_BANDS: Final[tuple[str, ...]] = (
    "16-20",
    "21-25",
    "26-30",
    "31-35",
    "36-40",
    "41-45",
    "46-50",
    "51-55",
    "56-60",
    "61-65",
    "66-70",
    "71+",
)
"""ESR five-year age bands (ESR writes ``<=20 Years``, ``21-25``, ..., ``>=71 Years``)."""

AgeBand = tuple[str, int | None, int | None]
"""(canonical label, first age, last age); None is open-ended (``<=20``, ``71+``)."""

AGE_SCHEMES: Final[dict[str, tuple[AgeBand, ...]]] = {
    # ESR (Electronic Staff Record) age band report field: five-year bands on 1/6.
    "esr": (
        ("16-20", None, 20),
        *((f"{a}-{a + 4}", a, a + 4) for a in range(21, 70, 5)),
        ("71+", 71, None),
    ),
    # ONS / NHS Digital five-year bands on 0/5 ("Under 20" or "16-19", "20-24", ...).
    "ons5": (
        ("ons5:16-19", None, 19),
        *((f"ons5:{a}-{a + 4}", a, a + 4) for a in range(20, 61, 5)),
        ("ons5:65+", 65, None),
        ("ons5:65-69", 65, 69),
        ("ons5:70+", 70, None),
    ),
    # ONS labour-market / NHS Digital ten-year bands ("Under 25" or "16-24", "25-34", ...).
    "ons10": (
        ("ons10:16-24", None, 24),
        *((f"ons10:{a}-{a + 9}", a, a + 9) for a in range(25, 56, 10)),
        ("ons10:65+", 65, None),
    ),
}
"""Age banding schemes in real use, each band with its canonical label, in age order.

A canonical age band names its scheme: ESR bands are written as ESR numbers them (``21-25``;
ESR is Ladder's default scheme, used when bands are derived from a date of birth or an age),
every other scheme's bands carry the scheme before a colon (``ons5:20-24``, ``ons10:25-34``),
so no label belongs to two schemes. The first band of each scheme also holds anyone younger
(``<=20``, ``Under 20``, ``Under 25``).
"""

AGE_SCHEME_TITLES: Final[dict[str, str]] = {
    "esr": "ESR five-year bands (<=20, 21-25, ..., 66-70, >=71)",
    "ons5": "ONS / NHS Digital five-year bands (Under 20, 20-24, ..., 60-64, 65 and over)",
    "ons10": "ONS / NHS Digital ten-year bands (Under 25, 25-34, ..., 55-64, 65 and over)",
}

ALL_AGE_BANDS: Final[tuple[str, ...]] = tuple(
    band for bands in AGE_SCHEMES.values() for band, _, _ in bands
)
"""Every canonical age band of every scheme (scheme by scheme, in age order)."""


def age_scheme(band: str) -> str:
    """The scheme a canonical age band belongs to (``esr`` for an unprefixed band)."""
    scheme, sep, _ = band.partition(":")
    return scheme if sep else "esr"


def age_label(band: str) -> str:
    """A canonical age band as reports show it, without its scheme (``ons5:20-24`` → ``20-24``)."""
    return band.partition(":")[2] or band


RELIGIONS: Final[tuple[str, ...]] = (
    "atheism",
    "buddhism",
    "christianity",
    "hinduism",
    "islam",
    "jainism",
    "judaism",
    "sikhism",
    "other",
    "prefer_not_to_say",
)
SEXUAL_ORIENTATIONS: Final[tuple[str, ...]] = (
    "heterosexual",
    "gay_or_lesbian",
    "bisexual",
    "other",
    "prefer_not_to_say",
)

# Careers and job matching (docs/matching.md): the structured requirements of a vacancy and
# the kinds of entry route.
REGISTRATIONS: Final[dict[str, str]] = {
    "none": "no professional registration",
    "NMC": "Nursing and Midwifery Council",
    "HCPC": "Health and Care Professions Council",
    "GMC": "General Medical Council",
    "GDC": "General Dental Council",
    "GPhC": "General Pharmaceutical Council",
    "SWE": "Social Work England",
}
CONTRACT_TYPES: Final[tuple[str, ...]] = (
    "permanent",
    "fixed_term",
    "bank",
    "apprenticeship",
)
SHIFT_PATTERNS: Final[tuple[str, ...]] = (
    "days",
    "nights",
    "rotating",
    "weekends",
    "flexible",
)
ROUTE_TYPES: Final[dict[str, str]] = {
    "apprenticeship": "Apprenticeship",
    "pre_employment": "Pre-employment programme",
    "bank": "Bank work",
    "supported_internship": "Supported internship",
}
CONTRACTED_SERVICES: Final[tuple[str, ...]] = (
    "cleaning",
    "portering",
    "catering",
    "security",
    "other",
)
"""Services of regular third-party contracted staff on site (Living Wage accreditation)."""
