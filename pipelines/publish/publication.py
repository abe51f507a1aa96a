"""What a run publishes, and how it becomes current in one step.

An output folder ``OUT`` holds:

    publicaties/<run id>/   one complete publication: manifest.json, warehouse.duckdb, marts/,
                            open-data/, historie/, rapport/ (every report year published so
                            far) and audit/ (the trail of every run so far)
    huidig -> publicaties/<run id>
                            the current publication: a symbolic link, switched with one rename
    manifest.json, warehouse.duckdb, marts, open-data, historie, rapport, audit
                            the stable paths: symbolic links through ``huidig`` that never
                            change, so every reader resolves them to one publication
    .kerncijfers/           the lock, work folders of running runs, dbt's parse cache

A run builds its publication in its work folder and carries forward what it does not replace
(the reports of other years, the audit trails of earlier runs) as hard links. Publishing is a
rename of that folder into ``publicaties/`` and one atomic rename of the ``huidig`` link: a
reader sees the previous publication or the new one, never a mix, and a failure at any instant
leaves the previous publication current and whole. Published files are read-only. The last
``keep`` publications are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines import stopping
from pipelines.config import (
    AUDIT_DIR_NAME,
    HISTORY_DIR_NAME,
    MANIFEST_NAME,
    MARTS_DIR_NAME,
    OPEN_DATA_DIR_NAME,
    REPORT_DIR_NAME,
    WAREHOUSE_NAME,
)
from pipelines.errors import ExpectedFailure
from pipelines.publish import workspace
from pipelines.publish.workspace import STATE_DIR, pause_point

log = logging.getLogger(__name__)

PUBLICATIONS_DIR = "publicaties"
CURRENT_LINK = "huidig"
STABLE_PATHS = (
    MANIFEST_NAME,
    WAREHOUSE_NAME,
    MARTS_DIR_NAME,
    OPEN_DATA_DIR_NAME,
    HISTORY_DIR_NAME,
    REPORT_DIR_NAME,
    AUDIT_DIR_NAME,
)
# Which report files belong to which year: the index lists the years, and a run carries the
# other years forward.
REPORT_YEARS_FILE = "jaren.json"


def current(output_dir: Path) -> Path | None:
    """The current publication, or None when nothing has been published here."""
    link = output_dir / CURRENT_LINK
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def history_file(publication: Path | None) -> Path | None:
    """The history of vintages a publication holds, if any."""
    if publication is None:
        return None
    path = publication / HISTORY_DIR_NAME / "kerncijfers.parquet"
    return path if path.is_file() else None


def report_years(rapport: Path | None) -> dict[str, dict]:
    """Per published year: the run and export date it came from, and its files."""
    if rapport is None or not (rapport / REPORT_YEARS_FILE).is_file():
        return {}
    return json.loads((rapport / REPORT_YEARS_FILE).read_text(encoding="utf-8"))


def link_tree(source: Path, target: Path) -> None:
    """A copy of a file or folder made of hard links (a plain copy where links fail)."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=hard_link_or_copy)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        hard_link_or_copy(source, target)


def hard_link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def carry_forward(
    previous: Path | None, staged: Path, jaar: int | None, run_id: str
) -> dict[str, dict]:
    """Bring into the staged publication what this run does not replace: the audit trails of
    earlier runs and the report files of other years. Returns the report years published so
    far (this run's year excluded; the renderer adds it). `jaar` None: the run renders no
    report, and the whole report folder stays as published (every year, its index and
    ``jaren.json``, each year still naming the run it came from)."""
    if previous is None:
        return {}
    audit = previous / AUDIT_DIR_NAME
    if audit.is_dir():
        for trail in sorted(audit.iterdir()):
            if trail.name != run_id and not (staged / AUDIT_DIR_NAME / trail.name).exists():
                link_tree(trail, staged / AUDIT_DIR_NAME / trail.name)
    rapport = previous / REPORT_DIR_NAME
    if jaar is None:
        if rapport.is_dir():
            link_tree(rapport, staged / REPORT_DIR_NAME)
        return report_years(rapport)
    years = {k: v for k, v in report_years(rapport).items() if k != str(jaar)}
    for entry in years.values():
        for name in entry["bestanden"]:
            if (rapport / name).exists():
                link_tree(rapport / name, staged / REPORT_DIR_NAME / name)
    return years


