"""The JSON API with a bearer token, the upload pages with a messy file, and the dashboard
from stored results (never computed on request)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import polars as pl
from fastapi import FastAPI
from typer.testing import CliRunner

from ladder.app import accounts
from ladder.cli.app import app as cli
from tests.store.conftest import staff_frame
from tests.web.conftest import ADMIN, ORG_A, client, csrf_of, email, sign_in


def _csv(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_csv(out)
    return out.getvalue()


def _messy() -> bytes:
    """40 staff rows of R1H; row 3 has pay band "Band 99", row 5 fte "lots", row 7 a
    religion no code list knows (a warning: the row is kept)."""
    frame = staff_frame(40, org=ORG_A, seed=5).with_columns(religion=pl.lit("Christianity"))
    frame = frame.with_columns(
        pay_band=pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("Band 99")).otherwise("pay_band"),
        fte=pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("lots")).otherwise("fte"),
        religion=pl.when(pl.int_range(pl.len()) == 5).then(pl.lit("Jedi?")).otherwise("religion"),
    )
    return _csv(frame)


def _bearer(app: FastAPI, who: str) -> dict[str, str]:
    return {"authorization": f"Bearer {accounts.create_token(app.state.workspace, who)}"}


def test_token_is_shown_once_and_stored_as_a_hash(app: FastAPI) -> None:
    from sqlalchemy import select

    from ladder.store.models import TokenRow

    token = accounts.create_token(app.state.workspace, email("viewer"))
    with app.state.workspace.session() as session:
        stored = list(session.scalars(select(TokenRow.token_hash)))
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64
    assert client(app).get(
        "/api/v1/orgs", headers={"authorization": "Bearer nope"}
    ).status_code == (401)


def test_api_lists_orgs_and_has_no_results_before_any_are_stored(app: FastAPI) -> None:
    c = client(app)
    headers = _bearer(app, email("assessor"))
    assert c.get("/api/v1/orgs", headers=headers).json() == [
        {"code": ORG_A, "href": f"/api/v1/orgs/{ORG_A}/results"}
    ]
    assert c.get(f"/api/v1/orgs/{ORG_A}/results", headers=headers).json() == []
    page = sign_in(app, email("assessor")).get(f"/orgs/{ORG_A}")
    assert "No results are stored for R1H yet" in page.text
    assert "An analyst of R1H needs to upload" in page.text


def test_api_upload_of_a_messy_file_returns_its_problems(app: FastAPI) -> None:
    response = client(app).post(
        f"/api/v1/orgs/{ORG_A}/uploads",
        headers=_bearer(app, email("analyst")),
        data={"kind": "staff", "period": "2025"},
        files={"file": ("messy.csv", _messy(), "text/csv")},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "invalid" and body["rows_stored"] == 0 and body["rows_read"] == 40
    errors = {(p["row"], p["column"], p["value"]) for p in body["errors"]}
    assert errors == {(3, "pay_band", "Band 99"), (5, "fte", "lots")}
    assert [(p["row"], p["column"], p["value"]) for p in body["warnings"]] == [
        (7, "religion", "Jedi?")
    ]
    assert all(p["file"] == "messy.csv" and p["hint"] for p in body["errors"])


def test_api_upload_stores_and_results_are_those_of_ladder_metrics(
    app: FastAPI, web_workspace: Path
) -> None:
    headers = _bearer(app, email("analyst"))
    c = client(app)
    good = _csv(staff_frame(60, org=ORG_A, seed=9))
    response = c.post(
        f"/api/v1/orgs/{ORG_A}/uploads",
        headers=headers,
        data={"kind": "staff", "period": "2024"},
        files={"file": ("staff.csv", good, "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "stored" and response.json()["rows_stored"] == 60
    api = c.get(f"/api/v1/orgs/{ORG_A}/results", headers=headers).json()
    assert api and {r["org"] for r in api} == {ORG_A}
    run = CliRunner().invoke(cli, ["metrics", str(web_workspace), "--org", ORG_A, "-f", "json"])
    assert run.exit_code == 0, run.output
    assert api == json.loads(run.stdout)
    only = c.get(f"/api/v1/orgs/{ORG_A}/results?period=2023", headers=headers).json()
    assert only == [r for r in api if r["period"] == 2023]
    # the dashboard shows the stored headline figures (their wording: test_dashboard.py)
    page = sign_in(app, email("viewer")).get(f"/orgs/{ORG_A}")
    assert "Headline indicators, 2024" in page.text
    assert any(r["id"] == "paygap.sex.mean_hourly" and not r["breakdown"] for r in api)
    assert "Gender pay gap, mean" in page.text


def test_upload_page_shows_the_error_summary_then_quarantines(app: FastAPI) -> None:
    c = sign_in(app, email("analyst"))
    form = c.get(f"/orgs/{ORG_A}/upload")
    assert "at most 20 MB" in form.text
    checked = c.post(
        f"/orgs/{ORG_A}/upload",
        data={"kind": "staff", "period": "2025", "csrf_token": csrf_of(form.text)},
        files={"file": ("messy.csv", _messy(), "text/csv")},
    )
    assert checked.status_code == 200
    html = checked.text
    assert "There is a problem" in html
    assert '<a href="#errors-1">Row 3, pay_band ("Band 99"): not a recognised pay band</a>' in html
    assert 'id="errors-1"' in html and 'id="errors-2"' in html
    assert "Warnings (the rows are stored" in html and "Jedi?" in html
    action = re.search(r'action="(/orgs/R1H/upload/[^"]+)"', html)
    assert action
    stored = c.post(
        action.group(1),
        data={
            "csrf_token": csrf_of(html),
            "kind": "staff",
            "period": "2025",
            "action": "quarantine",
        },
    )
    assert stored.status_code == 200
    assert "38 rows of staff 2025 stored, 2 set aside" in stored.text
    # the upload was used up: confirming again finds nothing
    again = c.post(
        action.group(1),
        data={"csrf_token": csrf_of(html), "kind": "staff", "period": "2025", "action": "store"},
    )
    assert again.status_code == 404
    log = app.state.workspace.audit_log()
    assert any(e.action == "staff_read" and e.user == email("analyst") for e in log)


def test_upload_refuses_other_organisations_rows_and_bad_requests(app: FastAPI) -> None:
    c = sign_in(app, email("analyst"))
    csrf = csrf_of(c.get(f"/orgs/{ORG_A}/upload").text)
    mixed = _csv(staff_frame(10, org=[ORG_A, "RQX"]))
    page = c.post(
        f"/orgs/{ORG_A}/upload",
        data={"kind": "staff", "period": "2024", "csrf_token": csrf},
        files={"file": ("mixed.csv", mixed, "text/csv")},
    )
    assert "the file has rows of other organisations than R1H" in page.text
    assert "/upload/" not in page.text.split("</h1>", 1)[1]  # nothing offered to store
    empty = c.post(f"/orgs/{ORG_A}/upload", data={"csrf_token": csrf, "period": "twenty"})
    assert empty.status_code == 400
    for text in ("Select the dataset", "Enter the year as 4 digits", "Select a CSV or Excel"):
        assert text in empty.text
    odd = c.post(
        f"/orgs/{ORG_A}/upload",
        data={"kind": "staff", "period": "2024", "csrf_token": csrf},
        files={"file": ("staff.exe", b"MZ", "application/octet-stream")},
    )
    assert odd.status_code == 400 and "upload a CSV (.csv) or Excel (.xlsx) file" in odd.text


def test_upload_larger_than_the_limit_is_refused(app: FastAPI, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ladder.app import uploads

    monkeypatch.setattr(uploads, "MAX_BYTES", 1000)
    c = client(app)
    response = c.post(
        f"/api/v1/orgs/{ORG_A}/uploads",
        headers=_bearer(app, ADMIN),
        data={"kind": "staff", "period": "2024"},
        files={"file": ("big.csv", _csv(staff_frame(200, org=ORG_A)), "text/csv")},
    )
    assert response.status_code == 413
    assert not list((app.state.workspace.root / uploads.UPLOADS).glob("*"))


def test_openapi_documents_the_api(app: FastAPI) -> None:
    spec = client(app).get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/v1/orgs",
        "/api/v1/orgs/{code}/results",
        "/api/v1/orgs/{code}/uploads",
        "/api/v1/orgs/{code}/reports",
    }
