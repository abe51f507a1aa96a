"""The verkenner (rapport/verkenner.html) in headless Chromium, opened from file:// with the
network off: chosen with the keyboard, every number compared with the history read by
DuckDB, the link reopened, the download compared, the protected version checked against the
open data, and axe-core run in each of those states."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from axe_playwright_python.sync_playwright import Axe

from pipelines.catalogue import catalogue
from pipelines.publish.csvfiles import spreadsheet_safe
from pipelines.publish.report.cijfers import Cijfer
from pipelines.publish.report.formatting import aandeel, euro, getal, verschil

pytestmark = pytest.mark.browser

KEY = ["indicator", "gemeente", "periode_begin", "periode_eind", "categorie", "leeftijdsklasse",
       "duurklasse"]  # fmt: skip


def open_verkenner(browser, out: Path, selection: str = "", width: int = 1280):
    """The page from file://, in a context that is offline; every request it makes is kept."""
    context = browser.new_context(
        offline=True, viewport={"width": width, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto((out / "rapport" / "verkenner.html").as_uri() + selection)
    page.wait_for_selector('html[data-klaar="ja"]')
    return page


def no_violations(page, state: str) -> None:
    result = Axe().run(page).response
    assert result["passes"], "axe did not run"
    problems = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]
    ]
    assert not problems, f"{state}: " + "; ".join(problems)


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element `selector` has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def shown(page) -> tuple[list[str], list[dict]]:
    """The table: its dates or periods (as the address names them) and per row its
    municipality, cell and texts (without footnote marks)."""
    times = page.eval_on_selector_all(
        "#cijfers thead th[data-tijd]", "t => t.map(e => e.dataset.tijd)"
    )
    rows = page.eval_on_selector_all(
        "#cijfers tbody tr",
        """rows => rows.map(tr => ({
            gemeente: tr.dataset.gemeente,
            cel: tr.dataset.cel.split('|').map(c => c || null),
            texts: [...tr.querySelectorAll('td')].map(td => td.firstChild.textContent),
        }))""",
    )
    return times, rows


def latest(out: Path, indicator: str) -> dict[tuple, dict]:
    """Per cell of the history the figure of the latest delivery that has it."""
    with duckdb.connect() as con:
        cursor = con.execute(
            f"""select * from read_parquet(?) where indicator = ?
                qualify row_number() over (
                    partition by {", ".join(KEY)} order by exportdatum desc) = 1""",
            [str(out / "historie" / "kerncijfers.parquet"), indicator],
        )
        names = [d[0] for d in cursor.description]
        return {
            tuple(r[n] for n in KEY): r
            for r in (dict(zip(names, row, strict=True)) for row in cursor.fetchall())
        }


def time_key(begin: dt.date | None, eind: dt.date) -> str:
    return f"{begin}_{eind}" if begin else eind.isoformat()


def expected_text(figure: dict) -> str:
    value = Cijfer(figure["waarde"], figure["status"] == "voorlopig")
    if figure["eenheid"] == "euro":
        return euro(value)
    return getal(value, 1 if figure["eenheid"] == "fte" else 0)


def compare_with_history(page, out: Path, indicator: str) -> int:
    """Every number of the table equals the latest figure of its cell in the history,
    formatted as the report formats it; returns how many were compared."""
    figures = latest(out, indicator)
    by_time = {time_key(k[2], k[3]): (k[2], k[3]) for k in figures}
    times, rows = shown(page)
    compared = 0
    for row in rows:
        for time, text in zip(times, row["texts"], strict=True):
            begin, eind = by_time[time]
            figure = figures.get((indicator, row["gemeente"], begin, eind, *row["cel"]))
            assert figure is not None, f"{row} {time}: not in the history"
            assert text == expected_text(figure), f"{row['gemeente']} {row['cel']} {time}"
            compared += 1
    return compared


