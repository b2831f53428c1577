"""The resident's journey in a real browser (headless Chromium on a phone-sized screen, no
JavaScript), and axe-core (WCAG 2.2 AA rules) on every careers page: no serious or critical
violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.browser import AXE, CHROMIUM, FLAGS, axe, serious, serving
from tests.web.conftest import ORG_A, PASSWORD, email
from tests.web.test_careers import add_openings

PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.slow


@pytest.fixture
def server(web_workspace: Path, tmp_path: Path) -> Iterator[str]:
    from ladder.web.app import create_app

    app = create_app(web_workspace, secure=False)
    add_openings(app, tmp_path)
    try:
        with serving(app) as base:
            yield base
    finally:
        app.state.workspace.close()


def _axe(page: Page) -> list[str]:
    result = axe(page)
    assert len(result["passes"]) > 10  # axe really ran its rules
    return serious(result)


def test_resident_journey_on_a_phone_and_axe_on_every_careers_page(server: str) -> None:
    assert AXE.is_file(), "run `make test` (scripts/ensure-browser-tools.sh fetches axe-core)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            # the page's CSP forbids inline scripts: only the injected axe-core bypasses it;
            # the resident's browser runs no JavaScript at all
            resident = browser.new_context(
                viewport=PHONE, java_script_enabled=False, is_mobile=True
            )
            page = resident.new_page()
            page.goto(f"{server}/careers")
            assert page.locator("h1").inner_text() == "Find a job or a way into work in the NHS"
            page.fill("#postcode", "E1 1BB")
            page.check("#right_to_work")
            page.select_option("#level", "2")
            page.fill("#subject", "Health and Social Care")
            page.fill("#max_hours", "30")
            page.check("#shifts-days")
            page.fill("#experience", "I looked after my mother at home: washing, dressing, meals.")
            page.fill("#interests", "caring for patients in a hospital")
            page.check("#english")
            page.click("button[value=match]")
            assert page.locator("h1").inner_text() == "Jobs and training for you"
            text = page.locator("main").inner_text()
            assert "Programmes for the help you asked for" in text
            assert "English for health and care work (ESOL)" in text
            assert "You have a Level 2 in Health and Social Care, which this role asks for" in text
            assert "1.0 mile from your postcode" in text
            assert resident.cookies() == []  # nothing kept, not even a cookie
            resident.close()

            checked = browser.new_context(viewport=PHONE, bypass_csp=True)
            page = checked.new_page()
            page.goto(f"{server}/careers")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= PHONE["width"]  # no sideways scrolling on a phone
            problems = {"form": _axe(page)}
            page.click("button[value=match]")  # nothing filled in: the error summary
            assert "There is a problem" in page.locator("main").inner_text()
            problems["errors"] = _axe(page)
            page.check("#right_to_work")
            page.select_option("#level", "2")
            page.fill("#postcode", "E1 1BB")
            page.click("button[value=match]")
            problems["results"] = _axe(page)
            page.goto(f"{server}/login")
            page.fill("#email", email("analyst", ORG_A))
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{server}/orgs/{ORG_A}/careers")
            assert "vacancies and entry routes" in page.locator("h1").inner_text()
            problems["trust"] = _axe(page)
            page.goto(f"{server}/orgs/{ORG_A}/careers/reach")
            assert "whom the careers matching reaches" in page.locator("h1").inner_text()
            problems["reach"] = _axe(page)
            checked.close()
        finally:
            browser.close()
    assert problems == {k: [] for k in problems}
