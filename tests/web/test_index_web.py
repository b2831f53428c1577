"""The open index in the web service: save and return with NHS.UK radios, checkboxes and
inputs and the error summary; evidence files (accepted by content, refused otherwise);
assessors' review across organisations and adjustments with a reason (in the score JSON and
the feedback); feedback served to the employer and assessors; the public ranking naming only
the published top N (searched for in every public output); and no staff-level data for an
assessor on any route."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from ladder.app import accounts, evidence, index
from tests.frameworks.conftest import answers
from tests.web.conftest import ORG_A, ORG_B, PASSWORD, client, csrf_of, email, sign_in

FRAMEWORK = "social_mobility_employer"
STAFF_IDS = re.compile(r"S[34]\d{7}")  # tests.store.conftest.staff_frame(seed=3 and 4)
INDEX_ASSESSOR = "assessor.index@example.nhs.uk"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _office(main: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main, "<x/>")
    return out.getvalue()


DOCX = _office("word/document.xml")
XLSX = _office("xl/workbook.xml")
URL = f"/orgs/{ORG_A}/index?framework={FRAMEWORK}&period=2025"


def _index_assessor(app: FastAPI) -> TestClient:
    accounts.add_user(app.state.workspace, INDEX_ASSESSOR, PASSWORD, "assessor", None)
    return sign_in(app, INDEX_ASSESSOR)


def _post(c: TestClient, data: dict[str, object], files: object = None) -> object:
    csrf = csrf_of(c.get(URL).text)
    return c.post(URL, data={"csrf_token": csrf, **data}, files=files, follow_redirects=False)  # type: ignore[arg-type]


def test_employer_saves_and_returns_and_assessor_adjusts(app: FastAPI) -> None:
    analyst = sign_in(app, email("analyst", ORG_A))
    page = analyst.get(f"/orgs/{ORG_A}/index")
    assert page.status_code == 200 and "Save and come back later" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    # NHS.UK radios (single choice, yes/no), checkboxes (multiple choice), inputs (numeric)
    assert (
        'class="nhsuk-radios__input" id="yp_outreach" name="yp_outreach" type="radio"' in page.text
    )
    assert 'id="yp_activities" name="yp_activities" type="checkbox" value="talks"' in page.text
    assert 'id="yp_reached" name="yp_reached" type="text" inputmode="decimal"' in page.text
    assert 'id="ri_apprenticeships.file" name="ri_apprenticeships.file" type="file"' in page.text
    csrf = csrf_of(page.text)
    saved = analyst.post(
        URL,
        data={"csrf_token": csrf, "yp_outreach": "targeted", "ad_story": "We lead a network",
              "yp_activities": ["talks", "mentoring"], "action": "save"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    back = analyst.get(URL)
    assert 'id="yp_outreach-targeted" name="yp_outreach" type="radio" value="targeted" checked' in (
        back.text
    )
    assert 'type="checkbox" value="talks" checked' in back.text
    assert 'type="checkbox" value="mentoring" checked' in back.text
    assert 'type="checkbox" value="work_experience">' in back.text
    assert "We lead a network" in back.text and "Status: <strong>draft</strong>" in back.text

    viewer = sign_in(app, email("viewer", ORG_A))
    vcsrf = csrf_of(viewer.get("/orgs").text)
    refused = viewer.post(f"/orgs/{ORG_A}/index", data={"csrf_token": vcsrf, "yp_outreach": "none"})
    assert refused.status_code == 403
    assert analyst.post(f"/orgs/{ORG_A}/index/adjust",
                        data={"csrf_token": csrf, "question": "ad_story", "points": "2",
                              "reason": "r"}).status_code == 403  # fmt: skip

    assessor = sign_in(app, email("assessor", ORG_A))
    page = assessor.get(f"/orgs/{ORG_A}/index")
    assert "Adjust a score" in page.text and "Save and come back later" not in page.text
    acsrf = csrf_of(page.text)
    no_reason = assessor.post(
        f"/orgs/{ORG_A}/index/adjust",
        data={"csrf_token": acsrf, "framework": FRAMEWORK, "period": "2025",
              "question": "ad_story", "points": "2", "reason": " "},
    )  # fmt: skip
    assert no_reason.status_code == 400 and "needs a reason" in no_reason.text
    assert 'href="#reason"' in no_reason.text  # the error summary links to the field
    done = assessor.post(
        f"/orgs/{ORG_A}/index/adjust",
        data={"csrf_token": acsrf, "framework": FRAMEWORK, "period": "2025",
              "question": "ad_story", "points": "2", "reason": "Twelve employers"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    shown = assessor.get(f"/orgs/{ORG_A}/index").text
    assert "adjusted by an assessor from 0: Twelve employers" in shown
    log = [(e.user, e.action) for e in app.state.workspace.audit_log()]
    assert (email("analyst", ORG_A), "index_save") in log
    assert (email("assessor", ORG_A), "index_adjust") in log


def test_invalid_answers_use_the_error_summary_and_keep_what_was_entered(app: FastAPI) -> None:
    analyst = sign_in(app, email("analyst", ORG_A))
    bad = _post(analyst, {"yp_reached": "lots", "yp_outreach": "targeted", "action": "save"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    text = bad.text  # type: ignore[attr-defined]
    assert "<title>Error: " in text and "nhsuk-error-summary" in text
    assert 'href="#yp_reached"' in text  # the summary links to the field
    assert 'id="yp_reached-error"' in text and "nhsuk-form-group--error" in text
    assert "&#39;lots&#39; is not a number" in text
    assert 'value="lots"' in text  # what was entered is shown again
    assert 'value="targeted" checked' in text
    assert index.stored_submissions(app.state.workspace, FRAMEWORK) == []  # nothing saved


def test_hand_scored_submission_with_an_assessor_adjustment(app: FastAPI) -> None:
    """Seven sections of weight 1 (the 2025 figures are not measured: 0 for data-bound
    questions). young_people: targeted 3 + talks 1 + mentoring 2 + 150 reached 2 = 8/10;
    routes_in: apprenticeships yes with a file 2 + no degree yes 2 + programme yes without
    the required evidence 0 = 4/6; attraction: community 2 + events 1 = 3/6; recruitment 0/5;
    data_collection: published yes without evidence 0/6; progression: some 1/6; advocacy:
    0/5, then the assessor awards the story 2: 2/5.
    Total = (80 + 66.667 + 50 + 0 + 0 + 16.667 + 0) / 7 = 30.48, then + 40/7 = 36.19."""
    ws = app.state.workspace
    analyst = sign_in(app, email("analyst", ORG_A))
    answers_ = {
        "yp_outreach": "targeted", "yp_activities": ["talks", "mentoring"], "yp_reached": "150",
        "ri_apprenticeships": "yes", "ri_no_degree": "yes", "ri_programme": "yes",
        "at_channels": ["community", "events"], "rs_contextual": "no", "dc_published": "yes",
        "pr_programme": "some", "ad_board": "no", "ad_story": "A network of twelve employers",
        "action": "submit",
    }  # fmt: skip
    files = {"ri_apprenticeships.file": ("apprenticeships policy.pdf", PDF, "application/pdf")}
    assert _post(analyst, answers_, files).status_code == 303  # type: ignore[attr-defined]
    (before,) = index.workspace_scores(ws, FRAMEWORK, period=2025)
    assert [s.points for s in before.sections] == [8, 4, 3, 0, 0, 1, 0]
    assert before.to_dict()["score"] == 30.48

    assessor = _index_assessor(app)
    listed = assessor.get(f"/index/review?framework={FRAMEWORK}&period=2025").text
    assert f"({ORG_A})" in listed and "30.5" in listed
    page = assessor.get(URL).text
    assert "apprenticeships policy.pdf" in page and "evidence required: none attached" in page
    assert "A network of twelve employers" in page
    token = re.search(rf"/orgs/{ORG_A}/index/evidence/([\w-]+)", page)
    assert token is not None
    got = assessor.get(f"/orgs/{ORG_A}/index/evidence/{token.group(1)}")
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    csrf = csrf_of(page)
    done = assessor.post(
        f"/orgs/{ORG_A}/index/adjust",
        data={"csrf_token": csrf, "framework": FRAMEWORK, "period": "2025",
              "question": "ad_story", "points": "2", "reason": "Leads a local network"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    (after,) = index.workspace_scores(ws, FRAMEWORK, period=2025)
    doc = after.to_dict()
    assert doc["score"] == 36.19
    story = doc["sections"][-1]["questions"][1]
    assert story["points"] == 2 and story["adjustment"] == {
        "from": 0.0, "reason": "Leads a local network", "assessor": INDEX_ASSESSOR}  # fmt: skip

    # the feedback: the employer's users and the assessor; the adjustment and its reason
    for c in (analyst, sign_in(app, email("viewer", ORG_A)), assessor):
        feedback = c.get(f"/orgs/{ORG_A}/index/feedback?framework={FRAMEWORK}&period=2025")
        assert feedback.status_code == 200
        assert "Assessors' adjustments" in feedback.text
        assert "Leads a local network" in feedback.text and "36.2 out of 100" in feedback.text
        assert feedback.headers["content-security-policy"].startswith("default-src 'none'")
    pdf = analyst.get(f"/orgs/{ORG_A}/index/feedback/pdf?framework={FRAMEWORK}&period=2025")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("attachment")
    log = [(e.user, e.action) for e in ws.audit_log()]
    assert (email("analyst", ORG_A), "evidence_upload") in log
    assert (INDEX_ASSESSOR, "evidence_download") in log
    assert (INDEX_ASSESSOR, "index_adjust") in log


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.pdf", b"MZ\x90\x00 a program renamed", "content is not a PDF"),
        ("policy.pdf", PNG, "content is PNG, not what its name says (.pdf)"),
        ("chart.png", JPG, "content is JPG, not what its name says (.png)"),
        ("policy.docx", XLSX, "content is XLSX, not what its name says (.docx)"),
        ("policy.docx", b"PK\x03\x04 not really a zip", "content is not a PDF"),
        ("notes.txt", b"plain text", "attach a PDF, Word"),
        ("script.exe", b"MZ", "attach a PDF, Word"),
        ("empty.pdf", b"", "the file is empty"),
        ("huge.pdf", b"%PDF-" + b"0" * evidence.MAX_BYTES, "larger than 10 MB"),
    ],
)
def test_evidence_uploads_are_refused(
    app: FastAPI, name: str, content: bytes, message: str
) -> None:
    analyst = sign_in(app, email("analyst", ORG_A))
    files = {"ri_apprenticeships.file": (name, content, "application/pdf")}
    refused = _post(analyst, {"ri_apprenticeships": "yes", "action": "save"}, files)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert message in refused.text  # type: ignore[attr-defined]
    assert 'href="#ri_apprenticeships"' in refused.text  # type: ignore[attr-defined]
    ws = app.state.workspace
    assert index.stored_submissions(ws, FRAMEWORK) == []  # nothing saved, no file kept
    assert not (ws.root / "evidence").exists()


def test_evidence_types_accepted_by_content_and_removed(app: FastAPI) -> None:
    analyst = sign_in(app, email("analyst", ORG_A))
    for name, content in (("a.docx", DOCX), ("b.xlsx", XLSX), ("c.png", PNG), ("d.JPEG", JPG)):
        files = {"dc_published.file": (name, content, "application/octet-stream")}
        assert _post(analyst, {"dc_published": "yes"}, files).status_code == 303  # type: ignore[attr-defined]
    kept = evidence.files(app.state.workspace, FRAMEWORK, ORG_A, 2025)["dc_published"]
    assert [(f.filename, f.media_type.split("/")[0]) for f in kept] == [
        ("a.docx", "application"), ("b.xlsx", "application"), ("c.png", "image"),
        ("d.JPEG", "image")]  # fmt: skip
    assert all((app.state.workspace.root / "evidence" / ORG_A / f.token).is_file() for f in kept)
    (sub,) = index.stored_submissions(app.state.workspace, FRAMEWORK)
    assert sub.answers["dc_published"].evidence == ("a.docx", "b.xlsx", "c.png", "d.JPEG")
    gone = _post(analyst, {"dc_published": "yes", "remove_evidence": kept[0].token})
    assert gone.status_code == 303  # type: ignore[attr-defined]
    left = evidence.files(app.state.workspace, FRAMEWORK, ORG_A, 2025)["dc_published"]
    assert [f.filename for f in left] == ["b.xlsx", "c.png", "d.JPEG"]
    assert not (app.state.workspace.root / "evidence" / ORG_A / kept[0].token).exists()
    # a viewer may not attach; a token of another organisation finds nothing
    viewer = sign_in(app, email("viewer", ORG_A))
    files = {"dc_published.file": ("e.pdf", PDF, "application/pdf")}
    csrf = csrf_of(viewer.get(URL).text)
    assert viewer.post(URL, data={"csrf_token": csrf}, files=files).status_code == 403
    b_analyst = sign_in(app, email("analyst", ORG_B))
    b_form = f"/orgs/{ORG_B}/index?framework={FRAMEWORK}&period=2025"
    b_csrf = csrf_of(b_analyst.get(b_form).text)
    taken = b_analyst.post(b_form, data={"csrf_token": b_csrf, "remove_evidence": left[0].token})
    assert taken.status_code == 404  # A's file is not B's to remove
    assert (app.state.workspace.root / "evidence" / ORG_A / left[0].token).is_file()
    assert b_analyst.get(f"/orgs/{ORG_B}/index/evidence/{left[0].token}").status_code == 404
    assert b_analyst.get(f"/orgs/{ORG_A}/index/evidence/{left[0].token}").status_code == 404


def test_the_answer_file_attaches_evidence_files_next_to_it(app: FastAPI, tmp_path: Path) -> None:
    ws = app.state.workspace
    (tmp_path / "policy.pdf").write_bytes(PDF)
    body = "answers:\n  ri_apprenticeships: {answer: yes, evidence: [policy.pdf, https://x]}\n"
    path = answers(tmp_path, ORG_A, body, framework=FRAMEWORK)
    index.submit(ws, FRAMEWORK, [path], user="employer")
    index.submit(ws, FRAMEWORK, [path], user="employer")  # the same file is not attached twice
    (kept,) = evidence.files(ws, FRAMEWORK, ORG_A, 2025)["ri_apprenticeships"]
    assert kept.filename == "policy.pdf" and kept.sha256 and kept.size == len(PDF)
    (tmp_path / "fake.pdf").write_bytes(b"not a pdf")
    bad = answers(tmp_path, ORG_B, body.replace("policy.pdf", "fake.pdf"), framework=FRAMEWORK)
    with pytest.raises(index.FileProblems, match=r"fake\.pdf: the file's content is not a PDF"):
        index.submit(ws, FRAMEWORK, [bad])
    assert [s.org for s in index.stored_submissions(ws, FRAMEWORK)] == [ORG_A]


def test_no_public_output_names_an_unpublished_entrant(
    app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three entrants, the top 1 published: the names and codes of the other two appear in
    no public page (every route open without signing in, every framework and year) and in
    neither published file; a draft is not ranked at all."""
    ws = app.state.workspace
    files = [
        answers(tmp_path, ORG_A, "answers: {yp_outreach: targeted, ri_no_degree: yes}\n",
                name="Barts Health NHS Trust", framework=FRAMEWORK),
        answers(tmp_path, ORG_B, "answers: {yp_outreach: untargeted}\n",
                name="Homerton Healthcare NHS Foundation Trust", framework=FRAMEWORK),
        answers(tmp_path, "RF4", "answers: {yp_outreach: none}\n",
                name="Barking Havering and Redbridge", framework=FRAMEWORK),
    ]  # fmt: skip
    index.submit(ws, FRAMEWORK, files, user="index-body")
    assert index.save_form(ws, FRAMEWORK, org="RRV", period=2025, user="x",
                           form={"yp_outreach": "targeted"}) == []  # a draft  # fmt: skip
    monkeypatch.setenv(index.TOP_ENV, "1")
    hidden = ["Homerton", ORG_B, "Barking Havering", "RF4", "RRV"]
    anonymous = client(app)
    pages = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or "GET" not in (context.methods or ()):
            continue
        if re.search(r"\{\w+\}", context.path):
            continue
        response = anonymous.get(context.path, follow_redirects=False)
        if response.status_code == 200:
            pages.append((context.path, response.text))
    for f in index.frameworks():
        for period in ("", "&period=2025", "&period=2024"):
            url = f"/index?framework={f['id']}{period}&top=5"  # a visitor cannot widen it
            response = anonymous.get(url)
            assert response.status_code == 200
            pages.append((url, response.text))
    assert any("Barts Health NHS Trust" in text for _, text in pages)
    assert any("3 employers entered; the top 1 are published" in text for _, text in pages)
    out = tmp_path / "published"
    written = index.publish(FRAMEWORK, [], out, stored=ws.root, top=1)
    for path in written:
        pages.append((str(path), path.read_text(encoding="utf-8")))
    assert len(pages) >= 16
    for where, text in pages:
        for name in hidden:
            assert name not in text, (where, name)
    assert client(app).get("/index?framework=nope").status_code == 404