def test_opened_offline_from_the_folder_it_fetches_nothing(browser, demo_run):
    page = open_verkenner(browser, demo_run)
    assert not page.errors
    assert all(url.startswith("file://") for url in page.requests), page.requests
    html = (demo_run / "rapport" / "verkenner.html").read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "Intern: niet publiceren" in page.inner_text(".verkenner-status")
    # every indicator of the catalogue, grouped by domain
    options = page.eval_on_selector_all("#indicator option", "o => o.map(e => e.value)")
    assert set(options) == set(catalogue())
    assert page.eval_on_selector_all("#indicator optgroup", "g => g.length") >= 8
    no_violations(page, "opened")


def test_chosen_with_the_keyboard_it_shows_the_figures_of_the_history(browser, demo_run):
    page = open_verkenner(browser, demo_run)
    tab_to(page, "#zoek")
    page.keyboard.type("beeindigde reden")  # without the diaeresis: found all the same
    assert page.inner_text("#zoek-uitkomst") == "1 indicator gevonden."
    page.keyboard.press("Enter")
    assert page.inner_text("#resultaat-titel") == "Beëindigde uitkeringen naar reden (uitstroom)"
    tab_to(page, 'input[name="gemeente"][value="GM0512"]')
    page.keyboard.press("Space")  # Gorinchem as well as the total
    tab_to(page, 'input[name="categorie"][value="OVERIG"]')
    page.keyboard.press("Space")  # all reasons but 'overige'
    tab_to(page, 'input[name="soort"]:checked')
    page.keyboard.press("ArrowDown")  # per year instead of per tertial
    times, rows = shown(page)
    assert {r["gemeente"] for r in rows} == {"GM0512", "TOTAAL"}
    assert {r["cel"][0] for r in rows} == {"WERK", "INKOMSTEN", "VERHUIZING", "HANDHAVING"}
    assert times and all(re.fullmatch(r"\d{4}-01-01_\d{4}-12-31", t) for t in times)
    assert compare_with_history(page, demo_run, "bijstand.uitstroom") == 8 * len(times)
    assert "bijstand.uitstroom" in page.input_value("#link")
    no_violations(page, "chosen with the keyboard")


@pytest.mark.parametrize(
    "indicator",
    ["bijstand.personen_naar_leeftijd_duur", "sw.fte", "minima.uitgaven", "bijstand.herinstroom"],
)
def test_every_kind_of_figure_matches_the_history(browser, demo_run, indicator):
    """A cross table, FTE with a decimal, euros and a cohort-like flow, for every member and
    the total."""
    page = open_verkenner(browser, demo_run, f"#i={indicator}&g=GM0512,GM1978,GM1961,TOTAAL")
    assert compare_with_history(page, demo_run, indicator) > 0
    assert not page.errors


def test_the_link_reopens_the_same_view(browser, demo_run):
    page = open_verkenner(browser, demo_run)
    page.select_option("#indicator", "bijstand.uitkeringen_naar_leeftijd")
    page.check('input[name="gemeente"][value="GM1961"]')
    page.check('input[name="maat"][value="aandeel"]')
    page.select_option("#stand", index=2)  # as the first delivery knew it
    page.check("#herzieningen")
    link = page.input_value("#link")
    assert urlsplit(link).fragment
    again = open_verkenner(browser, demo_run, "#" + urlsplit(link).fragment)
    for selector in ("#resultaat-titel", "#samenvatting", "#tabel", "#herzien", "#legenda"):
        assert again.inner_html(selector) == page.inner_html(selector), selector
    assert again.input_value("#stand") == page.input_value("#stand")
    assert "zoals bekend bij de levering van 31-12-2020" in again.inner_text("#samenvatting")
    assert "%" in again.inner_text("#cijfers tbody")
    no_violations(again, "share, an earlier delivery and the revisions")


