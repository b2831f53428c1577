"""Notes that say nothing: every withheld figure reads the same, whatever the reason.

Today a withheld figure's note tells primary suppression ("a count below 10": the count is
1..9) from secondary ("withheld so a smaller cell cannot be derived from totals": 0 or
≥ 10), and some notes and flags are read off the withheld numbers (a zero rate, a small
group). An attacker uses that as bounds (see docs/methods/disclosure.md). :func:`neutral`
rewrites the published records of withheld figures so that each carries the one
:data:`WITHHELD` text and the one ``suppressed`` flag; the method is explained once, in the
publication's notes (:data:`METHOD_NOTE`). Published (not withheld) figures are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

WITHHELD = "withheld (see the notes on disclosure control)"
"""The one note part every withheld figure carries."""

METHOD_NOTE = (
    "Disclosure control: figures that would publish, or let a reader derive, a count of "
    "people from 1 to {limit} are withheld, together with the figures needed to protect "
    "them. A withheld figure reads the same whatever the reason."
)
"""Explained once per publication (format with ``limit`` = threshold − 1)."""

_REVEALING = (
    re.compile(r"^a count below \d+$"),
    re.compile(r"^withheld\b"),
    re.compile(r"\bthe ratio is\b"),
    re.compile(r"^no .* staff\b"),
)
"""Note parts that say why a figure was withheld or depend on its withheld numbers."""


def neutral_note(note: str | None) -> str:
    """A withheld figure's note: what it says of the figure, less anything about why."""
    parts = [p for p in (note or "").split("; ") if p]
    kept = [p for p in parts if not any(rx.search(p) for rx in _REVEALING)]
    return "; ".join([*kept, WITHHELD])


def neutral(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The records with every withheld figure's note and flags made neutral."""
    out: list[dict[str, Any]] = []
    for r in records:
        doc = dict(r)
        if doc.get("suppressed"):
            doc["note"] = neutral_note(doc.get("note"))
            doc["flags"] = ["suppressed"]
        out.append(doc)
    return out
