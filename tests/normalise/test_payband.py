"""Pay band spellings → one canonical form."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.codes import AFC_BANDS, PAY_BANDS
from ladder.normalise.errors import InvalidValue
from ladder.normalise.payband import normalise_pay_band


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        ("Band 8a", "Band 8a"),
        ("8A", "Band 8a"),
        ("8a", "Band 8a"),
        ("Band 8 - Range A", "Band 8a"),
        ("Band 8 Range C", "Band 8c"),
        ("AfC Band 5", "Band 5"),
        ("Band 5", "Band 5"),
        ("band5", "Band 5"),
        ("5", "Band 5"),
        ("NHS Band 9", "Band 9"),
        ("Agenda for Change Band 3", "Band 3"),
        ("Band 8D", "Band 8d"),
        ("VSM", "VSM"),
        ("Very Senior Manager", "VSM"),
        ("Consultant", "Consultant"),
        ("Medical - Consultant", "Consultant"),
        ("Specialty Doctor", "Non-consultant career grade"),
        ("Foundation Year 1", "Trainee grade"),
        ("Trainee grade", "Trainee grade"),
        ("Non-AfC", "Other"),
    ],
)
def test_spellings(raw: str, band: str) -> None:
    assert normalise_pay_band(raw) == band


@pytest.mark.parametrize("raw", ["Band 8", "Band 10", "Band 0", "5e", "Band 6b", "Grade Z", "!"])
def test_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_pay_band(raw)


def test_band_8_without_range_says_which_ranges() -> None:
    with pytest.raises(InvalidValue) as info:
        normalise_pay_band("Band 8")
    assert "8a" in info.value.hint


@given(
    st.sampled_from(AFC_BANDS),
    st.sampled_from(["{}", "Band {}", "AfC Band {}", "band {}", "BAND {}", " {} "]),
    st.booleans(),
)
def test_every_band_in_many_spellings(band: str, template: str, upper: bool) -> None:
    number = band.removeprefix("Band ")
    raw = template.format(number.upper() if upper else number)
    assert normalise_pay_band(raw) == band


@given(st.sampled_from("abcd"))
def test_range_spelling(letter: str) -> None:
    assert normalise_pay_band(f"Band 8 - Range {letter.upper()}") == f"Band 8{letter}"


@given(st.text(max_size=30))
def test_result_is_always_canonical(raw: str) -> None:
    with contextlib.suppress(InvalidValue):
        assert normalise_pay_band(raw) in PAY_BANDS
