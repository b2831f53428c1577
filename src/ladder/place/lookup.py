"""Postcode and LSOA → deprivation look-ups with typed results and a vintage guard.

IMD 2019 is published on LSOA 2011 boundaries while the postcode lookup gives LSOA 2021
codes. A 2021 LSOA is bridged to IMD 2019 through the ONS LSOA 2011 ↔ 2021 lookup:

* ``U`` unchanged and ``S`` split: the 2021 LSOA has one 2011 parent, whose values it takes.
* ``M`` merged and ``X`` irregular with several 2011 parents: the IMD score is the parents'
  mid-2015 population-weighted mean; the rank is that score's place among the 32,844 2019
  scores (1 + the number of 2011 LSOAs with a higher score) and the decile follows from the
  rank as in the official file. Domain deciles are those of the most populous parent.

An LSOA code is never joined to an edition of the other vintage: a 2021-only code looked up
in IMD 2019 (or a 2011-only code in IoD 2025) is reported with a reason, never guessed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

import polars as pl

from ladder import reference
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_lsoa, normalise_postcode
from ladder.place.bridge import DOMAINS, imd2019_lsoa21
from ladder.place.editions import Edition, EditionNotShipped, VintageError

__all__ = [
    "DOMAINS",
    "Bridge",
    "PlaceResult",
    "decile_from_rank",
    "imd_table",
    "lookup_lsoas",
    "lookup_postcodes",
    "postcode_table",
    "reference_dir",
    "user_postcodes_path",
]


class Bridge(StrEnum):
    """How the LSOA used for the IMD was found."""

    DIRECT = "direct"  # the code given is of the edition's vintage
    POSTCODE_LSOA11 = "postcode_lsoa11"  # the postcode file's own 2011 LSOA (imported NSPL)
    UNCHANGED = "U"
    SPLIT = "S"
    MERGED = "M"
    IRREGULAR = "X"


BRIDGE_NOTES = {
    Bridge.DIRECT: "LSOA of the edition's vintage, no bridge",
    Bridge.POSTCODE_LSOA11: "the postcode's own LSOA 2011 (from the imported NSPL)",
    Bridge.UNCHANGED: "U: LSOA unchanged 2011→2021",
    Bridge.SPLIT: "S: split 2011→2021; values of the one 2011 parent",
    Bridge.MERGED: "M: merged 2011→2021; population-weighted score of the 2011 parents",
    Bridge.IRREGULAR: "X: irregular 2011→2021 change; population-weighted over the parents",
}


@dataclass(frozen=True, slots=True)
class PlaceResult:
    """One look-up: ``ok`` is False (with ``reason``) when the input is invalid or unmatched."""

    input: str
    edition: Edition
    ok: bool = True
    reason: str | None = None
    postcode: str | None = None
    terminated: bool | None = None
    lsoa21: str | None = None
    lsoa11: tuple[str, ...] = ()
    bridge: Bridge | None = None
    local_authority: str | None = None
    local_authority_name: str | None = None
    imd_score: float | None = None
    imd_rank: int | None = None
    imd_decile: int | None = None
    imd_quintile: int | None = None
    domain_deciles: dict[str, int] = field(default_factory=dict)
    note: str | None = None

    @property
    def bridge_note(self) -> str | None:
        """Plain-English account of how the 2021→2011 bridge was resolved."""
        return None if self.bridge is None else BRIDGE_NOTES[self.bridge]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "input": self.input,
            "ok": self.ok,
            "reason": self.reason,
            "edition": self.edition.value,
            "edition_label": self.edition.label,
            "postcode": self.postcode,
            "terminated": self.terminated,
            "lsoa21": self.lsoa21,
            "lsoa11": list(self.lsoa11),
            "bridge": None if self.bridge is None else self.bridge.value,
            "bridge_note": self.bridge_note,
            "local_authority": self.local_authority,
            "local_authority_name": self.local_authority_name,
            "imd_score": self.imd_score,
            "imd_rank": self.imd_rank,
            "imd_decile": self.imd_decile,
            "imd_quintile": self.imd_quintile,
            "domain_deciles": self.domain_deciles,
            "note": self.note,
        }


def reference_dir() -> Path:
    """User reference folder: ``$LADDER_REFERENCE_DIR`` or ``~/.local/share/ladder/reference``."""
    env = os.environ.get("LADDER_REFERENCE_DIR")
    return Path(env) if env else Path.home() / ".local" / "share" / "ladder" / "reference"


def user_postcodes_path() -> Path:
    """Where ``ladder reference import-postcodes`` writes, and the look-ups look first."""
    return reference_dir() / "postcodes.parquet"


@cache
def _read_user(path: Path, mtime: float) -> pl.DataFrame:
    del mtime  # part of the cache key only
    return pl.read_parquet(path)


def postcode_table() -> pl.DataFrame:
    """The user's imported postcode table if there is one, else the shipped copy."""
    path = user_postcodes_path()
    if path.is_file():
        return _read_user(path, path.stat().st_mtime)
    return reference.postcodes()


