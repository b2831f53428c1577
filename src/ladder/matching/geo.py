"""Where a postcode is: its LSOA 2021, the LSOA's centroid and its IMD 2019 decile.

Points come from the shipped postcode lookup (or the user's imported one) joined to the
LSOA 2021 centroids of ``reference.lsoas()`` (ONS, data/README.md): a postcode is placed at
its LSOA's centroid, so distances are good to about half a mile in towns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import polars as pl

from ladder import reference
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_postcode
from ladder.place.lookup import postcode_table

EARTH_RADIUS_MILES = 3958.7613


@dataclass(frozen=True)
class Point:
    """A postcode's area: LSOA 2021, its centroid and its IMD 2019 decile (None in Wales)."""

    postcode: str
    lsoa21: str
    lon: float
    lat: float
    imd_decile: int | None


@cache
def _centroids() -> dict[str, tuple[float, float, int | None]]:
    table = reference.lsoas().select("lsoa21", "lon", "lat", "imd2019_decile")
    return {
        str(code): (float(lon), float(lat), None if dec is None else int(dec))
        for code, lon, lat, dec in table.iter_rows()
        if lon is not None and lat is not None
    }


def clean_postcode(raw: str) -> str | None:
    """The postcode in ONS form, or None when it is not a postcode."""
    try:
        return normalise_postcode(raw)
    except InvalidValue:
        return None


def points(postcodes: Iterable[str]) -> dict[str, Point]:
    """The :class:`Point` of each known postcode (unknown or invalid ones are left out)."""
    cleaned = {raw: clean_postcode(raw) for raw in postcodes if raw}
    wanted = sorted({pc for pc in cleaned.values() if pc})
    if not wanted:
        return {}
    found = postcode_table().filter(pl.col("pcds").is_in(wanted)).select("pcds", "lsoa21")
    lsoa = {str(pc): str(code) for pc, code in found.iter_rows() if code is not None}
    cent = _centroids()
    out: dict[str, Point] = {}
    for raw, pc in cleaned.items():
        code = lsoa.get(pc) if pc else None
        if pc and code and code in cent:
            lon, lat, decile = cent[code]
            out[raw] = Point(pc, code, lon, lat, decile)
    return out


def miles(a: Point, lon: float, lat: float) -> float:
    """Straight-line (great-circle) distance in miles."""
    p1, p2 = math.radians(a.lat), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))
