"""Each hard rule, with the reason a person reads."""

from __future__ import annotations

import pytest

from ladder.matching.person import PersonError, person_from_dict
from ladder.matching.rank import Index, match
from tests.matching.conftest import TODAY, carer


def _excluded(index: Index, **fields: object) -> dict[str, tuple[str, ...]]:
    result = match(person_from_dict(carer(**fields)), index, top=20, today=TODAY)
    return {e.opening.id: e.reasons for e in result.excluded}


def test_each_hard_rule_rules_out_with_its_reason(index: Index) -> None:
    out = _excluded(index)
    assert out["V1"] == ("This is 37.5 hours a week; you said you can work up to 30",)
    assert out["V3"] == (
        "This role asks for a Level 6 qualification in Nursing; the highest you told us of is "
        "Level 2",
        "This role needs registration with the Nursing and Midwifery Council (NMC)",
    )
    assert out["V4"] == ("This role works rotating; you said you can work days",)
    assert out["V5"] == ("This role needs a full driving licence",)
    assert out["V6"] == ("This job closed on 3 January 2027",)
    assert out["R3"] == ("This is 37.5 hours a week; you said you can work up to 30",)
    assert set(out) == {"V1", "V3", "V4", "V5", "V6", "R3"}


def test_the_subject_matters_where_the_role_says_so(index: Index) -> None:
    out = _excluded(index, qualifications=[{"level": 3, "subject": "Business"}], shifts=None)
    assert out["V4"] == (
        "This role asks for a Level 2 qualification in Health and Social Care; you did not "
        "tell us of one in that subject",
    )
    assert "V8" in out


def test_no_right_to_work_rules_out_every_job_but_not_the_routes_that_do_not_need_it(
    index: Index,
) -> None:
    out = _excluded(index, right_to_work=False, max_hours=None, shifts=None)
    reason = "This job needs the right to work in the UK, and you told us you do not have it"
    assert all(reason in out[f"V{i}"] for i in range(1, 9))
    assert "R1" not in out and "R2" not in out
    assert "This route needs the right to work" in out["R3"][0]


def test_a_registration_the_person_holds_passes(index: Index) -> None:
    nurse = carer(
        qualifications=[{"level": 6, "subject": "Adult Nursing"}],
        registrations=["nmc"],
        max_hours=None,
        shifts=None,
    )
    result = match(person_from_dict(nurse), index, top=20, today=TODAY)
    found = {m.opening.id: m for m in result.matches}
    assert "V3" in found
    assert "You have a Level 6 in Adult Nursing, which this role asks for" in found["V3"].reasons
    assert "You are registered with the NMC, which this role needs" in found["V3"].reasons


def test_the_right_to_work_is_asked_never_guessed() -> None:
    data = carer()
    del data["right_to_work"]
    with pytest.raises(PersonError, match="right_to_work: not answered"):
        person_from_dict(data)
    with pytest.raises(PersonError, match="is not yes or no"):
        person_from_dict(carer(right_to_work="perhaps"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("qualifications", [{"level": 9}], "outside 0 to 8"),
        ("registrations", ["ABC"], "is not known"),
        ("shifts", ["evenings"], "is not known"),
        ("max_hours", "lots", "is not a number"),
        ("favourite_colour", "blue", "not a field of the person file"),
    ],
)
def test_a_bad_person_file_says_which_field(field: str, value: object, message: str) -> None:
    with pytest.raises(PersonError, match=message):
        person_from_dict(carer(**{field: value}))
