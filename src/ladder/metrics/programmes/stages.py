"""Check a programme's participants against its stages, and mark the stages each reached.

Every row whose stage dates go backwards (a stage dated before an earlier one) is an error,
with its row and column. A row that reaches a stage without the one before it (a *gap*) is
an error with ``gaps="error"``; with ``gaps="imply"`` reaching a stage implies every earlier
one (a warning says so). Rows with errors are left out of the figures. A file may give a
``stage`` column (the furthest stage reached, by id or label) instead of, or beside, a date
per stage: it marks that stage and every earlier one as reached (dates not known).

Stages whose column holds no date for the programme, and that no ``stage`` value reaches,
are left out of its funnel (a file without an enrolment date has no "enrolled" stage).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import polars as pl

from ladder.io.problems import ERROR, WARNING, Problem
from ladder.metrics.programmes.definition import Programme, ProgrammeError

Gaps = Literal["error", "imply"]
GAPS: tuple[str, ...] = ("error", "imply")
ROW = "_row"
"""The spreadsheet row of a participant (header = row 1), carried for the problems."""


def reached(stage_id: str) -> str:
    """The name of the boolean column 'reached this stage'."""
    return f"reached:{stage_id}"


@dataclass(frozen=True)
class Checked:
    """One programme's participants after the stage checks.

    ``programme``: the definition with only the stages in use. ``rows``: the rows without
    errors, with a ``reached:<stage>`` boolean per stage. ``implied``: rows with a stage
    implied by a later one. ``excluded``: rows left out for errors.
    """

    programme: Programme
    rows: pl.DataFrame
    problems: list[Problem]
    left_out: tuple[str, ...] = ()
    implied: int = 0
    excluded: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def _stage_index(programme: Programme, frame: pl.DataFrame) -> pl.Expr:
    """Index of the ``stage`` column's value among the stages (-1: none; -2: unknown)."""
    if "stage" not in frame.columns:
        return pl.lit(-1, dtype=pl.Int64)
    names = {}
    for i, s in enumerate(programme.stages):
        names[s.id.casefold()] = i
        names[s.label.casefold()] = i
    text = pl.col("stage").str.strip_chars().str.to_lowercase()
    return (
        pl.when(pl.col("stage").is_null() | (text == ""))
        .then(pl.lit(-1, dtype=pl.Int64))
        .otherwise(text.replace_strict(names, default=-2, return_dtype=pl.Int64))
    )


def check(
    frame: pl.DataFrame, programme: Programme, *, gaps: str = "imply", file: str = "participants"
) -> Checked:
    """Check the rows of one programme (``frame``: participants rows, an optional ``_row``)."""
    if gaps not in GAPS:
        raise ProgrammeError(f"--gaps {gaps}: use error or imply")
    if ROW not in frame.columns:
        frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    frame = frame.with_columns(_stage_index(programme, frame).alias("_stage_index"))
    stage_index = frame["_stage_index"]
    in_use = []
    for i, s in enumerate(programme.stages):
        has_dates = s.column in frame.columns and frame[s.column].null_count() < frame.height
        if i == 0 or has_dates or bool((stage_index >= i).any()):
            in_use.append(s)
    left_out = tuple(s.id for s in programme.stages if s not in in_use)
    used = replace(programme, stages=tuple(in_use))
    for s in in_use:
        if s.column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias(s.column))

    problems: list[Problem] = []
    bad: set[int] = set()
    rows = frame[ROW].to_list()
    ids = frame["participant_id"].to_list() if "participant_id" in frame.columns else rows

    def add(
        index: int, column: str, value: object, code: str, reason: str, hint: str, sev: str
    ) -> None:
        problems.append(
            Problem(
                file=file,
                row=int(rows[index]),
                column=column,
                value=None if value is None else str(value),
                code=code,
                reason=f"participant {ids[index]}: {reason}",
                hint=hint,
                severity=ERROR if sev == ERROR else WARNING,
            )
        )
        if sev == ERROR:
            bad.add(index)

    for index in (stage_index == -2).arg_true().to_list():
        add(
            index,
            "stage",
            frame["stage"][index],
            "unknown_stage",
            f"not a stage of {programme.name}",
            f"use one of: {', '.join(s.id for s in programme.stages)}",
            ERROR,
        )

    # Dates going backwards: a stage dated before any earlier stage's date.
    for k in range(1, len(in_use)):
        later = in_use[k]
        earlier = pl.max_horizontal([pl.col(s.column) for s in in_use[:k]])
        flagged = frame.select((pl.col(later.column) < earlier).fill_null(False)).to_series()
        for index in flagged.arg_true().to_list():
            earlier_labels = [
                s.label.lower()
                for s in in_use[:k]
                if frame[s.column][index] is not None
                and frame[s.column][index] > frame[later.column][index]
            ]
            add(
                index,
                later.column,
                frame[later.column][index],
                "stage_out_of_order",
                f"{later.label.lower()} is dated before {' and '.join(earlier_labels)}",
                "stage dates must not go backwards: check both dates",
                ERROR,
            )

    # Reached: a date, or the stage column at or beyond the stage.
    marks = {
        s.id: (pl.col(s.column).is_not_null() | (pl.col("_stage_index") >= i))
        for i, s in enumerate(in_use)
    }
    frame = frame.with_columns(*(m.alias(reached(k)) for k, m in marks.items()))
    implied_rows: dict[int, str] = {}
    for k in range(1, len(in_use)):
        before, stage = in_use[k - 1], in_use[k]
        gap = frame.select(pl.col(reached(stage.id)) & ~pl.col(reached(before.id))).to_series()
        for index in gap.arg_true().to_list():
            if gaps == "error":
                add(
                    index,
                    before.column,
                    None,
                    "stage_gap",
                    f"reaches {stage.label.lower()} without {before.label.lower()}",
                    f"give the {before.label.lower()} date, or use --gaps imply to count the "
                    "earlier stage as reached",
                    ERROR,
                )
            else:
                implied_rows.setdefault(index, before.column)
    if gaps == "imply" and implied_rows:
        # reaching a stage implies every earlier one: sweep from the last stage back
        exprs = {in_use[-1].id: pl.col(reached(in_use[-1].id))}
        for k in range(len(in_use) - 2, -1, -1):
            exprs[in_use[k].id] = pl.col(reached(in_use[k].id)) | exprs[in_use[k + 1].id]
        frame = frame.with_columns(*(e.alias(reached(k)) for k, e in exprs.items()))
        for index, column in sorted(implied_rows.items()):
            add(
                index,
                column,
                None,
                "stage_implied",
                "a later stage is reached without an earlier one: the earlier stage is counted "
                "as reached",
                "give the missing date if it is known",
                WARNING,
            )
    keep = pl.Series([i not in bad for i in range(frame.height)])
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return Checked(
        programme=used,
        rows=frame.filter(keep).drop("_stage_index"),
        problems=problems,
        left_out=left_out,
        implied=len(set(implied_rows) - bad),
        excluded=len(bad),
    )


