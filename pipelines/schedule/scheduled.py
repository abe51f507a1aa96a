"""The flow the scheduled deployment runs: the pipeline on the newest delivery.

Imported only once Prefect's settings (the server's API url) are in the environment; the
Prefect runner loads it by its entry point, `pipelines/schedule/scheduled.py:run_newest_delivery`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from prefect import flow

from pipelines.config import DEFAULT_ORGANISATION_DIR, DEFAULT_OUTPUT_DIR, DEFAULT_RAW_ROOT
from pipelines.publish.publication import current, export_date
from pipelines.run.flows import kerncijfers_flow
from pipelines.schedule.deliveries import SCHEDULED_WAIT_SECONDS, newest_delivery, report_year

log = logging.getLogger(__name__)


@flow(name="kerncijfers-levering", log_prints=True)
def run_newest_delivery(
    raw_root: str = str(DEFAULT_RAW_ROOT),
    output_dir: str = str(DEFAULT_OUTPUT_DIR),
    jaar: int | None = None,
    extra_peildata: list[str] | None = None,
    reference_path: str | None = None,
    render_report: bool = True,
    organisatie: str = str(DEFAULT_ORGANISATION_DIR),
) -> dict:
    """Run the pipeline on the newest delivery under raw_root (folders named YYYY-MM-DD; one
    that is not a date, or a date after today, skipped with a warning); not when it is older
    than the current publication's.
    ``render_report`` false (a run started from the Prefect UI to look at a new delivery):
    the figures, open data and audit trail, the published reports as they are."""
    raw_dir = newest_delivery(Path(raw_root))
    exportdatum = dt.date.fromisoformat(raw_dir.name)
    published = export_date(current(Path(output_dir)))
    if published is not None and exportdatum < published:
        log.warning(
            "not run: the newest delivery, %s, is older than the current publication's (%s); "
            "a scheduled run never publishes older figures over newer ones",
            raw_dir,
            published,
        )
        return {}
    year = jaar or report_year(exportdatum)
    print(f"newest delivery: {raw_dir} (report year {year})")
    return kerncijfers_flow(
        raw_dir=str(raw_dir),
        jaar=year,
        extra_peildata=extra_peildata,
        output_dir=output_dir,
        reference_path=reference_path,
        wait_seconds=SCHEDULED_WAIT_SECONDS,
        render_report=render_report,
        organisatie=organisatie,
    )
