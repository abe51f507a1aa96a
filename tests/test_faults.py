"""Faults, as an adversarial user makes them: runs killed at real instants, stopped by a
signal, an output folder that cannot be written, implausible parameters. The previous
publication stays current and whole; every refusal is one line with its exit code; nothing
is left running or lying around.

The tests in this module share one output folder with a publication in it, and run in order.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.publish.publication import PUBLICATIONS_DIR, current
from pipelines.publish.workspace import PAUSE_VARIABLE, STATE_DIR
from pipelines.run.prefect_api import answers, free_port, launch_server, local_api_url
from pipelines.run.preflight import RunRefused, check_coverage
from tests.clirun import (
    NO_REPORT,
    Started,
    assert_whole,
    harness_env,
    kerncijfers,
    prefect_home_in,
    processes_mentioning,
    run_args,
    wait_for,
)
from tests.deliveries import build_edge_delivery

# The tests share one output folder and build on each other (killed runs leave what the next
# run must clean up): with pytest-xdist they run in order, on one worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults")]


# Lines that cannot be split into fields, which the audit trail keeps as they came: a
# spreadsheet would run them as formulas.
FORMULAS = ('=HYPERLINK("http://example.org")', "@SUM(A1)", "-2+3;x", "+cmd|' /C calc'!A0")


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> Path:
    raw = build_edge_delivery(tmp_path_factory.mktemp("faults") / "raw", 71)
    # CRLF after LF: a run reads the file from a copy with LF only, in its temporary folder.
    with (raw / "personen.csv").open("a", newline="") as handle:
        handle.writelines(f"{line}\r\n" for line in FORMULAS)
    return raw


@pytest.fixture(scope="module")
def out(delivery, tmp_path_factory, killed_runs_api) -> Path:
    """An output folder holding a publication (and ``killed_runs_api`` starting meanwhile)."""
    out = tmp_path_factory.mktemp("faults") / "out"
    result = kerncijfers(*run_args(delivery, out))
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def one_line_error(stderr: str) -> str:
    """The run's own last word: one line, no traceback anywhere."""
    assert "Traceback" not in stderr, stderr[-3000:]
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("kerncijfers: error: "), stderr[-3000:]
    return last


def work_folders(out: Path) -> list[str]:
    runs = out / STATE_DIR / "runs"
    return sorted(p.name for p in runs.iterdir()) if runs.is_dir() else []


def own_server(prefect_home: Path, **extra: str) -> dict[str, str]:
    """The environment of a run without a Prefect API: it starts a temporary server of its
    own, with its database in ``prefect_home``."""
    env = {k: v for k, v in harness_env(**extra).items() if k != "PREFECT_API_URL"}
    return env | {"PREFECT_HOME": str(prefect_home)}


KILL_INSTANTS = [
    ("ingest", "ingest the delivery into the warehouse", {}),
    ("dbt", "dbt 40 of", {}),
    ("open data", "open data: disclosure control", {}),  # the report's workers have started
    ("rendering", "render the annual report", {}),
    ("publication, before the rename", "pauze publiceren", {PAUSE_VARIABLE: "publiceren:60"}),
    ("publication, renamed, not yet current", "pauze hernoemd", {PAUSE_VARIABLE: "hernoemd:60"}),
]


@pytest.fixture(scope="module")
def killed_runs_api(prefect_harness, tmp_path_factory) -> Iterator[str]:
    """A Prefect server of this module's own for the runs it kills, started with the module
    (``out``). Killed in the middle of a request, a run can leave Prefect's server waiting up
    to a minute for a lock of its database (SQLite), and every run that reports to it waits
    with it: on the test run's server that was every test, here it is this module's next."""
    home = prefect_home_in(tmp_path_factory.mktemp("killed-runs") / "prefect-home", prefect_harness)
    port = free_port()
    server = launch_server(port, os.environ | {"PREFECT_HOME": str(home)})
    try:
        yield local_api_url(port)
    finally:
        server.kill()
        server.wait()


@pytest.mark.parametrize(
    ("instant", "marker", "env"), KILL_INSTANTS, ids=[k[0] for k in KILL_INSTANTS]
)
def test_a_run_killed_at_any_instant_leaves_the_previous_publication_whole(
    out, delivery, tmp_path, request, killed_runs_api, instant, marker, env
):
    """The first run killed reports to a temporary Prefect server of its own, as on an
    analyst's machine, which must not outlive it; the others to ``killed_runs_api``."""
    before = assert_whole(out)
    own = instant == KILL_INSTANTS[0][0]
    machine_temp = tmp_path / "machine-temp"  # the run's TMPDIR: the machine's temporary folder
    machine_temp.mkdir()
    env = env | {"TMPDIR": str(machine_temp)}
    if own:
        env = own_server(request.getfixturevalue("prefect_home"), **env)
    else:
        wait_for("the Prefect server for killed runs", lambda: answers(killed_runs_api), 90)
        env = harness_env(**env, PREFECT_API_URL=killed_runs_api)
    extra = [NO_REPORT] if instant.startswith("publication") else []
    run = Started(*run_args(delivery, out, 2019, *extra), log=tmp_path / "run.log", env=env)
    run.wait_for(marker)
    run.signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    after = assert_whole(out)
    assert after == before
    assert work_folders(out), (
        "a killed run cannot clean up: its work folder stays until the next run"
    )
    # Its temporary files (a raw file's copy, the charts being drawn) were in that work folder.
    assert list(machine_temp.iterdir()) == []
    if own:
        port = prefect_port(run.output())
        assert port is not None
        wait_for("the run's Prefect server to stop with it", lambda: not listening(port), 10)


