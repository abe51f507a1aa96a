"""What the report shows, read from the warehouse and dbt's manifest; nothing else.

Every number comes from the `kerncijfers` mart; labels, order and units from the seeds; the
definitions from the dbt docs (the same text the models document); coverage from the
`dekking` model, so that a figure the delivery cannot support shows as missing, not as zero.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

D = dt.date
Key = tuple[str, str, D | None, D, str | None, str | None, str | None]


@dataclass
class ReportData:
    jaar: int
    cells: dict[Key, float]
    indicatoren: dict[str, dict]
    categorieen: dict[str, list[dict]]
    gemeenten: list[dict]
    leeftijdsklassen: list[dict]
    duurklassen: list[dict]
    dekking: dict[str, dict]
    peildata: list[D]
    extra_peildata: list[D]
    definities: dict[str, str] = field(default_factory=dict)
    begrippen: list[str] = field(default_factory=list)
    reconciliatie: list[dict] = field(default_factory=list)
    bestanden: list[dict] = field(default_factory=list)
    levering: dict = field(default_factory=dict)

    # -- dates ------------------------------------------------------------------------------
    @property
    def jaareinden(self) -> tuple[D, D]:
        return D(self.jaar - 1, 12, 31), D(self.jaar, 12, 31)

    @property
    def tertiaaleinden(self) -> list[D]:
        return [D(self.jaar, 4, 30), D(self.jaar, 8, 31), D(self.jaar, 12, 31)]

    def tertialen(self, jaar: int | None = None) -> list[tuple[D, D]]:
        y = jaar or self.jaar
        return [(D(y, 1, 1), D(y, 4, 30)), (D(y, 5, 1), D(y, 8, 31)), (D(y, 9, 1), D(y, 12, 31))]

    def jaar_periode(self, jaar: int | None = None) -> tuple[D, D]:
        y = jaar or self.jaar
        return D(y, 1, 1), D(y, 12, 31)

    # -- figures ----------------------------------------------------------------------------
    def gedekt(self, indicator: str, begin: D | None, eind: D) -> bool:
        """Does the delivery support a figure for this date or period?"""
        span = self.dekking.get(self.indicatoren[indicator]["domein"])
        if not span or not span["rijen"] or span["eerste_datum"] is None:
            return False
        return span["eerste_datum"] <= (begin or eind) and eind <= span["laatste_datum"]

    def waarde(
        self,
        indicator: str,
        gemeente: str,
        eind: D,
        begin: D | None = None,
        categorie: str | None = None,
        leeftijd: str | None = None,
        duur: str | None = None,
    ) -> float | None:
        """The published figure of one cell; None when the delivery does not cover it."""
        if not self.gedekt(indicator, begin, eind):
            return None
        return self.cells.get((indicator, gemeente, begin, eind, categorie, leeftijd, duur))

    def label(self, indicator: str, categorie: str) -> str:
        for c in self.categorieen.get(indicator, []):
            if c["categorie"] == categorie:
                return c["label"]
        return categorie

    def cats(self, indicator: str) -> list[dict]:
        return self.categorieen.get(indicator, [])


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def markdown_light(text: str) -> str:
    """The doc blocks use plain paragraphs and **bold**: escape, then keep just that."""
    escaped = html.escape(" ".join(text.split()))
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def read_definitions(manifest_path: Path) -> tuple[dict[str, str], list[str]]:
    """Per indicator the description of its model (a dbt doc block), and the common terms."""
    if not manifest_path.exists():
        return {}, []
    manifest = json.loads(manifest_path.read_text())
    definities = {}
    for node in manifest["nodes"].values():
        indicator = (node.get("config", {}).get("meta") or {}).get("indicator")
        if node["resource_type"] == "model" and indicator:
            definities[indicator] = markdown_light(node["description"])
    begrippen = [
        markdown_light(doc["block_contents"])
        for name, doc in sorted(manifest["docs"].items())
        if doc["name"].startswith("begrip_") and name.startswith("doc.kerncijfers.")
    ]
    return definities, begrippen


def load(warehouse: Path, dbt_target: Path, jaar: int) -> ReportData:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cells = {
            tuple(r[:7]): r[7]
            for r in con.execute(
                "select indicator, gemeente, periode_begin, periode_eind, categorie, "
                "leeftijdsklasse, duurklasse, waarde from marts.kerncijfers"
            ).fetchall()
        }
        indicatoren = {r["indicator"]: r for r in rows(con, "select * from referentie.indicatoren")}
        categorieen: dict[str, list[dict]] = {}
        for r in rows(con, "select * from referentie.indicator_categorieen order by volgorde"):
            categorieen.setdefault(r["indicator"], []).append(r)
        data = ReportData(
            jaar=jaar,
            cells=cells,
            indicatoren=indicatoren,
            categorieen=categorieen,
            gemeenten=rows(con, "select * from referentie.gemeenten order by volgorde"),
            leeftijdsklassen=rows(
                con, "select * from referentie.leeftijdsklassen order by volgorde"
            ),
            duurklassen=rows(con, "select * from referentie.duurklassen order by volgorde"),
            dekking={r["domein"]: r for r in rows(con, "select * from marts.dekking")},
            peildata=[
                r[0]
                for r in con.execute(
                    "select peildatum from intermediate.int_peildata where is_standaard order by 1"
                ).fetchall()
            ],
            extra_peildata=[
                r[0]
                for r in con.execute(
                    "select peildatum from intermediate.int_peildata "
                    "where not is_standaard order by 1"
                ).fetchall()
            ],
            reconciliatie=rows(con, "select * from marts.reconciliatie order by volgnummer"),
            bestanden=rows(con, "select * from raw.bestanden"),
            levering=rows(con, "select * from raw.levering")[0],
        )
    data.definities, data.begrippen = read_definitions(dbt_target / "manifest.json")
    return data
