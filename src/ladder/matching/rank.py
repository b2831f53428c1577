"""Match a person to openings: the hard rules first, then a ranking with reasons.

The score of an opening that passes every hard rule is

    0.60 × similarity + 0.25 × nearness + 0.15 × band fit   (+ 0.30 for a route that serves
                                                              a need the person stated)

- *similarity*: cosine of the embeddings of what the person wrote (experience, interests)
  and the opening's words (title, description, desirable or eligibility), clipped to 0-1;
- *nearness*: exp(−miles / 8) from the person's postcode to the site (0.5 when either is
  unknown);
- *band fit*: 1 − |band − usual band for the person's highest level| / 4 (at least 0; routes
  and unbanded posts 0.75).

Only :class:`Person` fields the person gave for matching are read: ``characteristics`` is
never read here (a property test checks that changing it changes no ranking). Ties are
broken by organisation, kind and id, so the ranking is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ladder.matching import embed as embedding
from ladder.matching import geo
from ladder.matching.openings import Opening
from ladder.matching.person import Person
from ladder.matching.rules import broken, long_date, met

W_SIMILARITY = 0.60
W_NEAR = 0.25
W_BAND = 0.15
NEED_BONUS = 0.30
MILES_SCALE = 8.0

USUAL_BAND = {0: 2, 1: 2, 2: 3, 3: 4, 4: 4, 5: 5, 6: 5, 7: 6, 8: 7}
"""The Agenda for Change band a person's highest RQF level usually leads to first."""


def band_number(band: str | None) -> int | None:
    if band is None or not band.startswith("Band "):
        return {"Trainee grade": 6}.get(band or "")
    digits = band.removeprefix("Band ")[:1]
    return int(digits) if digits.isdigit() else None


@dataclass
class Index:
    """Openings with their embeddings and site coordinates, built once and reused."""

    openings: list[Opening]
    vectors: npt.NDArray[np.float32]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    band: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.openings)


def build_index(openings: list[Opening], cache: embedding.Cache | None = None) -> Index:
    """Embed the openings (through ``cache``, so a text is embedded once) and place them."""
    ordered = sorted(openings, key=lambda o: (o.org_code, o.kind, o.id))
    vectors = (cache or embedding.Cache()).vectors([o.text for o in ordered])
    sites = geo.points({o.site_postcode for o in ordered if o.site_postcode})
    lon = np.array(
        [sites[o.site_postcode].lon if o.site_postcode in sites else np.nan for o in ordered],
        dtype=np.float64,
    )
    lat = np.array(
        [sites[o.site_postcode].lat if o.site_postcode in sites else np.nan for o in ordered],
        dtype=np.float64,
    )
    band = np.array(
        [np.nan if (b := band_number(o.band)) is None or o.kind == "route" else b for o in ordered],
        dtype=np.float64,
    )
    return Index(ordered, vectors, lon, lat, band)


@dataclass(frozen=True)
class Match:
    """An opening the person could take, its score, its parts and the reasons in words."""

    opening: Opening
    score: float
    similarity: float
    miles: float | None
    band_fit: float
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.opening.as_dict(),
            "score": self.score,
            "similarity": self.similarity,
            "miles": self.miles,
            "band_fit": self.band_fit,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Excluded:
    """An opening ruled out by the hard rules, with every reason."""

    opening: Opening
    reasons: tuple[str, ...]
    rules: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.opening.kind,
            "id": self.opening.id,
            "org_code": self.opening.org_code,
            "title": self.opening.title,
            "rules": list(self.rules),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Result:
    """What the matching found for one person."""

    matches: tuple[Match, ...]
    pointers: tuple[Match, ...]
    excluded: tuple[Excluded, ...]
    considered: int
    eligible: int
    area: geo.Point | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self, *, explain_excluded: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "considered": self.considered,
            "eligible": self.eligible,
            "matches": [m.as_dict() for m in self.matches],
            "routes_for_your_needs": [m.as_dict() for m in self.pointers],
            "notes": list(self.notes),
            "model": embedding.MODEL_NAME,
        }
        if explain_excluded:
            out["excluded"] = [e.as_dict() for e in self.excluded]
        return out


def _similarity_words(sim: float) -> str | None:
    if sim >= 0.45:
        return "It is very like the work and interests you described"
    if sim >= 0.25:
        return "It is like the work and interests you described"
    return None


