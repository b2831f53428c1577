"""Numbers as exports write them: thousands separators, a pound sign, stray spaces."""

from __future__ import annotations

import math
import re

from ladder.normalise.errors import InvalidValue

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def normalise_number(raw: str) -> float:
    """Parse '1,234.50', '£12.40', ' 7 ' → float. Refuses NaN and infinities."""
    text = raw.strip().replace(",", "").replace("£", "").replace(" ", "")
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if not _NUMBER.match(text):
        raise InvalidValue("not a number", "write a plain number such as 12.5 (no text)")
    value = float(text)
    if not math.isfinite(value):
        raise InvalidValue("number is too large", "check the value")
    return value


def normalise_integer(raw: str) -> int:
    """Parse a whole number ('2024', '2,024', '2024.0')."""
    value = normalise_number(raw)
    if value != int(value):
        raise InvalidValue("not a whole number", "write a whole number such as 2024")
    return int(value)
