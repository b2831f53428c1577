"""Booleans, numbers, identifiers, postcodes and the categorical columns."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.normalise.booleans import normalise_bool
from ladder.normalise.categories import (
    normalise_age_band,
    normalise_disability,
    normalise_seb_parent_occupation,
    normalise_sex,
    normalise_staff_group,
    normalise_survey_answer,
)
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_org_code, normalise_postcode
from ladder.normalise.numbers import normalise_integer, normalise_number


@pytest.mark.parametrize("raw", ["Y", "y", "Yes", "YES", "1", "TRUE", "true", "T", " yes "])
def test_true(raw: str) -> None:
    assert normalise_bool(raw) is True


@pytest.mark.parametrize("raw", ["N", "n", "No", "0", "FALSE", "false", "F"])
def test_false(raw: str) -> None:
    assert normalise_bool(raw) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yess", "-"])
def test_not_boolean(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_bool(raw)


@given(st.booleans(), st.sampled_from([("Y", "N"), ("Yes", "No"), ("1", "0"), ("TRUE", "FALSE")]))
def test_bool_spellings(value: bool, pair: tuple[str, str]) -> None:
    text = pair[0] if value else pair[1]
    assert normalise_bool(text) is value
    assert normalise_bool(text.lower()) is value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12.5", 12.5),
        ("£1,234.50", 1234.5),
        (" 7 ", 7.0),
        ("-3", -3.0),
        ("(2.00)", -2.0),
        ("1e3", 1000.0),
    ],
)
def test_numbers(raw: str, value: float) -> None:
    assert normalise_number(raw) == value


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "nan", "inf", "12 pounds", ""])
def test_not_numbers(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_number(raw)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_number_round_trip(value: float) -> None:
    assert math.isclose(normalise_number(repr(value)), value)
    assert math.isclose(normalise_number(f"{value:,.2f}"), round(value, 2), abs_tol=0.006)


@given(st.integers(min_value=0, max_value=10**9))
def test_integer_round_trip(value: int) -> None:
    assert normalise_integer(str(value)) == value
    assert normalise_integer(f"{value:,}") == value
    assert normalise_integer(f"{value}.0") == value


def test_integer_refuses_fraction() -> None:
    with pytest.raises(InvalidValue):
        normalise_integer("2024.5")


@pytest.mark.parametrize(
    ("raw", "pcds"),
    [
        ("e1 1bb", "E1 1BB"),
        ("E11BB", "E1 1BB"),
        (" ls9  7tf ", "LS9 7TF"),
        ("SW1A1AA", "SW1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
    ],
)
def test_postcodes(raw: str, pcds: str) -> None:
    assert normalise_postcode(raw) == pcds


@pytest.mark.parametrize("raw", ["E1", "12345", "LS9 7T", "ABCDE FGH", "E1 1BBB"])
def test_bad_postcodes(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_postcode(raw)


POSTCODES = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\Z")


@given(POSTCODES, st.sampled_from(["", " "]), st.booleans())
def test_postcode_normal_form_is_idempotent(pcds: str, pad: str, lower: bool) -> None:
    messy = (pcds.replace(" ", "") if pad else pcds).lower() if lower else pcds
    assert normalise_postcode(pad + messy + pad) == pcds
    assert normalise_postcode(normalise_postcode(messy)) == pcds


def test_org_codes() -> None:
    assert normalise_org_code(" r1h ") == "R1H"
    with pytest.raises(InvalidValue):
        normalise_org_code("Barts Health")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("F", "female"), ("Male", "male"), ("M", "male"), ("Unknown", None), ("X", "other")],
)
def test_sex(raw: str, value: str | None) -> None:
    assert normalise_sex(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Yes", True),
        ("Y", True),
        ("No", False),
        ("Not Declared", None),
        ("Prefer not to say", None),
    ],
)
def test_disability(raw: str, value: bool | None) -> None:
    assert normalise_disability(raw) is value


def test_staff_group_aliases() -> None:
    assert normalise_staff_group("Nursing & Midwifery Registered") == (
        "Nursing and Midwifery Registered"
    )
    assert normalise_staff_group("Admin and Clerical") == "Administrative and Clerical"


@pytest.mark.parametrize(
    ("raw", "band"),
    [("16 - 20", "16-20"), ("21-25", "21-25"), ("71 and over", "71+"), ("<=20", "16-20")],
)
def test_age_bands(raw: str, band: str) -> None:
    assert normalise_age_band(raw) == band


@pytest.mark.parametrize(
    ("raw", "option"),
    [
        ("1", 1),
        ("5", 5),
        ("9", 9),
        ("Modern professional & traditional professional occupations", 1),
        ("Long-term unemployed", 6),
        ("Prefer not to say", 9),
        ("Technical and craft occupations", 4),
    ],
)
def test_seb_parent_occupation(raw: str, option: int) -> None:
    assert normalise_seb_parent_occupation(raw) == option


@pytest.mark.parametrize(
    ("raw", "positive"),
    [
        ("Never", False),
        ("1-2", True),
        ("More than 10", True),
        ("Yes", True),
        ("No", False),
        ("Strongly agree", True),
        ("Neither agree nor disagree", False),
        ("Don't know", None),
    ],
)
def test_survey_answers(raw: str, positive: bool | None) -> None:
    assert normalise_survey_answer(raw) is positive