@dataclass(frozen=True)
class CheckedMany:
    """:func:`check` of one programme at many organisations at once, without the problems.

    ``rows``: every organisation's rows without errors, with a ``reached:<stage>`` boolean per
    stage of the definition (a stage an organisation does not use is never reached there).
    ``orgs``: (organisation, stages in use: a boolean per stage of the definition, rows with
    an implied stage, rows left out), as :class:`Checked` counts them, in order.
    """

    rows: pl.DataFrame
    orgs: list[tuple[str, tuple[bool, ...], int, int]]


def check_many(frame: pl.DataFrame, programme: Programme, *, gaps: str = "imply") -> CheckedMany:
    """:func:`check` of each organisation's rows of ``frame`` (column ``org_code``), in a few
    steps for all of them: the same stages in use, rows left out and marks, without listing
    the problems."""
    if gaps not in GAPS:
        raise ProgrammeError(f"--gaps {gaps}: use error or imply")
    stages = programme.stages
    names = frame.columns
    index: pl.Expr = pl.lit(-1, dtype=pl.Int64)  # no stage column, or no value in it
    if "stage" in names and frame["stage"].null_count() < frame.height:
        frame = frame.with_columns(_stage_index(programme, frame).alias("_stage_index"))
        index = pl.col("_stage_index")
    dated = [s.column in names for s in stages]
    in_use = [
        pl.lit(True)
        if i == 0
        else (
            (pl.col(s.column).is_not_null().any() if dated[i] else pl.lit(False))
            | (index >= i).any()
        )
        for i, s in enumerate(stages)
    ]
    used_by = {
        org: tuple(bool(x) for x in flags)
        for org, flags in frame.group_by("org_code")
        .agg(pl.concat_list(in_use).alias("in_use"))
        .iter_rows()
    }
    configs = sorted(set(used_by.values()))
    # dates going backwards (a stage's column is all null where the stage is not in use)
    backwards = _backwards(frame, [s.column for s, d in zip(stages, dated, strict=True) if d])
    marks = [
        (pl.col(s.column).is_not_null() | (index >= i)) if dated[i] else (index >= i)
        for i, s in enumerate(stages)
    ]

    def gap(config: tuple[bool, ...]) -> pl.Expr:
        used = [m for m, u in zip(marks, config, strict=True) if u]
        pairs = [here & ~before for before, here in itertools.pairwise(used)]
        return pl.any_horizontal(*pairs) if pairs else pl.lit(False)

    gap_expr = gap(configs[0]) if configs else pl.lit(False)
    if len(configs) > 1:  # the stages in use differ between organisations
        orgs = list(used_by)
        config = pl.col("org_code").replace_strict(
            orgs, [configs.index(used_by[o]) for o in orgs], default=-1, return_dtype=pl.Int64
        )
        for c in range(1, len(configs)):
            gap_expr = pl.when(config == c).then(gap(configs[c])).otherwise(gap_expr)
    bad = (index == -2) | pl.lit(backwards)
    if gaps == "error":
        bad = bad | gap_expr
    frame = frame.with_columns(
        *(m.alias(reached(s.id)) for m, s in zip(marks, stages, strict=True)),
        gap_expr.alias("_gap"),
        bad.alias("_bad"),
    )
    implied = (pl.col("_gap") & ~pl.col("_bad")).sum() if gaps == "imply" else pl.lit(0)
    counts = {
        org: (int(n_implied), int(n_bad))
        for org, n_implied, n_bad in frame.group_by("org_code")
        .agg(implied.alias("implied"), pl.col("_bad").sum().alias("excluded"))
        .iter_rows()
    }
    marked = [pl.col(reached(s.id)) for s in stages]
    if gaps == "imply":  # reaching a stage implies every earlier one
        for k in range(len(stages) - 2, -1, -1):
            marked[k] = marked[k] | marked[k + 1]
    added = {
        s.column: pl.lit(None, dtype=pl.Date) for s, d in zip(stages, dated, strict=True) if not d
    }
    marked_names = {reached(s.id) for s in stages}
    kept = [c for c in names if c not in marked_names]
    rows = frame.filter(~pl.col("_bad")).select(
        *kept,
        *(m.alias(reached(s.id)) for m, s in zip(marked, stages, strict=True)),
        *(e.alias(c) for c, e in added.items()),
    )
    orgs_out = [
        (str(org), used_by[org], *counts.get(org, (0, 0)))
        for org in sorted(used_by, key=lambda o: (o is None, str(o)))
    ]
    return CheckedMany(rows, orgs_out)


