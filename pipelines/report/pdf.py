"""PDF documents from the rendered HTML pages (WeasyPrint), several at once, and the charts
they show, drawn partly by the same workers.

WeasyPrint lays out and draws a document in Python, on one core, and so does matplotlib. A
run's documents are independent once their charts exist, so they are printed by worker
processes, one per core (at most two). The workers start before the report is rendered (a run
starts them as its figures are checked and exported, ``start_early``; otherwise they start as
rendering begins), so that importing WeasyPrint and matplotlib overlaps other work. Each
worker takes jobs, in order, on its standard input, one JSON object per line:

- ``{"grafiek": <pickled chart>, "svg": <path>}``: draw a chart (``charts.draw``);
- ``{"html": <path>, "wacht_op": [<svg paths>]}``: print a page once the charts it shows
  exist (drawn by this process, by the other worker or by the run itself).

A worker's chart jobs come before its pages, so no worker waits for a chart that only it
could still draw. On one core the run draws every chart and prints the pages itself.

    python -m pipelines.report.pdf    # a worker
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

CHART_WAIT = 300.0  # seconds a page may wait for its charts before the worker gives up


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


def start_worker() -> tuple[subprocess.Popen, object]:
    errors = tempfile.TemporaryFile()  # noqa: SIM115  (closed by stop)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.report.pdf"],
        stdin=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    return process, errors


def stop(process: subprocess.Popen, errors: object) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()
    errors.close()


def worker_count() -> int:
    return min(2, os.cpu_count() or 1)


# Workers started ahead of the report (``start_early``), for the next PdfPrinter to take.
_early: list[tuple[subprocess.Popen, object]] = []


def start_early() -> None:
    """Start the workers now, so that they import WeasyPrint and matplotlib while the run
    does its other work; the next ``PdfPrinter()`` takes them. ``stop_early`` stops them if
    none does (a run that fails before its report)."""
    if not _early and worker_count() > 1:
        _early.extend(start_worker() for _ in range(worker_count()))


def stop_early() -> None:
    while _early:
        stop(*_early.pop())


class PdfPrinter:
    """``with PdfPrinter() as printer:`` ``printer.draw(chart, svg, worker)`` for the charts
    a worker is to draw, ``printer.print(path, charts, worker)`` for every page (with the
    charts it shows), then ``printer.printed()``: the PDFs, in the order the pages were
    given."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = worker_count() if workers is None else workers
        self.pages: list[Path] = []
        self.processes: list[tuple[subprocess.Popen, object]] = []
        self.scratch = tempfile.TemporaryDirectory(prefix="kerncijfers-grafieken-")

    def __enter__(self) -> PdfPrinter:
        if self.workers > 1:
            if len(_early) == self.workers and all(p.poll() is None for p, _e in _early):
                self.processes, _early[:] = list(_early), []
            else:
                stop_early()
                self.processes = [start_worker() for _ in range(self.workers)]
        return self

    def __exit__(self, *exc: object) -> None:
        for process, errors in self.processes:
            stop(process, errors)  # still running: stopped before its pages were printed
        self.scratch.cleanup()

    @property
    def parallel(self) -> bool:
        return bool(self.processes)

    def send(self, worker: int, job: dict) -> None:
        stdin = self.processes[worker][0].stdin
        stdin.write(json.dumps(job) + "\n")
        stdin.flush()

    def draw(self, chart: object, svg: Path, worker: int) -> None:
        """Have a worker draw a chart (before any page handed to it after this)."""
        pickled = Path(self.scratch.name) / f"{svg.stem}.pickle"
        pickled.write_bytes(pickle.dumps(chart))
        self.send(worker, {"grafiek": str(pickled), "svg": str(svg)})

    def print(self, html_path: Path, charts: Iterable[Path] = (), worker: int = 0) -> None:
        """Hand the page to a worker at once: it prints the page as soon as the charts it
        shows exist (on one core, ``printed`` prints it)."""
        self.pages.append(html_path)
        if self.processes:
            self.send(worker, {"html": str(html_path), "wacht_op": [str(c) for c in charts]})

    def printed(self) -> list[Path]:
        if not self.processes:
            return [write_pdf(path) for path in self.pages]
        for process, _errors in self.processes:
            process.stdin.close()
        # Until every worker is done; a worker that fails stops the others at once (one of
        # them may be waiting for a chart the failed one was to draw).
        running = list(self.processes)
        while running:
            for process, errors in list(running):
                if process.poll() is None:
                    continue
                running.remove((process, errors))
                if process.returncode != 0:
                    errors.seek(0)
                    message = errors.read().decode(errors="replace").strip().splitlines()
                    raise PdfError("printing the PDFs failed: " + " | ".join(message[-3:]))
            time.sleep(0.01)
        return [path.with_suffix(".pdf") for path in self.pages]


def main() -> None:
    try:  # stop with the run that started this worker (Linux)
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the run stops its workers
    import weasyprint  # noqa: F401  (while the run still reads the figures)

    from pipelines.report.charts import draw

    for line in sys.stdin:
        job = json.loads(line)
        if "grafiek" in job:
            draw(pickle.loads(Path(job["grafiek"]).read_bytes()), Path(job["svg"]))
        else:
            wait_for(job["wacht_op"])
            write_pdf(Path(job["html"]))


if __name__ == "__main__":
    main()
