"""Reruns give byte-identical marts; a failure midway leaves the previous publication intact;
two runs on one output folder do not corrupt each other."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pipelines.publish import workspace
from pipelines.publish.report import render as render_module
from pipelines.publish.workspace import OutputLocked
from tests.clirun import COMMAND, NO_REPORT, harness_env, run_args
from tests.conftest import run_pipeline
from tests.deliveries import build_edge_delivery

pytestmark = pytest.mark.slow  # runs the whole pipeline

MARTS = ("marts/kerncijfers.parquet", "marts/kerncijfers.csv")


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> Path:
    return build_edge_delivery(tmp_path_factory.mktemp("safe") / "raw", 31)


def snapshot(output: Path) -> dict[str, str]:
    """Hashes of everything published (not the lock and work folders)."""
    return {
        str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file() and ".kerncijfers" not in p.parts
    }


def test_rerun_gives_byte_identical_marts(delivery, tmp_path):
    run_pipeline(delivery, tmp_path / "a", render_report=False)
    first = {m: (tmp_path / "a" / m).read_bytes() for m in MARTS}
    run_pipeline(delivery, tmp_path / "a", render_report=False)
    run_pipeline(delivery, tmp_path / "b", render_report=False)
    for m in MARTS:
        assert (tmp_path / "a" / m).read_bytes() == first[m]
        assert (tmp_path / "b" / m).read_bytes() == first[m]
    assert len(list((tmp_path / "a" / "audit").iterdir())) == 2  # one trail per run


def test_failure_midway_leaves_the_previous_publication(delivery, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_pipeline(delivery, out, render_report=False)  # the second run is to fail rendering
    before = snapshot(out)

    def broken(*_args, **_kwargs):
        raise RuntimeError("rendering broke halfway")

    monkeypatch.setattr(render_module, "render_report", broken)
    with pytest.raises(RuntimeError, match="rendering broke halfway"):
        run_pipeline(delivery, out)
    assert snapshot(out) == before
    assert not list((out / ".kerncijfers" / "runs").iterdir())  # the work folder is gone


class WaitAnnounced(logging.Handler):
    """Keeps what a run says when it waits for the output folder's lock."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.announced = threading.Event()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("waiting for"):
            self.messages.append(record.getMessage())
            self.announced.set()


def test_a_second_run_stops_or_waits(delivery, tmp_path, caplog):
    """While another holds the output folder, a run stops at once, or with --wait waits for
    it. The holder lets go only once the waiting run has said it waits, so the test does not
    depend on how fast a run reaches the lock."""
    out = tmp_path / "out"
    waiting = WaitAnnounced()
    caplog.set_level(logging.INFO, logger=workspace.log.name)  # restored after the test
    workspace.log.addHandler(waiting)
    held = threading.Event()

    def hold_lock():
        with workspace.output_lock(out, "test-holder"):
            held.set()
            waiting.announced.wait(timeout=120)  # a run that never says it waits fails below

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert held.wait(timeout=60)
        with pytest.raises(OutputLocked, match="is being written by test-holder"):
            run_pipeline(delivery, out, render_report=False)
        assert not waiting.announced.is_set()
        manifest = run_pipeline(delivery, out, render_report=False, wait_seconds=300)
    finally:
        waiting.announced.set()
        holder.join()
        workspace.log.removeHandler(waiting)
    assert [m.split(" (pid")[0] for m in waiting.messages] == ["waiting for test-holder"]
    assert json.loads((out / "manifest.json").read_text())["run_id"] == manifest["run_id"]


def cli_run(delivery: Path, out: Path, wait: int) -> subprocess.Popen:
    """A run that publishes without its report: what it is about is the output folder."""
    return subprocess.Popen(
        [*COMMAND, *run_args(delivery, out, 2019, "--wait", str(wait), NO_REPORT)],
        env=harness_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_command_line_runs(delivery, tmp_path):
    """Two command-line runs started together on one output folder with --wait finish one
    after the other; a run started meanwhile without --wait stops at once, saying who
    writes. What is published is consistent."""
    out = tmp_path / "out"
    waiting = [cli_run(delivery, out, wait=600) for _ in range(2)]
    lock = workspace.state_dir(out) / "lock"
    deadline = time.monotonic() + 300
    while not (lock.is_file() and lock.read_text().strip()):  # the holder writes its name
        assert time.monotonic() < deadline, "neither run took the output folder's lock"
        time.sleep(0.05)
    refused = cli_run(delivery, out, wait=0)
    code, err = refused.wait(timeout=600), refused.stderr.read()
    assert code == 1, err
    assert "is being written by the run started at" in err.strip().splitlines()[-1]
    assert [r.wait(timeout=900) for r in waiting] == [0, 0]
    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    assert len(list((out / "audit").iterdir())) == 2