def _backwards(frame: pl.DataFrame, columns: list[str]) -> pl.Series:
    """Rows with a date of ``columns`` (in stage order) before the latest date of an earlier
    one (null dates ignored), as :func:`check` finds them: worked out on the dates as day
    numbers with a running maximum (comparing each column with the maximum of all the
    earlier ones, in a query, costs more on one trust's rows than the rows)."""
    flagged = np.zeros(frame.height, dtype=bool)
    latest = np.full(frame.height, np.nan)
    with np.errstate(invalid="ignore"):
        for column in columns:
            days = frame[column].cast(pl.Int64).to_numpy().astype(np.float64)  # null: NaN
            flagged |= days < latest  # NaN on either side: not before
            latest = np.fmax(latest, days)
    return pl.Series("_backwards", flagged, dtype=pl.Boolean)


@dataclass(frozen=True)
class Group:
    """One organisation's programme after the checks: its figures' period, the latest date
    of its data (``as_at``), the definition with only the stages in use, and the counts of
    :class:`Checked`."""

    org: str
    period: int
    as_at: dt.date
    programme: Programme
    left_out: tuple[str, ...] = ()
    implied: int = 0
    excluded: int = 0


@dataclass(frozen=True)
class Batch:
    """One programme (by name) at every organisation that runs it: ``rows``, the checked
    rows of all of them (:class:`CheckedMany`, with ``_as_at``, the organisation's latest
    date), and each organisation's :class:`Group`, in order of organisation."""

    definition: Programme
    rows: pl.DataFrame
    groups: tuple[Group, ...]

    @property
    def name(self) -> str:
        return self.definition.name

    def orgs(self, groups: tuple[Group, ...] | None = None) -> pl.DataFrame:
        """``org_code`` and ``period`` of the groups (all by default)."""
        chosen = self.groups if groups is None else groups
        return pl.DataFrame(
            {"org_code": [g.org for g in chosen], "period": [g.period for g in chosen]},
            schema={"org_code": pl.String, "period": pl.Int64},
        )

    def configs(self) -> list[tuple[Programme, tuple[Group, ...], pl.DataFrame]]:
        """(definition with the stages in use, its groups, their rows) of each set of stages
        in use: figures that depend on the stages are built once per set."""
        by_stages: dict[tuple[str, ...], list[Group]] = {}
        for g in self.groups:
            by_stages.setdefault(g.programme.stage_ids, []).append(g)
        if len(by_stages) == 1:
            chosen = tuple(self.groups)
            return [(chosen[0].programme, chosen, self.rows)]
        out = []
        for groups in by_stages.values():
            orgs = [g.org for g in groups]
            rows = self.rows.filter(pl.col("org_code").is_in(orgs))
            out.append((groups[0].programme, tuple(groups), rows))
        return out
