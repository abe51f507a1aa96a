"""The deliveries a scheduled run chooses from: folders named for their export date under the
raw folder (``data/raw/2021-04-01/``), and the report year such a delivery reports on."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from pipelines.catalogue import tertial_ends
from pipelines.config import TIMEZONE, today

log = logging.getLogger(__name__)

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A scheduled run waits this long for another run on the same output folder to finish.
SCHEDULED_WAIT_SECONDS = 3600


def delivery_folders(raw_root: Path) -> list[tuple[dt.date, Path]]:
    """The delivery folders under raw_root with their export dates, oldest first. A folder
    whose name is no date (2021-09-31) or a date after today is skipped with a warning: one
    mistyped folder must not stop every scheduled run."""
    found = []
    for folder in sorted(p for p in raw_root.iterdir() if p.is_dir() and ISO.match(p.name)):
        try:
            day = dt.date.fromisoformat(folder.name)
        except ValueError:
            log.warning("skipped %s: %s is not a date", folder, folder.name)
            continue
        if day > (now := today()):
            log.warning(
                "skipped %s: its export date lies after today (%s, %s)", folder, now, TIMEZONE
            )
            continue
        found.append((day, folder))
    return found


def newest_delivery(raw_root: Path) -> Path:
    """The delivery folder with the latest export date in its name."""
    folders = delivery_folders(raw_root)
    if not folders:
        raise FileNotFoundError(f"no delivery folder named YYYY-MM-DD in {raw_root}")
    return folders[-1][1]


def report_year(export_date: dt.date) -> int:
    """The year of the last tertial end before the export date: a delivery of 1 April 2021
    reports on 2020, one of 15 May 2021 on 2021 so far."""
    year = export_date.year
    return year if export_date > tertial_ends(year)[0] else year - 1
