"""Deliveries over time: what changed since the previous vintage, summed up for the manifest,
the run's summary, the Prefect artifacts and the verantwoording.

The history itself (``historie.kerncijfers``) and the revisions (``marts.revisies``) are dbt
models; this module only reads them.
"""

from __future__ import annotations

import duckdb


def revision_summary(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """How many figures changed since the previous vintage, how many of them had been
    definitief, and the previous vintage's export date."""
    figures, definitive, previous = con.execute(
        """select count(*), count(*) filter (where vorige_status = 'definitief'),
                  max(vorige_exportdatum)
           from marts.revisies"""
    ).fetchone()
    compared = con.execute(
        """select max(h.exportdatum) from raw.historie_kerncijfers h cross join raw.levering l
           where h.exportdatum < l.exportdatum"""
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
