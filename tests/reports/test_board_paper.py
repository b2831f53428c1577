"""The report as a board paper: findings first with last year and the nation, an action plan,
an appendix in words, the official return, and a PDF that loses nothing.

One two-year report (2022/23 and 2023/24, two small trusts) is built once for the module.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.results import Measure, Result, Unit, evolve
from ladder.reports import actions, findings, words
from ladder.reports.findings import KEYS, SPECS, changed, newcombe
from ladder.synth import SynthConfig, generate

runner = CliRunner()
ORG = "R1H"
ACTIONS = """\
- indicator: WRES 2
  action: Diverse interview panels for every post at Band 7 and above
  owner: Director of People
  date: 2025-03-31
- indicator: wdes 6
  action: Sickness absence policy reviewed with the disabled staff network
  owner: Chief Nurse
  date: 2025-06
"""


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("two-years")
    for period in (2023, 2024):
        generate(
            SynthConfig(
                out=root / str(period),
                trusts=(ORG, "RR8"),
                staff=900,
                seed=period,
                fmt="parquet",
                period=period,
            )
        )
    both = root / "both"
    both.mkdir()
    for file in (root / "2024").glob("*.parquet"):
        frames = [pl.read_parquet(root / "2023" / file.name), pl.read_parquet(file)]
        pl.concat(frames, how="diagonal_relaxed").write_parquet(both / file.name)
    return both


@pytest.fixture(scope="module")
def paper(two_years: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paper")
    plan = out / "actions.yaml"
    plan.write_text(ACTIONS, encoding="utf-8")
    args = ["report", str(two_years), "--out", str(out / "r"), "--org", ORG]
    result = runner.invoke(app, [*args, "--pdf", "--xlsx", "--actions", str(plan)])
    assert result.exit_code == 0, result.output
    return out / "r"


@pytest.fixture(scope="module")
def results(two_years: Path) -> list[Result]:
    shown = runner.invoke(app, ["metrics", str(two_years), "--format", "json", "--org", ORG])
    assert shown.exit_code == 0, shown.output
    out = []
    for doc in json.loads(shown.stdout):
        doc["measure"] = Measure(doc["measure"])
        doc["unit"] = Unit(doc["unit"])
        doc["flags"] = tuple(doc["flags"])
        out.append(Result(**doc))
    return out


@pytest.fixture(scope="module")
def pdf_text(paper: Path) -> str:
    pdf = paper / f"{ORG}-2024-equality-report.pdf"
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def html(paper: Path) -> str:
    return (paper / f"{ORG}-2024-equality-report.html").read_text(encoding="utf-8")


class Page(HTMLParser):
    """Table headers per table, and the summary's list items."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[str]] = []
        self.items: list[str] = []
        self._th: list[str] | None = None
        self._li: list[str] | None = None
        self._cell: list[str] | None = None
        self.cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "th":
            self._th = []
        elif tag == "td":
            self._cell = []
        elif tag == "li":
            self._li = []

    def handle_data(self, data: str) -> None:
        for part in (self._th, self._li, self._cell):
            if part is not None:
                part.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._th is not None:
            self.tables[-1].append("".join(self._th).strip())
            self._th = None
        elif tag == "li" and self._li is not None:
            self.items.append("".join(self._li).strip())
            self._li = None
        elif tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None


def _squash(text: str) -> str:
    """Without spaces or hyphens: pdftotext joins a word hyphenated at a line end."""
    return re.sub(r"[\s-]+", "", text)


# --------------------------------------------------------------------------- the PDF


def test_pdf_has_no_indicator_id_and_no_snake_case(pdf_text: str) -> None:
    text = re.sub(r"https?://\S+", "", pdf_text)
    assert not re.findall(r"\b(?:wres|wdes|paygap|seb|place|representation)\.[a-z0-9]", text)
    assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text)


