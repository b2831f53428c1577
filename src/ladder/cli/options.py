"""Options shared by several commands, declared once so they read and behave the same."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ladder.engines import EngineName

EngineOption = Annotated[EngineName, typer.Option(help="polars, duckdb or spark.")]
"""``--engine``: the data engine the indicators run on (default polars)."""

ThresholdOption = Annotated[int, typer.Option(min=1, help="Suppress published counts below this.")]
"""``--threshold``: small-number suppression (default 10)."""


class Disclosure(StrEnum):
    """``--disclosure``: how published figures are protected."""

    suppression = "suppression"
    cellkey = "cellkey"


DisclosureOption = Annotated[
    Disclosure,
    typer.Option(
        "--disclosure",
        help="suppression (default: withhold small counts and their complements) or cellkey "
        "(perturb every count by the cell key method; docs/methods/disclosure.md).",
    ),
]
"""``--disclosure``: linked-table suppression (default) or cell key perturbation."""

SeedOption = Annotated[
    int,
    typer.Option(
        "--seed",
        min=0,
        help="The cell key method's secret seed (with --disclosure cellkey; keep it private).",
    ),
]
"""``--seed``: the seed of the cell key record keys (default 0)."""
