"""PDF of the HTML report, with WeasyPrint (no browser needed)."""

from __future__ import annotations

import logging
from pathlib import Path


def write_pdf(html: str, path: Path) -> None:
    """Render ``html`` (self-contained) to an A4 PDF at ``path``."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    weasyprint.HTML(string=html).write_pdf(str(path))