def test_every_table_header_is_on_a_pdf_page(html: str, pdf_text: str) -> None:
    page = Page()
    page.feed(html)
    squashed = _squash(pdf_text)
    pdf_words = set(pdf_text.replace("-", "").split())
    headers = {h for table in page.tables for h in table if h}
    assert len(headers) > 30
    # a header wrapped inside its cell is interleaved with its neighbours in the text: then
    # each of its words must be there
    missing = [
        h
        for h in headers
        if _squash(h) not in squashed and not set(h.replace("-", "").split()) <= pdf_words
    ]
    assert missing == []


def test_pdf_page_count_is_bounded(paper: Path) -> None:
    info = subprocess.run(
        ["pdfinfo", str(paper / f"{ORG}-2024-equality-report.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 10 <= pages <= 30
    assert re.search(r"Tagged:\s+yes", info)


def test_pdf_uses_only_the_shipped_font_embedded(paper: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(paper / f"{ORG}-2024-equality-report.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        name = line.split()[0].split("+")[-1]
        assert name.startswith("Ladder-Sans"), line
        assert " yes " in line  # embedded


# --------------------------------------------------------------------------- findings


def test_summary_covers_every_indicator_with_the_stored_numbers(
    html: str, results: list[Result]
) -> None:
    page = Page()
    page.feed(html)
    items = {item.split(":", 1)[0]: item for item in page.items if ":" in item}
    assert set(items) >= {s.key for s in SPECS}
    found = findings.read(results, ORG, 2024, 10, previous=2023)
    checked = 0
    for finding in found:
        item = items[finding.spec.key]
        result = finding.result
        if result is None or result.suppressed:
            continue
        sentence = words.sentence(result, 10).removesuffix(".")
        assert sentence in item, finding.spec.key
        stored = next(
            r
            for r in results
            if r.id == result.id
            and r.period == 2024
            and r.group == result.group
            and r.breakdown == result.breakdown
        )
        assert stored.value == result.value
        if finding.last is not None and not finding.last.suppressed and finding.change_text:
            assert finding.change_text[1:] in item  # last year's figure, as stored
        checked += 1
    assert checked >= 15


def test_no_difference_is_never_a_finding_and_never_ranked(html: str) -> None:
    page = Page()
    page.feed(html)
    for item in page.items:
        if "no evidence of a difference" in item:
            assert "a finding" not in item
    assert "a finding" in html


def test_survey_differences_get_a_reading() -> None:
    # WRES 5 as in the issue: 2.5 pp, 95% CI -0.9 to 5.8 → no evidence of difference
    diff = Result(
        id="wres.5",
        title="HBA from patients",
        org=ORG,
        period=2024,
        measure=Measure.DIFFERENCE,
        unit=Unit.PERCENTAGE_POINTS,
        value=2.51,
        method="m",
        group="BME:White",
        ci_lower=-0.88,
        ci_upper=5.82,
    )
    assert findings.no_evidence(diff) is True
    found = findings.read([diff], ORG, 2024, 10)
    line = next(f for f in found if f.spec.key == "WRES 5")
    assert line.reading == findings.NO_DIFFERENCE
    assert "no evidence of a difference" in line.sentence


def test_newcombe_matches_the_published_examples() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, method 10: 56/70 - 48/80 and 9/10 - 3/10
    d, low, high = newcombe(56, 70, 48, 80)  # type: ignore[misc]
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)
    d, low, high = newcombe(9, 10, 3, 10)  # type: ignore[misc]
    assert (round(low, 4), round(high, 4)) == (0.1705, 0.8090)


def _ratio(value: float, low: float, high: float, period: int) -> Result:
    return Result(
        id="wres.2",
        title="t",
        org=ORG,
        period=period,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        value=value,
        method="m",
        group="White:BME",
        ci_lower=low,
        ci_upper=high,
    )


def test_change_from_last_year_needs_evidence() -> None:
    # log SEs (ln 1.91 - ln 1.59)/3.92 = 0.0468 and (ln 1.3 - ln 1.1)/3.92 = 0.0426;
    # z = (ln 1.74 - ln 1.2) / sqrt(0.0468² + 0.0426²) = 0.3716 / 0.0633 = 5.87 → evidence
    assert changed(_ratio(1.74, 1.59, 1.91, 2024), _ratio(1.2, 1.1, 1.3, 2023)) is True
    # 1.74 (1.59-1.91) against 1.70 (1.55-1.86): z ≈ 0.35 → no evidence
    assert changed(_ratio(1.74, 1.59, 1.91, 2024), _ratio(1.70, 1.55, 1.86, 2023)) is False
    found = findings.read(
        [_ratio(1.74, 1.59, 1.91, 2024), _ratio(1.2, 1.1, 1.3, 2023)], ORG, 2024, 10, previous=2023
    )
    line = next(f for f in found if f.spec.key == "WRES 2")
    assert line.change == "worse" and line.needs_action
    assert "Worse than 2022/23 (1.20)" in line.sentence


def test_national_figures_come_from_the_reference_data() -> None:
    spec = next(s for s in SPECS if s.key == "WRES 2")
    national = findings.national_figure(spec, 2023)
    assert national is not None
    assert (national.value, national.year, national.standard) == (1.59, 2023, "WRES")
    conflicted = findings.national_figure(spec, 2022)  # 1.54 (HSJ) vs 1.53 (NHSE reprint)
    assert conflicted is not None and conflicted.quality == "conflict"
    assert "sources disagree" in conflicted.text()
    assert findings.national_figure(spec, 2015) is None  # before the first report


def test_glance_table_has_last_year_and_national_beside_each_indicator(html: str) -> None:
    page = Page()
    page.feed(html)
    glance = [t for t in page.tables if "National" in t and "Change" in t]
    assert len(glance) == 4  # WRES, WDES, pay gaps, SEB
    assert glance[0][:3] == ["Indicator", "White", "BME"]
    assert glance[1][:3] == ["Indicator", "Non-disabled", "Disabled"]
    assert "2022/23" in glance[0]
    assert "Trends" not in re.findall(r"<h2[^>]*>([^<]*)</h2>", html)


def test_one_period_is_said_once(reports: Path) -> None:
    html = (reports / "R1H-2024-equality-report.html").read_text(encoding="utf-8")
    assert html.count("Only one reporting year is loaded") == 1
    assert "Trends" not in re.findall(r"<h2[^>]*>([^<]*)</h2>", html)


# --------------------------------------------------------------------------- action plan


def test_action_plan_lists_findings_and_the_trusts_actions(html: str) -> None:
    plan = html[html.index('id="action-plan"') : html.index('id="wres"')]
    assert "Diverse interview panels for every post at Band 7 and above" in plan
    assert "Director of People" in plan and "2025-03-31" in plan
    assert "Sickness absence policy reviewed" in plan and "2025-06" in plan
    assert "What the evidence shows" in plan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- indicator: WRES 12\n  action: a\n  owner: b\n  date: 2025-01-01\n", "WRES 12"),
        ("- indicator: WRES 2\n  action: a\n  owner: b\n  date: soon\n", "column 'date'"),
        ("- indicator: WRES 2\n  action: a\n  date: 2025-01-01\n", "no owner"),
        ("- [unclosed\n", "not readable YAML"),
        ("indicator: WRES 2\n", "expected a list"),
    ],
)
def test_bad_actions_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(actions.ActionsError, match=re.escape(message)):
        actions.load(path, KEYS)


def test_actions_from_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "actions.xlsx"
    pl.DataFrame(
        {
            "Indicator": ["WDES 4a (managers)"],
            "Action": ["Line manager training"],
            "Owner": ["Head of OD"],
            "Date": ["2025-09-30"],
        }
    ).write_excel(path)
    (loaded,) = actions.load(path, KEYS)
    assert loaded == actions.Action(
        "WDES 4a (managers)", "Line manager training", "Head of OD", "2025-09-30"
    )


def test_cli_reports_a_bad_actions_file_without_a_traceback(
    two_years: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "actions.yaml"
    bad.write_text("- indicator: nothing\n  action: a\n  owner: b\n  date: 2025-01-01\n")
    result = runner.invoke(
        app, ["report", str(two_years), "--out", str(tmp_path / "o"), "--actions", str(bad)]
    )
    assert result.exit_code != 0
    assert "'nothing' is not an indicator" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o" / f"{ORG}-2024-equality-report.html").exists()


# --------------------------------------------------------------------------- official return


def test_official_return_cells_equal_the_metrics_json(paper: Path, results: list[Result]) -> None:
    book = load_workbook(paper / f"{ORG}-2024-equality-report.xlsx")
    assert book.sheetnames[0] == "Official return"
    rows = [list(r) for r in book["Official return"].iter_rows(values_only=True)]
    mine = [r for r in results if r.period == 2024]
    # headcount by band and cluster
    counts = {
        (r.breakdown["cluster"], r.breakdown["pay_band"], r.group): r
        for r in mine
        if r.id == "wres.1"
    }
    start = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("WRES indicator 1"))
    header = rows[start + 1]
    assert header[:6] == ["Cluster", "Pay band", "White", "BME", "Unknown", "Total"]
    checked = 0
    for row in rows[start + 2 :]:
        if not row[0]:
            break
        cluster = "all" if row[0] == "all clusters" else row[0]
        band = "all" if row[1] == "all bands" else row[1]
        for col, group in ((2, "White"), (3, "BME"), (4, "Unknown")):
            stored = counts[(cluster, band, group)]
            if stored.suppressed:
                assert row[col] == "withheld"
            else:
                assert row[col] == stored.numerator
                assert isinstance(row[col], (int, float))
                checked += 1
    assert checked >= 5  # the small fixture trust: the protection withholds most of the grid
    # one row per indicator, in the official order, numbers numeric
    table = next(i for i, r in enumerate(rows) if r[0] == "Standard")
    keys = [r[1] for r in rows[table + 1 :] if r[0] in ("WRES", "WDES")]
    assert keys == [s.key for s in SPECS if s.standard in ("WRES", "WDES")]
    by_key = {r[1]: r for r in rows[table + 1 :]}
    for finding in findings.read(results, ORG, 2024, 10):
        if finding.spec.standard not in ("WRES", "WDES") or finding.result is None:
            continue
        cell = by_key[finding.spec.key][8]
        if finding.result.suppressed:
            assert str(cell).startswith("withheld")
        else:
            assert cell == pytest.approx(finding.result.value)


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_labels_have_contrast_of_at_least_4_5() -> None:
    from ladder.reports import charts

    assert round(_contrast("#005EB8", "#FFFFFF"), 2) == 6.38  # hand check: NHS blue on white
    for fill in charts.GROUP_COLOURS:  # the label drawn on each bar segment
        text = charts.NHS_WHITE if fill in charts._DARK_FILLS else charts.NHS_BLACK
        assert _contrast(fill, text) >= 4.5, fill
    for text in (charts.NHS_BLACK, charts.NHS_DARK_GREY):  # labels on the white page
        assert _contrast(text, "#FFFFFF") >= 4.5


def test_a_figure_with_no_evidence_of_difference_is_never_ranked() -> None:
    from ladder.reports.html import _peers

    every = [
        _ratio(1.43, 0.78, 2.64, 2024),  # R1H: the interval includes 1
        evolve(_ratio(1.2, 1.1, 1.3, 2024), org="RR8"),
        evolve(_ratio(1.6, 1.4, 1.8, 2024), org="RQX"),
    ]
    table = _peers(every, [every[0]], ORG, 2024)
    assert table is not None
    row = next(r for r in table.rows if r[0].startswith("WRES 2"))
    assert row[2] == "–" and "not ranked" in row[6]
    ranked = _peers(every, [every[2]], "RQX", 2024)
    assert ranked is not None
    assert next(r for r in ranked.rows if r[0].startswith("WRES 2"))[2] == "1 of 3"


def test_national_gender_pay_gap_is_the_median_of_nhs_employers() -> None:
    from ladder import reference

    spec = next(s for s in SPECS if s.key == "Gender pay gap (median)")
    national = findings.national_figure(spec, 2024)
    assert national is not None
    # the 2022/23 copy is partial (filings to March 2023 only), so 2021/22 is the latest
    assert national.year == 2021 and "2021/22" in national.text()
    filings = reference.published_gender_pay_gap().filter(pl.col("snapshot_year") == 2021)
    assert national.value == filings["diff_median_hourly_pct"].median() == 10.0
