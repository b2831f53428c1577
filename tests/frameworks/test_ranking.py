"""Ranks with ties, publication, movement, sector highlights and seeded stability."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.frameworks import answers as answer_files
from ladder.frameworks import competition_ranks, rank, read, score, stability
from ladder.frameworks.scoring import Score
from tests.frameworks.conftest import answers


def test_ties_share_a_rank() -> None:
    assert competition_ranks([70.0, 70.0, 65.0]) == [1, 1, 3]
    assert competition_ranks([10.0, 80.0, 80.0, 80.0, 5.0]) == [4, 1, 1, 1, 5]
    # scores equal as published (2 decimals) are ties
    assert competition_ranks([50.001, 50.004, 49.0]) == [1, 1, 3]


def _scores(
    small_path: Path, tmp_path: Path, specs: dict[str, str], period: int = 2025
) -> list[Score]:
    chosen = read(small_path)
    out = []
    for org, body in specs.items():
        path = answers(tmp_path, org, body, period=period, name=f"{org} Hospital")
        out.append(score(chosen, answer_files.read(path, chosen)))
    return out


SPECS = {
    "RAA": "answers: {single: c, multi: [x, y], count: 150}\n",  # alpha 10/10
    "RBB": "answers: {single: c, multi: [x, y], count: 150}\n",  # tie with RAA
    "RCC": "answers: {single: b, policy: {answer: yes, evidence: [p.pdf]}}\n",
    "RDD": "answers: {single: a}\n",
}


def test_rank_publication_and_movement(small_path: Path, tmp_path: Path) -> None:
    now = _scores(small_path, tmp_path, SPECS)
    before = _scores(
        small_path,
        tmp_path,
        {"RAA": "answers: {single: a}\n", "RCC": "answers: {single: c, count: 500}\n"},
        period=2024,
    )
    ranked = rank(now + before, top=2, seed=1, draws=200)
    assert ranked.period == 2025
    by_org = {e.org: e for e in ranked.entries}
    assert [by_org[o].rank for o in ("RAA", "RBB", "RCC", "RDD")] == [1, 1, 3, 4]
    assert [by_org[o].published for o in ("RAA", "RBB", "RCC", "RDD")] == [True, True, False, False]
    # 2024: RCC (alpha 7/10 → 46.67) first, RAA (0) second
    assert by_org["RAA"].previous_rank == 2 and by_org["RAA"].movement == 1
    assert by_org["RCC"].movement == -2
    assert by_org["RBB"].movement is None
    public = ranked.to_dict(public=True)
    hidden = [e for e in public["entries"] if not e["published"]]
    assert all(e["org"] is None and e["name"] is None and e["movement"] is None for e in hidden)
    assert public["highlights"] == [
        {"sector": "nhs_trust", "rank": 1, "org": "RAA", "name": "RAA Hospital", "published": True}
    ]


def test_sector_highlight_is_not_named_outside_the_top(small_path: Path, tmp_path: Path) -> None:
    now = _scores(small_path, tmp_path, SPECS)
    ranked = rank(now, top=0, draws=50)
    assert ranked.highlights()[0]["name"] is None and ranked.highlights()[0]["org"] is None


def test_stability_is_reproducible_for_a_seed(small_path: Path, tmp_path: Path) -> None:
    now = _scores(small_path, tmp_path, SPECS)
    for method in ("weights", "bootstrap"):
        a = stability(now, method=method, seed=7, draws=300)  # type: ignore[arg-type]
        b = stability(now, method=method, seed=7, draws=300)  # type: ignore[arg-type]
        assert a == b
        ranks = competition_ranks([s.score or 0 for s in now])
        for (low, high), r in zip(a, ranks, strict=True):
            assert low <= r <= high
    # identical submissions take identical intervals; a clear last stays last
    weights = stability(now, seed=7, draws=300)
    assert weights[0] == weights[1]
    assert weights[3] == (4, 4)


def test_weight_perturbation_can_swap_close_entrants(small_path: Path, tmp_path: Path) -> None:
    # RAA strong in alpha (weight 2), RBB strong in beta: close totals, so perturbing the
    # weights moves them past each other
    specs = {
        "RAA": "answers: {single: c, multi: [x, y]}\n",  # alpha 7/10, beta 0
        "RBB": "answers: {single: a, policy: {answer: yes, evidence: [p]}}\n"
        "adjustments: [{question: story, points: 2, reason: ok, assessor: A}]\n",  # beta 4/6
    }
    now = _scores(small_path, tmp_path, specs)
    assert now[0].score == pytest.approx(2 * 70 / 3)
    assert now[1].score == pytest.approx(100 * 4 / 6 / 3)
    (low_a, high_a), (low_b, high_b) = stability(now, seed=3, draws=500, spread=0.5)
    assert (low_a, high_a) == (1, 2) and (low_b, high_b) == (1, 2)
    narrow = stability(now, seed=3, draws=500, spread=0.01)
    assert narrow == [(1, 1), (2, 2)]


def test_one_submission_per_employer_and_period(small_path: Path, tmp_path: Path) -> None:
    now = _scores(small_path, tmp_path, SPECS)
    with pytest.raises(ValueError, match="more than one submission"):
        rank([*now, now[0]], draws=20)


@given(st.lists(st.integers(min_value=0, max_value=20).map(float), min_size=1, max_size=30))
def test_competition_ranks_property(scores: list[float]) -> None:
    ranks = competition_ranks(scores)
    for s, r in zip(scores, ranks, strict=True):
        assert r == 1 + sum(other > s for other in scores)
    assert min(ranks) == 1
