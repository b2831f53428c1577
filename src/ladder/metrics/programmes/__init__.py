"""Community employment programmes: definitions as data, stage checks, funnels, reach and
retention (docs/programmes.md). The figures are indicators in the registry
(``ladder.metrics.indicators.programme``: ``programme.*`` ids)."""

from ladder.metrics.programmes.definition import (
    STANDARD,
    STANDARD_OUTCOMES,
    STANDARD_STAGES,
    Outcome,
    Programme,
    ProgrammeError,
    Stage,
    definition_for,
    load_file,
    load_paths,
    shipped,
)

__all__ = [
    "STANDARD",
    "STANDARD_OUTCOMES",
    "STANDARD_STAGES",
    "Outcome",
    "Programme",
    "ProgrammeError",
    "Stage",
    "definition_for",
    "load_file",
    "load_paths",
    "shipped",
]
