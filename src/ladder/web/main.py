"""The app ``ladder serve`` runs (uvicorn factory): workspace and options from the environment.

``LADDER_WEB_WORKSPACE`` (the folder), ``LADDER_WEB_DATABASE_URL`` (optional) and
``LADDER_WEB_INSECURE_DEV=1`` (plain http on 127.0.0.1 only).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from fastapi import FastAPI

from ladder.app import dashboard, results
from ladder.web.app import create_app


class SkipSurveyAnswers(logging.Filter):
    """Keep the staff survey's answer pages (``/s/<token>``) out of the server's access log,
    so no address or time of an answer is written anywhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(isinstance(a, str) and a.startswith("/s/") for a in args)


def from_environment() -> FastAPI:
    logging.getLogger("uvicorn.access").addFilter(SkipSurveyAnswers())
    app = create_app(
        Path(os.environ["LADDER_WEB_WORKSPACE"]),
        os.environ.get("LADDER_WEB_DATABASE_URL") or None,
        secure=os.environ.get("LADDER_WEB_INSECURE_DEV") != "1",
    )
    threading.Thread(target=_warm, args=(app,), daemon=True, name="ladder-warm").start()
    return app


def _warm(app: FastAPI) -> None:
    """Make the engine ready (the indicator families and the reference data they read) and
    render the dashboards' charts, in the background (a failure only means the first visitor
    of a dashboard, or the first run, waits for them)."""
    try:
        results.warm()
        dashboard.warm(app.state.workspace)
    except Exception:
        logging.getLogger("ladder.web").warning(
            "could not prepare the engine or the dashboards' charts"
        )
