"""Options shared by several commands, declared once so they read and behave the same."""

from __future__ import annotations

from typing import Annotated

import typer

from ladder.engines import EngineName

EngineOption = Annotated[EngineName, typer.Option(help="polars, duckdb or spark.")]
"""``--engine``: the data engine the indicators run on (default polars)."""

ThresholdOption = Annotated[int, typer.Option(min=1, help="Suppress published counts below this.")]
"""``--threshold``: small-number suppression (default 10)."""
