"""The derived reference tables (scripts/build_derived.py) are exactly what their rules build
from the shipped source tables, so the shipped copies cannot drift from the rules."""

from __future__ import annotations

from polars.testing import assert_frame_equal

from ladder import reference
from ladder.place.enrich import COLUMNS, _source_areas, area_index, build_place_areas
from ladder.place.neighbourhoods import build_lsoa21_imd2019


def test_lsoa21_imd2019_is_its_rebuild() -> None:
    assert_frame_equal(reference.lsoa21_imd2019(), build_lsoa21_imd2019())


def test_place_areas_is_its_rebuild() -> None:
    assert_frame_equal(reference.place_areas(), build_place_areas())


def test_area_index_numbers_the_distinct_areas_of_the_sources() -> None:
    """Read from the shipped table, the index is the one found from the sources: each
    distinct area once, by place code, then the unknown area; each place its area's row."""
    table = _source_areas().sort("place")
    columns = list(COLUMNS)
    known = table.select(columns).unique(maintain_order=True)
    codes, areas = area_index()
    assert_frame_equal(areas.head(known.height), known)
    assert areas.row(-1) == (None,) * len(columns)
    assert_frame_equal(codes.get_column("place").to_frame(), table.select("place"))
    assert_frame_equal(areas[codes.get_column("area")], table.select(columns))
