"""Values validation derives from others once a file's columns are canonical.

- **Age bands.** A band shared by two schemes (``65 and over``) takes the scheme of the rest
  of the file; a file mixing two schemes gets a warning naming both; a row with a date of
  birth but no band gets the band of its age at the file's date, in the file's own scheme
  (ESR when the file gives no bands).
- **Recruitment stages.** An applications file with a stage column and no ``shortlisted`` /
  ``appointed`` gets them from the stage map (:mod:`ladder.normalise.stages`); flags the file
  gives win over the stage. An unknown stage is an error listing the known stages.
- **Staff-survey questions.** Each year's own question numbers become Ladder's question ids
  (:mod:`ladder.normalise.survey_questions`).

:func:`derive` returns the frame and the problems found (:class:`Finding`, a boolean row mask
each); the validator reports them like its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import polars as pl

from ladder import codes
from ladder.normalise import agebands, survey_questions
from ladder.normalise.stages import StageMap, shipped

DATE_COLUMNS = ("snapshot_date", "engaged_date", "applied_date")
"""The date a person's age is taken at, first found first."""

DERIVABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "applications": {"stage": ("shortlisted", "appointed")},
}
"""Per dataset: a column that, when present, gives the listed (otherwise required) columns."""


@dataclass(frozen=True)
class Finding:
    """A problem on the rows of ``mask``, in ``column`` (reported with the column's value)."""

    column: str
    mask: pl.Series
    code: str
    reason: str
    hint: str
    severity: str = "error"


@dataclass
class Derived:
    frame: pl.DataFrame
    findings: list[Finding] = field(default_factory=list)


def derivable(kind: str, present: Collection[str]) -> set[str]:
    """Columns of dataset ``kind`` the file need not give, because a present column gives them."""
    out: set[str] = set()
    for source, targets in DERIVABLE.get(kind, {}).items():
        if source in present:
            out.update(targets)
    return out


def derive(
    frame: pl.DataFrame,
    kind: str,
    present: Collection[str],
    *,
    stage_map: StageMap | None = None,
) -> Derived:
    """Fill and check the derived values of ``frame`` (dataset ``kind``; ``present``: the
    contract columns the file gave)."""
    out = Derived(frame)
    if "age_band" in frame.columns:
        _age_bands(out, present)
    if kind == "applications" and "stage" in present:
        _stages(out, present, stage_map or shipped())
    if kind == "survey" and {"year", "question_id"} <= set(frame.columns):
        out.frame = out.frame.with_columns(survey_questions.ladder_ids(out.frame))
    return out


# --- Age bands ---------------------------------------------------------------------------


def _age_bands(out: Derived, present: Collection[str]) -> None:
    bands = out.frame.get_column("age_band")
    given = bands.drop_nulls().value_counts(sort=True)
    counts: dict[str, int] = {str(band): int(n) for band, n in given.iter_rows()}
    sure = Counter[str]()
    for band, n in counts.items():
        if len(agebands.alternatives(band)) == 1:
            sure[codes.age_scheme(band)] += n
    relabel: dict[str, str] = {}
    for band in counts:
        options = agebands.alternatives(band)
        if len(options) > 1 and codes.age_scheme(band) not in sure:
            fitting = [b for b in options if codes.age_scheme(b) in sure]
            if fitting:
                relabel[band] = max(fitting, key=lambda b: sure[codes.age_scheme(b)])
    if relabel:
        bands = bands.replace(relabel)
        out.frame = out.frame.with_columns(bands)
    final = {relabel.get(band, band) for band in counts}
    schemes = Counter[str]()
    for band, n in counts.items():
        schemes[codes.age_scheme(relabel.get(band, band))] += n
    if len(schemes) > 1:
        main, *others = [s for s, _ in schemes.most_common()]
        titles = " and ".join(codes.AGE_SCHEME_TITLES[s] for s in [main, *others])
        out.findings.append(
            Finding(
                "age_band",
                bands.is_in([b for b in final if codes.age_scheme(b) in others]).fill_null(False),
                "inconsistent",
                f"age bands of two schemes in one file: {titles}",
                "give every row's age band in one scheme (representation by age shows each "
                "scheme's bands as given, so the two cannot be added up)",
                severity="warning",
            )
        )
    scheme = schemes.most_common(1)[0][0] if schemes else "esr"
    _from_birth(out, scheme, frozenset(final))


def _from_birth(out: Derived, scheme: str, used: frozenset[str]) -> None:
    frame = out.frame
    if "date_of_birth" not in frame.columns:
        return
    at = next((c for c in DATE_COLUMNS if c in frame.columns), None)
    if at is None:
        return
    birth, when = pl.col("date_of_birth"), pl.col(at)
    years = (when.dt.year() - birth.dt.year()) - (
        (when.dt.month() < birth.dt.month())
        | ((when.dt.month() == birth.dt.month()) & (when.dt.day() < birth.dt.day()))
    ).cast(pl.Int32)
    ages = frame.select(years.alias("age")).to_series()
    wanted = (frame.get_column("age_band").is_null() & (ages >= 16)).fill_null(False)
    distinct = sorted(ages.filter(wanted).unique().to_list())
    if not distinct:
        return
    labels = [agebands.band_of_age(a, scheme, used) for a in distinct]
    derived = ages.replace_strict(distinct, labels, default=None, return_dtype=pl.String)
    out.frame = frame.with_columns(
        pl.when(wanted).then(derived).otherwise(pl.col("age_band")).alias("age_band")
    )


# --- Recruitment stages ----------------------------------------------------------------


def _stages(out: Derived, present: Collection[str], stage_map: StageMap) -> None:
    frame = out.frame
    stage = frame.get_column("stage")
    distinct = stage.drop_nulls().unique().to_list()
    known = {raw: stage_map.lookup(raw) for raw in distinct}
    unknown = sorted(raw for raw, s in known.items() if s is None)
    if unknown:
        out.findings.append(
            Finding(
                "stage",
                stage.is_in(unknown).fill_null(False),
                "invalid_value",
                "not a known recruitment stage",
                f"use one of the known stages ({'; '.join(stage_map.labels)}), or add the "
                "stage with its shortlisted and appointed values to a stage map file "
                "(--stage-map FILE; see docs/validation.md)",
            )
        )
    mapped = {raw: s for raw, s in known.items() if s is not None}
    updates = []
    for flag in ("shortlisted", "appointed"):
        values = stage.replace_strict(
            list(mapped),
            [getattr(s, flag) for s in mapped.values()],
            default=None,
            return_dtype=pl.Boolean,
        )
        updates.append(pl.coalesce(frame.get_column(flag), values).alias(flag))
    absent = [flag for flag in ("shortlisted", "appointed") if flag not in present]
    if absent:
        out.findings.append(
            Finding(
                "stage",
                stage.is_null(),
                "missing_value",
                f"stage is blank, and the file has no {' or '.join(absent)} column to say instead",
                "fill in the stage (or the shortlisted and appointed columns) on every row",
            )
        )
    out.frame = frame.with_columns(updates)
    if not {"shortlisted", "appointed"} <= set(present):
        bad = out.frame.select(
            (pl.col("appointed") & ~pl.col("shortlisted")).fill_null(False)
        ).to_series()
        out.findings.append(
            Finding(
                "stage",
                bad,
                "inconsistent",
                "appointed but not shortlisted (the stage and the file's flag disagree)",
                "WRES counts appointments from shortlisting: check the stage and the flag",
            )
        )
