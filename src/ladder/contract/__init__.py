"""The canonical data contract: one schema per dataset, defined once.

``datasets`` holds the six datasets, ``schema`` their building blocks, ``types`` the column
types, ``codes`` the official code lists. (Import from the submodules: the normalisers use
``codes`` and must not pull in the datasets.)
"""

from __future__ import annotations

from typing import Any

__all__ = ["DATASETS", "Column", "Dataset", "Rule", "dataset"]


def __getattr__(name: str) -> Any:
    """Lazy re-exports (``from ladder.contract import dataset``) without an import cycle."""
    if name in {"DATASETS", "dataset"}:
        from ladder.contract import datasets

        return getattr(datasets, name)
    if name in {"Column", "Dataset", "Rule"}:
        from ladder.contract import schema

        return getattr(schema, name)
    raise AttributeError(name)
