"""PDF documents from the rendered HTML pages (WeasyPrint), several at once.

WeasyPrint lays out and draws a document in Python, on one core. A run's documents are
independent, so they are printed by worker processes, one per core (at most two). The workers
start as rendering begins, so that importing WeasyPrint overlaps drawing the charts and the
HTML; each page is handed, as soon as it is written, to the least loaded worker on its
standard input (the annual report, the longest, comes first). On one core the pages are
printed in this process.

    python -m pipelines.report.pdf    # a worker: reads HTML paths, one per line, on stdin
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


class PdfError(RuntimeError):
    """A worker could not print a page."""


def write_pdf(html_path: Path) -> Path:
    """The PDF of one HTML page, beside it (same name, .pdf)."""
    from weasyprint import HTML

    pdf_path = html_path.with_suffix(".pdf")
    HTML(filename=str(html_path), base_url=str(html_path.parent)).write_pdf(str(pdf_path))
    return pdf_path


class PdfPrinter:
    """``with PdfPrinter() as printer:`` ``printer.print(path)`` for every page, then
    ``printer.printed()``: the PDFs, in the order the pages were given."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = min(2, os.cpu_count() or 1) if workers is None else workers
        self.pages: list[Path] = []
        self.processes: list[tuple[subprocess.Popen, object]] = []
        self.load: list[int] = []  # bytes of HTML handed to each worker

    def __enter__(self) -> PdfPrinter:
        if self.workers > 1:
            for _ in range(self.workers):
                errors = tempfile.TemporaryFile()
                process = subprocess.Popen(
                    [sys.executable, "-m", "pipelines.report.pdf"],
                    stdin=subprocess.PIPE,
                    stderr=errors,
                    text=True,
                )
                self.processes.append((process, errors))
            self.load = [0] * self.workers
        return self

    def __exit__(self, *exc: object) -> None:
        for process, errors in self.processes:
            if process.poll() is None:  # stopped before its pages were printed
                process.kill()
                process.wait()
            errors.close()

    def print(self, html_path: Path) -> None:
        """Hand the page to the least loaded worker at once (it starts printing while the
        next pages are written)."""
        self.pages.append(html_path)
        if not self.processes:
            return
        size = html_path.stat().st_size
        worker = self.load.index(min(self.load))
        self.load[worker] += size
        stdin = self.processes[worker][0].stdin
        stdin.write(f"{html_path}\n")
        stdin.flush()

    def printed(self) -> list[Path]:
        if not self.processes:
            return [write_pdf(path) for path in self.pages]
        for process, _errors in self.processes:
            process.stdin.close()
        for process, errors in self.processes:
            if process.wait() != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip().splitlines()
                raise PdfError("printing the PDFs failed: " + " | ".join(message[-3:]))
        return [path.with_suffix(".pdf") for path in self.pages]


def main() -> None:
    try:  # stop with the run that started this worker (Linux)
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the run stops its workers
    import weasyprint  # noqa: F401  (while the run still writes the HTML)

    for line in sys.stdin:
        write_pdf(Path(line.strip()))


if __name__ == "__main__":
    main()
