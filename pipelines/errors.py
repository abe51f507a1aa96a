"""Failures the pipeline expects, and how they are reported: one line, with an exit code.

A delivery that breaks the contract, parameters that cannot work, a figure that fails its
checks, an output folder that cannot be written: each is an ``ExpectedFailure``. The command
line prints its message as one line and exits with its ``exit_code``; the Prefect logs show it
as one line too, without a traceback (a traceback is for what the pipeline did not expect).
"""

from __future__ import annotations

import logging


class ExpectedFailure(Exception):
    """A failure the pipeline explains in one line (``one_line``: whatever values it
    quotes)."""

    exit_code = 1

    def __str__(self) -> str:
        return one_line(super().__str__())


def first_line(error: BaseException, limit: int) -> str:
    """An error's first line, as ``one_line`` shows it, cut at `limit` characters (a library's
    message can run to pages)."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return one_line(lines[0])[:limit]


def one_line(text: str) -> str:
    """A message as one line a terminal shows as written: every number that looks like a
    citizen service number masked (``privacy``), and every control character (a line break,
    an escape sequence that moves the cursor or recolours, a bidirectional override) written
    as its escape (\\n, \\x1b), so that a quoted value cannot forge a line of its own."""
    from pipelines.privacy import without_bsn

    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in without_bsn(text))


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


class DiskFull(ExpectedFailure):
    """A disk ran out of room (bytes or inodes) while the run wrote: nothing is published."""

    exit_code = 73

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"no space left on the device ({detail}): nothing was published; the previous "
            "publication is unchanged. Make room, then run again"
        )


def disk_full(error: BaseException | None) -> DiskFull | None:
    """The failure as ``DiskFull`` when a disk was full (Python says so with an errno,
    DuckDB and dbt in words); None otherwise."""
    import errno

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DiskFull):
            return error
        full = isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)
        if full or "No space left on device" in str(error):
            return DiskFull(first_line(error, 200))
        error = error.__cause__ or error.__context__
    return None
