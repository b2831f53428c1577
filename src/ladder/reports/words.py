"""Plain-English sentences from results, for reports and screen readers.

Every sentence is generated from a :class:`~ladder.metrics.results.Result` and says no more
than the result does: a relative likelihood whose 95% confidence interval includes 1 is
reported as "no evidence of a difference", never as a finding; a withheld figure says only
that it is withheld, the same whatever the reason (no bound: the method is explained once, in
the publication's notes); a figure with no value gives the reason in its note.
Numbers are rounded as the publications round them (:mod:`ladder.metrics.formatting`):
percentages to one decimal place, ratios to two.

The wording of each indicator (who, and what happened to them) is part of its declaration
in the registry (:class:`ladder.metrics.registry.Wording`), so adding an indicator needs no
change here; an indicator without a wording gets a plainer generic sentence. The group
words (adjectives, phrases, share predicates) are the tables below.
"""

from __future__ import annotations

import math
import re

from ladder.metrics.formatting import DECIMALS, number, withheld_sentence
from ladder.metrics.registry import wording_of
from ladder.metrics.results import Measure, Result, Unit

# --- wording tables ------------------------------------------------------------------------

_SOURCES = {
    "patients_public": "patients or the public",
    "managers": "managers",
    "colleagues": "other colleagues",
}
"""The ``from`` breakdown of WDES 4, as words (fills ``{from}`` in a declared event)."""

GROUP_ADJECTIVES: dict[str, str] = {
    "BME": "BME",
    "White": "White",
    "Disabled": "disabled",
    "Non-disabled": "non-disabled",
}
"""Groups written as an adjective before the subject ('BME staff', 'disabled applicants')."""

GROUP_PHRASES: dict[str, str] = {
    "professional": "from a professional background",
    "intermediate": "from an intermediate background",
    "lower": "from a lower socio-economic background",
    "Q1 (most deprived)": "from the most deprived fifth of neighbourhoods in England",
    "Q2": "from the second most deprived fifth of neighbourhoods",
    "Q3": "from the middle fifth of neighbourhoods by deprivation",
    "Q4": "from the second least deprived fifth of neighbourhoods",
    "Q5 (least deprived)": "from the least deprived fifth of neighbourhoods in England",
}
"""Groups written as a phrase after the subject ('applicants from a professional background')."""

SEX_NOUNS: dict[str, str] = {"female": "women", "male": "men"}

SHARE_PREDICATES: dict[str, str] = {
    "BME": "were BME",
    "White": "were White",
    "Disabled": "were disabled",
    "Non-disabled": "were not disabled",
    "female": "were women",
    "male": "were men",
    "professional": "were from a professional background",
    "intermediate": "were from an intermediate background",
    "lower": "were from a lower socio-economic background",
    "state": "attended a state school",
    "independent": "attended an independent or fee-paying school",
    "outside_uk": "attended school outside the UK",
    "degree": "had a parent with a degree",
    "below_degree": "had a parent whose highest qualification was below degree level",
    "no_formal": "had parents with no formal qualifications",
    "yes": "were eligible for free school meals",
    "no": "were not eligible for free school meals",
    "not_applicable": "said free school meals did not apply (e.g. schooled outside the UK)",
    "non-response": "gave no usable answer",
}
"""Shares (profiles, representation): group → what the people in the share were."""

SEB_QUESTIONS: dict[str, str] = {
    "parent_occupation": "parental occupation",
    "school_type": "type of school attended",
    "free_school_meals": "free school meals",
    "parent_qualification": "highest parental qualification",
}

FAMILIES = ("wres", "wdes", "paygap", "seb", "representation")
FAMILY_LABELS = {
    "wres": "WRES",
    "wdes": "WDES",
    "paygap": "pay gap",
    "seb": "socio-economic background",
    "representation": "representation",
}

_CHARACTERISTICS = {
    "paygap.sex": "gender",
    "paygap.ethnicity": "ethnicity",
    "paygap.disability": "disability",
    "paygap.seb": "socio-economic background",
}
_REFERENCE = re.compile(r"reference group: ([^;]+)")

# --- helpers -------------------------------------------------------------------------------


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _percent(value: float) -> str:
    return number(value, Unit.PERCENT)


def _ratio(value: float) -> str:
    return number(value, Unit.RATIO)


def _rounds_to_zero(value: float, unit: Unit) -> bool:
    return round(value, DECIMALS[unit]) == 0


