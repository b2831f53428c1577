"""Findings: every WRES and WDES indicator, the pay gaps and SEB, each read the honest way.

One :class:`Finding` per indicator of :data:`SPECS` (in the official order) with:

- its *reading*: a relative likelihood whose 95% interval includes 1, or a difference of two
  percentages whose (Newcombe) interval includes 0, is "no evidence of difference"; otherwise
  it is a finding, on the worse or better side of equality;
- the *change* from last year: better or worse with evidence, or "no evidence of change".
  Two ratios are compared on the log scale and two differences on their own scale (the
  standard errors taken from each year's 95% interval, z = 1.96); two percentages by the
  Newcombe hybrid score interval of their difference. Years are treated as independent
  samples (many staff are in both, so the test is conservative);
- the *national* figure (NHS England's published WRES/WDES results, shipped as reference data
  with a source and a quality flag): above or below it when this year's 95% interval
  excludes it, otherwise "no evidence of difference from the national figure".

Pay gaps have no interval, so they carry no test: they are described, never called a
finding or "no evidence of difference".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from ladder import reference
from ladder.metrics import Result, Unit, formatting
from ladder.metrics.formatting import number
from ladder.metrics.results import Measure
from ladder.metrics.stats import Z95, wilson
from ladder.reports import words


@dataclass(frozen=True)
class Spec:
    """Which result an indicator's line reads, and how to read it."""

    standard: str  # "WRES", "WDES", "Pay gaps", "SEB"
    key: str  # "WRES 2" (what the action file and the tables call it)
    label: str  # "Appointment from shortlisting"
    result_id: str
    group: str  # the compared result's group: "White:BME", "BME", "female"
    columns: tuple[str, str] = ("", "")  # groups of the two columns ("White", "BME"); "" none
    where: tuple[tuple[str, str], ...] = ()  # breakdown the results must have
    worse: int = 1  # +1: a higher value is worse for the group; -1 lower; 0 no direction
    national: str | None = None  # indicator in the national table
    national_group: str | None = None  # the group whose national figure is compared


