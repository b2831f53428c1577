"""Neighbourhood targeting: the most deprived LSOAs of a catchment, with counts.

Checked against the shipped official IMD 2019 file (``reference.imd2019()``): Leeds and
Bradford each have 12 LSOAs (2011) ranked 1–328 (the most deprived 1% of 32,844).
"""

from __future__ import annotations

import json
import math
from datetime import date

import polars as pl
import pytest
from typer.testing import CliRunner

from ladder import reference
from ladder.cli.app import app
from ladder.engines import EngineName
from ladder.metrics.neighbourhoods import build_view
from ladder.metrics.settings import Settings
from ladder.place.catchment import (
    Catchment,
    CatchmentError,
    Site,
    _haversine_km,
    resolve_local_authority,
    resolve_site,
)
from ladder.place.neighbourhoods import catchment_lsoas, priority_lsoas, rank_limit
from tests.metrics.conftest import compute_results, engine, pick

__all__ = ["engine"]

LEEDS, BRADFORD = "E08000035", "E08000032"
SNAPSHOT = date(2024, 3, 31)
runner = CliRunner()


def test_rank_limits_match_the_official_deciles() -> None:
    assert (rank_limit(1), rank_limit(10)) == (328, 3284)
    imd = reference.imd2019()
    decile1 = imd.filter(pl.col("imd_decile") == 1)
    assert int(decile1["imd_rank"].max()) == rank_limit(10)  # type: ignore[arg-type]
    assert imd.filter(pl.col("imd_rank") <= rank_limit(10)).height == decile1.height
    with pytest.raises(ValueError, match="1, 10"):
        rank_limit(5)


def test_priority_lsoas_of_leeds_and_bradford_are_the_official_one_percent() -> None:
    listed = priority_lsoas(Catchment(local_authorities=(LEEDS, BRADFORD)), 1)
    official = reference.imd2019().filter(
        pl.col("lad19").cast(pl.String).is_in([LEEDS, BRADFORD]) & (pl.col("imd_rank") <= 328)
    )
    assert official.height == 24
    parents = (
        reference.lsoa_bridge()
        .filter(pl.col("lsoa21").is_in(listed["lsoa21"].implode()))
        .select(pl.col("lsoa11").cast(pl.String))
    )
    assert set(parents["lsoa11"]) == set(official["lsoa11"].cast(pl.String))
    assert listed["imd_rank"].is_sorted() and (listed["priority"] == "1%").all()
    # E01011372 Leeds 086C: rank 38 in the official file, unchanged 2011 → 2021.
    first = listed.row(0, named=True)
    assert (first["lsoa21"], first["imd_rank"], first["local_authority"]) == (
        "E01011372",
        38,
        LEEDS,
    )
    assert first["population"] > 0 and first["income_decile"] == 1


def test_catchment_lsoas_carry_priority_and_census_population() -> None:
    every = catchment_lsoas(Catchment(local_authorities=(LEEDS,)))
    assert every.height == reference.lsoas().filter(pl.col("ltla22") == LEEDS).height
    one = every.filter(pl.col("priority") == "1%")
    ten = every.filter(pl.col("priority") == "10%")
    assert (one["imd_rank"] <= 328).all() and (
        (ten["imd_rank"] > 328) & (ten["imd_rank"] <= 3284)
    ).all()
    assert every.filter(pl.col("priority").is_null())["imd_decile"].min() == 2  # type: ignore[operator]
    # Census 2021: Leeds had 812,000 usual residents (rounded, ONS).
    assert 800_000 < int(every["population"].sum()) < 825_000


def test_haversine_distance_london_to_leeds() -> None:
    # Charing Cross (51.5074, -0.1278) to Leeds city centre (53.8008, -1.5491): ~272 km.
    frame = pl.DataFrame({"lon": [-1.5491], "lat": [53.8008]})
    km = frame.select(_haversine_km(Site("London", -0.1278, 51.5074)).alias("d"))["d"][0]
    assert math.isclose(km, 272.0, abs_tol=2.0)


def test_site_catchment_includes_lsoas_within_the_distance() -> None:
    centre = reference.lsoas().filter(pl.col("lsoa21") == "E01011363").row(0, named=True)
    site = Site("test", float(centre["lon"]), float(centre["lat"]))
    near = Catchment(sites=(site,), within_km=1.0).lsoas()
    assert "E01011363" in near["lsoa21"].to_list()
    assert (near["distance_km"] <= 1.0).all() and near["distance_km"].min() == 0.0
    assert near.height < Catchment(sites=(site,), within_km=3.0).lsoas().height


