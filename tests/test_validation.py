"""pandera: a published table that breaks a rule stops publication, naming every failure."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.compute.validate import (
    ValidationError,
    read_table,
    validate_frame,
    validate_warehouse,
)
from pipelines.organisation import load as load_organisation
from schemas.kerncijfers import Bestanden, for_members

Kerncijfers = for_members(load_organisation().member_codes)


@pytest.fixture(scope="module")
def mart(demo_run) -> pd.DataFrame:
    return read_table(demo_run / "warehouse.duckdb", "marts.kerncijfers")


def failures(frame: pd.DataFrame, model=Kerncijfers) -> dict[str, int]:
    return {r.check: r.failures for r in validate_frame("t", frame, model) if not r.passed}


def test_the_demo_mart_passes(demo_run):
    results = validate_warehouse(demo_run / "warehouse.duckdb")
    assert results and all(r.passed for r in results)


def test_every_broken_rule_is_named_at_once(mart):
    broken = mart.copy()
    member = broken.index[(broken["gemeente"] == "GM0512") & (broken["eenheid"] == "uitkeringen")][
        0
    ]
    broken.loc[member, "waarde"] = broken.loc[member, "waarde"] + 0.5  # not whole; TOTAAL off
    broken.loc[broken.index[1], "eenheid"] = "euro"  # wrong unit
    broken.loc[broken.index[2], "gemeente"] = "GM9999"  # not a member
    broken = broken.drop(index=broken.index[-1])  # a cell without its TOTAAL
    found = failures(broken)
    assert "counts are whole numbers of zero or more; FTE is never negative" in found
    assert "TOTAAL differs from the sum of the member municipalities" in found
    assert "eenheid differs from the catalogue (seed indicatoren)" in found
    assert "gemeente: isin" in found
    assert (
        "the cube is incomplete: a cell lacks a member municipality or TOTAAL "
        "(a regional figure has TOTAAL only)"
    ) in found


def test_stock_and_flow_periods(mart):
    broken = mart.copy()
    stock = broken.index[broken["indicator"] == "bijstand.uitkeringen"][0]
    broken.loc[stock, "periode_begin"] = broken.loc[stock, "periode_eind"]
    assert (
        "a stock indicator has no periode_begin; a flow indicator has one, "
        "on or before periode_eind" in failures(broken)
    )


def test_duplicate_rows(mart):
    assert any(
        k.startswith("unique") for k in failures(pd.concat([mart, mart.head(1)], ignore_index=True))
    )


def test_row_accounting():
    files = pd.DataFrame(
        {
            "bestand": ["a.csv"],
            "rijen": [10],
            "geaccepteerd": [7],
            "afgekeurd": [2],
            "sha256": ["0" * 64],
        }
    )
    assert "rows = accepted + set aside" in failures(files, Bestanden)


def test_validation_error_lists_failures(demo_run, tmp_path, monkeypatch):
    import pipelines.compute.validate as validate

    original = validate.read_table

    def broken_read(warehouse, table):
        frame = original(warehouse, table)
        if table == "marts.kerncijfers":
            frame.loc[0, "waarde"] = -1.0
        return frame

    monkeypatch.setattr(validate, "read_table", broken_read)
    with pytest.raises(ValidationError) as caught:
        validate_warehouse(demo_run / "warehouse.duckdb")
    assert "nothing published" in str(caught.value)
    assert "counts are whole numbers" in str(caught.value)
