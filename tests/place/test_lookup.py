"""Known LSOAs, the 2021→2011 bridge, the vintage guard and postcode look-ups."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder import reference
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_postcode
from ladder.place.editions import Edition, EditionNotShipped, VintageError
from ladder.place.lookup import Bridge, decile_from_rank, lookup_lsoas, lookup_postcodes

FILE_1 = Path("/work/shared/data/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz")

# Rows of the official MHCLG File 1 (IMD 2019): code, LA, rank, decile.
KNOWN = [
    ("E01000001", "City of London", 29_199, 9),
    ("E01015458", "Bournemouth, Christchurch and Poole", 30_986, 10),
    ("E01032830", "Tonbridge and Malling", 7_156, 3),
    ("E01021988", "Tendring", 1, 1),
]


@pytest.mark.parametrize(("code", "la", "rank", "decile"), KNOWN)
def test_known_lsoas_have_official_rank_and_decile(
    code: str, la: str, rank: int, decile: int
) -> None:
    (result,) = lookup_lsoas([code])
    assert result.ok
    assert (result.imd_rank, result.imd_decile) == (rank, decile)
    assert result.local_authority_name == la
    assert result.bridge is Bridge.DIRECT
    assert result.edition is Edition.IMD2019
    assert result.imd_quintile == (decile + 1) // 2


@pytest.mark.skipif(not FILE_1.is_file(), reason="source data not staged")
def test_shipped_table_matches_file_1_everywhere() -> None:
    with gzip.open(FILE_1, "rb") as handle:
        official = pl.read_csv(handle.read(), infer_schema=False)
    official = official.select(
        pl.col(official.columns[0]).alias("lsoa11"),
        pl.col(official.columns[4]).str.replace_all(",", "").cast(pl.Int32).alias("imd_rank"),
        pl.col(official.columns[5]).cast(pl.UInt8).alias("imd_decile"),
    )
    shipped = reference.imd2019().select("lsoa11", "imd_rank", "imd_decile")
    assert shipped.height == official.height == 32_844
    assert shipped.sort("lsoa11").equals(official.sort("lsoa11"))


def test_decile_from_rank_matches_the_official_file() -> None:
    imd = reference.imd2019()
    computed = [decile_from_rank(r, 32_844) for r in imd["imd_rank"].to_list()]
    assert computed == imd["imd_decile"].to_list()


def test_imd2019_table_shape() -> None:
    imd = reference.imd2019()
    assert imd.height == 32_844
    # The official ranks hold a few ties (equal scores share a rank): 32,818 distinct.
    assert (imd["imd_rank"].min(), imd["imd_rank"].max()) == (1, 32_844)
    assert imd["lsoa11"].n_unique() == 32_844
    for domain in ("income", "living_environment"):
        assert imd[f"{domain}_decile"].is_between(1, 10).all()
    assert imd["population"].sum() > 50_000_000


def test_split_lsoa_takes_its_one_parent() -> None:
    (split,) = lookup_lsoas(["E01035189"], bridge=True)
    (parent,) = lookup_lsoas(["E01033468"])
    assert split.bridge is Bridge.SPLIT
    assert split.lsoa11 == ("E01033468",)
    assert (split.imd_rank, split.imd_decile, split.imd_score) == (
        parent.imd_rank,
        parent.imd_decile,
        parent.imd_score,
    )


def test_merged_lsoa_uses_population_weighted_score() -> None:
    (merged,) = lookup_lsoas(["E01035188"], bridge=True)
    assert merged.bridge is Bridge.MERGED
    assert merged.lsoa11 == ("E01011973", "E01011976")
    imd = reference.imd2019().filter(pl.col("lsoa11").is_in(merged.lsoa11))
    score = (imd["imd_score"] * imd["population"]).sum() / imd["population"].sum()
    assert merged.imd_score == pytest.approx(score, abs=1e-3)
    higher = reference.imd2019().filter(pl.col("imd_score") > score).height
    assert merged.imd_rank == higher + 1
    assert merged.imd_decile == decile_from_rank(higher + 1, 32_844)
    assert merged.bridge_note is not None and "population-weighted" in merged.bridge_note


def test_vintage_guard_2021_code_in_imd2019() -> None:
    (result,) = lookup_lsoas(["E01035188"], Edition.IMD2019)
    assert not result.ok
    assert result.reason is not None
    assert "LSOA 2021" in result.reason and "bridge" in result.reason
    assert "IoD 2025" in result.reason
    with pytest.raises(VintageError, match="2011 ↔ 2021 bridge"):
        lookup_lsoas(["E01035188"], strict=True)


def test_vintage_guard_2011_code_in_imd2025() -> None:
    # E01033468 was split in 2021, so the code exists only in the 2011 set.
    (result,) = lookup_lsoas(["E01033468"], Edition.IMD2025)
    assert not result.ok
    assert result.reason is not None and "LSOA 2011" in result.reason
    with pytest.raises(VintageError):
        lookup_lsoas(["E01033468"], Edition.IMD2025, strict=True)


def test_imd2025_not_shipped_says_how_to_load_it() -> None:
    with pytest.raises(EditionNotShipped, match="30 October 2025") as info:
        lookup_lsoas(["E01035188"], Edition.IMD2025)
    assert "33,755" in str(info.value)
    assert "imd2025_lsoa21.parquet" in str(info.value)
    with pytest.raises(EditionNotShipped):
        lookup_postcodes(["TS24 8AP"], Edition.IMD2025)


def test_imd2025_from_user_reference_dir(user_reference_dir: Path) -> None:
    user_reference_dir.mkdir(parents=True)
    fake = (
        reference.imd2019()
        .head(1)
        .with_columns(pl.lit("E01035188").alias("lsoa11"))
        .rename({"lsoa11": "lsoa21"})
    )
    fake.write_parquet(user_reference_dir / "imd2025_lsoa21.parquet")
    (result,) = lookup_lsoas(["E01035188"], Edition.IMD2025)
    assert result.ok and result.bridge is Bridge.DIRECT
    assert result.imd_rank == fake["imd_rank"][0]


def test_invalid_and_unknown_lsoas_are_reported() -> None:
    results = lookup_lsoas(["nonsense", "E01999999", "w01000001"])
    assert [r.ok for r in results] == [False, False, True]
    assert results[0].reason == "not an LSOA code"
    assert results[1].reason is not None and "not a known LSOA" in results[1].reason
    assert results[2].imd_decile is None and results[2].note is not None


def test_postcodes_in_input_order_with_reasons() -> None:
    inputs = ["ts24 8ap", "not a postcode", "SW1A 2AA", "cf10  1aa", "TS11AE"]
    results = lookup_postcodes(inputs)
    assert [r.input for r in results] == inputs
    merged, invalid, scottish_like, welsh, split = results
    assert merged.ok and merged.postcode == "TS24 8AP" and merged.lsoa21 == "E01035188"
    assert merged.bridge is Bridge.MERGED and merged.local_authority_name == "Hartlepool"
    assert not invalid.ok and invalid.reason == "not a UK postcode"
    assert not scottish_like.ok and scottish_like.reason is not None
    assert welsh.ok and welsh.imd_decile is None and welsh.local_authority == "W06000015"
    assert split.ok and split.bridge is Bridge.SPLIT and split.imd_decile == 1


_OUTWARD = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]?\Z")
_INWARD = st.from_regex(r"\A[0-9][A-Z]{2}\Z")


@given(_OUTWARD, _INWARD, st.sampled_from(["", " ", "  ", "\t"]), st.booleans())
def test_postcode_normalisation_is_canonical(
    outward: str, inward: str, gap: str, lower: bool
) -> None:
    raw = f" {outward}{gap}{inward} "
    raw = raw.lower() if lower else raw
    normalised = normalise_postcode(raw)
    assert normalised == f"{outward} {inward}"
    assert normalise_postcode(normalised) == normalised


@given(st.text(alphabet="ABCXYZ0123456789 -!", max_size=10))
def test_postcode_normalisation_rejects_or_returns_pcds(raw: str) -> None:
    try:
        normalised = normalise_postcode(raw)
    except InvalidValue:
        return
    outward, inward = normalised.split(" ")
    assert 2 <= len(outward) <= 4 and len(inward) == 3
    assert normalised.replace(" ", "") == "".join(raw.split()).upper()
