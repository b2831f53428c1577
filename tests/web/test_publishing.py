"""The report lifecycle: a watermarked draft, publishing refused by the disclosure audit
(with the figures shown) or done, revisions kept, withdrawal with a reason, all audited;
the dashboard's charts with table views; the reports API."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from ladder.app import dashboard, publishing
from ladder.app.results import stored_results
from tests.web.conftest import ORG_A, csrf_of, email, sign_in

FINDING = {
    "org": ORG_A,
    "period": 2024,
    "what": "count of staff headcount [pay_band=Band 2]",
    "low": 4.0,
    "high": 9.0,
    "exact": False,
    "figures": ["wres.1 BME (pay_band=Band 2)", "wres.1 White (pay_band=Band 2)"],
    "why": ["sum over ethnicity"],
}


@pytest.fixture
def stored(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """A's results computed and stored (as an upload does), and PDFs written as a stub
    (WeasyPrint is slow; the demo and the report tests build real ones)."""
    stored_results(app.state.workspace, org=ORG_A)

    def fake_pdf(html: str, path: Path) -> None:
        path.write_bytes(b"%PDF-1.7 " + html[:20].encode())

    import ladder.reports.pdf

    monkeypatch.setattr(ladder.reports.pdf, "write_pdf", fake_pdf)
    return app


def _post(c: Any, path: str, **data: str) -> Any:
    csrf = csrf_of(c.get("/orgs").text)
    return c.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)


@pytest.mark.slow
def test_draft_publish_refused_publish_withdraw(
    stored: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = sign_in(stored, email("analyst"))
    base = f"/orgs/{ORG_A}/reports"
    assert _post(analyst, base, period="2024").status_code == 303
    draft = analyst.get(f"{base}/2024/1/html")
    assert draft.status_code == 200 and 'class="ladder-draft"' in draft.text
    assert "Draft: not published" in draft.text
    assert "attachment" in draft.headers["content-disposition"]
    assert analyst.get(f"{base}/2024/1/xlsx").content[:2] == b"PK"
    assert analyst.get(f"{base}/2024/1/pdf").content.startswith(b"%PDF")

    # an assessor sees no draft
    assessor = sign_in(stored, email("assessor"))
    assert assessor.get(f"/api/v1/orgs/{ORG_A}/reports").json() == []
    assert assessor.get(f"{base}/2024/1/html").status_code == 404

    # the audit finds a withheld figure that could be worked out: refused, figures shown
    monkeypatch.setattr(publishing, "disclosure_findings", lambda *a, **k: [FINDING])
    refused = _post(analyst, f"{base}/2024/publish")
    assert refused.status_code == 409
    assert "There is a problem" in refused.text
    assert "count of staff headcount [pay_band=Band 2]" in refused.text
    assert "4 to 9" in refused.text and "wres.1 BME (pay_band=Band 2)" in refused.text
    (report,) = analyst.get(f"/api/v1/orgs/{ORG_A}/reports").json()
    assert report["status"] == "draft"

    # a viewer may not publish
    viewer = sign_in(stored, email("viewer"))
    assert _post(viewer, f"{base}/2024/publish").status_code == 403

    monkeypatch.setattr(publishing, "disclosure_findings", lambda *a, **k: [])
    assert _post(analyst, f"{base}/2024/publish").status_code == 303
    published = analyst.get(f"{base}/2024/1/html").text
    assert 'class="ladder-draft"' not in published and "equality report" in published
    (report,) = assessor.get(f"/api/v1/orgs/{ORG_A}/reports").json()
    assert report["status"] == "published"
    assert [(r["number"], r["state"]) for r in report["revisions"]] == [(1, "published")]

    # a second revision: the draft beside the published one, then published too
    assert _post(analyst, base, period="2024").status_code == 303
    assert _post(analyst, f"{base}/2024/publish").status_code == 303
    (report,) = analyst.get(f"/api/v1/orgs/{ORG_A}/reports").json()
    assert [(r["number"], r["state"]) for r in report["revisions"]] == [
        (2, "published"),
        (1, "published"),
    ]

    # withdrawing needs a reason; the revisions are kept
    no_reason = _post(analyst, f"{base}/2024/withdraw", reason=" ")
    assert no_reason.status_code == 400 and "give the reason" in no_reason.text
    assert (
        _post(analyst, f"{base}/2024/withdraw", reason="A data error in band 5").status_code == 303
    )
    (report,) = analyst.get(f"/api/v1/orgs/{ORG_A}/reports").json()
    assert report["status"] == "withdrawn"
    assert report["withdrawn_reason"] == "A data error in band 5"
    assert len(report["revisions"]) == 2
    assert "Reason: A data error in band 5" in analyst.get(base).text
    assert assessor.get(f"/api/v1/orgs/{ORG_A}/reports").json() == []

    actions = [e.action for e in stored.state.workspace.audit_log()]
    for action in (
        "report_draft",
        "report_refused",
        "report_published",
        "report_withdrawn",
        "report_download",
    ):
        assert action in actions, action


def test_the_publish_check_is_the_disclosure_audit(stored: FastAPI) -> None:
    """The one publish-time check runs ladder.app.disclosure's audit on the stored data."""
    findings = publishing.disclosure_findings(stored.state.workspace, ORG_A, 2024, 10)
    assert isinstance(findings, list)
    for f in findings:
        assert f["org"] == ORG_A and f["period"] == 2024 and f["figures"]


def test_dashboard_charts_have_table_views(stored: FastAPI) -> None:
    page = sign_in(stored, email("viewer")).get(f"/orgs/{ORG_A}")
    assert page.status_code == 200
    text = page.text
    charts = re.findall(r'<img src="(/orgs/R1H/charts/2024/\d+\?v=\w+)"', text)
    assert charts
    assert text.count("Table view: ") == len(charts)
    image = sign_in(stored, email("viewer")).get(charts[0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/svg+xml"
    assert image.text.lstrip().startswith("<svg") and 'role="img"' in image.text
    assert image.headers["cache-control"] == "private, max-age=86400"
    assert "Headline indicators, 2024" in text
    assert "Workforce Race Equality Standard (WRES)" in text
    assert f'href="/orgs/{ORG_A}/reports"' in text
    # a second view renders nothing again (the sections are kept until the results change)
    ws = stored.state.workspace
    first = dashboard.sections(ws, ORG_A, 2024)
    assert dashboard.sections(ws, ORG_A, 2024) is first


def test_peers_only_when_enough_organisations(stored: FastAPI) -> None:
    """Two organisations: A's dashboard shows no position among peers (B's figure would be
    the range)."""
    ws = stored.state.workspace
    stored_results(ws, org="RQX")
    headings = [s.heading for s in dashboard.sections(ws, ORG_A, 2024)]
    tables = [t.caption for s in dashboard.sections(ws, ORG_A, 2024) for t in s.tables]
    assert any(h.startswith("Summary") for h in headings)
    assert not any(c.startswith("Position among") for c in tables)
