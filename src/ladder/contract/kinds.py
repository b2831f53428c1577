"""The names of the canonical datasets, in contract order, without loading their schemas
(for the command line's help text and checks; a test keeps this equal to ``DATASETS``)."""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "staff", "applications", "training", "cases", "survey", "participants", "contracted_staff",
    "vacancies", "routes",
)  # fmt: skip
