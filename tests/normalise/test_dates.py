"""Dates: ISO, UK day-first, ESR dd-Mon-yyyy and Excel serial numbers."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.normalise.dates import normalise_date
from ladder.normalise.errors import InvalidValue

DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-31", dt.date(2024, 3, 31)),
        ("2024-03-31 00:00:00", dt.date(2024, 3, 31)),
        ("2024-03-31T12:30:00Z", dt.date(2024, 3, 31)),
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("01/02/2024", dt.date(2024, 2, 1)),  # UK order: 1 February
        ("1/2/2024", dt.date(2024, 2, 1)),
        ("31-03-2024", dt.date(2024, 3, 31)),
        ("31.03.2024", dt.date(2024, 3, 31)),
        ("31-Mar-2024", dt.date(2024, 3, 31)),
        ("31 March 2024", dt.date(2024, 3, 31)),
        ("45382", dt.date(2024, 3, 31)),  # Excel serial
        ("45382.0", dt.date(2024, 3, 31)),
        ("45382.75", dt.date(2024, 3, 31)),  # a serial with a time of day
        ("2024/03/31", dt.date(2024, 3, 31)),
    ],
)
def test_formats(raw: str, expected: dt.date) -> None:
    assert normalise_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("31/02/2024", "impossible_date"),
        ("2023-02-29", "impossible_date"),
        ("00/01/2024", "impossible_date"),
        ("1850-01-01", "impossible_date"),
        ("99999", "impossible_date"),
        ("31/03/24", "invalid_value"),  # two-digit year refused
        ("tomorrow", "invalid_value"),
        ("31-Foo-2024", "invalid_value"),
    ],
)
def test_refused_with_code(raw: str, code: str) -> None:
    with pytest.raises(InvalidValue) as info:
        normalise_date(raw)
    assert info.value.code == code


@given(DATES)
def test_iso_uk_and_serial_agree(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    assert normalise_date(day.isoformat()) == day
    assert normalise_date(day.strftime("%d/%m/%Y")) == day
    assert normalise_date(day.strftime("%d-%b-%Y")) == day
    assert normalise_date(str(serial)) == day


@given(st.text(max_size=25))
def test_any_text_gives_a_date_or_invalid_value(raw: str) -> None:
    with contextlib.suppress(InvalidValue):
        assert isinstance(normalise_date(raw), dt.date)


@pytest.mark.parametrize(
    "raw",
    [
        "Sunday 31st March, 2024",
        "Sun 31 Mar 2024",
        "March 31, 2024",
        "31st March 2024",
        "31 March, 2024",
        "2024-03-31 00:00:00",
    ],
)
def test_dates_typed_as_words(raw: str) -> None:
    """Dates stored as text in workbooks, as people type them."""
    assert normalise_date(raw) == dt.date(2024, 3, 31)


@given(DATES)
def test_written_out_dates_agree(day: dt.date) -> None:
    assert normalise_date(day.strftime("%A %d %B %Y")) == day
    assert normalise_date(day.strftime("%B %d, %Y")) == day
