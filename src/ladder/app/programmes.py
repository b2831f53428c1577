"""Community employment programmes, for every front end (CLI, web, reports).

- :func:`definitions`: the programme definitions (the user's stages files, then Ladder's).
- :func:`list_programmes`: the definitions, and the programmes found in the data.
- :func:`validate`: the stage checks of a participants file, every problem with its row.
- :func:`funnels`: each programme's figures (the ``programme.*`` indicators: the same
  records as ``ladder metrics``), from a workspace's stored results or a folder.
- :func:`write_report`: the evaluation report of one programme (HTML, optionally PDF).

DATA is a workspace, a folder of dataset files (``participants.csv``, ``staff.parquet``…) or
one participants file.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ladder.app import results as app_results
from ladder.app.access import NotFound, Scope
from ladder.engines import EngineName, EngineUnavailable
from ladder.io.problems import Problem
from ladder.metrics import DEFAULT_THRESHOLD, InputError, Result, Settings
from ladder.metrics.inputs import SUFFIXES, find_files
from ladder.metrics.programmes import Programme, ProgrammeError, definition_for, load_paths, shipped
from ladder.metrics.programmes.funnel import ALL, headline_sentence
from ladder.metrics.programmes.stages import ROW, check
from ladder.store import Workspace
from ladder.store.errors import StoreError

PROGRAMME_IDS = ("programme",)


class ProgrammeInputError(Exception):
    """The data, the stages files or the programme asked for cannot be used (the message
    says why and what to do)."""


def definitions(stages: Sequence[Path] = ()) -> tuple[Programme, ...]:
    """The user's programme definitions (files or folders of YAML), then Ladder's own."""
    try:
        return (*load_paths(stages), *shipped())
    except ProgrammeError as exc:
        raise ProgrammeInputError(str(exc)) from exc


@dataclass(frozen=True)
class Listed:
    """A programme: its definition, and where it is found in the data (org → participants)."""

    programme: Programme
    participants: dict[str, int] = field(default_factory=dict)


@contextmanager
def _as_folder(data: Path) -> Iterator[Path]:
    """``data`` as something :func:`ladder.metrics.load` reads: one participants file is
    put in a temporary folder as ``participants.<ext>``."""
    if data.is_file():
        if data.suffix.lower() not in SUFFIXES:
            raise ProgrammeInputError(
                f"{data} is not a CSV, Excel or Parquet file: give a participants file, a "
                "folder of dataset files or a workspace"
            )
        tmp = Path(tempfile.mkdtemp(prefix="ladder-programme-"))
        try:
            shutil.copyfile(data, tmp / f"participants{data.suffix.lower()}")
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    elif data.is_dir():
        yield data
    else:
        raise ProgrammeInputError(f"{data} does not exist: give a file, a folder or a workspace")


def _settings(threshold: int, gaps: str, stages: Sequence[Path]) -> Settings:
    if gaps not in ("error", "imply"):
        raise ProgrammeInputError(f"--gaps {gaps}: use error or imply")
    user = definitions(stages)[: len(definitions(stages)) - len(shipped())]
    return Settings(threshold=threshold, programmes=tuple(user), programme_gaps=gaps)


def programme_results(
    data: Path,
    *,
    org: str | None = None,
    gaps: str = "imply",
    stages: Sequence[Path] = (),
    threshold: int = DEFAULT_THRESHOLD,
    engine: EngineName = EngineName.polars,
) -> tuple[list[Result], list[str]]:
    """Every ``programme.*`` result of ``data`` (suppressed), and notes on the inputs."""
    settings = _settings(threshold, gaps, stages)
    try:
        with _as_folder(data) as folder:
            outcome = app_results.results(
                folder, org=org, ids=PROGRAMME_IDS, settings=settings, engine=engine
            )
    except (InputError, StoreError, EngineUnavailable) as exc:
        raise ProgrammeInputError(str(exc)) from exc
    if not outcome.results:
        reasons = "; ".join(sorted({s.reason for s in outcome.skipped}))
        raise ProgrammeInputError(
            f"{data} holds no programme participants" + (f" ({reasons})" if reasons else ""),
        )
    return outcome.results, list(outcome.notes)


@dataclass(frozen=True)
class Funnel:
    """The figures of one programme of one organisation (suppressed), with its definition
    (only the stages in use) and the headline sentence."""

    org: str
    programme: Programme
    results: list[Result]
    threshold: int = DEFAULT_THRESHOLD

    def of(self, result_id: str, cohort: str | None = ALL) -> list[Result]:
        return [
            r
            for r in self.results
            if r.id == result_id and (cohort is None or r.breakdown.get("cohort", ALL) == cohort)
        ]

    @property
    def headline(self) -> str | None:
        return headline_sentence(self.results, self.programme, self.threshold)

    @property
    def cohorts(self) -> list[str]:
        found = {r.breakdown.get("cohort") for r in self.of("programme.funnel", None)}
        return sorted(c for c in found if c and c != ALL)

    @property
    def period(self) -> int:
        return max(r.period for r in self.results)

    def stage_table(self, cohort: str = ALL) -> list[dict[str, Result | str | None]]:
        """One row per stage in order: the stage, its funnel figure, its conversion and the
        median days from the stage before."""
        funnel = {r.group: r for r in self.of("programme.funnel", cohort)}
        conversion = {r.group: r for r in self.of("programme.conversion", cohort)}
        median = {
            r.group: r
            for r in self.of("programme.time", cohort)
            if r.breakdown.get("statistic") == "median"
        }
        return [
            {
                "stage": s.id,
                "label": s.label,
                "funnel": funnel.get(s.id),
                "conversion": conversion.get(s.id),
                "median_days": median.get(s.id),
            }
            for s in self.programme.stages
        ]


def funnels_of(
    results: Sequence[Result],
    defs: Sequence[Programme] = (),
    *,
    programme: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Funnel]:
    """The :class:`Funnel` of each (organisation, programme) in ``results`` (or of the
    programme called ``programme``, by name or alias)."""
    keys = sorted(
        {
            (r.org, r.breakdown["programme"])
            for r in results
            if r.id.startswith("programme.") and "programme" in r.breakdown
        }
    )
    out = []
    for org, name in keys:
        definition = definition_for(name, tuple(defs))
        if programme is not None and not (
            definition.matches(programme) or name.casefold() == programme.strip().casefold()
        ):
            continue
        mine = [r for r in results if r.org == org and r.breakdown.get("programme") == name]
        used = {r.group for r in mine if r.id == "programme.funnel"}
        stages = tuple(s for s in definition.stages if s.id in used)
        from dataclasses import replace

        out.append(Funnel(org, replace(definition, stages=stages), mine, threshold))
    return out


def funnels(
    data: Path,
    *,
    org: str | None = None,
    programme: str | None = None,
    gaps: str = "imply",
    stages: Sequence[Path] = (),
    threshold: int = DEFAULT_THRESHOLD,
    engine: EngineName = EngineName.polars,
) -> tuple[list[Funnel], list[str]]:
    """The funnels of ``data`` (of ``programme`` and ``org`` when given), and input notes."""
    found, notes = programme_results(
        data, org=org, gaps=gaps, stages=stages, threshold=threshold, engine=engine
    )
    chosen = funnels_of(found, definitions(stages), programme=programme, threshold=threshold)
    if not chosen:
        names = sorted({r.breakdown.get("programme", "") for r in found} - {""})
        if programme:
            raise ProgrammeInputError(
                f"no programme {programme!r} in {data}: the programmes in the data are "
                f"{', '.join(names)}"
            )
        raise ProgrammeInputError(f"no programme figures in {data}")
    return chosen, notes


def list_programmes(data: Path | None = None, stages: Sequence[Path] = ()) -> list[Listed]:
    """The definitions (the user's, then Ladder's), each with its participants in ``data``;
    programmes of the data without a definition of their own are listed with the standard
    stages."""
    defs = definitions(stages)
    counts: dict[str, dict[str, int]] = {}
    if data is not None:
        frame = _participants(data)
        for (org, name), rows in frame.group_by("org_code", "programme", maintain_order=True):
            counts.setdefault(str(name), {})[str(org)] = rows.height
    listed: list[Listed] = []
    seen: set[str] = set()
    for d in defs:
        if d.name.casefold() in seen:
            continue
        seen.add(d.name.casefold())
        mine: dict[str, int] = {}
        for name, per_org in counts.items():
            if d.matches(name):
                for org, n in per_org.items():
                    mine[org] = mine.get(org, 0) + n
        listed.append(Listed(d, mine))
    for name, per_org in sorted(counts.items()):
        if not any(d.matches(name) for d in defs):
            listed.append(Listed(definition_for(name), per_org))
    return listed


def _participants(data: Path) -> pl.DataFrame:
    """The valid participants rows of ``data`` (with their spreadsheet row, ``_row``, when
    read from a file)."""
    from ladder.metrics import load
    from ladder.metrics.expressions import to_polars

    try:
        with _as_folder(data) as folder:
            loaded = load(folder)
            try:
                if not loaded.context.has("participants"):
                    raise ProgrammeInputError(f"{data} holds no participants data")
                return to_polars(loaded.context.frame("participants"))
            finally:
                loaded.close()
    except (InputError, StoreError, EngineUnavailable) as exc:
        raise ProgrammeInputError(str(exc)) from exc


@dataclass(frozen=True)
class Checked:
    """The stage checks of one programme of one organisation."""

    org: str
    programme: Programme
    rows: int
    problems: list[Problem]
    excluded: int
    implied: int
    left_out: tuple[str, ...]


@dataclass(frozen=True)
class Validated:
    """Problems of the file against the data contract, then each programme's stage checks."""

    file: str
    contract: list[Problem]
    programmes: list[Checked]

    @property
    def errors(self) -> int:
        own = sum(1 for c in self.programmes for p in c.problems if p.is_error)
        return own + sum(1 for p in self.contract if p.is_error)


