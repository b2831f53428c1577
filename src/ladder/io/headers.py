"""Map the headers of a file onto contract columns, through their aliases."""

from __future__ import annotations

from dataclasses import dataclass, field

from ladder.contract.schema import Dataset
from ladder.normalise.text import key


@dataclass
class HeaderMap:
    """Which file column (by position) holds which contract column."""

    columns: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def alias_index(ds: Dataset) -> dict[str, str]:
    """key(header) → column name, for the column names themselves and every alias."""
    index: dict[str, str] = {}
    for col in ds.columns:
        for spelling in (col.name, *col.aliases):
            index.setdefault(key(spelling), col.name)
    return index


def map_headers(headers: list[str], ds: Dataset) -> HeaderMap:
    """Match each header; the first header naming a column wins, later ones are duplicates."""
    index = alias_index(ds)
    result = HeaderMap()
    for position, header in enumerate(headers):
        name = index.get(key(header))
        if name is None:
            if header.strip():
                result.ignored.append(header)
            continue
        if name in result.columns:
            result.duplicates.append((name, position))
        else:
            result.columns[name] = position
    return result
