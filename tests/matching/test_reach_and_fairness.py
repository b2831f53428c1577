"""Whom the tool reaches (counters only, suppressed views) and whether matches differ by
group (the indicator engine's statistics and suppression), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import inspect

from ladder.app.careers import count_use, fairness_view, reach_view
from ladder.matching.fairness import GroupCount, fairness_results
from ladder.matching.person import person_from_dict
from ladder.matching.rank import Index, match
from ladder.metrics.stats import wilson
from ladder.store import Workspace
from ladder.store.careers import fairness_counts, reach_counts
from tests.matching.conftest import TODAY, carer
from tests.store.conftest import database_url, postgres_database, workspace, workspace_dir

__all__ = ["database_url", "postgres_database", "workspace", "workspace_dir"]


def test_a_use_is_counted_without_storing_who(workspace: Workspace, index: Index) -> None:
    person = person_from_dict(carer(characteristics={"sex": "female", "ethnicity": "A"}))
    result = match(person, index, top=3, today=TODAY)
    for _ in range(12):
        count_use(workspace, person, result, today=TODAY)
    every = reach_counts(workspace, "*")
    assert [(r.lsoa21, r.imd_decile, r.uses) for r in every] == [("E01004322", 3, 12)]
    shown = {m.opening.org_code for m in result.matches}
    for org in shown:
        assert reach_counts(workspace, org)[0].uses == 12
    # the tables hold counters only: no postcode, no text, no characteristic with an area
    columns = {
        table: {c["name"] for c in inspect(workspace.engine).get_columns(table)}
        for table in ("careers_reach", "careers_fairness")
    }
    assert columns["careers_reach"] == {"id", "day", "org_code", "lsoa21", "imd_decile", "uses"}
    assert columns["careers_fairness"] == {
        "id", "day", "dimension", "grp", "uses", "matched", "good"
    }  # fmt: skip
    counts = {(c.dimension, c.group): c.uses for c in fairness_counts(workspace)}
    assert counts == {("ethnicity", "A"): 12, ("sex", "female"): 12}


def test_the_reach_view_withholds_small_counts(workspace: Workspace, index: Index) -> None:
    near = person_from_dict(carer())
    far = person_from_dict(carer(postcode="LS1 3EX"))
    for _ in range(11):
        count_use(workspace, near, match(near, index, today=TODAY), today=TODAY)
    for _ in range(3):
        count_use(workspace, far, match(far, index, today=TODAY), today=TODAY)
    view = reach_view(workspace, None)
    assert view.total == 14
    deciles = {d.decile: d for d in view.deciles}
    assert deciles[3].uses == 11 and deciles[3].share == pytest.approx(100 * 11 / 14, abs=0.1)
    assert deciles[5].uses is None and deciles[5].share is None  # 3 uses: withheld
    assert [n[0] for n in view.neighbourhoods] == ["E01004322"]


def test_fairness_figures_use_wilson_and_suppress_small_groups() -> None:
    counts = [
        GroupCount("sex", "female", 40, 36, 20),
        GroupCount("sex", "male", 30, 24, 9),
        GroupCount("sex", "other", 4, 3, 1),
    ]
    figures = fairness_results(counts)
    by = {(f.id, f.group): f for f in figures}
    female = by[("careers.fairness.matched", "female")]
    ci = wilson(36, 40)
    assert female.value == 90.0 and female.numerator == 36 and female.denominator == 40
    assert female.ci_lower == round(100 * ci.lower, 2)  # type: ignore[operator]
    assert by[("careers.fairness.matched", "other")].suppressed
    rl = by[("careers.fairness.good_likelihood", "female:others")]
    # female 20/40 against everyone else 10/34: (0.5) / (10/34) = 1.7
    assert rl.value == pytest.approx(1.7, abs=0.001)
    assert rl.suppressed is False


def test_the_fairness_view_reads_the_counters(workspace: Workspace, index: Index) -> None:
    person = person_from_dict(carer(characteristics={"sex": "male"}))
    result = match(person, index, today=TODAY)
    for _ in range(10):
        count_use(workspace, person, result, today=dt.date(2027, 1, 1))
    figures = {(f.id, f.group): f for f in fairness_view(workspace)}
    matched = figures[("careers.fairness.matched", "male")]
    assert (matched.numerator, matched.denominator, matched.suppressed) == (10, 10, False)


def test_importing_vacancies_leaves_the_stored_results_current(
    workspace: Workspace, tmp_path: Path
) -> None:
    from ladder.store.results import data_version
    from tests.matching.conftest import frames
    from tests.store.conftest import staff_frame

    staff = tmp_path / "staff.csv"
    staff_frame(20, org="R1H").write_csv(staff)
    assert workspace.import_file("staff", staff, "R1H", 2024).stored
    before = data_version(workspace, "R1H")
    vacancies = tmp_path / "vacancies.csv"
    frames()[0].filter(pl.col("org_code") == "R1H").write_csv(vacancies)
    assert workspace.import_file("vacancies", vacancies, None, 2027).stored
    assert data_version(workspace, "R1H") == before


def test_reach_against_the_catchment_and_its_most_deprived_neighbourhoods() -> None:
    from ladder.matching.reach import reach
    from ladder.place.catchment import default_catchment
    from ladder.place.neighbourhoods import priority_lsoas

    catchment = default_catchment("R1H")
    assert catchment is not None
    most = priority_lsoas(catchment, 10).get_column("lsoa21").to_list()
    counts = [(most[0], 1, 15), ("E01004322", 3, 12), ("E01033008", 5, 4), ("", None, 2)]
    view = reach("R1H", counts)
    assert view.total == 33 and view.unknown_area is None  # 2 unknown: withheld
    assert view.priority == 15
    assert view.priority_share == pytest.approx(100 * 15 / 31, abs=0.1)
    assert view.in_catchment == 27  # LS1 3EX (Leeds) is outside Barts Health's catchment
    shares = [d.catchment_share for d in view.deciles]
    assert sum(s for s in shares if s is not None) == pytest.approx(100, abs=0.5)
    assert view.priority_population_share is not None and 0 < view.priority_population_share < 100


def test_one_address_cannot_inflate_the_counters() -> None:
    from ladder.app.careers import UseLimiter

    limiter = UseLimiter(limit=2, window=60)
    assert [limiter.allow("10.0.0.1", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert limiter.allow("10.0.0.2", now=3)  # another address
    assert limiter.allow("10.0.0.1", now=62)  # the window has passed
    assert all("10.0.0" not in key for key in limiter._seen)  # only keyed hashes are held
