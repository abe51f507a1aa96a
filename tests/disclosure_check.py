"""An independent check of the open data's disclosure control, for the tests.

It reads what a run published (``open-data/kerncijfers.csv`` and the internal
``marts/kerncijfers.csv``) and the delivery's payments, and checks with its own code:

- the open data has the mart's rows and columns plus ``geheim``; a published cell has the
  mart's value, a withheld one an empty value;
- no count cell shows 1 to 4, no FTE cell of 1 to 4 employees is shown, and no euro cell of
  the minima schemes paid to fewer than 5 beneficiaries, or with one beneficiary holding more
  than 80 %, is shown;
- no withheld cell is derivable: every set of cells that adds up (the municipalities and
  TOTAAL, the tertials and the year, the classes and their total, aanvragers plus partners)
  is an equation; restricted to the withheld cells, a cell is derivable exactly when adding
  its unit vector to the equations does not raise their rank (exact rational arithmetic,
  over every set, not a sample). The sets are built here from the table itself, and each is
  checked to add up in the internal mart, so the check does not rely on the pipeline's own
  list of sets.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from tests.oracle import amount, date, read

COUNT_UNITS = {
    "personen",
    "uitkeringen",
    "huishoudens",
    "kinderen",
    "medewerkers",
    "trajecten",
    "besluiten",
    "banen",
}
NOT_ABOUT_PERSONS = {"banenafspraak.doelstelling"}  # a target for the region
TERTIAL_SUMS = {"bijstand.instroom", "bijstand.uitstroom"}
CLASS_SUMS = {
    "bijstand.uitkeringen_naar_leeftijd": "bijstand.uitkeringen",
    "bijstand.personen_naar_leeftijd_duur": "bijstand.personen",
}
MIN_COUNT, MIN_BENEFICIARIES, DOMINANCE = 5, 5, 0.8

Key = tuple[str, ...]


def read_table(path: Path) -> dict[Key, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        (
            r["indicator"],
            r["gemeente"],
            r["periode_begin"],
            r["periode_eind"],
            r["categorie"],
            r["leeftijdsklasse"],
            r["duurklasse"],
        ): r
        for r in rows
    }


def additive_sets(cells: dict[Key, dict[str, str]]) -> list[tuple[Key, list[Key]]]:
    """(total, parts) for every set of cells that adds up, found from the keys alone."""
    sets: list[tuple[Key, list[Key]]] = []
    by_rest: dict[Key, list[Key]] = defaultdict(list)
    for key in cells:
        by_rest[(key[0], *key[2:])].append(key)
    for rest, keys in by_rest.items():
        total = (rest[0], "TOTAAL", *rest[1:])
        members = [k for k in keys if k[1] != "TOTAAL"]
        if total in cells and members:
            sets.append((total, members))
    for key in cells:
        indicator, gemeente, begin, end = key[:4]
        if indicator in TERTIAL_SUMS and begin.endswith("-01-01") and end.endswith("-12-31"):
            parts = [
                k
                for k in cells
                if k[0] == indicator
                and k[1] == gemeente
                and k[4:] == key[4:]
                and k[2][:4] == begin[:4]
                and k != key
                and k[2]
            ]
            if parts:
                sets.append((key, parts))
    for part_indicator, total_indicator in CLASS_SUMS.items():
        for key in cells:
            if key[0] == total_indicator:
                parts = [k for k in cells if k[0] == part_indicator and k[1:4] == key[1:4]]
                sets.append((key, parts))
    for key in cells:
        if key[0] == "bijstand.personen":
            sets.append(
                (key, [("bijstand.uitkeringen", *key[1:]), ("bijstand.partners", *key[1:])])
            )
    return sets


def rank(rows: list[dict[Key, Fraction]]) -> int:
    """The rank of sparse rational rows (Gaussian elimination)."""
    pivots: dict[Key, dict[Key, Fraction]] = {}
    for row in rows:
        row = dict(row)
        while row:
            lead = min(row)
            if lead not in pivots:
                scale = row[lead]
                pivots[lead] = {k: v / scale for k, v in row.items()}
                break
            factor = row[lead]
            for k, v in pivots[lead].items():
                new = row.get(k, Fraction(0)) - factor * v
                if new:
                    row[k] = new
                else:
                    row.pop(k, None)
    return len(pivots)


def derivable_cells(sets: list[tuple[Key, list[Key]]], withheld: set[Key]) -> set[Key]:
    """The withheld cells whose value follows from the published ones, per connected group."""
    equations = []
    for total, parts in sets:
        row: dict[Key, Fraction] = defaultdict(Fraction)
        row[total] += 1
        for p in parts:
            row[p] -= 1
        row = {k: v for k, v in row.items() if k in withheld and v}
        if row:
            equations.append(row)
    # connected groups of withheld cells (cells that share an equation)
    group: dict[Key, int] = {}
    members: dict[int, set[Key]] = {}
    for i, row in enumerate(equations):
        joined = {group[k] for k in row if k in group} | {i}
        target = min(joined)
        cells = set(row)
        for g in joined:
            cells |= members.pop(g, set())
        members[target] = cells
        for k in cells:
            group[k] = target
    found = set()
    for g, cells in members.items():
        rows = [row for row in equations if group[next(iter(row))] == g]
        base = rank(rows)
        for cell in cells:
            if rank([*rows, {cell: Fraction(1)}]) == base:
                found.add(cell)
    return found


def beneficiaries(raw_dir: Path, members: set[str]) -> dict[Key, tuple[int, float]]:
    """Per euro cell of minima.uitgaven: beneficiaries with a non-zero net amount, and the
    largest one's share of the absolute net amounts."""
    net: dict[tuple, float] = defaultdict(float)
    for p in read(raw_dir, "minima_verstrekkingen.csv"):
        if p["gemeente_code"] not in members:
            continue
        year = date(p["betaaldatum"]).year
        for gemeente in (p["gemeente_code"], "TOTAAL"):
            net[(gemeente, year, p["regeling"], p["begunstigde_id"])] += amount(p["bedrag"])
    cells: dict[tuple, list[float]] = defaultdict(list)
    for (gemeente, year, regeling, _who), value in net.items():
        if abs(value) > 0.000001:
            cells[(gemeente, year, regeling)].append(abs(value))
    return {
        (
            "minima.uitgaven",
            gemeente,
            dt.date(year, 1, 1).isoformat(),
            dt.date(year, 12, 31).isoformat(),
            regeling,
            "",
            "",
        ): (len(values), max(values) / sum(values))
        for (gemeente, year, regeling), values in cells.items()
    }


