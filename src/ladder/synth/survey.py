"""The staff survey of one trust: respondent-level answers in NHS Staff Survey wording."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth import frames, geography
from ladder.synth.sampling import STREAM_SURVEY, BoolArray, IntArray, choose_index, rng_for
from ladder.synth.trusts import TrustPlan
from ladder.synth.workforce import Workforce, is_bme

QUESTIONS: tuple[str, ...] = ("q4b", "q11e", "q14a", "q14b", "q14c", "q15", "q16b", "q30b")
"""Question ids, in questionnaire order (WRES 5-8 and the WDES survey metrics)."""
FREQUENCY: tuple[str, ...] = ("1-2", "3-5", "6-10", "More than 10")
AGREE: tuple[str, ...] = ("Strongly agree", "Agree")
NOT_AGREE: tuple[str, ...] = ("Neither agree nor disagree", "Disagree", "Strongly disagree")
_NOT_AGREE_P = (0.45, 0.35, 0.2)
_FREQUENCY_ITEMS = ("q14a", "q14b", "q14c")


def _words(rng: np.random.Generator, question: str, positive: BoolArray) -> npt.NDArray[np.object_]:
    """Staff Survey wording of each answer given whether it is positive for the indicator."""
    n = len(positive)
    out = np.empty(n, dtype=object)
    if question in _FREQUENCY_ITEMS:
        out[:] = "Never"
        out[positive] = np.array(FREQUENCY, dtype=object)[
            choose_index(rng, int(positive.sum()), cal.SURVEY_FREQUENCY)
        ]
    elif question == "q4b":
        out[positive] = np.array(AGREE, dtype=object)[
            choose_index(rng, int(positive.sum()), (0.3, 0.7))
        ]
        out[~positive] = np.array(NOT_AGREE, dtype=object)[
            choose_index(rng, int((~positive).sum()), _NOT_AGREE_P)
        ]
    else:
        out[:] = "No"
        out[positive] = "Yes"
    return out


def generate_survey(plan: TrustPlan, staff: Workforce, seed: int, year: int) -> pl.DataFrame:
    """Staff Survey ``year`` responses (about 45% of staff respond)."""
    rng = rng_for(seed, plan.index, STREAM_SURVEY)
    rate = cal.SURVEY_RESPONSE_RATE + rng.uniform(-0.08, 0.08)
    responds = (rng.random(plan.staff) < rate) & ~staff.non_executive
    who = np.flatnonzero(responds)
    m = len(who)
    bme = is_bme(staff.ethnicity[who])
    ltc = staff.ltc[who]
    ltc_answer = np.where(ltc, 1, 0)
    ltc_answer[rng.random(m) < 0.03] = -1

    resp_parts: list[IntArray] = []
    q_parts: list[IntArray] = []
    ans_parts: list[npt.NDArray[np.object_]] = []
    for qi, q in enumerate(QUESTIONS):
        asked = ltc if q == "q30b" else np.ones(m, dtype=np.bool_)
        asked = asked & (rng.random(m) >= cal.SURVEY_ITEM_NONRESPONSE)
        rows = np.flatnonzero(asked)
        if q == "q30b":
            u = rng.random(len(rows))
            na = u < cal.REASONABLE_ADJUSTMENT_NA
            yes = rng.random(len(rows)) < cal.REASONABLE_ADJUSTMENT_YES
            words = np.where(na, "Not applicable", np.where(yes, "Yes", "No")).astype(object)
        else:
            white_p, bme_p = cal.SURVEY_POSITIVE[q]
            p = np.where(bme[rows], bme_p, white_p)
            p = np.where(ltc[rows], p * cal.SURVEY_DISABILITY[q], p)
            positive = rng.random(len(rows)) < np.clip(p, 0, 1)
            words = _words(rng, q, positive)
            if q == "q15":
                dont_know = rng.random(len(rows)) < cal.SURVEY_DONT_KNOW_Q15
                words[dont_know] = "Don't know"
        resp_parts.append(rows)
        q_parts.append(np.full(len(rows), qi, dtype=np.int64))
        ans_parts.append(words)

    resp = np.concatenate(resp_parts)
    qidx = np.concatenate(q_parts)
    answers = np.concatenate(ans_parts)
    order = np.lexsort((qidx, resp))
    resp, qidx, answers = resp[order], qidx[order], answers[order]
    person = who[resp]
    respondent_ids = frames.ids(f"SYN-{plan.org_code}-R", m, 6, "respondent_id")
    df = pl.DataFrame(
        [
            respondent_ids.gather(resp),
            pl.Series("org_code", [plan.org_code] * len(resp), dtype=pl.String),
            pl.Series("year", [year] * len(resp), dtype=pl.Int64),
            frames.labels(qidx, QUESTIONS, "question_id"),
            frames.labels(staff.ethnicity[person], geography.ETHNIC_CODES, "ethnic_category"),
            frames.tri_bool(ltc_answer[resp], "disability"),
            pl.Series("answer", answers, dtype=pl.String),
        ]
    )
    return frames.conform(df, "survey", keep=("answer",))
