"""Indicators: the registry, the shared kit, statistics, suppression and stored results.

The public face (``from ladder.metrics import load, run, Result, Settings``)::

    loaded = load(Path("workspace"), org="RXX")
    outcome = run(loaded.context)          # every indicator whose datasets are present
    outcome.frame                           # every result, one row each (table.RESULT_SCHEMA),
                                            # suppression applied
    outcome.results                         # the same as list[Result], built on first use

The names are loaded on first use (module ``__getattr__``), so that importing
``ladder.metrics`` — or a light submodule such as ``ladder.metrics.settings`` — does not
pull in Polars and the indicator families.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ladder.metrics.context import Context
    from ladder.metrics.inputs import InputError, Loaded, load
    from ladder.metrics.registry import REGISTRY, Indicator, all_indicators, indicator
    from ladder.metrics.results import RESULT_FIELDS, Measure, Result, Unit
    from ladder.metrics.runner import Run, Skipped, run, select, warm
    from ladder.metrics.settings import DEFAULT_THRESHOLD, Settings
    from ladder.metrics.stored import METHOD_VERSION
    from ladder.metrics.table import results_frame, results_from_frame

_WHERE: dict[str, str] = {
    "Context": "context",
    "InputError": "inputs",
    "Loaded": "inputs",
    "load": "inputs",
    "REGISTRY": "registry",
    "Indicator": "registry",
    "all_indicators": "registry",
    "indicator": "registry",
    "RESULT_FIELDS": "results",
    "Measure": "results",
    "Result": "results",
    "Unit": "results",
    "Run": "runner",
    "Skipped": "runner",
    "run": "runner",
    "select": "runner",
    "warm": "runner",
    "DEFAULT_THRESHOLD": "settings",
    "Settings": "settings",
    "METHOD_VERSION": "stored",
    "results_from_frame": "table",
    "results_frame": "table",
}

__all__ = [
    "DEFAULT_THRESHOLD",
    "METHOD_VERSION",
    "REGISTRY",
    "RESULT_FIELDS",
    "Context",
    "Indicator",
    "InputError",
    "Loaded",
    "Measure",
    "Result",
    "Run",
    "Settings",
    "Skipped",
    "Unit",
    "all_indicators",
    "indicator",
    "load",
    "results_frame",
    "results_from_frame",
    "run",
    "select",
    "warm",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ladder.metrics' has no attribute {name!r}")
    value = getattr(import_module(f"ladder.metrics.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
