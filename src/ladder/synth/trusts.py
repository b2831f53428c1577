"""Which real NHS trusts the synthetic data is placed at, and how large each one is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ladder import reference
from ladder.synth import calibration as cal
from ladder.synth.geography import Area, trust_area
from ladder.synth.sampling import STREAM_SIZES, rng_for

FIRST_TRUSTS: tuple[str, ...] = ("R1H", "RR8")
"""Barts Health (east London) and Leeds Teaching Hospitals lead the default order."""
LONDON_REGION = "Y56"
MIN_TRUST_STAFF = 40


@dataclass(frozen=True)
class TrustPlan:
    """One trust to generate: its position, identity, size and catchment."""

    index: int
    org_code: str
    name: str
    staff: int
    london: bool
    area: Area


def default_trusts() -> list[str]:
    """Trusts open in the March 2022 or June 2026 ODS list: R1H, RR8, then by code."""
    table = reference.trusts().filter(pl.col("open_2022_03") | pl.col("open_2026_06"))
    rest = sorted(c for c in table.get_column("org_code").to_list() if c not in FIRST_TRUSTS)
    return [*FIRST_TRUSTS, *rest]


def known_trusts() -> set[str]:
    """Every trust code in the shipped ODS lists (open or closed)."""
    return set(reference.trusts().get_column("org_code").to_list())


def trust_sizes(k: int, staff: int, seed: int) -> list[int]:
    """Staff per trust: the first about twice the others' typical size; total about k x staff."""
    if k == 1:
        return [staff]
    rng = rng_for(seed, STREAM_SIZES)
    weights = np.concatenate(
        [[cal.FIRST_TRUST_WEIGHT], rng.lognormal(0.0, cal.TRUST_SIZE_SIGMA, size=k - 1)]
    )
    sizes = np.round(k * staff * weights / weights.sum()).astype(int)
    return [max(MIN_TRUST_STAFF, int(s)) for s in sizes]


def plan_trusts(
    orgs: int | None, staff: int, seed: int, codes: Sequence[str] | None = None
) -> list[TrustPlan]:
    """The trusts to generate, in output order.

    ``codes`` replaces the default list; ``orgs`` takes the first ``orgs`` of the list (all of
    ``codes`` when None). Raises ValueError for unknown codes or too many trusts.
    """
    if codes:
        wanted = [c.strip().upper() for c in codes if c.strip()]
        unknown = [c for c in wanted if c not in known_trusts()]
        if unknown:
            raise ValueError(f"unknown trust code(s): {', '.join(unknown)}")
        if len(set(wanted)) != len(wanted):
            raise ValueError("a trust code is listed twice in --trusts")
    else:
        wanted = default_trusts()
    k = len(wanted) if orgs is None else orgs
    if not 1 <= k <= len(wanted):
        raise ValueError(f"--orgs must be between 1 and {len(wanted)} (the trusts available)")
    chosen = wanted[:k]
    info = reference.trusts().select("org_code", "name", "region_code")
    names = dict(zip(info["org_code"].to_list(), info["name"].to_list(), strict=True))
    regions = dict(zip(info["org_code"].to_list(), info["region_code"].to_list(), strict=True))
    sizes = trust_sizes(k, staff, seed)
    return [
        TrustPlan(
            index=i,
            org_code=code,
            name=names[code],
            staff=size,
            london=regions[code] == LONDON_REGION,
            area=trust_area(code),
        )
        for i, (code, size) in enumerate(zip(chosen, sizes, strict=True))
    ]
