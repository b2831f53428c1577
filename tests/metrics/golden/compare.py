"""Every figure of a run as one frame, and a figure-by-figure comparison of two such frames.

The guard for refactoring the engine: results saved before a change must equal those after
(numbers within 1e-9, relative, where float operations may be reordered; all else exact).
Also runnable: ``python -m tests.metrics.golden.compare DATA OUT.parquet`` saves a run's
figures, and ``… --against BEFORE.parquet`` compares a new run with them. ``--unprotected``
saves the indicator engine's figures before disclosure control (the protection is
deterministic given them; it also runs on a tree that predates ``runner.compute``, e.g.
``PYTHONPATH=/path/to/old/src``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from ladder.metrics.results import RESULT_FIELDS, Result

KEY = ("id", "org", "period", "group", "breakdown")
NUMBERS = (
    "value",
    "numerator",
    "denominator",
    "reference_numerator",
    "reference_denominator",
    "ci_lower",
    "ci_upper",
)
TOLERANCE = 1e-9


def figures(results: Iterable[Result]) -> pl.DataFrame:
    """One row per result, every field of its JSON record (breakdown and flags as JSON)."""
    rows: list[dict[str, Any]] = []
    for r in results:
        doc = r.to_dict()
        doc["breakdown"] = json.dumps(doc["breakdown"], sort_keys=True)
        doc["flags"] = json.dumps(doc["flags"])
        for name in NUMBERS:
            doc[name] = None if doc[name] is None else float(doc[name])
        rows.append(doc)
    schema: dict[str, Any] = {name: pl.String for name in RESULT_FIELDS}
    schema.update({name: pl.Float64 for name in NUMBERS})
    schema.update({"period": pl.Int64, "suppressed": pl.Boolean})
    return pl.DataFrame(rows, schema=schema, orient="row").sort(KEY, nulls_last=True)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def differences(before: pl.DataFrame, after: pl.DataFrame, limit: int = 20) -> list[str]:
    """What differs between two :func:`figures` frames (empty when they agree)."""
    problems: list[str] = []
    keys_b = before.select(KEY).with_row_index("i")
    keys_a = after.select(KEY).with_row_index("j")
    if before.select(KEY).is_duplicated().any():
        problems.append("duplicate keys in the saved figures")
    only_b = keys_b.join(keys_a, on=list(KEY), how="anti", nulls_equal=True)
    only_a = keys_a.join(keys_b, on=list(KEY), how="anti", nulls_equal=True)
    for label, frame in (("only before", only_b), ("only after", only_a)):
        for row in frame.head(limit).iter_rows(named=True):
            problems.append(f"{label}: {row}")
    if problems:
        return problems
    joined = keys_b.join(keys_a, on=list(KEY), nulls_equal=True)
    b_rows = before.rows(named=True)
    a_rows = after.rows(named=True)
    for i, j in zip(joined["i"].to_list(), joined["j"].to_list(), strict=True):
        rb, ra = b_rows[i], a_rows[j]
        for name in RESULT_FIELDS:
            same = _close(rb[name], ra[name]) if name in NUMBERS else rb[name] == ra[name]
            if not same:
                key = {k: rb[k] for k in KEY}
                problems.append(f"{key}: {name} {rb[name]!r} → {ra[name]!r}")
                if len(problems) >= limit:
                    return problems
    return problems


def unprotected(context: Any) -> list[Result]:
    """Every indicator's results before disclosure control, in the runner's order."""
    from ladder.metrics import runner
    from ladder.metrics.table import as_frame, results_from_frame

    if hasattr(runner, "compute"):
        frame, _ = runner.compute(context)
    else:  # a tree from before runner.compute: the same loop
        produced = [
            as_frame(ind.compute(context))
            for ind in runner.select(None)
            if all(context.has(k) for k in ind.needs)
        ]
        frame = pl.concat([p for p in produced if p.height]).sort(
            "org", "period", maintain_order=True
        )
    return results_from_frame(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path, help="where to save this run's figures (Parquet)")
    parser.add_argument("--against", type=Path, help="saved figures to compare with")
    parser.add_argument("--engine", default="polars")
    parser.add_argument(
        "--unprotected", action="store_true", help="the figures before disclosure control"
    )
    args = parser.parse_args()
    from ladder.engines import EngineName
    from ladder.metrics.inputs import load
    from ladder.metrics.runner import run

    loaded = load(args.data, engine=EngineName(args.engine))
    if args.unprotected:
        frame = figures(unprotected(loaded.context))
    else:
        frame = figures(run(loaded.context).results)
    loaded.close()
    frame.write_parquet(args.out)
    print(f"{frame.height:,} figures written to {args.out}")
    if args.against is not None:
        problems = differences(pl.read_parquet(args.against), frame)
        print("\n".join(problems) or "identical")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
