"""Overlapping organisations published side by side (issue 12 item 3): the same trust under
two codes, the second less three people (a trust published twice with different
boundaries). Each publication alone is clean; together they give the three away unless the
second is protected beside the first — and Ladder audits them together before publishing."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ladder.cli.app import app

A, B = "R1H", "RR8"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("overlap")
    done = CliRunner().invoke(
        app, ["synth", "--out", str(out / "synth"), "--orgs", "1", "--staff", "300", "--seed", "1"]
    )
    assert done.exit_code == 0, done.output
    staff = pl.read_csv(out / "synth" / "staff.csv", infer_schema=False)
    gone = staff.filter(pl.col("is_board_member") == "false").head(3)["staff_id"].to_list()
    second = staff.filter(~pl.col("staff_id").is_in(gone)).with_columns(org_code=pl.lit(B))
    (out / "data").mkdir()
    pl.concat([staff, second]).write_csv(out / "data" / "staff.csv")
    return out / "data"


def test_the_audit_side_by_side_finds_the_three_people(data: Path) -> None:
    """Protected each on its own, A − B is the three people: their number, and counts of
    them by group, come out of the two publications (exact: staff headcount 3)."""
    done = CliRunner().invoke(
        app, ["audit", "disclosure", str(data), "--org", A, "--org", B, "--format", "json"]
    )
    assert done.exit_code == 1, done.output
    found = json.loads(done.output)
    assert found["findings"] > 0
    assert {p["org"] for p in found["publications"]} == {A, B}
    total = [
        f
        for f in found["items"]
        if f["what"] == f"count of staff headcount [all]: people in {A} only"
    ]
    assert total and total[0]["exact"] and total[0]["low"] == 3
    assert any(f"{A} = {A}&{B} + {A}-{B}" in w for w in total[0]["why"])


def workspace(root: Path, data: Path) -> Path:
    from ladder.app.workspace import create_workspace, import_file

    with create_workspace(root) as ws:
        assert import_file(ws, "staff", data / "staff.csv", None, 2024, user="t").stored
    return root


def test_publish_protects_beside_an_overlapping_publication(data: Path, tmp_path: Path) -> None:
    """B published after A: B reads A's published values as its previous publication and
    withholds what A withheld; the joint audit then finds nothing, and the notes say so."""
    from ladder.app.disclosure import publish

    root = workspace(tmp_path / "ws", data)
    first = publish(root, org=A, period=2024, threshold=10)
    second = publish(root, org=B, period=2024, threshold=10)
    assert second.audit.findings == []
    assert any(f"protected beside {A}'s publication of 2024" in n for n in second.notes)
    hidden_a = {(r.id, r.group, tuple(r.breakdown.items())) for r in first.results if r.suppressed}
    shown_b = {(r.id, r.group, tuple(r.breakdown.items())): r.suppressed for r in second.results}
    assert all(shown_b.get(k, True) for k in hidden_a)  # A's withheld figures withheld in B


def test_publish_refuses_what_the_joint_audit_breaks(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the protection beside A (B protected on its own), the joint audit recovers
    the three people and nothing is recorded."""
    from ladder.app.disclosure import PublicationRefused, publish
    from ladder.metrics.disclosure import overlap
    from ladder.store import Workspace
    from ladder.store.publications import publications

    root = workspace(tmp_path / "ws", data)
    publish(root, org=A, period=2024, threshold=10)
    monkeypatch.setattr(overlap, "as_previous", lambda _earlier, _org: {})
    monkeypatch.setattr(overlap, "withheld_figures", lambda _records: set())
    with pytest.raises(PublicationRefused) as refused:
        publish(root, org=B, period=2024, threshold=10)
    text = str(refused.value)
    assert f"beside {A}'s publication" in text and f"people in {A} only" in text
    with Workspace.open(root) as ws:
        assert publications(ws, B) == []
