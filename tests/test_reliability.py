"""Reliability round 3 (issue 42): damaged state, deliveries out of order, servers that die,
clocks and time zones, resources running out. Each test makes the fault for real (files
damaged, processes killed, clocks moved with faketime, disks filled on a tmpfs) and checks
what a user is promised: every file of the current publication matches its manifest, no
vintage ever published is lost, and what the command prints and its exit code match what
happened. (A BSN in any notation: tests/test_privacy.py.)

The runs share two deliveries of the same records (as the systems knew them on 15 January and on
31 December 2020) and one output folder with both published; a test that damages a folder
damages a copy of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from pipelines.config import today
from pipelines.publish.publication import (
    CURRENT_LINK,
    PUBLICATIONS_DIR,
    current,
    ensure_stable_paths,
    made_current,
)
from pipelines.publish.workspace import PAUSE_VARIABLE, STATE_DIR
from pipelines.run.prefect_api import free_port, local_api_url
from tests.clirun import (
    COMMAND,
    NO_REPORT,
    Started,
    assert_whole,
    harness_env,
    kerncijfers,
    processes_mentioning,
    run_args,
    wait_for,
)
from tests.conftest import run_pipeline, shared
from tests.deliveries import build_edge_delivery

pytestmark = pytest.mark.slow

EARLIER, LATER = "2020-01-15", "2020-12-31"


def one_line_error(stderr: str) -> str:
    """The run's last word: one line, and no traceback anywhere."""
    assert "Traceback" not in stderr, stderr[-3000:]
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("kerncijfers: error: "), stderr[-3000:]
    return last


def vintages(out: Path) -> set[dt.date]:
    with duckdb.connect() as con:
        return {
            r[0]
            for r in con.execute(
                "select distinct exportdatum from read_parquet(?)",
                [str(out / "historie" / "kerncijfers.parquet")],
            ).fetchall()
        }


def tree(folder: Path) -> dict[str, str]:
    """Every entry of a folder: a link's target, a file's size and time, a folder."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        # The state folder is the pipeline's working space (the lock, dbt's parse); only
        # the record of what was made current belongs to what is published.
        if name.startswith(f"{STATE_DIR}/") and name != f"{STATE_DIR}/gepubliceerd.jsonl":
            continue
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            st = path.stat()
            found[name] = f"{st.st_size} {st.st_mtime_ns}"
        else:
            found[name] = "folder"
    return found


def build_deliveries(root: Path) -> None:
    """The two deliveries, in folders named for their export dates: the same files, but the
    earlier one without every tenth benefit (registered late) and without the rows dated
    after its export date (set aside, as the systems did not know them yet)."""
    later = build_edge_delivery(root / LATER, 91)
    shutil.copytree(later, root / EARLIER)
    benefits = (root / EARLIER / "uitkeringen.csv").read_text().splitlines(keepends=True)
    kept = [line for n, line in enumerate(benefits) if n == 0 or n % 10]
    (root / EARLIER / "uitkeringen.csv").write_text("".join(kept))


@pytest.fixture(scope="session")
def raw(tmp_path_factory) -> Path:
    return shared(tmp_path_factory, "betrouwbaarheid-leveringen", build_deliveries)


@pytest.fixture(scope="session")
def published(raw, tmp_path_factory) -> Path:
    """An output folder with both vintages published, in order (built once for every
    worker; the tests copy it)."""

    def build(out: Path) -> None:
        for vintage in (EARLIER, LATER):
            run_pipeline(raw / vintage, out, extra=(), render_report=False)

    return shared(tmp_path_factory, "betrouwbaarheid-uitvoer", build)


@pytest.fixture
def out(published, tmp_path) -> Path:
    """A copy of the published output folder, links kept, for a test to damage."""
    copy = tmp_path / "out"
    shutil.copytree(published, copy, symlinks=True)
    return copy


def run(raw_dir: Path, out: Path, *extra: str, env: dict | None = None):
    return kerncijfers(*run_args(raw_dir, out, 2019, NO_REPORT, *extra), env=env)


def start(raw_dir: Path, out: Path, tmp_path: Path, env: dict) -> Started:
    """The same run, in the background."""
    return Started(*run_args(raw_dir, out, 2019, NO_REPORT), log=tmp_path / "run.log", env=env)


# -- 1, 12: whether a publication was ever current is known from a durable record -----------


def test_a_missing_current_publication_loses_no_vintage(raw, out):
    before = current(out)
    earlier = [p for p in (out / PUBLICATIONS_DIR).iterdir() if p != before]
    shutil.rmtree(before)  # lost in a restore
    result = run(raw / LATER, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"the current publication {PUBLICATIONS_DIR}/{before.name} is missing" in (
        result.stdout + result.stderr
    )
    assert all(p.is_dir() for p in earlier), "an intact older publication was removed"
    assert vintages(out) == {dt.date.fromisoformat(EARLIER), dt.date.fromisoformat(LATER)}
    assert_whole(out)


def test_a_clock_set_back_keeps_the_publications_that_were_current(raw, out):
    """Run ids are timestamps: a run while the clock is a week behind gets an id that sorts
    before the publications already made current. Whether those were current is in the
    record, not in the order of the names: the next runs keep them."""
    first = current(out).name
    back = (dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S")
    env = harness_env(FAKETIME=f"@{back}", LD_PRELOAD=faketime_library(), TZ="UTC")
    result = run(raw / LATER, out, "--bewaar", "3", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    stepped_back = current(out).name
    assert stepped_back < first
    result = run(raw / LATER, out, "--bewaar", "3")  # the clock right again
    assert result.returncode == 0, result.stderr[-3000:]
    kept = sorted(p.name for p in (out / PUBLICATIONS_DIR).iterdir())
    assert first in kept and stepped_back in kept and current(out).name in kept
    assert made_current(out)[-3:] == [first, stepped_back, current(out).name]
    assert_whole(out)


def faketime_library() -> str:
    """libfaketime, as Debian's faketime package installs it (make test installs it)."""
    for folder in ("/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime"):
        library = Path(folder) / "libfaketime.so.1"
        if library.exists():
            return str(library)
    raise AssertionError("libfaketime is missing: make test installs it (apt package faketime)")


