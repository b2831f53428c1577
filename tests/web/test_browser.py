"""The service in a real browser: headless Chromium (Debian's, driven by Playwright) against a
uvicorn server on 127.0.0.1. One journey: sign in, upload a messy file and read its errors,
quarantine, view the dashboard, download the report, publish (refused by the disclosure
audit, then done) and withdraw, and a member of staff answering the survey. Every page is
checked with axe-core (no serious or critical violations) and for Content-Security-Policy
violations; the dashboard's screenshot is checked for rendering."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ladder.app import publishing
from ladder.app.results import stored_results
from ladder.store import Workspace
from tests.browser import AXE, CHROMIUM, FLAGS, axe, serious, serving
from tests.store.conftest import staff_frame
from tests.web.conftest import ORG_A, PASSWORD, email

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, _template: Path) -> Iterator[str]:
    """The web service over a copy of the test workspace (A's results stored), on a free port
    of 127.0.0.1 (plain http: ``secure=False``, as ``--insecure-dev``)."""
    from ladder.web.app import create_app

    root = tmp_path_factory.mktemp("browser") / "ws"
    shutil.copytree(_template, root)
    with Workspace.open(root) as ws:
        stored_results(ws, org=ORG_A)
    with serving(create_app(root, secure=False)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Checked:
    """A page wrapper that runs axe-core on every page it lands on and gathers CSP errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.csp: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        # nhsuk-frontend's CSS names the Frutiger web font on assets.nhs.uk: the policy keeps
        # the page from fetching anything off-site (the font falls back to Arial), as meant
        if "Content Security Policy" in text and "https://assets.nhs.uk/fonts/" not in text:
            self.csp.append(text)

    def axe(self) -> None:
        """axe-core (injected through the DevTools protocol, which the page's CSP does not
        govern) on the current page: no serious or critical violation."""
        result = axe(self.page, through_devtools=True)
        found = serious(result)
        assert found == [], (self.page.url, found)
        assert len(result["passes"]) > 5
        self.checked.append(self.page.url)


def _sign_in(page: Checked, base: str, who: str) -> None:
    page.page.goto(f"{base}/login")
    page.axe()
    page.page.fill("#email", who)
    page.page.fill("#password", PASSWORD)
    page.page.click("button[type=submit]")
    page.page.wait_for_url(f"{base}/orgs")
    page.axe()


def test_the_journey(
    server: str, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert AXE.is_file(), "run `make test` (scripts/ensure-browser-tools.sh fetches axe-core)"

    def fake_pdf(html: str, path: Path) -> None:  # WeasyPrint is slow; the HTML is downloaded
        path.write_bytes(b"%PDF-1.7 stub")

    import ladder.reports.pdf

    monkeypatch.setattr(ladder.reports.pdf, "write_pdf", fake_pdf)
    context = browser.new_context(accept_downloads=True)
    page = Checked(context.new_page())
    p = page.page
    p.set_default_timeout(120_000)  # building a report takes seconds on a loaded machine
    _sign_in(page, server, email("analyst"))

    # upload a messy file: read its errors, then quarantine the bad rows
    messy = tmp_path / "messy-staff.csv"
    staff_frame(30, org=ORG_A, bad_pay_band_rows=(3, 7), seed=9).write_csv(messy)
    p.goto(f"{server}/orgs/{ORG_A}/upload")
    page.axe()
    p.select_option("#kind", "staff")
    p.fill("#period", "2023")
    p.set_input_files("#file", str(messy))
    p.click("text=Check the file")
    p.wait_for_selector("text=There is a problem")
    summary = p.inner_text(".nhsuk-error-summary")
    assert 'Row 5, pay_band ("Band 99")' in summary and "Row 9" in summary, summary
    page.axe()
    p.click("text=Store the 28 good rows and set the others aside")
    p.wait_for_selector("text=Data stored")
    assert "2 set aside" in p.inner_text("main")
    page.axe()

    # the dashboard: charts with table views; a screenshot that shows it
    p.goto(f"{server}/orgs/{ORG_A}?period=2024")
    assert p.inner_text("h1") == f"{ORG_A}: 2024"
    charts = p.locator("img.ladder-chart")
    assert charts.count() >= 1
    assert p.evaluate("(img) => img.naturalWidth", charts.first.element_handle()) > 100
    p.locator("details summary").first.click()
    assert p.locator("details[open] table").count() == 1
    page.axe()
    shot = Image.open(io.BytesIO(p.screenshot(full_page=False))).convert("L")
    low, high = shot.getextrema()
    assert high - low > 100  # not blank
    colours = len(shot.getcolors(maxcolors=1 << 16) or [])
    assert colours > 20
    shot.save(tmp_path / "dashboard.png")

    # reports: draft, download, publish (refused by the real audit of this small data,
    # then passed), withdraw
    p.goto(f"{server}/orgs/{ORG_A}/reports")
    page.axe()
    p.select_option("#period", "2024")
    with p.expect_navigation():
        p.click("button:has-text('Prepare a draft')")
    assert "Publish revision 1" in p.inner_text("main"), p.inner_text("main")
    with p.expect_download() as download:
        p.click("a[href$='/2024/1/html']")
    draft = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'class="ladder-draft"' in draft
    page.axe()
    with p.expect_navigation():
        p.click("text=Publish revision 1")
    if "There is a problem" in p.inner_text("main"):  # the audit found figures to protect
        assert p.locator("#findings table tbody tr").count() >= 1
        page.axe()
        monkeypatch.setattr(publishing, "disclosure_findings", lambda *a, **k: [])
        with p.expect_navigation():
            p.click("text=Publish revision 1")
    assert "Published" in p.inner_text("main")
    page.axe()
    p.fill("#reason-2024", "A data error in the pay bands")
    p.click("button:has-text('Withdraw')")
    p.wait_for_selector("text=Reason: A data error in the pay bands")
    page.axe()

    # the survey: the analyst opens it; a member of staff answers without an account
    p.goto(f"{server}/orgs/{ORG_A}/surveys")
    page.axe()
    p.click("text=Open a survey")
    p.wait_for_selector("text=Link for staff")
    page.axe()
    link = p.get_attribute("dd a[href^='/s/']", "href")
    assert link
    staff_context = browser.new_context()
    staff = Checked(staff_context.new_page())
    staff.page.goto(f"{server}{link}")
    staff.axe()
    staff.page.click("text=Send my answers")
    staff.page.wait_for_selector("text=There is a problem")
    staff.axe()
    staff.page.check("#parent_occupation-5")
    staff.page.check("#school_type")
    staff.page.check("#free_school_meals-2")
    staff.page.check("#parent_qualification-2")
    staff.page.select_option("#pay_band", "Band 5")
    staff.page.click("text=Send my answers")
    staff.page.wait_for_selector("text=Thank you")
    staff.axe()
    assert staff_context.cookies() == []  # nothing remembers who answered
    p.reload()
    main = p.inner_text("main")  # one response: withheld, with no bound (issue 12)
    assert "fewer than" not in main
    assert re.search(r"Responses\s+withheld", main), main
    assert "a count of people from 1 to 9 are withheld" in main  # the method, once

    # a page that is not there
    p.goto(f"{server}/orgs/ZZZ")
    page.axe()
    assert page.csp == [] and staff.csp == []
    assert len(page.checked) + len(staff.checked) >= 15
    staff_context.close()
    context.close()