W, B = "White", "BME"
D, N = "Disabled", "Non-disabled"
SPECS: tuple[Spec, ...] = (
    Spec("WRES", "WRES 1", "Staff who are BME (% of all staff)", "wres.1", B, (W, B),
         (("pay_band", "all"), ("cluster", "all")), 0, "1_workforce_BME_share", "All staff"),
    Spec("WRES", "WRES 2", "Appointment from shortlisting (relative likelihood, White to BME)",
         "wres.2", "White:BME", (W, B), (), 1, "2_appointed_from_shortlisting", "White:BME"),
    Spec("WRES", "WRES 3", "Entering the formal disciplinary process (relative likelihood, "
         "BME to White)", "wres.3", "BME:White", (W, B), (), 1, "3_formal_disciplinary",
         "BME:White"),
    Spec("WRES", "WRES 4", "Non-mandatory training and CPD (relative likelihood, White to "
         "BME)", "wres.4", "White:BME", (W, B), (), 1, "4_non_mandatory_training_CPD",
         "White:BME"),
    Spec("WRES", "WRES 5", "Harassment, bullying or abuse from patients, relatives or the "
         "public (staff survey)", "wres.5", "BME:White", (W, B), (), 1,
         "5_HBA_from_patients_public", B),
    Spec("WRES", "WRES 6", "Harassment, bullying or abuse from staff (staff survey)", "wres.6",
         "BME:White", (W, B), (), 1, "6_HBA_from_staff", B),
    Spec("WRES", "WRES 7", "Believing the trust offers equal opportunities for career "
         "progression (staff survey)", "wres.7", "BME:White", (W, B), (), -1,
         "7_equal_opportunities_progression", B),
    Spec("WRES", "WRES 8", "Discrimination at work from a manager, team leader or colleague "
         "(staff survey)", "wres.8", "BME:White", (W, B), (), 1,
         "8_discrimination_manager_colleague", B),
    Spec("WRES", "WRES 9", "Board membership compared with the workforce (percentage points)",
         "wres.9", B, (W, B), (("membership", "board"),), 0, "9_board_BME_share",
         "Board members"),
    Spec("WDES", "WDES 1", "Staff who are disabled (% of all staff, as recorded)", "wdes.1", D,
         (N, D), (("pay_band", "all"), ("cluster", "all")), 0, "1_declaration_rate_ESR",
         "All staff"),
    Spec("WDES", "WDES 2", "Appointment from shortlisting (relative likelihood, non-disabled "
         "to disabled)", "wdes.2", "Non-disabled:Disabled", (N, D), (), 1,
         "2_appointed_from_shortlisting", "Non-disabled:Disabled"),
    Spec("WDES", "WDES 3", "Entering the formal capability process (relative likelihood, "
         "disabled to non-disabled)", "wdes.3", "Disabled:Non-disabled", (N, D), (), 1,
         "3_formal_capability", "Disabled:Non-disabled"),
    Spec("WDES", "WDES 4a (public)", "Harassment, bullying or abuse from patients or the "
         "public (staff survey)", "wdes.4", "Disabled:Non-disabled", (N, D),
         (("from", "patients_public"),), 1, "4a_HBA_from_patients_public", D),
    Spec("WDES", "WDES 4a (managers)", "Harassment, bullying or abuse from managers (staff "
         "survey)", "wdes.4", "Disabled:Non-disabled", (N, D), (("from", "managers"),), 1,
         "4a_HBA_from_managers", D),
    Spec("WDES", "WDES 4a (colleagues)", "Harassment, bullying or abuse from other colleagues "
         "(staff survey)", "wdes.4", "Disabled:Non-disabled", (N, D),
         (("from", "colleagues"),), 1, "4a_HBA_from_colleagues", D),
    Spec("WDES", "WDES 5", "Believing the trust offers equal opportunities for career "
         "progression (staff survey)", "wdes.5", "Disabled:Non-disabled", (N, D), (), -1,
         "5_equal_opportunities_progression", D),
    Spec("WDES", "WDES 6", "Feeling pressure from a manager to come to work when unwell "
         "(staff survey)", "wdes.6", "Disabled:Non-disabled", (N, D), (), 1,
         "6_presenteeism_pressure_from_manager", D),
    Spec("WDES", "WDES 7", "Satisfied with how far the organisation values their work (staff "
         "survey)", "wdes.7", "Disabled:Non-disabled", (N, D), (), -1,
         "7_feel_valued_by_organisation", D),
    Spec("WDES", "WDES 8", "Disabled staff saying adequate adjustments have been made (staff "
         "survey)", "wdes.8", D, ("", D), (), -1, "8_reasonable_adjustments", D),
    Spec("WDES", "WDES 9", "Staff engagement score (staff survey)", "wdes.9", "Disabled",
         (N, D), (), -1, "9a_engagement_score", D),
    Spec("WDES", "WDES 10", "Board membership compared with the workforce (percentage points)",
         "wdes.10", D, (N, D), (("membership", "board"),), 0, "10_board_disabled_share",
         "Board members"),
    Spec("Pay gaps", "Gender pay gap (mean)", "Mean gender pay gap in hourly pay",
         "paygap.sex.mean_hourly", "female", ("male", "female")),
    Spec("Pay gaps", "Gender pay gap (median)", "Median gender pay gap in hourly pay",
         "paygap.sex.median_hourly", "female", ("male", "female")),
    Spec("Pay gaps", "Ethnicity pay gap (mean)", "Mean ethnicity pay gap in hourly pay",
         "paygap.ethnicity.mean_hourly", "BME", (W, B)),
    Spec("Pay gaps", "Ethnicity pay gap (median)", "Median ethnicity pay gap in hourly pay",
         "paygap.ethnicity.median_hourly", "BME", (W, B)),
    Spec("Pay gaps", "Disability pay gap (mean)", "Mean disability pay gap in hourly pay",
         "paygap.disability.mean_hourly", "Disabled", (N, D)),
    Spec("Pay gaps", "Disability pay gap (median)", "Median disability pay gap in hourly pay",
         "paygap.disability.median_hourly", "Disabled", (N, D)),
    Spec("Pay gaps", "Socio-economic pay gap (median)", "Median pay gap of staff from a lower "
         "socio-economic background in hourly pay", "paygap.seb.median_hourly", "lower",
         ("professional", "lower")),
    Spec("SEB", "SEB profile", "Staff from a lower socio-economic background (% of staff "
         "answering)", "seb.profile", "lower", ("professional", "lower"), (), 0),
    Spec("SEB", "SEB appointment", "Appointment from shortlisting (relative likelihood, "
         "professional to lower background)", "seb.appointment", "professional:lower",
         ("professional", "lower"), (), 1),
)  # fmt: skip
"""Every line of the findings, in the official order (WRES 1-9, WDES 1-10, pay gaps, SEB)."""

