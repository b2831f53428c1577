"""The documented machine-readable forms every front end writes: results as JSON and CSV
(docs/indicators.md), the neighbourhood views and the home-area match as JSON and CSV, and
the ``--benchmark`` file read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ladder.io.safe import neutralise
from ladder.metrics import RESULT_FIELDS, Result
from ladder.metrics.formatting import WITHHELD, method_text
from ladder.metrics.neighbourhoods import NeighbourhoodView
from ladder.place.matching import PlaceMatch


class BenchmarkError(ValueError):
    """The --benchmark file cannot be read or is not of the documented form."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def results_json(results: Sequence[Result]) -> str:
    """The documented JSON: a list of result objects (docs/indicators.md)."""
    return json.dumps([r.to_dict() for r in results], indent=2)


def results_csv(results: Sequence[Result]) -> str:
    """One row per result; breakdown as key=value pairs and flags joined with ';'."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RESULT_FIELDS), lineterminator="\n")
    writer.writeheader()
    for r in results:
        row = r.to_dict()
        row["breakdown"] = ";".join(f"{k}={v}" for k, v in r.breakdown.items())
        row["flags"] = ";".join(r.flags)
        writer.writerow({k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()})
    return buffer.getvalue()


def read_benchmark(path: Path) -> dict[str, dict[str, float]]:
    """The --benchmark file: ``{characteristic key: {group: percent}}``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BenchmarkError(f"cannot read the benchmark {path}: {exc}") from None
    ok = isinstance(doc, dict) and all(
        isinstance(k, str)
        and isinstance(v, dict)
        and all(isinstance(g, str) and isinstance(x, int | float) for g, x in v.items())
        for k, v in doc.items()
    )
    if not ok:
        raise BenchmarkError(
            f"the benchmark {path} is not of the form "
            '{"ethnic_group": {"White": 45.0, "BME": 55.0}}',
            "keys: ethnic_group, sex, disability, age_band, seb_group; values in percent",
        )
    return {k: {g: float(x) for g, x in v.items()} for k, v in doc.items()}


def _safe_csv(frame: pl.DataFrame) -> str:
    """CSV with every text cell neutralised against spreadsheet formula injection."""
    return frame.with_columns(pl.col(pl.String).map_elements(neutralise, pl.String)).write_csv()


def neighbourhoods_json(views: Sequence[NeighbourhoodView], threshold: int) -> str:
    return json.dumps([v.as_dict(threshold) for v in views], indent=2, ensure_ascii=False)


def neighbourhoods_csv(views: Sequence[NeighbourhoodView], threshold: int) -> str:
    """One CSV row per neighbourhood of every view (empty when no view lists any)."""
    frames = [
        v.to_frame(threshold).select(
            pl.lit(v.org).alias("org"), pl.lit(v.period).alias("period"), pl.all()
        )
        for v in views
        if v.rows
    ]
    if not frames:
        return ""
    return _safe_csv(pl.concat(frames, how="diagonal_relaxed"))


def match_json(report: PlaceMatch) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)


def match_csv(report: PlaceMatch) -> str:
    """The unmatched values (personal data: a check, not for publication)."""
    return _safe_csv(report.values)


def disclosure_note(threshold: int = 10) -> str:
    """The one explanation of withheld figures, for a page or publication's notes (every
    withheld figure reads :data:`WITHHELD`, whatever the reason, with no bound)."""
    return f"{method_text(threshold)} Every withheld figure reads “{WITHHELD}”."
