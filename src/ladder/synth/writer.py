"""Stream frames to disk chunk by chunk: CSV appended to an open file, Parquet row groups."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import polars as pl
import pyarrow.parquet as pq

Format = Literal["csv", "parquet"]


class ChunkWriter:
    """Writes one dataset file from successive frames with identical columns.

    CSV: the header is written once and each chunk appended (``encoding`` applies to the
    bytes). Parquet: one row group per chunk, zstd-compressed.
    """

    def __init__(self, path: Path, fmt: Format, encoding: str = "utf-8") -> None:
        self.path = path
        self.fmt = fmt
        self.encoding = encoding
        self.rows = 0
        self._csv = path.open("wb") if fmt == "csv" else None
        self._parquet: Any = None
        self._wrote_header = False

    def write(self, df: pl.DataFrame) -> None:
        """Append ``df`` (skipped when empty, except that the first call fixes the layout)."""
        if self._csv is not None:
            if df.height == 0 and self._wrote_header:
                return
            text = df.write_csv(include_header=not self._wrote_header)
            self._csv.write(text.encode(self.encoding))
            self._wrote_header = True
        else:
            if df.height == 0 and self._parquet is not None:
                return
            table = df.to_arrow(compat_level=pl.CompatLevel.oldest())
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(str(self.path), table.schema, compression="zstd")
            if df.height:
                self._parquet.write_table(table, row_group_size=df.height)
        self.rows += df.height

    def close(self) -> None:
        """Finish the file."""
        if self._csv is not None:
            self._csv.close()
            self._csv = None
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
