"""Which Prefect API a command-line run reports to, found or started at the least cost.

- ``PREFECT_API_URL`` set: that one (a Prefect server the organisation runs).
- a ``kerncijfers serve`` (or any Prefect server) answering on localhost at the serve port:
  that one, so the run shows in its UI and no server has to start.
- otherwise a temporary Prefect server of our own, the same one Prefect starts by itself when
  no API is configured (``uvicorn prefect.server.api.server:create_app``, UI off, the database
  in ``PREFECT_HOME``), but started as the command begins, before Prefect, dbt and the flow's
  modules are imported, so that its start-up overlaps theirs; and stopped when the command
  ends, after the run's logs and events have been sent, without waiting for its graceful
  shutdown (which waits for idle connections).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipelines.errors import ExpectedFailure
from pipelines.stopping import die_with_parent

log = logging.getLogger(__name__)

HEALTH_TIMEOUT = 0.3  # seconds: a local server answers at once
START_TIMEOUT = 90.0  # seconds the temporary server may take to start
STOP_GRACE = 1.0  # seconds it may take to stop before it is killed
# What Prefect sets for its own temporary server (prefect.server.api.server).
TEMPORARY_SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
}


# The temporary server this process started, if it started one, and whether the command is
# stopping it.
_temporary: subprocess.Popen | None = None
_stopping = threading.Event()


class PrefectApiError(ExpectedFailure):
    """The temporary Prefect server did not start."""

    exit_code = 69  # sysexits: a service is unavailable


def local_api_url(port: int) -> str:
    """The API of a Prefect server on this machine at `port`."""
    return f"http://127.0.0.1:{port}/api"


def answers(url: str) -> bool:
    """Does a Prefect API answer at this URL (…/api)?"""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=HEALTH_TIMEOUT) as response:
            return response.status == 200
    except OSError:
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Api:
    """The Prefect API a command-line run reports to, chosen before Prefect is imported."""

    def __init__(self, wait: Callable[[], str], temporary: bool) -> None:
        self.wait, self.temporary = wait, temporary

    def ready(self, meanwhile: Callable[[], None] | None = None) -> str:
        """Wait until the API answers (call before the flow starts); say which API the run
        reports to. `meanwhile`: work to do first while a temporary server still starts,
        which leaves a core idle (the command imports dbt then, which would otherwise run
        beside the ingest and slow it down)."""
        if meanwhile is not None and self.temporary and not answers(os.environ["PREFECT_API_URL"]):
            meanwhile()
        return self.wait()


def connect(serve_port: int) -> Api:
    """Choose the API, before Prefect is imported: a temporary server starts now, so that its
    start overlaps the check of the delivery and the imports."""
    quiet_draining()
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        return Api(lambda: f"reporting to the Prefect API at {configured}", False)
    local = local_api_url(serve_port)
    if answers(local):
        os.environ["PREFECT_API_URL"] = local
        return Api(lambda: f"reporting to the Prefect server at {local}", False)
    return Api(start_temporary_server(), True)


def prefect_home(env: dict[str, str]) -> Path:
    """Where Prefect keeps its database (PREFECT_HOME, by default ~/.prefect)."""
    return Path(env.get("PREFECT_HOME") or "~/.prefect").expanduser()


def server_log(env: dict[str, str]) -> Path:
    """What a temporary server says goes here, not between the run's lines."""
    return prefect_home(env) / "kerncijfers-server.log"


def launch_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    """A temporary Prefect API server on this machine at `port`, as Prefect starts its own
    (no UI), in the environment `env`; it dies with the process that launched it. Its
    temporary files (SQLite's) go beside its database, not to a TMPDIR that may be full, and
    its messages to ``server_log``."""
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.submodule_search_locations
    app_dir = Path(list(spec.submodule_search_locations)[0]).parent
    home = prefect_home(env)
    home.mkdir(parents=True, exist_ok=True)
    with server_log(env).open("ab") as log_file:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(app_dir),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env=env | TEMPORARY_SERVER_ENV | {"TMPDIR": str(home), "SQLITE_TMPDIR": str(home)},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            # A run killed outright takes its server with it, instead of leaving it running.
            preexec_fn=die_with_parent,
        )


