"""Validation in chunks (ladder.io.stream) gives the whole-file result, row numbers included."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.io.readers import open_chunks
from ladder.io.stream import ChunkedValidation, KeyIndex, check_file, resolve_chunk_rows
from ladder.io.validate import Validation, validate_file
from tests.io.test_fuzz import CELLS, HEADERS, KINDS, SETTINGS

DATA = Path(__file__).parent.parent / "data"
HEAD = "application_id,vacancy_id,org_code,applied_date,ethnic_category,sex,shortlisted,appointed"


def _applications(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def _row(app_id: str, org: str = "R1H", date: str = "2024-01-10", ethnic: str = "A") -> str:
    return f"{app_id},V1,{org},{date},{ethnic},female,Y,N"


def _same(streamed: Validation, whole: Validation) -> None:
    assert [p.format() for p in streamed.problems] == [p.format() for p in whole.problems]
    assert streamed.problems == whole.problems
    assert streamed.rows_read == whole.rows_read
    assert streamed.bad_rows.to_list() == whole.bad_rows.to_list()
    assert streamed.blocking == whole.blocking
    assert (streamed.file_format, streamed.encoding) == (whole.file_format, whole.encoding)
    assert streamed.ignored_columns == whole.ignored_columns


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 1000])
def test_messy_export_streamed_in_chunks_lists_the_same_problems(rows: int) -> None:
    path = DATA / "messy_staff.csv"
    _same(check_file(path, "staff", chunk_rows=rows), validate_file(path, "staff"))


def test_duplicates_across_chunk_boundaries_name_the_first_row(tmp_path: Path) -> None:
    # File rows 2..8; chunks of two rows: [2, 3] [4, 5] [6, 7] [8].
    path = _applications(
        tmp_path / "apps.csv",
        [_row("A"), _row("B"), _row("C"), _row(" A"), _row("C"), _row("A"), _row("B", "RR8")],
    )
    result = check_file(path, "applications", chunk_rows=2)
    assert [(p.row, p.value, p.reason) for p in result.problems] == [
        (5, " A", "duplicate application_id: the same ID is on row 2"),
        (6, "C", "duplicate application_id: the same ID is on row 4"),
        (7, "A", "duplicate application_id: the same ID is on row 2"),
    ]  # B at row 8 is another organisation's application: not a repeat
    assert result.bad_rows.to_list() == [5, 6, 7]
    _same(result, validate_file(path, "applications"))


def test_a_key_repeated_within_and_across_chunks_names_its_first_row(tmp_path: Path) -> None:
    # Chunks of three: [2, 3, 4] [5, 6, 7]; X first on row 2, again on rows 5 and 7.
    path = _applications(
        tmp_path / "apps.csv", [_row("X"), _row("Y"), _row("Z"), _row("X"), _row("W"), _row("X")]
    )
    result = check_file(path, "applications", chunk_rows=3)
    assert [(p.row, p.reason) for p in result.problems] == [
        (5, "duplicate application_id: the same ID is on row 2"),
        (7, "duplicate application_id: the same ID is on row 2"),
    ]


def test_problems_keep_file_row_numbers_across_chunks(tmp_path: Path) -> None:
    rows = [_row(f"A{i}") for i in range(12)]
    rows[8] = _row("A8", date="31/02/2024")  # file row 10
    rows[10] = _row("A10", ethnic="Q")  # file row 12
    path = _applications(tmp_path / "apps.csv", rows)
    stream = ChunkedValidation(path, "applications", chunk_rows=4)
    chunks = list(stream)
    assert [c.rows_read for c in chunks] == [4, 4, 4]
    assert [p.row for p in stream.result().problems] == [10, 12]
    last = chunks[2]  # file rows 10..13
    assert last.rejected_rows().get_column("row").to_list() == [10, 12]
    assert last.rejected_rows().get_column("application_id").to_list() == ["A8", "A10"]
    assert last.valid_rows().get_column("application_id").to_list() == ["A9", "A11"]


def test_missing_column_is_reported_once_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text("application_id,org_code\n" + "".join(f"A{i},R1H\n" for i in range(9)))
    result = check_file(path, "applications", chunk_rows=2)
    missing = [p for p in result.problems if p.code == "missing_column"]
    assert [p.column for p in missing] == [
        "vacancy_id",
        "applied_date",
        "shortlisted",
        "appointed",
    ]
    assert result.blocking and result.rows_read == 9
    _same(result, validate_file(path, "applications"))


def test_parquet_is_read_in_chunks_with_its_row_count(tmp_path: Path) -> None:
    path = tmp_path / "apps.parquet"
    frame = pl.DataFrame(
        {
            "application_id": [f"A{i % 7}" for i in range(20)],
            "vacancy_id": ["V1"] * 20,
            "org_code": ["R1H", "RR8"] * 10,
            "applied_date": [dt.date(2024, 1, 1)] * 20,
            "ethnic_category": ["A"] * 19 + ["Q"],
            "shortlisted": [True, False] * 10,
            "appointed": [False] * 20,
        }
    )
    frame.write_parquet(path)
    chunks = open_chunks(path, chunk_rows=6)
    assert chunks is not None and chunks.total_rows == 20 and chunks.format == "parquet"
    tables = list(chunks.tables)
    assert [t.frame.height for t in tables] == [6, 6, 6, 2]
    assert tables[1].data_rows().to_list() == list(range(8, 14))  # file rows: header is 1
    streamed = ChunkedValidation(path, "applications", chunk_rows=6)
    list(streamed)
    assert streamed.total_rows == 20
    _same(streamed.result(), validate_file(path, "applications"))


def test_a_malformed_row_in_a_later_chunk_blocks_the_whole_file(tmp_path: Path) -> None:
    rows = [_row(f"A{i}") for i in range(30)]
    rows[24] += ",extra"  # file row 26: one cell too many
    path = _applications(tmp_path / "apps.csv", rows)
    stream = ChunkedValidation(path, "applications", chunk_rows=5)
    seen = [chunk.rows_read for chunk in stream]
    assert sum(seen) < 30  # some chunks were validated before the bad row was reached
    result = stream.result()
    assert stream.failed and result.blocking and result.rows_read == 0
    assert [(p.code, p.row) for p in result.problems] == [("unreadable", 26)]
    _same(result, validate_file(path, "applications"))


@pytest.mark.parametrize("content", [b"", b"application_id,vacancy_id\n", b"\x00\x01binary"])
def test_empty_and_unreadable_files_as_for_a_whole_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    _same(check_file(path, "applications", chunk_rows=2), validate_file(path, "applications"))


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    result = check_file(pipe, "staff", chunk_rows=2)
    assert [(p.code, p.reason) for p in result.problems] == [
        ("unreadable", "is a named pipe, not a regular file")
    ]


def test_windows_1252_csv_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    rows = [_row(f"Zoë{i}") for i in range(7)] + [_row("Zoë1")]
    path.write_bytes(("\n".join([HEAD, *rows]) + "\n").encode("cp1252"))
    streamed = check_file(path, "applications", chunk_rows=3)
    assert streamed.encoding == "cp1252"
    assert [(p.row, p.value) for p in streamed.problems] == [(9, "Zoë1")]
    _same(streamed, validate_file(path, "applications"))


def _keys(orgs: list[str | None], ids: list[str], rows: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"org_code": orgs, "id": ids, "_row": rows})


def test_key_index_remembers_first_rows_of_earlier_chunks() -> None:
    index = KeyIndex()
    first = pl.DataFrame(
        {"org_code": ["R1H", "R1H", None], "id": ["a", "b", "c"], "_row": [2, 3, 4]}
    )
    assert index.first_rows(first).to_list() == [None, None, None]
    index.commit()
    second = pl.DataFrame(
        {"org_code": ["R1H", "RR8", None], "id": ["b", "a", "c"], "_row": [5, 6, 7]}
    )
    assert index.first_rows(second).to_list() == [3, None, None]  # a null key never repeats
    index.commit()
    third = _keys(["RR8", "R1H"], ["a", "a"], [8, 9])
    assert index.first_rows(third).to_list() == [6, 2]


def test_chunk_rows_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LADDER_CHUNK_ROWS", raising=False)
    assert resolve_chunk_rows() == 500_000
    monkeypatch.setenv("LADDER_CHUNK_ROWS", "1_000")
    assert resolve_chunk_rows() == 1000
    assert resolve_chunk_rows(7) == 7
    monkeypatch.setenv("LADDER_CHUNK_ROWS", "0")
    assert resolve_chunk_rows() == 0


@SETTINGS
@given(
    headers=st.lists(HEADERS, min_size=1, max_size=10),
    rows=st.lists(st.lists(CELLS, max_size=12), max_size=8),
    kind=KINDS,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    chunk=st.integers(min_value=1, max_value=4),
)
def test_random_csv_shapes_streamed_as_whole(
    tmp_path: Path,
    headers: list[str],
    rows: list[list[str]],
    kind: str,
    delimiter: str,
    encoding: str,
    chunk: int,
) -> None:
    """Fuzz: any CSV validated in chunks of 1-4 rows gives exactly the whole-file result."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path = tmp_path / "shape.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    _same(check_file(path, kind, chunk_rows=chunk), validate_file(path, kind))


@SETTINGS
@given(data=st.binary(max_size=2000), kind=KINDS, chunk=st.integers(min_value=1, max_value=3))
def test_random_bytes_streamed_as_whole(tmp_path: Path, data: bytes, kind: str, chunk: int) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _same(check_file(path, kind, chunk_rows=chunk), validate_file(path, kind))