def _people(group: str, subject: str) -> str:
    """'BME staff', 'disabled applicants', 'applicants from a professional background'."""
    if group in GROUP_ADJECTIVES:
        return f"{GROUP_ADJECTIVES[group]} {subject}"
    if group in GROUP_PHRASES:
        return f"{subject} {GROUP_PHRASES[group]}"
    if group in SEX_NOUNS and subject in ("staff", "employees"):
        return SEX_NOUNS[group]
    if group == "Unknown":
        return f"{subject} whose group is not recorded"
    return f"{subject} in the group '{group}'"


def _pair(result: Result) -> tuple[str, str] | None:
    if result.group is None or ":" not in result.group:
        return None
    first, second = result.group.split(":", 1)
    return first, second


def _subject(result: Result) -> str:
    declared = wording_of(result.id)
    if declared is not None and (declared.likely or declared.event):
        return declared.subject
    if result.id.startswith("paygap."):
        return "employees"
    return "staff"


def _likelihood_wording(result: Result) -> tuple[str, str] | None:
    """(subject, event as an infinitive without 'to') declared for a relative likelihood."""
    declared = wording_of(result.id)
    if declared is None or not declared.likely:
        return None
    return declared.subject, declared.likely


def _rate_wording(result: Result) -> tuple[str, str] | None:
    """(subject, what happened, past tense) declared for a rate or difference."""
    declared = wording_of(result.id)
    if declared is None or not declared.event:
        return None
    subject, event = declared.subject, declared.event
    source = result.breakdown.get("from")
    if "{from}" in event:
        event = event.replace(
            "{from}", _SOURCES.get(source or "", "patients, managers or colleagues")
        )
    return subject, event


def _where(result: Result) -> str:
    """' in Band 5 (clinical)', ' at the applied stage', ' in the upper quartile', or ''."""
    parts: list[str] = []
    band = result.breakdown.get("pay_band")
    cluster = result.breakdown.get("cluster")
    if band and band != "all":
        parts.append(f" in {band}")
    if cluster and cluster != "all":
        parts.append(f" ({cluster})" if parts else f" in the {cluster} workforce")
    stage = result.breakdown.get("stage")
    if stage:
        parts.append(f" at the {stage} stage")
    quartile = result.breakdown.get("quartile")
    if quartile:
        parts.append(f" in the {quartile.replace('_', ' ')} pay quartile")
    membership = result.breakdown.get("membership")
    if membership == "board":
        parts.append(" on the board")
    elif membership:
        parts.append(f" among {membership} board members")
    for key, value in result.breakdown.items():
        if key not in ("pay_band", "cluster", "stage", "quartile", "membership", "from"):
            parts.append(f" ({key.replace('_', ' ')}: {value})")
    return "".join(parts)


def _who(result: Result) -> str:
    """The people a figure is about, for 'the figure for …' sentences."""
    subject = _subject(result)
    pair = _pair(result)
    if pair is not None:
        who = f"{_people(pair[0], subject)} compared with {_people(pair[1], subject)}"
    elif result.group is not None:
        who = _people(result.group, subject)
    else:
        who = subject
    return who + _where(result)


def _ci(result: Result, unit: Unit, *, short: bool = False) -> str | None:
    if not (_finite(result.ci_lower) and _finite(result.ci_upper)):
        return None
    assert result.ci_lower is not None and result.ci_upper is not None
    label = "95% CI" if short else "95% confidence interval"
    low, high = number(result.ci_lower, unit), number(result.ci_upper, unit)
    if unit is Unit.PERCENTAGE_POINTS:
        low, high = low.removesuffix(" pp"), high.removesuffix(" pp")
    return f"{label} {low} to {high}"


# --- sentences by measure ------------------------------------------------------------------


def _withheld(result: Result) -> str:
    """The same sentence for every withheld figure, primary or secondary (issue 12)."""
    return withheld_sentence(f"The figure for {_who(result)}")


def _missing(result: Result) -> str:
    reason = f": {result.note}" if result.note else " and no reason was recorded"
    return f"There is no figure for {_who(result)}{reason}."


