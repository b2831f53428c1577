"""Editions of the English Indices of Deprivation and the LSOA vintage each is built on."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Edition", "EditionNotShipped", "VintageError"]


class Edition(StrEnum):
    """An IoD edition; its LSOAs are of one vintage only."""

    IMD2019 = "imd2019"
    IMD2025 = "imd2025"

    @property
    def label(self) -> str:
        """Human name, e.g. ``English IMD 2019 (LSOA 2011)``."""
        return f"English IMD {self.value[3:]} (LSOA {self.lsoa_vintage})"

    @property
    def lsoa_vintage(self) -> int:
        """The census year of the LSOA boundaries the edition is published on."""
        return 2011 if self is Edition.IMD2019 else 2021

    @property
    def lsoa_count(self) -> int:
        """Number of English LSOAs ranked by the edition."""
        return 32_844 if self is Edition.IMD2019 else 33_755


class EditionNotShipped(LookupError):
    """The edition's data are not packaged with Ladder."""

    def __init__(self, edition: Edition) -> None:
        super().__init__(
            f"{edition.label} is not shipped with this version of Ladder: the English Indices of "
            "Deprivation 2025 (MHCLG, published 30 October 2025; 33,755 LSOAs on 2021 "
            "boundaries) are not in the staged source data. Use --edition imd2019 (2021 LSOAs "
            "are bridged to their 2011 parents), or load IoD 2025 yourself: convert its File 7 "
            "to imd2025_lsoa21.parquet with the columns of ladder.reference.imd2019() (lsoa21 "
            "in place of lsoa11) and put it in the user reference folder "
            "($LADDER_REFERENCE_DIR or ~/.local/share/ladder/reference)."
        )
        self.edition = edition


class VintageError(ValueError):
    """An LSOA code of one census vintage was used with an edition built on the other."""