def test_resolving_sites_and_local_authorities() -> None:
    assert resolve_local_authority("tower hamlets") == "E09000030"
    assert resolve_local_authority("e08000035") == LEEDS
    with pytest.raises(CatchmentError, match="did you mean"):
        resolve_local_authority("Tower")
    trust = resolve_site("rr8")
    assert "RR8" in trust.label and 53.5 < trust.lat < 54.0
    assert resolve_site("53.8, -1.55").lat == 53.8
    postcode = resolve_site("ls1 3ex")
    assert postcode.note is not None and "E01033008" in postcode.note
    with pytest.raises(CatchmentError, match="not in Great Britain"):
        resolve_site("10.0, 10.0")
    with pytest.raises(CatchmentError, match="not an NHS trust code"):
        resolve_site("nowhere")
    with pytest.raises(CatchmentError, match="distance"):
        Catchment(sites=(trust,))


def _staff() -> pl.DataFrame:
    # Leeds 086C (rank 38) ×12, Leeds 040E (rank 60) ×3, Leeds 071E (rank 134) via postcode
    # LS1 1AS ×1, one outside the catchment (Islington N19 5AA), one unknown postcode.
    lsoas = ["E01011372"] * 12 + ["E01011662"] * 3 + [None, None, None]
    postcodes = [None] * 15 + ["LS1 1AS", "N19 5AA", "ZZ99 9ZZ"]
    n = len(lsoas)
    return pl.DataFrame(
        {
            "staff_id": [f"s{i}" for i in range(n)],
            "org_code": ["RR8"] * n,
            "snapshot_date": [SNAPSHOT] * n,
            "pay_band": ["Band 5"] * n,
            "home_lsoa": lsoas,
            "home_postcode": postcodes,
        }
    )


def test_neighbourhood_counts_by_hand(engine: EngineName) -> None:
    settings = Settings(
        threshold=1, catchment=Catchment(local_authorities=(LEEDS,)), neighbourhood_percent=1
    )
    results = compute_results({"staff": _staff()}, ["place.neighbourhoods"], engine=engine,
                              settings=settings)  # fmt: skip
    ids = {r.id for r in results}
    assert ids == {"place.neighbourhoods.staff"}
    # 12 Leeds LSOAs in the 1%: one result each and the total.
    assert len(results) == 12 + 1
    assert pick(results, "place.neighbourhoods.staff", "staff", lsoa21="E01011372").value == 12
    assert pick(results, "place.neighbourhoods.staff", "staff", lsoa21="E01011662").value == 3
    assert pick(results, "place.neighbourhoods.staff", "staff", lsoa21="E01011363").value == 1
    assert pick(results, "place.neighbourhoods.staff", "staff", lsoa21="E01011294").value == 0
    total = pick(results, "place.neighbourhoods.staff", "staff", lsoa21="all")
    assert total.value == 16 and total.note is not None and "Leeds (E08000035)" in total.note
    assert "1 of 18 staff records" in total.note


def test_neighbourhood_counts_are_suppressed_as_a_table() -> None:
    settings = Settings(catchment=Catchment(local_authorities=(LEEDS,)), neighbourhood_percent=1)
    results = compute_results({"staff": _staff()}, ["place.neighbourhoods"], settings=settings)
    cell = {r.breakdown["lsoa21"]: r for r in results}
    # 3 and 1 are below 10: withheld; with 12 and the total 16 published they would add up
    # to 4 (each 0..4: fewer than 10 possibilities), so the 12 goes too (issue 12's
    # protection) and the total 16 stays.
    assert cell["E01011372"].suppressed
    assert cell["E01011662"].suppressed and cell["E01011363"].suppressed
    assert cell["all"].value == 16
    view = build_view(results, "RR8", 2024, settings.catchment, 1)  # type: ignore[arg-type]
    assert [r.lsoa21 for r in view.rows][:2] == ["E01011372", "E01011662"]
    frame = view.to_frame(10)
    row = frame.filter(pl.col("lsoa21") == "E01011662").row(0, named=True)
    assert (row["staff"], row["staff_note"]) == (None, "withheld")
    assert view.map.height == catchment_lsoas(Catchment(local_authorities=(LEEDS,))).height


def test_cli_neighbourhoods_without_data_and_with_a_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["place", "neighbourhoods", "--la", "Leeds", "--most-deprived", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "E01011372" in result.stdout and "12 of the catchment's" in result.stdout
    _staff().write_parquet(tmp_path / "staff.parquet")
    result = runner.invoke(
        app,
        ["place", "neighbourhoods", str(tmp_path), "--org", "RR8", "--la", LEEDS,
         "--most-deprived", "1", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (view,) = json.loads(result.stdout)
    assert view["org"] == "RR8" and view["neighbourhoods"] == 12
    rows = {r["lsoa21"]: r for r in view["rows"]}
    assert rows["E01011372"]["staff"] is None and rows["E01011662"]["staff_note"] == "withheld"
    assert view["totals"]["staff"]["value"] == 16
    bad = runner.invoke(app, ["place", "neighbourhoods", "--site", "RR8"])
    assert bad.exit_code == 1 and "distance" in bad.stderr
    wrong = runner.invoke(app, ["place", "neighbourhoods", "--most-deprived", "5", "--org", "RR8"])
    assert wrong.exit_code == 2
