"""The programme pages: a programme team's uploaded participants give the same funnel and
evaluation as the CLI; other organisations see nothing; roles as everywhere."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from tests.programmes.conftest import pilot
from tests.web.conftest import ORG_A, ORG_B, email, sign_in

HEADLINE = (
    "Of 127 people who engaged, 60 (47%) completed pre-employment training and 49 (39%) "
    "were recruited"
)


def _store_participants(app: FastAPI, tmp_path: Path) -> None:
    path = tmp_path / "participants.csv"
    pilot(org=ORG_A).write_csv(path)
    assert app.state.workspace.import_file("participants", path, ORG_A, 2024).stored


def test_the_page_and_the_download_show_the_funnel(app: FastAPI, tmp_path: Path) -> None:
    _store_participants(app, tmp_path)
    viewer = sign_in(app, email("viewer", ORG_A))
    page = viewer.get(f"/orgs/{ORG_A}/programmes")
    assert page.status_code == 200
    assert HEADLINE in page.text
    assert "38.8–55.9%" in page.text  # the Wilson interval of 60/127, as in the CLI
    assert f"/orgs/{ORG_A}/programmes/report?programme=Lincoln%20Green%20pilot" in page.text
    report = viewer.get(
        f"/orgs/{ORG_A}/programmes/report", params={"programme": "Lincoln Green pilot"}
    )
    assert report.status_code == 200
    assert "attachment" in report.headers["content-disposition"]
    assert HEADLINE in report.text
    missing = viewer.get(f"/orgs/{ORG_A}/programmes/report", params={"programme": "Nope"})
    assert missing.status_code == 404


def test_an_analyst_is_shown_the_way_to_upload(app: FastAPI) -> None:
    analyst = sign_in(app, email("analyst", ORG_A))
    page = analyst.get(f"/orgs/{ORG_A}/programmes")
    assert page.status_code == 200
    assert "No programme participants are stored" in page.text
    assert f'href="/orgs/{ORG_A}/upload"' in page.text


def test_another_organisation_sees_nothing(app: FastAPI, tmp_path: Path) -> None:
    _store_participants(app, tmp_path)
    other = sign_in(app, email("analyst", ORG_B))
    assert other.get(f"/orgs/{ORG_A}/programmes").status_code == 404
    response = other.get(
        f"/orgs/{ORG_A}/programmes/report", params={"programme": "Lincoln Green pilot"}
    )
    assert response.status_code == 404
    assert "Lincoln" not in response.text
