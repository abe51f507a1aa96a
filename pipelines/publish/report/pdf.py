"""PDF documents from the rendered HTML pages (WeasyPrint), several at once, and the charts
they show, drawn partly by the same workers.

WeasyPrint lays out and draws a document in Python, on one core, and so does matplotlib. A
run's documents are independent once their charts exist, so they are printed by worker
processes, one per core (at most two). The workers start before the report is rendered (a run
starts them as its figures are checked and exported, ``start_early``; otherwise they start as
rendering begins), so that importing WeasyPrint and matplotlib overlaps other work.

One process imports them, once, and forks the workers from itself (a second import would cost
every run as much again): ``python -m pipelines.publish.report.pdf --jobs FD,FD``. It has
no threads of its own when it forks, waits for its workers, and stops the others as soon as one
fails. Each worker takes jobs, in order, from its own pipe, one JSON object per line:

- ``{"grafiek": <pickled chart>, "svg": <path>}``: draw a chart (``charts.draw``);
- ``{"html": <path>, "wacht_op": [<svg paths>]}``: print a page once the charts it shows
  exist (drawn by this worker, by the other worker or by the run itself).

A worker's chart jobs come before its pages, so no worker waits for a chart that only it
could still draw. On one core the run draws every chart and prints the pages itself.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, NoReturn

from pipelines.stopping import die_with_parent

CHART_WAIT = 300.0  # seconds a page may wait for its charts before the worker gives up
# The process that forks the workers has one thread: no thread pool of numpy's BLAS (the
# charts are small) and no background thread of Arrow's memory allocator (jemalloc; the
# workers do not use Arrow). Python 3.12+ warns when a process with threads forks.
WORKER_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "JE_ARROW_MALLOC_CONF": "background_thread:false",
}


class PdfError(RuntimeError):
    """A worker could not print a page."""


def write_pdf(html_path: Path) -> Path:
    """The PDF of one HTML page, beside it (same name, .pdf)."""
    from weasyprint import HTML

    pdf_path = html_path.with_suffix(".pdf")
    HTML(filename=str(html_path), base_url=str(html_path.parent)).write_pdf(str(pdf_path))
    return pdf_path


def wait_for(paths: Iterable[str], timeout: float = CHART_WAIT) -> None:
    deadline = time.monotonic() + timeout
    for path in paths:
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                raise PdfError(f"the chart {path} was never drawn")
            time.sleep(0.01)


def worker_count() -> int:
    return min(2, os.cpu_count() or 1)


class Workers:
    """The process that forks the workers, a pipe to each worker, and the file their errors
    go to."""

    def __init__(self, count: int) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115  (closed by stop)
        pipes = [os.pipe() for _ in range(count)]
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pipelines.publish.report.pdf", "--jobs"]
                + [",".join(str(read) for read, _write in pipes)],
                stdin=subprocess.DEVNULL,
                stderr=self.errors,
                pass_fds=[read for read, _write in pipes],
                env=os.environ | WORKER_ENV,
            )
        except BaseException:  # it did not start: nothing will close these
            for _read, write in pipes:
                os.close(write)
            self.errors.close()
            raise
        finally:
            for read, _write in pipes:
                os.close(read)
        self.jobs: list[IO[str]] = [os.fdopen(write, "w", encoding="utf-8") for _r, write in pipes]

    def __len__(self) -> int:
        return len(self.jobs)

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, worker: int, job: dict) -> None:
        try:
            self.jobs[worker].write(json.dumps(job) + "\n")
            self.jobs[worker].flush()
        except BrokenPipeError:  # the workers stopped: one of them failed
            raise self.failure() from None

    def finish(self) -> None:
        """Tell the workers no more jobs come; wait until they are done. A worker that fails
        stops the others at once (one of them may wait for a chart it was to draw)."""
        for jobs in self.jobs:
            close(jobs)
        if self.process.wait() != 0:
            raise self.failure()

    def failure(self) -> PdfError:
        self.process.wait()
        self.errors.seek(0)
        message = self.errors.read().decode(errors="replace").strip().splitlines()
        return PdfError("printing the PDFs failed: " + " | ".join(message[-3:]))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # its workers die with it (main)
            self.process.wait()
        for jobs in self.jobs:
            close(jobs)
        self.errors.close()


def close(jobs: IO[str]) -> None:
    """Close a job pipe (whose worker may have stopped: what it still held is lost with it)."""
    with contextlib.suppress(OSError):
        jobs.close()


# Workers started ahead of the report (``start_early``), for the next PdfPrinter to take.
_early: list[Workers] = []


def start_early() -> None:
    """Start the workers now, so that they import WeasyPrint and matplotlib while the run
    does its other work; the next ``PdfPrinter()`` takes them. ``stop_early`` stops them if
    none does (a run that fails before its report)."""
    if not _early and worker_count() > 1:
        _early.append(Workers(worker_count()))


def stop_early() -> None:
    while _early:
        _early.pop().stop()


@contextlib.contextmanager
def early_workers() -> Iterator[None]:
    """The workers, started now (``start_early``) for the report a run prints later, and
    stopped when the run ends if its report did not take them (``stop_early``)."""
    start_early()
    try:
        yield
    finally:
        stop_early()


class PdfPrinter:
    """``with PdfPrinter() as printer:`` ``printer.draw(chart, svg, worker)`` for the charts
    a worker is to draw, ``printer.print(path, charts, worker)`` for every page (with the
    charts it shows), then ``printer.printed()``: the PDFs, in the order the pages were
    given."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = worker_count() if workers is None else workers
        self.pages: list[Path] = []
        self.processes: Workers | None = None
        self.scratch = tempfile.TemporaryDirectory(prefix="kerncijfers-grafieken-")

    def __enter__(self) -> PdfPrinter:
        if self.workers > 1:
            early = _early[0] if _early else None
            if early is not None and len(early) == self.workers and early.alive():
                self.processes = _early.pop()
            else:
                stop_early()
                self.processes = Workers(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.processes is not None:
            self.processes.stop()  # still running: stopped before its pages were printed
        self.scratch.cleanup()

    @property
    def parallel(self) -> bool:
        return self.processes is not None

    def send(self, worker: int, job: dict) -> None:
        assert self.processes is not None
        self.processes.send(worker, job)

    def draw(self, chart: object, svg: Path, worker: int) -> None:
        """Have a worker draw a chart (before any page handed to it after this)."""
        pickled = Path(self.scratch.name) / f"{svg.stem}.pickle"
        pickled.write_bytes(pickle.dumps(chart))
        self.send(worker, {"grafiek": str(pickled), "svg": str(svg)})

    def print(self, html_path: Path, charts: Iterable[Path] = (), worker: int = 0) -> None:
        """Hand the page to a worker at once: it prints the page as soon as the charts it
        shows exist (on one core, ``printed`` prints it)."""
        self.pages.append(html_path)
        if self.processes is not None:
            self.send(worker, {"html": str(html_path), "wacht_op": [str(c) for c in charts]})

    def printed(self) -> list[Path]:
        if self.processes is None:
            return [write_pdf(path) for path in self.pages]
        self.processes.finish()
        return [path.with_suffix(".pdf") for path in self.pages]


def work(jobs: IO[str]) -> None:
    from pipelines.publish.report.charts import draw

    for line in jobs:
        job = json.loads(line)
        if "grafiek" in job:
            draw(pickle.loads(Path(job["grafiek"]).read_bytes()), Path(job["svg"]))
        else:
            wait_for(job["wacht_op"])
            write_pdf(Path(job["html"]))


def fork_worker(job_fd: int, other_fds: list[int]) -> int:
    """A worker, forked from this process; its pid."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        worker(parent, job_fd, other_fds)
    return pid


def worker(parent: int, job_fd: int, other_fds: list[int]) -> NoReturn:
    code = 1
    try:
        die_with_parent()
        if os.getppid() == parent:  # else the parent ended before the line above
            for fd in other_fds:
                os.close(fd)
            with os.fdopen(job_fd, encoding="utf-8") as jobs:
                work(jobs)
            code = 0
    except BaseException:  # noqa: BLE001  (the run reads the reason from stderr)
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    parser = argparse.ArgumentParser(description="PDF workers of a kerncijfers run")
    parser.add_argument("--jobs", required=True, help="the file descriptors of the job pipes")
    fds = [int(fd) for fd in parser.parse_args().jobs.split(",")]
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the run stops its workers
    import weasyprint  # noqa: F401  (while the run still reads the figures)

    import pipelines.publish.report.charts  # noqa: F401

    workers = [fork_worker(fd, [f for f in fds if f != fd]) for fd in fds]
    for fd in fds:
        os.close(fd)
    running = set(workers)
    while running:
        pid, status = os.wait()
        running.discard(pid)
        if os.waitstatus_to_exitcode(status) != 0:
            for other in running:
                os.kill(other, signal.SIGKILL)
            sys.exit(1)


if __name__ == "__main__":
    main()
