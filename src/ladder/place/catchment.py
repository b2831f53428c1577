"""Catchments: the area around an employer whose population its workforce is compared with.

A trust's *published* catchment (``reference.trust_catchments()``: the share of its patients
by local authority) weights the catchment population figures of the anchor-institution
indicators; its *local* authorities are those holding at least 5% of it (or the trust's own
local authority when it has no published catchment). A :class:`Catchment` given by a user —
local authorities, or sites plus a distance — replaces the local authorities in the
neighbourhood view (``ladder place neighbourhoods``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import polars as pl

from ladder import reference

LOCAL_SHARE = 0.05
"""A catchment local authority is *local* when it holds at least 5% of the catchment."""
DECILE = "most deprived decile"
QUINTILE = "most deprived quintile"
EARTH_RADIUS_KM = 6371.0088


class CatchmentError(ValueError):
    """A catchment that cannot be built from what the user gave (the message says why)."""


@cache
def catchments() -> pl.DataFrame:
    """org_code, la, weight: each trust's catchment (trust_catchments(); else its own LA)."""
    shares = reference.trust_catchments().select(
        "org_code", pl.col("ltla21").alias("la"), pl.col("share").alias("weight")
    )
    own = (
        reference.trusts()
        .filter(~pl.col("org_code").is_in(shares["org_code"].unique().implode()))
        .filter(pl.col("ltla22").is_not_null())
        .select(
            "org_code", pl.col("ltla22").cast(pl.String).alias("la"), pl.lit(1.0).alias("weight")
        )
    )
    return pl.concat([shares, own])


@cache
def la_deprivation() -> pl.DataFrame:
    """Per local authority: the share of its population living in LSOAs of the most deprived
    decile / quintile nationally (Census 2021 usual residents of each English 2021 LSOA, from
    the neighbourhood table a run reads anyway)."""
    population = pl.col("population").cast(pl.Float64)
    return (
        reference.lsoa21_imd2019()
        .group_by(pl.col("local_authority").alias("la"))
        .agg(
            (population * (pl.col("imd_decile") == 1)).sum().alias(DECILE),
            (population * (pl.col("imd_decile") <= 2)).sum().alias(QUINTILE),
            population.sum().alias("_population"),
        )
        .with_columns(pl.col(DECILE, QUINTILE) / pl.col("_population"))
        .drop("_population")
    )


@cache
def _catchment_shares() -> dict[str, dict[str, float]]:
    """:func:`catchment_share` of every trust with a catchment, in one join and group-by."""
    weight = pl.col("weight")
    sums = (
        catchments()
        .join(la_deprivation(), on="la")
        .group_by("org_code")
        .agg(
            weight.sum().alias("_total"),
            *((weight * pl.col(g)).sum().alias(g) for g in (DECILE, QUINTILE)),
        )
        .filter(pl.col("_total") > 0)
    )
    return {
        row["org_code"]: {
            g: 100.0 * float(row[g]) / float(row["_total"]) for g in (DECILE, QUINTILE)
        }
        for row in sums.iter_rows(named=True)
    }


@cache
def catchment_share(org: str, group: str) -> float | None:
    """Percent of the trust's catchment population living in the decile / quintile.

    Σ weight × (the local authority's population share) over the catchment's authorities;
    authorities not in the LSOA lookup are dropped and the weights rescaled. Every trust's
    figures are computed together, once (:func:`_catchment_shares`).
    """
    shares = _catchment_shares().get(org)
    return None if shares is None else shares[group]


def local_areas(org: str) -> set[str]:
    """The trust's local authorities: catchment LAs holding ≥ 5% of it (or its own LA)."""
    return set(_local_areas(org))


@cache
def _every_local_area() -> dict[str, frozenset[str]]:
    """:func:`local_areas` of every trust with a catchment, in one pass."""
    weight = pl.col("weight")
    local = (
        catchments()
        .filter(weight >= LOCAL_SHARE * weight.sum().over("org_code"))
        .group_by("org_code")
        .agg("la")
    )
    return {org: frozenset(areas) for org, areas in local.iter_rows()}


def _local_areas(org: str) -> frozenset[str]:
    """:func:`local_areas` as a frozen set (every trust's computed once:
    :func:`_every_local_area`)."""
    return _every_local_area().get(org, frozenset())


@cache
def la_names() -> dict[str, str]:
    """Local authority code (LTLA 2022) → name, England and Wales (the two columns read
    alone: a run needs no other column of the LSOA table)."""
    with reference.data_file("lsoa21.parquet").open("rb") as handle:
        pairs = pl.read_parquet(handle, columns=["ltla22", "ltla22_name"])
    return dict(pairs.unique().iter_rows())


# --- User catchments ------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A place the catchment is measured from (a hospital, a community hub)."""

    label: str
    lon: float
    lat: float
    note: str | None = None


