"""Careers and job matching (docs/matching.md): the use cases of ``ladder match`` and of the
careers pages.

- :func:`load_openings`: the vacancies and routes of a folder of dataset files or a workspace;
- :func:`match_file`: one person file against them (the CLI);
- :class:`Careers`: the web service's matcher over one workspace, its index built once and
  rebuilt only when a vacancies or routes import changes the data;
- :func:`count_use`, :func:`reach_view`, :func:`fairness_view`: the counters of whom the
  tool reaches (no person stored) and their suppressed views;
- :func:`trust_openings`: an organisation's vacancies and routes (the trust page).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ladder.app.access import Scope
from ladder.app.errors import UsageError
from ladder.matching import embed
from ladder.matching.fairness import GOOD_SCORE, GroupCount, counts_from_uses, fairness_results
from ladder.matching.openings import Opening, openings_from_frames
from ladder.matching.person import CHARACTERISTICS, Person, PersonError, load_person
from ladder.matching.rank import Index, Result, build_index, match
from ladder.matching.reach import Reach, reach
from ladder.metrics.results import Result as Figure
from ladder.store import Workspace
from ladder.store import careers as counters

__all__ = [
    "CHARACTERISTICS",
    "Careers",
    "Person",
    "PersonError",
    "UseLimiter",
    "count_use",
    "fairness_view",
    "load_openings",
    "match_file",
    "reach_json",
    "reach_of",
    "reach_view",
    "trust_openings",
]

KINDS = ("vacancies", "routes")
SUFFIXES = (".parquet", ".csv", ".xlsx")
PUBLIC_USER = "careers-public"


def _folder_frame(folder: Path, kind: str, notes: list[str]) -> pl.DataFrame | None:
    from ladder.contract.datasets import DATASETS
    from ladder.io.validate import validate_file

    for suffix in SUFFIXES:
        path = folder / f"{kind}{suffix}"
        if not path.is_file():
            continue
        schema = DATASETS[kind].polars_schema()
        if suffix == ".parquet":
            frame = pl.read_parquet(path)
            if all(frame.schema.get(n) == t for n, t in schema.items()):
                return frame
        checked = validate_file(path, kind)
        if checked.blocking:
            first = next(p for p in checked.problems if p.blocking)
            raise UsageError(f"{path}: cannot be used — {first.reason} (run `ladder validate`)")
        if len(checked.bad_rows):
            notes.append(
                f"{path.name}: {len(checked.bad_rows):,} rows have errors and are left out "
                "(run `ladder validate` for the list)"
            )
        return checked.valid_rows()
    return None


def _workspace_frames(ws: Workspace, user: str) -> dict[str, pl.DataFrame]:
    from ladder.contract.datasets import DATASETS

    out = {}
    for kind in KINDS:
        paths = [r.path for r in ws.files(kind, user=user)]
        if paths:
            out[kind] = pl.concat(
                [pl.read_parquet(p) for p in paths], how="diagonal_relaxed"
            ).select(list(DATASETS[kind].column_names))
    return out


def load_openings(data: Path, *, user: str | None = None) -> tuple[list[Opening], list[str]]:
    """The openings of a workspace or of a folder of dataset files, and notes for the user."""
    notes: list[str] = []
    if (data / "ladder.toml").is_file():
        from ladder.app.workspace import open_workspace

        with open_workspace(data) as ws:
            frames = _workspace_frames(ws, user or "cli")
    elif data.is_dir():
        frames = {}
        for kind in KINDS:
            frame = _folder_frame(data, kind, notes)
            if frame is not None:
                frames[kind] = frame
    else:
        raise UsageError(f"{data} is neither a workspace nor a folder of dataset files")
    if not frames:
        raise UsageError(
            f"{data} holds no vacancies or routes: add vacancies.csv or routes.csv "
            "(`ladder contract vacancies` lists the columns)"
        )
    return openings_from_frames(frames.get("vacancies"), frames.get("routes")), notes


def match_file(
    data: Path,
    person_file: Path,
    *,
    top: int = 10,
    today: dt.date | None = None,
) -> tuple[Result, list[str]]:
    """Match the person of ``person_file`` against the openings of ``data``."""
    if top < 1:
        raise UsageError("--top must be 1 or more")
    try:
        person = load_person(person_file)
    except PersonError as exc:
        raise UsageError(f"{person_file}: {exc}") from None
    openings, notes = load_openings(data)
    index = build_index(openings, embed.Cache())
    return match(person, index, top=top, today=today), notes


def is_good(result: Result) -> bool:
    """Whether the person got a good match (the best score at least GOOD_SCORE)."""
    return bool(result.matches) and result.matches[0].score >= GOOD_SCORE


def batch_fairness(
    data: Path, people: list[Path], *, top: int = 10, today: dt.date | None = None
) -> list[Figure]:
    """The fairness figures of many person files matched against ``data`` (suppressed)."""
    openings, _ = load_openings(data)
    index = build_index(openings, embed.Cache())
    uses = []
    for path in people:
        try:
            person = load_person(path)
        except PersonError as exc:
            raise UsageError(f"{path}: {exc}") from None
        result = match(person, index, top=top, today=today)
        uses.append((dict(person.characteristics), bool(result.matches), is_good(result)))
    return fairness_results(counts_from_uses(uses))


class Careers:
    """The matcher of the web service over one workspace (thread-safe)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._lock = threading.Lock()
        self._key: tuple[tuple[str, str], ...] | None = None
        self._index: Index | None = None
        self._cache = embed.Cache()

    def _version(self) -> tuple[tuple[str, str], ...]:
        from sqlalchemy import select

        from ladder.store.models import DatasetRow

        with self.ws.session() as session:
            rows = session.execute(
                select(DatasetRow.kind, DatasetRow.import_id).where(DatasetRow.kind.in_(KINDS))
            ).all()
        return tuple(sorted((str(k), str(i)) for k, i in rows))

    def index(self) -> Index:
        """The index of the workspace's current openings (rebuilt after a new import)."""
        with self._lock:
            key = self._version()
            if self._index is None or key != self._key:
                frames = _workspace_frames(self.ws, PUBLIC_USER) if key else {}
                openings = openings_from_frames(frames.get("vacancies"), frames.get("routes"))
                self._index = build_index(openings, self._cache)
                self._key = key
            return self._index

    def match(self, person: Person, *, top: int = 10, today: dt.date | None = None) -> Result:
        return match(person, self.index(), top=top, today=today)


