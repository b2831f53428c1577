"""``ladder match`` as a user runs it, on files written as ``ladder synth`` writes them, and
the synthetic careers datasets valid against the contract."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.io.validate import validate_file
from ladder.synth import SynthConfig, generate
from tests.matching.conftest import carer, frames

runner = CliRunner()


def _folder(tmp_path: Path) -> Path:
    vacancies, routes = frames()
    folder = tmp_path / "data"
    folder.mkdir()
    vacancies.write_csv(folder / "vacancies.csv")
    routes.write_csv(folder / "routes.csv")
    return folder


def _person(tmp_path: Path, **fields: object) -> Path:
    path = tmp_path / "person.json"
    path.write_text(json.dumps(carer(**fields)), encoding="utf-8")
    return path


def test_match_json_with_reasons_and_exclusions(tmp_path: Path) -> None:
    folder, person = _folder(tmp_path), _person(tmp_path)
    args = ["match", str(folder), "--person", str(person), "--top", "2", "--on", "2027-01-10"]
    result = runner.invoke(app, [*args, "--format", "json", "--explain-excluded"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [m["id"] for m in doc["matches"]] == ["V8", "V2"]
    assert doc["considered"] == 11 and doc["eligible"] == 5
    assert "The site is 1.0 mile from your postcode" in doc["matches"][1]["reasons"]
    excluded = {e["id"]: e for e in doc["excluded"]}
    assert excluded["V6"]["rules"] == ["open"]
    assert excluded["V6"]["reasons"] == ["This job closed on 3 January 2027"]
    assert "wordllama" in doc["model"]


def test_match_table_names_the_matches(tmp_path: Path) -> None:
    folder, person = _folder(tmp_path), _person(tmp_path)
    result = runner.invoke(
        app, ["match", str(folder), "--person", str(person), "--on", "2027-01-10"]
    )
    assert result.exit_code == 0, result.output
    assert "5 of 11 jobs and routes are open to you" in result.output
    assert "Senior healthcare support worker" in result.output


def test_a_person_file_without_the_right_to_work_answer_is_a_clear_error(tmp_path: Path) -> None:
    data = carer()
    del data["right_to_work"]
    person = tmp_path / "p.json"
    person.write_text(json.dumps(data))
    result = runner.invoke(app, ["match", str(_folder(tmp_path)), "--person", str(person)])
    assert result.exit_code == 2
    assert "right_to_work: not answered" in result.output
    assert "Traceback" not in result.output


def test_a_folder_without_vacancies_or_routes_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", str(tmp_path), "--person", str(_person(tmp_path))])
    assert result.exit_code == 2
    assert "holds no vacancies or routes" in result.output


def test_synthetic_vacancies_and_routes_are_valid(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    generate(SynthConfig(out=out, trusts=("R1H",), staff=300, seed=5))
    for kind in ("vacancies", "routes"):
        checked = validate_file(out / f"{kind}.csv", kind)
        assert checked.problems == [] and checked.rows_read >= 5, kind
    vac = validate_file(out / "vacancies.csv", "vacancies").valid_rows()
    assert set(vac.get_column("registration_required")) <= {"none", "NMC", "HCPC", "GMC"}
    assert vac.get_column("closing_date").min() is not None
    routes = validate_file(out / "routes.csv", "routes").valid_rows()
    assert routes.get_column("english_support").any()  # someone serves English learners


def test_match_reach_prints_the_counters_withheld_under_10(tmp_path: Path) -> None:
    from ladder.app.careers import count_use
    from ladder.matching.person import person_from_dict
    from ladder.matching.rank import build_index, match
    from ladder.store import Workspace
    from tests.matching.conftest import TODAY, openings

    index = build_index(openings())
    person = person_from_dict(carer(characteristics={"sex": "female"}))
    result = match(person, index, today=TODAY)
    with Workspace.init(tmp_path / "ws") as ws:
        for _ in range(12):
            count_use(ws, person, result, today=TODAY)
        far = person_from_dict(carer(postcode="LS1 3EX"))
        count_use(ws, far, match(far, index, today=TODAY), today=TODAY)
    out = runner.invoke(app, ["match-reach", str(tmp_path / "ws")])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["uses"] == 13 and doc["org"] == "*"
    deciles = {d["decile"]: d for d in doc["deciles"]}
    assert deciles[3]["uses"] == 12 and deciles[5]["uses"] is None
    assert doc["neighbourhoods"] == [
        {"lsoa21": "E01004322", "name": "Tower Hamlets 017A", "uses": 12}
    ]
    female = [f for f in doc["fairness"] if f["group"] == "female" and f["id"].endswith("matched")]
    assert female[0]["numerator"] == 12 and female[0]["suppressed"] is False
    by_org = json.loads(
        runner.invoke(app, ["match-reach", str(tmp_path / "ws"), "--org", "R1H"]).output
    )
    assert by_org["catchment"] is not None  # Barts Health's local authorities


def test_match_reads_a_workspace(tmp_path: Path) -> None:
    from ladder.store import Workspace

    folder = _folder(tmp_path)
    with Workspace.init(tmp_path / "ws") as ws:
        for kind in ("vacancies", "routes"):
            assert ws.import_file(kind, folder / f"{kind}.csv", None, 2027).stored
    args = ["match", str(tmp_path / "ws"), "--person", str(_person(tmp_path)), "--top", "2"]
    result = runner.invoke(app, [*args, "--on", "2027-01-10", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [m["id"] for m in json.loads(result.output)["matches"]] == ["V8", "V2"]
