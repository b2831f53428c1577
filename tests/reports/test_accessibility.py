"""The HTML report passes axe-core (WCAG 2.2 AA rules) in headless Chromium with no serious
or critical violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import AXE, CHROMIUM, FLAGS, axe, serious


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for both widths (each test opens its own page)."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_core_finds_no_serious_violations(reports: Path, browser: Any, width: int) -> None:
    assert AXE.is_file(), "run `make test` (scripts/ensure-browser-tools.sh fetches axe-core)"
    page_file = reports / "R1H-2024-equality-report.html"
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(page_file.as_uri())
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        result = axe(page)
    finally:
        page.close()
    assert scroll[0] <= scroll[1]  # no sideways scroll: wide tables scroll in their own box
    assert serious(result) == []
    assert len(result["passes"]) > 10  # axe really ran its rules
