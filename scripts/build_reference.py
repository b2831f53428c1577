"""Build the reference data shipped in src/ladder/reference/data/ from the staged open data.

Run once (from the repository root) after the source files change:

    python scripts/build_reference.py [--source /work/shared/data]

Every output is Parquet (zstd). Sources, licences and changes are listed in
src/ladder/reference/data/README.md; keep that file in step with this script.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl

from ladder.place.bridge import bridge_imd2019

OUT = Path(__file__).resolve().parents[1] / "src" / "ladder" / "reference" / "data"

# Census 2021 detailed ethnic groups (TS021, as named in demographr's wide table) → NHS code.
CENSUS_TO_NHS: dict[str, str] = {
    "White: English, Welsh, Scottish, Northern Irish or British": "A",
    "White: Irish": "B",
    "White: Gypsy or Irish Traveller": "C",
    "White: Roma": "C",
    "White: Other White": "C",
    "Mixed or Multiple ethnic groups: White and Black Caribbean": "D",
    "Mixed or Multiple ethnic groups: White and Black African": "E",
    "Mixed or Multiple ethnic groups: White and Asian": "F",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": "G",
    "Asian, Asian British or Asian Welsh: Indian": "H",
    "Asian, Asian British or Asian Welsh: Pakistani": "J",
    "Asian, Asian British or Asian Welsh: Bangladeshi": "K",
    "Asian, Asian British or Asian Welsh: Other Asian": "L",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": "M",
    "Black, Black British, Black Welsh, Caribbean or African: African": "N",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black": "P",
    "Asian, Asian British or Asian Welsh: Chinese": "R",
    "Other ethnic group: Arab": "S",
    "Other ethnic group: Any other ethnic group": "S",
}
NHS_CODES = ("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S")


def _write(df: pl.DataFrame, name: str) -> None:
    path = OUT / name
    df.write_parquet(path, compression="zstd", compression_level=19, statistics=False)
    print(f"{name}: {df.height:,} rows, {path.stat().st_size / 1e6:.2f} MB")


def _read_etr(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False).select(
        "org_code", "name", "national_grouping", "postcode", "open_date", "close_date"
    )


def lsoa_table(src: Path) -> pl.DataFrame:
    """LSOA 2021 → LTLA 2022, Census 2021 population, bridged IMD 2019 decile, centroid.

    The decile is :func:`ladder.place.bridge.bridge_imd2019` (the rule the look-ups use); the
    centroid is that of the most populous 2011 parent (mid-2015 population).
    """
    bridge = pl.read_csv(src / "postcode_lsoa21/geographr_lookup_lsoa11_lsoa21_ltla22.csv")
    pop = pl.read_csv(
        src / "imd2019/File_6_-_IoD2019_Population_Denominators.csv.gz", infer_schema=False
    ).select(
        pl.col("LSOA code (2011)").alias("lsoa11_code"),
        pl.col("Total population: mid 2015 (excluding prisoners)")
        .str.replace_all(",", "")
        .cast(pl.Int64)
        .alias("pop"),
    )
    census = pl.read_csv(
        src / "census2021_ethnicity/demographr_ethnicity21_lsoa21_TS021_broad_wide.csv",
        columns=["lsoa21_code", "total_residents"],
    ).select(
        pl.col("lsoa21_code").alias("lsoa21"),
        pl.col("total_residents").cast(pl.Int32).alias("population"),
    )
    bridged = bridge_imd2019(
        pl.read_parquet(OUT / "imd2019_lsoa11.parquet"),
        pl.read_parquet(OUT / "lsoa11_lsoa21.parquet"),
    ).select("lsoa21", pl.col("imd_decile").alias("imd2019_decile"))
    centroids = pl.read_csv(src / "postcode_lsoa21/hack25usefuldata_lsoa2011_centroids.csv")
    joined = (
        bridge.join(pop, on="lsoa11_code", how="left")
        .join(centroids, on="lsoa11_code", how="left")
        .sort(
            ["lsoa21_code", "pop", "lsoa11_code"], descending=[False, True, False], nulls_last=True
        )
    )
    return (
        joined.group_by("lsoa21_code", maintain_order=True)
        .first()
        .select(
            pl.col("lsoa21_code").alias("lsoa21"),
            pl.col("lsoa21_name"),
            pl.col("ltla22_code").alias("ltla22"),
            pl.col("ltla22_name"),
            pl.col("lsoa11_code").alias("imd2019_lsoa11"),
            pl.col("longitude").cast(pl.Float32).alias("lon"),
            pl.col("latitude").cast(pl.Float32).alias("lat"),
        )
        .join(bridged, on="lsoa21", how="left")
        .join(census, on="lsoa21", how="left")
        .select(
            "lsoa21",
            "lsoa21_name",
            "ltla22",
            "ltla22_name",
            "imd2019_decile",
            "imd2019_lsoa11",
            "lon",
            "lat",
            "population",
        )
        .sort("lsoa21")
    )


def postcode_table(src: Path, lsoas: pl.DataFrame) -> pl.DataFrame:
    """Every England and Wales postcode of NSPL Aug 2024 with LSOA21, LTLA22 and IMD decile."""
    nspl = pl.read_csv(
        src / "postcode_lsoa21/nspl_aug2024_postcode_lad_ward_lsoa21_UK.csv.gz",
        infer_schema=False,
        columns=["pcds", "lsoa21"],
    ).filter(pl.col("lsoa21").str.contains(r"^[EW]01"))
    return (
        nspl.join(lsoas.select("lsoa21", "ltla22", "imd2019_decile"), on="lsoa21", how="left")
        .with_columns(pl.col("lsoa21").cast(pl.Categorical), pl.col("ltla22").cast(pl.Categorical))
        .sort("pcds")
    )


def trust_table(src: Path, lsoas: pl.DataFrame, postcodes: pl.DataFrame) -> pl.DataFrame:
    """NHS trusts in the 2022-03 and 2026-06 ODS lists, with location and local authority."""
    old = _read_etr(src / "nhs_trusts/ods_etr_2022-03_with_header.csv")
    new = _read_etr(src / "nhs_trusts/ods_etr_2026-06_with_header.csv")
    flags = (
        pl.concat(
            [
                old.select("org_code", (pl.col("close_date").is_null()).alias("open_2022_03")),
                new.select("org_code", (pl.col("close_date").is_null()).alias("open_2026_06")),
            ],
            how="diagonal",
        )
        .group_by("org_code")
        .agg(pl.col("open_2022_03").any(), pl.col("open_2026_06").any())
    )
    latest = pl.concat([new, old]).unique("org_code", keep="first", maintain_order=True)
    points = pl.read_csv(src / "nhs_trusts/geographr_points_nhs_trusts22.csv").select(
        pl.col("nhs_trust22_code").alias("org_code"),
        pl.col("nhs_trust22_name").alias("points_name"),
        pl.col("longitude").alias("lon_points"),
        pl.col("latitude").alias("lat_points"),
    )
    pc = postcodes.select(
        pl.col("pcds").alias("postcode"),
        pl.col("lsoa21").cast(pl.String),
        pl.col("ltla22").cast(pl.String),
    )
    return (
        latest.join(flags, on="org_code", how="left")
        .join(points, on="org_code", how="left")
        .join(pc, on="postcode", how="left")
        .join(lsoas.select("lsoa21", "lon", "lat"), on="lsoa21", how="left")
        .select(
            "org_code",
            pl.coalesce("points_name", pl.col("name").str.to_titlecase())
            .str.replace_all(r"\bNhs\b", "NHS")
            .alias("name"),
            pl.col("national_grouping").alias("region_code"),
            "postcode",
            pl.coalesce("lon_points", pl.col("lon").cast(pl.Float64)).alias("lon"),
            pl.coalesce("lat_points", pl.col("lat").cast(pl.Float64)).alias("lat"),
            pl.col("ltla22"),
            pl.col("open_2022_03").fill_null(False),
            pl.col("open_2026_06").fill_null(False),
            pl.col("open_2026_06").fill_null(False).alias("open"),
        )
        .sort("org_code")
        .pipe(_nearest_la, lsoas)
    )


def _nearest_la(trusts: pl.DataFrame, lsoas: pl.DataFrame) -> pl.DataFrame:
    """Fill the LA of trusts whose postcode is not in the lookup (the staged NSPL copy has no
    EC or WC postcode area) from the LSOA whose centroid is nearest to the trust."""
    cent = lsoas.select("ltla22", "lon", "lat").to_numpy()
    filled = []
    for row in trusts.iter_rows(named=True):
        if row["ltla22"] is None and row["lon"] is not None:
            scale = np.cos(np.radians(row["lat"]))
            lon = cent[:, 1].astype(float)
            lat = cent[:, 2].astype(float)
            d2 = ((lon - row["lon"]) * scale) ** 2 + (lat - row["lat"]) ** 2
            row["ltla22"] = str(cent[int(np.argmin(d2)), 0])
        filled.append(row["ltla22"])
    return trusts.with_columns(pl.Series("ltla22", filled, dtype=pl.String))


def catchment_table(src: Path) -> pl.DataFrame:
    """Share of each acute trust's catchment population from each local authority."""
    return (
        pl.read_csv(src / "nhs_trusts/geographr_lookup_nhs_trusts22_ltla21.csv")
        .select(
            pl.col("nhs_trust22_code").alias("org_code"),
            pl.col("ltla21_code").alias("ltla21"),
            pl.col("proportion_trust_came_from_ltla").alias("share"),
        )
        .sort(["org_code", "ltla21"])
    )


