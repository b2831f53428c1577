"""PDF of the HTML report, with WeasyPrint (no browser needed).

The PDF uses one font, Liberation Sans (shipped in ``reports/assets/fonts``, SIL OFL 1.1),
embedded, for text and charts alike, so a report comes out the same on every machine. It is
a tagged PDF (PDF/UA-1 where WeasyPrint supports it) with the document outline from the
headings, page numbers and a running header.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

FONT_FAMILY = "Ladder Sans"
FONT_FILES = {
    ("normal", "normal"): "LiberationSans-Regular.ttf",
    ("bold", "normal"): "LiberationSans-Bold.ttf",
    ("normal", "italic"): "LiberationSans-Italic.ttf",
    ("bold", "italic"): "LiberationSans-BoldItalic.ttf",
}
_SVG_FONT = re.compile(r'font-family(=|:\s*)("[^"]*"|\'[^\']*\'|[^;">]+)')


def font_css() -> str:
    """@font-face rules for the shipped font, and every element set in it."""
    folder = resources.files("ladder.reports") / "assets" / "fonts"
    rules = []
    for (weight, style), name in FONT_FILES.items():
        url = Path(str(folder / name)).resolve().as_uri()
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{url}'); "
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    rules.append(f"* {{ font-family: '{FONT_FAMILY}' !important; }}")
    return "\n".join(rules)


def fixed_font(html: str) -> str:
    """The HTML with every SVG font reference set to the shipped font."""

    def swap(match: re.Match[str]) -> str:
        if match.group(1) == "=":
            return f'font-family="{FONT_FAMILY}"'
        return f"font-family: '{FONT_FAMILY}'"

    return _SVG_FONT.sub(swap, html)


def write_pdf(html: str, path: Path) -> None:
    """Render ``html`` (self-contained) to an A4 PDF at ``path``."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=font_css(), font_config=fonts)
    document = weasyprint.HTML(string=fixed_font(html))
    document.write_pdf(
        str(path),
        stylesheets=[css],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=False,
    )
