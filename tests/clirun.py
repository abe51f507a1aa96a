"""Running the ``kerncijfers`` command line as a user does: a real process, its output, its
exit code; and checking that a published output folder is whole."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipelines.publish.publication import STABLE_PATHS, current

COMMAND = [sys.executable, "-m", "pipelines.run.cli"]
# For a run that is to reach its publication and whose report no test reads: it publishes
# without printing the report (the same steps of publishing, without seconds of PDFs).
NO_REPORT = "--geen-rapport"


def harness_env(**extra: str) -> dict[str, str]:
    """The environment of a command-line run that reports to the session's Prefect API."""
    from prefect.settings import PREFECT_API_URL

    return os.environ | {"PREFECT_API_URL": PREFECT_API_URL.value()} | extra


def run_args(raw: Path, out: Path, jaar: int = 2019, *extra: str) -> list[str]:
    return ["run", "--raw-dir", str(raw), "--jaar", str(jaar), "--output-dir", str(out), *extra]


def kerncijfers(*args: str, env: dict | None = None, timeout: float = 600):
    """Run the command to its end; the CompletedProcess (stdout, stderr, returncode)."""
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or harness_env(),
    )


class Started:
    """A command-line run in the background, its output (stdout and stderr) in a file."""

    def __init__(self, *args: str, log: Path, env: dict | None = None) -> None:
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            [*COMMAND, *args],
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            env=env or harness_env(),
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the run ended before '{text}':\n{self.output()[-3000:]}")
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for '{text}':\n{self.output()[-3000:]}")

    def signal(self, number: int) -> None:
        os.kill(self.process.pid, number)

    def wait(self, timeout: float = 120) -> int:
        code = self.process.wait(timeout=timeout)
        self.handle.close()
        return code


def wait_for(what: str, check, timeout: float, every: float = 0.05):
    """Ask `check` every `every` seconds until it answers something true; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def prefect_home_in(home: Path, database: Path) -> Path:
    """A new Prefect home holding a copy of `database` (the one ``prefect_harness`` took)."""
    home.mkdir()
    shutil.copyfile(database, home / "prefect.db")
    return home


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_whole(out: Path) -> dict:
    """The current publication is complete and consistent: every stable path resolves into
    it, every file it holds is listed in its manifest with the right hash. Returns the
    manifest."""
    live = current(out)
    assert live is not None, f"nothing is current in {out}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run_id"] == live.name
    for name in STABLE_PATHS:
        if (out / name).exists():
            assert (out / name).resolve().is_relative_to(live), f"{name} is not in {live.name}"
    files = {
        p.relative_to(live).as_posix()
        for p in live.rglob("*")
        if p.is_file() and p.relative_to(live).parts[0] not in ("manifest.json", "audit")
    }
    assert files == set(manifest["outputs"]), files ^ set(manifest["outputs"])
    for name, digest in manifest["outputs"].items():
        assert sha256(live / name) == digest, f"{name} does not match the manifest"
    return manifest


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain `text`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline and int(proc.name) != os.getpid():
            found.append(cmdline)
    return found
