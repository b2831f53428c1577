"""What a resident tells the matching about themselves (the person file, docs/matching.md).

Everything the hard rules need is ASKED, never inferred: a missing answer to the right-to-work
question is an error, not a guess. ``characteristics`` (ethnicity, sex, disability, age band,
background) are optional and are read only by the fairness check: nothing in
:mod:`ladder.matching.rank` reads them.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ladder import codes

CHARACTERISTICS: tuple[str, ...] = ("ethnicity", "sex", "disability", "age_band", "background")
"""The protected characteristics and background a person may give for the fairness check."""


class PersonError(ValueError):
    """The person file cannot be read: names the field and what to write."""


@dataclass(frozen=True)
class Qualification:
    """A qualification at an RQF level (0-8), with its subject when the person gave one."""

    level: int
    subject: str | None = None

    def words(self) -> str:
        return (
            f"a Level {self.level} in {self.subject}"
            if self.subject
            else (f"a Level {self.level} qualification")
        )


@dataclass(frozen=True)
class Person:
    """A resident's answers. ``max_hours`` None: any hours; ``shifts`` empty: any pattern."""

    right_to_work: bool
    postcode: str | None = None
    qualifications: tuple[Qualification, ...] = ()
    registrations: tuple[str, ...] = ()
    max_hours: float | None = None
    driving_licence: bool = False
    shifts: tuple[str, ...] = ()
    experience: str = ""
    interests: str = ""
    overseas_qualifications: bool = False
    english_support: bool = False
    characteristics: dict[str, str] = field(default_factory=dict)

    @property
    def level(self) -> int:
        """The highest RQF level the person holds (0 when none)."""
        return max((q.level for q in self.qualifications), default=0)

    @property
    def text(self) -> str:
        """What the ranking compares with each opening's words."""
        return " ".join(part for part in (self.experience, self.interests) if part).strip()


def _bool(data: dict[str, Any], name: str, *, required: bool = False) -> bool:
    value = data.get(name)
    if value is None:
        if required:
            raise PersonError(
                f"{name}: not answered — write true or false (this is asked, never guessed)"
            )
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise PersonError(f"{name}: {value!r} is not yes or no — write true or false")


def _level(value: object, where: str) -> int:
    try:
        level = int(str(value).strip().lower().removeprefix("level").strip())
    except ValueError:
        raise PersonError(f"{where}: {value!r} is not a level — write a number 0 to 8") from None
    if not 0 <= level <= 8:
        raise PersonError(f"{where}: level {level} is outside 0 to 8 (RQF levels)")
    return level


def _qualifications(raw: object) -> tuple[Qualification, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PersonError('qualifications: write a list, e.g. [{level = 2, subject = "Care"}]')
    out = []
    for i, item in enumerate(raw, start=1):
        where = f"qualifications[{i}]"
        if isinstance(item, dict):
            subject = item.get("subject")
            out.append(
                Qualification(
                    _level(item.get("level"), where),
                    str(subject).strip() or None if subject else None,
                )
            )
        else:
            out.append(Qualification(_level(item, where)))
    return tuple(out)


def _registrations(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise PersonError('registrations: write a list such as ["NMC"]')
    known = {code.lower(): code for code in codes.REGISTRATIONS}
    out = []
    for item in items:
        code = known.get(str(item).strip().lower())
        if code is None:
            raise PersonError(
                f"registrations: {item!r} is not known — use {', '.join(codes.REGISTRATIONS)}"
            )
        if code != "none":
            out.append(code)
    return tuple(out)


def _shifts(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise PersonError('shifts: write a list such as ["days", "weekends"]')
    out = []
    for item in items:
        text = str(item).strip().lower()
        if text not in codes.SHIFT_PATTERNS:
            raise PersonError(
                f"shifts: {item!r} is not known — use {', '.join(codes.SHIFT_PATTERNS)}"
            )
        out.append(text)
    return tuple(out)


def _hours(raw: object) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        hours = float(str(raw))
    except ValueError:
        raise PersonError(f"max_hours: {raw!r} is not a number of hours a week") from None
    if not 0 < hours <= 80:
        raise PersonError(f"max_hours: {hours:g} is outside 1 to 80 hours a week")
    return hours


def person_from_dict(data: dict[str, Any]) -> Person:
    """A :class:`Person` from the parsed person file (PersonError names a bad field)."""
    known = {
        "right_to_work", "postcode", "qualifications", "registrations", "max_hours",
        "driving_licence", "shifts", "experience", "interests", "overseas_qualifications",
        "english_support", "characteristics",
    }  # fmt: skip
    unknown = sorted(set(data) - known)
    if unknown:
        raise PersonError(f"{unknown[0]}: not a field of the person file (see docs/matching.md)")
    chars = data.get("characteristics") or {}
    if not isinstance(chars, dict):
        raise PersonError("characteristics: write a table of name = value")
    bad = sorted(set(chars) - set(CHARACTERISTICS))
    if bad:
        raise PersonError(f"characteristics: {bad[0]!r} is not one of {', '.join(CHARACTERISTICS)}")
    postcode = data.get("postcode")
    return Person(
        right_to_work=_bool(data, "right_to_work", required=True),
        postcode=str(postcode).strip().upper() or None if postcode else None,
        qualifications=_qualifications(data.get("qualifications")),
        registrations=_registrations(data.get("registrations")),
        max_hours=_hours(data.get("max_hours")),
        driving_licence=_bool(data, "driving_licence"),
        shifts=_shifts(data.get("shifts")),
        experience=str(data.get("experience") or "").strip(),
        interests=str(data.get("interests") or "").strip(),
        overseas_qualifications=_bool(data, "overseas_qualifications"),
        english_support=_bool(data, "english_support"),
        characteristics={k: str(v) for k, v in chars.items() if v not in (None, "")},
    )


def load_person(path: Path) -> Person:
    """Read a person file (JSON or TOML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PersonError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PersonError(f"{path}: not valid {path.suffix.lstrip('.').upper()} ({exc})") from None
    if not isinstance(data, dict):
        raise PersonError(f"{path}: write the answers as one object of name = value")
    return person_from_dict(data)
