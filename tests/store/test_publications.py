"""The record of what was published (migration 0004), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ladder.store.publications import latest_publication, publications, record_publication
from ladder.store.workspace import Workspace


def test_publications_are_recorded_and_read_back_in_order(workspace_dir: Path) -> None:
    first = pl.DataFrame({"id": ["a", "b", "c"], "suppressed": [False, True, True]})
    second = pl.DataFrame({"id": ["a", "b"], "suppressed": [False, False]})
    with Workspace.open(workspace_dir) as ws:
        assert latest_publication(ws, "R1H") is None
        one = record_publication(ws, "R1H", 2024, first, settings_key="k1", threshold=10)
        two = record_publication(ws, "R1H", 2025, second, settings_key="k1", threshold=10)
        assert (one.figures, one.withheld, two.figures, two.withheld) == (3, 2, 2, 0)
        kept = publications(ws, "R1H")
        assert [(p.period, p.settings_key, p.threshold) for p in kept] == [
            (2024, "k1", 10),
            (2025, "k1", 10),
        ]
        assert kept[0].read().equals(first)
        latest = latest_publication(ws, "R1H")
        assert latest is not None and latest.period == 2025
        assert publications(ws, "RXX") == []
