"""Writing a delivery: the CSV files of the contract, from records."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from pipelines.intake.contract import EXTRACTS

Record = Mapping[str, object]


def format_value(value: object) -> str:
    """A value as the contract writes it: DD-MM-YYYY dates, decimal-comma amounts."""
    if value is None:
        return ""
    if isinstance(value, dt.date):  # DD-MM-YYYY (as strftime would, and much faster)
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
    if isinstance(value, Decimal | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",")
    return str(value)


def write_extract(path: Path, columns: Iterable[str], records: Iterable[Record]) -> int:
    columns = list(columns)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([format_value(record.get(c)) for c in columns])
            n += 1
    return n


def write_delivery(folder: Path, tables: Mapping[str, Iterable[Record]]) -> dict[str, int]:
    """Write the ten required files (one without records gets only its header) and the
    optional one when there are records for it."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        extract.file: write_extract(
            folder / extract.file, extract.column_names, tables.get(extract.table, ())
        )
        for extract in EXTRACTS
        if not extract.optional or tables.get(extract.table)
    }
