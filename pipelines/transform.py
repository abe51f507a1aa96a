"""Transform: dbt computes every figure. This module only runs dbt and reads its results.

dbt runs as a subprocess (its own process, so its DuckDB connection is closed when it ends)
against the run's warehouse file, with the run's year and reference dates as vars.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR

log = logging.getLogger(__name__)


class TransformError(Exception):
    """dbt failed: a model did not build or a test did not pass."""


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    resource_type: str
    status: str
    message: str | None
    failures: int | None
    seconds: float


@dataclass
class DbtSummary:
    command: str
    results: list[NodeResult] = field(default_factory=list)

    def count(self, resource_types: tuple[str, ...], statuses: tuple[str, ...]) -> int:
        return sum(
            1 for r in self.results if r.resource_type in resource_types and r.status in statuses
        )

    @property
    def failed(self) -> list[NodeResult]:
        return [r for r in self.results if r.status in ("error", "fail", "runtime error")]

    def as_dict(self) -> dict[str, object]:
        tests = ("test", "unit_test")
        return {
            "command": self.command,
            "models": self.count(("model", "seed"), ("success",)),
            "tests_passed": self.count(tests, ("pass",)),
            "tests_warned": self.count(tests, ("warn",)),
            "tests_failed": self.count(tests, ("fail", "error")),
            "nodes": [r.__dict__ for r in self.results],
        }


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_vars(jaar: int, extra_peildata: list[str]) -> dict[str, object]:
    return {"jaar": jaar, "extra_peildata": extra_peildata}


def run_dbt(
    command: list[str], warehouse: Path, target_dir: Path, variables: dict[str, object]
) -> DbtSummary:
    """Run one dbt command; stream its progress to the log; return what it did."""
    target_dir.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "KERNCIJFERS_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PARTIAL_PARSE": "false",
    }
    args = [
        dbt_executable(),
        *command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
        "--vars",
        json.dumps(variables),
        "--no-use-colors",
    ]
    process = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    tail: list[str] = []
    for line in process.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-40:]
        progress = " of " in line and " START " not in line
        if progress or "Done." in line or "ERROR" in line or "FAIL" in line:
            log.info("dbt %s", line.split("  ", 1)[-1].strip())
    process.wait()
    summary = read_run_results(" ".join(command), target_dir / "run_results.json")
    if process.returncode != 0:
        problems = [
            f"{r.unique_id.split('.', 2)[-1]} ({r.status}): {(r.message or '').strip()[:300]}"
            for r in summary.failed
        ] or tail[-10:]
        raise TransformError(f"dbt {command[0]} failed:\n  " + "\n  ".join(problems))
    return summary


def read_run_results(command: str, path: Path) -> DbtSummary:
    summary = DbtSummary(command)
    if not path.exists():
        return summary
    for r in json.loads(path.read_text())["results"]:
        summary.results.append(
            NodeResult(
                unique_id=r["unique_id"],
                resource_type=r["unique_id"].split(".", 1)[0],
                status=r["status"],
                message=r.get("message"),
                failures=r.get("failures"),
                seconds=round(r.get("execution_time") or 0.0, 3),
            )
        )
    return summary


def build(warehouse: Path, target_dir: Path, jaar: int, extra_peildata: list[str]) -> DbtSummary:
    """``dbt build``: seeds, models, data tests and unit tests, in dependency order."""
    summary = run_dbt(["build"], warehouse, target_dir, dbt_vars(jaar, extra_peildata))
    log.info(
        "dbt build: %(models)s models and seeds built, %(tests_passed)s tests passed, "
        "%(tests_warned)s warned",
        summary.as_dict(),
    )
    return summary


def generate_docs(warehouse: Path, target_dir: Path, jaar: int, extra_peildata: list[str]) -> Path:
    """``dbt docs generate --static``: lineage and definitions as one HTML file."""
    run_dbt(["docs", "generate", "--static"], warehouse, target_dir, dbt_vars(jaar, extra_peildata))
    return target_dir / "static_index.html"