def start_temporary_server() -> Callable[[], str]:
    global _temporary
    port = free_port()
    url = local_api_url(port)
    # Prefect's own retries stay: a busy server answers 503 and is worth asking again; one
    # that is gone is noticed by ``watch``.
    process = launch_server(port, dict(os.environ))
    _temporary = process
    # Registered before Prefect registers the exit handlers that send the last logs and
    # events, so it runs after them (exit handlers run last registered, first).
    atexit.register(stop, process)
    os.environ["PREFECT_API_URL"] = url

    def ready() -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(url):
            if process.poll() is not None:
                raise PrefectApiError(
                    "the temporary Prefect server stopped as it started "
                    f"(exit {process.returncode}; {server_log(os.environ)} says why)"
                )
            if time.monotonic() > deadline:
                raise PrefectApiError(f"the temporary Prefect server did not answer at {url}")
            time.sleep(0.05)
        return f"reporting to a temporary Prefect server on {url}"

    return ready


class QuietOnceGone(logging.Filter):
    """Once this run's temporary server has ended, Prefect's reports of every request to it
    that fails (tracebacks, from its log and event workers and its engine) are no news, nor
    the state its engine could not record ("Finished in state Running()"): the command says
    once, itself, what it means for the run."""

    def filter(self, record: logging.LogRecord) -> bool:
        from_prefect = record.name.split(".")[0] == "prefect"
        if (record.levelno >= logging.WARNING or from_prefect) and temporary_server_ended():
            # Prefect's log worker writes its failures to stderr unless told it may not.
            logging.raiseExceptions = False
            return False
        return True


def quiet_once_gone() -> None:
    """Install ``QuietOnceGone`` on the handlers Prefect logs through (call once Prefect is
    imported); with a server of another's, nothing changes."""
    if _temporary is None:
        return
    prefect = [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "prefect"]
    for name in ("", *prefect):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, QuietOnceGone) for f in handler.filters):
                handler.addFilter(QuietOnceGone())


def watch() -> None:
    """A temporary server that ends stops the run at once (``stopping.SERVER_GONE``) instead
    of after Prefect has failed to reach it step by step, retrying each call: before
    publishing that is a failure, once published the command's warning."""
    from pipelines.stopping import SERVER_GONE

    process = _temporary
    if process is None:
        return

    def wait() -> None:
        process.wait()
        if not _stopping.is_set():
            let_go_of_server()
            os.kill(os.getpid(), SERVER_GONE)

    threading.Thread(target=wait, name="server-watch", daemon=True).start()


def temporary_server_ended() -> str | None:
    """When this process's temporary server has stopped: what to say about it."""
    if _temporary is None or _temporary.poll() is None:
        return None
    return f"the temporary Prefect server stopped (exit {_temporary.returncode})"


def let_go_of_server() -> None:
    """This process's server is gone for good: Prefect's client asks no more, instead of
    retrying each call for about a minute (as it should for a server that is busy), when the
    run records how it stopped and when its last logs are sent; and its log worker does not
    write that it failed to stderr (the command says what it means, once)."""
    from prefect.context import SettingsContext

    for settings in (*_run_settings, SettingsContext.get().settings):
        settings.client.max_retries = 0
    logging.raiseExceptions = False


_run_settings: list[Any] = []  # the flow run's Prefect settings (``flow_run_settings``)


@contextlib.contextmanager
def flow_run_settings() -> Iterator[None]:
    """The Prefect settings the command line's flow run runs with. Reporting to the temporary
    server: no heartbeats. They tell a lasting server that a run in another process still
    lives; this server ends with the command, and ending the flow run waits up to a second
    for the heartbeat thread. With any other server Prefect's own settings apply."""
    if _temporary is None:
        yield
        return
    from prefect.settings import temporary_settings

    with temporary_settings(updates={"flows.heartbeat_frequency": None}) as settings:
        _run_settings.append(settings)
        try:
            yield
        finally:
            _run_settings.remove(settings)


class NotWhileDraining(logging.Filter):
    """Prefect's log and event workers say "Still processing items: N items remaining..." as
    they send what they still hold when the command ends: after the run's last line, and no
    news to an analyst."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Still processing items")


def quiet_draining() -> None:
    for name in ("APILogWorker", "EventsWorker"):  # the loggers Prefect's workers use
        logging.getLogger(name).addFilter(NotWhileDraining())


def send_pending() -> None:
    """Send the logs and events Prefect still holds, while the server is there to take them
    (else the flush at interpreter exit waits for a server that is gone)."""
    for module, name in (
        ("prefect.logging.handlers", "APILogWorker"),
        ("prefect.events.worker", "EventsWorker"),
    ):
        if module in sys.modules:
            try:
                getattr(sys.modules[module], name).drain_all(timeout=5)
            except Exception as error:  # the run is over: a lost log line is no failure
                log.debug("could not send what %s holds: %s", name, error)


def stop(process: subprocess.Popen) -> None:
    _stopping.set()  # its end is not the server lost (``watch``)
    if process.poll() is not None:
        return
    send_pending()
    process.terminate()
    try:
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