STANDARDS = ("WRES", "WDES", "Pay gaps", "SEB")
KEYS = frozenset(s.key for s in SPECS)

COLUMN_LABELS = {
    W: "White",
    B: "BME",
    D: "Disabled",
    N: "Non-disabled",
    "male": "Men",
    "female": "Women",
    "professional": "Professional background",
    "lower": "Lower background",
}

PROTECTED = {
    B: "BME staff",
    D: "disabled staff",
    "female": "women",
    "lower": "people from a lower socio-economic background",
}

NO_DIFFERENCE = "no evidence of difference"
FINDING = "finding"
NO_TEST = "no test"
WITHHELD = formatting.WITHHELD
"""A withheld figure's reading, and how it reads in every table (the same for all)."""
NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class National:
    """A published national figure and where it came from."""

    standard: str
    value: float
    year: int
    unit: Unit
    quality: str
    other_values: str
    source_type: str
    source_url: str
    label: str = ""  # replaces "WRES 2023" in the text

    def text(self) -> str:
        shown = number(self.value, self.unit)
        if self.unit is Unit.COUNT:
            shown = f"{self.value:.2f} out of 10"
        note = {
            "conflict": f"; sources disagree: also {self.other_values}",
            "uncertain": "; uncertain",
            "approx": "; approximate",
            "truncated": "; source truncated",
        }.get(self.quality, "")
        return f"{shown} ({self.label or f'{self.standard} {self.year}'}{note})"


@dataclass
class Finding:
    """One indicator's line: this year, the two groups, last year, the nation, the reading."""

    spec: Spec
    result: Result | None
    columns: tuple[Result | None, Result | None]
    last: Result | None = None
    reading: str = NOT_AVAILABLE
    side: str | None = None  # "worse" / "better" than equality (a finding only)
    change: str = "not available"  # "better" / "worse" / "no evidence of change" / ...
    change_text: str = ""
    national: National | None = None
    national_text: str = ""
    sentence: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def needs_action(self) -> bool:
        """A finding worse than equality, or worse than last year with evidence."""
        return (self.reading == FINDING and self.side == "worse") or self.change == "worse"


def _matches(result: Result, spec: Spec) -> bool:
    wanted = dict(spec.where)
    for key, value in result.breakdown.items():
        if wanted.get(key, "all") != value:
            return False
    return all(result.breakdown.get(k) == v for k, v in wanted.items())


def _find(results: list[Result], spec: Spec, group: str) -> Result | None:
    for r in results:
        if r.id == spec.result_id and r.group == group and _matches(r, spec):
            return r
    return None


