"""Nothing about ethnicity, sex, disability, age or background enters the ranking."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.matching.person import CHARACTERISTICS, person_from_dict
from ladder.matching.rank import Index, match
from tests.matching.conftest import TODAY, carer

VALUES = st.sampled_from(["A", "B", "female", "male", "yes", "no", "16-20", "71+", "FSM", ""])
CHARS = st.dictionaries(st.sampled_from(CHARACTERISTICS), VALUES, max_size=len(CHARACTERISTICS))


def _ranking(index: Index, chars: dict[str, str], **fields: object) -> list[tuple[str, float]]:
    person = person_from_dict(carer(characteristics=chars, **fields))
    result = match(person, index, top=20, today=TODAY)
    return [(m.opening.key, m.score) for m in (*result.matches, *result.pointers)] + [
        (e.opening.key, 0.0) for e in result.excluded
    ]


@settings(max_examples=40, deadline=None)
@given(a=CHARS, b=CHARS, overseas=st.booleans())
def test_changing_a_protected_characteristic_never_changes_a_ranking(
    index: Index, a: dict[str, str], b: dict[str, str], overseas: bool
) -> None:
    assert _ranking(index, a, overseas_qualifications=overseas) == _ranking(
        index, b, overseas_qualifications=overseas
    )