@dataclass(frozen=True)
class Catchment:
    """LSOAs in ``local_authorities`` or within ``within_km`` of any of ``sites``."""

    local_authorities: tuple[str, ...] = ()
    sites: tuple[Site, ...] = ()
    within_km: float | None = None

    def __post_init__(self) -> None:
        if self.sites and (self.within_km is None or self.within_km <= 0):
            raise CatchmentError("give a distance in km (--within) with the sites")
        if not self.sites and not self.local_authorities:
            raise CatchmentError("a catchment needs local authorities or sites with a distance")

    def describe(self) -> str:
        """Plain-English description, named in every output."""
        parts: list[str] = []
        if self.local_authorities:
            names = [f"{la_names().get(la, la)} ({la})" for la in self.local_authorities]
            parts.append("local authorities " + ", ".join(names))
        if self.sites:
            sites = ", ".join(s.label for s in self.sites)
            parts.append(f"within {self.within_km:g} km of {sites}")
        return " or ".join(parts)

    def lsoas(self) -> pl.DataFrame:
        """The catchment's 2021 LSOAs (``reference.lsoas()`` rows) with ``distance_km``
        (to the nearest site, centroid to site; null without sites)."""
        return self.within(_lsoa_table(), "ltla22")

    def within(self, table: pl.DataFrame, local_authority: str) -> pl.DataFrame:
        """The rows of ``table`` (one per 2021 LSOA: ``lon``, ``lat`` and the local authority
        code in column ``local_authority``) inside the catchment, with ``distance_km`` (as
        :meth:`lsoas`)."""
        distance: pl.Expr = pl.lit(None, dtype=pl.Float64)
        if self.sites:
            distance = pl.min_horizontal(*(_haversine_km(s) for s in self.sites))
        inside = pl.col(local_authority).is_in(list(self.local_authorities))
        if self.sites and self.within_km is not None:
            inside = inside | (pl.col("distance_km") <= self.within_km)
        return table.with_columns(distance.alias("distance_km")).filter(inside)


@cache
def _lsoa_table() -> pl.DataFrame:
    """``reference.lsoas()`` with ``ltla22`` as a string (prepared once for every catchment)."""
    return reference.lsoas().with_columns(pl.col("ltla22").cast(pl.String))


def _haversine_km(site: Site) -> pl.Expr:
    lat1, lon1 = math.radians(site.lat), math.radians(site.lon)
    lat2 = pl.col("lat").cast(pl.Float64).radians()
    lon2 = pl.col("lon").cast(pl.Float64).radians()
    a = ((lat2 - lat1) / 2).sin() ** 2 + math.cos(lat1) * lat2.cos() * (
        (lon2 - lon1) / 2
    ).sin() ** 2
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()


def default_catchment(org: str) -> Catchment | None:
    """The trust's local authorities (:func:`local_areas`) as a catchment; None if unknown."""
    areas = local_areas(org)
    return Catchment(local_authorities=tuple(sorted(areas))) if areas else None


_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def resolve_site(text: str) -> Site:
    """A site from an NHS trust code (its ODS location), ``lat,lon``, or a postcode (the
    centroid of its 2021 LSOA: within a few hundred metres). Raises :class:`CatchmentError`."""
    from ladder.place.lookup import lookup_postcodes

    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (49.0 <= lat <= 61.0 and -9.0 <= lon <= 2.5):
            raise CatchmentError(
                f"site {text!r}: {lat}, {lon} is not in Great Britain — give latitude, longitude"
            )
        return Site(f"{lat:.4f}, {lon:.4f}", lon, lat)
    code = text.strip().upper()
    trust = reference.trusts().filter(pl.col("org_code") == code)
    if not trust.is_empty():
        row = trust.row(0, named=True)
        if row["lon"] is None or row["lat"] is None:
            raise CatchmentError(f"site {text!r}: trust {code} has no location in the ODS data")
        return Site(f"{row['name']} ({code})", float(row["lon"]), float(row["lat"]))
    found = lookup_postcodes([text])[0]
    if not found.ok or found.lsoa21 is None:
        raise CatchmentError(
            f"site {text!r} is not an NHS trust code, a 'lat,lon' pair or a known postcode"
            + (f" ({found.reason})" if found.reason else "")
        )
    centroid = reference.lsoas().filter(pl.col("lsoa21") == found.lsoa21)
    row = centroid.row(0, named=True)
    return Site(
        str(found.postcode),
        float(row["lon"]),
        float(row["lat"]),
        note=f"{found.postcode}: centroid of its LSOA {found.lsoa21}",
    )


def resolve_local_authority(text: str) -> str:
    """An LTLA 2022 code from a code or a name (case-insensitive); :class:`CatchmentError`."""
    names = la_names()
    code = text.strip().upper()
    if code in names:
        return code
    wanted = text.strip().casefold()
    matches = [c for c, n in names.items() if n.casefold() == wanted]
    if len(matches) == 1:
        return matches[0]
    close = sorted(n for n in names.values() if wanted and wanted in n.casefold())[:5]
    hint = f" — did you mean {', '.join(close)}?" if close else ""
    raise CatchmentError(
        f"{text!r} is not an English or Welsh local authority code (LTLA 2022, e.g. "
        f"E09000030) or name{hint}"
    )
