"""Place tests never read the developer's own imported reference files."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def user_reference_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user reference folder for each test."""
    folder = tmp_path / "user-reference"
    monkeypatch.setenv("LADDER_REFERENCE_DIR", str(folder))
    return folder
