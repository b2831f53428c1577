"""The app ``ladder serve`` runs (uvicorn factory): workspace and options from the environment.

``LADDER_WEB_WORKSPACE`` (the folder), ``LADDER_WEB_DATABASE_URL`` (optional) and
``LADDER_WEB_INSECURE_DEV=1`` (plain http on 127.0.0.1 only).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from ladder.web.app import create_app


def from_environment() -> FastAPI:
    return create_app(
        Path(os.environ["LADDER_WEB_WORKSPACE"]),
        os.environ.get("LADDER_WEB_DATABASE_URL") or None,
        secure=os.environ.get("LADDER_WEB_INSECURE_DEV") != "1",
    )
