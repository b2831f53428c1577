"""Pay band spellings ("Band 8a", "8A", "Band 8 - Range A", "AfC Band 5") → one form."""

from __future__ import annotations

import re

from ladder.normalise.errors import InvalidValue
from ladder.normalise.text import key

_AFC = re.compile(
    r"^(?:(?:nhs|afc|agenda for change)\s+)*(?:pay\s+)?(?:band\s+)?"
    r"(\d)\s*(?:(?:range\s+)?([a-d]))?$"
)

_NAMED: dict[str, str] = {
    "vsm": "VSM",
    "very senior manager": "VSM",
    "very senior managers": "VSM",
    "executive": "VSM",
    "consultant": "Consultant",
    "consultants": "Consultant",
    "medical consultant": "Consultant",
    "medical and dental consultant": "Consultant",
    "non consultant career grade": "Non-consultant career grade",
    "non consultant career grades": "Non-consultant career grade",
    "career grade": "Non-consultant career grade",
    "career grades": "Non-consultant career grade",
    "sas": "Non-consultant career grade",
    "sas doctor": "Non-consultant career grade",
    "specialty doctor": "Non-consultant career grade",
    "associate specialist": "Non-consultant career grade",
    "specialist": "Non-consultant career grade",
    "staff grade": "Non-consultant career grade",
    "trainee": "Trainee grade",
    "trainee grade": "Trainee grade",
    "trainee grades": "Trainee grade",
    "medical trainee": "Trainee grade",
    "resident doctor": "Trainee grade",
    "junior doctor": "Trainee grade",
    "foundation year 1": "Trainee grade",
    "foundation year 2": "Trainee grade",
    "fy1": "Trainee grade",
    "fy2": "Trainee grade",
    "core trainee": "Trainee grade",
    "specialty registrar": "Trainee grade",
    "specialty trainee": "Trainee grade",
    "registrar": "Trainee grade",
    "other": "Other",
    "non afc": "Other",
    "local pay": "Other",
    "non agenda for change": "Other",
    "bank": "Other",
}


def normalise_pay_band(raw: str) -> str:
    """Return the canonical pay band ('Band 5', 'Band 8a', 'VSM', 'Consultant', 'Other', …)."""
    k = key(raw)
    k = re.sub(r"^(?:medical and dental|medical|m and d)\s+", "", k) if k not in _NAMED else k
    if k in _NAMED:
        return _NAMED[k]
    match = _AFC.match(k.replace("band8", "band 8"))
    if match is None:
        # "8A", "Band8a", "b5"
        compact = k.replace(" ", "")
        match2 = re.fullmatch(r"(?:afc)?(?:band|b)?(\d)([a-d])?", compact)
        if match2 is None:
            raise _invalid()
        number, letter = match2.group(1), match2.group(2)
    else:
        number, letter = match.group(1), match.group(2)
    band = int(number)
    if band == 8:
        if letter is None:
            raise InvalidValue(
                "Band 8 needs its range",
                "write Band 8a, 8b, 8c or 8d",
            )
        return f"Band 8{letter}"
    if letter is not None or not 1 <= band <= 9:
        raise _invalid()
    return f"Band {band}"


def _invalid() -> InvalidValue:
    return InvalidValue(
        "not a recognised pay band",
        "use an Agenda for Change band (Band 1-9, 8a-8d), VSM, Consultant, "
        "Non-consultant career grade, Trainee grade or Other",
    )