def count_use(ws: Workspace, person: Person, result: Result, today: dt.date | None = None) -> bool:
    """Count one use: its neighbourhood and decile (from the postcode), the organisations
    its matches came from, and the person's characteristics only if they chose to give them.
    Nothing that says who they are is kept. False when the counters could not be written
    (the resident still gets their matches)."""
    from ladder.app.errors import StoreError

    area = result.area
    use = counters.Use(
        day=today or dt.date.today(),
        lsoa21=None if area is None else area.lsoa21,
        imd_decile=None if area is None else area.imd_decile,
        orgs=tuple(sorted({m.opening.org_code for m in result.matches})),
        characteristics=dict(person.characteristics),
        matched=bool(result.matches),
        good=is_good(result),
    )
    try:
        counters.count_use(ws, use)
    except StoreError:
        return False
    return True


class UseLimiter:
    """At most ``limit`` counted uses per address per ``window`` seconds, so one device cannot
    inflate the reach counters. Held in memory only (a keyed hash of the address, forgotten
    after the window); matching itself is never limited."""

    def __init__(self, limit: int = 5, window: float = 3600.0) -> None:
        import secrets

        self.limit = limit
        self.window = window
        self._key = secrets.token_bytes(16)
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> bool:
        import hashlib
        import time

        at = time.monotonic() if now is None else now
        digest = hashlib.blake2b(address.encode(), key=self._key, digest_size=16).hexdigest()
        with self._lock:
            for k in [k for k, v in self._seen.items() if v and at - v[-1] > self.window]:
                del self._seen[k]
            recent = [t for t in self._seen.get(digest, []) if at - t <= self.window]
            if len(recent) >= self.limit:
                self._seen[digest] = recent
                return False
            self._seen[digest] = [*recent, at]
            return True


def reach_view(ws: Workspace, scope: Scope | None, since: dt.date | None = None) -> Reach:
    """Whom the tool reaches: every use (``scope`` None) or uses shown the scope's matches."""
    return reach_of(ws, None if scope is None else scope.org, since)


def reach_of(ws: Workspace, org: str | None, since: dt.date | None = None) -> Reach:
    """The reach of ``org`` (None: every use); the CLI's form of :func:`reach_view`."""
    code = counters.EVERY_USE if org is None else org.strip().upper()
    rows = counters.reach_counts(ws, code, since)
    return reach(code, [(r.lsoa21, r.imd_decile, r.uses) for r in rows])