def test_the_revisions_between_deliveries(browser, demo_run):
    """The figures of 2020 changed between the delivery of 31-12-2020 and that of
    31-03-2021: the page lists each with both values, as the history has them."""
    page = open_verkenner(
        browser,
        demo_run,
        "#i=bijstand.uitstroom&g=TOTAAL&per=tertiaal&herzien=1"
        "&van=2019-01-01_2019-04-30&tot=2020-09-01_2020-12-31",
    )
    rows = page.eval_on_selector_all(
        "#herzieningen-tabel tbody tr", "r => r.map(tr => tr.innerText.split('\\t'))"
    )
    with duckdb.connect() as con:
        changed = con.execute(
            """select count(*) from (
                 select categorie, periode_begin, count(distinct waarde) as n
                 from read_parquet(?) where indicator = 'bijstand.uitstroom'
                   and gemeente = 'TOTAAL' and periode_eind - periode_begin < 200
                   and periode_begin >= date '2019-01-01'
                   and periode_eind <= date '2020-12-31'
                 group by all) where n > 1""",
            [str(demo_run / "historie" / "kerncijfers.parquet")],
        ).fetchone()[0]
    assert changed > 0 and len(rows) == changed


def test_the_download_is_the_selection_as_open_data(browser, demo_run):
    page = open_verkenner(browser, demo_run, "#i=sw.medewerkers&g=GM0512,TOTAAL&per=peildatum")
    tab_to(page, "#download")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")
    open_data = (demo_run / "open-data" / "kerncijfers.csv").read_text().splitlines()[0]
    assert header == [*open_data.split(","), "exportdatum"]
    figures = latest(demo_run, "sw.medewerkers")
    times, shown_rows = shown(page)
    assert len(rows) == len(times) * len(shown_rows)
    for row in rows:
        key = tuple(row[k] or None for k in KEY)
        key = (*key[:2], *(dt.date.fromisoformat(d) if d else None for d in key[2:4]), *key[4:])
        figure = figures[key]
        assert float(row["waarde"]) == figure["waarde"]
        assert row["status"] == figure["status"]
        assert row["exportdatum"] == figure["exportdatum"].isoformat()
        assert row["geheim"] == "false"


def test_numbers_and_spreadsheet_cells_as_the_report_writes_them(browser, demo_run):
    page = open_verkenner(browser, demo_run)
    values = [0, 1, 5.5, 12.5, 0.5, 1.5, 2.5, 1.15, 1.05, -5, -0.4, 999.5, 1234, 1234567.49,
              12345.678, 0.04999, 1e-7, 2.675]  # fmt: skip
    for value in values:
        for places in (0, 1):
            js = page.evaluate("([v, d]) => window.kerncijfersOpmaak.getal(v, d)", [value, places])
            assert js == getal(value, places), (value, places)
            js = page.evaluate(
                "([v, d]) => window.kerncijfersOpmaak.verschil(v, d)", [value, places]
            )
            assert js == verschil(value, places), (value, places)
        assert page.evaluate("v => window.kerncijfersOpmaak.euro(v)", value) == euro(value)
        assert page.evaluate("v => window.kerncijfersOpmaak.aandeel(v)", value) == aandeel(value)
    for text in ["=SUM(A1)", "+31", "-12.5", "-x", "@echo", "\tTab", "a,b", 'say "hi"', "gewoon"]:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([spreadsheet_safe(text)])
        js = page.evaluate("v => window.kerncijfersOpmaak.csvVeld(v)", text)
        assert js == buffer.getvalue().rstrip("\n"), text


