"""Where an organisation stands: among its peers in a run, and in published national data.

Two kinds of comparison, kept apart because they answer different questions:

* :func:`peer_positions` places one organisation's headline figures (``HEADLINES``) among the
  other organisations present in the *same* list of results for the same period. Ranks use
  standard competition ranking ('1224'): the highest value is rank 1, tied values share the
  best rank and the next rank skips (values 5, 3, 3, 1 rank 1, 2, 2, 4). Suppressed and
  missing values are left out of the ranking, the median and the range. Rank 1 means
  *highest*, not *best*: for a relative likelihood 1.00 is equality and a high value is a
  worse one; the ``note`` says how to read each unit.
* :func:`published_pay_gap`, :func:`published_staff_survey` and
  :func:`national_pay_gap_context` read the figures organisations *published* (shipped as
  reference data, see docs/reference-data.md) by ODS code.

Reporting years. The GOV.UK gender pay gap service names years like ``"2017 to 2018"``; a
public-sector employer's snapshot date is 31 March of the *first* year (31 March 2017 here,
deadline 30 March 2018). Ladder's period is the year ending 31 March named by its end year,
with the staff snapshot on 31 March of that year, so gender pay gap reporting year
``"P to P+1"`` matches Ladder period ``P`` (reference column ``snapshot_year``). Rows show the
year as ``"2017-18"``. The NHS Staff Survey year is the autumn it ran; survey year ``Y``
belongs to Ladder period ``Y + 1``.

The gender pay gap rows carry an ODS code matched to the employer name (exact match after
normalising case, punctuation, '&' and 'the'); the match is heuristic and an organisation may
be missing because it filed under another or an abbreviated name.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from ladder import reference
from ladder.metrics import Measure, Result
from ladder.metrics.formatting import WITHHELD
from ladder.metrics.headline import HEADLINES, Headline, headline_table

__all__ = [
    "PeerPosition",
    "Published",
    "competition_rank",
    "national_pay_gap_context",
    "peer_positions",
    "published_pay_gap",
    "published_staff_survey",
]

MISSING = "–"
"""What a table cell shows for a figure that was not published."""


@dataclass(frozen=True)
class PeerPosition:
    """One headline figure of one organisation, placed among its peers in the same results."""

    label: str  # headline label
    value: float | None  # this org's value (None if suppressed/missing)
    rank: int | None  # 1 = highest value among peers with a value
    of: int  # number of peers with a value (incl. this org)
    median: float | None
    lowest: float | None
    highest: float | None
    note: str  # e.g. 'ratio: 1.00 is equality' or why missing


@dataclass(frozen=True)
class Published:
    """Published figures for one organisation, ready for an HTML table (1 dp strings)."""

    found: bool
    message: str
    headers: list[str]
    rows: list[list[str]]


# --- peers in a run ---------------------------------------------------------------------------

_READING: Mapping[Measure, str] = {
    Measure.RELATIVE_LIKELIHOOD: "ratio: 1.00 is equality; rank 1 is the highest ratio",
    Measure.GAP: "gap, % of men's pay: 0 is equality, above 0 favours men; rank 1 is the largest",
    Measure.SHARE: "share of staff, %; rank 1 is the highest share",
}


def _usable(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def competition_rank(value: float, values: Sequence[float]) -> int:
    """Standard competition rank ('1224') of ``value`` in ``values``, highest first."""
    return 1 + sum(1 for v in values if v > value)


def peer_positions(results: list[Result], org: str, period: int) -> list[PeerPosition]:
    """``org``'s position on every headline among the orgs present in ``results`` for ``period``.

    One :class:`PeerPosition` per ``HEADLINES`` entry, in that order. Peers are the
    organisations with at least one result for ``period``; for each headline only those with
    an unsuppressed, finite value count (``of``, ``median``, ``lowest``, ``highest``, ``rank``).
    When ``org`` has no usable value, ``value`` and ``rank`` are None and ``note`` says why.
    """
    in_period = [r for r in results if r.period == period]
    present = {r.org for r in in_period}
    table = headline_table(in_period)
    positions: list[PeerPosition] = []
    for headline in HEADLINES:
        values: list[float] = []
        for peer in sorted(present):
            row = table.get((peer, period), {}).get(headline.label)
            if row is not None and not row.suppressed:
                v = _usable(row.value)
                if v is not None:
                    values.append(v)
        positions.append(
            _position(headline, table.get((org, period), {}), org, period, values, present)
        )
    return positions


def _position(
    headline: Headline,
    own: Mapping[str, Result],
    org: str,
    period: int,
    values: list[float],
    present: set[str],
) -> PeerPosition:
    reading = _READING.get(headline.measure, str(headline.measure))
    mine = own.get(headline.label)
    value: float | None = None
    if org not in present:
        why = f"{org} has no results for period {period}"
    elif mine is None:
        why = f"not computed for {org} in period {period}"
    elif mine.suppressed:
        why = WITHHELD  # like every withheld figure: no reason, no bound (issue 12)
    else:
        value = _usable(mine.value)
        why = "" if value is not None else "no value (too few people to compute)"
    return PeerPosition(
        label=headline.label,
        value=value,
        rank=competition_rank(value, values) if value is not None else None,
        of=len(values),
        median=statistics.median(values) if values else None,
        lowest=min(values) if values else None,
        highest=max(values) if values else None,
        note=f"{why}; {reading}" if why else reading,
    )


# --- published figures -------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):.1f}"


def _year_label(reporting_year: str) -> str:
    """``"2017 to 2018"`` → ``"2017-18"``."""
    first, _, second = reporting_year.partition(" to ")
    return f"{first}-{second[-2:]}" if second else reporting_year


def _code(org: str) -> str:
    return org.strip().upper()


_PAY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mean hourly gap %", "diff_mean_hourly_pct"),
    ("Median hourly gap %", "diff_median_hourly_pct"),
    ("Mean bonus gap %", "diff_mean_bonus_pct"),
    ("Median bonus gap %", "diff_median_bonus_pct"),
    ("Men receiving bonus %", "male_bonus_pct"),
    ("Women receiving bonus %", "female_bonus_pct"),
    ("Women in lower quartile %", "female_lower_quartile_pct"),
    ("Women in lower middle quartile %", "female_lower_middle_quartile_pct"),
    ("Women in upper middle quartile %", "female_upper_middle_quartile_pct"),
    ("Women in top quartile %", "female_top_quartile_pct"),
)
_PAY_SOURCE = "the gender pay gap service's NHS subset (matched by name)"


def published_pay_gap(org: str) -> Published:
    """Every gender pay gap filing for ODS code ``org``: gaps, bonuses, women per quartile.

    Rows are in reporting-year order; the year column reads ``"2017-18"`` (snapshot
    31 March 2017) and is marked ``(partial copy)`` for 2022-23, of which only filings to
    March 2023 are held.
    """
    code = _code(org)
    headers = ["Reporting year", "Employer (as filed)", *(h for h, _ in _PAY_COLUMNS)]
    frame = (
        reference.published_gender_pay_gap()
        .filter(pl.col("ods_code") == code)
        .sort("snapshot_year")
    )
    if frame.is_empty():
        return Published(False, f"{code} is not in {_PAY_SOURCE}", headers, [])
    rows = []
    for rec in frame.iter_rows(named=True):
        year = _year_label(rec["reporting_year"])
        if rec["partial_year"]:
            year += " (partial copy)"
        rows.append([year, rec["employer_name"], *(_fmt(rec[c]) for _, c in _PAY_COLUMNS)])
    first, last = frame["reporting_year"][0], frame["reporting_year"][-1]
    message = (
        f"{code}: {frame.height} reporting year(s) in {_PAY_SOURCE}, "
        f"{_year_label(first)} to {_year_label(last)}. Gaps are % of men's hourly pay "
        "(positive: women paid less); the ODS match is by employer name, so verify it."
    )
    return Published(True, message, headers, rows)


_SURVEY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Discrimination from manager/colleagues %", "discrimination_internal_rate"),
    ("Discrimination from patients/public %", "discrimination_public_rate"),
    ("Harassment, bullying or abuse from colleagues %", "emotional_colleagues_rate"),
    ("Harassment, bullying or abuse from managers %", "emotional_manager_rate"),
    ("Harassment, bullying or abuse from patients/public %", "emotional_public_rate"),
    ("Ethnic-minority respondents %", "ethnic_minority_rate"),
)


def published_staff_survey(org: str) -> Published:
    """Every NHS Staff Survey year (2021-2024) for ODS code ``org``, and its group position.

    One row per survey year, then two rows for the latest year: this organisation's
    competition rank ('1224', 1 = highest rate) among all organisations in its benchmarking
    group, and the group median. Rates are % of respondents answering the item.
    """
    code = _code(org)
    headers = ["Survey year", "Respondents", *(h for h, _ in _SURVEY_COLUMNS)]
    survey = reference.published_staff_survey()
    frame = survey.filter(pl.col("ods_code") == code).sort("survey_year")
    if frame.is_empty():
        return Published(
            False,
            f"{code} is not in the NHS Staff Survey organisational results 2021-2024",
            headers,
            [],
        )
    rows = [
        [
            str(rec["survey_year"]),
            _fmt(rec["respondents"]),
            *(_fmt(rec[c]) for _, c in _SURVEY_COLUMNS),
        ]
        for rec in frame.iter_rows(named=True)
    ]
    latest = frame.row(-1, named=True)
    year, group = latest["survey_year"], latest["benchmarking_group"]
    peers = survey.filter((pl.col("survey_year") == year) & (pl.col("benchmarking_group") == group))
    ranks, medians = [], []
    for _, column in _SURVEY_COLUMNS:
        values = [v for v in peers[column].to_list() if _usable(v) is not None]
        own = _usable(latest[column])
        ranks.append(
            f"{competition_rank(own, values)} of {len(values)}" if own is not None else MISSING
        )
        medians.append(_fmt(statistics.median(values)) if values else MISSING)
    rows.append([f"{year}: rank in group (1 = highest)", MISSING, *ranks])
    rows.append(
        [
            f"{year}: group median",
            _fmt(round(statistics.median(peers["respondents"].to_list()))),
            *medians,
        ]
    )
    message = (
        f"{code} {latest['org_name']}: NHS Staff Survey {frame['survey_year'][0]}-{year}; "
        f"{year} position among the {peers.height} organisations in '{group}'."
    )
    return Published(True, message, headers, rows)


def national_pay_gap_context(org: str, period: int) -> str | None:
    """A sentence placing ``org``'s published gender pay gap among NHS employers that year.

    ``period`` is the Ladder period, i.e. the public-sector snapshot year (reporting year
    ``"period to period+1"``). None when the organisation has no published median hourly gap
    for that year or the year is not held.
    """
    code = _code(org)
    year = reference.published_gender_pay_gap().filter(pl.col("snapshot_year") == period)
    mine = year.filter(pl.col("ods_code") == code)
    if mine.is_empty():
        return None
    rec = mine.row(0, named=True)
    own = _usable(rec["diff_median_hourly_pct"])
    values = [v for v in year["diff_median_hourly_pct"].to_list() if _usable(v) is not None]
    if own is None or not values:
        return None
    label = _year_label(rec["reporting_year"])
    caveat = " (partial copy: filings to March 2023 only)" if rec["partial_year"] else ""
    return (
        f"{code} published a median hourly gender pay gap of {own:.1f}% for {label} "
        f"(snapshot 31 March {period}); median of NHS employers {label}: "
        f"{statistics.median(values):.1f}% across {len(values)} employers in the gender pay gap "
        f"service's NHS subset{caveat}, where {code} ranks {competition_rank(own, values)} "
        "(1 = largest gap)."
    )
