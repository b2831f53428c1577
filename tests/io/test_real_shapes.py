"""Golden tests on files in the shapes real exports have (issue 10, items 4-6).

Age bands as ESR and as the ONS / NHS Digital write them (and ages, dates of birth, a file
mixing two schemes); a recruitment export with one stage column (withdrawn applications, an
override map); staff-survey files in the 2021, 2022, 2023 and 2024 question numbering.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from ladder.io.validate import Validation, validate_file
from ladder.metrics.results import Result
from ladder.normalise import stages, survey_questions
from tests.metrics.conftest import compute_results, pick


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def staff_file(tmp_path: Path, bands: list[str], *, header: str = "Age Band") -> Path:
    rows = [
        f"P{i:03d},R1H,31/03/2024,A,Band 5,{band}" if band else f"P{i:03d},R1H,31/03/2024,A,Band 5,"
        for i, band in enumerate(bands, 1)
    ]
    return write(
        tmp_path / "esr.csv",
        [f"Assignment Number,Org Code,Snapshot Date,Ethnic Origin,Pay Band,{header}", *rows],
    )


def bands_of(result: Validation) -> list[str | None]:
    return result.valid_rows().get_column("age_band").to_list()


# --- Age bands ----------------------------------------------------------------------------


def test_esr_age_bands_keep_the_esr_scheme(tmp_path: Path) -> None:
    result = validate_file(
        staff_file(tmp_path, ["<=20 Years", "21-25", "46-50", "66-70", ">=71 Years"]), "staff"
    )
    assert result.problems == []
    assert bands_of(result) == ["16-20", "21-25", "46-50", "66-70", "71+"]


def test_ons_five_year_bands_keep_their_scheme(tmp_path: Path) -> None:
    raw = ["Under 20", "16-19", "20-24", "35-39", "60-64", "65 and over"]
    result = validate_file(staff_file(tmp_path, raw), "staff")
    assert result.problems == []
    assert bands_of(result) == [
        "ons5:16-19",
        "ons5:16-19",
        "ons5:20-24",
        "ons5:35-39",
        "ons5:60-64",
        "ons5:65+",
    ]


def test_ten_year_bands_and_a_shared_open_band(tmp_path: Path) -> None:
    # "65 and over" ends both ONS schemes: in a ten-year file it is the ten-year band
    raw = ["Under 25", "25-34", "35-44", "55-64", "65 and over"]
    result = validate_file(staff_file(tmp_path, raw), "staff")
    assert result.problems == []
    assert bands_of(result) == [
        "ons10:16-24",
        "ons10:25-34",
        "ons10:35-44",
        "ons10:55-64",
        "ons10:65+",
    ]


def test_mixed_schemes_are_a_warning_naming_both_and_keep_the_rows(tmp_path: Path) -> None:
    raw = ["21-25", "26-30", "41-45", "20-24"]
    result = validate_file(staff_file(tmp_path, raw), "staff")
    assert [(p.row, p.column, p.value, p.severity) for p in result.problems] == [
        (5, "Age Band", "20-24", "warning")
    ]
    reason = result.problems[0].reason
    assert "ESR five-year bands" in reason and "ONS / NHS Digital five-year bands" in reason
    assert bands_of(result) == ["21-25", "26-30", "41-45", "ons5:20-24"]  # every row kept


def test_ages_in_years_get_their_esr_band(tmp_path: Path) -> None:
    result = validate_file(staff_file(tmp_path, ["19", "34", "71"]), "staff")
    assert bands_of(result) == ["16-20", "31-35", "71+"]


def test_an_unknown_band_lists_the_schemes(tmp_path: Path) -> None:
    result = validate_file(staff_file(tmp_path, ["21-25", "adult"]), "staff")
    [problem] = result.problems
    assert (problem.row, problem.value, problem.code) == (3, "adult", "invalid_value")
    assert "ESR bands" in problem.hint and "ONS five-year bands" in problem.hint


def test_date_of_birth_gives_the_band_of_the_files_own_scheme(tmp_path: Path) -> None:
    # Ages at 31/03/2024: 1990-04-01 → 33; 1958-06-30 → 65
    lines = [
        "Assignment Number,Org Code,Snapshot Date,Ethnic Origin,Pay Band,Age Band,Date of Birth",
        "P1,R1H,31/03/2024,A,Band 5,20-24,",
        "P2,R1H,31/03/2024,A,Band 5,,01/04/1990",
        "P3,R1H,31/03/2024,A,Band 5,65 and over,",
        "P4,R1H,31/03/2024,A,Band 5,,30/06/1958",
    ]
    ons = validate_file(write(tmp_path / "ons.csv", lines), "staff")
    assert ons.problems == []
    # the file uses "65 and over", so a 65-year-old gets that band rather than 65-69
    assert bands_of(ons) == ["ons5:20-24", "ons5:30-34", "ons5:65+", "ons5:65+"]
    esr = [line.replace(",20-24,", ",21-25,").replace(",65 and over,", ",61-65,") for line in lines]
    assert bands_of(validate_file(write(tmp_path / "esr.csv", esr), "staff")) == [
        "21-25",
        "31-35",
        "61-65",
        "61-65",
    ]


def test_representation_by_age_uses_the_files_own_bands_in_age_order(tmp_path: Path) -> None:
    raw = ["65 and over", "20-24", "35-39", "20-24", "Under 20", ""]
    staff = validate_file(staff_file(tmp_path, raw), "staff").valid_rows()
    results = compute_results({"staff": staff}, ["representation.age"])
    whole = [r for r in results if r.breakdown.get("pay_band") == "all"]
    assert [r.group for r in whole] == ["16-19", "20-24", "35-39", "65+", "Unknown"]
    assert [(r.numerator, r.denominator) for r in whole] == [(1, 6), (2, 6), (1, 6), (1, 6), (1, 6)]
    assert "ONS five-year" in (whole[0].note or "")


# --- Recruitment stages -------------------------------------------------------------------

# A TRAC-style export: no shortlisted/appointed flags, one "Application Status" column.
# White (A): 4 shortlisted (2 appointed, 1 withdrawn, 1 rejected at interview), 2 rejected at
# shortlisting. BME (H, N): 5 shortlisted (1 appointed, 1 "Offer accepted", 1 "Withdrawn",
# 2 interviewed), 3 not shortlisted (one withdrew before shortlisting).
TRAC = [
    "Application ID,Job Reference,Org Code,Date Applied,Ethnicity,Application Status",
    "A01,V1,R1H,01/10/2023,A,Appointed",
    "A02,V1,R1H,01/10/2023,A,appointed",
    "A03,V1,R1H,01/10/2023,A,Withdrawn",
    "A04,V1,R1H,01/10/2023,A,Rejected at interview",
    "A05,V1,R1H,01/10/2023,A,Rejected at shortlisting",
    "A06,V1,R1H,01/10/2023,A,Not Shortlisted",
    "A07,V1,R1H,01/10/2023,H,Appointed",
    "A08,V1,R1H,01/10/2023,N,Offer accepted",
    "A09,V1,R1H,01/10/2023,H,Withdrawn",
    "A10,V1,R1H,01/10/2023,N,Interviewed",
    "A11,V1,R1H,01/10/2023,H,Invited to interview",
    "A12,V1,R1H,01/10/2023,N,Rejected at shortlisting",
    "A13,V1,R1H,01/10/2023,H,Withdrawn before shortlisting",
    "A14,V1,R1H,01/10/2023,N,Not shortlisted",
]


def wres_2(rows: pl.DataFrame) -> Result:
    return pick(compute_results({"applications": rows}, ["wres.2"]), "wres.2", "White:BME")


def test_stage_column_gives_shortlisted_and_appointed(tmp_path: Path) -> None:
    result = validate_file(write(tmp_path / "trac.csv", TRAC), "applications")
    assert result.problems == []
    rows = result.valid_rows()
    assert rows.height == 14  # withdrawn applications are kept
    flags = {r["application_id"]: (r["shortlisted"], r["appointed"]) for r in rows.to_dicts()}
    assert flags["A03"] == (True, False)  # Withdrawn: shortlisted, not appointed
    assert flags["A13"] == (False, False)  # Withdrawn before shortlisting
    assert flags["A08"] == (True, True)  # Offer accepted is an appointment
    # WRES 2 by hand: White 2 appointed of 4 shortlisted (50%), BME 2 of 5 (40%): 1.25;
    # SE(ln RR) = sqrt(1/2 - 1/4 + 1/2 - 1/5)
    ratio = wres_2(rows)
    assert ratio.value == pytest.approx(0.5 / 0.4)
    assert (ratio.numerator, ratio.denominator) == (2, 4)
    assert (ratio.reference_numerator, ratio.reference_denominator) == (2, 5)
    se = math.sqrt(1 / 2 - 1 / 4 + 1 / 2 - 1 / 5)
    assert ratio.ci_lower == pytest.approx(1.25 * math.exp(-1.959964 * se), rel=1e-6)


def test_an_override_map_changes_how_withdrawn_counts(tmp_path: Path) -> None:
    override = write(
        tmp_path / "stages.csv",
        [
            "stage,shortlisted,appointed,note",
            "Withdrawn,no,no,our system records withdrawals before shortlisting",
            "Panel,yes,no,local stage name",
        ],
    )
    trac = [*TRAC, "A15,V1,R1H,01/10/2023,A,Panel"]
    result = validate_file(
        write(tmp_path / "trac.csv", trac), "applications", stage_map=stages.load(override)
    )
    assert result.problems == []
    # White now 2 of 4 (A04, A15 and the appointed two), BME 2 of 4: 1.0
    ratio = wres_2(result.valid_rows())
    assert (ratio.numerator, ratio.denominator) == (2, 4)
    assert (ratio.reference_numerator, ratio.reference_denominator) == (2, 4)
    assert ratio.value == pytest.approx(1.0)


def test_an_unknown_stage_is_an_error_listing_the_known_stages(tmp_path: Path) -> None:
    trac = [*TRAC, "A15,V1,R1H,01/10/2023,A,Panel"]
    result = validate_file(write(tmp_path / "trac.csv", trac), "applications")
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (16, "Application Status", "Panel")
    assert problem.code == "invalid_value" and problem.severity == "error"
    assert "Rejected at shortlisting" in problem.hint and "Offer accepted" in problem.hint
    assert "--stage-map" in problem.hint
    assert result.valid_rows().height == 14


def test_flags_in_the_file_win_over_the_stage(tmp_path: Path) -> None:
    lines = [
        "Application ID,Job Reference,Org Code,Date Applied,Shortlisted,Appointed,Status",
        "A1,V1,R1H,01/10/2023,Y,N,Appointed",
        "A2,V1,R1H,01/10/2023,N,N,",
    ]
    result = validate_file(write(tmp_path / "both.csv", lines), "applications")
    assert result.problems == []
    assert result.valid_rows().get_column("appointed").to_list() == [False, False]


def test_a_blank_stage_with_no_flags_is_an_error(tmp_path: Path) -> None:
    lines = [*TRAC[:2], "A99,V1,R1H,01/10/2023,A,"]
    [problem] = validate_file(write(tmp_path / "t.csv", lines), "applications").problems
    assert (problem.row, problem.code) == (3, "missing_value")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stage,shortlisted\nX,yes\n", "no column appointed"),
        ("stage,shortlisted,appointed\nX,maybe,no\n", "maybe is not yes or no"),
        ("stage,shortlisted,appointed\nX,no,yes\n", "appointed but not shortlisted"),
    ],
)
def test_a_bad_stage_map_is_refused_with_its_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "map.csv"
    path.write_text(text)
    with pytest.raises(stages.StageMapError, match=message):
        stages.load(path)


def test_shipped_stage_map_is_consistent() -> None:
    shipped = stages.shipped()
    assert all(s.shortlisted or not s.appointed for s in shipped.stages.values())
    withdrawn = shipped.lookup("WITHDRAWN")
    assert withdrawn is not None and (withdrawn.shortlisted, withdrawn.appointed) == (True, False)


# --- Staff survey numbering ---------------------------------------------------------------

# Respondents: White W1-W5 (A), BME B1-B4 (H). WRES 5 (harassment from the public): W 2 of 5,
# B 2 of 4. WRES 6 (from managers or colleagues, combined per person): W 1 of 5, B 2 of 4.
# WRES 7 (equal opportunities): W 4 of 5, B 1 of 4. WRES 8 (discrimination): W 0 of 5, B 1 of 4.
PEOPLE = ("W1", "W2", "W3", "W4", "W5", "B1", "B2", "B3", "B4")
ANSWERS: dict[str, dict[str, str]] = {
    question: dict(zip(PEOPLE, answers.split("|"), strict=True))
    for question, answers in {
        "q14a": "1-2|3-5|Never|Never|Never|6-10|1-2|Never|Never",
        "q14b": "Never|Never|Never|Never|Never|1-2|Never|Never|Never",
        "q14c": "Never|1-2|Never|Never|Never|3-5|Never|1-2|Never",
        "q15": "Yes|Yes|Yes|Yes|No|No|No|Yes|Don't know",
        "q16b": "No|No|No|No|No|Yes|No|No|No",
    }.items()
}
# Each year's own numbers for the same items, as a supplier's file writes them.
NUMBERING: dict[int, dict[str, str]] = {
    year: {
        ladder: survey_questions.table()
        .filter((pl.col("year") == year) & (pl.col("ladder_id") == ladder))
        .get_column("question")
        .item()
        .upper()
        for ladder in ANSWERS
    }
    for year in (2021, 2022, 2023, 2024)
}


def survey_file(tmp_path: Path, year: int) -> Path:
    lines = ["Respondent ID,Org Code,Survey Year,Question Number,Ethnicity,Response"]
    for ladder, answers in ANSWERS.items():
        for who, answer in answers.items():
            ethnic = "A" if who.startswith("W") else "H"
            lines.append(f"{who},R1H,{year},{NUMBERING[year][ladder]},{ethnic},{answer}")
    return write(tmp_path / f"nss{year}.csv", lines)


def test_survey_numbering_table_is_idempotent() -> None:
    table = survey_questions.table()
    ladder_ids = set(table.get_column("ladder_id"))
    clash = table.filter(
        pl.col("question").is_in(list(ladder_ids)) & (pl.col("question") != pl.col("ladder_id"))
    )
    assert clash.is_empty()  # canonical (Ladder-id) data reads the same again
    assert survey_questions.years() == [2021, 2022, 2023, 2024]
    # the adequate-adjustments item moves with the background section
    adjust = table.filter(pl.col("ladder_id") == "q30b").sort("year").get_column("question")
    assert adjust.to_list() == ["q28b", "q30b", "q31b", "q31b"]


def test_four_years_in_their_own_numbering_give_the_same_wres_5_to_8(tmp_path: Path) -> None:
    frames = []
    for year in (2021, 2022, 2023, 2024):
        result = validate_file(survey_file(tmp_path, year), "survey")
        assert result.problems == []
        frames.append(result.valid_rows())
    survey = pl.concat(frames)
    assert set(survey.get_column("question_id")) == set(ANSWERS)
    results = compute_results({"survey": survey}, ["wres.5", "wres.6", "wres.7", "wres.8"])
    expected = {
        "wres.5": ((2, 5), (2, 4)),
        "wres.6": ((1, 5), (2, 4)),
        "wres.7": ((4, 5), (1, 3)),  # B4 "Don't know" is no answer
        "wres.8": ((0, 5), (1, 4)),
    }
    for period in (2022, 2023, 2024, 2025):
        for id, ((we, wn), (be, bn)) in expected.items():
            white = [r for r in results if (r.id, r.group, r.period) == (id, "White", period)]
            bme = [r for r in results if (r.id, r.group, r.period) == (id, "BME", period)]
            assert [(r.numerator, r.denominator) for r in white] == [(we, wn)]
            assert [(r.numerator, r.denominator) for r in bme] == [(be, bn)]
            assert white[0].value == pytest.approx(100 * we / wn)


def test_survey_question_spellings() -> None:
    keys = [survey_questions.question_key(q) for q in ("Q14a", "14a", "q 14 a", "Q14b/c", "x1")]
    assert keys == ["q14a", "q14a", "q14a", "q14b_c", "x1"]


def test_aggregate_results_in_each_years_numbering(tmp_path: Path) -> None:
    # Published-style aggregates: White 40 of 100, BME 30 of 60 (WRES 5); the combined
    # WRES 6 item as "Q14b/c": White 20 of 100, BME 18 of 60.
    frames = []
    for year in (2021, 2024):
        lines = [
            "Org Code,Survey Year,Question,WRES Group,Base,N Positive",
            f"R1H,{year},Q14a,White,100,40",
            f"R1H,{year},Q14a,BME,60,30",
            f"R1H,{year},Q14b/c,White,100,20",
            f"R1H,{year},Q14b/c,BME,60,18",
        ]
        result = validate_file(write(tmp_path / f"agg{year}.csv", lines), "survey")
        assert result.problems == []
        frames.append(result.valid_rows())
    results = compute_results({"survey": pl.concat(frames)}, ["wres.5", "wres.6"])
    for period in (2022, 2025):
        for id, white, bme in (("wres.5", (40, 100), (30, 60)), ("wres.6", (20, 100), (18, 60))):
            got = {
                r.group: (r.numerator, r.denominator)
                for r in results
                if r.id == id and r.period == period and r.group in ("White", "BME")
            }
            assert got == {"White": white, "BME": bme}
