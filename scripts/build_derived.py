"""Build the derived reference tables shipped in src/ladder/reference/data/ from the shipped
source tables (lsoa21, imd2019_lsoa11, lsoa11_lsoa21), with Ladder's own rules.

Run (from the repository root) after ``scripts/build_reference.py`` or a change of the rules:

    python scripts/build_derived.py

A fresh process reads these instead of deriving them on first use (~80 ms);
tests/place/test_derived.py rebuilds them and checks they equal the shipped files.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ladder.place.enrich import build_place_areas
from ladder.place.neighbourhoods import build_lsoa21_imd2019

OUT = Path(__file__).resolve().parents[1] / "src" / "ladder" / "reference" / "data"


def tables() -> dict[str, pl.DataFrame]:
    """Each derived file's name and content."""
    return {
        "lsoa21_imd2019.parquet": build_lsoa21_imd2019(),
        "place_areas.parquet": build_place_areas(),
    }


def main() -> None:
    for name, table in tables().items():
        path = OUT / name
        table.write_parquet(path, compression="zstd", compression_level=19, statistics=False)
        print(f"{name}: {table.height:,} rows, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