def replace_link(path: Path, target: str) -> None:
    """Point the symbolic link `path` at `target` with one atomic rename."""
    temporary = path.with_name(f".{path.name}.nieuw-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, path)


def ensure_stable_paths(output_dir: Path, published: Path, state_dir: Path) -> None:
    """Make every stable path the publication has a link through ``huidig``. A file or
    folder an older version of the pipeline published there is moved into the state folder
    first (once)."""
    for name in STABLE_PATHS:
        if not (published / name).exists():
            continue
        path = output_dir / name
        target = f"{CURRENT_LINK}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.exists() and not path.is_symlink():
            moved = state_dir / "voor-publicaties" / name
            moved.parent.mkdir(parents=True, exist_ok=True)
            if moved.exists():
                shutil.rmtree(moved) if moved.is_dir() else moved.unlink()
            os.replace(path, moved)
            log.info("moved %s (an earlier layout) to %s", path, moved)
        replace_link(path, target)


def make_read_only(folder: Path) -> None:
    """Take the write permission off every file in the folder: a published file never changes
    (the manifest holds its hash, and later publications share it as a hard link), so a tool
    opening one to write — dbt, or DuckDB without ``read_only`` — is refused, not let in.
    The folders stay writable, so that old publications can be removed."""
    for root, _folders, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            if mode & 0o222:  # a file shared with an earlier publication already is not
                path.chmod(mode & ~0o222)


def make_current(output_dir: Path, staged: Path, run_id: str, state_dir: Path) -> Path:
    """Publish the staged folder as ``publicaties/<run id>`` and make it current."""
    publications = output_dir / PUBLICATIONS_DIR
    publications.mkdir(exist_ok=True)
    published = publications / run_id
    make_read_only(staged)
    os.replace(staged, published)
    fsync_dir(publications)
    pause_point("hernoemd")
    ensure_stable_paths(output_dir, published, state_dir)
    replace_link(output_dir / CURRENT_LINK, f"{PUBLICATIONS_DIR}/{run_id}")
    fsync_dir(output_dir)
    return published


def fsync_dir(path: Path) -> None:
    """Make a rename in this folder durable (a crash after it keeps it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PublishError(ExpectedFailure):
    """The new publication could not be made current; the previous one still is."""

    exit_code = 73


def publish(output_dir: Path, staged: Path, run_id: str, keep: int) -> Path:
    """Make the staged publication current, then keep only the last `keep` publications."""
    try:
        published = make_current(output_dir, staged, run_id, output_dir / STATE_DIR)
    except OSError as error:
        raise PublishError(
            f"could not publish in {output_dir}: {error.strerror or error}; "
            "the previous publication is unchanged"
        ) from None
    pause_point("gepubliceerd")
    prune(output_dir, keep)
    return published


def prune(output_dir: Path, keep: int) -> list[str]:
    """Remove all but the `keep` newest publications up to the current one. Returns the run
    ids removed."""
    live = current(output_dir)
    folder = output_dir / PUBLICATIONS_DIR
    if live is None or not folder.is_dir():
        return []
    names = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name <= live.name)
    removed = names[: -max(keep, 1)]
    for name in removed:
        shutil.rmtree(folder / name, ignore_errors=True)
    if removed:
        log.info("removed %d older publication(s): %s", len(removed), ", ".join(removed))
    return removed


def remove_unpublished(output_dir: Path) -> list[str]:
    """Remove what a run that was stopped while publishing left: a publication that never
    became current (newer than the current one) and half-made links. Call with the lock."""
    live = current(output_dir)
    folder = output_dir / PUBLICATIONS_DIR
    removed = []
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_dir() and (live is None or path.name > live.name):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    for link in output_dir.glob(".*.nieuw-*"):
        link.unlink(missing_ok=True)
    if removed:
        log.info(
            "removed %d publication(s) that never became current: %s",
            len(removed),
            ", ".join(removed),
        )
    return removed


# -- a run's publication, from its lock to making it current ---------------------------------


@dataclass
class Work:
    """What a run builds its publication in: its id, its work folder and the staged
    publication in it, dbt's state, and the publication current when it began."""

    output_dir: Path
    run_id: str
    folder: Path
    previous: Path | None
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    @property
    def staged(self) -> Path:
        return workspace.staged(self.folder)

    @property
    def warehouse(self) -> Path:
        return self.staged / WAREHOUSE_NAME

    @property
    def dbt_target(self) -> Path:
        """dbt's state, kept between runs (its parse of the project)."""
        return workspace.state_dir(self.output_dir) / "dbt"

    @property
    def history(self) -> Path | None:
        """The vintages published before this run."""
        return history_file(self.previous)

    def keep_until_done(self, context: contextlib.AbstractContextManager[Any]) -> None:
        """Hold `context` (helpers a later step takes over) until the run ends, however."""
        self.stack.enter_context(context)

    def publish(self, keep: int) -> Path:
        """Make the staged publication current (a stop waits for it), keep the last `keep`."""
        pause_point("publiceren")
        with stopping.deferred():  # a stop now waits until the publication is current
            published = publish(self.output_dir, self.staged, self.run_id, keep)
            stopping.published(self.run_id)
        return published


@contextlib.contextmanager
def building(output_dir: Path, started: dt.datetime, wait_seconds: float) -> Iterator[Work]:
    """A run's publication in the making: the output folder's lock (waiting up to
    `wait_seconds` for another run), a new run id and work folder, what killed runs left
    removed, the run's temporary files in its work folder. However the run ends, the work
    folder goes (with the record-level rows it may hold) and the lock is released; only
    ``Work.publish`` makes anything current."""
    holder = f"the run started at {started:%Y-%m-%d %H:%M:%S} UTC"
    with workspace.output_lock(output_dir, holder, wait_seconds):
        run_id = workspace.new_run_id()
        workspace.remove_stale_work(output_dir)
        remove_unpublished(output_dir)
        work = Work(output_dir, run_id, workspace.work_dir(output_dir, run_id), current(output_dir))
        log.info("run %s: working in %s", run_id, work.folder)
        try:
            with work.stack, workspace.temporary_files_in(work.folder):
                yield work
        finally:
            workspace.discard(work.folder)
