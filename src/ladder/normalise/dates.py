"""Dates as ISO, UK dd/mm/yyyy, ESR dd-MMM-yyyy or Excel serial numbers → ``datetime.date``."""

from __future__ import annotations

import datetime as dt
import re

from ladder.normalise.errors import InvalidValue

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system (with its 1900 leap-year bug)
_EARLIEST = dt.date(1900, 1, 1)
_LATEST = dt.date(2100, 12, 31)

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_ISO_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_UK_MONTH = re.compile(r"^(\d{1,2})[\s-]([A-Za-z]{3,9})[\s-](\d{2}|\d{4})$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")
# Dates typed as words ("Sunday 31st March, 2024", "March 31, 2024"): read as "31 March 2024".
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3,9})\s+(\d{1,2})\s+(\d{4})$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_HINT = "write dates as YYYY-MM-DD or DD/MM/YYYY (UK order)"


def _make(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise InvalidValue(
            "not a real calendar date", "check the day and month", code="impossible_date"
        ) from None
    if not _EARLIEST <= value <= _LATEST:
        raise InvalidValue("date is outside 1900-2100", "check the year", code="impossible_date")
    return value


def normalise_date(raw: str) -> dt.date:
    """Parse one date. Day-first is assumed for slashed dates (UK exports); two-digit years
    are refused because they are ambiguous."""
    text = raw.strip()
    if any(ch.isalpha() for ch in text) and not _ISO.match(text):
        text = _words(text)
    if m := _ISO.match(text):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _ISO_SLASH.match(text):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _UK.match(text):
        if len(m.group(3)) == 2:
            raise InvalidValue("two-digit year is ambiguous", "write the year in full, e.g. 2024")
        return _make(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    if m := _UK_MONTH.match(text):
        month = _MONTHS.get(m.group(2).lower())
        if month is None:
            raise InvalidValue("unknown month name", _HINT)
        if len(m.group(3)) == 2:
            raise InvalidValue("two-digit year is ambiguous", "write the year in full, e.g. 2024")
        return _make(int(m.group(3)), month, int(m.group(1)), text)
    if _SERIAL.match(text):
        serial = float(text)
        if serial < 1 or serial > 73415:  # 73415 = 2100-12-31
            raise InvalidValue(
                "number is not an Excel date serial in 1900-2100", _HINT, code="impossible_date"
            )
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    raise InvalidValue("not a date", _HINT)


def _words(text: str) -> str:
    """'Sunday 31st March, 2024' and 'March 31, 2024' → '31 March 2024' (else unchanged)."""
    plain = _ORDINAL.sub(r"\1", _WEEKDAY.sub("", text)).replace(",", " ")
    plain = " ".join(plain.split())
    if m := _MONTH_FIRST.match(plain):
        return f"{m.group(2)} {m.group(1)} {m.group(3)}"
    return plain