def ethnicity_table(src: Path) -> pl.DataFrame:
    """Census 2021 usual residents by LTLA21, detailed ethnic groups summed into NHS codes."""
    wide = pl.read_csv(src / "census2021_ethnicity/demographr_ethnicity21_ltla21_wide.csv")
    sums = {
        code: pl.sum_horizontal(
            [pl.col(f"{group} (number)") for group, c in CENSUS_TO_NHS.items() if c == code]
        )
        .round(0)
        .cast(pl.Int64)
        .alias(code)
        for code in NHS_CODES
    }
    return wide.select(
        pl.col("ltla21_code").alias("ltla21"),
        pl.col("ltla21_name").alias("name"),
        *sums.values(),
    ).sort("ltla21")


# --- Published figures (gender pay gap service, NHS Staff Survey) -------------------------------

GPG_NUMBERS: dict[str, str] = {
    "DiffMeanHourlyPercent": "diff_mean_hourly_pct",
    "DiffMedianHourlyPercent": "diff_median_hourly_pct",
    "DiffMeanBonusPercent": "diff_mean_bonus_pct",
    "DiffMedianBonusPercent": "diff_median_bonus_pct",
    "MaleBonusPercent": "male_bonus_pct",
    "FemaleBonusPercent": "female_bonus_pct",
    "MaleLowerQuartile": "male_lower_quartile_pct",
    "FemaleLowerQuartile": "female_lower_quartile_pct",
    "MaleLowerMiddleQuartile": "male_lower_middle_quartile_pct",
    "FemaleLowerMiddleQuartile": "female_lower_middle_quartile_pct",
    "MaleUpperMiddleQuartile": "male_upper_middle_quartile_pct",
    "FemaleUpperMiddleQuartile": "female_upper_middle_quartile_pct",
    "MaleTopQuartile": "male_top_quartile_pct",
    "FemaleTopQuartile": "female_top_quartile_pct",
}

