"""Periods and re-publication (issue 12 item 3): the same trust as 2024 and as 2025 less one
leaver. Published one after the other, nothing about the leaver can be worked out; `ladder
metrics` and `ladder report` on the workspace show the figures protected the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.disclosure.relations import published_values

ORG = "R1H"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """staff.csv of 2024 (300 staff) and of 2025: the same less one leaver."""
    out = tmp_path_factory.mktemp("periods")
    done = CliRunner().invoke(
        app, ["synth", "--out", str(out), "--orgs", "1", "--staff", "300", "--seed", "1"]
    )
    assert done.exit_code == 0, done.output
    staff = pl.read_csv(out / "staff.csv", infer_schema=False)
    leaver = staff.filter(pl.col("is_board_member") == "false").row(5, named=True)
    later = staff.filter(pl.col("staff_id") != leaver["staff_id"]).with_columns(
        snapshot_date=pl.lit("2025-03-31")
    )
    later.write_csv(out / "staff2025.csv")
    return out / "staff.csv", out / "staff2025.csv", leaver


def workspace(root: Path, files: tuple[Path, Path, dict[str, Any]]) -> Path:
    from ladder.app.workspace import create_workspace, import_file

    with create_workspace(root) as ws:
        assert import_file(ws, "staff", files[0], None, 2024, user="t").stored
        assert import_file(ws, "staff", files[1], None, 2025, user="t").stored
    return root


def changes(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[tuple[Any, float]]:
    """Figures published in both years whose count changed by 1..9 (and the change)."""
    first, second = published_values(a), published_values(b)
    return [
        (key, first[key][0] - value[0])
        for key, value in second.items()
        if key[0].startswith("figure ")
        and key[0] != "figure paysum"
        and key in first
        and 0 < abs(first[key][0] - value[0]) < 10
    ]


def test_one_leaver_is_not_isolated_and_metrics_show_the_same(
    files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    from ladder.app.disclosure import publish
    from ladder.app.results import results
    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.publication import unprotected
    from ladder.metrics.inputs import load

    root = workspace(tmp_path / "ws", files)
    first = publish(root, org=ORG, period=2024, threshold=10)
    assert first.against is None and first.audit.findings == []
    # the leak: 2025 protected on its own publishes populations one smaller
    loaded = load(root, org=ORG)
    try:
        raw = unprotected(loaded.context, periods=[2025])
    finally:
        loaded.close()
    alone = [r.to_dict() for r in protect.apply(raw, 10)]
    before = [r.to_dict() for r in first.results]
    leaks = changes(before, alone)
    assert leaks and {abs(d) for _k, d in leaks} == {1.0}
    # `ladder metrics` on the workspace (stored results) now protects 2025 against 2024
    shown = results(root, org=ORG, periods=[2025])
    assert shown.computed == []  # publishing recomputed the stored results once, not reading
    assert any("protected against R1H's publication of 2024" in n for n in shown.notes)
    second = publish(root, org=ORG, period=2025, threshold=10)
    assert second.against is not None and second.against[:2] == (ORG, (2024,))
    assert second.audit.findings == []
    published = [r.to_dict() for r in second.results]
    assert changes(before, published) == []  # no change of 1..9 published exactly
    again = results(root, org=ORG, periods=[2025])
    assert again.computed == []  # current straight after publishing: never per request
    by_key = {(r.id, r.group, tuple(r.breakdown.items())): r.suppressed for r in shown.results}
    assert by_key == {
        (r.id, r.group, tuple(r.breakdown.items())): r.suppressed for r in second.results
    }
    # the leaver's pay: no mean over a population the leaver left is published in both years
    means = {
        (r["id"], r["group"], tuple(sorted(r["breakdown"].items()))): r
        for r in before
        if r["measure"] == "mean" and r["value"] is not None
    }
    for r in published:
        key = (r["id"], r["group"], tuple(sorted(r["breakdown"].items())))
        if r["measure"] == "mean" and r["value"] is not None and key in means:
            assert means[key]["denominator"] == r["denominator"], key


def test_the_cli_shows_and_reports_the_protection(
    files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    root = workspace(tmp_path / "ws", files)
    runner = CliRunner()
    done = runner.invoke(app, ["publish", str(root), "--org", ORG, "--period", "2024"])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(app, ["metrics", str(root), "--period", "2025", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert "protected against R1H's publication of 2024" in shown.output
    report = runner.invoke(app, ["report", str(root), "--out", str(tmp_path / "r")])
    assert report.exit_code == 0, report.output
    assert "protected against R1H's publication of 2024" in " ".join(report.output.split())
    assert list((tmp_path / "r").glob("R1H-2025-*.html"))


def test_rounding_a_changed_figure_is_audited_clean(
    files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    """`--changes round`: some figures withheld for the leaver are published rounded to 20
    (multiples of 20, no interval), the notes say so once without naming them, and the
    audit that reads each rounded count as its interval finds nothing."""
    from ladder.app.disclosure import publish
    from ladder.metrics.disclosure.rounding import audit_rounded

    root = workspace(tmp_path / "ws", files)
    first = publish(root, org=ORG, period=2024, threshold=10)
    withheld = publish(root, org=ORG, period=2025, threshold=10)
    done = CliRunner().invoke(
        app, ["publish", str(root), "--org", ORG, "--period", "2025", "--changes", "round"]
    )
    assert done.exit_code == 0, done.output
    assert done.output.count("rounded to the nearest multiple of 20") == 1
    rounded = publish(root, org=ORG, period=2025, threshold=10, changes="round")
    assert rounded.rounded > 0
    assert (
        sum(r.suppressed for r in rounded.results)
        == sum(r.suppressed for r in withheld.results) - rounded.rounded
    )
    assert sum(n.startswith("Rounding:") for n in rounded.notes) == 1
    from ladder.metrics.disclosure.publication import unprotected
    from ladder.metrics.inputs import load

    loaded = load(root, org=ORG)
    try:
        raw = [r for r in unprotected(loaded.context, periods=[2025]) if r.org == ORG]
    finally:
        loaded.close()
    at = {
        pos
        for pos, (w, r) in enumerate(zip(withheld.results, rounded.results, strict=True))
        if w.suppressed and not r.suppressed
    }
    assert at == rounded.rounded_at and len(at) == rounded.rounded
    moved = 0
    for pos in at:
        r, t = rounded.results[pos], raw[pos]
        assert r.ci_lower is None and "rounded" not in (r.note or "")
        for role in ("numerator", "denominator"):
            got, true = getattr(r, role), getattr(t, role)
            if got != true:  # rounded (a count published exactly elsewhere is kept)
                assert got % 20 == 0 and -10 <= true - got < 10
                moved += 1
    assert moved > 0
    # audit again, as intervals, against the 2024 publication
    earlier = published_values([r.to_dict() for r in first.results])
    again = audit_rounded(
        [r.to_dict() for r in rounded.results],
        [r.to_dict() for r in raw],
        10,
        rounded_at=at,
        base=20,
        previous=earlier,
    )
    assert again.audit.findings == []
