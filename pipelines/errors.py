"""Failures the pipeline expects, and how they are reported: one line, with an exit code.

A delivery that breaks the contract, parameters that cannot work, a figure that fails its
checks, an output folder that cannot be written: each is an ``ExpectedFailure``. The command
line prints its message as one line and exits with its ``exit_code``; the Prefect logs show it
as one line too, without a traceback (a traceback is for what the pipeline did not expect).
"""

from __future__ import annotations

import logging


class ExpectedFailure(Exception):
    """A failure the pipeline explains in one line."""

    exit_code = 1


class OneLine(logging.Filter):
    """Drop the traceback from a log record about an expected failure."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], ExpectedFailure):
            record.exc_info = None
            record.exc_text = None
        return True


class OutOfMemory(ExpectedFailure):
    """DuckDB needed more memory than the run allows it (``KERNCIJFERS_GEHEUGEN``) and could
    not work from its temporary files instead: one line that names the setting to raise
    (DuckDB's own advice is about SQL settings an analyst cannot change)."""

    def __init__(self, detail: str, where: str = "") -> None:
        from pipelines.config import MEMORY_VARIABLE, memory_limit

        super().__init__(
            f"DuckDB ran out of the memory it may use{where} ({MEMORY_VARIABLE}="
            f"{memory_limit()}: {detail}); nothing was published. Raise it, e.g. "
            f"{MEMORY_VARIABLE}=4GB"
        )


OUT_OF_MEMORY = "Out of Memory Error: "


def out_of_memory(message: str, where: str = "") -> OutOfMemory | None:
    """The failure ``message`` (DuckDB's, or dbt's quoting it) as ``OutOfMemory`` when it is
    DuckDB running out of memory; None otherwise."""
    if OUT_OF_MEMORY not in message:
        return None
    return OutOfMemory(message.split(OUT_OF_MEMORY, 1)[1].splitlines()[0], where)


def report_expected_failures_in_one_line(*logger_names: str) -> None:
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLine) for f in logger.filters):
            logger.addFilter(OneLine())
