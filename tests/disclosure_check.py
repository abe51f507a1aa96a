"""An independent check of the open data's disclosure control, for the tests.

It reads what a run published (``open-data/kerncijfers.csv`` and the internal
``marts/kerncijfers.csv``) and the delivery's payments, and checks with its own code:

- the open data has the mart's rows and columns plus ``geheim``; a published cell has the
  mart's value, a withheld one an empty value;
- no count cell shows 1 to 4, no FTE cell of 1 to 4 employees is shown, and no euro cell of
  the minima schemes paid to fewer than 5 beneficiaries, or with one beneficiary holding more
  than 80 %, is shown;
- no withheld cell is derivable: every set of cells that adds up (the municipalities and
  TOTAAL, the tertials and the year, the classes and their total, aanvragers plus partners,
  the outflow over its categories, durations and re-entry windows) is an equation;
  restricted to the withheld cells, a cell is derivable exactly when adding its unit vector
  to the equations does not raise their rank (exact rational arithmetic, over every set, not
  a sample). The sets are built here from the table itself, and each is checked to add up in
  the internal mart, so the check does not rely on the pipeline's own list of sets;
- no group of 1 to 4 people that no cell shows is derivable either: a cohort's inflow less
  those still on bijstand after n years, and those still on after n less those after m (per
  age class and over all), who came back within 12 or 24 months and who did not within 6 or
  12, a period's whole outflow. Each is a sum of cells with signs; it is derivable when its
  vector on the withheld cells is zero or lies in the span of the equations.
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
TERTIAL_SUMS = {"bijstand.instroom", "bijstand.uitstroom", "bijstand.uitstroom_naar_duur"}
COHORT, STILL = "bijstand.instroomcohort", "bijstand.cohort_nog_in_bijstand"
OUTFLOW_SPLITS = ("bijstand.uitstroom", "bijstand.uitstroom_naar_duur", "bijstand.herinstroom")
WINDOWS = ("BINNEN_6_MAANDEN", "6_TOT_12_MAANDEN", "12_TOT_24_MAANDEN", "NIET_BINNEN_24_MAANDEN")
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


Vector = dict[Key, int]


def by_cell(cells: dict[Key, dict[str, str]], indicator: str) -> dict[tuple, list[Key]]:
    """An indicator's keys grouped by (gemeente, periode_begin, periode_eind)."""
    found: dict[tuple, list[Key]] = defaultdict(list)
    for key in cells:
        if key[0] == indicator:
            found[key[1:4]].append(key)
    return found


def equal_sums(cells: dict[Key, dict[str, str]]) -> list[tuple[list[Key], list[Key]]]:
    """(left, right): sets of cells whose sums are equal though neither is a cell: the outflow
    over its categories, its duration classes and its re-entry windows; a year's instroom
    cohort over the age classes and the year's instroom."""
    pairs = []
    splits = {indicator: by_cell(cells, indicator) for indicator in OUTFLOW_SPLITS}
    first = splits[OUTFLOW_SPLITS[0]]
    for other in OUTFLOW_SPLITS[1:]:
        for where, keys in splits[other].items():
            base = first.get(where) or splits[OUTFLOW_SPLITS[1]].get(where)
            if base and base != keys:
                pairs.append((base, keys))
    inflow = by_cell(cells, "bijstand.instroom")
    for where, keys in by_cell(cells, COHORT).items():
        if where in inflow:
            pairs.append((keys, inflow[where]))
    return pairs


