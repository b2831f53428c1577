"""``ladder place`` and ``ladder reference import-postcodes``: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ladder.cli.app import app
from tests.place.test_import import _csv

runner = CliRunner()


def test_place_postcode_table() -> None:
    result = runner.invoke(app, ["place", "postcode", "ls1 3ex", "TS24 8AP"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "English IMD 2019 (LSOA 2011)" in out
    assert "E01033008" in out and "Leeds" in out and "13,916 of 32,844" in out
    assert "Hartlepool" in out and "population-weighted" in out


def test_place_postcode_invalid_exits_1_and_prints_the_others() -> None:
    result = runner.invoke(app, ["place", "postcode", "LS1 3EX", "nonsense", "SW1A 2AA"])
    assert result.exit_code == 1
    assert "E01033008" in result.stdout
    assert "nonsense" in result.stderr and "not a UK postcode" in result.stderr
    assert "SW1A 2AA" in result.stderr
    assert "2 of 3" in result.stderr


def test_place_lsoa_json() -> None:
    result = runner.invoke(app, ["place", "lsoa", "E01000001", "--format", "json"])
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)
    assert doc["edition"] == "imd2019"
    assert (doc["imd_rank"], doc["imd_decile"], doc["imd_score"]) == (29_199, 9, 6.208)
    assert doc["local_authority_name"] == "City of London"
    assert doc["domain_deciles"]["barriers"] == 3


def test_place_lsoa_vintage_guard_and_bridge() -> None:
    result = runner.invoke(app, ["place", "lsoa", "E01035188"])
    assert result.exit_code == 1
    assert "LSOA 2021" in result.stderr and "--bridge" in result.stderr
    bridged = runner.invoke(app, ["place", "lsoa", "E01035188", "--bridge", "-f", "json"])
    assert bridged.exit_code == 0
    assert json.loads(bridged.stdout)[0]["bridge"] == "M"


def test_place_lsoa_imd2025_not_shipped() -> None:
    result = runner.invoke(app, ["place", "lsoa", "E01035188", "--edition", "imd2025"])
    assert result.exit_code == 1
    assert "not shipped" in result.stderr
    guard = runner.invoke(app, ["place", "lsoa", "E01033468", "--edition", "imd2025"])
    assert guard.exit_code == 1
    assert "LSOA 2011" in guard.stderr


def test_import_postcodes_cli(tmp_path: Path) -> None:
    csv = _csv(tmp_path / "nspl.csv")
    out = tmp_path / "ref"
    result = runner.invoke(app, ["reference", "import-postcodes", str(csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "postcodes.parquet").is_file()
    for label, count in (("Rows read", 7), ("Kept", 5), ("terminated", 1), ("missing LSOA", 1)):
        line = next(x for x in result.stdout.splitlines() if label in x)
        assert str(count) in line
    missing = runner.invoke(app, ["reference", "import-postcodes", str(tmp_path / "no.csv")])
    assert missing.exit_code == 1
