"""Where a run works and how it publishes.

A run builds everything in its own work folder ``OUT/.kerncijfers/runs/<run id>/`` and only
at the end moves the results into ``OUT`` with atomic renames, the manifest last. A run that
fails leaves what was published before untouched. One run at a time may write to an output
folder: a lock file says which; a second run waits (``wait_seconds``) or stops with a message.
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
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

STATE_DIR = ".kerncijfers"


class OutputLocked(Exception):
    """Another run is writing to the same output folder."""


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@contextlib.contextmanager
def output_lock(output_dir: Path, run_id: str, wait_seconds: float = 0) -> Iterator[None]:
    """Hold the output folder's lock for the duration of a run."""
    state = output_dir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    lock_path = state / "lock"
    handle = lock_path.open("a+")
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another run"
            if time.monotonic() >= deadline:
                handle.close()
                raise OutputLocked(
                    f"{output_dir} is being written by {holder}; wait for it to finish "
                    "or use --wait SECONDS"
                ) from None
            if not announced:
                log.info("waiting for %s to finish writing %s", holder, output_dir)
                announced = True
            time.sleep(0.5)
    handle.seek(0)
    handle.truncate()
    handle.write(
        f"run {run_id} (pid {os.getpid()}, since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC)"
    )
    handle.flush()
    try:
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        handle.flush()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def work_dir(output_dir: Path, run_id: str) -> Path:
    path = output_dir / STATE_DIR / "runs" / run_id
    path.mkdir(parents=True, exist_ok=False)
    return path


def publish(work: Path, output_dir: Path, relative_paths: list[str]) -> None:
    """Move files and folders from the work folder into the output folder, atomically each.

    Files replace their published namesakes with one rename each (same file system); a folder
    (the run's audit trail) is new and is renamed into place whole. The caller lists the
    manifest last, so a manifest always describes a complete publication.
    """
    for relative in relative_paths:
        source, target = work / relative, output_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            os.replace(source, target)
        else:
            os.replace(source, target)


def discard(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)


def write_json(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n")
