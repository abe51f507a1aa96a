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

from demo.writer import write_delivery
from pipelines.intake.reference import ReferenceError, check_reference, read_reference
from pipelines.organisation import load as load_organisation
from tests.clirun import kerncijfers, run_args
from tests.compare import KEY
from tests.conftest import REFERENCE
from tests.test_ingest import valid_tables

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


FIGURE = (
    "{indicator: bijstand.uitkeringen, gemeente: TOTAAL, periode_eind: 2019-12-31, "
    "waarde: 1, status: exact}"
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, "No such file or directory"),
        ("", "holds no list 'figuren'"),
        ("- 1\n- 2\n", "holds no list 'figuren'"),
        ("figuren: {a: 1}\n", "holds no list 'figuren'"),
        ("figuren: [\n", "not valid YAML"),
        ("figuren:\n  - een getal\n", "figure 1: not a figure"),
        ("figuren:\n  - {indicator: bijstand.uitkeringen}\n", "every figure needs"),
        (f"figuren: [{FIGURE.replace('TOTAAL', 'GM9999')}]\n", "gemeente 'GM9999'"),
        (f"figuren: [{FIGURE.replace('bijstand.', 'bijstandd.')}]\n", "not in the catalogue"),
        (f"figuren: [{FIGURE}]\n# \xe9\n".encode("latin-1"), "not UTF-8 encoded"),
    ],
)
def test_a_reference_file_that_cannot_be_used_is_named_in_one_line(tmp_path, text, problem):
    """Not a traceback: an empty file, or one of another form, raised AttributeError once."""
    path = tmp_path / "referentie.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    elif text is not None:
        path.write_text(text)
    with pytest.raises(ReferenceError) as caught:
        check_reference(path, load_organisation().member_codes)
    message = str(caught.value)
    assert message.startswith(f"reference file {path}") and "\n" not in message
    assert problem in message


def test_the_cli_refuses_an_empty_reference_file_with_exit_65(tmp_path):
    write_delivery(tmp_path / "raw", valid_tables())
    (tmp_path / "leeg.yaml").write_text("")
    result = kerncijfers(
        *run_args(tmp_path / "raw", tmp_path / "out"),
        *("--reference", str(tmp_path / "leeg.yaml")),
        timeout=120,
    )
    assert result.returncode == 65, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"kerncijfers: error: reference file {tmp_path / 'leeg.yaml'}: holds no list 'figuren' "
        "(see data/reference/jaarverslag-2019.yaml for the form)"
    ]
    assert not (tmp_path / "out").exists()
