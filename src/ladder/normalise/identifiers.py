"""Identifiers: ODS organisation codes, pseudonymous IDs, postcodes and LSOA codes."""

from __future__ import annotations

import re

from ladder.normalise.errors import InvalidValue

_ODS = re.compile(r"^[A-Z0-9]{3,5}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_LSOA = re.compile(r"^[EW]01\d{6}$")


def normalise_org_code(raw: str) -> str:
    """ODS organisation code: 3 to 5 letters or digits, upper case (e.g. R1H, RR8)."""
    text = raw.strip().upper()
    if not _ODS.match(text):
        raise InvalidValue(
            "not an ODS organisation code",
            "use the trust's 3-5 character ODS code, e.g. R1H",
        )
    return text


def normalise_identifier(raw: str) -> str:
    """A pseudonymous ID: kept as text (leading zeros matter), surrounding spaces removed."""
    text = raw.strip()
    if len(text) > 64:
        raise InvalidValue("identifier is longer than 64 characters", "check the column")
    return text


def normalise_postcode(raw: str) -> str:
    """UK postcode in the ONS 'pcds' form: upper case, one space before the inward code."""
    text = "".join(raw.split()).upper()
    match = _POSTCODE.match(text)
    if match is None:
        raise InvalidValue("not a UK postcode", "write a full postcode such as E1 1BB")
    return f"{match.group(1)} {match.group(2)}"


def normalise_lsoa(raw: str) -> str:
    """LSOA code (England E01…, Wales W01…)."""
    text = raw.strip().upper()
    if not _LSOA.match(text):
        raise InvalidValue("not an LSOA code", "LSOA codes look like E01000001")
    return text
