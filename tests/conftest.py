"""Shared fixtures: a Prefect test harness, the demo delivery and one demo run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.config import REFERENCE_DIR, apply_prefect_defaults

REFERENCE = REFERENCE_DIR / "jaarverslag-2019.yaml"
# A test that needs one of these runs the whole pipeline: it is slow (make test-pythons runs
# the others, `-m "not slow"`).
PIPELINE_FIXTURES = {"demo_run", "demo_manifest"}


def pytest_collection_modifyitems(items):
    for item in items:
        if PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


EXTRA_PEILDATUM = dt.date(2021, 3, 1)


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    """Real Prefect flow runs against a temporary local API, shared by the session."""
    apply_prefect_defaults()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_delivery(tmp_path_factory) -> Path:
    from pipelines.demo.generator import build_demo_delivery

    folder = tmp_path_factory.mktemp("raw") / "2021-03-31"
    build_demo_delivery(folder, seed=2019)
    return folder


def run_pipeline(
    raw_dir: Path,
    output_dir: Path,
    jaar: int = 2019,
    extra=(EXTRA_PEILDATUM,),
    reference: Path | None = None,
    **options,
) -> dict:
    """A real flow run (under the session's Prefect test harness)."""
    from pipelines.flows import kerncijfers_flow

    return kerncijfers_flow(
        raw_dir=str(raw_dir),
        jaar=jaar,
        extra_peildata=[d.isoformat() for d in extra],
        output_dir=str(output_dir),
        reference_path=str(reference) if reference else None,
        **options,
    )


@pytest.fixture(scope="session")
def earlier_demo_delivery(tmp_path_factory) -> Path:
    """The demo delivery as the systems knew it on 31 December 2020."""
    from pipelines.demo.generator import build_demo_delivery

    folder = tmp_path_factory.mktemp("raw") / "2020-12-31"
    build_demo_delivery(folder, seed=2019, exportdatum=dt.date(2020, 12, 31))
    return folder


@pytest.fixture(scope="session")
def demo_run(demo_delivery, earlier_demo_delivery, tmp_path_factory) -> Path:
    """The demo deliveries through the whole flow, as `make report` runs them: the report of
    2020 on the earlier vintage and on the later one, then that of 2019 (whose marts are
    then current)."""
    output = tmp_path_factory.mktemp("demo-run")
    run_pipeline(earlier_demo_delivery, output, jaar=2020, extra=(), reference=REFERENCE)
    run_pipeline(demo_delivery, output, jaar=2020, extra=(), reference=REFERENCE)
    run_pipeline(demo_delivery, output, reference=REFERENCE)
    return output


@pytest.fixture(scope="session")
def demo_manifest(demo_run) -> dict:
    return json.loads((demo_run / "manifest.json").read_text())
