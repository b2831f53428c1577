"""Loading: a folder of files is read without the workspace's database stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl

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


def test_canonical_parquet_without_a_later_optional_column_is_read_as_is(tmp_path: Path) -> None:
    """A file written before an optional column joined the contract (applications gained
    ``stage``) is still canonical: it is scanned, not validated again row by row. A file
    lacking any other column may hold raw values, so it is validated."""
    from ladder.contract.datasets import DATASETS
    from ladder.metrics.inputs import _is_canonical

    schema = DATASETS["applications"].polars_schema()
    path = tmp_path / "applications.parquet"
    pl.DataFrame(schema={k: v for k, v in schema.items() if k != "stage"}).write_parquet(path)
    assert _is_canonical(path, "applications")
    pl.DataFrame(schema={**schema, "appointed": pl.String}).write_parquet(path)
    assert not _is_canonical(path, "applications")
    partial = {k: v for k, v in schema.items() if k not in ("stage", "home_postcode")}
    pl.DataFrame(schema=partial).write_parquet(path)
    assert not _is_canonical(path, "applications")
