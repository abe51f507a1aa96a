"""Stopping a run on SIGTERM or SIGINT (Ctrl-C) so that it cleans up after itself.

Both signals raise ``Stopped`` (a KeyboardInterrupt) in the main thread: every ``finally``
runs, so dbt cancels its query, the work folder is removed, the lock released and Prefect's
temporary server stopped; the command line then prints one line.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def raise_stopped(signum: int, _frame: object) -> None:
    raise Stopped(signum)


def stop_on_signals() -> None:
    """SIGTERM and SIGINT raise Stopped from now on (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, raise_stopped)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While dbt runs, SIGTERM interrupts it the way Ctrl-C does, so it cancels its query
    (Prefect's own SIGTERM handler, active during a flow run, raises an exception dbt does
    not act on)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_stopped)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
