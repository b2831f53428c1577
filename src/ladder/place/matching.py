"""How well a dataset's home postcodes and LSOAs matched the lookup, and which did not.

For the analyst preparing the data (``ladder place match``): per dataset, how many records
gave a home area, how many were found, and every distinct value that was not, with the
number of records and why (not a valid postcode or LSOA code, or valid but not in the
lookup). Postcodes are personal data: this is a data-quality view of the analyst's own
data, never part of a published output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_lsoa, normalise_postcode
from ladder.place.enrich import PlaceLookup


@dataclass(frozen=True)
class DatasetMatch:
    """One dataset's records: all, with a home area given, found, not found."""

    kind: str
    records: int
    given: int
    unmatched: int

    @property
    def matched(self) -> int:
        return self.given - self.unmatched

    @property
    def missing(self) -> int:
        """Records with neither a home postcode nor an LSOA."""
        return self.records - self.given


@dataclass(frozen=True)
class PlaceMatch:
    """Every dataset's match counts and the unmatched values (kind, field, value, records,
    reason), most frequent first."""

    datasets: list[DatasetMatch]
    values: pl.DataFrame
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "notes": list(self.notes),
            "datasets": [
                {
                    "kind": d.kind,
                    "records": d.records,
                    "with_home_area": d.given,
                    "matched": d.matched,
                    "unmatched": d.unmatched,
                    "no_home_area": d.missing,
                }
                for d in self.datasets
            ],
            "unmatched": self.values.to_dicts(),
        }


def unmatched_reason(field: str, value: str) -> str:
    """Why ``value`` of ``field`` (``home_lsoa`` / ``home_postcode``) was not found."""
    if field == "home_lsoa":
        try:
            code = normalise_lsoa(value)
        except InvalidValue as exc:
            return f"{exc.reason} ({exc.hint})"
        return f"{code} is not a known LSOA (2011 or 2021)"
    try:
        postcode = normalise_postcode(value)
    except InvalidValue as exc:
        return f"{exc.reason} ({exc.hint})"
    return (
        f"{postcode} is not in the postcode lookup (England and Wales only; a new postcode may "
        "need a newer file: ladder reference import-postcodes)"
    )


def match_report(lookup: PlaceLookup, notes: tuple[str, ...] = ()) -> PlaceMatch:
    """The :class:`PlaceMatch` of a run's lookup."""
    datasets = [
        DatasetMatch(kind, lookup.records.get(kind, 0), lookup.given[kind], lookup.unmatched[kind])
        for kind in lookup.given
    ]
    values = lookup.unmatched_values
    reasons = [unmatched_reason(f, v) for f, v in values.select("field", "value").iter_rows()]
    explained = values.with_columns(pl.Series("reason", reasons, dtype=pl.String))
    return PlaceMatch(datasets, explained, notes)
