"""Validate a file chunk by chunk, so that memory stays bounded at any file size.

A CSV or Parquet file is read ``chunk_rows`` rows at a time (:func:`ladder.io.readers.
open_chunks`: the header found below a title block, blank rows skipped, totals rows at the
bottom left out, as a whole file is read) and each chunk goes through the same
:func:`ladder.io.validate.validate_table` as a whole file does; every chunk carries its
rows' file numbers. What needs the whole file is carried from chunk to chunk here:

- **duplicate keys**: the first row of every key seen so far (a key repeated in a later
  chunk is reported on that row, naming the first row, as for a whole file);
- **file-level problems** (a missing or doubled column, found again in every chunk) are
  listed once;
- the totals: rows read, every problem, the rows with problems.

An XLSX workbook (bounded in size by Excel's own limits), a file read with an explicit
header row, and ``chunk_rows`` of 0 go through :func:`ladder.io.validate.validate_file`
as one chunk: the whole-file path, unchanged.

The chunk size is ``chunk_rows`` when given, else ``$LADDER_CHUNK_ROWS``, else
:data:`DEFAULT_CHUNK_ROWS`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from ladder.contract.datasets import dataset
from ladder.io.errors import ReadError
from ladder.io.problems import Problem
from ladder.io.readers import open_chunks
from ladder.io.validate import ROW, Validation, unreadable, validate_file, validate_table

__all__ = [
    "CHUNK_ROWS_ENV",
    "DEFAULT_CHUNK_ROWS",
    "ChunkedValidation",
    "KeyIndex",
    "check_file",
    "resolve_chunk_rows",
]

CHUNK_ROWS_ENV = "LADDER_CHUNK_ROWS"
DEFAULT_CHUNK_ROWS = 500_000
"""Rows per chunk: about 0.5 GB of working memory for a 20-column file."""

# Two independently seeded 64-bit hashes identify a key: for 10 million distinct keys the
# chance that two of them share both is about 1 in 10^24.
_SEEDS = (0x1ADDE5, 0x5EB0A7)


def resolve_chunk_rows(given: int | None = None) -> int:
    """Rows per chunk: ``given``, else ``$LADDER_CHUNK_ROWS``, else the default (0: whole)."""
    if given is not None:
        return max(given, 0)
    text = os.environ.get(CHUNK_ROWS_ENV, "").strip()
    if not text:
        return DEFAULT_CHUNK_ROWS
    try:
        return max(int(text.replace("_", "").replace(",", "")), 0)
    except ValueError:
        return DEFAULT_CHUNK_ROWS


class KeyIndex:
    """The first file row of every complete key of the chunks validated so far.

    :meth:`first_rows` is the ``earlier`` hook of :func:`validate_table`; :meth:`commit`
    adds the keys the last chunk introduced, once that chunk is done. Keys are held as two
    64-bit hashes and a row number: 24 bytes a key, whatever the IDs look like.
    """

    def __init__(self) -> None:
        self._seen: list[pl.DataFrame] = []
        self._pending: pl.DataFrame | None = None

    def first_rows(self, keys: pl.DataFrame) -> pl.Series:
        """For each row of ``keys`` (key columns and ``_row``), its key's first row before."""
        columns = [c for c in keys.columns if c != ROW]
        key = pl.struct(columns)
        hashed = (
            keys.select(
                key.hash(_SEEDS[0]).alias("h1"),
                key.hash(_SEEDS[1]).alias("h2"),
                pl.col(ROW),
                pl.all_horizontal(pl.col(columns).is_not_null()).alias("complete"),
            )
            .with_row_index("i")
            .filter("complete")
            .drop("complete")
        )
        earlier = pl.repeat(None, keys.height, dtype=pl.Int64, eager=True).alias("first")
        if self._seen:
            # A scan of the seen keys for this chunk's first hash (cheap), then an exact join
            # of the few candidates on both hashes.
            seen = pl.concat(self._seen, rechunk=False)
            candidates = seen.filter(pl.col("h1").is_in(hashed.get_column("h1").implode()))
            if candidates.height:
                found = hashed.join(candidates, on=["h1", "h2"], how="inner")
                earlier = earlier.scatter(found.get_column("i"), found.get_column("first"))
                hashed = hashed.join(found.select("i"), on="i", how="anti")
        # Rows are in file order, so the first of each new key is its first row. (Only rows
        # sharing a first hash need the slower exact pass over both.)
        shared = hashed.get_column("h1").is_duplicated()
        if shared.any():
            repeated = hashed.filter(shared).unique(["h1", "h2"], keep="first", maintain_order=True)
            hashed = pl.concat([hashed.filter(~shared), repeated])
        self._pending = hashed.select("h1", "h2", pl.col(ROW).alias("first"))
        return earlier

    def commit(self) -> None:
        """Remember the new keys of the chunk just validated."""
        if self._pending is not None and self._pending.height:
            self._seen.append(self._pending)
        self._pending = None


