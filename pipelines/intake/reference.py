"""Reference figures: published numbers to reconcile against (data/reference/*.yaml).

Loaded into the warehouse as ``raw.referentiecijfers`` (empty when a run has none); the dbt
model ``reconciliatie`` compares them with the computed figures. A ``duurklasse`` given as a
list means the sum of those cells.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import yaml

from pipelines.catalogue import catalogue, categories, load_yaml
from pipelines.config import RAW_SCHEMA
from pipelines.errors import ExpectedFailure

STATUSES = ("exact", "inconsistent")

COLUMNS = """volgnummer integer, indicator varchar, gemeente varchar, periode_begin date,
    periode_eind date, categorie varchar, leeftijdsklasse varchar, duurklassen varchar[],
    waarde double, status varchar, afronding double, noot varchar, toelichting varchar,
    bron varchar, publicatie varchar, vindplaats varchar"""


def as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class ReferenceError(ExpectedFailure):
    """The reference file cannot be read, or names a figure the catalogue does not have."""


def read_reference(path: Path) -> list[dict[str, object]]:
    """The figures of a reference file, one dict per figure, in file order."""
    document = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("figuren"), list):
        raise ReferenceError(
            f"reference file {path}: holds no list 'figuren' (see data/reference/"
            "jaarverslag-2019.yaml for the form)"
        )
    titles = document.get("publicaties") or {}
    rows = []
    for number, figure in enumerate(document["figuren"], start=1):
        if not isinstance(figure, dict):
            raise ReferenceError(
                f"reference file {path}, figure {number}: not a figure (indicator, gemeente, "
                "periode_eind, waarde, status, ...)"
            )
        duur = figure.get("duurklasse")
        rows.append(
            {
                "volgnummer": number,
                "indicator": figure["indicator"],
                "gemeente": figure["gemeente"],
                "periode_begin": as_date(figure.get("periode_begin")),
                "periode_eind": as_date(figure["periode_eind"]),
                "categorie": figure.get("categorie"),
                "leeftijdsklasse": figure.get("leeftijdsklasse"),
                "duurklassen": None
                if duur is None
                else list(duur)
                if isinstance(duur, list)
                else [duur],
                "waarde": float(figure["waarde"]),
                "status": figure["status"],
                "afronding": figure.get("afronding"),
                "noot": figure.get("noot"),
                "toelichting": figure.get("toelichting"),
                "bron": figure.get("bron"),
                "publicatie": titles.get(figure.get("bron"), figure.get("bron")),
                "vindplaats": figure.get("vindplaats"),
            }
        )
    return rows


def check_reference(path: Path, members: list[str]) -> list[dict[str, object]]:
    """Read a reference file and check every figure against the catalogue and the
    organisation's `members`; ReferenceError with one line naming the first problem."""
    try:
        rows = read_reference(path)
    except OSError as error:
        raise ReferenceError(f"reference file {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ReferenceError(f"reference file {path}: not UTF-8 encoded") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ReferenceError(f"reference file {path}: not valid YAML{where}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise ReferenceError(
            f"reference file {path}: every figure needs indicator, gemeente, periode_eind, "
            f"waarde and status as data/reference/jaarverslag-2019.yaml has them ({error})"
        ) from None
    indicators = catalogue()
    places = {*members, "TOTAAL"}
    for row in rows:
        where = f"reference file {path}, figure {row['volgnummer']}"
        indicator = row["indicator"]
        if indicator not in indicators:
            raise ReferenceError(f"{where}: indicator '{indicator}' is not in the catalogue")
        if row["gemeente"] not in places:
            raise ReferenceError(f"{where}: gemeente '{row['gemeente']}' is not a member or TOTAAL")
        if row["status"] not in STATUSES:
            raise ReferenceError(f"{where}: status must be one of {', '.join(STATUSES)}")
        known = categories(indicator)
        if row["categorie"] is not None and row["categorie"] not in known:
            raise ReferenceError(
                f"{where}: categorie '{row['categorie']}' is not a category of {indicator}"
            )
    return rows


def load_reference(con: duckdb.DuckDBPyConnection, path: Path | None, members: list[str]) -> int:
    """Write ``raw.referentiecijfers``; returns the number of figures."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(f"create or replace table {RAW_SCHEMA}.referentiecijfers ({COLUMNS})")
    if path is None:
        return 0
    rows = check_reference(path, members)
    if rows:  # one insert of the whole table (executemany would run a statement per figure)
        import pyarrow as pa

        con.register("_referentie", pa.Table.from_pylist(rows))
        con.execute(f"insert into {RAW_SCHEMA}.referentiecijfers by name select * from _referentie")
        con.unregister("_referentie")
    return len(rows)


def reconciliation_summary(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """How many reference figures this run computes, and how many agree, by status; and how
    many are about dates or periods outside the run."""
    rows = con.execute(
        """select status, count(*), count(*) filter (where komt_overeen)
           from marts.reconciliatie where berekend is not null
           group by status order by status"""
    ).fetchall()
    outside = con.execute(
        "select count(*) from marts.reconciliatie where berekend is null"
    ).fetchone()[0]
    summary: dict[str, object] = {"figures": sum(r[1] for r in rows), "outside_run": outside}
    for status, total, agree in rows:
        summary[status] = {"figures": total, "agree": agree}
    differing = con.execute(
        """select indicator, gemeente, periode_eind, categorie, gepubliceerd, berekend
           from marts.reconciliatie
           where status = 'exact' and not komt_overeen and berekend is not null
           order by volgnummer limit 20"""
    ).fetchall()
    summary["exact_differing"] = [
        {
            "indicator": r[0],
            "gemeente": r[1],
            "periode_eind": str(r[2]),
            "categorie": r[3],
            "published": r[4],
            "computed": r[5],
        }
        for r in differing
    ]
    return summary
