"""A walk-through of the web service in screenshots: each role's steps on a copy of the demo
workspace (`make demo`), in headless Chromium (Debian's, driven by Playwright; settings in
tests/browser.py). The PNGs go to OUT (default docs/walkthrough); docs/walkthrough.md says in
words what each one shows.

Steps: sign in; the analyst uploads a messy staff file, reads its errors and quarantines the
bad rows; the dashboard with a chart's table view; the reports page, a draft downloaded and
opened, publishing (the disclosure audit first) and withdrawing; the survey's protected
results; a member of staff answering the survey through its link; the viewer's dashboard; the
assessor's index view; the administrator's organisations.

The demo workspace is copied first, so the demo itself is left as it was. Nothing leaves
127.0.0.1.

Usage: python scripts/screenshots.py [--workspace demo/workspace] [--out docs/walkthrough]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, FLAGS  # noqa: E402

ORG = "R1H"
PASSWORD = "demo-only-password"  # scripts/demo_web.py's demo logins (demo only)
EMAIL = {
    "analyst": f"analyst@{ORG.lower()}.demo.nhs.uk",
    "viewer": f"viewer@{ORG.lower()}.demo.nhs.uk",
    "assessor": f"assessor@{ORG.lower()}.demo.nhs.uk",
    "admin": "admin@demo.nhs.uk",
}
UPLOAD_PERIOD = "2022"
"""The messy upload goes to a year the demo does not hold, so the demo's own years stay."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(root: Path) -> tuple[str, Callable[[], None]]:
    """The web service over ``root`` on a free port of 127.0.0.1 (plain http, as
    ``--insecure-dev``): its base URL and a function that stops it."""
    import uvicorn

    from ladder.web.app import create_app

    app = create_app(root, secure=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise SystemExit("the server did not start")

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)

    return f"http://127.0.0.1:{port}", stop


def messy_file(source: Path, out: Path) -> Path:
    """30 of the demo's R1H staff rows with two pay bands nobody has ("Band 99")."""
    import polars as pl

    rows = pl.read_csv(source, infer_schema_length=0).filter(pl.col("org_code") == ORG).head(30)
    bad = pl.Series([i in (3, 7) for i in range(rows.height)])
    rows = rows.with_columns(
        pl.when(bad).then(pl.lit("Band 99")).otherwise(pl.col("pay_band")).alias("pay_band")
    )
    path = out / "messy-staff.csv"
    rows.write_csv(path)
    return path