def assert_open_data_protected(raw_dir: Path, output_dir: Path) -> dict[str, int]:
    """Every promise of the open data, checked; returns what was checked, for the caller."""
    full = read_table(output_dir / "marts" / "kerncijfers.csv")
    open_ = read_table(output_dir / "open-data" / "kerncijfers.csv")
    assert open_.keys() == full.keys(), "the open data must have the mart's rows"
    withheld = {k for k, r in open_.items() if r["geheim"] == "true"}
    for key, row in open_.items():
        assert row["geheim"] in ("true", "false"), key
        expected = "" if key in withheld else full[key]["waarde"]
        assert row["waarde"] == expected, (key, row["waarde"], expected)
        assert {c: v for c, v in row.items() if c not in ("waarde", "geheim")} == {
            c: v for c, v in full[key].items() if c != "waarde"
        }, key

    def small(value: str) -> bool:
        return 0 < float(value) < MIN_COUNT

    for key, row in full.items():
        if (
            row["eenheid"] in COUNT_UNITS
            and key[0] not in NOT_ABOUT_PERSONS
            and small(row["waarde"])
        ):
            assert key in withheld, f"count {row['waarde']} published: {key}"
        if key[0] == "sw.fte" and small(full[("sw.medewerkers", *key[1:])]["waarde"]):
            assert key in withheld, f"FTE of fewer than {MIN_COUNT} employees published: {key}"
    members = {k[1] for k in full if k[1] != "TOTAAL"}
    payments = beneficiaries(raw_dir, members)
    magnitude = 0
    for key, (count, share) in payments.items():
        if key in full and (count < MIN_BENEFICIARIES or share > DOMINANCE):
            magnitude += 1
            assert key in withheld, f"euro cell of {count} beneficiaries published: {key}"
    sets = additive_sets(full)
    for total, parts in sets:
        values = [float(full[p]["waarde"]) for p in parts]
        assert abs(float(full[total]["waarde"]) - sum(values)) < 1e-6, (total, "does not add up")
    exposed = derivable_cells(sets, withheld)
    assert not exposed, f"{len(exposed)} withheld cell(s) derivable: {sorted(exposed)[:5]}"
    return {
        "cells": len(full),
        "withheld": len(withheld),
        "sets": len(sets),
        "magnitude": magnitude,
    }
