"""Validate: the pandera checks on what a run is about to publish.

Validation is lazy: one run reports every failing check at once, and any failure stops
publication.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors

from pipelines.errors import ExpectedFailure
from schemas.kerncijfers import Bestanden, for_members

log = logging.getLogger(__name__)


def models(members: list[str]) -> dict[str, type]:
    """The pandera model of each table to publish (the organisation's members: those of the
    run's configuration, as dbt loaded it)."""
    return {"marts.kerncijfers": for_members(members), "raw.bestanden": Bestanden}


class ValidationError(ExpectedFailure):
    """A published table failed one or more pandera checks."""


@dataclass(frozen=True)
class CheckResult:
    table: str
    check: str
    passed: bool
    failures: int
    example: str | None = None


def planned_checks(model) -> list[str]:
    """Every check a model runs, labelled as failures are labelled below."""
    schema = model.to_schema()
    labels = []
    for column_name, column in schema.columns.items():
        labels.append(f"{column_name}: dtype")
        if not column.nullable:
            labels.append(f"{column_name}: not_nullable")
        labels += [f"{column_name}: {check.name}" for check in column.checks]
    labels += [check.error or check.name for check in schema.checks]
    if schema.unique:
        labels.append("unique: " + ", ".join(schema.unique))
    return labels


def failure_label(model, column: object, check: str) -> str:
    schema = model.to_schema()
    frame_checks = {c.error or c.name for c in schema.checks}
    if check in frame_checks:
        return check
    if "uniqueness" in check or (check == "unique" and schema.unique and pd.isna(column)):
        return "unique: " + ", ".join(schema.unique or [])
    name = "dtype" if check.startswith("dtype(") else check.split("(")[0]
    return f"{column}: {name}"


def read_table(warehouse: Path, table: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select * from {table}").df()


def validate_frame(table: str, frame: pd.DataFrame, model) -> list[CheckResult]:
    """Every check of the model on the frame, passed or failed (lazy: all at once)."""
    failures: dict[str, tuple[int, str]] = {}
    try:
        model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases["label"] = [
            failure_label(model, column, str(check))
            for column, check in zip(cases["column"], cases["check"], strict=True)
        ]
        for label, group in cases.groupby("label"):
            rows = group["index"].dropna()
            example = (
                frame.loc[rows.iloc[0]].to_dict() if len(rows) else group["failure_case"].iloc[0]
            )
            failures[str(label)] = (max(rows.nunique(), 1), str(example)[:300])
    results = [
        CheckResult(table, label, label not in failures, *failures.pop(label, (0, None)))
        for label in planned_checks(model)
    ]
    return results + [CheckResult(table, k, False, n, ex) for k, (n, ex) in failures.items()]


def validate_warehouse(warehouse: Path) -> list[CheckResult]:
    """Run every pandera check on the tables to publish; raise if any fails."""
    members = read_table(warehouse, "organisatie.gemeenten")["gemeente_code"].tolist()
    results: list[CheckResult] = []
    for table, model in models(members).items():
        results += validate_frame(table, read_table(warehouse, table), model)
    failed = [r for r in results if not r.passed]
    log.debug("pandera: %d checks, %d failed", len(results), len(failed))
    if failed:
        lines = [f"{r.table} — {r.check}: {r.failures} row(s), e.g. {r.example}" for r in failed]
        raise ValidationError("validation failed, nothing published:\n  " + "\n  ".join(lines))
    return results
