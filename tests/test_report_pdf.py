"""The PDFs: A4, a factsheet on one or two pages, the key figures present as text."""

from __future__ import annotations

from pypdf import PdfReader

A4 = (595.28, 841.89)


def pdf(path):
    return PdfReader(str(path))


def test_pages_are_a4(demo_run):
    for path in (demo_run / "rapport").glob("*.pdf"):
        for page in pdf(path).pages:
            assert abs(float(page.mediabox.width) - A4[0]) < 1
            assert abs(float(page.mediabox.height) - A4[1]) < 1


def test_page_counts(demo_run):
    rapport = demo_run / "rapport"
    assert 5 <= len(pdf(rapport / "jaarverslag-2019.pdf").pages) <= 40
    for slug in ("gorinchem", "molenlanden", "vijfheerenlanden"):
        assert 1 <= len(pdf(rapport / f"factsheet-{slug}-2019.pdf").pages) <= 2


def text_of(path) -> str:
    return " ".join(page.extract_text() for page in pdf(path).pages)


def test_key_figures_are_text(demo_run):
    rapport = demo_run / "rapport"
    gorinchem = text_of(rapport / "factsheet-gorinchem-2019.pdf")
    for figure in (
        "849",
        "837",
        "834",
        "819",
        "139",
        "988",
        "€ 1.998.441",
        "Factsheet Gorinchem 2019",
    ):
        assert figure in gorinchem, figure
    molenlanden = text_of(rapport / "factsheet-molenlanden-2019.pdf")
    for figure in ("324", "292", "398", "361", "€ 680.644"):
        assert figure in molenlanden, figure
    report = text_of(rapport / "jaarverslag-2019.pdf")
    for figure in ("1.624", "1.552", "€ 697.900", "Verantwoording", "31 december 2019"):
        assert figure in report, figure
