"""Fuzz: random bytes and random CSV shapes always give a structured result, never an exception."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.contract.datasets import DATASETS
from ladder.io.problems import PROBLEM_CODES
from ladder.io.validate import validate_file

KINDS = st.sampled_from(sorted(DATASETS))
HEADERS = st.sampled_from(
    [
        *sorted({a for d in DATASETS.values() for c in d.columns for a in (c.name, *c.aliases)}),
        "",
        "junk",
        "Ethnic Origin",
        "Ethnic Origin",
    ]
)
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "A",
            "Q",
            "99",
            "Band 8a",
            "8A",
            "31/02/2024",
            "2024-03-31",
            "45382",
            "-1",
            "£1,2",
            "Y",
            "N",
            "Not Declared",
            "E1 1BB",
            "R1H",
            "nan",
            "1e400",
            '"',
            "\n",
            "\x00",
        ]
    ),
)
SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _assert_structured(path: Path, kind: str) -> None:
    result = validate_file(path, kind)
    for problem in result.problems:
        assert problem.code in PROBLEM_CODES
        assert problem.reason and problem.hint
        assert problem.format().startswith(str(path))
    if result.blocking:
        assert result.valid_rows().height == 0
    else:
        assert result.valid_rows().height + len(result.bad_rows) == result.rows_read


@SETTINGS
@given(data=st.binary(max_size=2000), kind=KINDS)
def test_random_bytes(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _assert_structured(path, kind)


@SETTINGS
@given(
    headers=st.lists(HEADERS, min_size=1, max_size=10),
    rows=st.lists(st.lists(CELLS, max_size=12), max_size=8),
    kind=KINDS,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_random_csv_shapes(
    tmp_path: Path,
    headers: list[str],
    rows: list[list[str]],
    kind: str,
    delimiter: str,
    encoding: str,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path = tmp_path / "shape.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    _assert_structured(path, kind)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=500))
def test_cli_never_shows_a_traceback(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["validate", str(path), "--kind", "staff"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
