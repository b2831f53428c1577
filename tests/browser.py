"""What every browser test shares: Debian's Chromium, its flags here, and axe-core's script.

Playwright drives the system Chromium (its own browser download is not available); the flags
keep it off the network; axe-core is fetched by scripts/ensure-browser-tools.sh (make test).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


AXE_RUN = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})"


def axe(page: Any, *, through_devtools: bool = False) -> dict[str, Any]:
    """axe-core's result (rules of :data:`TAGS`) on the page. ``through_devtools`` evaluates
    the script over the DevTools protocol, which a page's Content-Security-Policy does not
    govern (the web service's pages); otherwise it is added as a script tag."""
    if through_devtools:
        page.evaluate(AXE.read_text(encoding="utf-8"))
    else:
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(AXE_RUN, TAGS)
    return result


def serious(result: dict[str, Any]) -> list[str]:
    """The serious and critical violations of an axe-core result, one line each."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {len(v['nodes'])} elements, e.g. "
        f"{[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL
    and stops it on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
