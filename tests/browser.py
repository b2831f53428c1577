"""What every browser test shares: Debian's Chromium, its flags here, and axe-core's script.

Playwright drives the system Chromium (its own browser download is not available); the flags
keep it off the network; axe-core is fetched by scripts/ensure-browser-tools.sh (make test).
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parents[1] / ".cache" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""axe-core rule tags: WCAG 2.0, 2.1 and 2.2 A and AA."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a test server."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
