"""Render canonical frames the way real ESR and recruitment-system exports look.

Every value written here is one the contract's normalisers accept (headers are the contract's
aliases; values are labels, UK dates, Y/N, '£1,234.00', pay band spellings, stray spaces),
except the few invalid values that :func:`inject` writes and lists in the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl

from ladder import codes
from ladder.contract import dataset

FIRST_SPELLING = 0.7
ENCODING = "cp1252"
"""Windows-1252, the encoding of most CSVs saved from Excel on UK NHS desktops."""

ETHNIC_LABELS: dict[str, tuple[str, ...]] = {
    code: (label, label.replace(" - ", " – ", 1), code)
    for code, label in codes.ETHNIC_CATEGORIES.items()
}
ETHNIC_LABELS["Z"] = ("Not stated", "Not Stated")
PAY_BANDS: dict[str, tuple[str, ...]] = {
    **{f"Band {b}": (f"Band {b}", f"AfC Band {b}", b) for b in "234567"},
    **{f"Band 8{r}": (f"Band 8{r}", f"8{r.upper()}", f"Band 8 - Range {r.upper()}")
       for r in "abcd"},
    "Band 9": ("Band 9", "AfC Band 9", "9"),
    "VSM": ("VSM", "Very Senior Manager"),
    "Consultant": ("Consultant", "Medical and Dental Consultant"),
    "Non-consultant career grade": ("Specialty Doctor", "Associate Specialist", "Staff Grade"),
    "Trainee grade": ("Specialty Registrar", "Foundation Year 1", "Core Trainee", "Trainee Grade"),
    "Other": ("Non AfC", "Local Pay"),
}  # fmt: skip
RELIGION_LABELS: dict[str, tuple[str, ...]] = {
    **{r: (r.capitalize(),) for r in codes.RELIGIONS},
    "prefer_not_to_say": ("I do not wish to disclose my religion/belief",),
}
ORIENTATION_LABELS: dict[str, tuple[str, ...]] = {
    "heterosexual": ("Heterosexual or Straight",),
    "gay_or_lesbian": ("Gay or Lesbian",),
    "bisexual": ("Bisexual",),
    "other": ("Other sexual orientation",),
    "prefer_not_to_say": ("I do not wish to disclose my sexual orientation",),
}
SCHOOL_LABELS: dict[str, tuple[str, ...]] = {
    "state": ("State-run or state-funded school",),
    "independent": ("Independent or fee-paying school",),
    "outside_uk": ("Attended school outside the UK",),
    "dont_know": ("Don't know",),
    "prefer_not_to_say": ("Prefer not to say",),
}
FSM_LABELS: dict[str, tuple[str, ...]] = {
    "yes": ("Yes",),
    "no": ("No",),
    "not_applicable": ("Not applicable",),
    "dont_know": ("Don't know",),
    "prefer_not_to_say": ("Prefer not to say",),
}
QUALIFICATION_LABELS: dict[str, tuple[str, ...]] = {
    "degree": ("Degree level or above",),
    "below_degree": ("Qualifications below degree level",),
    "no_formal": ("No formal qualifications",),
    "dont_know": ("Don't know",),
    "prefer_not_to_say": ("Prefer not to say",),
}
CASE_TYPE_LABELS: dict[str, tuple[str, ...]] = {
    "disciplinary": ("Disciplinary", "Formal Disciplinary", "Conduct"),
    "capability": ("Capability", "Formal Capability"),
}
REASON_LABELS: dict[str, tuple[str, ...]] = {
    "performance": ("Performance", "Poor Performance"),
    "ill_health": ("Ill Health", "Sickness"),
}
SEX_LABELS: dict[str, tuple[str, ...]] = {
    "female": ("Female", "Female", "F"),
    "male": ("Male", "Male", "M"),
    "other": ("Other",),
}
STAFF_GROUP_LABELS: dict[str, tuple[str, ...]] = {
    **{g: (g,) for g in codes.STAFF_GROUPS},
    "Administrative and Clerical": ("Administrative and Clerical", "Admin and Clerical"),
}
_NULL_WORD = {
    "ethnic_category": "Not Known",
    "religion": "Unspecified",
    "sexual_orientation": "Unspecified",
    "disability": "Not Declared",
}
_YES_NO_STYLE = {"full_pay_relevant": ("Y", "N"), "mandatory": ("Y", "N")}
_MONEY = ("hourly_pay", "bonus_pay")
OMITTED = frozenset({"home_lsoa"})
"""Canonical columns that messy exports leave out."""


@dataclass(frozen=True)
class Injected:
    """One deliberately invalid value written to a messy file."""

    dataset: str
    file: str
    row: int  # spreadsheet row: the header is row 1
    column: str  # header as written
    value: str
    problem: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def header(kind: str) -> dict[str, str]:
    """Canonical column → the export header used for it (its first contract alias)."""
    return {c.name: (c.aliases[0] if c.aliases else c.name) for c in dataset(kind).columns}


def _spell(expr: pl.Expr, table: Mapping[str, Sequence[str]], u: pl.Expr) -> pl.Expr:
    """Map each canonical value to one of its spellings, chosen by ``u`` in [0, 1): the first
    spelling 70% of the time, the others sharing the rest."""
    width = max(len(v) for v in table.values())
    bounds = [FIRST_SPELLING + (1 - FIRST_SPELLING) * j / max(width - 1, 1) for j in range(width)]
    bounds[-1] = 1.0
    out: pl.Expr = pl.lit(None, dtype=pl.String)
    for j in reversed(range(width)):
        mapping = {k: v[j % len(v)] for k, v in table.items()}
        spelled = expr.replace_strict(mapping, default=None, return_dtype=pl.String)
        out = pl.when(u < bounds[j]).then(spelled).otherwise(out)
    return out


def _money(expr: pl.Expr, u: pl.Expr) -> pl.Expr:
    """'£1,234.56' (with thousands separator), or '1234.56' / '£12.40'."""
    cents = (expr * 100).round(0).cast(pl.Int64)
    pounds = cents // 100
    pence = (cents % 100).cast(pl.String).str.zfill(2)
    thousands = pl.concat_str(
        [
            (pounds // 1000).cast(pl.String),
            pl.lit(","),
            (pounds % 1000).cast(pl.String).str.zfill(3),
        ]
    )
    whole = pl.when(pounds >= 1000).then(thousands).otherwise(pounds.cast(pl.String))
    text = pl.concat_str([whole, pl.lit("."), pence])
    plain = pl.concat_str([pounds.cast(pl.String), pl.lit("."), pence])
    return pl.when(u < 0.6).then(pl.lit("£") + text).otherwise(plain)


def _whitespace(expr: pl.Expr, u: pl.Expr) -> pl.Expr:
    return (
        pl.when(u < 0.01)
        .then(pl.lit(" ") + expr)
        .when(u < 0.02)
        .then(expr + pl.lit("  "))
        .otherwise(expr)
    )


def _render(name: str, type_name: str, u: pl.Expr) -> pl.Expr:
    col = pl.col(name)
    tables: dict[str, Mapping[str, Sequence[str]]] = {
        "ethnic_category": ETHNIC_LABELS,
        "pay_band": PAY_BANDS,
        "religion": RELIGION_LABELS,
        "sexual_orientation": ORIENTATION_LABELS,
        "school_type": SCHOOL_LABELS,
        "free_school_meals": FSM_LABELS,
        "parent_qualification": QUALIFICATION_LABELS,
        "case_type": CASE_TYPE_LABELS,
        "capability_reason": REASON_LABELS,
        "sex": SEX_LABELS,
        "staff_group": STAFF_GROUP_LABELS,
    }
    if type_name in tables:
        out = _spell(col, tables[type_name], u)
    elif type_name == "date":
        out = (
            pl.when(u < 0.8)
            .then(col.dt.strftime("%d/%m/%Y"))
            .otherwise(col.dt.strftime("%d-%b-%Y"))
        )
    elif type_name == "boolean":
        yes, no = _YES_NO_STYLE.get(name, ("Yes", "No"))
        out = pl.when(col).then(pl.lit(yes)).when(~col).then(pl.lit(no))
    elif type_name == "disability":
        out = pl.when(col).then(pl.lit("Yes")).when(~col).then(pl.lit("No"))
    elif type_name == "number" and name in _MONEY:
        out = _money(col, u)
    elif type_name == "age_band":
        # as ESR writes them ("<=20 Years", "21-25", ">=71 Years"), or spaced out
        out = (
            pl.when(col == "16-20")
            .then(pl.lit("<=20 Years"))
            .when(col == "71+")
            .then(pl.when(u < 0.7).then(pl.lit(">=71 Years")).otherwise(pl.lit("71 and over")))
            .when(u < 0.7)
            .then(col)
            .otherwise(col.str.replace("-", " - ", literal=True))
        )
    elif type_name == "postcode":
        out = (
            pl.when(u < 0.08)
            .then(col.str.replace(" ", "", literal=True))
            .when(u < 0.12)
            .then(col.str.to_lowercase())
            .otherwise(col)
        )
    elif type_name == "seb_parent_occupation":
        labels = {str(k): v for k, v in codes.SEB_PARENT_OCCUPATIONS.items()}
        text = col.cast(pl.String)
        out = pl.when(u < 0.5).then(text).otherwise(text.replace_strict(labels, default=None))
    elif type_name in ("identifier", "ods_code", "text", "lsoa"):
        out = _whitespace(col.cast(pl.String), u)
    else:
        out = col.cast(pl.String)
    word = _NULL_WORD.get(type_name)
    if word is not None:
        out = pl.when(col.is_null()).then(pl.lit(word)).otherwise(out)
    return out.cast(pl.String)


def render(df: pl.DataFrame, kind: str, rng: np.random.Generator) -> pl.DataFrame:
    """The canonical frame of dataset ``kind`` as an export would write it (all text).

    Exports carry home postcodes, not LSOA codes, so home_lsoa is left out.
    """
    names = header(kind)
    columns = [c for c in dataset(kind).columns if c.name not in OMITTED]
    # the stage reuses the appointed column's draws, so adding it moved no other value
    reused = kind == "applications" and "stage" in names
    noise = {
        c.name: pl.Series(rng.random(df.height))
        for c in columns
        if not (reused and c.name == "stage")
    }
    if reused:
        noise["stage"] = (noise["appointed"] * 10) % 1
    return df.select(
        (
            _stage(pl.lit(noise[c.name]))
            if c.name == "stage" and kind == "applications"
            else _render(c.name, c.type_name, pl.lit(noise[c.name]))
        ).alias(names[c.name])
        for c in columns
    )


def _stage(u: pl.Expr) -> pl.Expr:
    """A recruitment system's status column, agreeing with the shortlisted/appointed flags
    (the shipped stage map gives them back: docs/validation.md, 'Recruitment stages')."""
    appointed, shortlisted = pl.col("appointed"), pl.col("shortlisted")
    return (
        pl.when(appointed)
        .then(pl.when(u < 0.7).then(pl.lit("Appointed")).otherwise(pl.lit("Offer accepted")))
        .when(shortlisted)
        .then(
            pl.when(u < 0.5)
            .then(pl.lit("Interviewed"))
            .when(u < 0.85)
            .then(pl.lit("Rejected at interview"))
            .otherwise(pl.lit("Withdrawn"))
        )
        .when(shortlisted.is_not_null())
        .then(
            pl.when(u < 0.6)
            .then(pl.lit("Rejected at shortlisting"))
            .when(u < 0.9)
            .then(pl.lit("Not shortlisted"))
            .otherwise(pl.lit("Withdrawn before shortlisting"))
        )
    )


def _put(df: pl.DataFrame, row: int, column: str, value: str) -> pl.DataFrame:
    series = df.get_column(column).scatter(row, value)
    return df.with_columns(series)


def inject(
    df: pl.DataFrame, kind: str, file: str, rng: np.random.Generator, *, period: int
) -> tuple[pl.DataFrame, list[Injected]]:
    """Write the dataset's deliberately invalid values into ``df`` (a rendered first chunk)."""
    names = header(kind)
    plan: list[tuple[str, str, str]] = []  # (canonical column, value, problem)
    if kind == "staff":
        plan = [
            ("hourly_pay", "-12.50", "negative_value"),
            ("start_date", f"31/02/{period}", "impossible_date"),
            ("ethnic_category", "Q", "invalid_value"),
            ("staff_id", "", "duplicate_id"),
            ("pay_band", "", "missing_value"),
        ]
    elif kind == "applications":
        plan = [
            ("applied_date", f"30/02/{period - 1}", "impossible_date"),
            ("shortlisted", "Maybe", "invalid_value"),
        ]
    elif kind == "training":
        plan = [("staff_id", "", "missing_value")]
    if df.height < len(plan) + 1:
        return df, []
    rows = np.sort(rng.choice(np.arange(1, df.height), size=len(plan), replace=False))
    out: list[Injected] = []
    for row, (column, value, problem) in zip(rows, plan, strict=True):
        head = names[column]
        if problem == "duplicate_id":
            source = int(rng.integers(0, row))
            value = df.get_column(head)[source].strip()
            df = _put(df, source, head, value)
        df = _put(df, int(row), head, value)
        out.append(Injected(kind, file, int(row) + 2, head, value, problem))
    return df, out
