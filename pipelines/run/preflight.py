"""Checks before a run starts work: everything that can be known to fail is refused at once,
with one line, before anything is written.

- the delivery is not the output folder, does not lie inside what a run writes, and does not
  hold the output folder;
- the output folder can be written and has room for the run;
- the reference file reads and names only figures the catalogue has;
- the delivery's export date (known from the folder's name, or from the rows after ingest)
  does not lie after today, nor before the current publication's unless asked for
  (``--ouder-toestaan``);
- the report year and extra reference dates do not lie after the export date, nor before
  its first records
  (known once dbt has computed each source's coverage, ``marts.dekking``);
- the open data's licence is one data.overheid.nl accepts;
- the memory DuckDB may use (``KERNCIJFERS_GEHEUGEN``) is an amount DuckDB understands.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

import duckdb

from pipelines.config import MEMORY_VARIABLE, TIMEZONE, RunParameters, memory_limit, today
from pipelines.errors import ExpectedFailure
from pipelines.intake.delivery import Delivery
from pipelines.intake.reference import ReferenceError, check_reference
from pipelines.organisation import Organisation
from pipelines.organisation import load as load_organisation
from pipelines.publish.opendata import OpenDataError, settings
from pipelines.publish.publication import (
    CURRENT_LINK,
    PUBLICATIONS_DIR,
    STABLE_PATHS,
    check_output_layout,
    current,
    export_date,
)
from pipelines.publish.report.layout import check_layout
from pipelines.publish.workspace import STATE_DIR

# A run needs room for its warehouse (about the size of the delivery), the marts, the report
# and the audit trail, besides what is published already.
HEADROOM_BYTES = 64 * 1024 * 1024
# ... and room for its files: the report's pages, charts and PDFs, the audit trail, dbt's
# target and the temporary files, with room to spare (a file system can run out of inodes
# with bytes to spare).
NEEDED_INODES = 5000


class RunRefused(ExpectedFailure):
    """The run cannot start; the message says why in one line, `code` is the exit code
    (sysexits: 64 parameters, 65 the reference file, 73 the output folder)."""

    def __init__(self, message: str, code: int = 64) -> None:
        super().__init__(message)
        self.exit_code = code


def within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_folders(raw_dir: Path, output_dir: Path) -> None:
    raw, out = raw_dir.resolve(), output_dir.resolve()
    if within(out, raw):
        raise RunRefused(
            f"the output folder {output_dir} lies in the delivery {raw_dir}: a run never "
            "writes into a delivery; choose another --output-dir"
        )
    owned = [out / name for name in (STATE_DIR, PUBLICATIONS_DIR, CURRENT_LINK, *STABLE_PATHS)]
    for folder in owned:
        if within(raw, folder.resolve() if folder.exists() else folder):
            raise RunRefused(
                f"the delivery {raw_dir} lies in {folder}, which the pipeline writes: "
                "keep deliveries elsewhere (e.g. data/raw/<export date>/)"
            )


def check_writable(output_dir: Path, needed_bytes: int) -> None:
    try:
        (output_dir / STATE_DIR).mkdir(parents=True, exist_ok=True)
        probe = output_dir / STATE_DIR / f".schrijftest-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
        probe = output_dir / f".schrijftest-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise RunRefused(
            f"cannot write in the output folder {output_dir}: {error.strerror}", 73
        ) from None
    free = shutil.disk_usage(output_dir).free
    if free < needed_bytes:
        raise RunRefused(
            f"not enough free disk space in {output_dir}: {free // 2**20} MB free, "
            f"the run needs about {needed_bytes // 2**20} MB",
            73,
        )
    inodes = os.statvfs(output_dir)
    # A file system that counts no inodes (f_files 0) has no limit on them.
    if inodes.f_files and inodes.f_favail < NEEDED_INODES:
        raise RunRefused(
            f"not enough free inodes in {output_dir}: room for {inodes.f_favail} more files, "
            f"the run writes up to {NEEDED_INODES}",
            73,
        )


def needed_space(delivery_bytes: int) -> int:
    return 2 * delivery_bytes + HEADROOM_BYTES


def check_organisation(folder: Path) -> Organisation:
    """The organisation folder, read and checked: its files (``organisation``) and its
    report's layout against the catalogue (``layout``). Exit 78, naming the file and row."""
    organisation = load_organisation(folder)
    check_layout(organisation)
    return organisation


def check_run(params: RunParameters, delivery: Delivery, organisation: Organisation) -> None:
    """Every check that needs no more than the parameters, the organisation folder and the
    delivery's headers."""
    check_folders(params.raw_dir, params.output_dir)
    check_output_layout(params.output_dir)
    check_reference_file(params.reference, organisation)
    check_dates(params.jaar, list(params.extra_peildata), delivery.folder_export_date)
    check_vintage(
        delivery.folder_export_date,
        export_date(current(params.output_dir)),
        params.ouder_toestaan,
    )
    try:
        settings(organisation, params.licentie)
    except OpenDataError as error:
        raise RunRefused(str(error)) from None
    check_memory_setting()
    check_writable(params.output_dir, needed_space(sum(f.size for f in delivery.files)))


