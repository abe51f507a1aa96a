"""The annual report and the factsheets: what they show and where it comes from."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipelines.report.formatting import datum, euro, getal, procent
from tests.compare import published_cells
from tests.conftest import run_pipeline
from tests.deliveries import build_edge_delivery
from tests.html_tables import tables

pytestmark = pytest.mark.slow  # runs the whole pipeline

D = dt.date
MEMBERS = {"GM0512": "gorinchem", "GM1978": "molenlanden", "GM1961": "vijfheerenlanden"}


@pytest.fixture(scope="module")
def rapport(demo_run):
    return demo_run / "rapport"


@pytest.fixture(scope="module")
def mart(demo_run):
    return {
        k: v for k, (v, _u) in published_cells(demo_run / "marts" / "kerncijfers.parquet").items()
    }


def value(mart, indicator, gemeente, eind, begin=None, cat=None, age=None, dur=None):
    return mart[(indicator, gemeente, begin, eind, cat, age, dur)]


def test_every_page_in_html_and_pdf(rapport):
    names = ["jaarverslag-2019", *[f"factsheet-{slug}-2019" for slug in MEMBERS.values()]]
    for name in names:
        assert (rapport / f"{name}.html").stat().st_size > 5000
        assert (rapport / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
    index = (rapport / "index.html").read_text()
    for name in names:
        assert f'href="{name}.html"' in index and f'href="{name}.pdf"' in index


def test_links_resolve(rapport):
    for page in rapport.glob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"#:]+)', page.read_text()):
            assert (rapport / target).exists(), f"{page.name} links to missing {target}"


def test_factsheet_tables_show_the_mart(rapport, mart):
    days = [D(2018, 12, 31), D(2019, 4, 30), D(2019, 8, 31), D(2019, 12, 31)]
    for code, slug in MEMBERS.items():
        page = tables(rapport / f"factsheet-{slug}-2019.html")
        rows = {r[0]: r[1:] for r in page[f"uitkeringen-{code.lower()}"][1:]}
        for indicator, label in (
            ("bijstand.uitkeringen", "Uitkeringen / aanvragers"),
            ("bijstand.partners", "Partners"),
            ("bijstand.personen", "Totaal uitkeringsgerechtigden"),
        ):
            expected = [getal(value(mart, indicator, code, d)) for d in days]
            diff = value(mart, indicator, code, days[-1]) - value(mart, indicator, code, days[0])
            assert rows[label] == [*expected, getal(diff, teken=True)]
        minima = {r[0]: r[1] for r in page[f"minima-{code.lower()}"][1:]}
        czv = value(mart, "minima.uitgaven", code, D(2019, 12, 31), D(2019, 1, 1), "CZV")
        assert minima["Collectieve zorgverzekering"] == euro(czv)


def test_published_figures_appear_as_published(rapport):
    gorinchem = (rapport / "factsheet-gorinchem-2019.html").read_text()
    for text in ("849", "988", "€ 349.860", "€ 1.998.441", "138", "164"):
        assert text in gorinchem
    report = (rapport / "jaarverslag-2019.html").read_text()
    for text in ("1.624", "1.552", "€ 607.910", "€ 819.519", "206", "1.843"):
        assert text in report


def test_dutch_formatting():
    assert getal(1234567) == "1.234.567"
    assert getal(-49, teken=True) == "-49" and getal(5, teken=True) == "+5"
    assert euro(1234567.49) == "€ 1.234.567"
    assert euro(0.5) == "€ 1"  # half away from zero, as the report rounds
    assert procent(12, 100) == "12%" and procent(None, 3) == "–"
    assert datum(D(2019, 12, 31)) == "31 december 2019"


def test_age_duration_table_sums_to_the_persons(rapport, mart):
    page = tables(rapport / "jaarverslag-2019.html")
    total_row = next(r for r in page["leeftijd-duur-totaal"] if r[0] == "Totaal")
    assert total_row[4] == getal(value(mart, "bijstand.personen", "TOTAAL", D(2019, 12, 31)))


def test_verantwoording(rapport, demo_manifest):
    report = (rapport / "jaarverslag-2019.html").read_text()
    section = report[report.index('id="verantwoording"') :]
    assert demo_manifest["run_id"] in section
    assert "31 maart 2021" in section  # the delivery's export date
    for digest in demo_manifest["hashes"].values():
        assert digest in section
    # the definitions are the dbt doc blocks the models document
    assert "die op de peildatum lopen en waarop voor de kalendermaand" in section
    assert "Aaneengesloten bijstandsperiode, duur en duurklasse" in section
    assert (
        "Van de 213 cijfers die het referentiebestand als exact aanmerkt, komen er 213 overeen"
        in section
    )
    rows = tables(rapport / "jaarverslag-2019.html")["reconciliatie"][1:]
    assert len(rows) == 227
    assert sum("inconsistent" in r[6] for r in rows) == 14


def test_missing_data_is_said_not_shown_as_zero(tmp_path):
    """A delivery without Tozo decisions and with data only from 2016 on: the Tozo section
    says there is nothing, and dates before the data show as '–', never as 0."""
    raw = build_edge_delivery(tmp_path / "raw", 21)
    (raw / "tozo_besluiten.csv").write_text(
        "besluit_id;client_id;gemeente_code;regeling;soort;besluitdatum;uitkomst\n"
    )
    run_pipeline(raw, tmp_path / "out", jaar=2016, extra=())
    report = tmp_path / "out" / "rapport" / "jaarverslag-2016.html"
    text = report.read_text()
    tozo = text[text.index('id="h7"') : text.index('id="h8"')]
    assert "Geen gegevens" in tozo and "<table" not in tozo
    page = tables(report)
    statushouders = page["statushouders-totaal-cijfers"]
    assert statushouders[1][1] == "–"  # 31-12-2014: before the delivery's first records


def test_another_report_year_renders(demo_delivery, tmp_path):
    run_pipeline(demo_delivery, tmp_path, jaar=2020, extra=())
    report = tmp_path / "rapport" / "jaarverslag-2020.html"
    page = tables(report)
    tozo = {r[0]: r[1:] for r in page["tozo"][1:]}
    assert "Tozo 1 levensonderhoud" in tozo  # Tozo decisions exist in 2020
    assert (tmp_path / "rapport" / "factsheet-gorinchem-2020.pdf").exists()
