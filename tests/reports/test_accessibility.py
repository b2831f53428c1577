"""The HTML report passes axe-core (WCAG 2.2 AA rules) in headless Chromium with no serious
or critical violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import AXE, CHROMIUM, FLAGS, TAGS


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_core_finds_no_serious_violations(reports: Path, width: int) -> None:
    assert AXE.is_file(), "run `make test` (scripts/ensure-browser-tools.sh fetches axe-core)"
    page_file = reports / "R1H-2024-equality-report.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            scroll = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                TAGS,
            )
        finally:
            browser.close()
    assert scroll[0] <= scroll[1]  # no sideways scroll: wide tables scroll in their own box
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} elements"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert len(result["passes"]) > 10  # axe really ran its rules
