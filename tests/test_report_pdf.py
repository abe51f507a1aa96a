"""The PDFs as a reader holds them: A4, factsheets of at most two pages, every character within
the printable area of its page, words instead of codes, the key figures present as text."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pytest

from pipelines.catalogue import read_seed
from pipelines.organisation import load as load_organisation

A4 = sorted((595.28, 841.89))
MM = 72 / 25.4
# No text in this band along the left and right edges (a page is printed with margins of
# 15 mm, 14 mm on landscape pages), nor in this band at the top and bottom.
SIDE, HEAD_FOOT = 12 * MM, 5 * MM

pytestmark = pytest.mark.slow  # reads the demo run's publication


def pdfs(demo_run):
    found = sorted((demo_run / "rapport").glob("*.pdf"))
    assert len(found) == 10  # two years of jaarverslag, verantwoording and three factsheets
    return found


class Page(NamedTuple):
    width: float
    height: float
    chars: list[dict]  # every printed character: text, x0, x1, top, bottom (from the top)
    text: str


def read_page(page: pdfium.PdfPage) -> Page:
    """A page as PDFium (the PDF engine of Chromium) reads it: the box of every character
    that is printed (not the spaces and line ends the text adds), and the text."""
    width, height = page.get_size()
    text = page.get_textpage()
    try:
        chars = []
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if char.strip():
                left, bottom, right, top = text.get_charbox(i)
                chars.append(
                    {
                        "text": char,
                        "x0": left,
                        "x1": right,
                        "top": height - top,
                        "bottom": height - bottom,
                    }
                )
        return Page(width, height, chars, text.get_text_range().replace("\r\n", "\n"))
    finally:
        text.close()


@functools.cache
def pages_of(path: Path) -> tuple[Page, ...]:
    """A PDF's pages, parsed once for every test of this module that reads them (PDFium: a
    second for the ten PDFs, where pdfplumber took ten)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return tuple(read_page(page) for page in pdf)
    finally:
        pdf.close()


def text_of(path: Path) -> str:
    return "\n".join(page.text for page in pages_of(path))


def test_pages_are_a4(demo_run):
    for path in pdfs(demo_run):
        for page in pages_of(path):
            assert sorted((page.width, page.height)) == pytest.approx(A4, abs=1)


def test_no_text_outside_the_printable_area(demo_run):
    outside = []
    for path in pdfs(demo_run):
        for number, page in enumerate(pages_of(path), start=1):
            for ch in page.chars:
                if (
                    ch["x0"] < SIDE
                    or ch["x1"] > page.width - SIDE
                    or ch["top"] < HEAD_FOOT
                    or ch["bottom"] > page.height - HEAD_FOOT
                ):
                    outside.append(f"{path.name} page {number}: {ch['text']!r} at {ch['x0']:.0f}")
    assert not outside, "\n".join(outside[:20])


def test_page_counts(demo_run):
    rapport = demo_run / "rapport"
    assert 10 <= len(pages_of(rapport / "jaarverslag-2019.pdf")) <= 30
    for slug in ("gorinchem", "molenlanden", "vijfheerenlanden"):
        assert 1 <= len(pages_of(rapport / f"factsheet-{slug}-2019.pdf")) <= 2


def codes() -> set[str]:
    """Every code a reader should never see: categories, classes, municipality codes, TOTAAL,
    indicator ids, reasons and products, and the names of tables."""
    found = {"TOTAAL", "raw.afgekeurde_rijen", "kerncijfers.csv"}
    for row in read_seed("indicator_categorieen"):
        found |= {row["categorie"], row["indicator"]}
    found |= {row["indicator"] for row in read_seed("indicatoren")}
    found |= {row["leeftijdsklasse"] for row in read_seed("leeftijdsklassen")}
    found |= {row["duurklasse"] for row in read_seed("duurklassen")}
    found |= {row["gemeente_code"] for row in load_organisation().gemeentecodes}
    found |= {row["reden_beeindiging"] for row in read_seed("uitstroomredenen")}
    for row in read_seed("schuldhulp_producten"):
        found |= {row["product"], row["categorie_lopend"]}
    return found


def codes_in(text: str) -> list[str]:
    shown = [c for c in codes() if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", text)]
    combined = re.findall(r"\w+\+\w+", text)  # e.g. 2jtot5j+vanaf5j
    markdown = re.findall(r"\*\w+\*?", text)  # *persoon in de bijstand*
    return sorted(shown) + combined + markdown


def test_words_not_codes_in_the_publication(demo_run):
    rapport = demo_run / "rapport"
    for jaar in (2019, 2020):
        for name in [
            f"jaarverslag-{jaar}",
            *[f"factsheet-{s}-{jaar}" for s in ("gorinchem", "molenlanden", "vijfheerenlanden")],
        ]:
            assert not codes_in(text_of(rapport / f"{name}.pdf")), name
            html = (rapport / f"{name}.html").read_text()
            visible = re.sub(
                r"<[^>]+>", " ", re.sub(r"<(head|script|style)\b.*?</\1>", " ", html, flags=re.S)
            )
            assert not codes_in(visible), name


def test_the_code_check_can_fail():
    assert codes_in("Uitstroom WERK_OP_LOCATIE en tot28 / tot6m") == ["tot28", "tot6m"]
    assert codes_in("Avres GM0512 TOTAAL") == ["GM0512", "TOTAAL"]
    assert codes_in("2jtot5j+vanaf5j *persoon*") == [
        "2jtot5j",
        "vanaf5j",
        "2jtot5j+vanaf5j",
        "*persoon*",
    ]


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
    for figure in (
        "1.624",
        "1.552",
        "€ 697.900",
        "Over deze cijfers",
        "31 december 2019",
        "Inhoud",
    ):
        assert figure in report, figure
    assert "In het jaarverslag 2019 stond 1.956; de drie gemeenten tellen op tot 1.841." in report
