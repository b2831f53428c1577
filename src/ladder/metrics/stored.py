"""What makes stored results current (docs/architecture.md, "Stored results").

Stored results are frames of :data:`ladder.metrics.table.RESULT_SCHEMA` (one row per result,
the fields of the ``ladder metrics --format json`` records; :func:`~ladder.metrics.table.
results_frame` and :func:`~ladder.metrics.table.results_from_frame` convert). A stored set is
current while it was computed with the same settings (:func:`settings_key`), by the same
:data:`METHOD_VERSION` and from the same data (the store's data version).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from ladder.metrics.settings import Settings

METHOD_VERSION = "2026.12.1"
"""Ladder's method version: change it whenever a change to an indicator, its statistics or
its suppression changes any figure, so that every stored result is recomputed."""


def settings_key(settings: Settings) -> str:
    """A fingerprint of every setting that changes results (threshold, windows, benchmark,
    catchment, neighbourhood percentage, disclosure control and its seed): equal settings
    give equal keys. The default disclosure control (suppression) leaves the key as it was
    before the cell key mode existed; cell key perturbation, and each seed, give other keys."""
    fields = dataclasses.asdict(settings)
    if settings.disclosure == "suppression":
        del fields["disclosure"], fields["seed"]
    doc = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()


def stored_version() -> str:
    """What a stored set must have been written by to be read back: :data:`METHOD_VERSION`
    and the frame's format (a change to :data:`~ladder.metrics.table.RESULT_SCHEMA` makes
    every stored set stale too)."""
    from ladder.metrics.table import RESULT_SCHEMA

    layout = ";".join(f"{name}={dtype}" for name, dtype in RESULT_SCHEMA.items())
    return f"{METHOD_VERSION}+{hashlib.sha256(layout.encode()).hexdigest()[:8]}"
