"""What a stop signal leaves: a failure that follows a stop is reported as the stop."""

from __future__ import annotations

import signal

from prefect.exceptions import TerminationSignal

from pipelines.stopping import Stopped, stop_asked


def failure_while_handling(stop: BaseException) -> Exception:
    """A failure raised while a stop is handled, as Prefect's engine raised one."""
    try:
        try:
            raise stop
        except BaseException:
            raise ValueError("Task run is not set")  # noqa: B904  (the stop: its __context__)
    except ValueError as error:
        return error


def test_a_failure_while_handling_a_stop_is_the_stop():
    assert stop_asked(failure_while_handling(TerminationSignal(signal.SIGTERM))) == signal.SIGTERM
    assert stop_asked(failure_while_handling(Stopped(signal.SIGINT))) == signal.SIGINT


def test_a_failure_without_a_stop_is_a_failure():
    try:
        raise RuntimeError("dbt build failed")
    except RuntimeError as error:
        assert stop_asked(error) is None
