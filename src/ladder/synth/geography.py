"""Where synthetic people live and what the local ethnic mix is.

Homes are real England and Wales postcodes (ONS NSPL, shipped in ladder.reference), drawn from
a trust's catchment local authorities with a deprivation tilt; ethnic categories follow the
Census 2021 mix of the local authority drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from ladder import reference
from ladder.synth import calibration as cal
from ladder.synth.sampling import (
    BoolArray,
    FloatArray,
    IntArray,
    bernoulli,
    choose_rows,
    null_where,
)

CENSUS_CODES: tuple[str, ...] = (
    "A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S",
)  # fmt: skip
"""NHS ethnic category codes that Census 2021 groups map to (Z, 'not stated', has none)."""
ETHNIC_CODES: tuple[str, ...] = (*CENSUS_CODES, "Z")
"""Index → code of the ethnicity arrays; index -1 means not known (null)."""
Z_INDEX = len(CENSUS_CODES)
WHITE = np.array([c in "ABC" for c in ETHNIC_CODES])
BME = np.array([c not in "ABCZ" for c in ETHNIC_CODES])
_DECILE_Z = np.array([0.0, *((d - 5.5) / 4.5 for d in range(1, 11))])  # slot 0: no decile


@dataclass(frozen=True)
class PostcodePool:
    """All postcodes, sorted by (local authority, IMD decile), with per-group offsets."""

    la_codes: tuple[str, ...]
    la_index: dict[str, int]
    pcds: pl.Series
    lsoa21: pl.Series
    start: IntArray  # (n_la, 11): first row of each (LA, decile slot); slot 0 = no decile
    count: IntArray  # (n_la, 11)
    ethnic_share: FloatArray  # (n_la, 16): Census 2021 share of each CENSUS_CODES code


@dataclass(frozen=True)
class Area:
    """A trust's catchment: local authority indexes into the pool and their shares."""

    la: IntArray
    share: FloatArray


@cache
def pool() -> PostcodePool:
    """The postcode pool (built once per process from the reference data)."""
    pc = (
        reference.postcodes()
        .select(
            pl.col("pcds"),
            pl.col("lsoa21").cast(pl.String),
            pl.col("ltla22").cast(pl.String),
            pl.col("imd2019_decile").fill_null(0).cast(pl.Int64).alias("slot"),
        )
        .sort(["ltla22", "slot", "pcds"])
    )
    la_codes = tuple(pc.get_column("ltla22").unique(maintain_order=True).to_list())
    la_index = {code: i for i, code in enumerate(la_codes)}
    groups = pc.group_by(["ltla22", "slot"], maintain_order=True).len()
    count = np.zeros((len(la_codes), 11), dtype=np.int64)
    rows = groups.get_column("ltla22").replace_strict(la_index, return_dtype=pl.Int64).to_numpy()
    count[rows, groups.get_column("slot").to_numpy()] = groups.get_column("len").to_numpy()
    start = (np.cumsum(count.ravel()) - count.ravel()).reshape(count.shape)
    return PostcodePool(
        la_codes=la_codes,
        la_index=la_index,
        pcds=pc.get_column("pcds"),
        lsoa21=pc.get_column("lsoa21"),
        start=start,
        count=count,
        ethnic_share=_ethnic_share(la_codes),
    )


def _ethnic_share(la_codes: tuple[str, ...]) -> FloatArray:
    census = reference.census_ethnicity()
    counts = census.select(CENSUS_CODES).to_numpy().astype(np.float64)
    national = counts.sum(axis=0) / counts.sum()
    by_code = dict(
        zip(
            census.get_column("ltla21").to_list(),
            counts / counts.sum(axis=1, keepdims=True),
            strict=True,
        )
    )
    return np.vstack([by_code.get(code, national) for code in la_codes])


def trust_area(org_code: str) -> Area:
    """Catchment shares for acute trusts; otherwise the local authority of the trust's site."""
    p = pool()
    catch = reference.trust_catchments().filter(pl.col("org_code") == org_code)
    pairs = [
        (p.la_index[la], share)
        for la, share in catch.select("ltla21", "share").iter_rows()
        if la in p.la_index and share > 0
    ]
    if not pairs:
        site = reference.trusts().filter(pl.col("org_code") == org_code).get_column("ltla22")
        pairs = [(p.la_index[site[0]], 1.0)]
    la = np.array([i for i, _ in pairs], dtype=np.int64)
    share = np.array([s for _, s in pairs], dtype=np.float64)
    return Area(la=la, share=share / share.sum())


def sample_la(rng: np.random.Generator, area: Area, n: int) -> IntArray:
    """Local authority (pool index) of ``n`` people, by catchment share."""
    return area.la[rng.choice(len(area.la), size=n, p=area.share)]


def sample_postcodes(rng: np.random.Generator, la: IntArray, tilt: FloatArray) -> IntArray:
    """A pool row for each person in local authority ``la``; ``tilt`` < 0 favours deprived
    deciles (weight exp(tilt * z), z from -1 for decile 1 to +1 for decile 10)."""
    p = pool()
    count = p.count[la]
    weights = count * np.exp(tilt[:, None] * _DECILE_Z[None, :])
    slot = choose_rows(rng, weights)
    n_in = count[np.arange(len(la)), slot]
    offset = np.floor(rng.random(len(la)) * n_in).astype(np.int64)
    return p.start[la, slot] + offset


def postcode_columns(rows: IntArray, missing: BoolArray) -> tuple[pl.Series, pl.Series]:
    """(home_postcode, home_lsoa) for pool ``rows``; null where ``missing``."""
    p = pool()
    pcds = null_where(p.pcds.gather(rows), missing).alias("home_postcode")
    lsoa = null_where(p.lsoa21.gather(rows), missing).alias("home_lsoa")
    return pcds, lsoa


def sample_ethnicity(
    rng: np.random.Generator,
    la: IntArray,
    bme_odds: FloatArray,
    international: BoolArray | None = None,
) -> IntArray:
    """Ethnic category index (into ETHNIC_CODES; -1 = not known) for people living in ``la``.

    The local Census mix is tilted by multiplying the odds of every BME category by
    ``bme_odds``; ``international`` rows also get the international-recruitment boost.
    """
    p = pool()
    n = len(la)
    w = p.ethnic_share[la].copy()
    w[:, BME[:Z_INDEX]] *= bme_odds[:, None]
    w[:, CENSUS_CODES.index("C")] *= cal.WHITE_OTHER_BOOST
    if international is not None and international.any():
        for code, factor in cal.INTERNATIONAL_BOOST.items():
            col = CENSUS_CODES.index(code)
            w[international, col] *= factor
    idx = choose_rows(rng, w)
    u = rng.random(n)
    idx[u < cal.ETHNICITY_NOT_STATED] = Z_INDEX
    idx[u > 1.0 - cal.ETHNICITY_NOT_KNOWN] = -1
    return idx


def postcode_missing(rng: np.random.Generator, n: int) -> BoolArray:
    """Which records have no usable home postcode."""
    return bernoulli(rng, cal.POSTCODE_MISSING, n)