NSS_ITEMS: tuple[str, ...] = (
    "Discrimination_internal",
    "Discrimination_public",
    "Emotional_colleagues",
    "Emotional_manager",
    "Emotional_public",
    "Physical_colleagues",
    "Physical_manager",
    "Physical_public",
    "Ethnic_minority",
)


def gender_pay_gap_table(src: Path) -> pl.DataFrame:
    """NHS employers' filings to the GOV.UK gender pay gap service, 2017-18 to 2022-23.

    ``snapshot_year`` is the first year of the reporting year: public-sector employers take
    their snapshot on 31 March of that year (reporting year '2017 to 2018' = snapshot
    31 March 2017 = Ladder period 2017).
    """
    raw = pl.read_csv(src / "gender_pay_gap/gpg_nhs_employers_2017_2023.csv", infer_schema=False)
    year = pl.col("ReportingYear")
    return raw.select(
        year.str.replace(r"\s*\(partial\)", "").alias("reporting_year"),
        year.str.slice(0, 4).cast(pl.Int16).alias("snapshot_year"),
        year.str.contains("partial").alias("partial_year"),
        pl.col("EmployerName").str.strip_chars().alias("employer_name"),
        pl.col("ods_code_matched_by_name").alias("ods_code"),
        *[
            pl.col(c).str.strip_chars().cast(pl.Float64, strict=True).alias(name)
            for c, name in GPG_NUMBERS.items()
        ],
        pl.col("EmployerSize").alias("employer_size"),
    ).sort(["snapshot_year", "employer_name"])


