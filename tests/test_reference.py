"""The demo run reproduces the published figures of the 2019 annual report.

Every figure marked `exact` in data/reference/jaarverslag-2019.yaml must be reproduced (euros
after rounding as published); a failure names every figure that differs. Figures marked
`inconsistent` are ones where the publication contradicts itself: the demo follows the
factsheets, and the reconciliation shows both values.
"""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.reference import read_reference
from tests.compare import KEY
from tests.conftest import REFERENCE

FIGURES = read_reference(REFERENCE)


def computed(cells: dict, figure: dict) -> float | None:
    duur = figure["duurklassen"]
    matches = [
        value
        for (ind, gem, begin, end, cat, age, dur), value in cells.items()
        if (ind, gem, begin, end, cat, age)
        == (
            figure["indicator"],
            figure["gemeente"],
            figure["periode_begin"],
            figure["periode_eind"],
            figure["categorie"],
            figure["leeftijdsklasse"],
        )
        and (dur in duur if duur else dur is None)
    ]
    if not matches:
        return None
    value = sum(matches)
    if figure["afronding"]:
        value = round(value / figure["afronding"]) * figure["afronding"]
    return value


@pytest.fixture(scope="module")
def cells(demo_run) -> dict:
    rows = pq.read_table(demo_run / "marts" / "kerncijfers.parquet").to_pylist()
    return {tuple(r[k] for k in KEY): r["waarde"] for r in rows}


def describe(figure: dict) -> str:
    parts = [figure["indicator"], figure["gemeente"], str(figure["periode_eind"])]
    parts += [str(p) for p in (figure["categorie"], figure["leeftijdsklasse"]) if p]
    return " / ".join(parts)


def test_reference_file_has_the_published_figures():
    exact = [f for f in FIGURES if f["status"] == "exact"]
    assert len(exact) == 216
    assert len(FIGURES) == 230


def test_demo_reproduces_every_exact_figure(cells):
    differing = []
    for figure in FIGURES:
        if figure["status"] != "exact":
            continue
        value = computed(cells, figure)
        if value != figure["waarde"]:
            differing.append(f"{describe(figure)}: published {figure['waarde']}, computed {value}")
    assert not differing, f"{len(differing)} exact figure(s) differ:\n" + "\n".join(differing)


def test_inconsistent_figures_follow_the_factsheets(cells):
    """The report's totals of persons differ from its factsheets; the demo follows the
    factsheets, so the totals equal the sum of the published factsheet figures."""
    by_key = {(f["indicator"], f["gemeente"], f["periode_eind"]): f["waarde"] for f in FIGURES}
    for figure in FIGURES:
        if figure["status"] == "inconsistent" and figure["indicator"] == "bijstand.personen":
            factsheets = sum(
                by_key[("bijstand.personen", g, figure["periode_eind"])]
                for g in ("GM0512", "GM1978", "GM1961")
            )
            assert computed(cells, figure) == factsheets != figure["waarde"]


def test_age_duration_table_follows_the_publication_in_proportion(cells):
    table = [f for f in FIGURES if f["indicator"] == "bijstand.personen_naar_leeftijd_duur"]
    published_total = sum(f["waarde"] for f in table)
    computed_total = sum(computed(cells, f) for f in table)
    for figure in table:
        expected = figure["waarde"] * computed_total / published_total
        assert abs(computed(cells, figure) - expected) < 1, describe(figure)


def test_reconciliation_model_agrees(demo_run):
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select status, komt_overeen, count(*) from marts.reconciliatie group by all"
        ).fetchall()
    counts = {(status, agree): n for status, agree, n in rows}
    assert counts.get(("exact", True)) == 216
    assert ("exact", False) not in counts
    assert counts.get(("inconsistent", False)) == 14
