"""The organisation is configuration: a second organisation runs from its own folder, and a
folder that is incomplete or inconsistent is refused before any work, naming the file and row.

Nissewaard (GM1930, formed in 2015 from Bernisse and Spijkenisse) is a single municipality;
its delivery has only bijstand records (every other file holds its header only).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest

from demo.writer import write_delivery
from pipelines.config import ORGANISATIONS_DIR
from pipelines.organisation import OrganisationError
from pipelines.publish.publication import current
from pipelines.run.preflight import check_organisation
from tests.clirun import assert_whole, kerncijfers, run_args
from tests.conftest import run_pipeline
from tests.deliveries import Builder

NISSEWAARD = ORGANISATIONS_DIR / "nissewaard"
D = dt.date
BIJSTAND = ("PW", "IOAW", "IOAZ")
PEILDATUM = D(2019, 12, 31)


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> tuple[Path, dict[str, list[dict]]]:
    """Bijstand records of Nissewaard and of Rotterdam (not a member), and a benefit granted
    by Spijkenisse in 2013 that still runs: it counts for Nissewaard, today's municipality."""
    raw = tmp_path_factory.mktemp("nissewaard") / "raw" / "2021-06-30"
    builder = Builder(seed=1930, jaar=2020, gemeenten=("GM1930", "GM1930", "GM1930", "GM0599"))
    for _ in range(120):
        builder.household_history()
    builder.benefit(builder.person(), D(2013, 3, 1), None, gemeente="GM0612")
    write_delivery(raw, builder.tables)
    return raw, builder.tables


