"""The three engines Ladder runs on: Polars (default), DuckDB and PySpark (public module).

Both :mod:`ladder.place` (enrichment) and :mod:`ladder.metrics` (indicators) build on this
module, which sits below both (docs/architecture.md).

Every indicator is written once against Narwhals; an engine only turns canonical Parquet
files into a Narwhals LazyFrame of its own kind. Heavy work (filters, joins, group-bys)
runs in the engine; the small aggregated tables come back as Polars for the statistics.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used, so that naming an engine (the CLI) stays cheap
    import narwhals as nw
    import polars as pl


class EngineName(StrEnum):
    polars = "polars"
    duckdb = "duckdb"
    spark = "spark"


class EngineUnavailable(RuntimeError):
    """The engine's library (or Java, for Spark) is not installed."""


def scan(
    engine: EngineName, files: Sequence[Path], schema: dict[str, pl.DataType]
) -> nw.LazyFrame[Any]:
    """Canonical Parquet ``files`` as a Narwhals LazyFrame on ``engine``.

    Columns missing from a file are added as nulls of the contract type, so every frame
    has the full canonical schema.
    """
    import narwhals as nw
    import polars as pl

    paths = [str(f) for f in files]
    if engine is EngineName.polars:
        native_pl = pl.scan_parquet(
            paths, schema=schema, missing_columns="insert", extra_columns="ignore"
        )
        return nw.from_native(native_pl)
    if engine is EngineName.duckdb:
        con = duckdb_connection()
        rel = con.read_parquet(paths, union_by_name=True)
        frame = nw.from_native(rel)
        return _complete(frame, schema)
    spark = spark_session()
    sdf = spark.read.option("mergeSchema", "true").parquet(*paths)
    return _complete(nw.from_native(sdf), schema)


def _complete(frame: nw.LazyFrame[Any], schema: dict[str, pl.DataType]) -> nw.LazyFrame[Any]:
    """Add any canonical column a file lacks, as typed nulls, and order the columns."""
    import narwhals as nw

    present = set(frame.collect_schema().names())
    missing = [
        nw.lit(None, dtype=_nw_dtype(dtype)).alias(name)
        for name, dtype in schema.items()
        if name not in present
    ]
    if missing:
        frame = frame.with_columns(*missing)
    return frame.select(*schema)


def _nw_dtype(dtype: pl.DataType) -> Any:
    import narwhals as nw
    import polars as pl

    mapping: dict[Any, Any] = {
        pl.String: nw.String(),
        pl.Int64: nw.Int64(),
        pl.Float64: nw.Float64(),
        pl.Boolean: nw.Boolean(),
        pl.Date: nw.Date(),
    }
    return mapping[type(dtype)] if type(dtype) in mapping else mapping[dtype]


@cache
def duckdb_connection() -> Any:
    """The process's DuckDB connection (created once)."""
    try:
        import duckdb
    except ImportError as exc:  # pragma: no cover - duckdb is a dependency
        raise EngineUnavailable("DuckDB is not installed: pip install duckdb") from exc
    return duckdb.connect()


@cache
def spark_session() -> Any:
    """A local Spark session (all cores, no UI), created once per process."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineUnavailable(
            "PySpark is not installed: pip install 'ladder-mobility[spark]' (needs Java 17+)"
        ) from exc
    try:
        session = (
            SparkSession.builder.master("local[*]")
            .appName("ladder")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "4g")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate()
        )
    except Exception as exc:  # Java missing or failing to start
        raise EngineUnavailable(f"Spark could not start ({exc}); is Java 17+ installed?") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def materialise(frame: nw.LazyFrame[Any], engine: EngineName) -> nw.LazyFrame[Any]:
    """Compute ``frame`` once and keep it, so that several indicators can reuse it."""
    import narwhals as nw

    native = frame.to_native()
    if engine is EngineName.polars:
        kept = native.collect().lazy()
    elif engine is EngineName.duckdb:
        kept = duckdb_connection().from_arrow(native.to_arrow_table())
    else:
        kept = native.cache()
    result: nw.LazyFrame[Any] = nw.from_native(kept)
    return result


def from_polars(frame: pl.DataFrame, engine: EngineName) -> nw.LazyFrame[Any]:
    """A small Polars frame as a Narwhals LazyFrame on ``engine`` (strings and integers)."""
    import narwhals as nw
    import polars as pl

    if engine is EngineName.polars:
        return nw.from_native(frame.lazy())
    if engine is EngineName.duckdb:
        relation: nw.LazyFrame[Any] = nw.from_native(
            duckdb_connection().from_arrow(frame.to_arrow())
        )
        return relation
    ddl = ", ".join(
        f"`{name}` {'string' if dtype == pl.String else 'bigint'}"
        for name, dtype in frame.schema.items()
    )
    spark_frame: nw.LazyFrame[Any] = nw.from_native(
        spark_session().createDataFrame(frame.rows(), schema=ddl)
    )
    return spark_frame
