"""Scheduled runs: a local Prefect server and a deployment of the pipeline.

`kerncijfers serve` starts `prefect server start` on localhost, waits until it answers, and
serves the deployment `kerncijfers-levering/levering`: on the cron schedule (by default at
06:00 Dutch time on the 5th of January, May and September, after each tertial end) and on
demand from the Prefect UI or API, it runs the pipeline on the newest delivery under the raw
folder (sub-folders named for their export date, `data/raw/2021-04-01/`). Ctrl-C stops both.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

from pipelines.config import DEFAULT_CRON, apply_prefect_defaults
from pipelines.errors import ExpectedFailure
from pipelines.run.prefect_api import local_api_url
from pipelines.run.preflight import check_organisation, check_serve
from pipelines.stopping import die_with_parent

log = logging.getLogger(__name__)

DEPLOYMENT = "levering"
PREFECT = Path(sys.executable).parent / "prefect"  # the command of this environment


class ScheduleError(ExpectedFailure):
    """A schedule Prefect cannot keep."""

    exit_code = 64  # EX_USAGE


def cron_schedule(cron: str, timezone: str):
    """The schedule, checked before anything starts (the time zone is checked with the
    arguments)."""
    from prefect.schedules import Cron

    try:
        return Cron(cron, timezone=timezone)
    except ValueError:
        raise ScheduleError(
            f"--cron '{cron}' is not a cron schedule (minute hour day month weekday, e.g. "
            f"'{DEFAULT_CRON}')"
        ) from None


class ServeError(ExpectedFailure):
    """The Prefect server cannot start, or did not: nothing is served."""

    exit_code = 69  # EX_UNAVAILABLE


def check_port_free(port: int) -> None:
    """Refuse a port something already listens on (another serve, a Prefect server, any
    program) before starting a server that would stop at once, without saying why."""
    with socket.socket() as probe:
        # As the server will: a port still in TIME_WAIT from a serve just stopped is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise ServeError(
                f"port {port} on 127.0.0.1 is in use ({error.strerror}): is kerncijfers serve "
                "or a Prefect server already running? Stop it, or choose another --port"
            ) from None


def wait_for_server(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    url = local_api_url(port)
    see_why = f"`{PREFECT} server start --port {port}` shows why"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(
                f"the Prefect server stopped at start-up (exit {process.returncode}); {see_why}"
            )
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise ServeError(f"the Prefect server did not answer on {url} within {timeout:.0f} s")


def start_server(port: int) -> subprocess.Popen:
    """Start `prefect server start` on localhost (it answers once ``wait_for_server``
    returns)."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
    }
    process = subprocess.Popen(
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # It ends with serve, however serve ends (also killed outright, by SIGKILL or the
        # out-of-memory killer): an orphan would keep the port and run the schedule alone.
        preexec_fn=die_with_parent,
    )
    return process


def stop(server: subprocess.Popen) -> None:
    """Stop the Prefect server (it runs in its own session: Ctrl-C does not reach it)."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def serve(
    port: int,
    cron: str,
    timezone: str,
    raw_root: Path,
    output_dir: Path,
    reference: Path | None,
    organisation: Path,
) -> None:
    """Start the server and serve the deployment until interrupted (Ctrl-C or SIGTERM)."""
    url = local_api_url(port)
    # Prefect reads its settings once, when it is first imported: its API comes first, or the
    # runner would serve on a temporary server of its own ("cannot schedule flows on an
    # ephemeral server").
    os.environ["PREFECT_API_URL"] = url
    apply_prefect_defaults()
    schedule = cron_schedule(cron, timezone)
    check_port_free(port)
    check_serve(raw_root, output_dir, reference, check_organisation(organisation))
    server = start_server(port)
    atexit.register(stop, server)

    def on_signal(number, _frame):
        stop(server)
        raise SystemExit(128 + number)

    # From here on the server stops with serve, also when serve is stopped while it starts.
    signal.signal(signal.SIGTERM, on_signal)
    # Ctrl-C stops serving even when serve was started with SIGINT ignored (as a shell
    # starts a command in the background), which Python would otherwise keep.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # Once serving, SIGTERM is Prefect's: its handler calls the runner's stop(), asynchronous
    # since Prefect 3.8, without awaiting it, and exits; the runner still stops and pauses its
    # deployment as the process ends. Its warning about that is no news to an analyst.
    warnings.filterwarnings("ignore", message="coroutine 'Runner.astop' was never awaited")
    wait_for_server(port, server)
    print(f"Prefect server and UI on http://127.0.0.1:{port} (API {url})", flush=True)
    try:
        from pipelines.schedule.scheduled import run_newest_delivery as flow

        parameters = {
            "raw_root": str(raw_root.resolve()),
            "output_dir": str(output_dir.resolve()),
            "organisatie": str(organisation),
        }
        if reference:
            parameters["reference_path"] = str(reference.resolve())
        print(
            f"serving deployment kerncijfers-levering/{DEPLOYMENT}, schedule '{cron}' ({timezone})",
            flush=True,
        )
        with private_temporary_folder():
            flow.serve(
                name=DEPLOYMENT,
                schedule=schedule,
                parameters=parameters,
                print_starting_message=True,
            )
    finally:
        stop(server)


@contextlib.contextmanager
def private_temporary_folder():
    """Prefect's runner keeps its files in ``<temp>/runner_storage/<id>``, a folder every user
    of the machine shares: once another user has served a flow, it is theirs and the runner
    cannot start. Serve gives the runner a temporary folder of its own (removed at the end)."""
    with tempfile.TemporaryDirectory(prefix="kerncijfers-serve-") as folder:
        tempfile.tempdir = folder
        try:
            yield
        finally:
            tempfile.tempdir = None