def imd_table(edition: Edition) -> pl.DataFrame:
    """The edition's LSOA table; raises :class:`EditionNotShipped` when it is unavailable."""
    if edition is Edition.IMD2019:
        return reference.imd2019()
    path = reference_dir() / "imd2025_lsoa21.parquet"
    if path.is_file():
        return _read_user(path, path.stat().st_mtime)
    raise EditionNotShipped(edition)


def decile_from_rank(rank: int, total: int) -> int:
    """Official decile of a rank: ``ceil(10 * rank / total)`` (1 = most deprived 10%)."""
    return -(-rank * 10 // total)


@cache
def _sets() -> tuple[frozenset[str], frozenset[str]]:
    bridge = reference.lsoa_bridge()
    return frozenset(bridge["lsoa11"].to_list()), frozenset(bridge["lsoa21"].to_list())


@cache
def _la_names() -> dict[str, str]:
    lsoas = reference.lsoas()
    names = dict(lsoas.select("ltla22", "ltla22_name").unique().iter_rows())
    imd = reference.imd2019().select(pl.col("lad19").cast(pl.String), "lad19_name").unique()
    for code, name in imd.iter_rows():
        names.setdefault(code, str(name))
    return names


@cache
def _lsoa21_la() -> dict[str, str]:
    return dict(reference.lsoas().select("lsoa21", "ltla22").iter_rows())


def _imd_rows(table: pl.DataFrame, key: str) -> dict[str, dict[str, object]]:
    return {str(row[key]): row for row in table.iter_rows(named=True)}


@cache
def _imd2019_rows() -> dict[str, dict[str, object]]:
    return _imd_rows(reference.imd2019(), "lsoa11")


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


def _float(value: object) -> float:
    assert isinstance(value, (int, float))
    return float(value)


def _imd_fields(row: dict[str, object]) -> dict[str, object]:
    decile = _int(row["imd_decile"])
    return {
        "imd_score": _float(row["imd_score"]),
        "imd_rank": _int(row["imd_rank"]),
        "imd_decile": decile,
        "imd_quintile": (decile + 1) // 2,
        "domain_deciles": {d: _int(row[f"{d}_decile"]) for d in DOMAINS},
    }


@cache
def _bridged_rows() -> dict[str, dict[str, object]]:
    return _imd_rows(imd2019_lsoa21(), "lsoa21")


def _from_parents(lsoa21: str) -> dict[str, object]:
    """IMD 2019 fields for a 2021 LSOA (rule in :mod:`ladder.place.bridge`)."""
    row = _bridged_rows().get(lsoa21)
    return {} if row is None else _imd_fields(row)


@cache
def _parents() -> dict[str, tuple[tuple[str, ...], str]]:
    out: dict[str, tuple[list[str], str]] = {}
    for lsoa11, lsoa21, change in reference.lsoa_bridge().iter_rows():
        entry = out.setdefault(lsoa21, ([], change))
        entry[0].append(lsoa11)
    return {k: (tuple(v[0]), v[1]) for k, v in out.items()}


def _bridged(input_: str, lsoa21: str, edition: Edition, **extra: object) -> PlaceResult:
    """Result for a 2021 LSOA under ``edition`` (IMD 2019 through the bridge)."""
    la = _lsoa21_la().get(lsoa21)
    base: dict[str, object] = {
        "input": input_,
        "edition": edition,
        "lsoa21": lsoa21,
        "local_authority": la,
        "local_authority_name": _la_names().get(la) if la else None,
        **extra,
    }
    if lsoa21.startswith("W"):
        return PlaceResult(
            **base,  # type: ignore[arg-type]
            note="Welsh LSOA: the English IMD does not cover Wales (see the WIMD)",
        )
    if edition is Edition.IMD2025:
        row = _imd_rows(imd_table(edition), "lsoa21").get(lsoa21)
        fields = _imd_fields(row) if row else {}
        return PlaceResult(**base, bridge=Bridge.DIRECT, **fields)  # type: ignore[arg-type]
    parents, change = _parents().get(lsoa21, ((), ""))
    if not parents:
        return PlaceResult(
            **base,  # type: ignore[arg-type]
            ok=False,
            reason=f"{lsoa21} is not in the ONS LSOA 2011 ↔ 2021 lookup",
        )
    return PlaceResult(
        **base,  # type: ignore[arg-type]
        lsoa11=parents,
        bridge=Bridge(change),
        **_from_parents(lsoa21),  # type: ignore[arg-type]
    )


def _direct2019(input_: str, lsoa11: str, bridge: Bridge, **extra: object) -> PlaceResult:
    row = _imd2019_rows()[lsoa11]
    la = str(row["lad19"])
    return PlaceResult(
        input=input_,
        edition=Edition.IMD2019,
        lsoa11=(lsoa11,),
        bridge=bridge,
        local_authority=la,
        local_authority_name=str(row["lad19_name"]),
        **extra,  # type: ignore[arg-type]
        **_imd_fields(row),  # type: ignore[arg-type]
    )


def lookup_lsoas(
    codes: Sequence[str],
    edition: Edition = Edition.IMD2019,
    *,
    bridge: bool = False,
    strict: bool = False,
) -> list[PlaceResult]:
    """Deprivation of each LSOA code under ``edition``, in input order.

    A code must be of the edition's vintage (2011 for IMD 2019, 2021 for IoD 2025); with
    ``bridge=True`` a 2021 code is bridged to IMD 2019 (rule in the module docstring). A code
    of the wrong vintage gives a failed result (``strict=True``: raises :class:`VintageError`).
    Raises :class:`EditionNotShipped` when the edition's data are needed but unavailable.
    """
    set11, set21 = _sets()
    set11 = set11 | frozenset(_imd2019_rows())
    out: list[PlaceResult] = []
    for raw in codes:
        try:
            code = normalise_lsoa(raw)
        except InvalidValue as exc:
            out.append(PlaceResult(input=raw, edition=edition, ok=False, reason=str(exc)))
            continue
        only21 = code in set21 and code not in set11
        only11 = code in set11 and code not in set21
        reason: str | None = None
        if edition is Edition.IMD2019 and only21 and not bridge:
            reason = (
                f"{code} is an LSOA 2021 code, not in the 2011 LSOAs IMD 2019 is published on: "
                "look it up via the 2011 ↔ 2021 bridge (--bridge) or use IoD 2025 "
                "(--edition imd2025)"
            )
        elif edition is Edition.IMD2025 and only11:
            reason = (
                f"{code} is an LSOA 2011 code, not in the 2021 LSOAs IoD 2025 is published on: "
                "use IMD 2019 (--edition imd2019), or a 2021 code from the 2011 ↔ 2021 lookup"
            )
        if reason is not None:
            if strict:
                raise VintageError(reason)
            out.append(PlaceResult(input=raw, edition=edition, ok=False, reason=reason))
        elif code not in set11 and code not in set21:
            out.append(
                PlaceResult(
                    input=raw,
                    edition=edition,
                    ok=False,
                    reason=f"{code} is not a known LSOA (2011 or 2021)",
                )
            )
        elif edition is Edition.IMD2019 and code in _imd2019_rows():
            out.append(_direct2019(raw, code, Bridge.DIRECT))
        elif edition is Edition.IMD2019 and code in set11:  # a Welsh 2011 LSOA
            out.append(
                PlaceResult(
                    input=raw,
                    edition=edition,
                    lsoa11=(code,),
                    note="Welsh LSOA: the English IMD does not cover Wales (see the WIMD)",
                )
            )
        else:
            out.append(_bridged(raw, code, edition))
    return out


def lookup_postcodes(codes: Sequence[str], edition: Edition = Edition.IMD2019) -> list[PlaceResult]:
    """Deprivation of each postcode's LSOA under ``edition``, in input order.

    Postcodes are normalised (case, spacing) and checked against the UK format; an invalid or
    unmatched postcode gives a failed result with the reason (never dropped). The user's
    imported postcode table (``ladder reference import-postcodes``) is preferred over the
    shipped NSPL August 2024 copy.
    """
    if edition is Edition.IMD2025:
        imd_table(edition)  # fail early and clearly when the edition is unavailable
    normalised: list[str | InvalidValue] = []
    for raw in codes:
        try:
            normalised.append(normalise_postcode(raw))
        except InvalidValue as exc:
            normalised.append(exc)
    wanted = [pc for pc in normalised if isinstance(pc, str)]
    table = postcode_table()
    found = table.filter(pl.col("pcds").is_in(wanted))
    cols = set(found.columns)
    by_pc = {row["pcds"]: row for row in found.iter_rows(named=True)}
    rows11 = _imd2019_rows()
    out: list[PlaceResult] = []
    for raw, pc in zip(codes, normalised, strict=True):
        if isinstance(pc, InvalidValue):
            out.append(PlaceResult(input=raw, edition=edition, ok=False, reason=str(pc)))
            continue
        row = by_pc.get(pc)
        if row is None:
            out.append(
                PlaceResult(
                    input=raw,
                    edition=edition,
                    ok=False,
                    postcode=pc,
                    reason=(
                        f"{pc} is not in the postcode lookup (England and Wales postcodes "
                        "only; a new postcode may need a newer file: ladder reference "
                        "import-postcodes)"
                    ),
                )
            )
            continue
        terminated = bool(row["doterm"]) if "doterm" in cols else None
        lsoa21 = row["lsoa21"]
        lsoa11 = row.get("lsoa11") if "lsoa11" in cols else None
        if edition is Edition.IMD2019 and lsoa11 in rows11:
            result = _direct2019(
                raw, str(lsoa11), Bridge.POSTCODE_LSOA11, postcode=pc, terminated=terminated
            )
            la = row.get("ltla22") or result.local_authority
            out.append(
                PlaceResult(
                    **{
                        **{f: getattr(result, f) for f in PlaceResult.__dataclass_fields__},
                        "lsoa21": lsoa21,
                        "local_authority": la,
                        "local_authority_name": _la_names().get(str(la)),
                    }
                )
            )
        elif lsoa21 is None:
            out.append(
                PlaceResult(
                    input=raw,
                    edition=edition,
                    ok=False,
                    postcode=pc,
                    terminated=terminated,
                    reason=f"{pc} has no LSOA in the postcode lookup",
                )
            )
        else:
            out.append(_bridged(raw, str(lsoa21), edition, postcode=pc, terminated=terminated))
    return out
