"""Shared fixtures: a Prefect test harness, the demo delivery and one demo run."""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.config import REFERENCE_DIR, apply_prefect_defaults
from tests.clirun import prefect_home_in, wait_for

REFERENCE = REFERENCE_DIR / "jaarverslag-2019.yaml"
# A test that needs one of these runs the whole pipeline: it is slow (make test-pythons runs
# the others, `-m "not slow"`).
PIPELINE_FIXTURES = {"demo_run", "demo_manifest"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if PIPELINE_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
            # With pytest-xdist --dist loadgroup (make test): the tests that read the demo run
            # go to one worker, which builds it, while the others run the rest.
            item.add_marker(pytest.mark.xdist_group("demo-run"))
        elif "openbaar_run" in fixtures:  # the same, for the run with --openbaar
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("openbaar-run"))
    # A test that mostly waits starts first: its worker waits while the others compute,
    # instead of waiting alone at the end of the test run. Then the slow tests, the quick
    # ones last: they fill the gaps as workers finish, instead of one worker running a slow
    # test alone at the end. (pytest-xdist hands out the groups first, in this order too.)
    items.sort(
        key=lambda item: (
            item.get_closest_marker("waits") is None,
            item.get_closest_marker("slow") is None,
        )
    )


EXTRA_PEILDATUM = dt.date(2021, 3, 1)


def pytest_configure(config):
    """One temporary Prefect server for the whole test run, with its database in a temporary
    folder: started here, in the process that starts the pytest-xdist workers (which inherit
    its address), so every flow run of every worker shows in the same API."""
    if hasattr(config, "workerinput"):
        return  # a worker: the controller has started the server
    apply_prefect_defaults()
    home = Path(tempfile.mkdtemp(prefix="kerncijfers-test-prefect-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)  # runs after the server stops
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)  # never a server of the developer's
    from pipelines.run import prefect_api

    prefect_api.start_temporary_server()


@pytest.fixture(scope="session", autouse=True)
def prefect_harness(tmp_path_factory) -> Path:
    """Real Prefect flow runs against the test run's temporary API (pytest_configure).
    Returns a copy of its database as the server created it, before any run (for
    ``prefect_home``)."""
    from pipelines.run.prefect_api import START_TIMEOUT, answers

    url = os.environ["PREFECT_API_URL"]
    wait_for(f"the test run's Prefect server at {url}", lambda: answers(url), START_TIMEOUT, 0.1)
    return shared(tmp_path_factory, "prefect-database", snapshot_prefect_database) / "prefect.db"


def shared(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder built once per test run, however many pytest-xdist workers ask for it: the
    first builds it under a lock in the folder the workers share; the others wait, then read
    it. Tests only read it."""
    base = tmp_path_factory.getbasetemp()
    if base.name.startswith("popen-gw"):  # a worker's folder: share with the other workers
        base = base.parent
    folder = base / name
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / f"{name}.done"
        if not done.exists():
            build(folder)
            done.touch()
    return folder


def snapshot_prefect_database(folder: Path) -> None:
    """A copy of the test run's Prefect database, as its server has created it (every
    migration applied), taken with SQLite's backup, which is safe while the server writes."""
    folder.mkdir(parents=True)
    source = Path(os.environ["PREFECT_HOME"]) / "prefect.db"
    with sqlite3.connect(source) as live, sqlite3.connect(folder / "prefect.db") as copy:
        live.backup(copy)
    live.close()
    copy.close()


@pytest.fixture
def prefect_home(tmp_path, prefect_harness) -> Path:
    """A Prefect home of its own for a test that starts a Prefect server (a run without an
    API, `kerncijfers serve`), holding a database Prefect has set up before, as on the
    machine of anyone who has run kerncijfers once: its server starts without creating the
    database, which takes it several times longer (the test run's server did that)."""
    return prefect_home_in(tmp_path / "prefect-home", prefect_harness)


def build_demo(exportdatum: dt.date | None = None) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        from demo.generator import build_demo_delivery

        options = {"exportdatum": exportdatum} if exportdatum else {}
        build_demo_delivery(
            folder / "raw" / (exportdatum or dt.date(2021, 3, 31)).isoformat(), seed=2019, **options
        )

    return build


@pytest.fixture(scope="session")
def demo_delivery(tmp_path_factory) -> Path:
    return shared(tmp_path_factory, "demo-delivery", build_demo()) / "raw" / "2021-03-31"


def run_pipeline(
    raw_dir: Path,
    output_dir: Path,
    jaar: int = 2019,
    extra=(EXTRA_PEILDATUM,),
    reference: Path | None = None,
    **options,
) -> dict:
    """A real flow run (under the session's Prefect test harness)."""
    from pipelines.run.flows import kerncijfers_flow

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
    earlier = dt.date(2020, 12, 31)
    return (
        shared(tmp_path_factory, "earlier-demo-delivery", build_demo(earlier))
        / "raw"
        / (earlier.isoformat())
    )


@pytest.fixture(scope="session")
def demo_run(demo_delivery, earlier_demo_delivery, tmp_path_factory) -> Path:
    """The demo deliveries through the whole flow, as `make report` runs them: the figures of
    2020 on the earlier vintage (its report, which the next run replaces, not rendered), the
    report of 2020 on the later one, then that of 2019 (whose marts are then current)."""

    def build(output: Path) -> None:
        run_pipeline(
            earlier_demo_delivery,
            output,
            jaar=2020,
            extra=(),
            reference=REFERENCE,
            render_report=False,
        )
        run_pipeline(demo_delivery, output, jaar=2020, extra=(), reference=REFERENCE)
        run_pipeline(demo_delivery, output, reference=REFERENCE)

    return shared(tmp_path_factory, "demo-run", build)


@pytest.fixture(scope="session")
def openbaar_run(demo_delivery, tmp_path_factory) -> Path:
    """The demo delivery's report of 2019 rendered with --openbaar: from the protected
    figures (its own output folder, one vintage)."""

    def build(output: Path) -> None:
        run_pipeline(
            demo_delivery, output, reference=REFERENCE, openbaar=True, licentie="CC-BY-4.0"
        )

    return shared(tmp_path_factory, "openbaar-run", build)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, as make test installs it), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Chromium is missing: make test installs it (apt package chromium)"
    )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_manifest(demo_run) -> dict:
    return json.loads((demo_run / "manifest.json").read_text())
