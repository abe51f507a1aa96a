"""What a run publishes: the mart as Parquet and CSV, the warehouse and the manifest."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.intake.contract import FILE_NAMES


def test_published_files(demo_run):
    assert (demo_run / "warehouse.duckdb").is_file()
    assert (demo_run / "marts" / "kerncijfers.parquet").is_file()
    assert (demo_run / "marts" / "kerncijfers.csv").is_file()
    assert (demo_run / "manifest.json").is_file()
    # The run's work folder is gone; nothing half-finished is left beside the publication.
    assert not list((demo_run / ".kerncijfers" / "runs").iterdir())


def test_published_files_are_read_only(demo_run):
    """Every file of every publication, the warehouse included, has no write permission: the
    manifest holds its hash, and later publications share it."""
    files = [p for p in (demo_run / "publicaties").rglob("*") if p.is_file() and not p.is_symlink()]
    assert len(files) > 100
    writable = [str(p.relative_to(demo_run)) for p in files if p.stat().st_mode & 0o222]
    assert writable == []


REPOSITORY = Path(__file__).resolve().parent.parent


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPOSITORY, capture_output=True, text=True)


def test_a_run_in_data_leaves_the_clone_clean(demo_run):
    """`make report` publishes in data/: git must see nothing new there. data/marts is tracked
    as the very link a run makes; everything else a run writes in its output folder is
    ignored."""
    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        pytest.skip("not a git clone")
    tracked = git("ls-files", "--stage", "data/marts").stdout.split()
    assert tracked[:1] == ["120000"], "data/marts must be tracked as a symbolic link"
    assert git("cat-file", "-p", tracked[1]).stdout == os.readlink(demo_run / "marts")
    for entry in sorted(demo_run.iterdir()):
        if entry.name == "marts":
            continue
        path = f"data/{entry.name}" + ("/" if entry.is_dir() and not entry.is_symlink() else "")
        ignored = git("check-ignore", "--no-index", "--quiet", path).returncode == 0
        assert ignored, f"{path}, which a run writes, is not in .gitignore"


# The columns of the published table, as indicators.md fixes them: no id of any record.
COLUMNS = [
    "indicator",
    "gemeente",
    "periode_begin",
    "periode_eind",
    "categorie",
    "leeftijdsklasse",
    "duurklasse",
    "waarde",
    "eenheid",
    "status",
    "reeksbreuk",
]


def test_parquet_columns_and_types(demo_run):
    table = pq.read_table(demo_run / "marts" / "kerncijfers.parquet")
    assert table.column_names == COLUMNS
    types = {f.name: str(f.type) for f in table.schema}
    assert types["periode_begin"] == types["periode_eind"] == "date32[day]"
    assert types["waarde"] == "double"


def test_csv_is_plain_open_data(demo_run):
    path = demo_run / "marts" / "kerncijfers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = pq.read_table(demo_run / "marts" / "kerncijfers.parquet").to_pylist()
    assert len(rows) == len(table)
    first_stock = next(r for r in rows if r["indicator"] == "bijstand.uitkeringen")
    assert first_stock["periode_begin"] == ""  # empty for null
    dt.date.fromisoformat(first_stock["periode_eind"])  # ISO dates
    for row, parquet_row in zip(rows, table, strict=True):
        assert float(row["waarde"]) == parquet_row["waarde"]
        if parquet_row["eenheid"] not in ("euro", "fte"):
            assert "." not in row["waarde"]  # counts are whole numbers: 849, not 849.0
        assert row["status"] == parquet_row["status"]
        assert row["reeksbreuk"] == ("true" if parquet_row["reeksbreuk"] else "false")


def test_manifest_accounts_for_every_row(demo_run, demo_manifest, demo_delivery):
    files = demo_manifest["files"]
    assert set(files) == set(FILE_NAMES)
    for name, counts in files.items():
        assert counts["rows"] == counts["accepted"] + counts["rejected"]
        with (demo_delivery / name).open(encoding="utf-8") as handle:
            assert counts["rows"] == sum(1 for _ in handle) - 1
    assert set(demo_manifest["hashes"]) == set(FILE_NAMES)
    assert demo_manifest["parameters"]["jaar"] == 2019
    assert demo_manifest["parameters"]["extra_peildata"] == ["2021-03-01"]
    assert demo_manifest["delivery"]["exportdatum"] == "2021-03-31"
    assert demo_manifest["delivery"]["exportdatum_bron"] == "mapnaam"
    for package in ("duckdb", "dbt-core", "dbt-duckdb", "pandera", "prefect", "python"):
        assert demo_manifest["versions"][package]
    assert demo_manifest["validation"]["failed"] == 0
    assert demo_manifest["dbt"]["tests_failed"] == 0


def test_warehouse_holds_sources_and_marts(demo_run):
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        tables = {
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
    for name in (
        "raw.uitkeringen",
        "raw.afgekeurde_rijen",
        "raw.bestanden",
        "raw.levering",
        "marts.kerncijfers",
        "marts.reconciliatie",
        "intermediate.int_bijstand_perioden",
    ):
        assert name in tables