def test_the_next_run_removes_what_killed_runs_left(out, delivery):
    before = assert_whole(out)
    left = work_folders(out)
    orphans = [p.name for p in (out / PUBLICATIONS_DIR).iterdir() if p.name != before["run_id"]]
    assert left and orphans  # the killed runs above left work folders and an unswitched publication
    result = kerncijfers(*run_args(delivery, out, 2019, NO_REPORT))
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = assert_whole(out)
    assert work_folders(out) == []
    publications = sorted(p.name for p in (out / PUBLICATIONS_DIR).iterdir())
    assert publications == sorted([before["run_id"], manifest["run_id"]])
    assert "removed" in result.stdout + result.stderr
    # Without its report, the run publishes its marts beside the report published before,
    # index and all, which still names the run it came from.
    assert manifest["parameters"]["render_report"] is False
    reports = {k: v for k, v in before["outputs"].items() if k.startswith("rapport/")}
    assert "rapport/jaarverslag-2019.pdf" in reports and "rapport/index.html" in reports
    assert {k: manifest["outputs"].get(k) for k in reports} == reports
    years = json.loads((out / "rapport" / "jaren.json").read_text())
    assert years["2019"]["run_id"] == before["run_id"]
    assert "report:    not rendered (--geen-rapport); the reports published before stay" in (
        result.stdout
    )


def prefect_port(output: str) -> int | None:
    found = re.search(r"temporary Prefect server on http://127\.0\.0\.1:(\d+)", output)
    return int(found.group(1)) if found else None


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize(
    ("number", "marker"),
    [(signal.SIGTERM, "dbt 40 of"), (signal.SIGINT, "ingest the delivery into the warehouse")],
)
def test_a_signal_stops_the_run_cleanly(out, delivery, tmp_path, prefect_home, number, marker):
    """No API url: the run starts Prefect's temporary server, which must stop with it."""
    before = assert_whole(out)
    run = Started(*run_args(delivery, out), log=tmp_path / "run.log", env=own_server(prefect_home))
    run.wait_for(marker)
    port = prefect_port(run.output())
    run.signal(number)
    assert run.wait() == 128 + number
    output = run.output()
    name = signal.Signals(number).name
    assert f"kerncijfers: error: stopped by {name}: nothing was published" in output
    assert "Traceback" not in output and "leaked" not in output
    assert port is not None and not listening(port), "Prefect's temporary server still runs"
    assert not processes_mentioning(str(out)), "a process of the run is still running"
    assert work_folders(out) == []
    with (out / STATE_DIR / "lock").open() as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the lock is free
    assert assert_whole(out) == before


def stopped_at(pause: str, out: Path, delivery: Path, tmp_path: Path) -> str:
    """A run stopped by SIGTERM while it pauses at `pause` (``point:seconds``): its last line."""
    env = harness_env(**{PAUSE_VARIABLE: pause})
    run = Started(*run_args(delivery, out, 2019, NO_REPORT), log=tmp_path / "run.log", env=env)
    run.wait_for(f"pauze {pause.partition(':')[0]}")
    run.signal(signal.SIGTERM)
    assert run.wait() == 128 + signal.SIGTERM
    assert "Traceback" not in run.output()
    return run.output().strip().splitlines()[-1]


def test_a_signal_while_publishing_waits_for_the_publication(out, delivery, tmp_path):
    """Making the publication current is one step: a stop waits for it, and then says so."""
    before = assert_whole(out)
    last = stopped_at("gepubliceerd:3", out, delivery, tmp_path)  # current, old not yet pruned
    after = assert_whole(out)
    assert after["run_id"] != before["run_id"]
    assert last == (
        f"kerncijfers: error: stopped by SIGTERM after publishing: run {after['run_id']} is "
        f"current in {out}"
    )
    assert work_folders(out) == []


def test_a_signal_before_the_flow_starts_stops_the_run_in_one_line(out, delivery, tmp_path):
    """Between the check of the delivery and the flow (the flow's modules still loading)."""
    before = assert_whole(out)
    last = stopped_at("opstarten:60", out, delivery, tmp_path)
    assert last.startswith("kerncijfers: error: stopped by SIGTERM: nothing was published"), last
    assert assert_whole(out) == before


