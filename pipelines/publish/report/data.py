"""What the report shows, read from the warehouse and dbt's manifest; nothing else.

Every number comes from the `kerncijfers` mart; labels, order, units and the calendar from the
seeds and the organisation folder (the words readers see: municipality names, the total's
name, class and category labels, indicator titles); the definitions from the dbt docs (the
same text the models document); coverage from the `dekking` model, so that a figure the
delivery cannot support shows as missing, not as zero; and the published figures that differ
from the computed ones from the `reconciliatie` model, so that the report can say so where the
figure stands.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.catalogue import dbt_vars
from pipelines.compute.history import largest_revisions, revision_summary
from pipelines.organisation import Organisation
from pipelines.publish.exports import KEY
from pipelines.publish.report.cijfers import Afwijking, Cijfer
from pipelines.publish.report.formatting import datum, geheim, getal, in_woorden, korte_datum

D = dt.date
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
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
    tertiaal_seed: list[dict]
    teksten: dict[str, str]
    uitkeringsregelingen: list[dict]
    dekking: dict[str, dict]
    peildata: list[D]
    extra_peildata: list[D]
    definities: dict[str, str] = field(default_factory=dict)
    begrippen: list[str] = field(default_factory=list)
    reconciliatie: list[dict] = field(default_factory=list)
    bestanden: list[dict] = field(default_factory=list)
    levering: dict = field(default_factory=dict)
    instellingen: dict = field(default_factory=dict)
    reeksbreuken: dict[tuple, list[str]] = field(default_factory=dict)
    bediend: dict[str, dict] = field(default_factory=dict)
    revisies: list[dict] = field(default_factory=list)
    grootste_revisies: list[dict] = field(default_factory=list)
    revisie_samenvatting: dict = field(default_factory=dict)
    openbaar: bool = False  # rendered from the open data's protected figures

    # -- the calendar (seed tertialen) -------------------------------------------------------
    @property
    def jaareinden(self) -> tuple[D, D]:
        return D(self.jaar - 1, 12, 31), D(self.jaar, 12, 31)

    def tertialen(self, jaar: int | None = None) -> list[tuple[D, D]]:
        y = jaar or self.jaar
        return [
            (D(y, int(t["begin_maand"]), 1), D(y, int(t["eind_maand"]), int(t["eind_dag"])))
            for t in self.tertiaal_seed
        ]

    @property
    def tertiaaleinden(self) -> list[D]:
        return [eind for _b, eind in self.tertialen()]

    @property
    def tertiaal_labels(self) -> list[str]:
        return [t["label"] for t in self.tertiaal_seed]

    def jaar_periode(self, jaar: int | None = None) -> tuple[D, D]:
        y = jaar or self.jaar
        return D(y, 1, 1), D(y, 12, 31)

    # -- the dates and periods a layout names (layout.PEILDATA, layout.PERIODEN) --------------
    def peildata_van(self, selector: str | list[str]) -> list[D]:
        """The reference dates a layout's selector names, in order."""
        if isinstance(selector, list):
            return [d for name in selector for d in self.peildata_van(name)]
        year_ends = [d for d in self.peildata if (d.month, d.day) == (12, 31)]
        named = {
            "jaareinde": [self.jaareinden[1]],
            "vorig_jaareinde": [self.jaareinden[0]],
            "jaareinden": list(self.jaareinden),
            "tertiaaleinden": self.tertiaaleinden,
            "peildata": self.peildata,
            "extra_peildata": self.extra_peildata,
            "eerste_peildatum": self.peildata[:1],
            "peildata_vanaf_vorig_jaar": [d for d in self.peildata if d.year >= self.jaar - 1],
            "jaareinden_van_de_peildata": year_ends,
            "laatste_jaareinde": year_ends[-1:],
        }
        return named[selector]

    def perioden_van_indicator(self, indicator: str) -> list[tuple[D, D]]:
        """The periods an indicator has figures for in this run (its cohort years, say)."""
        return sorted({(k[2], k[3]) for k in self.cells if k[0] == indicator and k[2]})

    def perioden_van(self, selector: str | list[str]) -> list[tuple[D, D, str]]:
        """The periods a layout's selector names: (begin, end, the column head a table gives
        it by default: the tertial's label, or 'Heel <year>')."""
        if isinstance(selector, list):
            return [p for name in selector for p in self.perioden_van(name)]
        if selector == "tertialen":
            return [
                (b, e, label)
                for (b, e), label in zip(self.tertialen(), self.tertiaal_labels, strict=True)
            ]
        year = {"jaar": self.jaar, "vorig_jaar": self.jaar - 1}[selector]
        return [(*self.jaar_periode(year), f"Heel {year}")]

    # -- words -------------------------------------------------------------------------------
    def plaatshouders(self, gemeente: str = "TOTAAL") -> dict[str, object]:
        """What a layout's texts may name (layout.PLACEHOLDERS): the organisation, its total,
        the report year, the municipality a block is about, and the settings of the
        definitions (a date written as a Dutch date: 1 januari 2016)."""
        settings = {
            name: datum(dt.date.fromisoformat(value)) if ISO_DATE.fullmatch(str(value)) else value
            for name, value in self.instellingen.items()
            if isinstance(value, str | int | float)
        }
        return settings | {
            "organisatie": self.teksten["organisatie"],
            "totaal": self.totaal,
            "jaar": self.jaar,
            "vorig_jaar": self.jaar - 1,
            "gemeente": self.gemeente_naam(gemeente),
        }

    @property
    def totaal(self) -> str:
        return self.teksten["totaal"]

    def gemeente_naam(self, code: str) -> str:
        if code == "TOTAAL":
            return self.totaal
        return next((g["naam"] for g in self.gemeenten if g["gemeente_code"] == code), code)

    def label(self, indicator: str, categorie: str) -> str:
        for c in self.categorieen.get(indicator, []):
            if c["categorie"] == categorie:
                return c["label"]
        return categorie

    def cats(self, indicator: str) -> list[dict]:
        return self.categorieen.get(indicator, [])

    def titel(self, indicator: str) -> str:
        return self.indicatoren[indicator]["titel"]

    @property
    def duurgroepen(self) -> list[tuple[str, list[str]]]:
        """The duration classes as the annual report groups them: (label, classes)."""
        groups: dict[int, tuple[str, list[str]]] = {}
        for d in self.duurklassen:
            label, members = groups.setdefault(int(d["groep"]), (d["groep_label"], []))
            members.append(d["duurklasse"])
        return [groups[k] for k in sorted(groups)]

    def celnaam(self, leeftijd: str | None, duur: str | None) -> str:
        """A cell of a breakdown in words: '18 - 28 jaar, korter dan 6 maanden'."""
        parts = []
        if leeftijd:
            parts += [a["label"] for a in self.leeftijdsklassen if a["leeftijdsklasse"] == leeftijd]
        if duur:
            durations = duur.split("+")
            groups = [label for label, members in self.duurgroepen if members == durations]
            labels = {d["duurklasse"]: d["label"] for d in self.duurklassen}
            parts += groups or [labels.get(d, d) for d in durations]
        return ", ".join(p[:1].lower() + p[1:] if i else p for i, p in enumerate(parts))

    # -- figures -----------------------------------------------------------------------------
    def gedekt(self, indicator: str, begin: D | None, eind: D) -> bool:
        """Does the delivery support a figure for this date or period?"""
        row = self.indicatoren[indicator]
        return covers(self.dekking.get(row["domein"]), row["gebied"], begin, eind)

    def heeft_gegevens(self, domein: str) -> bool:
        span = self.dekking.get(domein)
        return bool(span and span["rijen"])

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
        """The published figure of one cell (a Cijfer); None when the delivery does not cover
        it."""
        if not self.gedekt(indicator, begin, eind):
            return None
        return self.cells.get((indicator, gemeente, begin, eind, categorie, leeftijd, duur))

    def reeksbreuk_noot(self, keys: set[tuple]) -> str | None:
        """'Reeksbreuk: de cijfers van <gemeente> en <totaal> tot en met 31-12-2019 omvatten
        de voormalige gemeente <gebied> niet; <organisatie> bedient <gebied> sinds ...'."""
        missing: dict[str, list[tuple]] = {}
        for gemeente, begin, eind in keys:
            for area in self.reeksbreuken.get((gemeente, begin, eind), []):
                missing.setdefault(area, []).append((gemeente, eind))
        if not missing:
            return None
        parts = []
        for area, cells in sorted(missing.items()):
            names = [self.gemeente_naam(g) for g in self.order(g for g, _e in cells)]
            last = max(e for _g, e in cells)
            since = self.bediend.get(area, {}).get("bediend_vanaf")
            served = (
                f"; {self.teksten['organisatie']} bedient {area} sinds {datum(since)}"
                if since
                else ""
            )
            parts.append(
                f"de cijfers van {' en '.join(names)} tot en met {korte_datum(last)} omvatten "
                f"de voormalige gemeente {area} niet{served}"
            )
        return "Reeksbreuk: " + "; ".join(parts) + "."

    def order(self, codes) -> list[str]:
        """Municipality codes in the order of the seed, TOTAAL last, each once."""
        wanted = set(codes)
        members = [g["gemeente_code"] for g in self.gemeenten if g["gemeente_code"] in wanted]
        return members + (["TOTAAL"] if "TOTAAL" in wanted else [])

    # -- published figures that differ ------------------------------------------------------
    def afwijking(
        self,
        indicator: str,
        gemeente: str,
        eind: D,
        begin: D | None = None,
        categorie: str | None = None,
        leeftijd: str | None = None,
        duurklassen: list[str] | None = None,
    ) -> Afwijking | None:
        duur = "+".join(duurklassen) if duurklassen else None
        for r in self.reconciliatie:
            key = (r["indicator"], r["gemeente"], r["periode_begin"], r["periode_eind"])
            cell = (r["categorie"], r["leeftijdsklasse"], r["duurklasse"])
            if (
                key == (indicator, gemeente, begin, eind)
                and cell == (categorie, leeftijd, duur)
                and not r["komt_overeen"]
                and r["berekend"] is not None
                and not geheim(r["berekend"])
            ):
                return Afwijking(
                    r["gepubliceerd"], r["berekend"], r["publicatie"], r["toelichting"]
                )
        return None

    def voetnoot(self, afwijking: Afwijking, gemeente: str) -> str:
        """'In het jaarverslag 2019 stond 1.956; de drie gemeenten tellen op tot 1.841.'"""
        if gemeente == "TOTAAL" and len(self.gemeenten) > 1:
            n = in_woorden(len(self.gemeenten))
            rest = f"de {n} gemeenten tellen op tot {getal(afwijking.berekend)}"
        else:
            rest = f"berekend uit de bronbestanden: {getal(afwijking.berekend)}"
        return f"In {afwijking.publicatie} stond {getal(afwijking.gepubliceerd)}; {rest}."

    @property
    def afwijkingen(self) -> list[dict]:
        """The reference figures in this run whose published value differs."""
        return [
            r
            for r in self.reconciliatie
            if not r["komt_overeen"] and r["berekend"] is not None and not geheim(r["berekend"])
        ]


