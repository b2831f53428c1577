"""The dashboard reads the stored results (hand-made here) and words them."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ladder.app import dashboard
from ladder.metrics import Result, Settings
from ladder.metrics.results import Measure, Unit
from ladder.metrics.stored import settings_key, stored_version
from ladder.metrics.table import results_frame
from ladder.store import Workspace
from ladder.store import results as store
from tests.web.conftest import ORG_A, email, sign_in


def _rl(id_: str, group: str, low: float, high: float, value: float) -> Result:
    return Result(
        id=id_,
        title=id_,
        org=ORG_A,
        period=2024,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        value=value,
        method="test",
        group=group,
        numerator=30,
        denominator=100,
        reference_numerator=20,
        reference_denominator=100,
        ci_lower=low,
        ci_upper=high,
    )


HAND_MADE = [
    _rl("wres.2", "White:BME", 1.2, 2.3, 1.5),  # interval above 1: White staff more likely
    _rl("wres.3", "BME:White", 0.7, 1.4, 1.0),  # interval includes 1
    _rl("wres.4", "White:BME", 0.4, 0.9, 0.6).suppress("fewer than 10 people"),
]


def _store(ws: Workspace) -> None:
    version = store.data_version(ws, ORG_A)
    assert version is not None
    store.write_sets(
        ws,
        ORG_A,
        {2024: results_frame(HAND_MADE)},
        settings_key=settings_key(Settings()),
        method_version=stored_version(),
        data_version=version,
        skipped=[],
    )


def test_readings() -> None:
    assert [dashboard.reading(r) for r in HAND_MADE] == [
        "White staff more likely",
        "no evidence of difference",
        "withheld",
    ]
    assert dashboard.reading(_rl("wres.2", "White:BME", 0.5, 0.8, 0.6)) == "BME staff more likely"


def test_dashboard_of_stored_results(web_workspace: Path) -> None:
    with Workspace.open(web_workspace) as ws:
        assert dashboard.dashboard(ws, ORG_A).empty
        _store(ws)
        board = dashboard.dashboard(ws, ORG_A)
    assert (board.period, board.periods, board.stale) == (2024, [2024], False)
    assert [(r.label, r.value, r.interval, r.counts, r.reading) for r in board.rows] == [
        (
            "WRES 2 appointed (W:BME)",
            "1.50",
            "1.20–2.30",
            "30/100; 20/100",
            "White staff more likely",
        ),
        (
            "WRES 3 disciplinary (BME:W)",
            "1.00",
            "0.70–1.40",
            "30/100; 20/100",
            "no evidence of difference",
        ),
        ("WRES 4 training (W:BME)", "withheld", "", "", "withheld"),
    ]


def test_dashboard_page_and_a_later_import_marks_it_stale(
    app: FastAPI, web_workspace: Path, tmp_path: Path
) -> None:
    ws = app.state.workspace
    _store(ws)
    page = sign_in(app, email("assessor")).get(f"/orgs/{ORG_A}").text
    assert "Headline indicators, 2024" in page
    assert "no evidence of difference" in page and "White staff more likely" in page
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">withheld</strong>' in page
    assert "Data were imported after" not in page
    from tests.store.conftest import staff_frame

    path = tmp_path / "more.csv"
    staff_frame(12, org=ORG_A, seed=3).write_csv(path)
    assert ws.import_file("staff", path, ORG_A, 2023).stored
    page = sign_in(app, email("viewer")).get(f"/orgs/{ORG_A}").text
    assert "Data were imported after these results were computed" in page
    assert "1.20–2.30" in page  # still the stored figures: nothing computed on request
