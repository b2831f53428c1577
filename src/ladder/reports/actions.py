"""The action plan's actions, from a file the trust keeps from year to year (YAML or XLSX).

YAML: a list of entries (or ``actions:`` holding the list), each with ``indicator``,
``action``, ``owner`` and ``date``::

    - indicator: WRES 2
      action: Diverse interview panels for every post at Band 7 and above
      owner: Director of People
      date: 2025-03-31

XLSX: the first sheet, a header row with the four column names (any case), one action per
row. ``indicator`` is an indicator as the report names it ("WRES 2", "WDES 4a (managers)",
"Gender pay gap (median)"); ``date`` is a date (YYYY-MM-DD) or a month (YYYY-MM). A bad file
raises :class:`ActionsError` naming the file, row, column and value, and what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLUMNS = ("indicator", "action", "owner", "date")


class ActionsError(ValueError):
    """The actions file cannot be read; the message says where and what to do."""


@dataclass(frozen=True)
class Action:
    indicator: str
    action: str
    owner: str
    date: str


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return text
    return None


def _records(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ActionsError(
                f"{path}: not readable YAML ({exc}); write a list of entries with "
                f"{', '.join(COLUMNS)}"
            ) from exc
        if isinstance(doc, dict) and "actions" in doc:
            doc = doc["actions"]
        if doc is None:
            return []
        if not isinstance(doc, list) or not all(isinstance(e, dict) for e in doc):
            raise ActionsError(
                f"{path}: expected a list of entries, each with {', '.join(COLUMNS)}"
            )
        return [{str(k).strip().casefold(): v for k, v in e.items()} for e in doc]
    if suffix == ".xlsx":
        import polars as pl

        try:
            frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
        except Exception as exc:
            raise ActionsError(f"{path}: not a readable XLSX workbook ({exc})") from exc
        frame = frame.rename({c: c.strip().casefold() for c in frame.columns})
        return [dict(row) for row in frame.iter_rows(named=True)]
    raise ActionsError(f"{path}: an actions file must be .yaml, .yml or .xlsx")


def load(path: Path, indicators: frozenset[str]) -> list[Action]:
    """The actions in ``path``; ``indicators`` are the names the report accepts."""
    if not path.is_file():
        raise ActionsError(f"{path}: no such actions file; check the path given to --actions")
    names = {_key(name): name for name in indicators}
    out: list[Action] = []
    for row, record in enumerate(_records(path), start=2 if path.suffix == ".xlsx" else 1):
        where = f"{path}, {'row' if path.suffix == '.xlsx' else 'entry'} {row}"
        missing = [c for c in COLUMNS if record.get(c) in (None, "")]
        if missing:
            raise ActionsError(
                f"{where}: no {', '.join(missing)}; every action needs {', '.join(COLUMNS)}"
            )
        indicator = names.get(_key(str(record["indicator"])))
        if indicator is None:
            raise ActionsError(
                f"{where}, column 'indicator': {record['indicator']!r} is not an indicator of "
                f"the report; use one of: {', '.join(sorted(indicators))}"
            )
        date = _date(record["date"])
        if date is None:
            raise ActionsError(
                f"{where}, column 'date': {record['date']!r} is not a date; write YYYY-MM-DD "
                "or YYYY-MM"
            )
        out.append(
            Action(indicator, str(record["action"]).strip(), str(record["owner"]).strip(), date)
        )
    return out