def covers(span: dict | None, gebied: str, begin: D | None, eind: D) -> bool:
    """Does a delivery's coverage of a domain (its row of ``dekking``) support a figure for
    this date or period? A regional figure (a target the organisation configures) does not
    come from the delivery: always."""
    if gebied == "regio":
        return True
    if not span or not span["rijen"] or span["eerste_datum"] is None:
        return False
    return span["eerste_datum"] <= (begin or eind) and eind <= span["laatste_datum"]


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def markdown_light(text: str) -> str:
    """The doc blocks use plain paragraphs, **bold** and *italic*: escape, then keep just that."""
    escaped = html.escape(" ".join(text.split()))
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", escaped)


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


def definition_settings() -> dict:
    """The settings that define figures (dbt vars: the 30 days, the full-time week, ...)."""
    return dbt_vars()


KEY_COLUMNS = [name for name, _type in KEY]


def withheld(con: duckdb.DuckDBPyConnection) -> set[Key]:
    """The cells disclosure control withholds from the open data (openbaar.geheimhouding)."""
    return {
        tuple(r)
        for r in con.execute(
            f"select {', '.join('p.' + k for k in KEY_COLUMNS)} from marts.primaire_geheimhouding "
            "as p join openbaar.geheimhouding as g on g.cel = p.cel where g.geheim"
        ).fetchall()
    }


