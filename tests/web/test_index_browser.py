"""The open index in a real browser (headless Chromium): an employer fills in the form with
JavaScript off — radios, checkboxes, a number, an evidence file — meets the error summary,
saves and returns, and submits; an index assessor lists every organisation's submissions,
opens one, downloads its evidence and adjusts a score with a reason; the employer reads its
feedback; a visitor reads the public ranking. axe-core (WCAG 2.2 AA rules) on every new page:
no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from ladder.app import accounts, index
from tests.browser import AXE, CHROMIUM, FLAGS, axe, serious, serving
from tests.frameworks.conftest import answers
from tests.web.conftest import ORG_A, ORG_B, PASSWORD, email

pytestmark = pytest.mark.slow
FRAMEWORK = "social_mobility_employer"
INDEX_ASSESSOR = "assessor.index@example.nhs.uk"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def server(web_workspace: Path, tmp_path: Path) -> Iterator[str]:
    """The service with B's and another trust's submissions and an index assessor."""
    from ladder.web.app import create_app

    app = create_app(web_workspace, secure=False)
    ws = app.state.workspace
    files = [
        answers(tmp_path, ORG_B, "answers: {yp_outreach: untargeted}\n",
                name="Homerton Healthcare", framework=FRAMEWORK),
        answers(tmp_path, "RF4", "answers: {yp_outreach: targeted, ri_no_degree: yes}\n",
                name="Barking Havering and Redbridge", framework=FRAMEWORK),
    ]  # fmt: skip
    index.submit(ws, FRAMEWORK, files, user="index-body")
    accounts.add_user(ws, INDEX_ASSESSOR, PASSWORD, "assessor", None)
    try:
        with serving(app) as base:
            yield base
    finally:
        ws.close()


def _axe(page: Page) -> list[str]:
    result = axe(page)
    assert len(result["passes"]) > 5  # axe really ran its rules
    return serious(result)


def _sign_in(page: Page, base: str, who: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", who)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/orgs")


def test_index_journey_without_javascript_and_axe_on_every_page(
    server: str, tmp_path: Path
) -> None:
    assert AXE.is_file(), "run `make test` (scripts/ensure-browser-tools.sh fetches axe-core)"
    policy = tmp_path / "apprenticeships.pdf"
    policy.write_bytes(PDF)
    form = f"{server}/orgs/{ORG_A}/index?framework={FRAMEWORK}&period=2025"
    problems: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            # the employer, with JavaScript off: the form works on its own
            plain = browser.new_context(java_script_enabled=False)
            page = plain.new_page()
            page.set_default_timeout(120_000)
            _sign_in(page, server, email("analyst", ORG_A))
            page.goto(form)
            page.check("#yp_outreach-targeted")
            page.check("#yp_activities")  # the first option: talks
            page.check("#yp_activities-mentoring")
            page.fill("#yp_reached", "lots")
            page.check("#ri_apprenticeships")  # yes
            page.set_input_files("[id='ri_apprenticeships.file']", str(policy))
            page.click("button[value=save]")
            summary = page.locator(".nhsuk-error-summary").inner_text()
            assert "'lots' is not a number" in summary
            assert page.locator("#yp_reached-error").count() == 1
            assert page.is_checked("#yp_activities-mentoring")  # what was entered is kept
            page.fill("#yp_reached", "150")
            page.set_input_files("[id='ri_apprenticeships.file']", str(policy))
            page.click("button[value=save]")
            assert "Status: draft" in page.locator("main").inner_text()
            assert page.is_checked("#yp_outreach-targeted") and page.is_checked("#yp_activities")
            assert page.input_value("#yp_reached") == "150"
            assert page.locator("a[href*='/index/evidence/']").inner_text() == "apprenticeships.pdf"
            page.click("button[value=submit]")
            assert "Status: submitted" in page.locator("main").inner_text()
            plain.close()

            # axe on every page (axe needs scripts: a context that runs the injected one)
            checked = browser.new_context(bypass_csp=True)
            page = checked.new_page()
            page.set_default_timeout(120_000)
            _sign_in(page, server, email("analyst", ORG_A))
            page.goto(form)
            problems["form"] = _axe(page)
            page.fill("#yp_reached", "lots")
            page.click("button[value=save]")
            assert "There is a problem" in page.locator("main").inner_text()
            problems["errors"] = _axe(page)
            page.goto(f"{server}/orgs/{ORG_A}/index/feedback?framework={FRAMEWORK}&period=2025")
            problems["feedback"] = _axe(page)
            page.goto(f"{server}/index?framework={FRAMEWORK}")
            assert "Barking Havering and Redbridge" in page.locator("main").inner_text()
            problems["ranking"] = _axe(page)
            checked.clear_cookies()

            _sign_in(page, server, INDEX_ASSESSOR)
            page.goto(f"{server}/orgs")
            problems["orgs"] = _axe(page)
            page.click("text=Submissions to review")
            rows = page.locator("tbody tr")
            assert rows.count() == 3, page.locator("main").inner_text()
            problems["review"] = _axe(page)
            page.click(f"text=Homerton Healthcare ({ORG_B})")
            problems["assessor-other"] = _axe(page)
            page.goto(form)
            assert "apprenticeships.pdf" in page.locator("main").inner_text()
            problems["assessor"] = _axe(page)
            page.select_option("#question", "ad_story")
            page.fill("#points", "1")
            page.click("button:has-text('Adjust')")
            assert "There is a problem" in page.locator("main").inner_text()  # no reason
            problems["adjust-error"] = _axe(page)
            page.select_option("#question", "ad_story")
            page.fill("#points", "1")
            page.fill("#reason", "Described in the interview")
            page.click("button:has-text('Adjust')")
            text = page.locator("main").inner_text()
            assert "adjusted by an assessor from 0: Described in the interview" in text
            page.goto(f"{server}/orgs/{ORG_A}/index/feedback?framework={FRAMEWORK}&period=2025")
            assert "Described in the interview" in page.locator("main").inner_text()
            checked.close()
        finally:
            browser.close()
    assert problems == {k: [] for k in problems}
    assert len(problems) == 9
