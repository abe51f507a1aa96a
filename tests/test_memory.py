"""The memory DuckDB may use (KERNCIJFERS_GEHEUGEN): a value DuckDB does not understand is
refused before any work; running out of it fails the run in one line that names the setting,
wherever it happens (the ingest, a dbt model), instead of DuckDB's traceback and its advice
about SQL settings an analyst cannot change."""

from __future__ import annotations

import re

import duckdb
import pytest

from pipelines.compute import transform
from pipelines.config import MEMORY_VARIABLE
from pipelines.errors import OutOfMemory
from pipelines.intake import ingest, reference
from pipelines.intake.delivery import open_delivery
from pipelines.organisation import load as load_organisation
from pipelines.publish import exports
from pipelines.publish.publication import CURRENT_LINK
from pipelines.publish.workspace import STATE_DIR
from tests.clirun import harness_env, kerncijfers, run_args
from tests.deliveries import build_edge_delivery


@pytest.fixture(scope="module")
def delivery(tmp_path_factory):
    return build_edge_delivery(tmp_path_factory.mktemp("geheugen") / "raw", 5, households=20)


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "Possible solutions" not in stderr, stderr[-3000:]
    return stderr.strip().splitlines()[-1]


def test_a_memory_setting_duckdb_does_not_understand_is_refused(delivery, tmp_path):
    out = tmp_path / "out"
    result = kerncijfers(*run_args(delivery, out), env=harness_env(**{MEMORY_VARIABLE: "4096"}))
    assert result.returncode == 64, result.stderr[-3000:]
    assert one_line(result.stderr).startswith(
        f"kerncijfers: error: {MEMORY_VARIABLE}='4096' is not an amount of memory DuckDB "
        "understands (Unknown unit for memory"
    )
    assert not (out / STATE_DIR / "runs").exists() or not any((out / STATE_DIR / "runs").iterdir())
    assert not (out / CURRENT_LINK).exists()


def test_running_out_of_memory_in_the_ingest_is_one_line(delivery, tmp_path):
    out = tmp_path / "out"
    result = kerncijfers(*run_args(delivery, out), env=harness_env(**{MEMORY_VARIABLE: "1MB"}))
    assert result.returncode == 1, result.stderr[-3000:]
    assert one_line(result.stderr).startswith(
        f"kerncijfers: error: DuckDB ran out of the memory it may use ({MEMORY_VARIABLE}=1MB: "
    )
    assert one_line(result.stderr).endswith(f"Raise it, e.g. {MEMORY_VARIABLE}=4GB")
    assert not (out / CURRENT_LINK).exists()
    assert not any((out / STATE_DIR / "runs").iterdir())  # the work folder is gone


def test_running_out_of_memory_in_dbt_names_the_node(delivery, tmp_path, monkeypatch):
    """dbt reports a model or seed that failed; the run says it was memory, and which one."""
    warehouse = tmp_path / "warehouse.duckdb"
    organisation = load_organisation()
    with duckdb.connect(str(warehouse)) as con:  # the warehouse as the flow prepares it
        ingest.ingest(con, open_delivery(delivery), organisation.ended())
        organisation.write_tables(con)
        ingest.record_run(con, "geheugen", 2019, [])
        reference.load_reference(con, None, organisation.member_codes)
        exports.load_history(con, None)
    monkeypatch.setenv(MEMORY_VARIABLE, "2MB")
    with pytest.raises(OutOfMemory) as failure:
        transform.build(warehouse, tmp_path / "dbt")
    message = str(failure.value)
    # Which node needs a block first varies a little from run to run.
    assert re.match(r"DuckDB ran out of the memory it may use in dbt (seed|model) \w+ \(", message)
    assert f"({MEMORY_VARIABLE}=2MB: " in message and "\n" not in message
