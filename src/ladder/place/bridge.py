"""IMD 2019 for 2021 LSOAs through the ONS LSOA 2011 ↔ 2021 lookup: one rule, one table.

IMD 2019 is published on the 32,844 English LSOAs of 2011. A 2021 LSOA takes its values from
its 2011 parent(s) in the ONS lookup:

* ``U`` unchanged and ``S`` split: one 2011 parent, whose official score, rank, decile and
  domain deciles it takes exactly.
* ``M`` merged and ``X`` irregular with several parents: the score is the parents' mid-2015
  population-weighted mean; the rank is that score's place among the 32,844 official scores
  (1 + the number of 2011 LSOAs with a higher score) and the decile follows from the rank as
  in the official file (``ceil(10 × rank / 32,844)``). Domain deciles are those of the most
  populous parent.

:func:`bridge_imd2019` is the rule, written once; the shipped ``lsoa21.parquet`` decile
(``scripts/build_reference.py``), the look-ups (:mod:`ladder.place.lookup`), and the derived
tables enrichment and the neighbourhood view read (``scripts/build_derived.py``, rebuilt and
compared by a test) all come from it, so they cannot disagree.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from ladder import reference

DOMAINS: tuple[str, ...] = (
    "income",
    "employment",
    "education",
    "health",
    "crime",
    "barriers",
    "living_environment",
)
IMD2019_LSOAS = 32_844


def bridge_imd2019(imd: pl.DataFrame, bridge: pl.DataFrame) -> pl.DataFrame:
    """One row per English 2021 LSOA with its bridged IMD 2019 values.

    ``imd``: the columns of :func:`ladder.reference.imd2019`; ``bridge``: lsoa11, lsoa21,
    change. Returns lsoa21, change, lsoa11 (list of parents, most populous first), imd_score,
    imd_rank, imd_decile, imd_quintile and ``<domain>_decile``.
    """
    domain_cols = [f"{d}_decile" for d in DOMAINS]
    parents = (
        bridge.select(
            pl.col("lsoa11").cast(pl.String),
            pl.col("lsoa21").cast(pl.String),
            pl.col("change").cast(pl.String),
        )
        .join(
            imd.select(
                pl.col("lsoa11").cast(pl.String),
                "imd_score",
                "imd_rank",
                "imd_decile",
                "population",
                *domain_cols,
            ),
            on="lsoa11",
            how="inner",
        )
        .sort(["lsoa21", "population", "lsoa11"], descending=[False, True, False])
    )
    grouped = parents.group_by("lsoa21", maintain_order=True).agg(
        pl.col("change").first(),
        pl.col("lsoa11"),
        pl.len().alias("_parents"),
        ((pl.col("imd_score") * pl.col("population")).sum() / pl.col("population").sum()).alias(
            "_weighted"
        ),
        pl.col("imd_score").first().alias("_score"),
        pl.col("imd_rank").first().cast(pl.Int32).alias("_rank"),
        pl.col("imd_decile").first().cast(pl.Int32).alias("_decile"),
        *[pl.col(c).first().cast(pl.UInt8) for c in domain_cols],
    )
    scores = imd["imd_score"].sort(descending=False)
    total = imd.height
    single = pl.col("_parents") == 1
    weighted = grouped["_weighted"]
    # 1 + the number of official scores strictly above the weighted score
    above = total - scores.search_sorted(weighted, side="right")
    grouped = grouped.with_columns((pl.Series(above, dtype=pl.Int32) + 1).alias("_wrank"))
    rank = pl.when(single).then(pl.col("_rank")).otherwise(pl.col("_wrank"))
    decile = (
        pl.when(single)
        .then(pl.col("_decile"))
        .otherwise(((pl.col("_wrank") * 10 + total - 1) // total).cast(pl.Int32))
    )
    return (
        grouped.with_columns(
            pl.when(single)
            .then(pl.col("_score"))
            .otherwise(pl.col("_weighted").round(3))
            .alias("imd_score"),
            rank.cast(pl.Int32).alias("imd_rank"),
            decile.cast(pl.UInt8).alias("imd_decile"),
        )
        .with_columns(((pl.col("imd_decile") + 1) // 2).cast(pl.UInt8).alias("imd_quintile"))
        .select(
            "lsoa21",
            "change",
            "lsoa11",
            "imd_score",
            "imd_rank",
            "imd_decile",
            "imd_quintile",
            *domain_cols,
        )
        .sort("lsoa21")
    )


@cache
def imd2019_lsoa21() -> pl.DataFrame:
    """:func:`bridge_imd2019` of the shipped IMD 2019 and ONS bridge (cached)."""
    return bridge_imd2019(reference.imd2019(), reference.lsoa_bridge())
