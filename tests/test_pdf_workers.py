"""The PDF workers: a page is printed only once the charts it shows exist, whoever draws them,
and a worker that fails stops the printing with the reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipelines.publish.report.content import Chart
from pipelines.publish.report.pdf import PdfError, PdfPrinter
from tests.clirun import wait_for


def page_showing(folder, svg_name: str):
    html = folder / "pagina.html"
    html.write_text(
        f'<html><body><h1>Pagina</h1><img src="{svg_name}" style="width: 14cm"></body></html>',
        encoding="utf-8",
    )
    return html


def test_a_page_waits_for_a_chart_the_other_worker_draws(tmp_path):
    chart = Chart(
        id="zebra",
        title="Zebra's",
        kind="bars",
        x_labels=["eerste", "tweede"],
        series={"zebra's": [12.0, 34.0]},
        y_label="Aantal",
        x_label="Zebrapaden",
    )
    html = page_showing(tmp_path, "zebra.svg")
    with PdfPrinter(workers=2) as printer:
        # Worker 1 still has to import matplotlib and draw; worker 0 gets the page at once.
        printer.draw(chart, tmp_path / "zebra.svg", worker=1)
        printer.print(html, [tmp_path / "zebra.svg"], worker=0)
        [pdf] = printer.printed()
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "Zebrapaden" in text  # the chart's text, drawn into the page


def test_a_worker_that_fails_stops_the_printing(tmp_path):
    html = page_showing(tmp_path, "ontbreekt.svg")
    with pytest.raises(PdfError, match="printing the PDFs failed"), PdfPrinter(workers=2) as p:
        p.send(1, {"grafiek": str(tmp_path / "geen.pickle"), "svg": str(tmp_path / "x.svg")})
        p.print(html, [tmp_path / "x.svg"], worker=0)
        p.printed()


def alive(pid: int) -> bool:
    """Running (a zombie, which waits only for its parent to read its exit, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_the_workers_stop_with_the_run_that_started_them(tmp_path):
    """A run killed outright (SIGKILL: no clean-up) takes its PDF workers with it: the
    process that forked them, and both workers, busy with a page whose chart is not drawn
    yet (so that they do not just stop at the end of their jobs)."""
    busy = {"html": str(tmp_path / "pagina.html"), "wacht_op": [str(tmp_path / "later.svg")]}
    run = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pipelines.publish.report.pdf import Workers; workers = Workers(2); "
            f"[workers.send(w, {busy!r}) for w in (0, 1)]; "
            "print(workers.process.pid, flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        parent = int(run.stdout.readline())
        # WeasyPrint imported, the workers forked
        wait_for("the two workers", lambda: len(children(parent)) == 2, timeout=60)
        workers = children(parent)
        assert all(alive(pid) for pid in [parent, *workers])
    finally:
        run.kill()
        run.wait()
    wait_for("the workers to stop", lambda: not any(alive(p) for p in [parent, *workers]), 60)
