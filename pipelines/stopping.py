"""Stopping a run on SIGTERM or SIGINT (Ctrl-C) so that it cleans up after itself.

Both signals raise ``Stopped`` (a KeyboardInterrupt) in the main thread: every ``finally``
runs, so dbt cancels its query, the work folder is removed, the lock released and Prefect's
temporary server stopped; the command line then prints one line. A failure that follows a
stop is the stop (``stop_asked``). Making the publication current is one step that a stop
waits for (``deferred``); the line then names the run that was published.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import signal
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from pipelines.errors import out_of_memory

P = ParamSpec("P")
R = TypeVar("R")


def _libc_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


# Looked up once, when this module is imported: a child process between fork and exec (a
# subprocess' preexec_fn) then only calls it.
_PRCTL = _libc_prctl()
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel kill (SIGKILL) the calling process when the process that started it
    ends, however it ends (Linux; elsewhere nothing): the helpers of a run killed outright
    (by SIGKILL, or the out-of-memory killer) do not outlive it."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# The signals that asked this process to stop, as its handler (``raise_stopped``) saw them.
_asked: list[int] = []


def raise_stopped(signum: int, _frame: object) -> None:
    """The first signal stops the run; one that comes while it stops (a second Ctrl-C during
    the clean-up) is noted, not raised, so that the clean-up ends and the run still says
    what happened in one line."""
    _asked.append(signum)
    if len(_asked) == 1:
        raise Stopped(signum)


def stop_asked(error: BaseException | None = None) -> int | None:
    """The signal that asked this process to stop, if one did: seen by ``raise_stopped``, or
    in the chain of exceptions `error` was raised from or while handling (during a flow run
    Prefect's own SIGTERM handler raises its TerminationSignal). A failure that follows a stop
    (a query of a connection the stop closed, Prefect's bookkeeping cut short) is the stop."""
    if _asked:
        return _asked[0]
    from prefect.exceptions import TerminationSignal

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, Stopped):
            return error.signum
        if isinstance(error, TerminationSignal):
            return error.signal
        error = error.__cause__ or error.__context__
    return None


# What a command-line run sends itself when the temporary Prefect server it reports to has
# ended (``prefect_api.watch``): the run stops at once, as for any other stop.
SERVER_GONE = signal.SIGUSR1
# The signals that stop a run: SIGTERM, Ctrl-C, SIGHUP (the terminal it ran in closed), and
# its own server gone.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, SERVER_GONE)


def stop_on_signals() -> None:
    """The stop signals raise Stopped from now on (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        for number in STOP_SIGNALS:
            signal.signal(number, raise_stopped)


@contextlib.contextmanager
def handled_by(handler: Callable[[int, object], None], *numbers: int) -> Iterator[None]:
    """`handler` takes these signals for the duration of the block, then the handlers before
    it again (main thread only: elsewhere the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, handler) for number in numbers}
    try:
        yield
    finally:
        for number, before in previous.items():
            if before is not None:  # None: not set from Python, nothing to restore
                signal.signal(number, before)


def interruptible() -> contextlib.AbstractContextManager[None]:
    """While dbt or DuckDB run, SIGTERM interrupts them the way Ctrl-C does, so they cancel
    their query, and the stop keeps its signal (Prefect's own SIGTERM handler, active during
    a flow run, raises an exception dbt does not act on, and DuckDB reports any signal that
    interrupts a query as Ctrl-C). Ctrl-C itself reaches them already."""
    return handled_by(raise_stopped, *(n for n in STOP_SIGNALS if n != signal.SIGINT))


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """SIGTERM and Ctrl-C wait until the block is done (main thread only), then act as they
    would have: for a step that must happen whole, such as making a publication current."""
    received: list[int] = []

    def receive(number: int, _frame: object) -> None:
        received.append(number)

    try:
        with handled_by(receive, *STOP_SIGNALS):
            yield
    finally:
        if received:
            signal.raise_signal(received[0])


# The run of this process whose publication became current; a stop after that point stops
# a run that has published (see ``deferred``).
_published: list[str] = []


def begin_run() -> None:
    """A run starts in this process: nothing asked to stop it, nothing published yet."""
    _asked.clear()
    _published.clear()


def published(run_id: str) -> None:
    """Record that `run_id` is published: a stop after this stops a run that has published."""
    _published[:] = [run_id]


def published_run() -> str | None:
    return _published[0] if _published else None


def query_interrupted(error: BaseException) -> bool:
    """Ctrl-C during a DuckDB query: DuckDB takes the SIGINT itself and raises its own error."""
    import duckdb

    return isinstance(error, duckdb.InterruptException) or (
        isinstance(error, RuntimeError) and str(error) == "Query interrupted"
    )


def stops_on_interrupted_queries(step: Callable[P, R]) -> Callable[P, R]:
    """A step that runs DuckDB queries: a query interrupted by Ctrl-C or SIGTERM stops the run
    (Stopped, with the signal that interrupted it), as a stop anywhere else does, instead of
    failing it with a traceback; DuckDB running out of the memory it may use fails it in one
    line that names the setting (``errors.OutOfMemory``)."""

    @functools.wraps(step)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with interruptible():
                return step(*args, **kwargs)
        except Exception as error:
            # A query interrupted, or any failure after a stop: DuckDB reports a stop that
            # comes while it reads Python data as a failure of that data.
            signum = stop_asked(error) or (signal.SIGINT if query_interrupted(error) else None)
            if signum:
                raise Stopped(signum) from None
            if memory := out_of_memory(str(error)):
                raise memory from None
            raise

    return wrapper
