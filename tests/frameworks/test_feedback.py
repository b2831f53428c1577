"""Feedback: each section against the median and top quartile of entrants, the next level's
actions and the questions that lost points."""

from __future__ import annotations

from pathlib import Path

from ladder.frameworks import answers as answer_files
from ladder.frameworks import feedback, rank, read, score
from tests.frameworks.conftest import answers


def test_feedback_by_hand(small_path: Path, tmp_path: Path) -> None:
    chosen = read(small_path)
    specs = {
        "RAA": "answers: {single: c, multi: [x, y], count: 20}\n",  # alpha 4 + 3 + 1 = 8/10
        "RBB": "answers: {single: c, policy: yes}\n",  # alpha 4/10 = 40; policy lacks evidence
        "RCC": "answers: {}\n",  # alpha 0
    }
    scores = [
        score(chosen, answer_files.read(answers(tmp_path, org, body), chosen))
        for org, body in specs.items()
    ]
    ranked = rank(scores, top=3, draws=50)
    entry = next(e for e in ranked.entries if e.org == "RBB")
    doc = feedback(chosen, scores[1], scores, entry).to_dict()
    alpha, beta = doc["sections"]
    assert (alpha["score"], alpha["median"], alpha["top_quartile"]) == (40.0, 40.0, 60.0)
    assert alpha["level"] == "Developing" and alpha["next_level"] == "Optimising"
    assert alpha["actions"] == ["Do the optimising thing."]
    assert alpha["gaps"] == [
        "Improve your answer to: Pick any",
        "Improve your answer to: How many?",
    ]
    assert beta["score"] == 0.0 and beta["median"] == 0.0
    assert beta["gaps"][0] == "Attach the evidence for: A policy?"
    assert doc["rank"] == 2 and doc["entrants"] == 3
    assert doc["weakest"] == ["Beta", "Alpha"] and doc["strongest"] == []
    assert doc["measured"][0]["indicator"] == "seb.response_rate"
    assert doc["measured"][0]["value"] is None