def _column(results: list[Result], spec: Spec, group: str) -> Result | None:
    """The figure shown in a group's column: its rate or share (pay: mean hourly pay)."""
    if not group:
        return None
    if spec.standard == "Pay gaps":
        family = spec.result_id.rsplit(".", 1)[0]
        kind = "mean" if ".mean_" in spec.result_id else "median"
        for r in results:
            if r.id == f"{family}.hourly_pay.{kind}" and r.group == group and not r.breakdown:
                return r
        return None
    for r in results:
        if (
            r.id == spec.result_id
            and r.group == group
            and _matches(r, spec)
            and r.measure is not Measure.RELATIVE_LIKELIHOOD
        ):
            return r
    return None


def _usable(result: Result | None) -> bool:
    return (
        result is not None
        and not result.suppressed
        and result.value is not None
        and math.isfinite(result.value)
    )


def _interval(result: Result) -> tuple[float, float] | None:
    low, high = result.ci_lower, result.ci_upper
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return None
    return low, high


def equality(result: Result) -> float | None:
    """The value of equality on a result's scale: 1 for ratios, 0 for differences."""
    if result.measure is Measure.RELATIVE_LIKELIHOOD or result.unit is Unit.RATIO:
        return 1.0
    if result.measure is Measure.DIFFERENCE:
        return 0.0
    return None


def no_evidence(result: Result) -> bool | None:
    """True when the 95% interval includes equality (None: no test for this kind of figure)."""
    level = equality(result)
    bounds = _interval(result)
    if level is None:
        return None
    if bounds is None:
        return "no_evidence_of_difference" in result.flags or None
    return bounds[0] <= level <= bounds[1]


def _distance(result: Result, value: float) -> float:
    if result.measure is Measure.RELATIVE_LIKELIHOOD or result.unit is Unit.RATIO:
        return abs(math.log(value)) if value > 0 else math.inf
    return abs(value)


def _side(result: Result, spec: Spec) -> str | None:
    """Worse or better than equality, for the group the standard protects."""
    level = equality(result)
    if level is None or result.value is None or spec.worse == 0:
        return None
    above = result.value > level
    return "worse" if above == (spec.worse > 0) else "better"


def newcombe(a: float, n1: float, c: float, n2: float) -> tuple[float, float, float] | None:
    """a/n₁ − c/n₂ (as fractions) with Newcombe's hybrid score 95% interval."""
    first, second = wilson(int(a), int(n1)), wilson(int(c), int(n2))
    if None in (first.value, first.lower, first.upper, second.value, second.lower, second.upper):
        return None
    assert first.value is not None and first.lower is not None and first.upper is not None
    assert second.value is not None and second.lower is not None and second.upper is not None
    d = first.value - second.value
    lower = d - math.sqrt((first.value - first.lower) ** 2 + (second.upper - second.value) ** 2)
    upper = d + math.sqrt((first.upper - first.value) ** 2 + (second.value - second.lower) ** 2)
    return d, lower, upper


def _se(result: Result, log: bool) -> float | None:
    bounds = _interval(result)
    if bounds is None:
        return None
    low, high = bounds
    if log:
        if low <= 0 or high <= 0:
            return None
        return (math.log(high) - math.log(low)) / (2 * Z95)
    return (high - low) / (2 * Z95)


def changed(now: Result, last: Result) -> bool | None:
    """Evidence that ``now`` differs from ``last`` (None: no test possible)."""
    assert now.value is not None and last.value is not None
    if now.measure in (Measure.RATE, Measure.SHARE):
        if None in (now.numerator, now.denominator, last.numerator, last.denominator):
            return None
        assert now.numerator is not None and now.denominator is not None
        assert last.numerator is not None and last.denominator is not None
        diff = newcombe(now.numerator, now.denominator, last.numerator, last.denominator)
        return None if diff is None else not diff[1] <= 0 <= diff[2]
    log = now.measure is Measure.RELATIVE_LIKELIHOOD or now.unit is Unit.RATIO
    first, second = _se(now, log), _se(last, log)
    if first is None or second is None or (first == 0 and second == 0):
        return None
    if log:
        if now.value <= 0 or last.value <= 0:
            return None
        delta = math.log(now.value) - math.log(last.value)
    else:
        delta = now.value - last.value
    return abs(delta) / math.sqrt(first**2 + second**2) > Z95


