"""Deliveries over time: what changed since the previous vintage, summed up for the manifest,
the run's summary, the Prefect artifacts and the verantwoording.

The history itself (``historie.kerncijfers``) and the revisions (``marts.revisies``) are dbt
models; this module reads them. Disclosure control runs after dbt, so the record of which
cells of each vintage it withheld (``historie.geheimhouding``) is kept here, by the same rule
as the history: this run's cells replace those of the same vintage, the rest stays.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.compute.disclosure import TABLE as PROTECTION
from pipelines.publish.exports import GEHEIMHOUDING_HISTORIE, KEY


def revision_summary(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """How many figures changed since the vintage compared with (``marts.revisies``), how
    many of them had been definitief, and that vintage's export date."""
    figures, definitive, previous = con.execute(
        """select count(*), count(*) filter (where vorige_status = 'definitief'),
                  max(vorige_exportdatum)
           from marts.revisies"""
    ).fetchone()
    compared = con.execute(
        """select max(h.exportdatum) from raw.historie_kerncijfers h cross join raw.levering l
           where h.exportdatum is distinct from l.exportdatum"""
    ).fetchone()[0]
    return {
        "figures": figures,
        "definitive": definitive,
        "previous_exportdatum": (previous or compared).isoformat()
        if (previous or compared)
        else None,
    }


def largest_revisions(con: duckdb.DuckDBPyConnection, per_indicator: int = 3) -> list[dict]:
    """Per indicator its largest changes (by absolute difference)."""
    cursor = con.execute(
        f"""select * from (
                select *, row_number() over (
                    partition by indicator order by abs(verschil) desc, gemeente, periode_eind
                ) as rang
                from marts.revisies
            ) where rang <= {per_indicator}
            order by indicator, rang"""
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def record_protection(warehouse: Path) -> None:
    """``historie.geheimhouding``: the protection of every vintage after this run."""
    key = [name for name, _type in KEY]
    same = " and ".join(f"deze.{k} is not distinct from vorige.{k}" for k in [*key, "exportdatum"])
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists historie")
        con.execute(
            f"""create or replace table {GEHEIMHOUDING_HISTORIE.relation} as
                with deze as (
                    select {", ".join("p." + k for k in key)}, levering.exportdatum,
                           g.geheim, g.reden
                    from marts.primaire_geheimhouding as p
                    join {PROTECTION} as g on g.cel = p.cel
                    cross join raw.levering as levering
                )
                select * from raw.historie_geheimhouding as vorige
                where not exists (select 1 from deze where {same})
                union all
                select * from deze"""
        )
