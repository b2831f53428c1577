"""The open index: frameworks as data, submissions, transparent scoring, ranking with each
rank's stability, and feedback (docs/index.md).

- :mod:`~ladder.frameworks.catalogue`: the shipped frameworks and reading a framework file
  against the published JSON Schema (``schema/framework.schema.json``);
- :mod:`~ladder.frameworks.answers`: submissions (answer files, YAML or XLSX) and templates;
- :mod:`~ladder.frameworks.scoring`: question, section and total scores;
- :mod:`~ladder.frameworks.ranking`: ranks with ties, publication, movement, stability;
- :mod:`~ladder.frameworks.feedback`: each entrant's feedback.
"""

from ladder.frameworks.answers import Adjustment, Answer, Submission
from ladder.frameworks.catalogue import UnknownFramework, framework, read, schema, shipped
from ladder.frameworks.feedback import Feedback, feedback
from ladder.frameworks.model import Framework, Question, Section
from ladder.frameworks.ranking import Entry, Ranking, competition_ranks, rank, stability
from ladder.frameworks.scoring import Measured, Score, measured, score
from ladder.frameworks.yamlfile import FileProblems, Problem

__all__ = [
    "Adjustment",
    "Answer",
    "Entry",
    "Feedback",
    "FileProblems",
    "Framework",
    "Measured",
    "Problem",
    "Question",
    "Ranking",
    "Score",
    "Section",
    "Submission",
    "UnknownFramework",
    "competition_ranks",
    "feedback",
    "framework",
    "measured",
    "rank",
    "read",
    "schema",
    "score",
    "shipped",
    "stability",
]
