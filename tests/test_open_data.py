"""The open-data release: disclosure control that holds exactly, CSVW and DCAT-AP-DONL metadata,
and the report rendered from the protected figures.

The check of the protection itself (tests/disclosure_check.py) is independent of the
pipeline's: it finds the additive sets from the table, recomputes the beneficiaries from the
delivery, and decides derivability by rank. It runs on the demo here and on the random edge
deliveries in test_figures.py.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import csvw
import duckdb
import pytest
import rdflib
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from rdflib.namespace import DCTERMS, RDF

from pipelines.compute.disclosure import AdditiveSet, derivable, protect
from pipelines.publish.report.formatting import getal
from tests.disclosure_check import (
    COUNT_UNITS,
    MIN_COUNT,
    NOT_ABOUT_PERSONS,
    assert_open_data_protected,
    derivable_cells,
    read_table,
)
from tests.html_tables import tables

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")  # not rdflib's closed one: pytest probes it
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
CC_BY = "http://creativecommons.org/licenses/by/4.0/deed.nl"


# -- the algorithm, on small tables made to test it ---------------------------------------------


def test_a_cell_alone_in_its_set_gets_a_partner_and_the_cheapest_one():
    values = {"T": 20.0, "a": 3.0, "b": 9.0, "c": 8.0}
    sets = [AdditiveSet("gemeenten", "T", ("a", "b", "c"))]
    protection = protect(values, {"a": "klein_aantal"}, sets)
    assert protection.suppressed == {"a": "klein_aantal", "c": "secundair"}
    assert derivable(protection.suppressed, sets) == set()


def test_two_suppressed_cells_in_every_set_are_not_always_enough():
    # Three sets over three cells, two suppressed in each: a+b, a+c and b+c are known, so a,
    # b and c are too. Only the exact check sees it; it withholds a total as well.
    values = {"T1": 10.0, "T2": 11.0, "T3": 13.0, "a": 4.0, "b": 6.0, "c": 7.0, "d": 50.0}
    sets = [
        AdditiveSet("x", "T1", ("a", "b")),
        AdditiveSet("y", "T2", ("a", "c")),
        AdditiveSet("z", "T3", ("b", "c", "d")),
    ]
    primary = {"a": "klein_aantal", "b": "klein_aantal", "c": "klein_aantal"}
    assert derivable(primary, sets) == {"a", "b", "c"}
    protection = protect(values, primary, sets)
    assert set(protection.suppressed) > set(primary)
    assert (
        derivable_cells([(s.total, list(s.parts)) for s in sets], set(protection.suppressed))
        == set()
    )


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_are_protected_exactly(seed):
    """Municipalities x tertials and year x classes and their total, with many small cells:
    the independent rank check finds no derivable cell."""
    rng = random.Random(seed)
    members = [f"GM{i}" for i in range(rng.randint(2, 4))]
    classes = [f"k{i}" for i in range(rng.randint(2, 4))]
    tertials = ["T1", "T2", "T3"]
    values: dict[str, float] = {}
    for g in members:
        for c in classes:
            for t in tertials:
                values[f"{g}|{t}|{c}"] = float(rng.choice([0, 1, 2, 3, 5, 8, 13, 40]))
    sets = []

    def add(total: str, parts: list[str]) -> None:
        values[total] = sum(values[p] for p in parts)
        sets.append(AdditiveSet("test", total, tuple(parts)))

    for g in members:
        for c in classes:
            add(f"{g}|J|{c}", [f"{g}|{t}|{c}" for t in tertials])
    for t in [*tertials, "J"]:
        for c in classes:
            add(f"TOTAAL|{t}|{c}", [f"{g}|{t}|{c}" for g in members])
        for g in [*members, "TOTAAL"]:
            add(f"{g}|{t}|alle", [f"{g}|{t}|{c}" for c in classes])
    primary = {cell: "klein_aantal" for cell, v in values.items() if 0 < v < 5}
    protection = protect(values, primary, sets)
    assert set(primary) <= set(protection.suppressed)
    withheld = set(protection.suppressed)
    assert derivable_cells([(s.total, list(s.parts)) for s in sets], withheld) == set()
    for s in sets:  # the rule the issue states: none or at least two per set
        assert sum(c in withheld for c in s.cells) != 1


# -- the demo run --------------------------------------------------------------------------------


def test_make_report_writes_the_open_data_with_its_metadata(demo_run):
    folder = demo_run / "open-data"
    for name in ("kerncijfers.csv", "kerncijfers.csv-metadata.json", "dcat.jsonld"):
        assert (folder / name).is_file(), name
    table_group = csvw.CSVW(str(folder / "kerncijfers.csv-metadata.json"), validate=True)
    assert table_group.is_valid, table_group.warnings
    columns = {c.name: c for c in table_group.tables[0].tableSchema.columns}
    assert list(columns)[-1] == "geheim"
    assert str(columns["waarde"].titles) and "punt (.)" in str(
        columns["waarde"].common_props["dc:description"]
    )
    graph = rdflib.Graph().parse(folder / "dcat.jsonld", format="json-ld")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    dataset = datasets[0]
    assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef(CC0)
    assert "Kerncijfers" in str(graph.value(dataset, DCTERMS.title))
    assert graph.value(dataset, DCTERMS.publisher) is not None
    temporal = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(temporal, DCAT.endDate)) == "2021-03-01"
    downloads = {
        str(graph.value(d, DCAT.downloadURL)).rsplit("/", 1)[-1]
        for d in graph.objects(dataset, DCAT.distribution)
    }
    assert {"kerncijfers.csv", "kerncijfers.csv-metadata.json", "indicatoren.csv"} <= downloads
    assert {str(s).rsplit("/", 1)[-1] for s in graph.objects(dataset, DCTERMS.spatial)} == {
        "Gorinchem_(gemeente)",
        "Molenlanden_(gemeente)",
        "Vijfheerenlanden_(gemeente)",
    }


def test_broken_open_data_does_not_validate(demo_run, tmp_path):
    """The metadata test can fail: an unknown municipality or a word for a number is caught."""
    import shutil

    for old, new in (("GM0512,", "GM9999,"), (",121,banen", ",honderd,banen")):
        copy = tmp_path / new.strip(",")
        shutil.copytree(demo_run / "open-data", copy, copy_function=shutil.copyfile)  # writable
        data = copy / "kerncijfers.csv"
        data.write_text(data.read_text().replace(old, new, 1))
        try:
            valid = csvw.CSVW(str(copy / "kerncijfers.csv-metadata.json"), validate=True).is_valid
        except ValueError:
            valid = False
        assert not valid, new


def test_the_demo_open_data_protects_small_groups_exactly(demo_delivery, demo_run):
    checked = assert_open_data_protected(demo_delivery, demo_run)
    assert checked["withheld"] > 46  # the small counts of the demo, and their partners


def small_counts(mart: Path) -> int:
    """The cells of the internal mart that are a count of 1 to 4 (or the FTE of so few
    employees), counted here from the table itself."""
    cells = read_table(mart)

    def small(key) -> bool:
        return 0 < float(cells[key]["waarde"]) < MIN_COUNT

    return sum(
        (row["eenheid"] in COUNT_UNITS and key[0] not in NOT_ABOUT_PERSONS and small(key))
        or (key[0] == "sw.fte" and small(("sw.medewerkers", *key[1:])))
        for key, row in cells.items()
    )


def test_the_manifest_the_verantwoording_and_prefect_say_what_was_withheld(demo_run, demo_manifest):
    summary = demo_manifest["geheimhouding"]
    assert summary["regels"] == {
        "geheimhouding_minimum_aantal": 5,
        "geheimhouding_minimum_begunstigden": 5,
        "geheimhouding_dominantie": 0.8,
    }
    with (demo_run / "open-data" / "kerncijfers.csv").open() as handle:
        withheld = sum(line.rstrip("\n").endswith(",true") for line in handle)
    assert summary["geheim"] == withheld == sum(summary["per_reden"].values())
    small = small_counts(demo_run / "marts" / "kerncijfers.csv")
    assert summary["per_reden"]["klein_aantal"] == small > 0
    rows = tables(demo_run / "rapport" / "verantwoording-2019.html")["geheimhouding-regels"]
    by_rule = {r[0]: r[1] for r in rows[1:]}
    assert by_rule["Aantal van 1 tot en met 4"] == getal(small)
    assert by_rule["Totaal niet gepubliceerd"] == str(summary["geheim"])
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["kerncijfers-geheimhouding"])
            )
        )
    assert any(f"{summary['geheim']} van {summary['cellen']} cellen" in a.data for a in artifacts)


def test_the_internal_marts_keep_every_figure(demo_run):
    """The open data withholds; the marts for analysts and auditors do not."""
    with (demo_run / "marts" / "kerncijfers.csv").open() as handle:
        header = handle.readline()
        assert "geheim" not in header
        assert all(line.split(",")[7] != "" for line in handle)


# -- the report from the protected figures -------------------------------------------------------


def started_trajecten(marts: Path, year: int) -> dict[str, int]:
    """Gestarte trajecten schulddienstverlening in the region in `year`, per kind, from the
    internal mart (which withholds nothing)."""
    with duckdb.connect() as con:
        rows = con.execute(
            "select categorie, waarde from read_parquet(?) where indicator = "
            "'schuldhulp.instroom' and gemeente = 'TOTAAL' and periode_eind = ?",
            [str(marts / "kerncijfers.parquet"), dt.date(year, 12, 31)],
        ).fetchall()
    return {categorie: round(waarde) for categorie, waarde in rows}


@pytest.mark.slow
def test_openbaar_renders_the_report_from_the_protected_figures(openbaar_run):
    """Its own run, beside the demo run (the figures it withholds are read from the run's
    internal mart)."""
    out = openbaar_run
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["openbaar"] is True
    graph = rdflib.Graph().parse(out / "open-data" / "dcat.jsonld", format="json-ld")
    assert rdflib.URIRef(CC_BY) in set(graph.objects(None, DCTERMS.license))

    protected = tables(out / "rapport" / "jaarverslag-2019.html")["schuldhulp-instroom"]
    header = protected[0]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in protected[1:]}
    started = started_trajecten(out / "marts", 2018)
    # Eenvoudig 2018: 3 starts in the region, withheld; so is the total over it.
    assert started["EENVOUDIG"] == 3
    assert rows["Eenvoudig"]["2018"] == "."
    assert rows["Totaal"]["2018"] == "."
    assert rows["Eenvoudig"]["Verschil"] == "."
    assert rows["Complex: minnelijk/wettelijk"]["2018"] == str(
        started["COMPLEX_MINNELIJK_WETTELIJK"]
    )
    page = (out / "rapport" / "jaarverslag-2019.html").read_text()
    assert ". geheim: te weinig personen om te publiceren" in page
    assert "Een punt (.) betekent: geheim" in page
    json.loads((out / "manifest.json").read_text())  # whole


def test_the_report_without_openbaar_withholds_nothing(demo_run):
    """The demo run's report, rendered without --openbaar, shows the small numbers that the
    one with it withholds, and no legend for the point."""
    page = demo_run / "rapport" / "jaarverslag-2019.html"
    shown = tables(page)["schuldhulp-instroom"]
    rows = {r[0]: dict(zip(shown[0], r, strict=True)) for r in shown[1:]}
    eenvoudig = started_trajecten(demo_run / "marts", 2018)["EENVOUDIG"]
    assert rows["Eenvoudig"]["2018"] == str(eenvoudig) == "3"
    assert "Een punt (.) betekent" not in page.read_text()
