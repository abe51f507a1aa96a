"""No direct identifier reaches the warehouse, the marts, the report or the audit trail."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq

from pipelines.demo.writer import write_delivery
from tests.conftest import run_pipeline
from tests.deliveries import Builder
from tests.test_outputs import COLUMNS

BSN = "123456782"  # passes the 11-test, as a real citizen service number would


def test_a_bsn_in_an_id_column_is_set_aside_and_never_stored(tmp_path):
    builder = Builder(51)
    for _ in range(40):
        builder.household_history()
    builder.tables["personen"].append(
        {"client_id": BSN, "geboortedatum": dt.date(1980, 1, 1), "verblijfstitel": "NL"}
    )
    write_delivery(tmp_path / "raw", builder.tables)
    with (tmp_path / "raw" / "tozo_besluiten.csv").open("a") as handle:
        handle.write(f"t-x;{BSN};GM0512;TOZO1;LEVENSONDERHOUD;01-04-2020\n")  # malformed too
    manifest = run_pipeline(tmp_path / "raw", tmp_path / "out")
    assert manifest["files"]["personen.csv"]["rejected"] == 1
    assert manifest["files"]["tozo_besluiten.csv"]["rejected"] == 1
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert BSN.encode() not in path.read_bytes(), f"{path} holds the BSN"


def test_the_published_mart_holds_aggregates_only(demo_run):
    table = pq.read_table(demo_run / "marts" / "kerncijfers.parquet")
    assert table.column_names == COLUMNS
    assert set(table.column("gemeente").to_pylist()) == {"GM0512", "GM1978", "GM1961", "TOTAAL"}