def _change(finding: Finding, period_text: str) -> None:
    now, last, spec = finding.result, finding.last, finding.spec
    if last is None:
        finding.change, finding.change_text = NOT_AVAILABLE, "not available"
        return
    if last.suppressed:
        finding.change, finding.change_text = NOT_AVAILABLE, f"{period_text}: withheld"
        return
    if not (_usable(now) and _usable(last)):
        finding.change, finding.change_text = NOT_AVAILABLE, "not available"
        return
    assert now is not None and now.value is not None and last.value is not None
    before = number(last.value, last.unit)
    evidence = changed(now, last)
    if evidence is None:
        finding.change = "no test"
        finding.change_text = f"{period_text}: {before} (no interval to test the change)"
        return
    if not evidence:
        finding.change = "no evidence of change"
        finding.change_text = f"no evidence of change from {period_text} ({before})"
        return
    higher = now.value > last.value
    if spec.worse != 0:
        finding.change = "worse" if higher == (spec.worse > 0) else "better"
        finding.change_text = f"{finding.change} than {period_text} ({before})"
    else:
        finding.change = "higher" if higher else "lower"
        finding.change_text = f"{finding.change} than {period_text} ({before})"


PAY_GAP_COLUMNS = {
    "paygap.sex.mean_hourly": "diff_mean_hourly_pct",
    "paygap.sex.median_hourly": "diff_median_hourly_pct",
}


def _national_pay_gap(spec: Spec, period: int) -> National | None:
    """The median of NHS employers' published gender pay gaps (GOV.UK service), for the
    latest complete snapshot year up to ``period``."""
    column = PAY_GAP_COLUMNS[spec.result_id]
    table = reference.published_gender_pay_gap().filter(
        (pl.col("snapshot_year") <= period) & ~pl.col("partial_year")
    )
    if table.is_empty():
        return None
    year = int(table["snapshot_year"].max())  # type: ignore[arg-type]
    values = table.filter(pl.col("snapshot_year") == year)[column].drop_nulls()
    if values.is_empty():
        return None
    return National(
        "Pay gaps",
        float(values.median()),  # type: ignore[arg-type]
        year,
        Unit.PERCENT,
        "ok",
        "",
        f"GOV.UK gender pay gap service, median of {values.len()} NHS employers' filings",
        "https://gender-pay-gap.service.gov.uk/",
        label=f"median of NHS employers, {year}/{str(year + 1)[-2:]}",
    )


def national_figure(spec: Spec, period: int) -> National | None:
    """The published national figure for ``spec`` in ``period`` (or the latest before it)."""
    if spec.result_id in PAY_GAP_COLUMNS:
        return _national_pay_gap(spec, period)
    if spec.national is None or spec.national_group is None:
        return None
    table = reference.national_wres_wdes().filter(
        (pl.col("standard") == spec.standard)
        & (pl.col("indicator") == spec.national)
        & pl.col("group").str.starts_with(spec.national_group)
        & (pl.col("report_year") <= period)
    )
    if table.is_empty():
        return None
    order = {"ok": 0, "conflict": 1, "approx": 2, "truncated": 2, "uncertain": 3}
    rows = sorted(
        table.iter_rows(named=True),
        key=lambda r: (-int(r["report_year"]), order.get(str(r["quality"]), 4)),
    )
    best = rows[0]
    unit = Unit.RATIO if str(best["unit"]).startswith("ratio") else Unit.PERCENT
    if str(best["unit"]).startswith("score"):
        unit = Unit.COUNT
    return National(
        spec.standard,
        float(best["value"]),
        int(best["report_year"]),
        unit,
        str(best["quality"]),
        str(best["other_values"] or ""),
        str(best["source_type"]),
        str(best["source_url"]),
    )


