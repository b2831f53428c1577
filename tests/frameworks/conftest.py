"""A small framework with every kind of question, written out for the hand-worked tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SMALL = textwrap.dedent(
    """\
    format: 1
    id: small
    version: "1"
    title: Small test framework
    label: A framework for tests
    source: tests
    scoring: points
    levels:
      - {id: developing, title: Developing}
      - {id: optimising, title: Optimising}
    sections:
      - id: alpha
        title: Alpha
        weight: 2
        levels:
          - {level: developing, min_score: 40, actions: ["Do the developing thing."]}
          - {level: optimising, min_score: 80, actions: ["Do the optimising thing."]}
        questions:
          - id: single
            kind: single_choice
            text: Pick one
            options:
              - {id: a, text: A, points: 0}
              - {id: b, text: B, points: 2}
              - {id: c, text: C, points: 4}
          - id: multi
            kind: multiple_choice
            text: Pick any
            max_points: 3
            options:
              - {id: x, text: X, points: 2}
              - {id: y, text: Y, points: 2}
              - {id: z, text: Z, points: 1}
          - id: count
            kind: numeric
            text: How many?
            bands:
              - {max: 10, points: 0}
              - {min: 10, max: 100, points: 1}
              - {min: 100, points: 3}
      - id: beta
        title: Beta
        weight: 1
        questions:
          - id: policy
            kind: yes_no
            points: 2
            evidence_required: true
            text: A policy?
            recommendation: Write a policy.
          - id: story
            kind: free_text
            max_points: 2
            text: Tell us
          - id: measured
            kind: data
            indicator: seb.response_rate
            group: parent_occupation
            text: Response rate
            bands:
              - {max: 50, points: 0}
              - {min: 50, points: 2}
    """
)


@pytest.fixture
def small_path(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def answers(
    tmp_path: Path,
    org: str,
    body: str,
    *,
    period: int = 2025,
    name: str = "",
    framework: str = "small",
) -> Path:
    """Write an answer file for ``org`` with ``body`` (the YAML of its ``answers:``)."""
    text = (
        f"framework: {framework}\norg: {org}\nname: {name or org + ' Trust'}\n"
        f"sector: nhs_trust\nperiod: {period}\n" + textwrap.dedent(body)
    )
    path = tmp_path / f"{org}-{period}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
