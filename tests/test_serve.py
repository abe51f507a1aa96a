"""Scheduled runs: a real Prefect server, a scheduled and an on-demand run of the deployment."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

import pytest

from pipelines.config import DEFAULT_TIMEZONE
from pipelines.run.prefect_api import free_port, local_api_url
from pipelines.schedule.deliveries import newest_delivery, report_year
from tests.clirun import COMMAND, kerncijfers, processes_mentioning, wait_for
from tests.deliveries import build_edge_delivery


def test_newest_delivery_and_its_report_year(tmp_path):
    for name in ("2020-09-01", "2021-04-01", "notes", "2021-01-05"):
        (tmp_path / name).mkdir()
    assert newest_delivery(tmp_path).name == "2021-04-01"
    assert report_year(dt.date(2021, 4, 1)) == 2020
    assert report_year(dt.date(2021, 5, 15)) == 2021
    with pytest.raises(FileNotFoundError):
        newest_delivery(tmp_path / "notes")


def api(url: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        url + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    # The server answers 503 while its SQLite database is busy; Prefect's own client retries
    # then, and so does this one.
    for attempt in range(10):
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            if error.code not in (429, 503) or attempt == 9:
                raise
            time.sleep(2)


def start_serve(
    tmp_path, port: int, raw_root, out, log, *extra: str, home=None
) -> subprocess.Popen:
    """`kerncijfers serve` as a user starts it: its own Prefect server, home in tmp_path
    (new, unless `home` is given), on a machine where another user has served a Prefect flow
    before (so ``runner_storage`` in the temporary folder is not theirs; here a file, which
    stops root as well)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    (temporary / "runner_storage").write_text("another user's\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home or tmp_path / "new-prefect-home"), "TMPDIR": str(temporary)}
    return subprocess.Popen(
        [*COMMAND, "serve", "--port", str(port), *extra]
        + ["--raw-root", str(raw_root), "--output-dir", str(out)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize(
    ("argument", "problem"),
    [
        (["--cron", "elke maandag"], "error: --cron 'elke maandag' is not a cron schedule"),
        (["--timezone", "Europe/Gorinchem"], "'Europe/Gorinchem' is not a time zone"),
    ],
)
def test_serve_refuses_a_schedule_it_cannot_keep_before_starting(tmp_path, argument, problem):
    port = str(free_port())
    result = kerncijfers("serve", "--port", port, *argument, timeout=120)
    assert result.returncode == 64  # a usage error (EX_USAGE), not 2 (a broken delivery)
    assert problem in result.stderr.strip().splitlines()[-1], result.stderr
    assert "Traceback" not in result.stderr
    assert not processes_mentioning(f"--port {port}")


@pytest.mark.parametrize(
    ("argument", "code", "problem"),
    [
        (["--raw-root", "{tmp}/geen-map"], 64, "--raw-root {tmp}/geen-map is not a folder"),
        (["--reference", "{tmp}/leeg.yaml"], 65, "reference file {tmp}/leeg.yaml: holds no"),
        (["--output-dir", "{tmp}/leeg.yaml"], 73, "cannot write in the output folder"),
        (["--port", "65536"], 64, "argument --port: '65536' is not a port (1-65535)"),
    ],
)
def test_serve_refuses_what_every_scheduled_run_would_fail_on(tmp_path, argument, code, problem):
    """Before, serve started and served: each scheduled run then failed, seen only in the
    Prefect UI (a port out of range raised a traceback)."""
    (tmp_path / "leeg.yaml").write_text("")
    (tmp_path / "raw").mkdir()
    folders = ["--raw-root", str(tmp_path / "raw"), "--output-dir", str(tmp_path / "out")]
    port = ["--port", str(free_port())]
    arguments = [a.format(tmp=tmp_path) for a in [*port, *folders, *argument]]
    result = kerncijfers("serve", *arguments, timeout=120)
    assert result.returncode == code, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert problem.format(tmp=tmp_path) in last and "Traceback" not in result.stderr
    assert not processes_mentioning(f"--port {port[1]}")


def test_serve_refuses_a_port_in_use_in_one_line():
    with socket.socket() as other:  # another program listening on the port
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = str(other.getsockname()[1])
        result = kerncijfers("serve", "--port", port, timeout=120)
    assert result.returncode == 69
    assert result.stderr.strip().splitlines() == [
        f"kerncijfers: error: port {port} on 127.0.0.1 is in use (Address already in use): is "
        "kerncijfers serve or a Prefect server already running? Stop it, or choose another --port"
    ]
    assert not processes_mentioning(f"--port {port}")


def once_soon(lead: dt.timedelta = dt.timedelta(seconds=60)) -> tuple[str, dt.datetime]:
    """A daily cron schedule (in the default time zone) at the first whole minute at least
    `lead` from now, and that moment: one scheduled run while the test waits. (Every minute
    would start one more whole pipeline run for each further minute the test lasts.)"""
    now = dt.datetime.now(ZoneInfo(DEFAULT_TIMEZONE))
    at = (now + lead).replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return f"{at.minute} {at.hour} * * *", at


@pytest.mark.slow
@pytest.mark.waits  # for the minute of its schedule
def test_serve_runs_scheduled_and_on_demand(tmp_path, prefect_home):
    raw_root, out = tmp_path / "raw", tmp_path / "out"
    build_edge_delivery(raw_root / "2021-04-01", 61)
    port = free_port()
    url = local_api_url(port)
    log = (tmp_path / "serve.log").open("w")
    cron, at = once_soon()
    serve = start_serve(tmp_path, port, raw_root, out, log, "--cron", cron, home=prefect_home)
    try:

        def serving():
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            return serve

        deployment = wait_for(
            "the deployment",
            lambda: (
                next(iter(api(url, "/deployments/filter", {"limit": 5})), None)
                if serving() and _up(url)
                else None
            ),
            timeout=180,
            every=3,
        )
        assert deployment["name"] == "levering"
        schedule = deployment["schedules"][0]["schedule"]
        assert (schedule["cron"], schedule["timezone"]) == (cron, DEFAULT_TIMEZONE)
        assert dt.datetime.now(at.tzinfo) < at, f"serve took until after {at:%H:%M} to deploy"
        # Started on demand, as from the UI, to look at the delivery: without its report.
        on_demand = api(
            url,
            f"/deployments/{deployment['id']}/create_flow_run",
            {"parameters": {"render_report": False}},
        )

        def runs_done():
            runs = api(
                url,
                "/flow_runs/filter",
                {"flow_runs": {"deployment_id": {"any_": [deployment["id"]]}}},
            )
            serving()
            done = [r for r in runs if r["state_type"] == "COMPLETED"]
            failed = [r for r in runs if r["state_type"] in ("FAILED", "CRASHED")]
            assert not failed, f"runs failed: {failed}; see {tmp_path / 'serve.log'}"
            scheduled = [r for r in done if r["auto_scheduled"]]
            manual = [r for r in done if r["id"] == on_demand["id"]]
            return (scheduled, manual) if scheduled and manual else None

        wait_for("a scheduled and an on-demand run to complete", runs_done, timeout=420, every=3)
        assert (out / "marts" / "kerncijfers.parquet").is_file()
        assert (out / "rapport" / "jaarverslag-2020.html").is_file()  # export 1 April 2021: 2020
        trails = [json.loads(p.read_text()) for p in (out / "audit").glob("*/manifest.json")]
        assert sorted(m["parameters"]["render_report"] for m in trails) == [False, True]
        # The runner served on serve's own server, not on a temporary one beside it (which
        # shares its database, so the runs above would not show the difference).
        assert "temporary server" not in (tmp_path / "serve.log").read_text()
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            subprocess.run(["pkill", "-f", "--", f"--port {port}"])  # serve and its server
            raise AssertionError("serve did not stop within 60 s of Ctrl-C") from None
        finally:
            log.close()
    assert not _up(url), "the Prefect server still runs after serve stopped"


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_serve_stopped_while_its_server_starts_leaves_nothing_running(tmp_path, number):
    port = free_port()
    (tmp_path / "raw").mkdir()
    serve = start_serve(tmp_path, port, tmp_path / "raw", tmp_path / "out", subprocess.DEVNULL)
    ours = f"--port {port}"  # the command lines of serve and of its server
    try:
        wait_for(
            "the Prefect server to start",
            lambda: any("server start" in c for c in processes_mentioning(ours)),
            timeout=60,
            every=3,
        )
        serve.send_signal(number)
        serve.wait(timeout=60)
        assert not processes_mentioning(ours), "serve left its Prefect server running"
    finally:
        subprocess.run(["pkill", "-KILL", "-f", "--", ours])


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2):
            return True
    except OSError:
        return False