@pytest.fixture(scope="module")
def published(delivery, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nissewaard-uit")
    run_pipeline(delivery[0], out, jaar=2020, extra=(), organisatie=str(NISSEWAARD))
    return out


def text_of(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def texts(path: Path) -> list[str]:
    """What a reader of the file sees: a PDF's text, every text value of a warehouse or a
    Parquet file, any other file's bytes as text."""
    if path.suffix == ".pdf":
        return [text_of(path)]
    if path.suffix in (".duckdb", ".parquet"):
        with duckdb.connect(
            str(path) if path.suffix == ".duckdb" else ":memory:",
            read_only=path.suffix == ".duckdb",
        ) as con:
            if path.suffix == ".parquet":
                con.execute(f"create view t as select * from read_parquet('{path}')")
            found = []
            for schema, table, column in con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR'"
            ).fetchall():
                found += [
                    v
                    for (v,) in con.execute(
                        f'select distinct "{column}" from "{schema}"."{table}"'
                    ).fetchall()
                    if v
                ]
            return found
    return [path.read_bytes().decode("utf-8", errors="replace")]


def test_a_single_municipality_publishes_under_its_own_name(published):
    live = current(published)
    manifest = assert_whole(published)
    assert manifest["organisatie"]["folder"] == str(NISSEWAARD.resolve())
    names = sorted(p.name for p in (live / "rapport").glob("*.html"))
    assert names == [
        "factsheet-nissewaard-2020.html",
        "index.html",
        "jaarverslag-2020.html",
        "verantwoording-2020.html",
        "verkenner.html",
    ]
    verkenner = (live / "rapport" / "verkenner.html").read_text()
    assert "Verkenner: kerncijfers Gemeente Nissewaard" in verkenner
    jaarverslag = text_of(live / "rapport" / "jaarverslag-2020.pdf")
    factsheet = text_of(live / "rapport" / "factsheet-nissewaard-2020.pdf")
    assert "Gemeente Nissewaard" in jaarverslag and "Nissewaard (hele gemeente)" in jaarverslag
    assert "Gemeente Nissewaard" in factsheet and "Factsheet Nissewaard 2020" in factsheet
    # The domains it did not deliver say so, in every table and chart about them.
    assert "Over de banenafspraak bevat de levering geen gegevens." in jaarverslag
    html = (live / "rapport" / "jaarverslag-2020.html").read_text()
    for caption in ("Medewerkers SW naar plaatsing", "Uitgaven minimaregelingen en bijzondere"):
        assert f"Geen gegevens: de levering bevat niets voor “{caption}" in html
    assert "Geen gegevens: de levering bevat niets voor deze grafiek." in html  # BUIG
    assert "Geen gegevens" in factsheet
    # The bijstand figures it did deliver are there: its one factsheet and the total.
    with duckdb.connect(str(live / "warehouse.duckdb"), read_only=True) as con:
        places = {
            g for (g,) in con.execute("select distinct gemeente from marts.kerncijfers").fetchall()
        }
    assert places == {"GM1930", "TOTAAL"}


def test_a_predecessor_code_counts_for_todays_municipality(delivery, published):
    """Bijstand benefits running on 31-12-2019, of Nissewaard itself and of Spijkenisse before
    the merger, are Nissewaard's; Rotterdam's are no one's."""
    _raw, tables = delivery
    running = [
        u
        for u in tables["uitkeringen"]
        if u["regeling"] in BIJSTAND
        and u["begindatum"] <= PEILDATUM
        and (u["einddatum"] is None or u["einddatum"] >= PEILDATUM)
    ]
    expected = sum(u["gemeente_code"] in ("GM1930", "GM0612") for u in running)
    assert any(u["gemeente_code"] == "GM0612" for u in running)
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        figures = dict(
            con.execute(
                "select gemeente, waarde from marts.kerncijfers where indicator = "
                "'bijstand.uitkeringen' and periode_eind = ?",
                [PEILDATUM],
            ).fetchall()
        )
    assert figures == {"GM1930": expected, "TOTAAL": expected}


def test_its_open_data_names_it_as_publisher_and_its_municipality(published):
    folder = published / "open-data"
    with (folder / "gemeenten.csv").open(encoding="utf-8") as handle:
        rows = [(r["gemeente"], r["naam"]) for r in csv.DictReader(handle)]
    assert rows == [("GM1930", "Nissewaard"), ("TOTAAL", "Nissewaard (hele gemeente)")]
    dcat = json.loads((folder / "dcat.jsonld").read_text())
    assert dcat["dct:publisher"]["@id"] == "http://standaarden.overheid.nl/owms/terms/Nissewaard"
    assert dcat["dct:spatial"] == [{"@id": "http://standaarden.overheid.nl/owms/terms/Nissewaard"}]
    assert dcat["dct:license"]["@id"].startswith("http://creativecommons.org/licenses/by/4.0")
    assert dcat["dct:title"] == "Kerncijfers Werk en Inkomen Gemeente Nissewaard"


def test_no_output_names_another_organisation(published):
    live = current(published)
    mentions = [
        path.relative_to(live).as_posix()
        for path in sorted(live.rglob("*"))
        if path.is_file() and any("avres" in text.lower() for text in texts(path))
    ]
    assert mentions == []


# -- a folder that cannot be used ------------------------------------------------------------


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "organisatie"
    shutil.copytree(NISSEWAARD, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        (
            "gemeenten.csv",
            "GM1930,Nissewaard,",
            "GM1930,,",
            "gemeenten.csv row 2: member GM1930 has no name",
        ),
        (
            "gemeentecodes.csv",
            "GM0568,Bernisse,,2014-12-31,GM1930",
            "GM0568,Bernisse,,2014-12-31,GM1992",
            "gemeentecodes.csv row 3: GM0568 (Bernisse) merges into GM1992, which is no member "
            "(gemeenten.csv) and not in gemeentecodes.csv",
        ),
        (
            "rapport.yml",
            "{indicator: bijstand.partners, label: Partners}",
            "{indicator: bijstand.partner, label: Partners}",
            "rapport.yml: jaarverslag › hoofdstuk 1 › inhoud 1 › tabel › rij 2: indicator "
            "'bijstand.partner' is not in the catalogue (seed indicatoren)",
        ),
        (
            "rapport.yml",
            "{categorieen: sw.medewerkers, weglaten_als_leeg: [ONBEKEND]",
            "{categorieen: sw.medewerkers, weglaten_als_leeg: [ONBEKEN]",
            "rapport.yml: jaarverslag › hoofdstuk 2 › inhoud 4 › tabel › rij 1: 'ONBEKEN' is not "
            "a category of sw.medewerkers",
        ),
        (
            "organisatie.yml",
            "licentie: CC-BY-4.0",
            "licentie: CC-BY-5.0",
            "organisatie.yml: publicatie.licentie 'CC-BY-5.0' is not CC0-1.0 or CC-BY-4.0",
        ),
    ],
)
def test_an_inconsistent_folder_is_refused_naming_the_file_and_row(
    tmp_path, file, old, new, problem
):
    folder = broken_copy(tmp_path, file, old, new)
    with pytest.raises(OrganisationError) as refused:
        check_organisation(folder)
    assert str(refused.value) == f"organisation folder: {folder}/{problem}"


def test_the_command_refuses_it_before_any_work(delivery, tmp_path):
    folder = broken_copy(tmp_path, "gemeenten.csv", "GM1930,Nissewaard,", "GM1930,,")
    out = tmp_path / "uit"
    result = kerncijfers(*run_args(delivery[0], out, 2020, "--organisatie", str(folder)))
    assert result.returncode == 78, result.stderr[-2000:]
    assert result.stderr.strip() == (
        f"kerncijfers: error: organisation folder: {folder / 'gemeenten.csv'} row 2: "
        "member GM1930 has no name"
    )
    assert not out.exists()
