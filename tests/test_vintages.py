"""Deliveries over time: every published vintage kept, the status of every figure, the
revisions between vintages, municipal reorganisations and breaks in the series."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from demo.writer import write_delivery
from tests.compare import KEY, published_cells
from tests.conftest import run_pipeline
from tests.deliveries import Builder, build_edge_delivery

pytestmark = pytest.mark.slow  # runs the whole pipeline

D = dt.date


def vintages(out) -> dict[D, int]:
    history = pq.read_table(out / "historie" / "kerncijfers.parquet").to_pylist()
    found: dict[D, int] = {}
    for row in history:
        found[row["exportdatum"]] = found.get(row["exportdatum"], 0) + 1
    return found


def test_two_deliveries_two_vintages_and_the_revisions_between_them(tmp_path):
    """Two runs on deliveries with different export dates leave two vintages; a rerun of the
    second leaves still two; revisies lists exactly the cells that differ."""
    later = build_edge_delivery(tmp_path / "2020-12-31", 81)
    earlier = tmp_path / "2020-09-30"
    shutil.copytree(later, earlier)
    # The earlier vintage did not yet know some decisions and bookings of its last quarter
    # (they were registered late); records after its export date it did not know at all.
    for name, column in (
        ("tozo_besluiten.csv", 5),
        ("buig_boekingen.csv", 2),
        ("minima_verstrekkingen.csv", 4),
    ):
        lines = (later / name).read_text().splitlines()
        kept = [lines[0]]
        for number, line in enumerate(lines[1:]):
            day = D(*map(int, line.split(";")[column].split("-")[::-1]))
            if day <= D(2020, 9, 30) and not (day >= D(2020, 1, 1) and number % 2):
                kept.append(line)
        (earlier / name).write_text("\n".join(kept) + "\n")
    out = tmp_path / "out"
    run_pipeline(earlier, out, jaar=2020, extra=(), render_report=False)
    first = published_cells(out / "marts" / "kerncijfers.parquet")
    run_pipeline(later, out, jaar=2020, extra=(), render_report=False)
    assert list(vintages(out)) == [D(2020, 9, 30), D(2020, 12, 31)]
    second = published_cells(out / "marts" / "kerncijfers.parquet")
    revisions = pq.read_table(out / "marts" / "revisies.parquet").to_pylist()
    changed = {tuple(r[k] for k in KEY): (r["vorige_waarde"], r["waarde"]) for r in revisions}
    expected = {
        key: (first[key][0], second[key][0])
        for key in first.keys() & second.keys()
        if abs(first[key][0] - second[key][0]) > 1e-6
    }
    assert expected and changed == expected
    assert all(r["vorige_exportdatum"] == D(2020, 9, 30) for r in revisions)
    assert all(r["verschil"] == pytest.approx(r["waarde"] - r["vorige_waarde"]) for r in revisions)
    run_pipeline(later, out, jaar=2020, extra=(), render_report=False)
    assert vintages(out) == {D(2020, 9, 30): len(first), D(2020, 12, 31): len(second)}
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        assert (
            con.execute("select count(distinct exportdatum) from historie.kerncijfers").fetchone()[
                0
            ]
            == 2
        )


def test_a_failed_run_leaves_the_history_as_it_was(tmp_path, monkeypatch):
    raw = build_edge_delivery(tmp_path / "2020-12-31", 82)
    out = tmp_path / "out"
    run_pipeline(raw, out, jaar=2020, extra=(), render_report=False)
    before = (out / "historie" / "kerncijfers.parquet").read_bytes()
    from pipelines.publish import exports

    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(exports, "export_history", broken)
    other = tmp_path / "2021-01-31"
    shutil.copytree(raw, other)
    with pytest.raises(RuntimeError, match="the disk filled up"):
        run_pipeline(other, out, jaar=2020, extra=(), render_report=False)
    assert (out / "historie" / "kerncijfers.parquet").read_bytes() == before


def test_status_of_the_demo_figures(demo_run):
    """Export 31 March 2021: figures up to 31 December 2020 are definitief (three months),
    those of 1 March 2021 voorlopig."""
    rows = pq.read_table(demo_run / "marts" / "kerncijfers.parquet").to_pylist()
    status = {(r["periode_eind"], r["status"]) for r in rows}
    assert {s for d, s in status if d <= D(2020, 12, 31)} == {"definitief"}
    assert {s for d, s in status if d == D(2021, 3, 1)} == {"voorlopig"}


def test_the_demo_has_two_vintages_and_revisions(demo_run):
    assert list(vintages(demo_run)) == [D(2020, 12, 31), D(2021, 3, 31)]
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        runs = con.execute(
            "select count(distinct run_id) from historie.kerncijfers "
            "where exportdatum = '2021-03-31'"
        ).fetchone()[0]
    assert runs == 2  # the reports of 2020 and 2019 from one delivery: one vintage
    text = (demo_run / "rapport" / "verantwoording-2020.html").read_text()
    section = text[text.index('id="herzieningen"') : text.index('id="vergelijking"')]
    assert "Ten opzichte van de jaargang van de levering van 31 december 2020 zijn" in section
    assert 'id="herzieningen-definitief"' in section


def predecessor_codes(tables: dict) -> None:
    """The same delivery as a real extract of 2012-2020: records that ended before 2019 carry
    the code of the municipality they were registered in then."""
    predecessors = {"GM1978": "GM0689", "GM1961": "GM0545"}
    for table, column in (
        ("uitkeringen", "einddatum"),
        ("schuldhulp_producten", "einddatum"),
        ("sw_dienstverbanden", "einddatum"),
        ("minima_verstrekkingen", "betaaldatum"),
        ("buig_boekingen", "boekdatum"),
        ("tozo_besluiten", "besluitdatum"),
    ):
        for record in tables[table]:
            if record[column] is not None and record[column] < D(2019, 1, 1):
                record["gemeente_code"] = predecessors.get(
                    record["gemeente_code"], record["gemeente_code"]
                )


def test_predecessor_codes_give_the_same_figures(tmp_path):
    builder = Builder(83)
    for _ in range(150):
        builder.household_history()
    builder.sw()
    builder.money()
    write_delivery(tmp_path / "vandaag", builder.tables)
    predecessor_codes(builder.tables)
    write_delivery(tmp_path / "toen", builder.tables)
    assert (tmp_path / "toen" / "uitkeringen.csv").read_text().count("GM0545") > 5
    run_pipeline(tmp_path / "vandaag", tmp_path / "a", render_report=False)
    run_pipeline(tmp_path / "toen", tmp_path / "b", render_report=False)
    assert (tmp_path / "a" / "marts" / "kerncijfers.csv").read_bytes() == (
        tmp_path / "b" / "marts" / "kerncijfers.csv"
    ).read_bytes()


def test_the_series_breaks_where_vianen_was_not_served(demo_run):
    rows = pq.read_table(demo_run / "marts" / "kerncijfers.parquet").to_pylist()
    breaks = {(r["gemeente"], r["periode_eind"]) for r in rows if r["reeksbreuk"]}
    assert ("GM1961", D(2019, 12, 31)) in breaks and ("TOTAAL", D(2019, 12, 31)) in breaks
    assert not any(g in ("GM0512", "GM1978") for g, _d in breaks)
    assert not any(d >= D(2020, 1, 1) for _g, d in breaks)
    text = (demo_run / "rapport" / "factsheet-vijfheerenlanden-2019.html").read_text()
    assert (
        "de cijfers van Vijfheerenlanden tot en met 31-12-2019 omvatten de voormalige "
        "gemeente Vianen niet" in text
    )