def _needs(person: Person, o: Opening) -> list[str]:
    out = []
    if person.overseas_qualifications and o.overseas_qualifications:
        out.append("It helps people whose qualifications are from another country")
    if person.english_support and o.english_support:
        out.append("It offers English-language support alongside")
    return out


def match(
    person: Person,
    index: Index,
    *,
    top: int = 10,
    today: dt.date | None = None,
) -> Result:
    """The person's best ``top`` openings, the routes for their stated needs, and every
    opening ruled out (with reasons)."""
    day = today or dt.date.today()
    notes: list[str] = []
    area: geo.Point | None = None
    if person.postcode:
        area = geo.points([person.postcode]).get(person.postcode)
        if area is None:
            notes.append(
                f"We could not find the postcode {person.postcode}, so distances are not used"
            )
    excluded: list[Excluded] = []
    ok: list[int] = []
    for i, o in enumerate(index.openings):
        found = broken(person, o, day)
        if found:
            excluded.append(
                Excluded(o, tuple(r for _, r in found), tuple(name for name, _ in found))
            )
        else:
            ok.append(i)
    rows = np.array(ok, dtype=np.int64)
    text = person.text
    if text and len(rows):
        query = embedding.Cache().vectors([text])[0]
        sims = np.clip(index.vectors[rows] @ query, 0.0, 1.0).astype(np.float64)
    else:
        sims = np.zeros(len(rows), dtype=np.float64)
        if not text:
            notes.append("Tell us about your experience and interests to get closer matches")
    if area is not None and len(rows):
        miles = _miles(area, index.lon[rows], index.lat[rows])
    else:
        miles = np.full(len(rows), np.nan)
    usual = USUAL_BAND[person.level]
    band = index.band[rows]
    band_fit = np.where(np.isnan(band), 0.75, np.clip(1 - np.abs(band - usual) / 4, 0, 1))
    near = np.where(np.isnan(miles), 0.5, np.exp(-np.nan_to_num(miles) / MILES_SCALE))
    bonus = np.array([NEED_BONUS if _needs(person, index.openings[i]) else 0.0 for i in ok])
    score = np.round(W_SIMILARITY * sims + W_NEAR * near + W_BAND * band_fit + bonus, 6)
    order = sorted(range(len(ok)), key=lambda j: (-score[j], j))  # index order breaks ties

    def made(j: int) -> Match:
        o = index.openings[ok[j]]
        dist = None if math.isnan(miles[j]) else round(float(miles[j]), 1)
        return Match(
            o,
            float(score[j]),
            round(float(sims[j]), 4),
            dist,
            round(float(band_fit[j]), 4),
            _reasons(person, o, float(sims[j]), dist),
        )

    chosen = [made(j) for j in order[: max(top, 0)]]
    pointer_rows = [
        j
        for j in order
        if _needs(person, index.openings[ok[j]]) and index.openings[ok[j]].kind == "route"
    ]
    pointers = [made(j) for j in pointer_rows]
    if (person.overseas_qualifications or person.english_support) and not pointers:
        notes.append("No route here serves the needs you told us of yet: ask the trusts below")
    return Result(
        tuple(chosen), tuple(pointers), tuple(excluded), len(index), len(ok), area, tuple(notes)
    )


def _miles(
    area: geo.Point, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    p1, p2 = math.radians(area.lat), np.radians(lat)
    dp, dl = p2 - p1, np.radians(lon - area.lon)
    h = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: npt.NDArray[np.float64] = 2 * geo.EARTH_RADIUS_MILES * np.arcsin(np.sqrt(h))
    return out


def _reasons(person: Person, o: Opening, sim: float, miles: float | None) -> tuple[str, ...]:
    out = [*_needs(person, o), *met(person, o)]
    if (words := _similarity_words(sim)) is not None:
        out.append(words)
    if miles is not None:
        unit = "mile" if f"{miles:.1f}" == "1.0" else "miles"
        out.append(f"The site is {miles:.1f} {unit} from your postcode")
    b = band_number(o.band) if o.kind == "vacancy" else None
    if b is not None and abs(b - USUAL_BAND[person.level]) <= 1:
        out.append(f"It is {o.band}, a usual first step for your qualifications")
    if o.closing_date is not None:
        out.append(f"Apply by {long_date(o.closing_date)}")
    if o.next_cohort is not None:
        out.append(f"The next group starts on {long_date(o.next_cohort)}")
    return tuple(out)
