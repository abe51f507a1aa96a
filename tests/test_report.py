"""The annual report, the factsheets and the verantwoording: what they show and where it
comes from. Every figure is read from its own table and compared with its cell of the mart."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pipelines.publish.report.formatting import datum, euro, getal, procent, verschil
from tests.compare import published_cells
from tests.conftest import run_pipeline
from tests.deliveries import build_edge_delivery
from tests.html_tables import footnotes, tables

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


def rows_of(page, table) -> dict[str, list[str]]:
    return {r[0]: r[1:] for r in page[table][1:]}


DOCUMENTS = [
    "jaarverslag-{j}",
    "verantwoording-{j}",
    *[f"factsheet-{slug}-{{j}}" for slug in MEMBERS.values()],
]


def test_every_document_of_both_years_in_html_and_pdf_and_in_the_index(rapport):
    index = (rapport / "index.html").read_text()
    for jaar in (2019, 2020):
        for name in (d.format(j=jaar) for d in DOCUMENTS):
            assert (rapport / f"{name}.html").stat().st_size > 5000, name
            assert (rapport / f"{name}.pdf").read_bytes()[:5] == b"%PDF-", name
            assert f'href="{name}.html"' in index and f'href="{name}.pdf"' in index
    years = json.loads((rapport / "jaren.json").read_text())
    assert set(years) == {"2019", "2020"}


def test_links_resolve(rapport):
    for page in rapport.glob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"#:]+)', page.read_text()):
            assert (rapport / target).exists(), f"{page.name} links to missing {target}"


def test_factsheet_tables_show_the_mart(rapport, mart):
    days = [D(2018, 12, 31), D(2019, 4, 30), D(2019, 8, 31), D(2019, 12, 31)]
    for code, slug in MEMBERS.items():
        page = tables(rapport / f"factsheet-{slug}-2019.html")
        rows = rows_of(page, f"uitkeringen-{code.lower()}")
        for indicator, label in (
            ("bijstand.uitkeringen", "Uitkeringen / aanvragers"),
            ("bijstand.partners", "Partners"),
            ("bijstand.personen", "Totaal uitkeringsgerechtigden"),
        ):
            expected = [getal(value(mart, indicator, code, d)) for d in days]
            diff = value(mart, indicator, code, days[-1]) - value(mart, indicator, code, days[0])
            assert rows[label] == [*expected, verschil(diff)]
        minima = rows_of(page, f"minima-{code.lower()}")
        czv = value(mart, "minima.uitgaven", code, D(2019, 12, 31), D(2019, 1, 1), "CZV")
        assert minima["Collectieve zorgverzekering"] == [euro(czv)]


def test_published_figures_appear_as_published_in_their_own_tables(rapport):
    """Figures of the 2019 report, each read from the table that shows it."""
    gorinchem = tables(rapport / "factsheet-gorinchem-2019.html")
    bijstand = rows_of(gorinchem, "uitkeringen-gm0512")
    assert bijstand["Uitkeringen / aanvragers"][0] == "849"
    assert bijstand["Totaal uitkeringsgerechtigden"][0] == "988"
    minima = rows_of(gorinchem, "minima-gm0512")
    assert minima["Collectieve zorgverzekering"] == ["€ 349.860"]
    assert minima["Totaal"] == ["€ 1.998.441"]
    sw = rows_of(gorinchem, "sw-gm0512")
    assert sw["Beschut"][0] == "138"
    lopend = rows_of(gorinchem, "schuldhulp-lopend-gm0512")
    assert lopend["Budgetbeheerrekeningen"][2] == "164"
    report = tables(rapport / "jaarverslag-2019.html")
    overzicht = rows_of(report, "uitkeringen-totaal")
    assert overzicht["Uitkeringen / aanvragers"][0] == "1.624"
    assert overzicht["Uitkeringen / aanvragers"][3] == "1.552"
    uitgaven = rows_of(report, "minima-uitgaven-totaal")
    assert uitgaven["Collectieve zorgverzekering"][1] == "€ 607.910"
    assert uitgaven["Bijzondere bijstand bewindvoering"][1] == "€ 819.519"
    assert uitgaven["Collectieve zorgverzekering"][2] == "+35.808"
    assert uitgaven["Regionaal Declaratiefonds (volwassenen)"][2] == "\u22123.989"
    stromen = rows_of(report, "bijstand-stromen")
    assert stromen["Uitstroom: werk"][3] == "206"
    gebruik = rows_of(report, "minima-gebruik")
    assert gebruik["Collectieve zorgverzekering"][3] == "1.871"


def test_a_figure_published_differently_says_so_where_it_stands(rapport):
    """Persons on bijstand on 31-12-2019: published 1.956, the municipalities add up to
    1.841 — the cell shows 1.841 and its footnote the published 1.956."""
    page = rapport / "jaarverslag-2019.html"
    overzicht = tables(page)["uitkeringen-totaal"]
    row = next(i for i, r in enumerate(overzicht) if r[0] == "Totaal uitkeringsgerechtigden")
    column = overzicht[0].index("31-12-2019")
    assert overzicht[row][column] == "1.841"
    notes = footnotes(page, "uitkeringen-totaal")
    assert notes[(row, column)] == (
        "In het jaarverslag 2019 stond 1.956; de drie gemeenten tellen op tot 1.841."
    )
    sw = tables(page)["detachering-sw"]
    total_row = next(i for i, r in enumerate(sw) if r[0] == "Totaal")
    assert sw[total_row][3] == "477"
    assert "stond 467" in footnotes(page, "detachering-sw")[(total_row, 3)]


def test_age_duration_table_sums_to_the_persons(rapport, mart):
    page = tables(rapport / "jaarverslag-2019.html")
    total_row = next(r for r in page["leeftijd-duur-totaal"] if r[0] == "Totaal")
    assert total_row[4] == getal(value(mart, "bijstand.personen", "TOTAAL", D(2019, 12, 31)))
    labels = [r[0] for r in page["leeftijd-duur-totaal"][1:]]
    assert labels[:3] == ["Korter dan 6 maanden", "6 maanden tot 2 jaar", "2 jaar of langer"]


def test_banenafspraak_in_the_report(rapport, mart):
    text = (rapport / "jaarverslag-2019.html").read_text()
    chapter = text[text.index('id="h1"') : text.index('id="h2"')]
    assert "Eind 2019 waren er 313 garantiebanen gerealiseerd" in chapter
    assert "De doelstelling voor 2019 was 360 banen" in chapter
    assert "zijn 197 inwoners uit de doelgroep banenafspraak naar werk begeleid" in chapter
    figures = rows_of(tables(rapport / "jaarverslag-2019.html"), "banenafspraak-cijfers")
    assert figures["2019"] == [
        getal(value(mart, "banenafspraak.banen", "TOTAAL", D(2019, 12, 31))),
        "360",
    ]
    assert figures["2017"][1] == "–"  # no target configured for 2017: not a zero


def test_tozo_only_in_the_years_it_ran(rapport):
    assert 'id="tozo"' not in (rapport / "jaarverslag-2019.html").read_text()
    tozo = rows_of(tables(rapport / "jaarverslag-2020.html"), "tozo")
    assert "Tozo 1 levensonderhoud" in tozo


def test_dutch_formatting():
    assert getal(1234567) == "1.234.567"
    assert verschil(-49) == "\u221249" and verschil(5) == "+5" and verschil(0) == "0"
    assert euro(1234567.49) == "€ 1.234.567"
    assert euro(0.5) == "€ 1"  # half away from zero, as the report rounds
    assert procent(12, 100) == "12%" and procent(None, 3) == "–"
    assert datum(D(2019, 12, 31)) == "31 december 2019"


def test_verantwoording(rapport, demo_manifest):
    page = rapport / "verantwoording-2019.html"
    text = page.read_text()
    assert demo_manifest["run_id"] in text
    assert "31 maart 2021" in text  # the delivery's export date
    for digest in demo_manifest["hashes"].values():
        assert digest in text
    # the definitions are the dbt doc blocks the models document
    assert "die op de peildatum lopen en waarop voor de kalendermaand" in text
    assert "Aaneengesloten bijstandsperiode, duur en duurklasse" in text
    assert "Van de 216 cijfers die als exact gelden, komen er 216 overeen" in text
    rows = tables(page)["reconciliatie"][1:]
    assert len(rows) == 230
    assert sum(r[6] == "tegenstrijdig gepubliceerd" for r in rows) == 14
    assert not (rapport / "jaarverslag-2019.html").read_text().count('id="reconciliatie"')


def test_missing_data_is_said_not_shown_as_zero(tmp_path):
    """A delivery without Tozo decisions or banenafspraak placements, with data only from
    2016 on: those sections say there is nothing, and dates before the data show as '–'."""
    raw = build_edge_delivery(tmp_path / "raw", 21, banenafspraak=False)
    (raw / "tozo_besluiten.csv").write_text(
        "besluit_id;client_id;gemeente_code;regeling;soort;besluitdatum;uitkomst\n"
    )
    assert not (raw / "banenafspraak_plaatsingen.csv").exists()
    run_pipeline(raw, tmp_path / "out", jaar=2016, extra=())
    report = tmp_path / "out" / "rapport" / "jaarverslag-2016.html"
    text = report.read_text()
    chapter = text[text.index('id="h1"') : text.index('id="h2"')]
    assert "Over de banenafspraak bevat de levering geen gegevens." in chapter
    assert 'id="tozo"' not in text
    page = tables(report)
    statushouders = page["statushouders-totaal-cijfers"]
    assert statushouders[1][1] == "–"  # 31-12-2014: before the delivery's first records