def validate(
    data: Path,
    *,
    org: str | None = None,
    gaps: str = "imply",
    stages: Sequence[Path] = (),
) -> Validated:
    """Check a participants file (or the participants of a folder or workspace): every row
    whose stage dates go backwards or that skips a stage (``gaps="error"``), with its row
    and column; with ``gaps="imply"`` a skipped stage is a warning and counts as reached."""
    from ladder.io.validate import validate_file

    settings = _settings(DEFAULT_THRESHOLD, gaps, stages)
    path: Path | None = data if data.is_file() else find_files(data).get("participants")
    if (path is not None and path.suffix != ".parquet") or (path is not None and data.is_file()):
        assert path is not None
        result = validate_file(path, "participants", org=org)
        if result.blocking:
            return Validated(path.name, result.problems, [])
        frame = result.canonical.filter(~pl.col(ROW).is_in(result.bad_rows.implode()))
        contract = result.problems
        file = path.name
    else:
        frame = _participants(data)
        contract = []
        file = "participants"
    if org:
        frame = frame.filter(pl.col("org_code") == org.strip().upper())
    checks = []
    for (code, name), rows in frame.group_by("org_code", "programme", maintain_order=True):
        definition = definition_for(str(name), settings.programmes)
        done = check(rows, definition, gaps=gaps, file=file)
        checks.append(
            Checked(
                str(code),
                done.programme,
                rows.height,
                done.problems,
                done.excluded,
                done.implied,
                done.left_out,
            )
        )
    return Validated(file, contract, sorted(checks, key=lambda c: (c.org, c.programme.name)))