def _likelihood(result: Result, value: float) -> str:
    pair = _pair(result)
    declared = _likelihood_wording(result)
    if pair is None or declared is None:
        text = f"{result.title}: {_ratio(value)}"
        people = None
    else:
        subject, event = declared
        first, second = (_people(group, subject) for group in pair)
        people = _capitalise(first)
        if _ratio(value) == _ratio(1.0):
            text = f"{people} were as likely as {second} to {event} (relative likelihood 1.00"
        else:
            text = f"{people} were {_ratio(value)} times as likely as {second} to {event}"
    no_difference = "no_evidence_of_difference" in result.flags or (
        _finite(result.ci_lower)
        and _finite(result.ci_upper)
        and result.ci_lower is not None
        and result.ci_upper is not None
        and result.ci_lower <= 1 <= result.ci_upper
    )
    opened = people is not None and text.endswith("1.00")
    interval = _ci(result, Unit.RATIO, short=no_difference)
    if opened:
        text += f"; {interval})" if interval else ")"
    elif interval:
        text += f" ({interval})"
    if no_difference:
        return f"{text}: there is no evidence of a difference."
    return f"{text}."


def _pay_gap(result: Result, value: float) -> str:
    family = ".".join(result.id.split(".")[:2])
    what = "mean" if ".mean_" in result.id else "median" if ".median_" in result.id else ""
    pay = "bonus pay" if result.id.endswith("_bonus") else "hourly pay"
    match = _REFERENCE.search(result.note or "")
    reference = match.group(1).strip() if match else None
    group = result.group or "the group"
    size = _percent(abs(value))
    if _rounds_to_zero(value, Unit.PERCENT):
        direction = "the same as"
        size = ""
    else:
        direction = "lower than" if value > 0 else "higher than"
    amount = f"{size} " if size else ""
    measure = f"{what} {pay}".strip()
    if family == "paygap.sex" and group in SEX_NOUNS and reference in SEX_NOUNS:
        text = (
            f"{_capitalise(SEX_NOUNS[group])}'s {measure} was {amount}{direction} "
            f"{SEX_NOUNS[reference]}'s"
        )
    elif reference is not None:
        text = (
            f"The {measure} of {_people(group, 'staff')} was {amount}{direction} that of "
            f"{_people(reference, 'staff')}"
        )
    else:
        characteristic = _CHARACTERISTICS.get(family, "pay")
        text = f"The {what} {characteristic} pay gap in {pay} for {group} was {_percent(value)}"
    if "small_group" in result.flags:
        text += "; one of the groups has fewer than 50 people, so read this with caution"
    return f"{text}."


def _rate(result: Result, value: float) -> str:
    wording = _rate_wording(result)
    group = result.group or ""
    counts = ""
    if _finite(result.numerator) and _finite(result.denominator):
        assert result.numerator is not None and result.denominator is not None
        counts = f" ({result.numerator:,.0f} of {result.denominator:,.0f})"
    if result.id in ("seb.response_rate", "seb.applicant_response_rate"):
        noun = "applicants" if result.id == "seb.applicant_response_rate" else "staff"
        question = SEB_QUESTIONS.get(group, group.replace("_", " "))
        text = f"{_percent(value)} of {noun}{counts} answered the question on {question}"
    elif result.id == "wdes.declaration":
        text = f"{_percent(value)} of staff{counts} have declared whether they are disabled"
    elif wording is not None:
        subject, event = wording
        text = f"{_percent(value)} of {_people(group, subject)}{_where(result)}{counts} {event}"
    elif result.measure is Measure.SHARE or group in SHARE_PREDICATES:
        predicate = SHARE_PREDICATES.get(group, f"were in the group '{group}'")
        if group == "Unknown":
            predicate = "had no recorded answer"
        elif result.id.startswith("representation.age"):
            predicate = f"were aged {group}"
        where = _where(result)
        population = f"staff{where}" if where else "all staff"
        if "answering" in result.title:
            noun = "applications" if "applications" in result.title else "staff"
            population = f"{noun} answering{where}"
        text = f"{_percent(value)} of {population}{counts} {predicate}"
    else:
        label = f" ({group})" if group else ""
        text = f"{result.title}{label}{_where(result)}: {_percent(value)}{counts}"
    interval = _ci(result, Unit.PERCENT)
    if interval:
        text += f" ({interval})"
    return f"{text}."


