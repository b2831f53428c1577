"""Shipped reference data and the choice and sizing of trusts."""

from __future__ import annotations

import polars as pl
import pytest

from ladder import reference
from ladder.synth import SynthConfig, plan
from ladder.synth.trusts import default_trusts, trust_sizes


def test_reference_tables_load() -> None:
    trusts = reference.trusts()
    assert {"org_code", "name", "postcode", "lon", "lat", "open", "ltla22"} <= set(trusts.columns)
    assert trusts.filter(pl.col("open_2022_03") | pl.col("open_2026_06")).height == 214
    assert trusts.get_column("ltla22").null_count() == 0
    catch = reference.trust_catchments()
    sums = catch.group_by("org_code").agg(pl.col("share").sum()).get_column("share")
    assert ((sums - 1).abs() < 1e-6).all()
    census = reference.census_ethnicity()
    assert census.height == 331 and "A" in census.columns and "Z" not in census.columns
    postcodes = reference.postcodes()
    assert postcodes.height > 2_000_000
    assert postcodes.filter(pl.col("pcds") == "LS9 7TF").height == 1
    lsoas = reference.lsoas()
    assert lsoas.get_column("lsoa21").is_unique().all()
    assert reference.postcodes() is postcodes  # cached


def test_default_order_starts_with_barts_then_leeds() -> None:
    order = default_trusts()
    assert order[:2] == ["R1H", "RR8"]
    assert order[2:] == sorted(order[2:])
    assert len(order) == 214


def test_sizes_total_and_first_trust_large() -> None:
    sizes = trust_sizes(50, 1000, seed=3)
    assert abs(sum(sizes) - 50_000) < 100
    assert sizes[0] > 1.6 * sorted(sizes)[25]
    assert len(set(sizes[1:])) > 40  # sizes vary
    assert trust_sizes(1, 700, seed=3) == [700]


def test_trusts_option_and_errors(tmp_path: pytest.TempPathFactory) -> None:
    chosen = plan(SynthConfig(out=tmp_path, trusts=("RR8", "RJ1"), staff=100))  # type: ignore[arg-type]
    assert [t.org_code for t in chosen] == ["RR8", "RJ1"]
    with pytest.raises(ValueError, match="unknown trust"):
        plan(SynthConfig(out=tmp_path, trusts=("XXX",)))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="--orgs"):
        plan(SynthConfig(out=tmp_path, orgs=500))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="--staff"):
        plan(SynthConfig(out=tmp_path, staff=10))  # type: ignore[arg-type]