def staff_survey_table(src: Path) -> pl.DataFrame:
    """NHS Staff Survey organisational results 2021-2024: discrimination and harassment items."""
    raw = pl.read_csv(
        src / "nhs_staff_survey/ebmgt_nss_2021_2024_organisational_results.csv",
        infer_schema=False,
    )
    items = []
    for item in NSS_ITEMS:
        items.append(pl.col(f"{item}_rate").cast(pl.Float64).alias(f"{item.lower()}_rate"))
        items.append(
            pl.col(f"{item}_base").cast(pl.Float64).cast(pl.Int32).alias(f"{item.lower()}_base")
        )
    return raw.select(
        pl.col("ODS code").alias("ods_code"),
        pl.col("Year").cast(pl.Int16).alias("survey_year"),
        pl.col("Organisation name").alias("org_name"),
        pl.col("Benchmarking group").alias("benchmarking_group"),
        pl.col("Region").alias("region"),
        pl.col("Respondents").cast(pl.Float64).cast(pl.Int32).alias("respondents"),
        *items,
    ).sort(["survey_year", "ods_code"])


def published_tables(src: Path) -> None:
    """Write the published-figures files (gender pay gap service, NHS Staff Survey)."""
    _write(gender_pay_gap_table(src), "published_gender_pay_gap.parquet")
    _write(staff_survey_table(src), "published_staff_survey.parquet")


IMD2019_DOMAINS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living_environment": "Living Environment",
}


def imd2019_tables(src: Path) -> None:
    """IMD 2019 at LSOA 2011 (File 7 columns) and the LSOA 2011 ↔ 2021 bridge (place lookups)."""
    raw = pl.read_csv(src / "imd2019/imd2019_lsoa_file7_style_joined.csv.gz", infer_schema=False)
    most = "(where 1 is most deprived)"
    tenth = "(where 1 is most deprived 10% of LSOAs)"
    cols = [
        pl.col("LSOA code (2011)").alias("lsoa11"),
        pl.col("LSOA name (2011)").alias("lsoa11_name"),
        pl.col("Local Authority District code (2019)").cast(pl.Categorical).alias("lad19"),
        pl.col("Local Authority District name (2019)").cast(pl.Categorical).alias("lad19_name"),
        pl.col("Index of Multiple Deprivation (IMD) Score").cast(pl.Float64).alias("imd_score"),
        pl.col(f"Index of Multiple Deprivation (IMD) Rank {most}").cast(pl.Int32).alias("imd_rank"),
        pl.col(f"Index of Multiple Deprivation (IMD) Decile {tenth}")
        .cast(pl.UInt8)
        .alias("imd_decile"),
    ]
    for short, name in IMD2019_DOMAINS.items():
        cols.append(pl.col(f"{name} Rank {most}").cast(pl.Int32).alias(f"{short}_rank"))
        cols.append(pl.col(f"{name} Decile {tenth}").cast(pl.UInt8).alias(f"{short}_decile"))
    cols.append(
        pl.col("Total population: mid 2015 (excluding prisoners)")
        .str.replace_all(",", "")
        .cast(pl.Int32)
        .alias("population")
    )
    _write(raw.select(cols).sort("lsoa11"), "imd2019_lsoa11.parquet")
    bridge = pl.read_csv(
        src / "postcode_lsoa21/geographr_lookup_lsoa11_lsoa21_ltla22.csv", infer_schema=False
    ).select(
        pl.col("lsoa11_code").alias("lsoa11"),
        pl.col("lsoa21_code").alias("lsoa21"),
        pl.col("change_code").cast(pl.Enum(["U", "S", "M", "X"])).alias("change"),
    )
    _write(bridge.sort("lsoa21", "lsoa11"), "lsoa11_lsoa21.parquet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=Path("/work/shared/data"))
    args = parser.parse_args()
    src: Path = args.source
    OUT.mkdir(parents=True, exist_ok=True)
    imd2019_tables(src)
    lsoas = lsoa_table(src)
    postcodes = postcode_table(src, lsoas)
    _write(lsoas, "lsoa21.parquet")
    _write(postcodes, "postcodes.parquet")
    _write(trust_table(src, lsoas, postcodes), "trusts.parquet")
    _write(catchment_table(src), "trust_catchments.parquet")
    _write(ethnicity_table(src), "census2021_ethnicity_ltla21.parquet")
    published_tables(src)


if __name__ == "__main__":
    main()
