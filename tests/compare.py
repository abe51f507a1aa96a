"""Comparing a published kerncijfers table with expected cells, naming every difference."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pyarrow.parquet as pq

KEY = (
    "indicator",
    "gemeente",
    "periode_begin",
    "periode_eind",
    "categorie",
    "leeftijdsklasse",
    "duurklasse",
)


def published_cells(
    parquet: Path, indicators: set[str] | None = None
) -> dict[tuple, tuple[float, str]]:
    rows = pq.read_table(parquet).to_pylist()
    return {
        tuple(r[k] for k in KEY): (r["waarde"], r["eenheid"])
        for r in rows
        if indicators is None or r["indicator"] in indicators
    }


def fmt(key: tuple) -> str:
    parts = [str(p) for p in key if p is not None]
    return " / ".join(p.isoformat() if isinstance(p, dt.date) else p for p in parts)


def differences(
    expected: dict[tuple, float], units: dict[tuple, str], published: dict[tuple, tuple[float, str]]
) -> list[str]:
    problems = []
    for key in sorted(set(expected) | set(published), key=lambda k: tuple(str(p) for p in k)):
        if key not in published:
            problems.append(f"missing in the mart: {fmt(key)} (expected {expected[key]})")
        elif key not in expected:
            problems.append(f"not expected: {fmt(key)} = {published[key][0]}")
        else:
            value, unit = published[key]
            if not math.isclose(value, expected[key], abs_tol=1e-6):
                problems.append(f"{fmt(key)}: mart {value}, expected {expected[key]}")
            if unit != units[key]:
                problems.append(f"{fmt(key)}: eenheid {unit}, expected {units[key]}")
    return problems