# -- 2: an output folder restored as plain files ----------------------------------------------


def test_an_output_folder_copied_with_its_links_followed_is_refused(raw, published, tmp_path):
    copy = tmp_path / "copied"
    subprocess.run(["cp", "-rL", str(published), str(copy)], check=True)
    before = tree(copy)
    result = run(raw / LATER, copy)
    assert result.returncode == 73
    assert "copied with its links followed" in one_line_error(result.stderr)
    assert tree(copy) == before, "the copied folder was changed"


# -- 3: deliveries out of order ---------------------------------------------------------------


def test_an_older_delivery_is_refused_unless_asked_for(raw, out):
    before = assert_whole(out)
    result = run(raw / EARLIER, out)
    assert result.returncode == 64
    last = one_line_error(result.stderr)
    assert "15-01-2020" in last and "31-12-2020" in last and "--ouder-toestaan" in last
    assert assert_whole(out) == before
    result = run(raw / EARLIER, out, "--ouder-toestaan")
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = assert_whole(out)
    # Its revisions compare with the newer vintage it replaces, and say how many.
    assert manifest["revisions"]["previous_exportdatum"] == LATER
    assert manifest["revisions"]["figures"] > 0
    assert f"changed since the vintage of {LATER}" in result.stdout
    with duckdb.connect() as con:
        compared = con.execute(
            "select distinct vorige_exportdatum from read_parquet(?)",
            [str(out / "marts" / "revisies.parquet")],
        ).fetchall()
    assert compared == [(dt.date.fromisoformat(LATER),)]


def test_serve_never_runs_a_delivery_older_than_the_current_one(raw, out, tmp_path, caplog):
    from pipelines.schedule.scheduled import run_newest_delivery

    shelf = tmp_path / "raw"
    shutil.copytree(raw / EARLIER, shelf / EARLIER)
    before = assert_whole(out)
    logger = logging.getLogger("pipelines")  # Prefect keeps its records from the root's
    logger.addHandler(caplog.handler)
    try:
        assert run_newest_delivery(raw_root=str(shelf), output_dir=str(out)) == {}
    finally:
        logger.removeHandler(caplog.handler)
    assert "older than the current publication's" in caplog.text
    assert assert_whole(out) == before


# -- 4, 10, 11: export dates, folder names and "today" ----------------------------------------


def test_a_delivery_dated_after_today_is_refused(raw, out, tmp_path):
    ahead = tmp_path / (today() + dt.timedelta(days=1)).isoformat()
    shutil.copytree(raw / LATER, ahead)
    before = assert_whole(out)
    result = run(ahead, out)
    assert result.returncode == 64
    assert "lies after today" in one_line_error(result.stderr)
    assert assert_whole(out) == before


