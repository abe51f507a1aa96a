"""Transform: dbt computes every figure. This module only runs dbt and reads its results.

dbt runs in this process (``dbtRunner``), one command per run (``dbt build``; the docs site is
made from its artifacts, ``dbt_docs``). Its parse of the project is reused (partial parsing):
kept between runs in ``OUT/.kerncijfers/dbt/``, and a new output folder starts from the last
parse on this machine. That works because what changes from run to run (the report year, the
reference dates, the run id) reaches dbt as data in the warehouse, not as vars, and dbt opens
the run's warehouse by the same relative path every run. dbt's connection to the warehouse
file is closed after every command, so the pipeline can open the file again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.catalogue import indicator_models
from pipelines.compute import dbt_docs
from pipelines.config import DBT_PROJECT_DIR, MEMORY_VARIABLE, memory_limit
from pipelines.errors import ExpectedFailure, out_of_memory
from pipelines.stopping import interruptible

log = logging.getLogger(__name__)

PARSE_FILE = "partial_parse.msgpack"
# The last parse of the project on this machine, from which a new output folder starts.
PARSE_CACHE = DBT_PROJECT_DIR / "target" / "kerncijfers" / PARSE_FILE

# dbt's events that tell an analyst what happened: one line per model, seed and test.
PROGRESS_EVENTS = {"LogModelResult", "LogSeedResult", "LogTestResult", "LogNodeResult"}


# dbt's modules, imported in the background while the delivery is ingested (``preload``).
PRELOAD_MODULES = ("dbt.cli.main", "dbt.task.build", "dbt.adapters.duckdb.impl")
_preloading: list[threading.Thread] = []


def preload() -> None:
    """Start importing dbt in a background thread: Python work that overlaps the ingest
    (which works in DuckDB, outside Python) instead of adding to the dbt step, which waits for
    it. Nothing else imports dbt meanwhile."""
    if not _preloading:
        thread = threading.Thread(target=_import_dbt, name="dbt-import", daemon=True)
        _preloading.append(thread)
        thread.start()


def import_dbt() -> None:
    """Import dbt's modules now (``preload``, and wait for it): while the command line waits
    for its temporary Prefect server, which leaves a core idle, and before a dbt command,
    which finds them imported by a preload started earlier or imports them here."""
    preload()
    for thread in _preloading:
        thread.join()


def _import_dbt() -> None:
    import importlib

    for module in PRELOAD_MODULES:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001  (the dbt step imports it again and says what failed)
            return


class TransformError(ExpectedFailure):
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


def progress_logger() -> logging.Logger | logging.LoggerAdapter:
    """The logger dbt's progress goes to: the Prefect run's when there is one. dbt calls back
    from its own threads, which do not carry the run's context, so it is taken here."""
    try:
        from prefect.exceptions import MissingContextError
        from prefect.logging import get_run_logger

        return get_run_logger()
    except (ImportError, MissingContextError):
        return log


def progress(logger: logging.Logger | logging.LoggerAdapter):
    def callback(event) -> None:
        if event.info.name in PROGRESS_EVENTS:
            logger.info("dbt %s", event.info.msg.strip())

    return callback


