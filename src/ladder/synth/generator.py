"""Generate every dataset for every trust, streaming each trust's rows to disk."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ladder.normalise.categories import normalise_survey_answer
from ladder.synth import messy
from ladder.synth.applications import generate_applications
from ladder.synth.careers import careers_anchor, generate_routes, generate_vacancies
from ladder.synth.cases import generate_cases
from ladder.synth.contracted import generate_contracted
from ladder.synth.participants import generate_participants
from ladder.synth.readme import readme_text
from ladder.synth.sampling import STREAM_MESSY, rng_for
from ladder.synth.survey import generate_survey
from ladder.synth.training import generate_training
from ladder.synth.trusts import TrustPlan, plan_trusts
from ladder.synth.workforce import generate_staff
from ladder.synth.writer import ChunkWriter, Format

CORE: tuple[str, ...] = (
    "staff", "applications", "training", "cases", "survey", "participants", "contracted_staff",
)  # fmt: skip
CAREERS: tuple[str, ...] = ("vacancies", "routes")  # canonical even in messy mode
DATASETS: tuple[str, ...] = (*CORE, *CAREERS)
MIN_STAFF = 50


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. ``orgs`` None means every trust in ``trusts`` (or 2 by default)."""

    out: Path
    orgs: int | None = None
    staff: int = 1000
    seed: int = 1
    fmt: Format = "csv"
    messy: bool = False
    trusts: tuple[str, ...] | None = None
    period: int = 2024

    @property
    def snapshot(self) -> dt.date:
        """The snapshot date: 31 March of the period year."""
        return dt.date(self.period, 3, 31)

    @property
    def survey_year(self) -> int:
        """The Staff Survey year reported with this period (run in the preceding autumn)."""
        return self.period - 1


@dataclass(frozen=True)
class TrustDone:
    """Progress report: one trust written."""

    done: int
    total: int
    org_code: str
    name: str
    rows: dict[str, int]


@dataclass
class SynthResult:
    """What was written."""

    out: Path
    files: dict[str, Path]
    trusts: list[TrustPlan]
    rows: dict[str, int] = field(default_factory=dict)
    injected: list[messy.Injected] = field(default_factory=list)


def plan(config: SynthConfig) -> list[TrustPlan]:
    """Validate ``config`` and choose the trusts (ValueError explains a bad setting)."""
    if config.staff < MIN_STAFF:
        raise ValueError(f"--staff must be at least {MIN_STAFF}")
    if not 2000 <= config.period <= 2100:
        raise ValueError("--period must be a year such as 2024")
    if config.seed < 0:
        raise ValueError("--seed must be zero or positive")
    orgs = config.orgs if config.orgs is not None or config.trusts else 2
    return plan_trusts(orgs, config.staff, config.seed, config.trusts)


def trust_frames(plan_: TrustPlan, config: SynthConfig) -> dict[str, pl.DataFrame]:
    """All the canonical datasets of one trust."""
    snap = config.snapshot
    staff = generate_staff(plan_, config.seed, snap)
    return {
        "staff": staff.frame,
        "applications": generate_applications(plan_, staff, config.seed, snap),
        "training": generate_training(plan_, staff, config.seed, snap),
        "cases": generate_cases(plan_, staff, config.seed, snap),
        "survey": generate_survey(plan_, staff, config.seed, config.survey_year),
        "participants": generate_participants(plan_, config.seed, snap, staff.frame),
        "contracted_staff": generate_contracted(plan_, config.seed, snap),
        "vacancies": generate_vacancies(plan_, config.seed, careers_anchor(snap)),
        "routes": generate_routes(plan_, config.seed, careers_anchor(snap)),
    }


def canonical_answers(survey: pl.DataFrame) -> pl.DataFrame:
    """Survey answers in the contract's storage type (positive for the indicator or not).

    CSV output keeps the Staff Survey wording, as real exports do; canonical Parquet holds
    what the importer would store, so it can be read without validation.
    """
    words = survey.get_column("answer").unique().drop_nulls().to_list()
    mapping = {w: normalise_survey_answer(w) for w in words}
    answer = survey.get_column("answer").replace_strict(
        list(mapping), list(mapping.values()), default=None, return_dtype=pl.Boolean
    )
    return survey.with_columns(answer)


def generate(
    config: SynthConfig, progress: Callable[[TrustDone], None] | None = None
) -> SynthResult:
    """Write the six datasets (and README.txt, plus messy_manifest.json in messy mode)."""
    trusts = plan(config)
    config.out.mkdir(parents=True, exist_ok=True)
    encoding = messy.ENCODING if config.messy else "utf-8"
    files = {kind: config.out / f"{kind}.{config.fmt}" for kind in DATASETS}
    result = SynthResult(out=config.out, files=files, trusts=trusts)
    writers = {kind: ChunkWriter(path, config.fmt, encoding) for kind, path in files.items()}
    try:
        for done, plan_ in enumerate(trusts, start=1):
            frames = trust_frames(plan_, config)
            if config.messy:
                rng = rng_for(config.seed, plan_.index, STREAM_MESSY)
                for kind in CORE:
                    frames[kind] = messy.render(frames[kind], kind, rng)
                    if plan_.index == 0:
                        frames[kind], injected = messy.inject(
                            frames[kind], kind, files[kind].name, rng, period=config.period
                        )
                        result.injected.extend(injected)
            elif config.fmt == "parquet":
                frames["survey"] = canonical_answers(frames["survey"])
            for kind in DATASETS:
                writers[kind].write(frames[kind])
            if progress is not None:
                counts = {kind: frames[kind].height for kind in DATASETS}
                progress(TrustDone(done, len(trusts), plan_.org_code, plan_.name, counts))
    finally:
        for writer in writers.values():
            writer.close()
    result.rows = {kind: writers[kind].rows for kind in DATASETS}
    (config.out / "README.txt").write_text(readme_text(config, result), encoding="utf-8")
    manifest_path = config.out / "messy_manifest.json"
    if config.messy:
        manifest = [entry.as_dict() for entry in result.injected]
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    elif manifest_path.exists():
        manifest_path.unlink()  # left by an earlier messy run into the same folder
    return result
