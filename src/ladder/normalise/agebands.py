"""Age bands as real exports write them, mapped onto the band of the scheme that was given.

ESR writes ``<=20 Years``, ``21-25``, ..., ``66-70``, ``>=71 Years``; NHS Digital and the
ONS write ``Under 20``, ``16-19``, ``20-24``, ..., ``65 and over`` (five-year) or ``Under
25``, ``25-34``, ..., ``65 and over`` (ten-year). A band is read as its first and last age
and matched against :data:`ladder.codes.AGE_SCHEMES`; the canonical value keeps
the scheme (see that table). A plain number is an age in years and gets its ESR band.
"""

from __future__ import annotations

import re

from ladder import codes
from ladder.normalise.errors import InvalidValue

_HINT = (
    "use ESR bands (<=20, 21-25, ..., 66-70, >=71), ONS five-year bands (Under 20, 20-24, "
    "..., 65 and over) or ten-year bands (Under 25, 25-34, ..., 65 and over), an age in "
    "years, or give date_of_birth"
)

_BY_BOUNDS: dict[tuple[int | None, int | None], list[str]] = {}
for _bands in codes.AGE_SCHEMES.values():
    for _label, _low, _high in _bands:
        _BY_BOUNDS.setdefault((_low, _high), []).append(_label)

_CANONICAL = frozenset(codes.ALL_AGE_BANDS)
_NOISE = re.compile(r"\b(?:years?|yrs?|year olds?|aged?)\b|\.")
_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|to)\s*(\d{1,3})$")
_UP_TO = re.compile(r"^(?:<=|=<|≤|up to)\s*(\d{1,3})$|^(\d{1,3})\s*(?:and|or)\s*(?:under|below)$")
_UNDER = re.compile(r"^(?:<|under|less than|below)\s*(\d{1,3})$")
_AND_OVER = re.compile(
    r"^(?:>=|=>|≥)\s*(\d{1,3})$|^(\d{1,3})\s*(?:\+|plus|and over|or over|and above|or older)$"
)
_OVER = re.compile(r"^(?:>|over|more than|older than)\s*(\d{1,3})$")
_AGE = re.compile(r"^\d{1,3}$")


def bounds(raw: str) -> tuple[int | None, int | None] | None:
    """(first age, last age) of a band as written; None for either open end; None if unread."""
    text = raw.strip().lower().replace("–", "-").replace("—", "-")
    text = " ".join(_NOISE.sub(" ", text).split())
    if (m := _RANGE.match(text)) is not None:
        return int(m.group(1)), int(m.group(2))
    if (m := _UP_TO.match(text)) is not None:
        return None, int(m.group(1) or m.group(2))
    if (m := _UNDER.match(text)) is not None:
        return None, int(m.group(1)) - 1
    if (m := _AND_OVER.match(text)) is not None:
        return int(m.group(1) or m.group(2)), None
    if (m := _OVER.match(text)) is not None:
        return int(m.group(1)) + 1, None
    return None


def band_of_age(age: int, scheme: str = "esr", used: frozenset[str] = frozenset()) -> str:
    """The band of ``scheme`` holding someone aged ``age``.

    Where two bands of the scheme hold the age (``65-69`` and ``65+``), one in ``used`` (the
    bands a file already has) wins, else the closed one.
    """
    holding = [
        label
        for label, low, high in codes.AGE_SCHEMES[scheme]
        if (low is None or age >= low) and (high is None or age <= high)
    ]
    if not holding:
        raise InvalidValue(f"age {age} is in no {scheme} band", _HINT)
    in_use = [label for label in holding if label in used]
    closed = [label for label in holding if not label.endswith("+")]
    return (in_use or closed or holding)[0]


def alternatives(band: str) -> tuple[str, ...]:
    """Every canonical band (of any scheme) with the same first and last age as ``band``."""
    for labels in _BY_BOUNDS.values():
        if band in labels:
            return tuple(labels)
    return (band,)


def normalise_age_band(raw: str) -> str:
    """The canonical band of an age band as written (or of an age in years, in ESR bands).

    A band that two schemes share (``65 and over``) reads as the first scheme's; validation
    then gives it the scheme of the rest of the file (:mod:`ladder.io.derive`).
    """
    text = raw.strip()
    if text in _CANONICAL:
        return text
    lowered = text.lower().replace(" ", "")
    if lowered in _CANONICAL:
        return lowered
    if _AGE.match(text):
        age = int(text)
        if not 14 <= age <= 100:
            raise InvalidValue(f"age {age} is not a working age", _HINT)
        return band_of_age(age)
    found = bounds(text)
    if found is not None:
        low, high = found
        for candidate in ((low, high), (None, high)):
            labels = _BY_BOUNDS.get(candidate)
            if labels and (candidate == found or (low is not None and low <= 16)):
                return labels[0]
    raise InvalidValue("not an age band of a known scheme", _HINT)