def close_connections() -> None:
    """Close dbt's connections and the DuckDB database dbt-duckdb keeps open in this process
    (also after an interrupted command, which leaves its connections open)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.adapters.factory import cleanup_connections

    cleanup_connections()
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


@contextlib.contextmanager
def in_folder_of(warehouse: Path) -> Iterator[None]:
    """Run dbt from the warehouse's folder, so that the profile names the warehouse by the
    same relative path (``warehouse.duckdb``) in every run and every output folder: that path
    is part of what dbt checks before it reuses a parse of the project (partial parsing)."""
    before = Path.cwd()
    os.chdir(warehouse.parent)
    try:
        yield
    finally:
        os.chdir(before)


def reuse_parse(target_dir: Path) -> None:
    """A new output folder starts from the last parse of this project on this machine (dbt
    checks it against the project's files and settings and parses anew if anything differs)."""
    parse = target_dir / PARSE_FILE
    if not parse.exists() and PARSE_CACHE.exists():
        shutil.copyfile(PARSE_CACHE, parse)


def keep_parse(target_dir: Path) -> None:
    parse = target_dir / PARSE_FILE
    if not parse.exists():
        return
    try:
        PARSE_CACHE.parent.mkdir(parents=True, exist_ok=True)
        partial = PARSE_CACHE.with_name(f"{PARSE_FILE}.{os.getpid()}")
        shutil.copyfile(parse, partial)
        partial.replace(PARSE_CACHE)  # whole or not at all, whoever else writes it
    except OSError as error:  # a read-only checkout: every new output folder parses anew
        log.debug("could not keep dbt's parse in %s: %s", PARSE_CACHE, error)


def run_dbt(command: list[str], warehouse: Path, target_dir: Path) -> DbtSummary:
    """Run one dbt command in this process; log its progress; return what it did."""
    import_dbt()
    from dbt.cli.main import dbtRunner

    target_dir.mkdir(parents=True, exist_ok=True)
    reuse_parse(target_dir)
    os.environ["KERNCIJFERS_WAREHOUSE"] = warehouse.name
    os.environ[MEMORY_VARIABLE] = memory_limit()
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    args = [
        *command,
        # The catalogue's indicator models, whose rows make up kerncijfers (models/marts).
        "--vars",
        json.dumps({"indicatormodellen": indicator_models()}),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
        "--log-level",
        "none",
        "--no-use-colors",
    ]
    runner = dbtRunner(callbacks=[progress(progress_logger())])
    try:
        with interruptible(), in_folder_of(warehouse):
            result = runner.invoke(args)
    finally:
        close_connections()
    error = result.exception
    if isinstance(error, BaseException) and not isinstance(error, Exception):
        raise error  # Ctrl-C, SIGTERM: the run stops
    summary = read_run_results(" ".join(command), target_dir / "run_results.json")
    keep_parse(target_dir)
    if not result.success:
        for r in summary.failed:
            if memory := out_of_memory(
                r.message or "", f" in dbt {r.resource_type} {node_name(r)}"
            ):
                raise memory
        problems = [
            f"{node_name(r)} ({r.status}): {(r.message or '').strip()[:300]}"
            for r in summary.failed
        ] or [str(error or "dbt stopped without saying why")]
        raise TransformError(f"dbt {command[0]} failed: " + "; ".join(problems))
    return summary


def node_name(result: NodeResult) -> str:
    return result.unique_id.split(".", 2)[-1]


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


def build(warehouse: Path, target_dir: Path) -> DbtSummary:
    """``dbt build --selector levering``: seeds, models and the models' data tests, in
    dependency order (the unit tests and the seeds' tests run in CI: selectors.yml)."""
    summary = run_dbt(["build", "--selector", "levering"], warehouse, target_dir)
    log.info(
        "dbt build: %(models)s models and seeds built, %(tests_passed)s tests passed, "
        "%(tests_warned)s warned",
        summary.as_dict(),
    )
    return summary


def check_project(warehouse: Path, target_dir: Path) -> DbtSummary:
    """``dbt test --selector project``: the unit tests and the seeds' tests, on a warehouse a
    run has built (the unit tests read its relations' columns). ``make test`` runs them."""
    return run_dbt(["test", "--selector", "project"], warehouse, target_dir)


def generate_docs(warehouse: Path, target_dir: Path, build_target: Path) -> Path:
    """The dbt documentation site (lineage and definitions, one HTML file) from the build's
    manifest and the warehouse's catalog (``dbt_docs``)."""
    site = dbt_docs.write_site(build_target, warehouse, target_dir)
    log.info("dbt docs: %s", site.name)
    return site


def main(argv: list[str] | None = None) -> int:
    """``python -m pipelines.compute.transform WAREHOUSE DBT-ARGUMENTS...`` (``make dbt``):
    one dbt command on a warehouse, as a run gives it (the catalogue's indicator models, the
    profile, the memory limit). Give it a copy of a published warehouse, never the published
    file itself: that is read-only, and its hash is in the manifest."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m pipelines.compute.transform WAREHOUSE DBT-COMMAND [ARGS...]")
        return 64
    warehouse = Path(args[0]).resolve()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        summary = run_dbt(args[1:], warehouse, warehouse.parent / "dbt")
    except ExpectedFailure as error:
        print(error)
        return 1
    print(json.dumps({k: v for k, v in summary.as_dict().items() if k != "nodes"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
