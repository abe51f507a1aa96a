"""The dbt project's own tests: the unit tests (each model's logic on fixed rows) and the tests
of the seeds (code lists, calendar, classes). A run on a delivery builds the models and runs
their data tests; these check the code, so `make test` runs them on every change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from pipelines.compute.transform import check_project, run_dbt
from pipelines.config import WAREHOUSE_NAME


def warehouse_copy(demo_run: Path, tmp_path: Path) -> Path:
    """A copy of the demo run's warehouse: tests only read the demo run."""
    warehouse = tmp_path / "warehouse" / WAREHOUSE_NAME
    warehouse.parent.mkdir()
    shutil.copy(demo_run / WAREHOUSE_NAME, warehouse)
    warehouse.chmod(0o644)  # a published warehouse is read-only; dbt writes to the copy
    return warehouse


def test_every_unit_test_and_seed_test_passes(demo_run, tmp_path):
    warehouse = warehouse_copy(demo_run, tmp_path)
    summary = check_project(warehouse, tmp_path / "dbt")
    manifest = json.loads((tmp_path / "dbt" / "manifest.json").read_text())
    unit_tests = set(manifest["unit_tests"])
    seed_tests = {
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "test"
        and any(p.startswith("seed.") for p in node["depends_on"]["nodes"])
    }
    assert len(unit_tests) >= 19 and len(seed_tests) >= 20
    ran = {r.unique_id: r.status for r in summary.results}
    assert set(ran) == unit_tests | seed_tests
    failed = {uid: status for uid, status in ran.items() if status != "pass"}
    assert not failed


def test_models_that_exist_are_rebuilt_in_place(demo_run, tmp_path):
    """A run creates each model under its own name in a new warehouse
    (macros/materializations.sql); in a warehouse that has them already, as a developer's
    `dbt build` finds it, dbt-duckdb's own materialization swaps them: same rows, no relation
    left behind under a temporary name."""
    warehouse = warehouse_copy(demo_run, tmp_path)
    figures = "select * from marts.bijstand_personen order by all"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute(figures).fetchall()
    models = ("stg_uitkeringen", "int_peildata", "bijstand_personen")  # a view, two tables
    summary = run_dbt(["run", "--select", *models], warehouse, tmp_path / "dbt")
    assert {r.unique_id: r.status for r in summary.results} == {
        f"model.kerncijfers.{m}": "success" for m in models
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(figures).fetchall() == before
        kinds = dict(
            con.execute(
                "select table_name, table_type from information_schema.tables"
                " where table_name in ('stg_uitkeringen', 'int_peildata', 'bijstand_personen')"
            ).fetchall()
        )
        leftovers = con.execute(
            "select table_name from information_schema.tables where table_name like '%__dbt_%'"
        ).fetchall()
    assert kinds == {
        "stg_uitkeringen": "VIEW",
        "int_peildata": "BASE TABLE",
        "bijstand_personen": "BASE TABLE",
    }
    assert leftovers == []
