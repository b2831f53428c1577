"""The shared kit the indicator families are built from (WRES, WDES, place, SEB, pay gaps).

Each building block is written once, for any :class:`Grouping` of people, and the engine
aggregates it needs are computed once per run and shared (``Context.memo``):

- :mod:`~ladder.metrics.kit.groupings`: ethnic and disability grouping (``ETHNICITY``,
  ``DISABILITY``); a family adds its own (place: the home area's deprivation quintile);
- :mod:`~ladder.metrics.kit.workforce`: the workforce at the snapshot, representation by
  band and cluster;
- :mod:`~ladder.metrics.kit.recruitment`: applications counted once by every grouping;
  appointment from shortlisting and the recruitment funnel;
- :mod:`~ladder.metrics.kit.processes`: entering a formal process over a window of years,
  access to non-mandatory training;
- :mod:`~ladder.metrics.kit.survey`: staff-survey percentages and their difference;
- :mod:`~ladder.metrics.kit.board`: the board against the workforce;
- :mod:`~ladder.metrics.kit.figures`: the one builder API for results (rates and relative
  likelihoods, with the reason whenever a figure cannot be computed), over
  :mod:`ladder.metrics.builders`.

An indicator family is then a list of declarations (see ``indicators/wres.py``): an id, a
title, its wording, the block it uses and the grouping.
"""

from ladder.metrics.kit.board import MEMBERSHIPS, board_difference
from ladder.metrics.kit.figures import likelihoods, rates
from ladder.metrics.kit.groupings import (
    DISABILITY,
    ETHNICITY,
    Grouping,
    march,
    period_keys,
    with_group,
)
from ladder.metrics.kit.processes import (
    INCOMPLETE_WINDOW,
    entering_process,
    training_access,
    window_note,
)
from ladder.metrics.kit.recruitment import (
    application_counts,
    appointment_from_shortlisting,
    funnel_stages,
)
from ladder.metrics.kit.survey import SurveyItem, differences, survey_results
from ladder.metrics.kit.workforce import (
    WORKFORCE_NOTE,
    cluster,
    is_non_executive,
    reported_band,
    representation,
    snapshot,
    workforce,
    workforce_counts,
)

__all__ = [
    "DISABILITY",
    "ETHNICITY",
    "INCOMPLETE_WINDOW",
    "MEMBERSHIPS",
    "WORKFORCE_NOTE",
    "Grouping",
    "SurveyItem",
    "application_counts",
    "appointment_from_shortlisting",
    "board_difference",
    "cluster",
    "differences",
    "entering_process",
    "funnel_stages",
    "is_non_executive",
    "likelihoods",
    "march",
    "period_keys",
    "rates",
    "reported_band",
    "representation",
    "snapshot",
    "survey_results",
    "training_access",
    "window_note",
    "with_group",
    "workforce",
    "workforce_counts",
]