@contextlib.contextmanager
def unwritable(folder: Path):
    """Nothing can be made in the folder: for root, whom permissions do not stop, it is made
    immutable (chattr); for anyone else its write permission is taken away."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(mode & ~0o222)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"chattr is not supported here: {result.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_publication_that_cannot_be_written_fails_in_one_line(out, delivery):
    before = assert_whole(out)
    with unwritable(out / PUBLICATIONS_DIR):
        result = kerncijfers(*run_args(delivery, out, 2019, NO_REPORT))
    assert result.returncode == 73
    assert "could not publish in" in one_line_error(result.stderr)
    assert assert_whole(out) == before
    assert work_folders(out) == []


def test_an_output_folder_that_cannot_be_written_is_refused_before_any_work(out, delivery):
    listing = sorted(p.name for p in out.iterdir())
    with unwritable(out):
        result = kerncijfers(*run_args(delivery, out), timeout=60)
    assert result.returncode == 73
    assert "cannot write in the output folder" in one_line_error(result.stderr)
    assert sorted(p.name for p in out.iterdir()) == listing


def refused(result, code: int, text: str) -> None:
    assert result.returncode == code, result.stderr[-2000:]
    assert text in one_line_error(result.stderr)


def test_a_reference_file_the_catalogue_does_not_know_is_refused(out, delivery, tmp_path):
    before = assert_whole(out)
    broken = tmp_path / "referentie.yaml"
    broken.write_text(
        "figuren:\n- {indicator: bijstand.onbekend, gemeente: TOTAAL, periode_eind: '2019-12-31',"
        " waarde: 1, status: exact}\n"
    )
    result = kerncijfers(*run_args(delivery, out), "--reference", str(broken), timeout=60)
    refused(result, 65, "indicator 'bijstand.onbekend' is not in the catalogue")
    assert assert_whole(out) == before


def test_a_licence_data_overheid_nl_does_not_list_is_refused(out, delivery):
    before = assert_whole(out)
    result = kerncijfers(*run_args(delivery, out), "--licentie", "MIT", timeout=60)
    refused(result, 64, "unknown licence 'MIT': choose CC0-1.0 or CC-BY-4.0")
    assert assert_whole(out) == before


def test_a_report_year_or_date_outside_the_delivery_is_refused(out, delivery, tmp_path):
    """After the export date, or before the first records (here: 2015): no figures."""
    before = assert_whole(out)
    named = tmp_path / "2020-06-30"
    shutil.copytree(delivery, named)
    refused(kerncijfers(*run_args(named, out, 2099), timeout=60), 64, "report year 2099 lies after")
    refused(
        kerncijfers(*run_args(named, out, 2019), "--peildatum", "2020-07-01", timeout=60),
        64,
        "reference date 01-07-2020 lies after",
    )
    # The export date of a folder not named by date is known only after ingest.
    result = kerncijfers(*run_args(delivery, out, 2099))
    refused(result, 64, "report year 2099 lies after the delivery's export date")
    # A year typed wrong (1950 for 2019) would otherwise publish a report of zeros. The first
    # records are known once dbt has computed each source's coverage.
    result = kerncijfers(*run_args(delivery, out, 1950))
    refused(result, 64, "report year 1950 lies before the delivery's first records (01-01-2015)")
    with pytest.raises(RunRefused, match=r"reference date 31-12-2014 lies before .*\(01-01-2015\)"):
        check_coverage(2019, [dt.date(2019, 6, 30), dt.date(2014, 12, 31)], dt.date(2015, 1, 1))
    check_coverage(2015, [dt.date(2015, 1, 1)], dt.date(2015, 1, 1))  # a year partly covered
    check_coverage(1950, [], None)  # no records at all: the report says there is nothing
    assert assert_whole(out) == before
    assert work_folders(out) == []


def test_a_delivery_in_or_around_the_output_folder_is_refused(out, delivery, tmp_path):
    before = assert_whole(out)
    refused(kerncijfers(*run_args(delivery, delivery), timeout=60), 64, "lies in the delivery")
    inside = out / "marts" / "levering"
    refused(kerncijfers(*run_args(inside, out), timeout=60), 2, "does not exist")
    live = current(out)
    (live / "levering").mkdir()
    try:
        for name in delivery.iterdir():
            shutil.copy(name, live / "levering" / name.name)
        refused(
            kerncijfers(*run_args(live / "levering", out), timeout=60),
            64,
            "which the pipeline writes",
        )
    finally:
        shutil.rmtree(live / "levering")
    refused(
        kerncijfers(*run_args(delivery, delivery / "uit"), timeout=60), 64, "lies in the delivery"
    )
    assert assert_whole(out) == before


def test_cells_an_auditor_opens_cannot_run_as_formulas(out):
    """The set-aside lines of the delivery (FORMULAS) reach the audit trail as text."""
    trail = out / json.loads((out / "manifest.json").read_text())["audit"]
    cells = []
    for path in trail.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert all(re.fullmatch(r"[+-]?[0-9]+([.,][0-9]+)?", c) for c in risky), risky
    for line in FORMULAS:
        assert any(c.startswith(f"'{line}") for c in cells), line
