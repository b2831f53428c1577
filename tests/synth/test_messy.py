"""Messy mode: export-style headers and spellings, cp1252, and exactly the listed bad values."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from ladder.contract import dataset
from ladder.io.validate import validate_file
from ladder.normalise.errors import InvalidValue
from ladder.normalise.stages import shipped
from ladder.synth import SynthResult
from ladder.synth.generator import CORE as DATASETS  # the careers datasets stay canonical
from ladder.synth.messy import OMITTED, header


def _read_messy(path: Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    text = path.read_bytes().decode("cp1252")
    return pl.read_csv(text.encode("utf-8"), infer_schema=False)


def _manifest(result: SynthResult) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads((result.out / "messy_manifest.json").read_text())
    return data


def test_csv_is_windows_1252(messy_csv: SynthResult) -> None:
    for kind in DATASETS:
        raw = messy_csv.files[kind].read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        raw.decode("cp1252")
    staff = messy_csv.files["staff"].read_bytes()
    assert b"\xa3" in staff  # '£' in pay


def test_headers_are_contract_aliases(messy_csv: SynthResult, messy_parquet: SynthResult) -> None:
    for result in (messy_csv, messy_parquet):
        for kind in DATASETS:
            df = _read_messy(result.files[kind])
            spec = dataset(kind)
            aliases = {c.name: c.aliases for c in spec.columns}
            expected = [header(kind)[c] for c in spec.column_names if c not in OMITTED]
            assert df.columns == expected
            for name, written in header(kind).items():
                assert written in aliases[name]
    staff = _read_messy(messy_csv.files["staff"])
    assert {"Assignment Number", "Ethnic Origin", "Pay Band", "Disability Flag"} <= set(
        staff.columns
    )


def test_manifest_rows_hold_exactly_the_listed_values(
    messy_csv: SynthResult, messy_parquet: SynthResult
) -> None:
    for result in (messy_csv, messy_parquet):
        manifest = _manifest(result)
        assert {m["problem"] for m in manifest} == {
            "negative_value",
            "impossible_date",
            "invalid_value",
            "duplicate_id",
            "missing_value",
        }
        for entry in manifest:
            df = _read_messy(result.files[str(entry["dataset"])])
            row = int(str(entry["row"])) - 2  # header is spreadsheet row 1
            value = df.get_column(str(entry["column"]))[row]
            assert (value or "") == entry["value"], entry


def test_ladder_validate_finds_exactly_the_manifest(messy_csv: SynthResult) -> None:
    expected = {
        (m["dataset"], m["row"], m["column"], m["value"], m["problem"])
        for m in _manifest(messy_csv)
    }
    found = set()
    for kind in DATASETS:
        validation = validate_file(messy_csv.files[kind], kind)
        assert validation.encoding == "cp1252"
        found |= {(kind, p.row, p.column, p.value or "", p.code) for p in validation.problems}
    assert found == expected


def test_every_other_value_is_accepted_by_the_normalisers(messy_parquet: SynthResult) -> None:
    bad = {(m["dataset"], m["row"], m["column"]) for m in _manifest(messy_parquet)}
    for kind in DATASETS:
        spec = dataset(kind)
        df = _read_messy(messy_parquet.files[kind]).with_row_index("row", offset=2)
        for name, written in header(kind).items():
            if name in OMITTED:
                continue
            normalise = spec.column(name).type.normalise
            rows = df.select("row", written).filter(pl.col(written).is_not_null())
            for row, value in rows.unique(written).iter_rows():
                if (kind, row, written) in bad or value.strip() == "":
                    continue
                try:
                    normalise(value)
                except InvalidValue as exc:  # pragma: no cover - failure message
                    pytest.fail(f"{kind}.{written} row {row}: {value!r} refused: {exc}")


def test_messy_spellings_look_like_exports(messy_csv: SynthResult) -> None:
    staff = _read_messy(messy_csv.files["staff"])
    ethnic = set(staff.get_column("Ethnic Origin").drop_nulls())
    assert "White - British" in ethnic or "White – British" in ethnic
    bands = set(staff.get_column("Pay Band").drop_nulls())
    assert bands & {"8A", "Band 8 - Range A", "AfC Band 5", "AfC Band 6"}
    assert set(staff.get_column("Full Pay Relevant").drop_nulls()) <= {"Y", "N"}
    assert "Not Declared" in set(staff.get_column("Disability Flag"))
    dates = staff.get_column("Date of Birth")
    assert dates.str.contains(r"^\d{2}/\d{2}/\d{4}$").any()
    assert dates.str.contains(r"^\d{2}-[A-Z][a-z]{2}-\d{4}$").any()
    pay = staff.get_column("Hourly Pay")
    assert pay.str.starts_with("£").any()
    bonus = staff.get_column("Bonus Pay").drop_nulls()
    assert bonus.str.contains(r"^£\d{1,3},\d{3}\.\d{2}$").any()


def test_status_column_agrees_with_the_flags(messy_csv: SynthResult) -> None:
    rows = validate_file(messy_csv.files["applications"], "applications").valid_rows()
    stage_map = shipped()
    pairs = rows.select("stage", "shortlisted", "appointed").unique().iter_rows()
    for stage, shortlisted, appointed in pairs:
        found = stage_map.lookup(stage)
        assert found is not None and (found.shortlisted, found.appointed) == (
            shortlisted,
            appointed,
        ), stage