def test_serve_skips_a_folder_that_is_no_date_or_lies_ahead(tmp_path, caplog):
    from pipelines.schedule.deliveries import newest_delivery

    ahead = (today() + dt.timedelta(days=30)).isoformat()
    for name in ("2021-03-31", "2021-09-31", ahead):
        (tmp_path / name).mkdir()
    assert newest_delivery(tmp_path).name == "2021-03-31"
    assert "2021-09-31 is not a date" in caplog.text
    assert f"{ahead}: its export date lies after today" in caplog.text.replace(
        str(tmp_path) + "/", ""
    )


def test_today_is_the_dutch_date_whatever_the_machine_zone(tmp_path):
    """At 13:00 UTC on 23 April 2021 it is already 24 April in Kiritimati (UTC+14): a row of
    24 April is not yet in the past in the Netherlands, and the export date a delivery's rows
    give does not depend on the zone the machine or DuckDB is set to."""
    script = (
        "import duckdb\n"
        "from pipelines.intake import ingest\n"
        "from pipelines.intake.contract import EXTRACTS, SQL_HELPERS\n"
        "con = duckdb.connect()\n"
        "for helper in SQL_HELPERS:\n"
        "    con.execute(helper)\n"
        "for e in EXTRACTS:\n"
        "    cols = ', '.join(f'{c.name} varchar' for c in e.columns)\n"
        "    con.execute(f'create temp table _load_{e.table} ({cols})')\n"
        "    dated = [c.name for c in e.columns if c.kind in ingest.DATED]\n"
        "    for day in ('23-04-2021', '24-04-2021'):\n"
        "        for column in dated:\n"
        "            con.execute(f'insert into _load_{e.table} ({column}) values (?)', [day])\n"
        "print(ingest.derived_export_date(con))\n"
    )
    instant = dt.datetime(2021, 4, 23, 13, 0, tzinfo=dt.UTC)
    dates = set()
    for zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        local = instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
        env = os.environ | {
            "TZ": zone,
            "FAKETIME": f"@{local}",  # libfaketime reads it in the zone TZ names
            "LD_PRELOAD": faketime_library(),
        }
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        dates.add(result.stdout.strip())
    assert dates == {"2021-04-23"}


# -- 5, 14a, 14c: a damaged current publication -----------------------------------------------


