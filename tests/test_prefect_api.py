"""Which Prefect settings a command-line flow run runs with."""

from __future__ import annotations

from prefect.settings import get_current_settings

from pipelines.run import prefect_api


def test_no_heartbeats_to_the_temporary_server_only(monkeypatch):
    """Heartbeats tell a lasting server that a run still lives; the temporary server ends with
    the command, so a run reporting to it sends none (ending the flow run would wait for the
    heartbeat thread). A run reporting to any other server keeps Prefect's setting."""
    prefect_default = get_current_settings().flows.heartbeat_frequency
    assert prefect_default is not None
    monkeypatch.setattr(prefect_api, "_temporary", None)
    with prefect_api.flow_run_settings():
        assert get_current_settings().flows.heartbeat_frequency == prefect_default
    monkeypatch.setattr(prefect_api, "_temporary", object())  # as if this process started one
    with prefect_api.flow_run_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == prefect_default
