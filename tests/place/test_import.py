"""``import-postcodes``: an NSPL-format file with edge cases, converted and looked up."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest

from ladder import reference
from ladder.place.lookup import Bridge, lookup_postcodes, postcode_table, user_postcodes_path
from ladder.place.postcodes_import import PostcodeImportError, import_postcodes

HEADER = "pcd,pcd2,pcds,dointr,doterm,oslaua,ctry,lsoa11,lsoa21\n"
ROWS = [
    # pcds, doterm, oslaua, ctry, lsoa11, lsoa21
    ("TS24 8AP", "", "E06000001", "E92000001", "E01011973", "E01035188"),  # own 2011 LSOA
    ("TS99 9ZZ", "", "E06000002", "E92000001", "", "E01035189"),  # new; bridged (split)
    ("TS98 9ZZ", "202001", "E06000002", "E92000001", "", "E01035189"),  # terminated
    ("LS99 9ZZ", "", "E08000035", "E92000001", "", ""),  # missing LSOA
    ("CF10 1AA", "", "W06000015", "W92000004", "W01001939", "W01002019"),  # Welsh
    ("AB10 1AA", "", "S12000033", "S92000003", "S01006514", "S01006514"),  # Scottish
    ("BT1 1AA", "", "N09000003", "N92000002", "95AA01S1", ""),  # Northern Irish
]


def _csv(path: Path) -> Path:
    lines = [HEADER]
    for pcds, doterm, la, ctry, lsoa11, lsoa21 in ROWS:
        pcd = pcds.replace(" ", "")
        lines.append(f'"{pcd}","{pcd}","{pcds}","199001","{doterm}","{la}","{ctry}",')
        lines.append(f'"{lsoa11}","{lsoa21}"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(params=["csv", "zip"])
def nspl(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    csv = _csv(tmp_path / "NSPL_NOV_2025_UK.csv")
    if request.param == "csv":
        return csv
    archive = tmp_path / "NSPL_NOV_2025_UK.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv, "Data/NSPL_NOV_2025_UK.csv")
        zf.writestr("Documents/LA_UA names.csv", "LAD,NAME\nE06000001,Hartlepool\n")
    csv.unlink()
    return archive


def test_import_counts_and_form(nspl: Path, user_reference_dir: Path) -> None:
    summary = import_postcodes(nspl)
    assert summary.out == user_reference_dir / "postcodes.parquet"
    assert (summary.rows_read, summary.kept, summary.not_england_wales) == (7, 5, 2)
    assert (summary.terminated, summary.missing_lsoa) == (1, 1)
    table = pl.read_parquet(summary.out)
    shipped = reference.postcodes()
    assert table.columns[: len(shipped.columns)] == shipped.columns
    assert table.schema["lsoa21"] == shipped.schema["lsoa21"]
    assert table["pcds"].to_list() == sorted(table["pcds"].to_list())
    assert set(table["pcds"]) == {"TS24 8AP", "TS99 9ZZ", "TS98 9ZZ", "LS99 9ZZ", "CF10 1AA"}


def test_lookups_prefer_the_imported_table(nspl: Path) -> None:
    assert not lookup_postcodes(["TS99 9ZZ"])[0].ok  # not in the shipped copy
    import_postcodes(nspl)
    assert postcode_table().height == 5
    assert user_postcodes_path().is_file()
    results = lookup_postcodes(
        ["ts24 8ap", "TS999ZZ", "TS98 9ZZ", "LS99 9ZZ", "CF10 1AA", "AB10 1AA", "BT1 1AA"]
    )
    own, new, terminated, missing, welsh, scottish, northern_irish = results
    assert own.ok and own.bridge is Bridge.POSTCODE_LSOA11 and own.lsoa11 == ("E01011973",)
    assert own.lsoa21 == "E01035188" and own.local_authority == "E06000001"
    assert new.ok and new.bridge is Bridge.SPLIT and new.terminated is False
    assert terminated.ok and terminated.terminated is True
    assert not missing.ok and missing.reason is not None and "no LSOA" in missing.reason
    assert welsh.ok and welsh.imd_decile is None
    for other in (scottish, northern_irish):
        assert not other.ok and other.reason is not None
        assert "England and Wales" in other.reason


def test_out_option(nspl: Path, tmp_path: Path) -> None:
    summary = import_postcodes(nspl, tmp_path / "elsewhere")
    assert summary.out == tmp_path / "elsewhere" / "postcodes.parquet"
    assert summary.out.is_file()


def test_missing_columns_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("pcds,lsoa11\nTS24 8AP,E01011973\n", encoding="utf-8")
    with pytest.raises(PostcodeImportError, match="lsoa21"):
        import_postcodes(bad)
