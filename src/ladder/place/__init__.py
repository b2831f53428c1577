"""Place: geography only — postcode → LSOA → deprivation (IMD) look-ups, the LSOA bridge,
catchments, enrichment of a frame (``enrich(frame, engine, lookup)``), the neighbourhood
geography and the postcode reference import. Nothing here reads indicator results
(docs/architecture.md)."""