def _difference(result: Result, value: float) -> str:
    pair = _pair(result)
    size = number(abs(value), Unit.PERCENTAGE_POINTS).removesuffix(" pp")
    points = "percentage point" if size == "1.0" else "percentage points"
    if _rounds_to_zero(value, Unit.PERCENTAGE_POINTS):
        comparison = "the same as"
    else:
        comparison = f"{size} {points} {'higher' if value > 0 else 'lower'} than"
    wording = _rate_wording(result)
    if pair is not None and wording is not None:
        subject, event = wording
        first, second = (_people(group, subject) for group in pair)
        text = (
            f"The percentage of {first}{_where(result)} who {event} was {comparison} "
            f"that of {second}"
        )
    elif result.breakdown.get("membership") and result.group is not None:
        membership = result.breakdown["membership"]
        members = "board members" if membership == "board" else f"{membership} board members"
        predicate = SHARE_PREDICATES.get(result.group, f"were in the group '{result.group}'")
        if result.group == "Unknown":
            predicate = "had no recorded answer"
        text = (
            f"The share of {members} who {predicate} was {comparison} "
            "the share of the overall workforce"
        )
    else:
        label = f" ({result.group})" if result.group else ""
        signed = number(value, Unit.PERCENTAGE_POINTS).replace(" pp", " percentage points")
        text = f"{result.title}{label}{_where(result)}: {signed}"
    includes_zero = (
        result.ci_lower is not None
        and result.ci_upper is not None
        and _finite(result.ci_lower)
        and _finite(result.ci_upper)
        and result.ci_lower <= 0 <= result.ci_upper
    )
    interval = _ci(result, Unit.PERCENTAGE_POINTS, short=includes_zero)
    if interval:
        text += f" ({interval})"
    if includes_zero:
        return f"{text}: there is no evidence of a difference."
    return f"{text}."


def _amount(result: Result, value: float) -> str:
    what = {Measure.MEAN: "mean ", Measure.MEDIAN: "median "}.get(result.measure, "")
    title = result.title
    lower = title[:1].lower() + title[1:]
    if what and lower.startswith(what):
        lower = lower[len(what) :]
    who = _people(result.group, _subject(result)) if result.group else ""
    about = f" of {who}" if who else ""
    if " of bonus recipients" in lower:
        lower = lower.replace(" of bonus recipients", "")
        about = f" of {who} who received a bonus" if who else " of bonus recipients"
    return f"The {what}{lower}{about}{_where(result)} was {number(value, result.unit)}."


# --- public API ----------------------------------------------------------------------------


def sentence(result: Result, threshold: int = 10) -> str:
    """One plain-English sentence for ``result``.

    Relative likelihoods read "White applicants were 1.61 times as likely as BME applicants
    to be appointed from shortlisting (95% confidence interval 1.42 to 1.83)."; when the
    interval includes 1 the sentence ends ": there is no evidence of a difference."
    Pay gaps read "Women's mean hourly pay was 14.6% lower than men's." Withheld figures
    read "The figure for … is withheld (disclosure control: see the notes).", whatever the
    reason, never the value nor a bound; a missing value gives the note.
    """
    if result.suppressed:
        return _withheld(result)
    value = result.value
    if value is None or not math.isfinite(value):
        return _missing(result)
    if result.measure is Measure.RELATIVE_LIKELIHOOD or result.unit is Unit.RATIO:
        return _likelihood(result, value)
    if result.measure is Measure.GAP:
        return _pay_gap(result, value)
    if result.measure is Measure.DIFFERENCE:
        return _difference(result, value)
    if result.unit is Unit.PERCENT:
        return _rate(result, value)
    return _amount(result, value)


def _period_text(period: int) -> str:
    return f"{period - 1}/{period % 100:02d} (the year to 31 March {period})"


def _pick(results: list[Result], result_id: str, group: str | None = None) -> list[Result]:
    return [
        r
        for r in results
        if r.id == result_id
        and (group is None or r.group == group)
        and all(v == "all" for v in r.breakdown.values())
    ]


def _headline(results: list[Result], family: str) -> list[Result]:
    likelihoods = [r for r in results if r.measure is Measure.RELATIVE_LIKELIHOOD]
    if family == "wres":
        picked = _pick(results, "wres.1", "BME")
        for rid in ("wres.2", "wres.3", "wres.4"):
            picked += [r for r in likelihoods if r.id == rid and not r.breakdown]
        return picked
    if family == "wdes":
        picked = _pick(results, "wdes.1", "Disabled") + _pick(results, "wdes.declaration")
        for rid in ("wdes.2", "wdes.3"):
            picked += [r for r in likelihoods if r.id == rid and not r.breakdown]
        return picked
    if family == "paygap":
        picked = []
        for characteristic in ("sex", "ethnicity", "disability", "seb"):
            for kind in ("mean_hourly", "median_hourly"):
                rows = _pick(results, f"paygap.{characteristic}.{kind}")
                if characteristic == "ethnicity":
                    rows = [r for r in rows if r.group == "BME"]
                picked += rows
        return picked
    if family == "seb":
        return (
            _pick(results, "seb.response_rate", "parent_occupation")
            + _pick(results, "seb.profile")
            + [r for r in likelihoods if r.id == "seb.appointment" and not r.breakdown]
        )
    return []


