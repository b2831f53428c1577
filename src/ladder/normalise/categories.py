"""Categorical columns: each allowed value with the spellings real exports use for it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ladder import codes
from ladder.normalise import agebands
from ladder.normalise.errors import InvalidValue
from ladder.normalise.text import key

Normaliser = Callable[[str], object]


def choice(
    synonyms: Mapping[str, str | None], hint: str, *, what: str
) -> Callable[[str], str | None]:
    """Build a normaliser from canonical value → value; keys are compared with :func:`key`."""
    table = {key(k): v for k, v in synonyms.items()}

    def normalise(raw: str) -> str | None:
        k = key(raw)
        if k in table:
            return table[k]
        raise InvalidValue(f"not a recognised {what}", hint)

    normalise.__name__ = f"normalise_{what.replace(' ', '_')}"
    return normalise


normalise_sex = choice(
    {
        "f": "female",
        "female": "female",
        "woman": "female",
        "women": "female",
        "m": "male",
        "male": "male",
        "man": "male",
        "men": "male",
        "x": "other",
        "other": "other",
        "non binary": "other",
        "i": "other",
        "indeterminate": "other",
        "u": None,
        "unknown": None,
        "not known": None,
        "not stated": None,
        "prefer not to say": None,
    },
    "write Female or Male (F/M); Other, or blank when not known",
    what="sex",
)

_DISABILITY: dict[str, str | None] = {
    "y": "yes",
    "yes": "yes",
    "disabled": "yes",
    "1": "yes",
    "true": "yes",
    "n": "no",
    "no": "no",
    "not disabled": "no",
    "non disabled": "no",
    "0": "no",
    "false": "no",
    "not declared": None,
    "prefer not to say": None,
    "i do not wish to disclose": None,
    "unspecified": None,
    "unknown": None,
    "not known": None,
    "not stated": None,
}
_normalise_disability = choice(
    _DISABILITY,
    "write Yes or No; Not Declared or blank when the person did not say",
    what="disability flag",
)


def normalise_disability(raw: str) -> bool | None:
    """Disability: True (disabled), False (not disabled) or None (not declared)."""
    value = _normalise_disability(raw)
    return None if value is None else value == "yes"


normalise_staff_group = choice(
    {
        **{name: name for name in codes.STAFF_GROUPS},
        "additional professional scientific and technical": "Add Prof Scientific and Technic",
        "add prof scientific and technical": "Add Prof Scientific and Technic",
        "admin and clerical": "Administrative and Clerical",
        "admin": "Administrative and Clerical",
        "ahp": "Allied Health Professionals",
        "allied health professional": "Allied Health Professionals",
        "estates": "Estates and Ancillary",
        "healthcare scientist": "Healthcare Scientists",
        "medical": "Medical and Dental",
        "medical and dental staff": "Medical and Dental",
        "nursing and midwifery": "Nursing and Midwifery Registered",
        "nursing and midwifery registered staff": "Nursing and Midwifery Registered",
        "registered nurses and midwives": "Nursing and Midwifery Registered",
        "student": "Students",
    },
    "use an ESR staff group such as 'Nursing and Midwifery Registered' "
    "or 'Administrative and Clerical'",
    what="staff group",
)

normalise_case_type = choice(
    {
        "disciplinary": "disciplinary",
        "formal disciplinary": "disciplinary",
        "conduct": "disciplinary",
        "capability": "capability",
        "formal capability": "capability",
    },
    "write disciplinary or capability",
    what="case type",
)

normalise_capability_reason = choice(
    {
        "performance": "performance",
        "poor performance": "performance",
        "ill health": "ill_health",
        "ill_health": "ill_health",
        "sickness": "ill_health",
        "health": "ill_health",
    },
    "write performance or ill health",
    what="capability reason",
)

_SEB_LABELS: dict[str, int] = {key(label): n for n, label in codes.SEB_PARENT_OCCUPATIONS.items()}
_SEB_LABELS.update(
    {
        "professional": 1,
        "modern professional": 1,
        "traditional professional": 1,
        "senior middle or junior managers or administrators": 2,
        "manager": 2,
        "clerical and intermediate": 3,
        "intermediate": 3,
        "technical and craft": 4,
        "routine semi routine manual and service": 5,
        "routine": 5,
        "long term unemployed": 6,
        "small business owner": 7,
        "small business owners": 7,
        "other": 8,
        "retired": 8,
        "this question does not apply to me": 8,
        "i don t know": 8,
        "dont know": 8,
        "don t know": 8,
        "prefer not to say": 9,
    }
)


def normalise_seb_parent_occupation(raw: str) -> int:
    """SMC parental occupation answer as its option number 1-9 (number or label)."""
    k = key(raw)
    if re.fullmatch(r"[1-9](?: 0)?", k):
        return int(k[0])
    if k in _SEB_LABELS:
        return _SEB_LABELS[k]
    raise InvalidValue(
        "not an answer to the parental occupation question",
        "write the option number 1-9 of the Social Mobility Commission question",
    )


_DONT = {
    "dont know": "dont_know",
    "don t know": "dont_know",
    "do not know": "dont_know",
    "i don t know": "dont_know",
    "prefer not to say": "prefer_not_to_say",
}

normalise_school_type = choice(
    {
        "state": "state",
        "state run or state funded school": "state",
        "state school": "state",
        "independent": "independent",
        "independent or fee paying school": "independent",
        "fee paying": "independent",
        "independent or fee paying school bursary": "independent",
        "outside uk": "outside_uk",
        "outside_uk": "outside_uk",
        "attended school outside the uk": "outside_uk",
        **_DONT,
    },
    "write state, independent, outside_uk, dont_know or prefer_not_to_say",
    what="school type",
)

normalise_free_school_meals = choice(
    {
        "yes": "yes",
        "y": "yes",
        "no": "no",
        "n": "no",
        "not applicable": "not_applicable",
        "not_applicable": "not_applicable",
        "n a": "not_applicable",
        **_DONT,
    },
    "write yes, no, not_applicable, dont_know or prefer_not_to_say",
    what="free school meals answer",
)

normalise_parent_qualification = choice(
    {
        "degree": "degree",
        "degree or above": "degree",
        "degree level or above": "degree",
        "below degree": "below_degree",
        "below_degree": "below_degree",
        "qualifications below degree level": "below_degree",
        "no formal": "no_formal",
        "no_formal": "no_formal",
        "no formal qualifications": "no_formal",
        **_DONT,
    },
    "write degree, below_degree, no_formal, dont_know or prefer_not_to_say",
    what="parental qualification",
)

normalise_religion = choice(
    {
        **{r: r for r in codes.RELIGIONS},
        "atheist": "atheism",
        "no religion": "atheism",
        "none": "atheism",
        "christian": "christianity",
        "buddhist": "buddhism",
        "hindu": "hinduism",
        "muslim": "islam",
        "jain": "jainism",
        "jewish": "judaism",
        "sikh": "sikhism",
        "other religion": "other",
        "i do not wish to disclose my religion belief": "prefer_not_to_say",
        "not declared": "prefer_not_to_say",
        "unspecified": None,
    },
    "use an ESR religion value such as Christianity, Islam or Atheism",
    what="religion",
)

normalise_sexual_orientation = choice(
    {
        **{s: s for s in codes.SEXUAL_ORIENTATIONS},
        "heterosexual or straight": "heterosexual",
        "straight": "heterosexual",
        "gay": "gay_or_lesbian",
        "lesbian": "gay_or_lesbian",
        "gay or lesbian": "gay_or_lesbian",
        "gay man": "gay_or_lesbian",
        "gay woman lesbian": "gay_or_lesbian",
        "bisexual": "bisexual",
        "other sexual orientation": "other",
        "i do not wish to disclose my sexual orientation": "prefer_not_to_say",
        "not declared": "prefer_not_to_say",
        "unspecified": None,
    },
    "write heterosexual, gay_or_lesbian, bisexual, other or prefer_not_to_say",
    what="sexual orientation",
)


def normalise_age_band(raw: str) -> str:
    """Age band of any scheme in real use, or an age in years (see :mod:`.agebands`)."""
    return agebands.normalise_age_band(raw)


_POSITIVE = {
    "yes",
    "y",
    "agree",
    "strongly agree",
    "1 2",
    "3 5",
    "6 10",
    "more than 10",
    "1 to 2",
    "3 to 5",
    "6 to 10",
    "once",
    "more than once",
    "true",
    "1",
    "yes always",
    "yes often",
    "yes sometimes",
    "often",
    "always",
    "sometimes",
}
_NEGATIVE = {
    "no",
    "n",
    "never",
    "disagree",
    "strongly disagree",
    "neither agree nor disagree",
    "false",
    "0",
    "rarely",
}
_NO_ANSWER = {"don t know", "dont know", "not applicable", "n a", "prefer not to say", ""}


def normalise_survey_answer(raw: str) -> bool | None:
    """A staff-survey answer as 'positive for the indicator' (experienced it / agrees).

    Frequencies other than 'Never' count as having experienced something; agree and
    strongly agree count as agreeing; don't know and not applicable are null (excluded).
    """
    k = key(raw)
    if k in _POSITIVE:
        return True
    if k in _NEGATIVE:
        return False
    if k in _NO_ANSWER:
        return None
    raise InvalidValue(
        "not a recognised survey answer",
        "write Yes/No, a frequency (Never, 1-2, 3-5, 6-10, More than 10) or an agreement "
        "(Strongly agree ... Strongly disagree)",
    )


normalise_ethnic_group = choice(
    {
        "white": "White",
        "bme": "BME",
        "bame": "BME",
        "ethnic minority": "BME",
        "black and minority ethnic": "BME",
        "black asian and minority ethnic": "BME",
        "unknown": "Unknown",
        "not stated": "Unknown",
    },
    "write White, BME or Unknown",
    what="ethnic group",
)

normalise_registration = choice(
    {
        **{code.lower(): code for code in codes.REGISTRATIONS},
        "no": "none",
        "not required": "none",
        "n/a": "none",
        "nursing and midwifery council": "NMC",
        "health and care professions council": "HCPC",
        "general medical council": "GMC",
        "general dental council": "GDC",
        "general pharmaceutical council": "GPhC",
        "social work england": "SWE",
    },
    "write none, NMC, HCPC, GMC, GDC, GPhC or SWE",
    what="professional registration",
)

normalise_contract_type = choice(
    {
        "permanent": "permanent",
        "fixed term": "fixed_term",
        "fixed_term": "fixed_term",
        "fixed-term": "fixed_term",
        "temporary": "fixed_term",
        "secondment": "fixed_term",
        "bank": "bank",
        "apprenticeship": "apprenticeship",
        "training": "apprenticeship",
    },
    "write permanent, fixed term, bank or apprenticeship",
    what="contract type",
)

normalise_shift_pattern = choice(
    {
        "days": "days",
        "day": "days",
        "office hours": "days",
        "nights": "nights",
        "night": "nights",
        "rotating": "rotating",
        "rotational": "rotating",
        "shifts": "rotating",
        "days and nights": "rotating",
        "weekends": "weekends",
        "weekend": "weekends",
        "flexible": "flexible",
    },
    "write days, nights, rotating, weekends or flexible",
    what="shift pattern",
)

normalise_route_type = choice(
    {
        "apprenticeship": "apprenticeship",
        "apprentice": "apprenticeship",
        "pre employment": "pre_employment",
        "pre_employment": "pre_employment",
        "pre-employment programme": "pre_employment",
        "pre employment programme": "pre_employment",
        "sector based work academy": "pre_employment",
        "bank": "bank",
        "bank work": "bank",
        "supported internship": "supported_internship",
        "supported_internship": "supported_internship",
        "project search": "supported_internship",
    },
    "write apprenticeship, pre-employment, bank or supported internship",
    what="route type",
)

normalise_contracted_service = choice(
    {
        **{name: name for name in codes.CONTRACTED_SERVICES},
        "cleaner": "cleaning",
        "cleaners": "cleaning",
        "domestic": "cleaning",
        "domestics": "cleaning",
        "domestic services": "cleaning",
        "porter": "portering",
        "porters": "portering",
        "portering services": "portering",
        "catering services": "catering",
        "caterer": "catering",
        "catering assistant": "catering",
        "hotel services": "catering",
        "security guard": "security",
        "security services": "security",
    },
    "write cleaning, portering, catering, security or other",
    what="contracted service",
)
