"""The deliveries a scheduled run chooses from: folders named for their export date under the
raw folder (``data/raw/2021-04-01/``), and the report year such a delivery reports on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipelines.catalogue import tertial_ends

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A scheduled run waits this long for another run on the same output folder to finish.
SCHEDULED_WAIT_SECONDS = 3600


def newest_delivery(raw_root: Path) -> Path:
    """The delivery folder with the latest export date in its name."""
    folders = sorted(p for p in raw_root.iterdir() if p.is_dir() and ISO.match(p.name))
    if not folders:
        raise FileNotFoundError(f"no delivery folder named YYYY-MM-DD in {raw_root}")
    return folders[-1]


def report_year(export_date: dt.date) -> int:
    """The year of the last tertial end before the export date: a delivery of 1 April 2021
    reports on 2020, one of 15 May 2021 on 2021 so far."""
    year = export_date.year
    return year if export_date > tertial_ends(year)[0] else year - 1