@pytest.mark.parametrize("who", ["assessor", "index assessor"])
def test_assessor_reaches_no_staff_level_data_on_any_route(
    app: FastAPI, tmp_path: Path, who: str
) -> None:
    ws = app.state.workspace
    (tmp_path / "policy.pdf").write_bytes(PDF)
    body = "answers:\n  ri_apprenticeships: {answer: yes, evidence: [policy.pdf]}\n"
    index.submit(ws, FRAMEWORK, [answers(tmp_path, ORG_A, body, framework=FRAMEWORK)])
    token = evidence.files(ws, FRAMEWORK, ORG_A, 2025)["ri_apprenticeships"][0].token
    assessor = sign_in(app, email("assessor", ORG_A)) if who == "assessor" else _index_assessor(app)
    walked = 0
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or "GET" not in (context.methods or ()):
            continue
        for org in (ORG_A, ORG_B):
            path = context.path.replace("{code}", org).replace("{token}", token)
            if re.search(r"\{\w+\}", path) or path in ("/logout",):
                continue
            response = assessor.get(path, follow_redirects=False)
            walked += 1
            assert response.status_code in (200, 303, 403, 404), (path, response.status_code)
            assert not STAFF_IDS.search(response.text), path
    assert walked >= 30


def test_the_assessor_sees_the_data_bound_answers_from_the_stored_results(app: FastAPI) -> None:
    """A's 2024 staff data answers the data-bound response-rate question: the index assessor's
    page shows the figure the stored (organisation-level) results hold."""
    from ladder.app.results import stored_results
    from ladder.frameworks import framework, measured

    ws = app.state.workspace
    assert index.save_form(ws, FRAMEWORK, org=ORG_A, period=2024, user="x",
                           form={"yp_outreach": "targeted"}, status="submitted") == []  # fmt: skip
    chosen = framework(FRAMEWORK)
    question = chosen.questions()["dc_response_rate"][1]
    found = stored_results(ws, org=ORG_A, periods=[2024], ids=[question.indicator]).results
    figure = measured(chosen, found, ORG_A, 2024)["dc_response_rate"]
    assert figure.value is not None
    page = _index_assessor(app).get(f"/orgs/{ORG_A}/index?framework={FRAMEWORK}&period=2024")
    assert f"Measured (<code>{question.indicator}</code>): {figure.value}</td>" in page.text
