"""NHS Staff Survey question numbers by survey year → Ladder's question ids.

The questionnaire is renumbered when questions are added (2022: patient-safety questions;
2023: sexual-safety questions), so the same item can carry another number in another year.
Ladder's question ids are the numbers of the 2022 questionnaire (``q14a``, ``q16b``,
``q30b``...); the shipped table ``reference/data/staff_survey_questions.csv`` (columns
``year``, ``question``, ``ladder_id``, ``item``, ``basis``; sources in the data README) maps
each year's own number of every item an indicator reads to its Ladder id. A question the
table does not list for its year is kept as given (Ladder ids pass unchanged, so canonical
data reads the same again).
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from ladder.reference import data_file

SHIPPED = "staff_survey_questions.csv"

_ID = re.compile(r"^q?\s*(\d{1,3})\s*([a-z]?)(?:\s*[_/&+]\s*([a-z]))?$")


def question_key(raw: str) -> str:
    """A question number as Ladder writes it: ``Q14a``, ``14a``, ``q 14 a`` → ``q14a``;
    ``Q14b/c`` → ``q14b_c``. Anything else is lower-cased and kept."""
    text = raw.strip().lower().replace(".", "").replace("question", "").strip()
    text = text.replace(" ", "")
    match = _ID.match(text)
    if match is None:
        return raw.strip()
    number, part, second = match.groups()
    out = f"q{int(number)}{part}"
    return f"{out}_{second}" if second else out


@cache
def table() -> pl.DataFrame:
    """The shipped table: ``year`` (Int64), ``question``, ``ladder_id``, ``item``, ``basis``."""
    with data_file(SHIPPED).open("rb") as handle:
        frame = pl.read_csv(handle, schema_overrides={"year": pl.Int64})
    return frame


def years() -> list[int]:
    """The survey years the table numbers."""
    return sorted(table().get_column("year").unique().to_list())


def ladder_ids(
    frame: pl.DataFrame, *, year: str = "year", question: str = "question_id"
) -> pl.Series:
    """Each row's Ladder question id: its ``question`` normalised by :func:`question_key`,
    then mapped through the table for its ``year`` (kept when the table has no entry)."""
    raw = frame.get_column(question)
    distinct = raw.drop_nulls().unique().to_list()
    keys = raw.replace_strict(
        distinct, [question_key(q) for q in distinct], default=None, return_dtype=pl.String
    )
    lookup = table().select(
        pl.col("year").alias("_year"),
        pl.col("question").alias("_q"),
        pl.col("ladder_id").alias("_id"),
    )
    joined = (
        pl.DataFrame({"_year": frame.get_column(year).cast(pl.Int64), "_q": keys})
        .with_row_index("_i")
        .join(lookup, on=["_year", "_q"], how="left")
        .sort("_i")
    )
    return joined.select(pl.coalesce("_id", "_q").alias(question)).to_series()
