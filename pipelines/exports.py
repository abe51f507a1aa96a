"""Exports: the kerncijfers mart as Parquet and as open-data CSV.

Both are deterministic: the same warehouse gives byte-identical files (fixed row order, no
timestamps in the Parquet metadata, plain number formatting in the CSV).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.config import MART_NAME
from pipelines.csvfiles import write_csv

COLUMNS = [
    "indicator",
    "gemeente",
    "periode_begin",
    "periode_eind",
    "categorie",
    "leeftijdsklasse",
    "duurklasse",
    "waarde",
    "eenheid",
]
ORDER = """indicator, gemeente, periode_begin nulls first, periode_eind,
    categorie nulls first, leeftijdsklasse nulls first, duurklasse nulls first"""
ARROW_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("gemeente", pa.string()),
        ("periode_begin", pa.date32()),
        ("periode_eind", pa.date32()),
        ("categorie", pa.string()),
        ("leeftijdsklasse", pa.string()),
        ("duurklasse", pa.string()),
        ("waarde", pa.float64()),
        ("eenheid", pa.string()),
    ]
)


def read_kerncijfers(warehouse: Path) -> pa.Table:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        table = con.sql(
            f"select {', '.join(COLUMNS)} from marts.{MART_NAME} order by {ORDER}"
        ).to_arrow_table()
    return table.cast(ARROW_SCHEMA).replace_schema_metadata(None)


def format_csv_value(value: object) -> str:
    """Open-data CSV: ISO dates, a decimal point, whole numbers without '.0', empty for null."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)  # the shortest text that reads back as the same double
        return text if "e" not in text else f"{value:.12f}".rstrip("0")
    return str(value)


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def write_table_csv(table: pa.Table, path: Path) -> None:
    names = table.column_names
    write_csv(path, names, ([format_csv_value(row[c]) for c in names] for row in table.to_pylist()))


def export_marts(warehouse: Path, marts_dir: Path) -> list[Path]:
    """Write marts/kerncijfers.parquet and marts/kerncijfers.csv; return their paths."""
    marts_dir.mkdir(parents=True, exist_ok=True)
    table = read_kerncijfers(warehouse)
    parquet, csv_path = marts_dir / f"{MART_NAME}.parquet", marts_dir / f"{MART_NAME}.csv"
    write_parquet(table, parquet)
    write_table_csv(table, csv_path)
    return [parquet, csv_path]
