"""Import a newer ONS postcode directory (NSPL or ONSPD) as the user's postcode table.

The file (CSV, or a zip holding it) needs ``pcds``, ``lsoa21`` and ``oslaua`` or ``laua``;
``lsoa11``, ``doterm`` (date terminated) and ``ctry`` are used when present. England and
Wales rows are kept (by ``ctry``, else by the local authority code's first letter), live and
terminated, and written in the form of the shipped postcodes table (pcds, lsoa21, ltla22,
imd2019_decile) plus lsoa11 and doterm, to ``<reference dir>/postcodes.parquet``.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ladder import reference
from ladder.place.lookup import reference_dir

__all__ = ["ImportSummary", "PostcodeImportError", "import_postcodes"]

_EW_COUNTRIES = ("E92000001", "W92000004")


class PostcodeImportError(ValueError):
    """The file cannot be imported (missing columns, no CSV in the zip…)."""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """Counts of one import."""

    source: Path
    out: Path
    rows_read: int
    kept: int
    terminated: int
    missing_lsoa: int
    not_england_wales: int
    seconds: float


def _csv_in_zip(path: Path, tmp: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
        if not members:
            raise PostcodeImportError(f"{path.name} holds no CSV file")
        # NSPL/ONSPD zips hold documents and lookups too: the data file is the largest CSV.
        member = max(members, key=lambda m: m.file_size)
        target = tmp / Path(member.filename).name
        with archive.open(member) as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    return target


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        return [c.strip().strip('"') for c in handle.readline().split(",")]


def convert(csv: Path) -> tuple[pl.DataFrame, dict[str, int]]:
    """The postcode table and the counts from an NSPL/ONSPD CSV (lazy scan, streaming)."""
    header = _header(csv)
    la = next((c for c in ("oslaua", "laua", "lad") if c in header), None)
    missing = [c for c in ("pcds", "lsoa21") if c not in header]
    if la is None:
        missing.append("oslaua or laua")
    if missing:
        raise PostcodeImportError(f"{csv.name} lacks the column(s) {', '.join(missing)}")
    assert la is not None
    text = pl.col
    blank = pl.lit(None, pl.String)
    lsoa21 = text("lsoa21").str.strip_chars()
    country = (
        text("ctry").str.strip_chars()
        if "ctry" in header
        else pl.when(text(la).str.slice(0, 1) == "E")
        .then(pl.lit("E92000001"))
        .when(text(la).str.slice(0, 1) == "W")
        .then(pl.lit("W92000004"))
        .otherwise(pl.lit("other"))
    )
    frame = (
        pl.scan_csv(csv, infer_schema=False, encoding="utf8-lossy")
        .select(
            text("pcds").str.strip_chars().alias("pcds"),
            pl.when(lsoa21.str.contains(r"^[EW]01\d{6}$"))
            .then(lsoa21)
            .otherwise(blank)
            .alias("lsoa21"),
            (text("lsoa11").str.strip_chars() if "lsoa11" in header else blank).alias("lsoa11"),
            text(la).str.strip_chars().alias("ltla22"),
            (
                pl.when(text("doterm").str.strip_chars() != "")
                .then(text("doterm").str.strip_chars())
                .otherwise(blank)
                if "doterm" in header
                else blank
            ).alias("doterm"),
            country.is_in(_EW_COUNTRIES).alias("ew"),
        )
        .collect(engine="streaming")
    )
    kept = frame.filter("ew").drop("ew")
    counts = {
        "rows_read": frame.height,
        "kept": kept.height,
        "terminated": int(kept["doterm"].is_not_null().sum()),
        "missing_lsoa": int(kept["lsoa21"].is_null().sum()),
        "not_england_wales": frame.height - kept.height,
    }
    deciles = reference.lsoas().select("lsoa21", "imd2019_decile")
    table = (
        kept.join(deciles, on="lsoa21", how="left")
        .select(
            "pcds",
            pl.col("lsoa21").cast(pl.Categorical),
            pl.col("ltla22").cast(pl.Categorical),
            "imd2019_decile",
            "lsoa11",
            "doterm",
        )
        .sort("pcds")
    )
    return table, counts


def import_postcodes(source: Path, out_dir: Path | None = None) -> ImportSummary:
    """Convert ``source`` (CSV or zip) and write ``postcodes.parquet`` into ``out_dir``."""
    import time

    started = time.perf_counter()
    out_dir = out_dir or reference_dir()
    if not source.is_file():
        raise PostcodeImportError(f"{source} is not a file")
    with tempfile.TemporaryDirectory() as tmp_name:
        csv = source
        if zipfile.is_zipfile(source):
            csv = _csv_in_zip(source, Path(tmp_name))
        table, counts = convert(csv)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "postcodes.parquet"
    partial = out.with_suffix(".parquet.partial")
    table.write_parquet(partial, compression="zstd")
    partial.replace(out)
    return ImportSummary(source=source, out=out, seconds=time.perf_counter() - started, **counts)
