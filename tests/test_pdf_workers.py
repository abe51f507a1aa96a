"""The PDF workers: a page is printed only once the charts it shows exist, whoever draws them,
and a worker that fails stops the printing with the reason."""

from __future__ import annotations

import pdfplumber
import pytest

from pipelines.report.content import Chart
from pipelines.report.pdf import PdfError, PdfPrinter


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
    with pdfplumber.open(pdf) as document:
        text = document.pages[0].extract_text()
    assert "Zebrapaden" in text  # the chart's text, drawn into the page


def test_a_worker_that_fails_stops_the_printing(tmp_path):
    html = page_showing(tmp_path, "ontbreekt.svg")
    with pytest.raises(PdfError, match="printing the PDFs failed"), PdfPrinter(workers=2) as p:
        p.send(1, {"grafiek": str(tmp_path / "geen.pickle"), "svg": str(tmp_path / "x.svg")})
        p.print(html, [tmp_path / "x.svg"], worker=0)
        p.printed()