def write_report(
    data: Path,
    out: Path,
    *,
    programme: str,
    org: str | None = None,
    pdf: bool = False,
    gaps: str = "imply",
    stages: Sequence[Path] = (),
    threshold: int = DEFAULT_THRESHOLD,
    engine: EngineName = EngineName.polars,
) -> list[Path]:
    """Write the evaluation report of ``programme`` (one per organisation running it)."""
    from ladder.reports.pdf import write_pdf
    from ladder.reports.programme import evaluation_html, file_stem

    chosen, notes = funnels(
        data,
        org=org,
        programme=programme,
        gaps=gaps,
        stages=stages,
        threshold=threshold,
        engine=engine,
    )
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for f in chosen:
        html = evaluation_html(
            f.results, f.programme, f.org, threshold=threshold, source=str(data), notes=notes
        )
        stem = out / file_stem(f.org, f.programme.name)
        path = stem.with_suffix(".html")
        path.write_text(html, encoding="utf-8")
        written.append(path)
        if pdf:
            write_pdf(html, stem.with_suffix(".pdf"))
            written.append(stem.with_suffix(".pdf"))
    return written


@dataclass(frozen=True)
class StageRow:
    """One stage of a funnel as a page or table shows it (withheld counts say so)."""

    label: str
    people: str
    percent: str
    interval: str
    conversion: str
    conversion_interval: str
    median_days: str


