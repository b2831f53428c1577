"""Submissions kept in a workspace: stored, adjusted only with a reason, every change audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ladder.app import index
from ladder.app.workspace import create_workspace
from ladder.cli.app import app
from tests.frameworks.conftest import answers

FRAMEWORK = "social_mobility_employer"


def test_submit_adjust_and_audit(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "ws")
    try:
        files = [
            answers(tmp_path, "RAA", "answers: {yp_outreach: targeted, ad_story: Lots}\n",
                    framework=FRAMEWORK),
            answers(tmp_path, "RBB", "answers: {yp_outreach: untargeted}\n", framework=FRAMEWORK),
        ]  # fmt: skip
        index.submit(ws, FRAMEWORK, files, user="employer@a")
        with pytest.raises(ValueError, match="needs a reason"):
            index.adjust(ws, FRAMEWORK, org="RAA", period=2025, question="ad_story", points=2,
                         reason="  ", assessor="assessor@x")  # fmt: skip
        with pytest.raises(ValueError, match="from 0 to 3"):
            index.adjust(ws, FRAMEWORK, org="RAA", period=2025, question="ad_story", points=9,
                         reason="too many", assessor="assessor@x")  # fmt: skip
        index.adjust(ws, FRAMEWORK, org="raa", period=2025, question="ad_story", points=2,
                     reason="Leads a network", assessor="assessor@x")  # fmt: skip
        kept = index.stored_submissions(ws, FRAMEWORK)
        assert [s.org for s in kept] == ["RAA", "RBB"]
        assert kept[0].adjustments[0].reason == "Leads a network"
        scores = {s.org: s for s in index.workspace_scores(ws, FRAMEWORK)}
        advocacy = scores["RAA"].sections[-1]
        assert advocacy.points == 2 and advocacy.questions[1].assessor == "assessor@x"
        assert scores["RAA"].sections[0].points == 3
        log = [(e.user, e.action, e.detail) for e in ws.audit_log()]
        assert ("employer@a", "index_save", "RAA: social_mobility_employer 2025 (submitted)") in log
        assert (
            "assessor@x",
            "index_adjust",
            "RAA: social_mobility_employer 2025 ad_story = 2 (Leads a network)",
        ) in log
        # save and return: a form saved as a draft, then changed
        problems = index.save_form(ws, FRAMEWORK, org="RBB", period=2025,
                                   form={"yp_outreach": "nonsense"}, user="b")  # fmt: skip
        assert problems and "'nonsense' is not an option" in problems[0].message
        assert index.save_form(ws, FRAMEWORK, org="RBB", period=2025,
                               form={"yp_outreach": "targeted", "yp_activities": "talks,mentoring",
                                     "ri_no_degree": "yes", "ri_apprenticeships.evidence":
                                     "a.pdf\nhttps://x"}, user="b") == []  # fmt: skip
        rbb = index.stored_submissions(ws, FRAMEWORK, org="RBB")[0]
        assert rbb.answers["yp_activities"].value == ["talks", "mentoring"]
        assert rbb.answers["ri_apprenticeships"].evidence == ("a.pdf", "https://x")
        assert rbb.name == "RBB Trust"  # kept from the first submission
    finally:
        ws.close()


def test_cli_submit_and_adjust(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(tmp_path / "ws")]).exit_code == 0
    path = answers(tmp_path, "RAA", "answers: {yp_outreach: targeted}\n", framework=FRAMEWORK)
    done = runner.invoke(app, ["index", "submit", str(tmp_path / "ws"), FRAMEWORK, str(path)])
    assert done.exit_code == 0, done.output
    refused = runner.invoke(app, ["index", "adjust", str(tmp_path / "ws"), FRAMEWORK, "--org",
                                  "RAA", "--period", "2025", "--question", "ad_story",
                                  "--points", "1", "--reason", ""])  # fmt: skip
    assert refused.exit_code == 1 and "needs a reason" in refused.output


def test_rank_and_publish_the_kept_submissions(tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    ws = str(tmp_path / "ws")
    assert runner.invoke(app, ["init", ws]).exit_code == 0
    files = [
        answers(tmp_path, "RAA", "answers: {yp_outreach: targeted}\n", framework=FRAMEWORK,
                name="Alpha Hospital"),
        answers(tmp_path, "RBB", "answers: {yp_outreach: untargeted}\n", framework=FRAMEWORK,
                name="Beta Hospital"),
    ]  # fmt: skip
    assert runner.invoke(app, ["index", "submit", ws, FRAMEWORK, *map(str, files)]).exit_code == 0
    ranked = runner.invoke(app, ["index", "rank", FRAMEWORK, "--stored", ws, "--top", "1",
                                 "--draws", "50", "-f", "json"])  # fmt: skip
    assert ranked.exit_code == 0, ranked.output
    entries = json.loads(ranked.stdout)["entries"]
    assert [(e["org"], e["rank"], e["published"]) for e in entries] == [
        ("RAA", 1, True), ("RBB", 2, False),
    ]  # fmt: skip
    out = tmp_path / "public"
    done = runner.invoke(app, ["index", "publish", FRAMEWORK, "--stored", ws, "--top", "1",
                               "--out", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "Alpha Hospital" in text and "Beta" not in text and "RBB" not in text
    none = runner.invoke(app, ["index", "rank", FRAMEWORK])
    assert none.exit_code == 1 and "no submissions" in none.output
