"""Configuration in one place: paths, defaults and the reference dates of a report year.

Settings that define *figures* (which regelingen count as bijstand, the 30-day rule, the FTE
week) live with the definitions, in ``dbt_project/dbt_project.yml`` (vars) and the seeds; this
module holds what the orchestration needs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
REPORT_TEMPLATES_DIR = PROJECT_ROOT / "report_templates"
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
DEFAULT_OUTPUT_DIR = PROJECT_ROOT / "data"
DEFAULT_RAW_ROOT = PROJECT_ROOT / "data" / "raw"
# The organisation a run publishes for (its folder: pipelines.organisation). Without
# --organisatie: organisaties/standaard, a link to the shipped example whose figures the demo
# delivery and the reference file are about.
ORGANISATIONS_DIR = PROJECT_ROOT / "organisaties"
DEFAULT_ORGANISATION_DIR = ORGANISATIONS_DIR / "standaard"

# Names of what a run publishes under its output folder.
WAREHOUSE_NAME = "warehouse.duckdb"
MARTS_DIR_NAME = "marts"
MART_NAME = "kerncijfers"
MANIFEST_NAME = "manifest.json"
REPORT_DIR_NAME = "rapport"
AUDIT_DIR_NAME = "audit"
OPEN_DATA_DIR_NAME = "open-data"
HISTORY_DIR_NAME = "historie"

# The memory DuckDB may use in a run (ingest, dbt): beyond it, it works from its temporary
# files. The default keeps a national-size run under 1.5 GB; KERNCIJFERS_GEHEUGEN overrides it.
MEMORY_VARIABLE = "KERNCIJFERS_GEHEUGEN"
DEFAULT_MEMORY_LIMIT = "1GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_VARIABLE) or DEFAULT_MEMORY_LIMIT


# The schema in the warehouse that ingest writes to; dbt reads it as its sources.
RAW_SCHEMA = "raw"
REJECTED_TABLE = "afgekeurde_rijen"


# Scheduled runs (kerncijfers serve): after each tertial end, at 06:00 on 5 January, 5 May and
# 5 September, Dutch time, on a local Prefect server.
DEFAULT_CRON = "0 6 5 1,5,9 *"
DEFAULT_TIMEZONE = "Europe/Amsterdam"
DEFAULT_PORT = 4200

# The time zone of the organisations' calendar: "today" (an export date may not lie after it)
# is decided here, once, in Python, whatever zone the machine or DuckDB is set to.
TIMEZONE = "Europe/Amsterdam"


def today() -> dt.date:
    """Today's date in the Netherlands."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


# Prefect settings the pipeline runs with unless the environment says otherwise: our own
# loggers in the Prefect logs and UI, and no telemetry (the machines here have no internet).
PREFECT_DEFAULTS = {
    "PREFECT_LOGGING_EXTRA_LOGGERS": "pipelines",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def apply_prefect_defaults() -> None:
    """Set the defaults above in the environment, before Prefect is imported."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class RunParameters:
    """What one run is asked to do."""

    raw_dir: Path
    jaar: int
    extra_peildata: tuple[dt.date, ...] = ()
    output_dir: Path = DEFAULT_OUTPUT_DIR
    reference: Path | None = None
    render_report: bool = True
    keep: int = 5  # publications kept in OUT/publicaties/
    licentie: str | None = None  # of the open data; None: the organisation's
    openbaar: bool = False  # render the report from the protected figures
    organisatie: Path = DEFAULT_ORGANISATION_DIR  # the organisation folder
    ouder_toestaan: bool = False  # publish a delivery older than the current publication's

    @property
    def extra_peildata_iso(self) -> list[str]:
        return [d.isoformat() for d in self.extra_peildata]

    def flow_arguments(self) -> dict[str, object]:
        """The parameters of the flow (``kerncijfers_flow``) that runs what these ask."""
        return {
            "raw_dir": str(self.raw_dir),
            "jaar": self.jaar,
            "extra_peildata": self.extra_peildata_iso,
            "output_dir": str(self.output_dir),
            "reference_path": str(self.reference) if self.reference else None,
            "render_report": self.render_report,
            "keep": self.keep,
            "licentie": self.licentie,
            "openbaar": self.openbaar,
            "organisatie": str(self.organisatie),
            "ouder_toestaan": self.ouder_toestaan,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "raw_dir": str(self.raw_dir),
            "jaar": self.jaar,
            "extra_peildata": [d.isoformat() for d in self.extra_peildata],
            "output_dir": str(self.output_dir),
            "reference": str(self.reference) if self.reference else None,
            "render_report": self.render_report,
            "keep": self.keep,
            "licentie": self.licentie,
            "openbaar": self.openbaar,
            "organisatie": str(self.organisatie),
            "ouder_toestaan": self.ouder_toestaan,
        }
