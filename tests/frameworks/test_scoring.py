"""Hand-scored submissions: every kind of question, evidence, adjustments, data-bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder.frameworks import answers as answer_files
from ladder.frameworks import measured, read, score
from ladder.metrics.results import Measure, Result, Unit
from tests.frameworks.conftest import answers


def _result(value: float | None, group: str = "parent_occupation", **kw: object) -> Result:
    return Result(
        id="seb.response_rate",
        title="t",
        org="RAA",
        period=2025,
        measure=Measure.RATE,
        unit=Unit.PERCENT,
        value=value,
        method="m",
        group=group,
        suppressed=value is None,
        **kw,  # type: ignore[arg-type]
    )


def test_hand_scored_submission(small_path: Path, tmp_path: Path) -> None:
    chosen = read(small_path)
    path = answers(
        tmp_path,
        "RAA",
        """\
        answers:
          single: b            # 2 of 4
          multi: [x, y, z]     # 2 + 2 + 1 = 5, capped at 3
          count: 100           # band [100, inf): 3
          policy: yes          # evidence required, none attached: 0
          story: We did things # free text: 0 until an assessor awards points
        adjustments:
          - {question: story, points: 1.5, reason: Good partnership evidence, assessor: Ann}
        """,
    )
    sub = answer_files.read(path, chosen)
    found = [_result(62.5), _result(10.0, group="school_type")]
    s = score(chosen, sub, measured(chosen, found, "RAA", 2025))
    alpha, beta = s.sections
    assert (alpha.points, alpha.maximum) == (8.0, 10.0)  # 2 + 3 + 3 of 4 + 3 + 3
    assert alpha.score == pytest.approx(80.0)
    assert alpha.level == "optimising"
    # beta: policy 0 (no evidence) + story 1.5 (assessor) + measured 62.5% -> 2 = 3.5 of 6
    assert (beta.points, beta.maximum) == (3.5, 6.0)
    policy = beta.questions[0]
    assert policy.points == 0 and policy.note == "evidence required: none attached"
    story = beta.questions[1]
    assert story.points == 1.5 and story.adjusted_from == 0.0
    assert story.reason == "Good partnership evidence" and story.assessor == "Ann"
    assert beta.questions[2].value == 62.5 and beta.questions[2].points == 2
    # total: weights 2 and 1: (2 × 80 + 1 × 58.33) / 3
    assert s.score == pytest.approx((2 * 80 + 100 * 3.5 / 6) / 3)
    doc = s.to_dict()
    assert doc["sections"][1]["questions"][1]["adjustment"] == {
        "from": 0.0,
        "reason": "Good partnership evidence",
        "assessor": "Ann",
    }


def test_evidence_earns_the_yes_points_and_bands_are_half_open(
    small_path: Path, tmp_path: Path
) -> None:
    chosen = read(small_path)
    path = answers(
        tmp_path,
        "RAA",
        """\
        answers:
          count: 10
          policy: {answer: yes, evidence: [policy.pdf, "https://example.org/p"]}
        """,
    )
    sub = answer_files.read(path, chosen)
    s = score(chosen, sub, measured(chosen, [_result(50.0)], "RAA", 2025))
    alpha, beta = s.sections
    assert alpha.questions[2].points == 1  # 10 is in [10, 100)
    assert beta.questions[0].points == 2
    assert beta.questions[0].evidence == ("policy.pdf", "https://example.org/p")
    assert beta.questions[2].points == 2  # 50 is in [50, inf)


def test_sections_are_optional_and_missing_data_earns_nothing(
    small_path: Path, tmp_path: Path
) -> None:
    chosen = read(small_path)
    sub = answer_files.read(answers(tmp_path, "RAA", "answers:\n  single: c\n"), chosen)
    s = score(chosen, sub, measured(chosen, [_result(None)], "RAA", 2025))
    alpha, beta = s.sections
    assert alpha.points == 4 and beta.points == 0 and not beta.answered
    assert beta.questions[2].note == "withheld"
    assert s.score == pytest.approx(2 * 40 / 3)
    nothing = score(chosen, sub)
    assert nothing.sections[1].questions[2].note.startswith("not measured")


def test_qualitative_framework_has_no_score(tmp_path: Path) -> None:
    from ladder.frameworks import feedback, framework

    chosen = framework("levelling_up_goals")
    path = answers(
        tmp_path,
        "RAA",
        "answers:\n  sy_activities: Mentoring in 12 schools\n",
        framework="levelling_up_goals",
    )
    s = score(chosen, answer_files.read(path, chosen))
    assert s.score is None and s.to_dict()["score"] is None
    fb = feedback(chosen, s, [s]).to_dict()
    school = next(x for x in fb["sections"] if x["id"] == "school_years")
    assert school["strengths"] == ["Activities with schools: Mentoring in 12 schools"]
    assert school["gaps"] == []
    early = next(x for x in fb["sections"] if x["id"] == "early_years")
    assert early["strengths"] == [] and early["gaps"] == [
        "Work with health visiting and children's centres in the most deprived areas."
    ]


def test_xlsx_template_round_trip(tmp_path: Path) -> None:
    from ladder.app.index import write_template
    from ladder.frameworks import framework
    from ladder.frameworks.workbook import read_workbook

    out = write_template("social_mobility_employer", tmp_path / "t.xlsx", org="RAA", period=2025)
    doc, lines = read_workbook(out)
    assert doc["org"] == "RAA" and doc["period"] == 2025 and doc["answers"] == {}
    # fill in two answers with xlsxwriter's reader counterpart (openpyxl, a dev dependency)
    import openpyxl

    book = openpyxl.load_workbook(out)
    sheet = book["Answers"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "yp_outreach":
            row[5].value = "targeted"
        if row[1].value == "ri_apprenticeships":
            row[5].value = "yes"
            row[6].value = "intake.pdf; https://example.org/a"
        if row[1].value == "yp_activities":
            row[5].value = "talks, mentoring"
    book.save(out)
    sub = answer_files.read(out, framework("social_mobility_employer"))
    assert sub.answers["yp_outreach"].value == "targeted"
    assert sub.answers["yp_activities"].value == ["talks", "mentoring"]
    assert sub.answers["ri_apprenticeships"].value is True
    assert sub.answers["ri_apprenticeships"].evidence == ("intake.pdf", "https://example.org/a")
    s = score(framework("social_mobility_employer"), sub)
    assert s.sections[0].points == 3 + 3  # targeted 3; talks 1 + mentoring 2
    assert s.sections[1].points == 2
    _ = lines


def test_yaml_template_is_a_valid_empty_submission(tmp_path: Path) -> None:
    from ladder.app.index import write_template
    from ladder.frameworks import framework

    for f in ("social_mobility_employer", "smc_toolkit", "good_work", "nhs_anchor",
              "levelling_up_goals"):  # fmt: skip
        out = write_template(f, tmp_path / f"{f}.yaml", org="RAA", period=2025)
        sub = answer_files.read(out, framework(f))
        assert sub.org == "RAA" and sub.answers == {}