class ChunkedValidation:
    """The validation of one file, chunk by chunk: iterate it once for the chunks.

    Each chunk is a :class:`Validation` of its rows (file row numbers; a key repeated from an
    earlier chunk is a problem there). After iteration :meth:`result` is the validation of the
    whole file without its rows: every problem (file-level ones once), rows read, rows with
    problems. A read error further down the file ends the iteration, and the result is then
    that one blocking problem, as for a whole file that cannot be read.

    ``options`` go to :func:`validate_table` (``org`` and whatever else it takes).
    """

    def __init__(
        self,
        path: Path,
        kind: str,
        *,
        chunk_rows: int | None = None,
        sheet: str | int | None = None,
        header_row: int | None = None,
        **options: Any,
    ) -> None:
        self.path = path
        self.kind = kind
        self.dataset = dataset(kind)
        self.chunk_rows = resolve_chunk_rows(chunk_rows)
        self.sheet = sheet
        self.header_row = header_row
        self.options = options
        self.rows_read = 0
        self.problems: list[Problem] = []
        self.total_rows: int | None = None
        self._file_level: set[Problem] = set()
        self._bad: list[pl.Series] = []
        self._first: Validation | None = None
        self._failed: Validation | None = None
        self._started = False
        self._notes: list[str] | None = None  # what the chunked reader left out

    def __iter__(self) -> Iterator[Validation]:
        if self._started:
            raise RuntimeError("a ChunkedValidation is iterated once")
        self._started = True
        for chunk in self._chunks():
            self._add(chunk)
            yield chunk

    def _whole(self) -> Validation:
        extra: dict[str, Any] = {} if self.sheet is None else {"sheet": self.sheet}
        if self.header_row is not None:
            extra["header_row"] = self.header_row
        return validate_file(self.path, self.kind, **extra, **self.options)

    def _chunks(self) -> Iterator[Validation]:
        if self.chunk_rows == 0 or self.header_row is not None:
            yield self._whole()
            return
        try:
            chunks = open_chunks(self.path, chunk_rows=self.chunk_rows, dataset=self.dataset)
        except ReadError as exc:
            self._failed = unreadable(self.dataset, self.path, exc)
            return
        if chunks is None:  # a workbook: read whole
            yield self._whole()
            return
        self.total_rows = chunks.total_rows
        self._notes = chunks.notes
        index = KeyIndex()
        try:
            for table in chunks.tables:
                chunk = validate_table(
                    table,
                    self.dataset,
                    source=self.path,
                    earlier=index.first_rows,
                    **self.options,
                )
                index.commit()
                yield chunk
        except ReadError as exc:
            self._failed = unreadable(self.dataset, self.path, exc)

    def _add(self, chunk: Validation) -> None:
        if self._first is None:
            self._first = chunk
        self.rows_read += chunk.rows_read
        file_level = set()
        for problem in chunk.problems:
            if problem.row is None or problem.blocking:
                if problem in self._file_level:
                    continue  # found again in this chunk: listed once for the file
                file_level.add(problem)
            self.problems.append(problem)
        self._file_level |= file_level
        if len(chunk.bad_rows):
            self._bad.append(chunk.bad_rows)

    @property
    def failed(self) -> bool:
        """True when the file could not be read (to its end)."""
        return self._failed is not None

    def result(self) -> Validation:
        """The whole file's validation, without rows (call after iterating)."""
        if self._failed is not None:
            return self._failed
        if self._first is None:
            raise RuntimeError("iterate the ChunkedValidation before asking for its result")
        first = self._first
        bad = pl.concat(self._bad).alias(ROW) if self._bad else pl.Series(ROW, [], dtype=pl.Int64)
        return dataclasses.replace(
            first,
            problems=list(self.problems),
            rows_read=self.rows_read,
            canonical=first.canonical.clear(),
            raw=first.raw.clear(),
            bad_rows=bad,
            notes=list(first.notes if self._notes is None else self._notes),
        )


def check_file(
    path: Path,
    kind: str,
    *,
    chunk_rows: int | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    **options: Any,
) -> Validation:
    """Validate ``path`` in chunks: every problem, without keeping the rows (bounded memory).

    The result is :func:`validate_file`'s for the same file, except that it holds no rows.
    """
    stream = ChunkedValidation(
        path, kind, chunk_rows=chunk_rows, sheet=sheet, header_row=header_row, **options
    )
    for _chunk in stream:
        pass
    return stream.result()
