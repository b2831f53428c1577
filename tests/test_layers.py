"""The layers hold at run time too: what importing a module really loads (sys.modules).

import-linter (``make lint``) checks the static imports against the layers contract in
pyproject.toml; these tests check, in a fresh interpreter, that the geography does not load
the indicator engine and that the command line starts without the heavy libraries.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import ladder.place


def _loaded_after(code: str) -> list[str]:
    """The ``ladder`` and third-party modules loaded by running ``code`` in a new interpreter."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_every_place_module_loads_no_metrics_module() -> None:
    names = sorted(m.name for m in pkgutil.walk_packages(ladder.place.__path__, "ladder.place."))
    assert "ladder.place.enrich" in names and "ladder.place.neighbourhoods" in names
    loaded = _loaded_after("\n".join(f"import {name}" for name in names))
    assert set(names) <= set(loaded)
    assert [m for m in loaded if m == "ladder.metrics" or m.startswith("ladder.metrics.")] == []


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    loaded = _loaded_after("import ladder.cli.app")
    heavy = {"polars", "altair", "weasyprint", "narwhals", "sqlalchemy", "alembic", "pyarrow"}
    assert "ladder.cli.app" in loaded
    assert sorted(heavy & {m.split(".")[0] for m in loaded}) == []


def test_the_light_list_of_dataset_names_is_the_contracts() -> None:
    from ladder.contract.datasets import DATASETS
    from ladder.contract.kinds import KINDS

    assert tuple(DATASETS) == KINDS


def test_the_public_face_of_metrics_names_what_callers_use() -> None:
    import ladder.metrics as metrics
    from ladder.metrics.inputs import load
    from ladder.metrics.results import Result
    from ladder.metrics.runner import run
    from ladder.metrics.settings import Settings

    assert {"load", "run", "Result", "Settings", "REGISTRY", "all_indicators"} <= set(
        metrics.__all__
    )
    assert (metrics.load, metrics.run, metrics.Result, metrics.Settings) == (
        load,
        run,
        Result,
        Settings,
    )
    assert all(getattr(metrics, name) is not None for name in metrics.__all__)


def test_a_commands_help_loads_no_data_library() -> None:
    run_help = (
        "import contextlib, io, sys\n"
        "sys.argv = ['ladder', 'metrics', '--help']\n"
        "from ladder.cli.app import app\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    app()"
    )
    loaded = {m.split(".")[0] for m in _loaded_after(run_help)}
    assert sorted(loaded & {"polars", "narwhals", "sqlalchemy", "altair", "duckdb"}) == []
