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
    .kerncijfers/           the lock, work folders of running runs, dbt's parse cache, and
                            gepubliceerd.jsonl: every publication ever made current, in order

A run builds its publication in its work folder and carries forward what it does not replace
(the reports of other years, the audit trails of earlier runs) as hard links. Publishing is a
rename of that folder into ``publicaties/`` and one atomic rename of the ``huidig`` link: a
reader sees the previous publication or the new one, never a mix, and a failure at any instant
leaves the previous publication current and whole. Published files are read-only. The last
``keep`` publications are kept.

Whether a publication was ever current is known from the durable record
(``gepubliceerd.jsonl``), not guessed from the link or the order of the run ids (a clock set
back makes those disagree): a run removes only a publication that was never current, and of
those that were, only the older ones beyond ``keep``. Before a run builds on the current
publication it checks every file against the manifest's hashes; a damaged publication (or an
output folder copied without its links) is refused in one line, and nothing is removed.
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
from pipelines.publish.hashing import sha256_file
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


def export_date(publication: Path | None) -> dt.date | None:
    """The export date of the delivery a publication was computed from (its manifest)."""
    if publication is None:
        return None
    try:
        manifest = json.loads((publication / MANIFEST_NAME).read_text(encoding="utf-8"))
        return dt.date.fromisoformat(manifest["delivery"]["exportdatum"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def history_file(publication: Path | None) -> Path | None:
    """The history of vintages a publication holds, if any."""
    if publication is None:
        return None
    path = publication / HISTORY_DIR_NAME / "kerncijfers.parquet"
    return path if path.is_file() else None


class DamagedPublication(ExpectedFailure):
    """The publication a run would build on is not as it was published (a file changed,
    truncated or gone), or the output folder is not in the layout the pipeline made: the run
    refuses to build on it, and changes nothing."""

    exit_code = 73

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}; nothing was changed")


# -- the durable record of what was made current ----------------------------------------------

RECORD_NAME = "gepubliceerd.jsonl"


def record_file(output_dir: Path) -> Path:
    return output_dir / STATE_DIR / RECORD_NAME


def made_current(output_dir: Path) -> list[str]:
    """The run ids of the publications ever made current in this output folder, in the order
    they were (the record; a line a crash cut short is skipped)."""
    try:
        lines = record_file(output_dir).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    found: list[str] = []
    for line in lines.splitlines():
        try:
            run_id = json.loads(line)["run_id"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(run_id, str) and run_id not in found:
            found.append(run_id)
    return found


def record_made_current(output_dir: Path, run_ids: list[str]) -> None:
    """Add run ids to the record and write it through to the disk (a crash after this keeps
    it); creates the record when there is none."""
    path = record_file(output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        if handle.tell():  # after a line a crash cut short, start a new one
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        for run_id in run_ids:
            handle.write(json.dumps({"run_id": run_id, "vastgelegd": stamp}).encode() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    fsync_dir(path.parent)


def publication_names(output_dir: Path) -> list[str]:
    folder = output_dir / PUBLICATIONS_DIR
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def complete_record(output_dir: Path) -> list[str]:
    """The record, completed (call with the lock held). An output folder an earlier version
    published in has none: every publication it holds is recorded, so that none is removed as
    never current. The current publication is recorded if a run stopped between making it
    current and recording it. Returns the record."""
    recorded = made_current(output_dir)
    missing = [] if record_file(output_dir).exists() else publication_names(output_dir)
    live = current(output_dir)
    if live is not None and live.name not in recorded and live.name not in missing:
        missing.append(live.name)
    if missing or not record_file(output_dir).exists():
        record_made_current(output_dir, missing)
    return recorded + missing


def check_output_layout(output_dir: Path) -> None:
    """An output folder copied with its links followed (``cp -rL``, many backup tools) holds
    a folder ``huidig`` where the link was: building on it would take its copies of the stable
    paths for an older layout. Refused, before anything is changed."""
    link = output_dir / CURRENT_LINK
    if link.exists() and not link.is_symlink():
        raise DamagedPublication(
            f"{link} is a folder, not a link: the output folder was copied with its links "
            "followed (cp -rL, or a backup tool); restore it with its links (cp -a, rsync -a) "
            "or publish into a new output folder"
        )


def base(output_dir: Path, recorded: list[str]) -> Path | None:
    """The publication a run builds on: the current one; when its folder is gone (deleted,
    lost in a restore), the last one made current that is still there."""
    live = current(output_dir)
    if live is not None or not (output_dir / CURRENT_LINK).is_symlink():
        return live
    folder = output_dir / PUBLICATIONS_DIR
    for name in reversed(recorded):
        if (folder / name / MANIFEST_NAME).is_file():
            log.warning(
                "the current publication %s is missing; building on %s, the last publication "
                "made current that is still here",
                os.readlink(output_dir / CURRENT_LINK),
                name,
            )
            return folder / name
    return None


def verify(publication: Path, recorded: list[str]) -> None:
    """Every file of the publication is as its manifest hashed it (the warehouse excepted: no
    run reads it again); DamagedPublication names the first that is not, and the publication
    made current before it, whose own copy holds every vintage up to that one. `recorded`
    holds the publication (``complete_record``, ``base``)."""
    manifest_path = publication / MANIFEST_NAME
    try:
        outputs = json.loads(manifest_path.read_text(encoding="utf-8"))["outputs"]
        items = sorted(outputs.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise DamagedPublication(
            f"the manifest of the current publication cannot be read ({manifest_path}: {error})"
        ) from None
    for name, digest in items:
        if name == WAREHOUSE_NAME:
            continue
        path = publication / name
        if not path.is_file() or sha256_file(path) != digest:
            state = "is missing" if not path.is_file() else "does not match its manifest"
            made_before = recorded[: recorded.index(publication.name)]
            earlier = [n for n in made_before if (publication.parent / n).is_dir()]
            restore = (
                f"make the publication before it current again (ln -sfn {PUBLICATIONS_DIR}/"
                f"{earlier[-1]} {CURRENT_LINK}; its own copy holds the vintages up to it)"
                if earlier
                else "no earlier publication is left to go back to"
            )
            raise DamagedPublication(
                f"the current publication is damaged: {publication.name}/{name} {state} "
                f"(changed or truncated since it was published). Restore the file from a "
                f"backup, or {restore}"
            )


def report_years(rapport: Path | None) -> dict[str, dict]:
    """Per published year: the run and export date it came from, and its files."""
    if rapport is None or not (rapport / REPORT_YEARS_FILE).is_file():
        return {}
    path = rapport / REPORT_YEARS_FILE
    try:
        years = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DamagedPublication(f"{path} cannot be read ({error})") from None
    if not isinstance(years, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("bestanden"), list) for v in years.values()
    ):
        raise DamagedPublication(f"{path} does not list the report years and their files")
    return years


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
    folder found there instead (what an older version of the pipeline published) is moved
    into the state folder first, into a folder named for this publication."""
    for name in STABLE_PATHS:
        if not (published / name).exists():
            continue
        path = output_dir / name
        target = f"{CURRENT_LINK}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.exists() and not path.is_symlink():
            # Never over what an earlier move kept: each move gets a folder of its own.
            moved = state_dir / "voor-publicaties" / published.name / name
            moved.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, moved)
            log.warning("moved %s (not a link of this layout) to %s", path, moved)
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
    try:
        record_made_current(output_dir, [run_id])
    except OSError as error:  # it is current; the next run records it (complete_record)
        log.warning("could not record %s as made current: %s", run_id, error.strerror or error)
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
    """Remove all but the last `keep` publications made current (in the order the record
    has them, which a clock set back does not change), the current one always kept. Returns
    the run ids removed."""
    live = current(output_dir)
    folder = output_dir / PUBLICATIONS_DIR
    if live is None or not folder.is_dir():
        return []
    names = [name for name in made_current(output_dir) if (folder / name).is_dir()]
    kept = set(names[-max(keep, 1) :]) | {live.name}
    removed = [name for name in names if name not in kept]
    for name in removed:
        shutil.rmtree(folder / name, ignore_errors=True)
    if removed:
        log.info("removed %d older publication(s): %s", len(removed), ", ".join(removed))
    return removed


def remove_unpublished(output_dir: Path, recorded: list[str]) -> list[str]:
    """Remove what a run that was stopped while publishing left: a publication that never
    became current (not in the record) and half-made links. Call with the lock."""
    live = current(output_dir)
    folder = output_dir / PUBLICATIONS_DIR
    removed = []
    for name in publication_names(output_dir):
        if name not in recorded and (live is None or name != live.name):
            shutil.rmtree(folder / name, ignore_errors=True)
            removed.append(name)
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

    @property
    def previous_export_date(self) -> dt.date | None:
        return export_date(self.previous)

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
    ``Work.publish`` makes anything current. The publication built on is checked first: the
    output folder's layout, and every file against its manifest."""
    holder = f"the run started at {started:%Y-%m-%d %H:%M:%S} UTC"
    with workspace.output_lock(output_dir, holder, wait_seconds):
        run_id = workspace.new_run_id()
        check_output_layout(output_dir)
        recorded = complete_record(output_dir)
        previous = base(output_dir, recorded)
        if previous is not None:
            verify(previous, recorded)
            report_years(previous / REPORT_DIR_NAME)  # which report files carry forward
        workspace.remove_stale_work(output_dir)
        remove_unpublished(output_dir, recorded)
        work = Work(output_dir, run_id, workspace.work_dir(output_dir, run_id), previous)
        log.info("run %s: working in %s", run_id, work.folder)
        try:
            with work.stack, workspace.temporary_files_in(work.folder):
                yield work
        finally:
            workspace.discard(work.folder)
