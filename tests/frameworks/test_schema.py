"""Framework files and answer files are checked with errors naming file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ladder.frameworks import FileProblems, framework, read, schema, shipped
from ladder.frameworks import answers as answer_files
from tests.frameworks.conftest import SMALL, answers

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_shipped_framework_is_valid_and_labelled() -> None:
    found = {f.id: f for f in shipped()}
    assert set(found) == {
        "social_mobility_employer",
        "smc_toolkit",
        "good_work",
        "nhs_anchor",
        "levelling_up_goals",
    }
    for f in found.values():
        assert "Ladder's open method" in f.label
    assert len(found["social_mobility_employer"].sections) == 7
    assert [s.id for s in found["smc_toolkit"].sections] == [
        "data", "culture", "outreach", "hiring", "progression", "advocacy",
    ]  # fmt: skip
    assert {lv for lv, _ in found["smc_toolkit"].level_names} == {"developing", "optimising"}
    assert len(found["good_work"].sections) == 5
    assert len(found["nhs_anchor"].sections) == 5
    assert found["levelling_up_goals"].scoring == "qualitative"
    kinds = {q.kind for f in found.values() for _, q in f.questions().values()}
    assert kinds == {"single_choice", "multiple_choice", "numeric", "yes_no", "free_text", "data"}


def test_published_schema_in_docs_is_the_packaged_one() -> None:
    published = json.loads((DOCS / "framework.schema.json").read_text(encoding="utf-8"))
    assert published == schema("framework")
    answers_doc = json.loads((DOCS / "answers.schema.json").read_text(encoding="utf-8"))
    assert answers_doc == schema("answers")


def _problems(path: Path) -> list[str]:
    with pytest.raises(FileProblems) as caught:
        read(path)
    return [str(p) for p in caught.value.problems]


def test_errors_name_file_line_and_field(tmp_path: Path) -> None:
    broken = SMALL.replace("weight: 2\n", "weigth: 2\n").replace(
        "{id: b, text: B, points: 2}", "{id: b, text: B}"
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    lines = broken.splitlines()
    weigth = next(i for i, line in enumerate(lines, 1) if "weigth" in line)
    option = next(i for i, line in enumerate(lines, 1) if "{id: b, text: B}" in line)
    problems = _problems(path)
    assert len(problems) == 2
    assert problems[0].startswith(f"{path}:{weigth}: sections[0].weigth: ")
    assert "'weigth' was unexpected" in problems[0]
    assert problems[1].startswith(f"{path}:{option}: sections[0].questions[0].options[1]: ")
    assert "'points' is a required property" in problems[1]


def test_wrong_kind_of_value_and_missing_bands(tmp_path: Path) -> None:
    broken = SMALL.replace("weight: 2\n", "weight: heavy\n").replace(
        "        bands:\n"
        "          - {max: 10, points: 0}\n"
        "          - {min: 10, max: 100, points: 1}\n"
        "          - {min: 100, points: 3}\n",
        "        bands: []\n",
    )
    path = tmp_path / "b.yaml"
    path.write_text(broken, encoding="utf-8")
    problems = _problems(path)
    assert any("sections[0].weight: 'heavy' is not of type 'number'" in p for p in problems)
    assert any("sections[0].questions[2].bands: [] should be non-empty" in p for p in problems)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nid: [unclosed\nversion: '1'\n", encoding="utf-8")
    problems = _problems(path)
    assert (
        len(problems) == 1
        and problems[0].startswith(f"{path}:")
        and "not valid YAML" in problems[0]
    )


def test_duplicate_ids_and_undeclared_levels(tmp_path: Path) -> None:
    broken = SMALL.replace("id: multi", "id: single").replace(
        "{level: optimising, min_score: 80", "{level: expert, min_score: 80"
    )
    path = tmp_path / "dup.yaml"
    path.write_text(broken, encoding="utf-8")
    problems = _problems(path)
    assert any("level 'expert' is not one of the framework's levels" in p for p in problems)
    assert any("id 'single' is used 2 times" in p for p in problems)


def test_answer_file_errors_name_line_and_field(small_path: Path, tmp_path: Path) -> None:
    chosen = read(small_path)
    path = answers(
        tmp_path,
        "RAA",
        """\
        answers:
          single: d
          nonsense: 1
          measured: 80
          count: many
        adjustments:
          - {question: story, points: 1, reason: "  ", assessor: A}
          - {question: story, points: 1, assessor: A}
        """,
    )
    with pytest.raises(FileProblems) as caught:
        answer_files.read(path, chosen)
    text = [str(p) for p in caught.value.problems]
    # schema problems first (the adjustments without a reason), each with its line
    assert any(f"{path}:12: adjustments[0].reason:" in p for p in text)
    assert any(f"{path}:13: adjustments[1]: 'reason' is a required property" in p for p in text)
    fixed = path.read_text(encoding="utf-8").replace('reason: "  "', "reason: checked")
    fixed = fixed.replace("points: 1, assessor: A}", "points: 1, reason: ok, assessor: A}")
    path.write_text(fixed, encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        answer_files.read(path, chosen)
    text = [str(p) for p in caught.value.problems]
    assert text == [
        f"{path}:7: answers.single: 'd' is not an option: use one of a, b, c",
        f"{path}:8: answers.nonsense: no such question in the framework (ladder index show "
        "lists them)",
        f"{path}:9: answers.measured: this question is answered from the organisation's "
        "measured data (seb.response_rate): remove it from the answer file",
        f"{path}:10: answers.count: 'many' is not a number",
    ]


def test_adjustment_above_the_maximum_is_refused(small_path: Path, tmp_path: Path) -> None:
    path = answers(
        tmp_path,
        "RAA",
        """\
        answers: {}
        adjustments:
          - {question: story, points: 5, reason: generous, assessor: A}
        """,
    )
    with pytest.raises(FileProblems, match="more than the question's maximum"):
        answer_files.read(path, read(small_path))


def test_unknown_framework_is_a_clear_error() -> None:
    with pytest.raises(LookupError, match="unknown framework 'nope'"):
        framework("nope")


def test_every_data_bound_question_reads_a_registered_result() -> None:
    from ladder.metrics import all_indicators

    known = {rid for ind in all_indicators() for rid in ind.result_ids}
    bound = [q for f in shipped() for _, q in f.questions().values() if q.kind == "data"]
    assert len(bound) >= 8
    for q in bound:
        assert q.indicator in known, q.id
