"""Writing CSV files that people open in a spreadsheet.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return runs as a
formula in Excel or LibreOffice (CSV injection, OWASP). Such a cell gets a leading apostrophe,
which a spreadsheet shows as text; numbers (``-12,5``) are left as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")


def spreadsheet_safe(value: object) -> object:
    """The value, or a text that cannot start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a comma-separated UTF-8 file; None is written as an empty cell. Returns the rows."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
            n += 1
    return n
