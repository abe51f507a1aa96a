"""No direct identifier reaches any file a run writes: the warehouse, the marts, the report,
the audit trail, the logs and the Prefect artifacts."""

from __future__ import annotations

import asyncio

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.clirun import kerncijfers, run_args
from tests.deliveries import build_edge_delivery
from tests.test_outputs import COLUMNS

pytestmark = pytest.mark.slow  # runs the whole pipeline

# Each passes the 11-test, as a real citizen service number would.
BSNS = ("708720353", "739324688", "254256338")
# One more, in the notations people write it in.
BSN = "123456782"
NOTATIONS = [
    "123.456.782",
    "123-456-782",
    "123 456 782",
    "0123456782",
    "NL123456782",
    "１２３４５６７８２",  # full-width digits
    "1234.56.782",
]


def strings_in_warehouse(path) -> str:
    """Every text value of every table, as one text (DuckDB compresses what it stores, so a
    byte search of the file alone could miss a value)."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' "
            "and table_schema not in ('information_schema', 'pg_catalog')"
        ).fetchall()
        return "\n".join(
            str(con.execute(f'select list("{c}") from "{s}"."{t}"').fetchone()[0])
            for s, t, c in columns
        )


def prefect_logs_and_artifacts() -> str:
    from prefect import get_client

    async def read() -> str:
        async with get_client() as client:
            logs = await client.read_logs(limit=200)
            offset, texts = 0, []
            while logs:
                texts += [log.message for log in logs]
                offset += len(logs)
                logs = await client.read_logs(limit=200, offset=offset)
            artifacts = await client.read_artifacts(limit=200)
            return "\n".join(texts + [str(a.data) for a in artifacts])

    return asyncio.run(read())


def test_no_number_that_looks_like_a_bsn_reaches_any_output(tmp_path):
    """The issue's reproduction: a duplicated BSN-like client_id, one in a date field, one as
    the id of a payment; and one in every notation, as a client id and in a code column. The
    run goes on, and none of the numbers is written anywhere, in any notation."""
    raw, out = build_edge_delivery(tmp_path / "raw", 52), tmp_path / "out"
    with (raw / "personen.csv").open("a", encoding="utf-8") as handle:
        handle.write("708720353;01-01-1980;NL\n708720353;01-01-1981;NL\nCX1;739324688;NL\n")
        for number, notation in enumerate(NOTATIONS):
            handle.write(f"{notation};01-01-1980;NL\n")  # as a client id
            handle.write(f"x{number};01-01-1980;{notation}\n")  # in a code column
    with (raw / "minima_verstrekkingen.csv").open("a", newline="") as handle:
        handle.write("254256338;GM9999;CZV;BX1;15-03-2020;10,00\r\n")
    result = kerncijfers(*run_args(raw, out, 2020))
    assert result.returncode == 0, result.stderr[-3000:]
    files = [p for p in out.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.name == "warehouse.duckdb" for p in files)
    assert any(p.name == "afgekeurde_rijen.csv" for p in files)
    for path in files:
        data = path.read_bytes()
        for bsn in BSNS:
            assert bsn.encode() not in data, f"{path} holds {bsn}"
    texts = {
        "the warehouse's values": strings_in_warehouse(out / "warehouse.duckdb"),
        "the run's output": result.stdout + result.stderr,
        "Prefect's logs and artifacts": prefect_logs_and_artifacts(),
    } | {
        str(path): path.read_bytes().decode("utf-8", errors="replace")
        for path in files
        if path.suffix not in {".duckdb", ".parquet", ".pdf", ".png"}
    }
    for where, text in texts.items():
        for bsn in (*BSNS, *NOTATIONS):
            assert bsn not in text, f"{where} hold {bsn}"
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        reasons = con.execute("select reden from raw.afgekeurde_rijen").fetchall()
    # The three rows above and both rows of each notation are set aside, with their reason.
    assert sum("mogelijk_bsn" in reden for (reden,) in reasons) == 4 + 2 * len(NOTATIONS)


def test_the_bsn_rule_is_the_same_in_sql_and_in_messages():
    from pipelines import privacy
    from pipelines.errors import one_line

    samples = [*NOTATIONS, BSN, "u634675931", "12-04-2021", "12345678", "id 123456782 en 2021"]
    with duckdb.connect() as con:
        privacy.define_in(con)
        for text in samples:
            in_sql = con.execute("select zonder_bsn(?), lijkt_op_bsn(?)", [text, text]).fetchone()
            assert in_sql == (privacy.without_bsn(text), privacy.looks_like_bsn(text)), text
    assert "123456782" not in one_line(f"the value {BSN} is not a code")
    assert one_line("u634675931") == "u634675931"  # an id's digits run on from its letters


def test_the_published_mart_holds_aggregates_only(demo_run):
    table = pq.read_table(demo_run / "marts" / "kerncijfers.parquet")
    assert table.column_names == COLUMNS
    assert set(table.column("gemeente").to_pylist()) == {"GM0512", "GM1978", "GM1961", "TOTAAL"}
