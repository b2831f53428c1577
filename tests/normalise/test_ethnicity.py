"""Ethnic category codes and labels → NHS Data Dictionary codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.codes import ETHNIC_CATEGORIES
from ladder.normalise.errors import InvalidValue
from ladder.normalise.ethnicity import normalise_ethnic_category


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("A", "A"),
        ("a", "A"),
        (" N ", "N"),
        ("White - British", "A"),
        ("White – British", "A"),
        ("WHITE BRITISH", "A"),
        ("Asian or Asian British - Indian", "H"),
        ("Asian or Asian British - Indian - Punjabi", "H"),
        ("Black or Black British - African", "N"),
        ("Mixed - White & Black Caribbean", "D"),
        ("Mixed - White and Asian", "F"),
        ("Other Ethnic Groups - Chinese", "R"),
        ("Chinese", "R"),
        ("Any other ethnic group", "S"),
        ("Not Stated", "Z"),
        ("Z", "Z"),
        ("C3", "C"),  # ESR national sub-code: White - Any other White background sub-group
        ("LH", "L"),
        ("A White - British", "A"),
        ("White - Any other White background - Polish", "C"),
    ],
)
def test_codes_and_labels(raw: str, code: str) -> None:
    assert normalise_ethnic_category(raw) == code


@pytest.mark.parametrize("raw", ["99", "Unknown", "Unspecified", "not known", ""])
def test_not_known_is_none(raw: str) -> None:
    assert normalise_ethnic_category(raw) is None


@pytest.mark.parametrize("raw", ["Q", "I", "O", "Martian", "White - Purple", "123", "ZZZ"])
def test_unknown_values_are_refused_with_hint(raw: str) -> None:
    with pytest.raises(InvalidValue) as info:
        normalise_ethnic_category(raw)
    assert "A-S" in info.value.hint


@given(st.sampled_from(sorted(ETHNIC_CATEGORIES)), st.sampled_from(["", " ", "  "]))
def test_every_code_and_its_label_round_trip(code: str, pad: str) -> None:
    assert normalise_ethnic_category(pad + code + pad) == code
    assert normalise_ethnic_category(pad + ETHNIC_CATEGORIES[code].upper() + pad) == code
    assert normalise_ethnic_category(ETHNIC_CATEGORIES[code].lower()) == code


@given(st.text(max_size=40))
def test_any_text_gives_a_code_none_or_invalid_value(raw: str) -> None:
    try:
        result = normalise_ethnic_category(raw)
    except InvalidValue:
        return
    assert result is None or result in ETHNIC_CATEGORIES
