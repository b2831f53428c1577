"""Column types of the contract: storage dtype, normaliser and how the docs describe them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from ladder import codes
from ladder.normalise import categories, dates, ethnicity, identifiers, numbers, payband
from ladder.normalise.booleans import normalise_bool


@dataclass(frozen=True)
class ColumnType:
    """A type of column: what it is stored as and how raw text becomes a canonical value.

    ``fast`` optionally parses already-canonical text in bulk (a Polars expression over the
    stripped text column); values it leaves null go through ``normalise`` one distinct value
    at a time, so the Python normaliser remains the single definition of what is accepted.
    """

    name: str
    dtype: pl.DataType
    normalise: Callable[[str], Any]
    doc: str
    allowed: tuple[str, ...] = ()
    fast: Callable[[pl.Expr], pl.Expr] | None = None


_PLAIN_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$"


def _fast_float(expr: pl.Expr) -> pl.Expr:
    ok = expr.str.contains(_PLAIN_NUMBER)
    value = pl.when(ok).then(expr.cast(pl.Float64, strict=False))
    return pl.when(value.is_finite()).then(value)


def _fast_int(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.contains(r"^[+-]?\d{1,18}$")).then(expr.cast(pl.Int64, strict=False))


def _fast_iso_date(expr: pl.Expr) -> pl.Expr:
    value = expr.str.to_date("%Y-%m-%d", strict=False)
    in_range = value.is_between(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    return pl.when(in_range).then(value)


def _fast_canonical(allowed: tuple[str, ...]) -> Callable[[pl.Expr], pl.Expr]:
    def fast(expr: pl.Expr) -> pl.Expr:
        return pl.when(expr.is_in(list(allowed))).then(expr).otherwise(None)

    return fast


def _fast_postcode(expr: pl.Expr) -> pl.Expr:
    ok = expr.str.contains(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
    return pl.when(ok).then(expr).otherwise(None)


def _fast_identifier(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_chars() <= 64).then(expr).otherwise(None)


def _fast_ods(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.contains(r"^[A-Z0-9]{3,5}$")).then(expr).otherwise(None)


def _text(raw: str) -> str:
    return raw.strip()


_ETHNIC = tuple(codes.ETHNIC_CATEGORIES)

TYPES: dict[str, ColumnType] = {
    t.name: t
    for t in (
        ColumnType(
            "identifier",
            pl.String(),
            identifiers.normalise_identifier,
            "text, at most 64 characters; a pseudonymous ID (keep leading zeros)",
            fast=_fast_identifier,
        ),
        ColumnType(
            "ods_code",
            pl.String(),
            identifiers.normalise_org_code,
            "ODS organisation code, 3-5 letters/digits, e.g. R1H",
            fast=_fast_ods,
        ),
        ColumnType("text", pl.String(), _text, "free text"),
        ColumnType(
            "date",
            pl.Date(),
            dates.normalise_date,
            "date: YYYY-MM-DD, DD/MM/YYYY, DD-Mon-YYYY or an Excel serial number",
            fast=_fast_iso_date,
        ),
        ColumnType(
            "year",
            pl.Int64(),
            numbers.normalise_integer,
            "four-digit year, e.g. 2024",
            fast=_fast_int,
        ),
        ColumnType(
            "integer", pl.Int64(), numbers.normalise_integer, "whole number", fast=_fast_int
        ),
        ColumnType(
            "number",
            pl.Float64(),
            numbers.normalise_number,
            "number (thousands separators and £ allowed)",
            fast=_fast_float,
        ),
        ColumnType("boolean", pl.Boolean(), normalise_bool, "yes/no: Y/N, Yes/No, 1/0, TRUE/FALSE"),
        ColumnType(
            "ethnic_category",
            pl.String(),
            ethnicity.normalise_ethnic_category,
            "NHS Data Dictionary ethnic category code A-S or Z (codes, ESR sub-codes "
            "such as C3, and labels such as 'White - British' accepted); 99 or blank = "
            "not known (stored as null)",
            allowed=_ETHNIC,
            fast=_fast_canonical(_ETHNIC),
        ),
        ColumnType(
            "sex",
            pl.String(),
            categories.normalise_sex,
            "female, male or other (F/M accepted); blank = not known",
            allowed=codes.SEXES,
            fast=_fast_canonical(codes.SEXES),
        ),
        ColumnType(
            "disability",
            pl.Boolean(),
            categories.normalise_disability,
            "disabled? Yes/No; 'Not Declared', 'Prefer not to say' or blank = not "
            "declared (stored as null)",
        ),
        ColumnType(
            "pay_band",
            pl.String(),
            payband.normalise_pay_band,
            "pay band: Band 1-9, Band 8a-8d, VSM, Consultant, Non-consultant career "
            "grade, Trainee grade, Other ('8A', 'Band 8 - Range A', 'AfC Band 5' accepted)",
            allowed=codes.PAY_BANDS,
            fast=_fast_canonical(codes.PAY_BANDS),
        ),
        ColumnType(
            "contracted_service",
            pl.String(),
            categories.normalise_contracted_service,
            "contracted service: cleaning, portering, catering, security or other",
            allowed=codes.CONTRACTED_SERVICES,
            fast=_fast_canonical(codes.CONTRACTED_SERVICES),
        ),
        ColumnType(
            "staff_group",
            pl.String(),
            categories.normalise_staff_group,
            "ESR staff group",
            allowed=tuple(codes.STAFF_GROUPS),
            fast=_fast_canonical(tuple(codes.STAFF_GROUPS)),
        ),
        ColumnType(
            "age_band",
            pl.String(),
            categories.normalise_age_band,
            "age band, kept in the scheme given: ESR (<=20, 21-25, ..., >=71 Years → "
            "16-20 ... 71+), ONS / NHS Digital five-year (Under 20, 20-24, ..., 65 and over → "
            "ons5:16-19 ... ons5:65+) or ten-year (Under 25, 25-34, ..., 65 and over → "
            "ons10:16-24 ... ons10:65+); an age in years gets its ESR band",
            allowed=codes.ALL_AGE_BANDS,
            fast=_fast_canonical(codes.ALL_AGE_BANDS),
        ),
        ColumnType(
            "religion",
            pl.String(),
            categories.normalise_religion,
            "religion or belief",
            allowed=codes.RELIGIONS,
        ),
        ColumnType(
            "sexual_orientation",
            pl.String(),
            categories.normalise_sexual_orientation,
            "sexual orientation",
            allowed=codes.SEXUAL_ORIENTATIONS,
        ),
        ColumnType(
            "postcode",
            pl.String(),
            identifiers.normalise_postcode,
            "UK postcode, stored as ONS 'pcds' (upper case, one space)",
            fast=_fast_postcode,
        ),
        ColumnType("lsoa", pl.String(), identifiers.normalise_lsoa, "LSOA code (E01…/W01…)"),
        ColumnType(
            "case_type",
            pl.String(),
            categories.normalise_case_type,
            "formal case type",
            allowed=codes.CASE_TYPES,
        ),
        ColumnType(
            "capability_reason",
            pl.String(),
            categories.normalise_capability_reason,
            "grounds of a capability case",
            allowed=codes.CAPABILITY_REASONS,
        ),
        ColumnType(
            "seb_parent_occupation",
            pl.Int64(),
            categories.normalise_seb_parent_occupation,
            "Social Mobility Commission parental occupation answer, option 1-9 (number or label)",
            allowed=tuple(str(n) for n in codes.SEB_PARENT_OCCUPATIONS),
        ),
        ColumnType(
            "school_type",
            pl.String(),
            categories.normalise_school_type,
            "type of school attended aged 11-16",
            allowed=codes.SCHOOL_TYPES,
        ),
        ColumnType(
            "free_school_meals",
            pl.String(),
            categories.normalise_free_school_meals,
            "eligible for free school meals",
            allowed=codes.FREE_SCHOOL_MEALS,
        ),
        ColumnType(
            "parent_qualification",
            pl.String(),
            categories.normalise_parent_qualification,
            "highest parental qualification by age 18",
            allowed=codes.PARENT_QUALIFICATIONS,
        ),
        ColumnType(
            "survey_answer",
            pl.Boolean(),
            categories.normalise_survey_answer,
            "staff-survey answer, stored as positive for the indicator (true), not "
            "(false) or no answer (null): Yes/No, Never/1-2/3-5/6-10/More than 10, "
            "Strongly agree ... Strongly disagree, Don't know",
        ),
        ColumnType(
            "registration",
            pl.String(),
            categories.normalise_registration,
            "professional registration a role requires: none, NMC, HCPC, GMC, GDC, GPhC or SWE",
            allowed=tuple(codes.REGISTRATIONS),
            fast=_fast_canonical(tuple(codes.REGISTRATIONS)),
        ),
        ColumnType(
            "contract_type",
            pl.String(),
            categories.normalise_contract_type,
            "permanent, fixed_term, bank or apprenticeship",
            allowed=codes.CONTRACT_TYPES,
            fast=_fast_canonical(codes.CONTRACT_TYPES),
        ),
        ColumnType(
            "shift_pattern",
            pl.String(),
            categories.normalise_shift_pattern,
            "days, nights, rotating, weekends or flexible",
            allowed=codes.SHIFT_PATTERNS,
            fast=_fast_canonical(codes.SHIFT_PATTERNS),
        ),
        ColumnType(
            "route_type",
            pl.String(),
            categories.normalise_route_type,
            "kind of entry route: apprenticeship, pre_employment, bank or supported_internship",
            allowed=tuple(codes.ROUTE_TYPES),
            fast=_fast_canonical(tuple(codes.ROUTE_TYPES)),
        ),
        ColumnType(
            "ethnic_group",
            pl.String(),
            categories.normalise_ethnic_group,
            "WRES ethnic group of an aggregate row: White, BME or Unknown",
            allowed=("White", "BME", "Unknown"),
        ),
    )
}
