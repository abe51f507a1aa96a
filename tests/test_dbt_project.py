"""The dbt project's own tests: the unit tests (each model's logic on fixed rows) and the tests
of the seeds (code lists, calendar, classes). A run on a delivery builds the models and runs
their data tests; these check the code, so `make test` runs them on every change."""

from __future__ import annotations

import json
import shutil

from pipelines.config import WAREHOUSE_NAME
from pipelines.transform import check_project


def test_every_unit_test_and_seed_test_passes(demo_run, tmp_path):
    warehouse = tmp_path / "warehouse" / WAREHOUSE_NAME  # a copy: tests only read the demo run
    warehouse.parent.mkdir()
    shutil.copy(demo_run / WAREHOUSE_NAME, warehouse)
    warehouse.chmod(0o644)  # a published warehouse is read-only; dbt writes to the copy
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