class Walk:
    """A browser page that saves numbered screenshots."""

    def __init__(self, browser: Any, base: str, out: Path) -> None:
        self.browser = browser
        self.base = base
        self.out = out
        self.taken: list[Path] = []

    def page(self) -> Any:
        context = self.browser.new_context(
            accept_downloads=True, viewport={"width": 1100, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(600_000)  # a report or an audit takes a while when loaded
        return page

    def shot(self, page: Any, name: str, *, full: bool = False) -> None:
        path = self.out / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full)
        _shrink(path)
        self.taken.append(path)
        print(path.name, flush=True)

    def sign_in(self, page: Any, role: str, *, shoot: bool = False) -> None:
        page.goto(f"{self.base}/login")
        page.fill("#email", EMAIL[role])
        page.fill("#password", PASSWORD)
        if shoot:
            self.shot(page, "sign-in")
        with page.expect_navigation():
            page.click("button[type=submit]")


def _shrink(path: Path) -> None:
    """The screenshot in a 64-colour palette (the NHS.UK pages use few colours): a third of
    the size, so the walk-through can live in the repository."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def walk(workspace: Path, out: Path, data: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="ladder-walkthrough-") as tmp:
        root = Path(tmp) / "workspace"
        shutil.copytree(workspace, root)
        messy = messy_file(data / "staff.csv", Path(tmp))
        base, stop = serve(root)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                try:
                    w = Walk(browser, base, out)
                    _analyst(w, messy)
                    _staff(w, root)
                    _others(w)
                finally:
                    browser.close()
        finally:
            stop()
    return w.taken


def _analyst(w: Walk, messy: Path) -> None:
    p = w.page()
    w.sign_in(p, "analyst", shoot=True)
    w.shot(p, "analyst-organisations")
    # upload with errors, then quarantine
    p.goto(f"{w.base}/orgs/{ORG}/upload")
    p.select_option("#kind", "staff")
    p.fill("#period", UPLOAD_PERIOD)
    p.set_input_files("#file", str(messy))
    w.shot(p, "upload-form")
    p.click("text=Check the file")
    p.wait_for_selector("text=There is a problem")
    w.shot(p, "upload-errors", full=True)
    p.click("text=Store the 28 good rows and set the others aside")
    p.wait_for_selector("text=Data stored")
    w.shot(p, "upload-quarantined")
    # the dashboard, and a chart's table view
    p.goto(f"{w.base}/orgs/{ORG}")
    w.shot(p, "dashboard")
    summary = p.locator("details summary").first
    summary.scroll_into_view_if_needed()
    summary.click()
    p.locator("details[open]").first.scroll_into_view_if_needed()
    w.shot(p, "dashboard-table-view")
    # reports: the demo's draft, downloaded and opened; publish; withdraw
    p.goto(f"{w.base}/orgs/{ORG}/reports")
    w.shot(p, "reports-draft", full=True)
    link = p.locator("a[href$='/html']").first
    with p.expect_download() as download:
        link.click()
    name = Path(download.value.suggested_filename or "report").stem + ".html"
    report = Path(tempfile.mkdtemp(prefix="ladder-report-")) / name  # opened as HTML
    download.value.save_as(report)
    opened = w.page()
    opened.goto(report.as_uri())
    w.shot(opened, "report-draft-html")
    opened.context.close()
    shutil.rmtree(report.parent)
    publish = p.locator("button:has-text('Publish revision')").first
    if publish.count():
        with p.expect_navigation():
            publish.click()
        if "There is a problem" in p.inner_text("main"):
            w.shot(p, "publish-refused-by-audit", full=True)
        else:
            w.shot(p, "published", full=True)
            reason = p.locator("input[id^='reason-'], textarea[id^='reason-']").first
            reason.fill("A data error in the pay bands")
            with p.expect_navigation():
                p.click("button:has-text('Withdraw')")
            w.shot(p, "withdrawn", full=True)
    # the staff survey's protected results, by pay band
    p.goto(f"{w.base}/orgs/{ORG}/surveys")
    w.shot(p, "surveys")
    p.locator("a[href*='/surveys/']").first.click()
    p.wait_for_load_state()
    p.goto(p.url.split("?")[0] + "?by=pay_band")
    w.shot(p, "survey-results-by-pay-band", full=True)
    p.context.close()


def _staff(w: Walk, root: Path) -> None:
    from sqlalchemy import select

    from ladder.store import Workspace
    from ladder.store.models import SurveyRow

    with Workspace.open(root) as ws, ws.session() as session:
        token = session.scalars(select(SurveyRow.token).where(SurveyRow.org_code == ORG)).first()
    assert token, "the demo workspace has no survey: run `make demo`"
    p = w.page()
    p.goto(f"{w.base}/s/{token}")
    w.shot(p, "survey-answer-form")
    p.click("text=Send my answers")
    p.wait_for_selector("text=There is a problem")
    w.shot(p, "survey-answer-missing")
    p.check("#parent_occupation-5")
    p.check("#school_type")
    p.check("#free_school_meals-2")
    p.check("#parent_qualification-2")
    p.select_option("#pay_band", "Band 5")
    p.click("text=Send my answers")
    p.wait_for_selector("text=Thank you")
    w.shot(p, "survey-answered")
    p.context.close()


def _others(w: Walk) -> None:
    viewer = w.page()
    w.sign_in(viewer, "viewer")
    viewer.goto(f"{w.base}/orgs/{ORG}")
    w.shot(viewer, "viewer-dashboard")
    viewer.goto(f"{w.base}/orgs/{ORG}/upload")
    w.shot(viewer, "viewer-may-not-upload")
    viewer.context.close()
    assessor = w.page()
    w.sign_in(assessor, "assessor")
    assessor.goto(f"{w.base}/index")
    w.shot(assessor, "assessor-index", full=True)
    assessor.goto(f"{w.base}/orgs/{ORG}/index")
    w.shot(assessor, "assessor-submission", full=True)
    assessor.context.close()
    admin = w.page()
    w.sign_in(admin, "admin")
    w.shot(admin, "admin-organisations")
    admin.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=ROOT / "demo" / "workspace")
    parser.add_argument("--data", type=Path, default=ROOT / "demo" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "walkthrough")
    args = parser.parse_args()
    if not (args.workspace / "ladder.toml").is_file():
        raise SystemExit(f"{args.workspace} is not a workspace: run `make demo` first")
    taken = walk(args.workspace, args.out, args.data)
    size = sum(p.stat().st_size for p in taken)
    print(f"{len(taken)} screenshots, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
