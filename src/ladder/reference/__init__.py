"""Reference data shipped with Ladder (official open data; sources in data/README.md).

Every loader reads a Parquet file packaged under ``ladder/reference/data`` through
:mod:`importlib.resources` and caches the frame, so repeated calls are free. The product needs
no other copy of these files.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

import polars as pl

__all__ = [
    "census_ethnicity",
    "data_file",
    "living_wage",
    "lsoas",
    "postcodes",
    "published_gender_pay_gap",
    "published_staff_survey",
    "trust_catchments",
    "trusts",
]


def data_file(name: str) -> Traversable:
    """The packaged reference file ``name`` (e.g. ``"trusts.parquet"``)."""
    return resources.files("ladder.reference").joinpath("data", name)


def _read(name: str) -> pl.DataFrame:
    with data_file(name).open("rb") as handle:
        return pl.read_parquet(handle)


@cache
def trusts() -> pl.DataFrame:
    """NHS trusts of the ODS 'etr' lists of March 2022 and June 2026.

    Columns: org_code, name, region_code, postcode, lon, lat, ltla22 (local authority of the
    trust's postcode), open_2022_03, open_2026_06, open.
    """
    return _read("trusts.parquet")


@cache
def trust_catchments() -> pl.DataFrame:
    """Share of each acute trust's catchment population by local authority.

    Columns: org_code, ltla21, share (shares of a trust sum to 1).
    """
    return _read("trust_catchments.parquet")


@cache
def census_ethnicity() -> pl.DataFrame:
    """Census 2021 usual residents by local authority (LTLA 2021) in NHS ethnic category codes.

    Columns: ltla21, name, then one count column per code A..S (no Z: the census has none).
    """
    return _read("census2021_ethnicity_ltla21.parquet")


@cache
def postcodes() -> pl.DataFrame:
    """England and Wales postcodes (ONS NSPL August 2024, live and terminated).

    Columns: pcds, lsoa21, ltla22 (Categorical), imd2019_decile (UInt8; null in Wales).
    """
    return _read("postcodes.parquet")


@cache
def lsoas() -> pl.DataFrame:
    """LSOA 2021 → local authority (2022), IMD 2019 decile (bridged), centroid and population.

    Columns: lsoa21, lsoa21_name, ltla22, ltla22_name, imd2019_decile (the rule of
    :mod:`ladder.place.bridge`; null in Wales), imd2019_lsoa11 (most populous 2011 parent),
    lon, lat (that parent's centroid), population (Census 2021 usual residents, TS021).
    """
    return _read("lsoa21.parquet")


@cache
def published_gender_pay_gap() -> pl.DataFrame:
    """NHS employers' published figures from the GOV.UK gender pay gap service, 2017-18 on.

    One row per filing (rows whose employer name contains 'NHS'). Columns: reporting_year
    (e.g. ``"2017 to 2018"``), snapshot_year (Int16: public-sector snapshot of 31 March of the
    first year, i.e. the Ladder period), partial_year (the 2022-23 copy holds only filings to
    March 2023), employer_name, ods_code (matched heuristically by exact normalised name; null
    when unmatched), the 14 percentage columns ``diff_mean_hourly_pct`` ...
    ``female_top_quartile_pct`` (Float64) and employer_size.
    """
    return _read("published_gender_pay_gap.parquet")


@cache
def published_staff_survey() -> pl.DataFrame:
    """NHS Staff Survey organisational results 2021-2024: discrimination and harassment items.

    Columns: ods_code, survey_year (Int16; the autumn survey year, which belongs to Ladder
    period ``survey_year + 1``), org_name, benchmarking_group, region, respondents, then
    ``<item>_rate`` (percent, Float64) and ``<item>_base`` (respondents answering, Int32) for
    discrimination_internal, discrimination_public, emotional_colleagues, emotional_manager,
    emotional_public, physical_colleagues, physical_manager, physical_public, ethnic_minority.
    """
    return _read("published_staff_survey.parquet")


__all__ += ["imd2019", "lsoa_bridge"]


@cache
def imd2019() -> pl.DataFrame:
    """English Indices of Deprivation 2019 at LSOA 2011 level (32,844 LSOAs; MHCLG File 7).

    Columns: lsoa11, lsoa11_name, lad19, lad19_name (Categorical), imd_score (Float64),
    imd_rank (Int32; 1 = most deprived), imd_decile (UInt8), ``<domain>_rank`` and
    ``<domain>_decile`` for income, employment, education, health, crime, barriers,
    living_environment, and population (mid-2015 total, excluding prisoners).
    """
    return _read("imd2019_lsoa11.parquet")


@cache
def lsoa_bridge() -> pl.DataFrame:
    """ONS LSOA 2011 ↔ LSOA 2021 lookup (England and Wales).

    Columns: lsoa11, lsoa21, change (Enum U unchanged, S split, M merged, X irregular).
    """
    return _read("lsoa11_lsoa21.parquet")


__all__ += ["lsoa21_imd2019", "place_areas"]


@cache
def lsoa21_imd2019() -> pl.DataFrame:
    """Every English 2021 LSOA with its bridged IMD 2019 values (neighbourhood targeting).

    Derived from the files above by ``scripts/build_derived.py``
    (:func:`ladder.place.neighbourhoods.build_lsoa21_imd2019`; a test rebuilds it): shipped so
    that a fresh process reads it instead of deriving it. Columns: lsoa21, lsoa21_name,
    local_authority, local_authority_name, population, lon, lat, imd_score, imd_rank,
    imd_decile, ``<domain>_decile``, priority (``"1%"``, ``"10%"`` or null).
    """
    return _read("lsoa21_imd2019.parquet")


@cache
def place_areas() -> pl.DataFrame:
    """Every place code enrichment knows (2021 LSOAs, and 2011 codes no 2021 LSOA kept), by code.

    Derived like :func:`lsoa21_imd2019` (:func:`ladder.place.enrich.build_place_areas`).
    Columns: place, area (UInt32: the number of its lsoa21, imd_decile, imd_quintile,
    local_authority tuple, in order of first appearance), lsoa21, imd_decile, imd_quintile,
    local_authority.
    """
    return _read("place_areas.parquet")


@cache
def living_wage() -> pl.DataFrame:
    """The Real Living Wage rates (Living Wage Foundation), one row per rate year.

    Columns: rate_year, announced, pay_by (dates), uk, london (GBP an hour), source.
    """
    with data_file("living_wage.csv").open("rb") as handle:
        return pl.read_csv(handle, try_parse_dates=True)


def national_wres_wdes() -> pl.DataFrame:
    """National WRES and WDES results (all NHS trusts in England) as published, by report year.

    One row per figure (``national_wres_wdes.csv``, built by
    ``scripts/build_national_wres_wdes.py`` from the compiled table in the README): standard
    (WRES/WDES), indicator (e.g. ``2_appointed_from_shortlisting``), report_year (Int16: the
    Ladder period; staff-survey figures are from the survey of the previous autumn), group,
    value (Float64), unit, quality (ok, approx, uncertain, conflict, truncated), source_type,
    other_values (where sources disagree), flag, source_url.
    """
    path = data_file("national_wres_wdes.csv")
    with resources.as_file(path) as file:
        frame = pl.read_csv(file, infer_schema_length=0)
    return frame.with_columns(
        pl.col("report_year").cast(pl.Int16),
        pl.col("value").cast(pl.Float64),
        pl.col("other_values").fill_null(""),
    )


__all__ += ["national_wres_wdes"]