@dataclass(frozen=True)
class FunnelView:
    """A programme's funnel as the web page shows it."""

    name: str
    kind: str
    headline: str | None
    rows: list[StageRow]
    cohorts: list[str]


def stage_rows(funnel: Funnel, cohort: str = ALL) -> list[StageRow]:
    """The funnel table of one cohort (``all``: every cohort), suppression applied."""
    from ladder.metrics.formatting import WITHHELD, interval_text, value_text

    t = funnel.threshold
    rows = []
    for row in funnel.stage_table(cohort):
        first, conv, days = row["funnel"], row["conversion"], row["median_days"]
        assert first is None or isinstance(first, Result)
        assert conv is None or isinstance(conv, Result)
        assert days is None or isinstance(days, Result)
        people = "–"
        if first is not None:
            people = WITHHELD if first.suppressed else f"{int(first.numerator or 0):,}"
        median = "–"
        if days is not None:
            median = (
                WITHHELD
                if days.suppressed
                else ("–" if days.value is None else f"{days.value:.0f}")
            )
        rows.append(
            StageRow(
                label=str(row["label"]),
                people=people,
                percent=value_text(first, t) if first is not None else "–",
                interval=interval_text(first) if first is not None else "",
                conversion=value_text(conv, t) if conv is not None else "–",
                conversion_interval=interval_text(conv) if conv is not None else "",
                median_days=median,
            )
        )
    return rows


def web_funnels(ws: Workspace, access: Scope, threshold: int = DEFAULT_THRESHOLD) -> list[Funnel]:
    """The programmes of ``access.org`` from the workspace's stored results (computed if
    they are not current); none when the organisation has no participants yet."""
    try:
        found = app_results.stored_results(
            ws, org=access.org, ids=PROGRAMME_IDS, user=access.user.email
        ).results
    except InputError:
        return []
    return funnels_of(found, threshold=threshold)


def funnel_views(ws: Workspace, access: Scope) -> list[FunnelView]:
    """The programme page of ``access.org``: each programme's funnel, all cohorts."""
    return [
        FunnelView(f.programme.name, f.programme.kind, f.headline, stage_rows(f), f.cohorts)
        for f in web_funnels(ws, access)
    ]


def web_report(ws: Workspace, access: Scope, programme: str) -> tuple[str, str]:
    """(file name, HTML) of the evaluation report of one programme of ``access.org``."""
    from ladder.reports.programme import evaluation_html, file_stem

    chosen = [f for f in web_funnels(ws, access) if f.programme.matches(programme)]
    if not chosen:
        raise NotFound(programme)
    f = chosen[0]
    html = evaluation_html(
        f.results, f.programme, access.org, threshold=f.threshold, source="the Ladder service"
    )
    return f"{file_stem(access.org, f.programme.name)}.html", html
