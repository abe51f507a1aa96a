"""Exports: the tables a run publishes, as Parquet and as plain CSV.

- ``marts/kerncijfers``: the key figures (with their status and series breaks);
- ``marts/revisies``: the figures that changed since the previous vintage;
- ``historie/kerncijfers.parquet``: every vintage published in this output folder;
- ``historie/dekking.parquet``: per vintage, the period each domain's source covered;
- ``historie/geheimhouding.parquet``: per vintage, which of its cells disclosure control
  withheld from the open data and why (what the verkenner may show under ``--openbaar``).

Every export is deterministic: the same warehouse gives byte-identical files (fixed row order,
no timestamps in the Parquet metadata, plain number formatting in the CSV).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.publish.csvfiles import write_csv

KEY = [
    ("indicator", pa.string()),
    ("gemeente", pa.string()),
    ("periode_begin", pa.date32()),
    ("periode_eind", pa.date32()),
    ("categorie", pa.string()),
    ("leeftijdsklasse", pa.string()),
    ("duurklasse", pa.string()),
]
FIGURE = [
    ("waarde", pa.float64()),
    ("eenheid", pa.string()),
    ("status", pa.string()),
    ("reeksbreuk", pa.bool_()),
]
ORDER = """indicator, gemeente, periode_begin nulls first, periode_eind,
    categorie nulls first, leeftijdsklasse nulls first, duurklasse nulls first"""


@dataclass(frozen=True)
class Export:
    relation: str  # in the warehouse
    columns: list[tuple[str, pa.DataType]]
    order: str
    csv: bool = True

    @property
    def schema(self) -> pa.Schema:
        return pa.schema(self.columns)

    @property
    def names(self) -> list[str]:
        return [name for name, _type in self.columns]


KERNCIJFERS = Export("marts.kerncijfers", [*KEY, *FIGURE], ORDER)
REVISIES = Export(
    "marts.revisies",
    [
        *KEY,
        ("eenheid", pa.string()),
        ("vorige_waarde", pa.float64()),
        ("waarde", pa.float64()),
        ("verschil", pa.float64()),
        ("vorige_exportdatum", pa.date32()),
        ("exportdatum", pa.date32()),
        ("vorige_status", pa.string()),
        ("status", pa.string()),
    ],
    ORDER,
)
HISTORIE = Export(
    "historie.kerncijfers",
    [*KEY, *FIGURE, ("exportdatum", pa.date32()), ("run_id", pa.string())],
    "exportdatum nulls first, " + ORDER,
    csv=False,
)
DEKKING_HISTORIE = Export(
    "historie.dekking",
    [
        ("domein", pa.string()),
        ("bestand", pa.string()),
        ("rijen", pa.int64()),
        ("eerste_datum", pa.date32()),
        ("laatste_datum", pa.date32()),
        ("exportdatum", pa.date32()),
    ],
    "exportdatum nulls first, domein",
    csv=False,
)
GEHEIMHOUDING_HISTORIE = Export(
    "historie.geheimhouding",
    [*KEY, ("exportdatum", pa.date32()), ("geheim", pa.bool_()), ("reden", pa.string())],
    "exportdatum nulls first, " + ORDER,
    csv=False,
)
COLUMNS = KERNCIJFERS.names


def read(warehouse: Path, export: Export) -> pa.Table:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        table = con.sql(
            f"select {', '.join(export.names)} from {export.relation} order by {export.order}"
        ).to_arrow_table()
    return table.cast(export.schema).replace_schema_metadata(None)


def format_csv_value(value: object) -> str:
    """Open-data CSV: ISO dates, a decimal point, whole numbers without '.0', true/false,
    empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
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


def export(warehouse: Path, what: Export, folder: Path, name: str) -> list[Path]:
    """Write `name`.parquet (and .csv) in folder; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    table = read(warehouse, what)
    paths = [folder / f"{name}.parquet"]
    write_parquet(table, paths[0])
    if what.csv:
        paths.append(folder / f"{name}.csv")
        write_table_csv(table, paths[1])
    return paths


def export_marts(warehouse: Path, marts_dir: Path) -> list[Path]:
    """The key figures and the revisions, as Parquet and CSV."""
    return export(warehouse, KERNCIJFERS, marts_dir, "kerncijfers") + export(
        warehouse, REVISIES, marts_dir, "revisies"
    )


def export_history(warehouse: Path, history_dir: Path) -> list[Path]:
    """Every vintage published in this output folder and its coverage, this run's included."""
    return export(warehouse, HISTORIE, history_dir, "kerncijfers") + export(
        warehouse, DEKKING_HISTORIE, history_dir, "dekking"
    )


def export_protection_history(warehouse: Path, history_dir: Path) -> list[Path]:
    """Per vintage the cells disclosure control withheld, this run's included."""
    return export(warehouse, GEHEIMHOUDING_HISTORIE, history_dir, "geheimhouding")


def load_history(con: duckdb.DuckDBPyConnection, previous: Path | None) -> int:
    """``raw.historie_kerncijfers``, ``raw.historie_dekking`` and
    ``raw.historie_geheimhouding``: the vintages published before this run, their coverage and
    their disclosure control (from the current publication's history; a publication from
    before the last two were kept has only the first), empty for the first run. Returns the
    number of vintages."""
    con.execute("create schema if not exists raw")
    for what in (HISTORIE, DEKKING_HISTORIE, GEHEIMHOUDING_HISTORIE):
        name = what.relation.split(".")[1]
        columns = ", ".join(f"{column} {duck_type(kind)}" for column, kind in what.columns)
        con.execute(f"create or replace table raw.historie_{name} ({columns})")
        path = previous.with_name(f"{name}.parquet") if previous is not None else None
        if path is not None and path.is_file():
            con.execute(
                f"insert into raw.historie_{name} select {', '.join(what.names)} "
                f"from read_parquet(?)",
                [str(path)],
            )
    return con.execute(
        "select count(distinct exportdatum) from raw.historie_kerncijfers"
    ).fetchone()[0]


def duck_type(kind: pa.DataType) -> str:
    return {
        pa.string(): "varchar",
        pa.date32(): "date",
        pa.float64(): "double",
        pa.bool_(): "boolean",
        pa.int64(): "bigint",
    }[kind]
