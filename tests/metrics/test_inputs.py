"""Loading: a folder of files is read without the workspace's database stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ladder.metrics.inputs import WORKSPACE_MARKER
from ladder.store.config import CONFIG_NAME


def test_a_folder_is_told_from_a_workspace_by_the_stores_own_marker() -> None:
    assert WORKSPACE_MARKER == CONFIG_NAME


def test_loading_a_folder_imports_no_store(tmp_path: Path) -> None:
    import polars as pl

    pl.DataFrame({"org_code": ["R1H"], "staff_id": ["S1"]}).write_csv(tmp_path / "staff.csv")
    code = (
        "import sys; from pathlib import Path; from ladder.metrics.inputs import load; "
        f"load(Path({str(tmp_path)!r})).close(); "
        "print(any(m.startswith('ladder.store') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