def groups(cells: dict[Key, dict[str, str]]) -> list[tuple[str, Vector]]:
    """The groups of people a reader can compute from cells that show none of them, each as a
    vector of cells with signs."""
    found: list[tuple[str, Vector]] = []
    chains: dict[tuple, dict[int, Vector]] = defaultdict(lambda: defaultdict(dict))
    for key in cells:
        if key[0] == COHORT:
            step = 0
        elif key[0] == STILL:
            step = int(key[4].split("_")[1])
        else:
            continue
        for age in (key[5], "alle"):  # per age class, and over all
            chains[(*key[1:4], age)][step][key] = 1
    for where, chain in chains.items():
        steps = sorted(chain)
        for i, a in enumerate(steps):
            if where[-1] == "alle":
                found.append((f"cohort {where} step {a} over all ages", dict(chain[a])))
            for b in steps[i + 1 :]:
                vector = dict(chain[a])
                for key, sign in chain[b].items():
                    vector[key] = vector.get(key, 0) - sign
                found.append((f"cohort {where}: left between step {a} and {b}", vector))
    for where, keys in by_cell(cells, "bijstand.herinstroom").items():
        order = {k[4]: k for k in keys}
        windows = [order[w] for w in WINDOWS if w in order]
        for n in range(2, len(windows)):
            found.append(
                (f"re-entry {where}: back within window {n}", dict.fromkeys(windows[:n], 1))
            )
        for n in range(1, len(windows) - 1):
            found.append(
                (f"re-entry {where}: not back within window {n}", dict.fromkeys(windows[n:], 1))
            )
    for indicator in OUTFLOW_SPLITS:
        for where, keys in by_cell(cells, indicator).items():
            found.append((f"outflow {where} ({indicator})", dict.fromkeys(keys, 1)))
    return found


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


def equations_on(
    sets: list[tuple[Key, list[Key]]],
    pairs: list[tuple[list[Key], list[Key]]],
    withheld: set[Key],
) -> list[dict[Key, Fraction]]:
    """Every set and every pair of equal sums as an equation, restricted to the withheld
    cells (the published ones are known)."""
    equations = []
    for left, right in [*(([total], parts) for total, parts in sets), *pairs]:
        row: dict[Key, Fraction] = defaultdict(Fraction)
        for k in left:
            row[k] += 1
        for k in right:
            row[k] -= 1
        row = {k: v for k, v in row.items() if k in withheld and v}
        if row:
            equations.append(row)
    return equations


def derivable_groups(
    equations: list[dict[Key, Fraction]], vectors: list[Vector], withheld: set[Key]
) -> list[int]:
    """The indexes of the vectors whose value follows from the published cells: no withheld
    cell in them, or their withheld part in the span of the equations."""
    found = []
    for i, vector in enumerate(vectors):
        part = {k: Fraction(v) for k, v in vector.items() if k in withheld and v}
        if not part:
            found.append(i)
            continue
        touched, rows, grew = set(part), [], True
        while grew:  # the equations connected to the vector's withheld cells
            grew = False
            for row in equations:
                if touched & row.keys() and row not in rows:
                    rows.append(row)
                    touched |= row.keys()
                    grew = True
        if rank([*rows, part]) == rank(rows):
            found.append(i)
    return found


def derivable_cells(
    sets: list[tuple[Key, list[Key]]],
    withheld: set[Key],
    pairs: list[tuple[list[Key], list[Key]]] | None = None,
) -> set[Key]:
    """The withheld cells whose value follows from the published ones, per connected group."""
    equations = equations_on(sets, pairs or [], withheld)
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
    pairs = equal_sums(full)
    for left, right in pairs:
        assert (
            abs(
                sum(float(full[k]["waarde"]) for k in left)
                - sum(float(full[k]["waarde"]) for k in right)
            )
            < 1e-6
        ), (left[0], "differs")
    exposed = derivable_cells(sets, withheld, pairs)
    assert not exposed, f"{len(exposed)} withheld cell(s) derivable: {sorted(exposed)[:5]}"
    small_groups = [
        (name, vector)
        for name, vector in groups(full)
        if 0 < sum(sign * float(full[k]["waarde"]) for k, sign in vector.items()) < MIN_COUNT
    ]
    equations = equations_on(sets, pairs, withheld)
    shown = derivable_groups(equations, [v for _n, v in small_groups], withheld)
    assert not shown, (
        f"{len(shown)} group(s) of 1 to 4 derivable: {[small_groups[i][0] for i in shown[:5]]}"
    )
    return {
        "cells": len(full),
        "withheld": len(withheld),
        "sets": len(sets),
        "magnitude": magnitude,
        "small_groups": len(small_groups),
    }
