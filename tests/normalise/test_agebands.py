"""Age bands of every scheme in real use, as exports spell them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder import codes
from ladder.normalise.agebands import band_of_age, normalise_age_band
from ladder.normalise.errors import InvalidValue


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        ("<=20 Years", "16-20"),
        ("<= 20", "16-20"),
        ("21-25", "21-25"),
        ("21 - 25 years", "21-25"),
        ("66–70", "66-70"),
        (">=71 Years", "71+"),
        ("71 and over", "71+"),
        ("Over 70", "71+"),
        ("Under 20", "ons5:16-19"),
        ("16-19", "ons5:16-19"),
        ("20 to 24", "ons5:20-24"),
        ("35-39", "ons5:35-39"),
        ("65 and over", "ons5:65+"),
        ("65-69", "ons5:65-69"),
        ("70+", "ons5:70+"),
        ("Under 25", "ons10:16-24"),
        ("16-24", "ons10:16-24"),
        ("25-34", "ons10:25-34"),
        ("55-64", "ons10:55-64"),
        ("ons10:65+", "ons10:65+"),
        ("45", "41-45"),
    ],
)
def test_spellings(raw: str, band: str) -> None:
    assert normalise_age_band(raw) == band


@pytest.mark.parametrize("raw", ["adult", "20-30", "10", "Under 40", "ons9:20-24"])
def test_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_age_band(raw)


def test_no_label_belongs_to_two_schemes() -> None:
    assert len(set(codes.ALL_AGE_BANDS)) == len(codes.ALL_AGE_BANDS)
    assert {codes.age_scheme(b) for b in codes.ALL_AGE_BANDS} == set(codes.AGE_SCHEMES)


@given(st.sampled_from(codes.ALL_AGE_BANDS))
def test_canonical_bands_read_as_themselves(band: str) -> None:
    assert normalise_age_band(band) == band


@given(st.integers(16, 100), st.sampled_from(list(codes.AGE_SCHEMES)))
def test_every_working_age_has_one_band_per_scheme(age: int, scheme: str) -> None:
    band = band_of_age(age, scheme)
    low, high = next((lo, hi) for b, lo, hi in codes.AGE_SCHEMES[scheme] if b == band)
    assert (low is None or low <= age) and (high is None or age <= high)
