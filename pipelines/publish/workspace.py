"""Where a run works: the output folder's lock and the run's own work folder.

One run at a time may write to an output folder: a lock file (``OUT/.kerncijfers/lock``) says
which; a second run waits (``wait_seconds``) or stops with a message. A run builds everything
in ``OUT/.kerncijfers/runs/<run id>/``; the staged publication inside it is published by
``publication.make_current``. The work folder is removed when the run ends, however it ends;
a run that was killed leaves it behind, and the next run removes it. So do the run's temporary
files (``temporary_files_in``): a copy of a raw file made while reading it holds personal data,
and a killed run must not leave it in the machine's temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pipelines.errors import ExpectedFailure

log = logging.getLogger(__name__)

STATE_DIR = ".kerncijfers"
RUNS_DIR = "runs"
STAGED_DIR = "publicatie"
TEMP_DIR = "tmp"


class OutputLocked(ExpectedFailure):
    """Another run is writing to the same output folder."""


class LockUnusable(ExpectedFailure):
    """The output folder's lock file cannot be opened (something else stands in its place)."""

    exit_code = 73


def state_dir(output_dir: Path) -> Path:
    return output_dir / STATE_DIR


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@contextlib.contextmanager
def output_lock(output_dir: Path, holder: str, wait_seconds: float = 0) -> Iterator[None]:
    """Hold the output folder's lock for the duration of a run. The kernel releases the lock
    when the process ends, however it ends."""
    state = state_dir(output_dir)
    state.mkdir(parents=True, exist_ok=True)
    path = state / "lock"
    try:
        handle = path.open("a+")
    except OSError as error:
        problem = "it is a folder" if path.is_dir() else (error.strerror or str(error))
        raise LockUnusable(
            f"cannot use the lock file {path}: {problem}; remove it (a lock is a file only a "
            "run creates), then run again"
        ) from None
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            handle.seek(0)
            other = handle.read().strip() or "another run"
            if time.monotonic() >= deadline:
                handle.close()
                raise OutputLocked(
                    f"{output_dir} is being written by {other}; wait for it to finish "
                    "or use --wait SECONDS"
                ) from None
            if not announced:
                log.info("waiting for %s to finish writing %s", other, output_dir)
                announced = True
            time.sleep(0.5)
    handle.seek(0)
    handle.truncate()
    handle.write(f"{holder} (pid {os.getpid()})")
    handle.flush()
    try:
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        handle.flush()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def remove_stale_work(output_dir: Path) -> list[str]:
    """Remove the work folders of runs whose process is gone. Call with the lock held: then
    no other run can be working here, so a folder whose process still exists (a pid reused
    by another program) is stale too, unless it is this process's own."""
    runs = state_dir(output_dir) / RUNS_DIR
    removed = []
    if runs.is_dir():
        for folder in runs.iterdir():
            owner = read_owner(folder)
            if owner and owner.get("pid") == os.getpid():
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    if removed:
        log.info(
            "removed %d work folder(s) left by runs that stopped: %s",
            len(removed),
            ", ".join(removed),
        )
    return removed


def read_owner(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "eigenaar.json").read_text())
    except (OSError, ValueError):
        return None


def work_dir(output_dir: Path, run_id: str) -> Path:
    """The run's work folder, with a note of the process that owns it."""
    path = state_dir(output_dir) / RUNS_DIR / run_id
    path.mkdir(parents=True, exist_ok=False)
    (path / "eigenaar.json").write_text(
        json.dumps({"run_id": run_id, "pid": os.getpid(), "argv": sys.argv[:1]})
    )
    (path / STAGED_DIR).mkdir()
    return path


@contextlib.contextmanager
def temporary_files_in(work: Path) -> Iterator[Path]:
    """For the duration of a run, its temporary files (``tempfile``, and ``TMPDIR`` for the
    processes it starts) go to ``<work folder>/tmp``, which goes with the work folder."""
    folder = work / TEMP_DIR
    folder.mkdir()
    before = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = before[0]
        if before[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before[1]


def staged(work: Path) -> Path:
    """The publication being built inside a work folder."""
    return work / STAGED_DIR


def discard(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)


def write_json(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n")


# A pause at a named point of a run, for the tests that kill a run at that instant:
# KERNCIJFERS_PAUZE="<point>:<seconds>" makes the run print "pauze <point>" to stderr and wait.
PAUSE_VARIABLE = "KERNCIJFERS_PAUZE"


def pause_point(name: str) -> None:
    setting = os.environ.get(PAUSE_VARIABLE, "")
    point, _, seconds = setting.partition(":")
    if point == name:
        print(f"pauze {name}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))