def _against_national(finding: Finding, national: National) -> str:
    """Above/below the national figure when this year's interval excludes it."""
    spec = finding.spec
    compared: Result | None = finding.result
    if compared is not None and compared.measure is Measure.DIFFERENCE:
        compared = finding.columns[1]  # the protected group's own percentage
    if spec.key in ("WRES 9", "WDES 10"):
        return f"national share of board members: {national.text()}"
    shown = f"national {national.text()}"
    if compared is None or not _usable(compared):
        return shown
    bounds = _interval(compared)
    if bounds is None:
        return shown
    if bounds[0] <= national.value <= bounds[1]:
        return f"{shown}: no evidence of difference from the national figure"
    assert compared.value is not None
    return f"{shown}: {'above' if compared.value > national.value else 'below'} it"


def read(
    results: list[Result],
    org: str,
    period: int,
    threshold: int,
    *,
    previous: int | None = None,
) -> list[Finding]:
    """Every finding of ``org`` in ``period`` (``previous``: the period compared with)."""
    mine = [r for r in results if r.org == org and r.period == period]
    before = [r for r in results if r.org == org and r.period == previous] if previous else []
    period_text = _label(previous) if previous else ""
    findings: list[Finding] = []
    for spec in SPECS:
        result = _find(mine, spec, spec.group)
        columns = (_column(mine, spec, spec.columns[0]), _column(mine, spec, spec.columns[1]))
        finding = Finding(spec, result, columns)
        if previous is not None:
            finding.last = _find(before, spec, spec.group)
        if result is None:
            finding.reading = NOT_AVAILABLE
        elif result.suppressed:
            finding.reading = WITHHELD
        elif not _usable(result):
            finding.reading = NOT_AVAILABLE
        else:
            verdict = no_evidence(result)
            if verdict is None:
                finding.reading = NO_TEST
            elif verdict:
                finding.reading = NO_DIFFERENCE
            else:
                finding.reading = FINDING
                finding.side = _side(result, spec)
        if previous is None:
            finding.change, finding.change_text = NOT_AVAILABLE, ""
        else:
            _change(finding, period_text)
        finding.national = national_figure(spec, period)
        if finding.national is not None:
            finding.national_text = _against_national(finding, finding.national)
        finding.sentence = _sentence(finding, threshold)
        findings.append(finding)
    return findings


def _label(period: int) -> str:
    return f"{period - 1}/{str(period)[-2:]}"


def shown(result: Result | None, threshold: int) -> str:
    """A figure as the tables show it: one rounding, withheld ones in words."""
    if result is None:
        return "not available"
    if result.suppressed:
        return WITHHELD
    if not _usable(result):
        return "not available"
    return number(result.value, result.unit)


def interval(result: Result | None) -> str:
    """'1.59 to 1.91' or ''."""
    if result is None or result.suppressed:
        return ""
    bounds = _interval(result)
    if bounds is None:
        return ""
    unit = result.unit
    low, high = (number(b, unit).removesuffix(" pp") for b in bounds)
    return f"{low} to {high}"


def _sentence(finding: Finding, threshold: int) -> str:
    spec, result = finding.spec, finding.result
    if result is None:
        text = f"{spec.label}: not available in this data."
        if spec.key == "WDES 9":
            text = (
                "The staff engagement score by disability is not available in this data "
                "(it needs the staff survey's engagement questions)."
            )
    else:
        text = words.sentence(result, threshold)
        if finding.reading == FINDING and finding.side is not None:
            who = PROTECTED.get(spec.columns[1], "the group")
            text = text.removesuffix(".") + f": a finding; {who} fare {finding.side}."
        elif finding.reading == FINDING:
            text = text.removesuffix(".") + ": a finding."
    extra = []
    if finding.change_text and finding.change not in (NOT_AVAILABLE,):
        extra.append(_capital(finding.change_text))
    if finding.national_text:
        extra.append(_capital(finding.national_text))
    return " ".join([text, *(e + "." for e in extra)])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