def _representation(results: list[Result], threshold: int) -> list[str]:
    text: list[str] = []
    ids = sorted({r.id for r in results if r.measure is Measure.SHARE and r.id.count(".") == 1})
    for rid in ids:
        rows = [r for r in results if r.id == rid]
        bands = {r.breakdown.get("pay_band") for r in rows} - {None}
        withheld = sum(r.suppressed for r in rows)
        characteristic = rid.split(".", 1)[1].replace("seb", "socio-economic background")
        sentence_text = (
            f"Representation by {characteristic} is shown for {len(bands)} pay "
            f"{'band' if len(bands) == 1 else 'bands'}"
        )
        if withheld:
            sentence_text += (
                f"; {withheld} of its {len(rows)} figures {'is' if withheld == 1 else 'are'} "
                "withheld (disclosure control: see the notes)"
            )
        text.append(sentence_text + ".")
    return text


def summary(
    results: list[Result], family: str, org: str, period: int, threshold: int = 10
) -> list[str]:
    """A few sentences opening a report section for one indicator family.

    ``family`` is one of ``wres``, ``wdes``, ``paygap``, ``seb``, ``representation``. Only
    results of ``org`` and ``period`` whose id starts with ``family`` are read. The first
    sentence names the organisation and period; the rest give the headline figures (the
    relative likelihoods, the pay gaps, the profile), each as :func:`sentence` writes it.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    mine = [
        r
        for r in results
        if r.org == org and r.period == period and r.id.split(".", 1)[0] == family
    ]
    opening = f"These figures are for {org}, reporting year {_period_text(period)}."
    if not mine:
        return [
            opening,
            f"No {family.upper() if family in ('wres', 'wdes', 'seb') else family}"
            " figures are available for this organisation and year.",
        ]
    if family == "representation":
        return [opening, *_representation(mine, threshold)]
    body = [sentence(r, threshold) for r in _headline(mine, family)]
    if not body:
        body = ["None of the headline figures could be calculated from the data provided."]
    return [opening, *body]


def _share_of(results: list[Result], result_id: str, group: str) -> Result | None:
    rows = [r for r in results if r.id == result_id and r.group == group]
    rows = [r for r in rows if r.breakdown.get("pay_band", "all") == "all"]
    return rows[0] if rows else None


def place_summary(
    results: list[Result],
    org: str,
    period: int,
    threshold: int = 10,
    *,
    catchment_percent: float | None = None,
    neighbourhoods: tuple[int, int, int] | None = None,
) -> list[str]:
    """Sentences opening the place section.

    ``catchment_percent``: the share of the catchment's population living in the most
    deprived 10% of neighbourhoods; ``neighbourhoods``: (listed, of them in the most deprived
    1%, residents) of the neighbourhood view.
    """
    mine = [
        r
        for r in results
        if r.org == org
        and r.period == period
        and (r.id.startswith("place.") or r.id.startswith("paygap.deprivation."))
    ]
    text: list[str] = []
    staff = _share_of(mine, "place.deprived_staff", "most deprived decile")
    if staff is not None and staff.suppressed:
        text.append(
            withheld_sentence(
                "The share of staff living in the most deprived 10% of neighbourhoods in England"
            )
        )
    elif staff is not None and staff.value is not None:
        against = (
            f", against {_percent(catchment_percent)} of the population of the trust's catchment"
            if catchment_percent is not None
            else ""
        )
        text.append(
            f"{_percent(staff.value)} of staff whose home area is known live in the most "
            f"deprived 10% of neighbourhoods in England{against}."
        )
    local = _share_of(mine, "place.local_staff", "local")
    if local is not None and not local.suppressed and local.value is not None:
        text.append(f"{_percent(local.value)} of staff live in the trust's local authorities.")
    ratio = [
        r
        for r in mine
        if r.id in ("place.appointment", "place.training", "place.disciplinary")
        and r.measure is Measure.RELATIVE_LIKELIHOOD
    ]
    text += [sentence(r, threshold) for r in ratio]
    text += [
        sentence(r, threshold)
        for r in mine
        if r.id == "paygap.deprivation.median_hourly" and r.group == "Q1 (most deprived)"
    ]
    if neighbourhoods is not None:
        listed, one, residents = neighbourhoods
        text.append(
            f"{listed:,} of the catchment's neighbourhoods are among the most deprived 10% in "
            f"England ({one:,} among the most deprived 1%), home to {residents:,} people "
            "(Census 2021)."
        )
    return text