@pytest.mark.parametrize("damage", ["a vintage taken out", "truncated"])
def test_a_damaged_history_is_refused_in_one_line(raw, out, damage):
    history = current(out) / "historie" / "kerncijfers.parquet"
    history.chmod(0o644)
    if damage == "truncated":
        with history.open("r+b") as handle:
            handle.truncate(history.stat().st_size // 2)
    else:
        with duckdb.connect() as con:
            con.execute(
                f"copy (select * from read_parquet('{history}') where exportdatum <> "
                f"date '{EARLIER}') to '{history}.new' (format parquet)"
            )
        os.replace(f"{history}.new", history)
    before = tree(out)
    result = run(raw / LATER, out)
    assert result.returncode == 73
    last = one_line_error(result.stderr)
    assert "historie/kerncijfers.parquet does not match its manifest" in last
    assert "ln -sfn publicaties/" in last  # how to go back to the publication before it
    assert tree(out) == before


def test_a_report_year_list_that_cannot_be_read_is_one_line(raw, out):
    """rapport/jaren.json of the current publication, written over: one line, nothing
    changed (a published one is checked against the manifest; this one is not published)."""
    rapport = current(out) / "rapport"
    rapport.mkdir(exist_ok=True)
    (rapport / "jaren.json").write_text("{not json")
    before = tree(out)
    result = run(raw / LATER, out)
    assert result.returncode == 73
    assert "jaren.json cannot be read" in one_line_error(result.stderr)
    assert tree(out) == before


def test_a_lock_that_is_a_folder_is_one_line(raw, out):
    lock = out / STATE_DIR / "lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    before = assert_whole(out)
    result = run(raw / LATER, out)
    assert result.returncode == 73
    assert "lock file" in one_line_error(result.stderr) and "it is a folder" in result.stderr
    assert assert_whole(out) == before


# -- 6: the delivery's hash describes the bytes read ------------------------------------------


def test_a_delivery_written_to_while_it_is_read_is_not_published(raw, out, tmp_path):
    delivery = tmp_path / LATER
    shutil.copytree(raw / LATER, delivery)
    before = assert_whole(out)
    env = harness_env(**{PAUSE_VARIABLE: "inlezen:4"})
    started = start(delivery, out, tmp_path, env)
    started.wait_for("pauze inlezen")
    with (delivery / "personen.csv").open("a") as handle:  # a copy still being written
        handle.write("laat1;01-01-1980;NL\n")
    assert started.wait() == 75
    assert "personen.csv changed while the run read it" in one_line_error(started.output())
    assert assert_whole(out) == before


# -- 7: a BSN in any notation: tests/test_privacy.py ----------------------------------------


# -- 8, 9: servers that die -------------------------------------------------------------------


def own_server(prefect_home: Path, **extra: str) -> dict[str, str]:
    """A run without a Prefect API: it starts a temporary server of its own."""
    env = {k: v for k, v in harness_env(**extra).items() if k != "PREFECT_API_URL"}
    return env | {"PREFECT_HOME": str(prefect_home)}


def kill_its_server(run: Started) -> None:
    """Kill the temporary Prefect server the run started (its child running uvicorn)."""
    children = Path(f"/proc/{run.process.pid}/task/{run.process.pid}/children").read_text()
    servers = [
        int(pid)
        for pid in children.split()
        if b"uvicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert servers, "the run has no server of its own"
    for pid in servers:
        os.kill(pid, signal.SIGKILL)


def test_a_server_lost_after_publishing_is_a_warning(raw, out, tmp_path, prefect_home):
    env = own_server(prefect_home, **{PAUSE_VARIABLE: "gepubliceerd:3"})
    started = Started(
        *run_args(raw / LATER, out, 2019, NO_REPORT), log=tmp_path / "run.log", env=env
    )
    started.wait_for("pauze gepubliceerd")
    kill_its_server(started)
    assert started.wait(timeout=90) == 0
    output = started.output()
    # Neither Prefect's failures to reach it nor the state it could not record.
    assert "Traceback" not in output and "Error logging" not in output
    assert "Finished in state Running()" not in output
    manifest = assert_whole(out)
    assert f"warning: run {manifest['run_id']} is published and current" in output
    assert f"kerncijfers run {manifest['run_id']} finished" in output


def test_a_server_lost_before_publishing_stops_the_run_at_once(raw, out, tmp_path, prefect_home):
    before = assert_whole(out)
    env = own_server(prefect_home, **{PAUSE_VARIABLE: "inlezen:1"})
    started = Started(
        *run_args(raw / LATER, out, 2019, NO_REPORT), log=tmp_path / "run.log", env=env
    )
    started.wait_for("pauze inlezen")
    kill_its_server(started)
    lost = time.monotonic()
    assert started.wait(timeout=90) == 69
    assert time.monotonic() - lost < 30, "the run went on for long without its server"
    last = one_line_error(started.output())
    assert "the temporary Prefect server stopped" in last and "nothing was published" in last
    assert assert_whole(out) == before
    assert not list((out / STATE_DIR / "runs").iterdir())


def test_serve_killed_outright_takes_its_server_with_it(tmp_path, prefect_home):
    port = free_port()
    (tmp_path / "raw").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(prefect_home)
    with (tmp_path / "serve.log").open("w") as log:
        serve = subprocess.Popen(
            [
                *COMMAND,
                "serve",
                "--port",
                str(port),
                "--raw-root",
                str(tmp_path / "raw"),
                "--output-dir",
                str(tmp_path / "out"),
            ],  # fmt: skip
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(
                "serve to start its server",
                lambda: "Prefect server and UI on" in (tmp_path / "serve.log").read_text(),
                timeout=180,
                every=0.5,
            )
            serve.kill()
            serve.wait()
            wait_for(
                "the server to end with serve",
                lambda: not processes_mentioning(f"--port {port}"),
                timeout=15,
            )
        finally:
            if serve.poll() is None:
                serve.kill()
            subprocess.run(["pkill", "-9", "-f", "--", f"--port {port}"])
    with pytest.raises(OSError):
        import urllib.request

        urllib.request.urlopen(local_api_url(port) + "/health", timeout=2)


# -- 13: what an older layout left is never overwritten ---------------------------------------


def test_the_old_layout_kept_aside_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    runs = {"20210101T000000Z-aaaaaa": "first", "20210102T000000Z-bbbbbb": "second"}
    for run_id, content in runs.items():
        (out / "marts").mkdir(parents=True)  # a real folder where the stable link belongs
        (out / "marts" / "kerncijfers.csv").write_text(content)
        published = out / PUBLICATIONS_DIR / run_id
        (published / "marts").mkdir(parents=True)
        (out / CURRENT_LINK).unlink(missing_ok=True)
        os.symlink(f"{PUBLICATIONS_DIR}/{run_id}", out / CURRENT_LINK)
        ensure_stable_paths(out, published, out / STATE_DIR)
        (out / "marts").unlink()
    kept = sorted((out / STATE_DIR / "voor-publicaties").rglob("kerncijfers.csv"))
    assert [p.read_text() for p in kept] == ["first", "second"]


# -- 14: one line where a traceback was -------------------------------------------------------


def test_terminal_escapes_in_a_quoted_value_are_shown_not_obeyed(out, tmp_path):
    """A folder name is quoted as it is: it may hold escape sequences that clear the line and
    a line break that forges a line of its own (and a number that looks like a BSN)."""
    value = "levering\x1b[2K\rkerncijfers: published\nNL123456782"
    result = run(tmp_path / value, out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "\\x1b[2K\\rkerncijfers: published\\n" in lines[0]
    assert "123456782" not in result.stderr


def test_a_line_of_50_mb_is_called_what_it_is(raw, out, tmp_path):
    delivery = tmp_path / LATER
    shutil.copytree(raw / LATER, delivery)
    with (delivery / "personen.csv").open("a") as handle:
        handle.write("x" * 50_000_000 + ";01-01-1980;NL\n")
    before = assert_whole(out)
    result = run(delivery, out)
    assert result.returncode == 2
    last = one_line_error(result.stderr)
    assert "MB long, longer than a row can be" in last and "quote" not in last
    assert assert_whole(out) == before


def test_sighup_then_more_ctrl_c_while_the_run_stops_is_one_line(raw, out, tmp_path, prefect_home):
    """The terminal closed while the report renders (SIGHUP), then Ctrl-C again and again
    while the run cleans up (its PDF workers, its work folder, its temporary Prefect server):
    one line, exit 129, as for any stop."""
    before = assert_whole(out)
    started = Started(*run_args(raw / LATER, out, 2019), log=tmp_path / "run.log",
                      env=own_server(prefect_home))  # fmt: skip
    started.wait_for("render the annual report")
    time.sleep(1.5)  # the PDF workers print
    started.signal(signal.SIGHUP)
    while started.process.poll() is None:  # an impatient user
        time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            started.signal(signal.SIGINT)
    assert started.wait() == 129
    assert "stopped by SIGHUP: nothing was published" in one_line_error(started.output())
    assert not list((out / STATE_DIR / "runs").iterdir()), "the work folder was left"
    assert assert_whole(out) == before


# -- 14: resources running out (a small tmpfs: needs the right to mount, as root) -------------


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs; ``mount(options)`` returns its folder. Skipped where mounting is
    not allowed."""
    mounted = []

    def mount(name: str, options: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)])


def fill(folder: Path) -> None:
    with (folder / "vol").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * (1 << 20))
                handle.flush()
        except OSError:
            pass


@pytest.mark.parametrize("pause", ["inlezen", "verantwoorden"])
def test_a_disk_that_fills_during_the_run_is_one_line(raw, published, tmp_path, tmpfs, pause):
    disk = tmpfs(f"disk-{pause}", "size=400m")
    out = disk / "out"
    shutil.copytree(published, out, symlinks=True)
    before = assert_whole(out)
    env = harness_env(**{PAUSE_VARIABLE: f"{pause}:2"})
    started = Started(
        *run_args(raw / LATER, out, 2019, NO_REPORT), log=tmp_path / "run.log", env=env
    )
    started.wait_for(f"pauze {pause}")
    fill(disk)
    assert started.wait() == 73
    assert "no space left on the device" in one_line_error(started.output())
    (disk / "vol").unlink()
    assert assert_whole(out) == before


def test_a_full_tmpdir_does_not_trouble_a_run(raw, out, tmp_path, tmpfs, prefect_home):
    full = tmpfs("tmp", "size=1m")
    fill(full)
    env = own_server(prefect_home, TMPDIR=str(full))
    result = run(raw / LATER, out, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert_whole(out)


def test_too_few_free_inodes_is_refused_before_any_work(raw, published, tmpfs):
    disk = tmpfs("inodes", "size=400m,nr_inodes=4000")
    out = disk / "out"
    shutil.copytree(published, out, symlinks=True)
    before = assert_whole(out)
    result = run(raw / LATER, out)
    assert result.returncode == 73
    assert "not enough free inodes" in one_line_error(result.stderr)
    assert assert_whole(out) == before
