"""Settings of an indicator run: thresholds, windows, benchmarks (each with its default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept out of the import: naming the default threshold (the CLI) is cheap
    from ladder.metrics.programmes.definition import Programme
    from ladder.place.catchment import Catchment

DEFAULT_THRESHOLD = 10
DISCLOSURE_MODES = ("suppression", "cellkey")
"""Disclosure control: linked-table suppression (the default) or cell key perturbation."""


@dataclass(frozen=True)
class Settings:
    """Choices that change results; every output names the ones that apply.

    - ``threshold``: small-number suppression; a published count from 1 to threshold−1 is
      withheld (with secondary suppression so it cannot be recovered from totals).
    - ``disciplinary_years``: WRES 3 window, years of cases up to the snapshot date
      (default 1: the 12 months to the snapshot date; 2 gives a two-year rolling window).
    - ``capability_years``: WDES 3 window (the guidance: a two-year rolling average).
    - ``benchmark``: local-population shares by characteristic for the representation
      indicators, e.g. ``{"ethnic_group": {"White": 45.0, "BME": 55.0}}`` (percent).
    - ``catchment``: the catchment of ``place.neighbourhoods`` for every organisation (default:
      each trust's own local authorities, :func:`ladder.place.catchment.default_catchment`).
    - ``neighbourhood_percent``: list the most deprived 1% or 10% of neighbourhoods nationally.
    - ``programmes``: programme definitions (stages files) read before the shipped ones.
    - ``programme_gaps``: a participant reaching a stage without the one before: ``imply``
      (the earlier stage counts as reached) or ``error`` (the row is left out).
    - ``disclosure``: ``suppression`` (default: linked-table suppression) or ``cellkey``
      (cell key perturbation, :mod:`ladder.metrics.disclosure.cellkey`).
    - ``seed``: the cell key method's secret seed (the record keys are a keyed hash of it);
      only used with ``disclosure="cellkey"``.
    """

    threshold: int = DEFAULT_THRESHOLD
    disciplinary_years: int = 1
    capability_years: int = 2
    benchmark: dict[str, dict[str, float]] = field(default_factory=dict)
    catchment: Catchment | None = None
    neighbourhood_percent: int = 10
    programmes: tuple[Programme, ...] = ()
    programme_gaps: str = "imply"
    disclosure: str = "suppression"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.disclosure not in DISCLOSURE_MODES:
            raise ValueError(
                f"unknown disclosure control {self.disclosure!r}: "
                f"use {' or '.join(DISCLOSURE_MODES)}"
            )
        if self.seed < 0:
            raise ValueError(f"the cell key seed must be 0 or more (not {self.seed})")

    @property
    def table_threshold(self) -> int:
        """The threshold of the suppression some indicators apply to their own tables
        (representation, SEB): ``threshold``, or 1 (nothing withheld) under cell key
        perturbation, which protects those tables instead."""
        return 1 if self.disclosure == "cellkey" else self.threshold
