"""The reference data behind every run's place figures, built once per process."""

from __future__ import annotations

from ladder.place import catchment, enrich, neighbourhoods


def warm() -> None:
    """Read and index the reference data every run's place figures use: the area of every
    LSOA and the set of known places (:mod:`ladder.place.enrich`), the national
    neighbourhood table by local authority, and the catchments with their deprivation
    shares, local areas and names. Each is cached for the process, so a service calls this
    once at start and its first run reads none of them; calling it again costs nothing."""
    enrich.area_index()
    enrich._places()
    neighbourhoods._by_local_authority()
    catchment.catchments()
    catchment._catchment_shares()
    catchment._every_local_area()
    catchment.la_names()