def test_every_report_table_links_to_its_figures(demo_run, demo_manifest):
    """Every table of the jaarverslag and the factsheets links, per indicator it shows, to a
    selection that holds its figures: their municipality, breakdown cell and (of the kind of
    date or period most of them have) their date or period."""
    from pipelines.organisation import load as load_organisation
    from pipelines.publish.report import content, layout, render, verkenner
    from pipelines.publish.report.data import load

    organisation = load_organisation()
    data = load(demo_run / "warehouse.duckdb", demo_run / "geen-dbt", 2019, organisation)
    factsheets = [layout.factsheet(data, organisation.layout, g) for g in data.gemeenten]
    run = render.run_info(demo_manifest)
    pages = [*factsheets, render.jaarverslag_context(data, run, factsheets, organisation)]
    tables = [t for page in pages for t in render.items_in(page, content.Table) if t.cellen]
    assert len(tables) > 20
    for table in tables:
        links = dict(verkenner.links(data, table.cellen))
        by_indicator = {
            parse_qs(urlsplit(href).fragment)["i"][0]: {
                k: v[0] for k, v in parse_qs(urlsplit(href).fragment).items()
            }
            for href in links.values()
        }
        for cell in table.cellen:
            selection = by_indicator[cell[0]]
            assert cell[1] in selection["g"].split(","), (table.id, cell)
            for position, dimension in enumerate(verkenner.DIMENSIONS, start=4):
                chosen = selection.get(dimension, "-").split(",")
                assert (cell[position] or "-") in chosen, (table.id, cell, dimension)
            kind, _label = verkenner.kind_and_label(data, cell[2], cell[3])
            if kind == selection["per"]:
                assert selection["van"] <= verkenner.time_key(cell[2], cell[3]) <= selection["tot"]


def test_a_report_link_opens_the_verkenner_on_its_table(browser, demo_run):
    page = browser.new_page()
    page.goto((demo_run / "rapport" / "jaarverslag-2019.html").as_uri())
    link = page.locator("p.verken a", has_text="Verken deze cijfers").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_selector('html[data-klaar="ja"]')
    selection = {k: v[0] for k, v in parse_qs(urlsplit(href).fragment).items()}
    times, rows = shown(page)
    assert times[0] == selection["van"] and times[-1] == selection["tot"]
    assert {r["gemeente"] for r in rows} == set(selection["g"].split(","))
    assert compare_with_history(page, demo_run, selection["i"]) > 0


def test_the_phone_width(browser, demo_run):
    page = open_verkenner(
        browser, demo_run, "#i=bijstand.uitstroom&g=GM0512,GM1978,GM1961,TOTAAL", width=390
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    assert page.locator("#grafiek-vlak svg").bounding_box()["width"] <= 390
    no_violations(page, "phone")


def test_openbaar_holds_only_the_protected_figures(browser, openbaar_run):
    """With --openbaar the page holds what the open data publishes: a withheld figure is no
    value but its reason, in the data the page embeds as well as in what it shows."""
    html = (openbaar_run / "rapport" / "verkenner.html").read_text()
    data = json.loads(
        re.search(r'id="verkenner-gegevens">(.*?)</script>', html, re.S)
        .group(1)
        .replace("<\\/", "</")
    )
    with duckdb.connect() as con:
        open_data = {
            (r[0], r[1], r[2], r[3], r[4] or None, r[5] or None, r[6] or None): (r[7], r[8])
            for r in con.execute(
                f"""select {", ".join(KEY)}, waarde, geheim
                    from read_csv(?, all_varchar=true)""",
                [str(openbaar_run / "open-data" / "kerncijfers.csv")],
            ).fetchall()
        }
    times = data["tijden"]
    compared = withheld = 0
    for indicator in data["indicatoren"]:
        for g, t, cat, lft, duur, entries, _note in indicator["rijen"]:
            begin, eind = times[t][0], times[t][1]
            key = (indicator["id"], data["gemeenten"][g][0], begin, eind, cat, lft, duur)
            value, secret = open_data[key]
            (entry,) = entries  # one delivery
            if secret == "true":
                assert entry[1] is None and entry[4], key
                withheld += 1
            else:
                assert entry[1] == float(value), key
            compared += 1
    assert compared > 2000 and withheld > 100

    page = open_verkenner(
        browser,
        openbaar_run,
        "#i=schuldhulp.instroom&g=TOTAAL&categorie=EENVOUDIG&per=jaar"
        "&van=2018-01-01_2018-12-31&tot=2019-01-01_2019-12-31",
    )
    assert "Openbare cijfers" in page.inner_text(".verkenner-status")
    _times, rows = shown(page)
    assert rows[0]["texts"][0] == "."  # 3 starts in 2018 (test_open_data)
    assert "Geheim (.): aantal van 1 tot en met 4." in page.inner_text("#noten")
    no_violations(page, "openbaar, a withheld figure")
