"""Place: postcode → LSOA → deprivation (IMD) look-ups and the postcode reference import."""
