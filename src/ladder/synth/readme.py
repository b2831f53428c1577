"""The README.txt written beside every synthetic dataset: what it is and how it was made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ladder import __version__

if TYPE_CHECKING:
    from ladder.synth.generator import SynthConfig, SynthResult

SYNTH_VERSION = 1
"""Bumped whenever the same seed would give different data."""


def command_line(config: SynthConfig) -> str:
    """The ``ladder synth`` command that reproduces these files (run in this folder)."""
    parts = ["ladder synth --out ."]
    if config.trusts:
        parts.append(f"--trusts {','.join(config.trusts)}")
    if config.orgs is not None:
        parts.append(f"--orgs {config.orgs}")
    parts.append(f"--staff {config.staff} --seed {config.seed} --period {config.period}")
    parts.append(f"--format {config.fmt}")
    if config.messy:
        parts.append("--messy")
    return " ".join(parts)


def readme_text(config: SynthConfig, result: SynthResult) -> str:
    """Plain-text notice; contains nothing that changes between identical runs."""
    lines = [
        "SYNTHETIC DATA - NOT REAL PEOPLE",
        "=" * 32,
        "",
        "Every record in this folder was generated at random by Ladder's synthetic NHS trust",
        "generator. No row describes a real person. Trust codes, names, postcodes and local",
        "authorities are real (open data) so that the place-based analyses work; the staff,",
        "applicants, cases, survey answers and programme participants are invented, with",
        "patterns calibrated to published national figures (see docs/synthetic-data.md).",
        "Pseudonymous IDs start with 'SYN-' so that they cannot be mistaken for real ones.",
        "",
        f"Generator: ladder {__version__} (synth data version {SYNTH_VERSION})",
        f"Command:   {command_line(config)}",
        f"Seed:      {config.seed}",
        f"Period:    {config.period} (snapshot date {config.snapshot.isoformat()}; staff survey "
        f"{config.survey_year})",
        f"Format:    {config.fmt}"
        + (
            " (messy export style, Windows-1252)"
            if config.messy and config.fmt == "csv"
            else " (messy export style)"
            if config.messy
            else ""
        ),
        "",
        "Files and rows:",
    ]
    for kind, path in result.files.items():
        lines.append(f"  {path.name:<22} {result.rows.get(kind, 0):>12,}")
    if config.messy:
        lines += [
            "  messy_manifest.json    the deliberately invalid values, by file, row and column",
        ]
    lines += ["", f"Trusts ({len(result.trusts)}):"]
    for t in result.trusts:
        lines.append(f"  {t.org_code:<6} {t.staff:>7,} staff  {t.name}")
    return "\n".join(lines) + "\n"