def protect(data: ReportData, secret: set[Key]) -> None:
    """The report as the open data allows it: a withheld figure becomes NaN (printed '.'),
    wherever it appears — in the tables and charts, as the computed side of a published
    figure, and among the revisions."""
    nan = float("nan")

    def hidden(row: dict) -> bool:
        key = tuple(row[k] for k in KEY_COLUMNS)
        durations = (row["duurklasse"] or "").split("+")
        return key in secret or any(
            (*key[:6], d) in secret for d in durations if len(durations) > 1
        )

    for key in secret & data.cells.keys():
        old = data.cells[key]
        data.cells[key] = Cijfer(nan, old.voorlopig, old.reeksbreuk, old.sleutel, old.cel)
    for row in data.reconciliatie:
        if row["berekend"] is not None and hidden(row):
            row["berekend"] = nan
    for row in [*data.revisies, *data.grootste_revisies]:
        if hidden(row):
            row.update(vorige_waarde=nan, waarde=nan, verschil=nan)
    data.openbaar = True


def load(
    warehouse: Path,
    dbt_target: Path,
    jaar: int,
    organisation: Organisation,
    openbaar: bool = False,
) -> ReportData:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cells = {
            tuple(r[:7]): Cijfer(r[7], r[8] == "voorlopig", r[9], (r[1], r[2], r[3]), tuple(r[:7]))
            for r in con.execute(
                "select indicator, gemeente, periode_begin, periode_eind, categorie, "
                "leeftijdsklasse, duurklasse, waarde, status, reeksbreuk from marts.kerncijfers"
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
            gemeenten=rows(con, "select * from organisatie.gemeenten order by volgorde"),
            leeftijdsklassen=rows(
                con, "select * from referentie.leeftijdsklassen order by volgorde"
            ),
            duurklassen=rows(con, "select * from referentie.duurklassen order by volgorde"),
            tertiaal_seed=rows(con, "select * from referentie.tertialen order by tertiaal"),
            teksten=organisation.teksten,
            uitkeringsregelingen=rows(con, "select * from referentie.uitkeringsregelingen"),
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
            bestanden=rows(con, "select * from raw.bestanden order by bestand"),
            levering=rows(con, "select * from raw.levering")[0],
            instellingen=definition_settings(),
            reeksbreuken={
                (r[0], r[1], r[2]): list(r[3])
                for r in con.execute(
                    "select gemeente, periode_begin, periode_eind, niet_bediend "
                    "from intermediate.int_reeksbreuken where reeksbreuk"
                ).fetchall()
            },
            bediend={
                r["naam"]: r for r in rows(con, "select * from organisatie.bediende_gebieden")
            },
            revisies=rows(con, "select * from marts.revisies where vorige_status = 'definitief'"),
            grootste_revisies=largest_revisions(con),
            revisie_samenvatting=revision_summary(con),
        )
        if openbaar:
            protect(data, withheld(con))
    data.definities, data.begrippen = read_definitions(dbt_target / "manifest.json")
    return data