def reach_json(view: Reach, figures: list[Figure]) -> str:
    """The reach view and the fairness figures as JSON (counts under 10 are null)."""
    import json
    from dataclasses import asdict

    doc = {
        "org": view.org,
        "uses": view.total,
        "in_catchment": view.in_catchment,
        "catchment": view.catchment,
        "unknown_area": view.unknown_area,
        "priority_neighbourhoods": {
            "uses": view.priority,
            "share_of_uses": view.priority_share,
            "share_of_catchment_residents": view.priority_population_share,
        },
        "deciles": [asdict(d) for d in view.deciles],
        "neighbourhoods": [
            {"lsoa21": code, "name": name, "uses": uses} for code, name, uses in view.neighbourhoods
        ],
        "fairness": [f.to_dict() for f in figures],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def fairness_view(ws: Workspace, threshold: int = 10) -> list[Figure]:
    """The fairness figures from the counters (suppressed)."""
    counts = [
        GroupCount(c.dimension, c.group, c.uses, c.matched, c.good)
        for c in counters.fairness_counts(ws)
    ]
    return fairness_results(counts, threshold=threshold)


@dataclass(frozen=True)
class TrustOpenings:
    org: str
    vacancies: tuple[Opening, ...]
    routes: tuple[Opening, ...]


def trust_openings(careers: Careers, scope: Scope) -> TrustOpenings:
    """The scope's organisation's vacancies and routes (no other organisation's)."""
    mine = [o for o in careers.index().openings if o.org_code == scope.org]
    return TrustOpenings(
        scope.org,
        tuple(o for o in mine if o.kind == "vacancy"),
        tuple(o for o in mine if o.kind == "route"),
    )


QUALIFICATION_LEVELS: tuple[tuple[int, str], ...] = (
    (0, "No qualifications"),
    (1, "Level 1: GCSEs at grades 3 to 1, or a Level 1 certificate"),
    (2, "Level 2: GCSEs at grades 9 to 4, or a Level 2 certificate or NVQ"),
    (3, "Level 3: A levels, a Level 3 diploma, NVQ or an access course"),
    (4, "Level 4: a certificate of higher education or Level 4 NVQ"),
    (5, "Level 5: a foundation degree or diploma of higher education"),
    (6, "Level 6: a degree"),
    (7, "Level 7: a master's degree or postgraduate diploma"),
    (8, "Level 8: a doctorate"),
)
"""The RQF levels as the resident's form asks for them."""

EQUALITY_QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sex": ("Your sex", ("Female", "Male", "Other")),
    "ethnicity": (
        "Your ethnic group",
        (
            "Asian or Asian British",
            "Black, African, Caribbean or Black British",
            "Mixed",
            "White",
            "Other ethnic group",
        ),
    ),
    "disability": ("Do you consider yourself to have a disability?", ("Yes", "No")),
    "age_band": ("Your age", ("16 to 24", "25 to 34", "35 to 49", "50 to 64", "65 or over")),
    "background": (
        "Were you eligible for free school meals at any time at school?",
        ("Yes", "No", "Don't know"),
    ),
}
"""The optional equality questions of the form (counted for the fairness check only)."""


def person_from_form(
    form: dict[str, str | list[str]],
) -> tuple[Person | None, list[dict[str, str]]]:
    """The person from the resident's form, or the errors to show (text and field anchor)."""
    from ladder.matching.person import person_from_dict

    def one(name: str) -> str:
        value = form.get(name, "")
        return (value[0] if value else "") if isinstance(value, list) else value.strip()

    def many(name: str) -> list[str]:
        value = form.get(name, [])
        return [v for v in ([value] if isinstance(value, str) else value) if v]

    errors: list[dict[str, str]] = []
    if one("right_to_work") not in ("yes", "no"):
        errors.append(
            {"text": "Select yes if you have the right to work in the UK", "href": "#right_to_work"}
        )
    level = one("level")
    if level not in {str(n) for n, _ in QUALIFICATION_LEVELS}:
        errors.append({"text": "Select your highest qualification", "href": "#level"})
    hours = one("max_hours")
    if hours and not hours.replace(".", "", 1).isdigit():
        errors.append(
            {"text": "Enter the hours a week as a number, for example 20", "href": "#max_hours"}
        )
    postcode = one("postcode")
    if postcode and len(postcode) > 10:
        errors.append({"text": "Enter a real postcode, for example E1 1BB", "href": "#postcode"})
    if errors:
        return None, errors
    subject = one("subject")[:100]
    chars = {
        name: one(f"eq_{name}")
        for name, (_, options) in EQUALITY_QUESTIONS.items()
        if one(f"eq_{name}") in options
    }
    data = {
        "right_to_work": one("right_to_work") == "yes",
        "postcode": postcode or None,
        "qualifications": [{"level": int(level), "subject": subject or None}]
        if level != "0"
        else [],
        "registrations": [r for r in many("registrations") if r != "none"],
        "max_hours": hours or None,
        "driving_licence": one("driving_licence") == "yes",
        "shifts": many("shifts"),
        "experience": one("experience")[:2000],
        "interests": one("interests")[:2000],
        "overseas_qualifications": one("overseas") == "yes",
        "english_support": one("english") == "yes",
        "characteristics": chars,
    }
    try:
        return person_from_dict(data), []
    except PersonError as exc:
        return None, [{"text": str(exc), "href": "#maincontent"}]


def answers_json(person: Person) -> str:
    """The person's answers as a person file they can keep (and give to ``ladder match``);
    their equality answers are left out."""
    import json

    doc = {
        "right_to_work": person.right_to_work,
        "postcode": person.postcode,
        "qualifications": [{"level": q.level, "subject": q.subject} for q in person.qualifications],
        "registrations": list(person.registrations),
        "max_hours": person.max_hours,
        "driving_licence": person.driving_licence,
        "shifts": list(person.shifts),
        "experience": person.experience,
        "interests": person.interests,
        "overseas_qualifications": person.overseas_qualifications,
        "english_support": person.english_support,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def org_names() -> dict[str, str]:
    """Organisation code → name (the shipped NHS trust list)."""
    from ladder import reference

    return {
        str(code): str(name)
        for code, name in reference.trusts().select("org_code", "name").iter_rows()
    }