def check_serve(
    raw_root: Path, output_dir: Path, reference: Path | None, organisation: Organisation
) -> None:
    """What ``kerncijfers serve`` can check before it starts a server: what every scheduled
    run would otherwise fail on, one after another, each in the Prefect UI only."""
    if not raw_root.is_dir():
        raise RunRefused(f"--raw-root {raw_root} is not a folder (of deliveries named YYYY-MM-DD)")
    check_folders(raw_root, output_dir)
    check_output_layout(output_dir)
    check_reference_file(reference, organisation)
    check_memory_setting()
    check_writable(output_dir, HEADROOM_BYTES)


def check_reference_file(reference: Path | None, organisation: Organisation) -> None:
    """The reference file, when there is one, reads and names only figures the catalogue has,
    of the organisation's municipalities (exit 65)."""
    if reference is None:
        return
    try:
        check_reference(reference, organisation.member_codes)
    except ReferenceError as error:
        raise RunRefused(str(error), 65) from None


def check_memory_setting() -> None:
    """DuckDB reads the setting only when the run opens the warehouse: a value it does not
    understand would fail the ingest with a traceback."""
    limit = memory_limit()
    try:
        duckdb.connect(":memory:", config={"memory_limit": limit}).close()
    except duckdb.Error as error:
        problem = str(error).splitlines()[0].removeprefix("Parser Error: ")
        raise RunRefused(
            f"{MEMORY_VARIABLE}={limit!r} is not an amount of memory DuckDB understands "
            f"({problem}): use e.g. 1GB or 4GB"
        ) from None


def check_dates(jaar: int, extra_peildata: list[dt.date], exportdatum: dt.date | None) -> None:
    """An export date after today cannot be true; a report year or reference date after the
    export date has no data: refused."""
    if exportdatum is None:
        return
    if exportdatum > (now := today()):
        raise RunRefused(
            f"the delivery's export date {exportdatum:%d-%m-%Y} lies after today "
            f"({now:%d-%m-%Y}, {TIMEZONE}): a delivery cannot hold what has not happened; "
            "check the name of its folder"
        )
    if dt.date(jaar, 1, 1) > exportdatum:
        raise RunRefused(
            f"report year {jaar} lies after the delivery's export date "
            f"({exportdatum:%d-%m-%Y}): there are no figures for it yet"
        )
    later = [d for d in extra_peildata if d > exportdatum]
    if later:
        raise RunRefused(
            f"reference date {later[0]:%d-%m-%Y} lies after the delivery's export date "
            f"({exportdatum:%d-%m-%Y}): there are no figures for it yet"
        )


def check_vintage(exportdatum: dt.date | None, current: dt.date | None, allowed: bool) -> None:
    """A delivery older than the current publication's would replace newer figures with
    older ones: refused, unless the analyst asks for it (``--ouder-toestaan``)."""
    if exportdatum is None or current is None or exportdatum >= current or allowed:
        return
    raise RunRefused(
        f"the delivery's export date {exportdatum:%d-%m-%Y} lies before that of the current "
        f"publication ({current:%d-%m-%Y}): its older figures would replace newer ones. "
        "To publish it all the same (its revisions then compare with the newer vintage), "
        "add --ouder-toestaan"
    )


def check_coverage(jaar: int, extra_peildata: list[dt.date], eerste: dt.date | None) -> None:
    """A report year or reference date before the delivery's first records (``eerste``: the
    earliest date from which any of its sources covers the figures) has no data: refused.
    Its report would show only gaps, and its marts zeros that are not facts (a typed 1919 for
    2019 would have replaced the publication with them). A delivery without records at all
    is not refused: its report says there is nothing."""
    if eerste is None:
        return
    if dt.date(jaar, 12, 31) < eerste:
        raise RunRefused(
            f"report year {jaar} lies before the delivery's first records "
            f"({eerste:%d-%m-%Y}): there are no figures for it"
        )
    earlier = [d for d in extra_peildata if d < eerste]
    if earlier:
        raise RunRefused(
            f"reference date {earlier[0]:%d-%m-%Y} lies before the delivery's first records "
            f"({eerste:%d-%m-%Y}): there are no figures for it"
        )


def first_records(warehouse: Path) -> dt.date | None:
    """The earliest date from which any source of the delivery covers figures, as dbt's
    ``marts.dekking`` says; None when the delivery holds no records."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select min(eerste_datum) from marts.dekking").fetchone()[0]
