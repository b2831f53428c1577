"""Yes/no flags written as Y/N, Yes/No, 1/0, TRUE/FALSE, T/F → bool."""

from __future__ import annotations

from ladder.normalise.errors import InvalidValue

_TRUE = {"y", "yes", "1", "true", "t", "1.0"}
_FALSE = {"n", "no", "0", "false", "f", "0.0"}


def normalise_bool(raw: str) -> bool:
    """Return True or False; raise InvalidValue for anything else."""
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValue("not a yes/no value", "write Y or N (Yes/No, 1/0, TRUE/FALSE also work)")
