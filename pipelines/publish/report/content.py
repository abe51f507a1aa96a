"""The tables and charts of the annual report and the factsheets, built from the mart.

Each builder returns a Table (or a Chart with its figures as a table). Cells hold the mart's
figures, formatted the Dutch way; the only arithmetic here is presentation on those figures:
a total of the rows shown, a difference between two columns, a share of a total. A cell the
delivery does not cover shows "–"; a withheld figure (report from the protected figures), and
a total or difference computed from one, shows "."; a table without any covered cell is
marked empty, and the templates then say that the data is missing. Where the organisation
published a different value for a figure, the cell carries a footnote that says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.publish.report.cijfers import Afwijking, Cijfer, voorlopig
from pipelines.publish.report.formatting import (
    GEEN_GEGEVENS,
    euro,
    geheim,
    getal,
    korte_datum,
    procent,
    procent_verschil,
    verschil,
)

if TYPE_CHECKING:  # the charts' workers import this module, not the warehouse's reader
    from pipelines.publish.report.data import ReportData

D = dt.date
Fmt = Callable[[float | None], str]


@dataclass
class Cell:
    text: str
    noot: int | None = None  # the number of the cell's footnote in its table


@dataclass
class Row:
    label: str
    values: list[float | None]
    cells: list[Cell]
    total: bool = False


@dataclass
class Table:
    id: str
    caption: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str | None = None
    voetnoten: list[str] = field(default_factory=list)
    breuken: set[tuple] = field(default_factory=set)  # cells whose area was not served whole
    reeksbreuk: str | None = None  # the note that says so

    @property
    def empty(self) -> bool:
        return all(v is None for r in self.rows for v in r.values)

    @property
    def voorlopig(self) -> bool:
        return any(voorlopig(*r.values) for r in self.rows)

    @property
    def geheim(self) -> bool:
        return any(geheim(v) for r in self.rows for v in r.values)

    def voetnoot(self, text: str) -> int:
        if text not in self.voetnoten:
            self.voetnoten.append(text)
        return self.voetnoten.index(text) + 1

    def add(
        self,
        label: str,
        values: list[float | None],
        fmt: Fmt = getal,
        total: bool = False,
        cells: list[str] | None = None,
        notes: list[str | None] | None = None,
    ) -> None:
        texts = cells or [fmt(v) for v in values]
        notes = notes or [None] * len(texts)
        self.breuken |= {v.sleutel for v in values if getattr(v, "reeksbreuk", False)}
        self.rows.append(
            Row(
                label,
                values,
                [
                    Cell(t, self.voetnoot(n) if n else None)
                    for t, n in zip(texts, notes, strict=True)
                ],
                total,
            )
        )


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # 'bars' (grouped) or 'stacked'
    x_labels: list[str]
    series: dict[str, list[float | None]]
    y_label: str
    x_label: str
    money: bool = False
    table: Table | None = None
    reeksbreuk: str | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for values in self.series.values() for v in values)

    @property
    def voorlopig(self) -> bool:
        return any(voorlopig(*values) for values in self.series.values())

    @property
    def geheim(self) -> bool:
        return any(geheim(v) for values in self.series.values() for v in values)

    @property
    def alt(self) -> str:
        """A text alternative: what the chart shows and its extremes (the table has it all)."""
        fmt = euro if self.money else getal
        parts = []
        for name, values in self.series.items():
            known = [(x, v) for x, v in zip(self.x_labels, values, strict=True) if v is not None]
            if known:
                parts.append(
                    f"{name}: {fmt(known[0][1])} ({known[0][0]}) "
                    f"tot {fmt(known[-1][1])} ({known[-1][0]})"
                )
        return f"{self.title}. " + "; ".join(parts) + ". De cijfers staan in de tabel eronder."


def total(values: list[float | None]) -> float | None:
    """The sum of the figures shown; preliminary when one of them is."""
    known = [v for v in values if v is not None]
    return Cijfer(sum(known), voorlopig(*known)) if known else None


def difference(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else Cijfer(new - old, voorlopig(old, new))


def chart_table(chart: Chart, fmt: Fmt = getal) -> Table:
    table = Table(
        f"{chart.id}-cijfers",
        f"Cijfers bij de grafiek: {chart.title}",
        [chart.x_label, *chart.series],
    )
    for i, x in enumerate(chart.x_labels):
        table.add(x, [chart.series[s][i] for s in chart.series], fmt)
    return table


def note(data: ReportData, gemeente: str, afwijking: Afwijking | None) -> str | None:
    return data.voetnoot(afwijking, gemeente) if afwijking else None


def published_total(
    data: ReportData, gemeente: str, parts: list[Afwijking | None], exact: list[float | None]
) -> str | None:
    """A footnote for a total of cells when some were published differently: what the
    published cells added up to. `exact` holds the computed value of each part."""
    if not any(parts):
        return None
    published = [p.gepubliceerd if p else e for p, e in zip(parts, exact, strict=True)]
    if any(v is None for v in published):
        return None
    first = next(p for p in parts if p)
    computed = total(exact)
    return data.voetnoot(Afwijking(sum(published), computed, first.publicatie, None), gemeente)


# -- the annual report ------------------------------------------------------------------------
def banenafspraak(data: ReportData) -> tuple[Chart, dict[str, float | None]]:
    """Realisation and target on the year ends of the report, and the year's figures."""
    days = [d for d in data.peildata if (d.month, d.day) == (12, 31)]
    realised = [data.waarde("banenafspraak.banen", "TOTAAL", d) for d in days]
    targets = [
        data.cells.get(("banenafspraak.doelstelling", "TOTAAL", None, d, None, None, None))
        for d in days
    ]
    chart = Chart(
        "banenafspraak",
        "Banenafspraak: realisatie en doelstelling (regio)",
        "bars",
        [str(d.year) for d in days],
        {"Gerealiseerde banen": realised, "Doelstelling (inclusief UWV)": targets},
        "Aantal banen",
        "Eind van het jaar",
    )
    chart.table = chart_table(chart)
    end = data.jaareinden[1]
    figures = {
        "banen": data.waarde("banenafspraak.banen", "TOTAAL", end),
        "doelstelling": targets[-1] if targets else None,
        "personen": data.waarde("banenafspraak.personen_sinds_2016", "TOTAAL", end),
    }
    if all(v is None for v in realised):
        chart.series = {k: [None] * len(days) for k in chart.series}  # no data: say so
    return chart, figures


def detachering_sw(data: ReportData) -> Table:
    """Detachering SW: per placement the count and share at the two year ends, the
    difference, and the FTE at the last."""
    old, new = data.jaareinden
    table = Table(
        "detachering-sw",
        f"Medewerkers SW naar plaatsing ({data.totaal})",
        [
            "Plaatsing",
            f"Aantal {korte_datum(old)}",
            "Aandeel",
            f"Aantal {korte_datum(new)}",
            "Aandeel",
            "Verschil",
            f"Fte {korte_datum(new)}",
        ],
    )
    cats = [c["categorie"] for c in data.cats("sw.medewerkers")]
    counts = {
        d: {c: data.waarde("sw.medewerkers", "TOTAAL", d, categorie=c) for c in cats}
        for d in (old, new)
    }
    notes = {
        d: {c: data.afwijking("sw.medewerkers", "TOTAAL", d, categorie=c) for c in cats}
        for d in (old, new)
    }
    ftes = {c: data.waarde("sw.fte", "TOTAAL", new, categorie=c) for c in cats}
    totals = {d: total(list(counts[d].values())) for d in (old, new)}
    for c in cats:
        if c == "ONBEKEND" and not (counts[old][c] or counts[new][c]):
            continue  # no employment without a placement: the published table has no such row
        a, b = counts[old][c], counts[new][c]
        table.add(
            data.label("sw.medewerkers", c),
            [a, None, b, None, difference(a, b), ftes[c]],
            cells=[
                getal(a),
                procent(a, totals[old]),
                getal(b),
                procent(b, totals[new]),
                verschil(difference(a, b)),
                getal(ftes[c], 1),
            ],
            notes=[
                note(data, "TOTAAL", notes[old][c]),
                None,
                note(data, "TOTAAL", notes[new][c]),
                None,
                None,
                None,
            ],
        )
    fte_total = total(list(ftes.values()))

    def total_note(day: D) -> str | None:
        return published_total(
            data, "TOTAAL", list(notes[day].values()), list(counts[day].values())
        )

    table.add(
        "Totaal",
        [totals[old], None, totals[new], None, difference(totals[old], totals[new]), fte_total],
        cells=[
            getal(totals[old]),
            "100%" if totals[old] else GEEN_GEGEVENS,
            getal(totals[new]),
            "100%" if totals[new] else GEEN_GEGEVENS,
            verschil(difference(totals[old], totals[new])),
            getal(fte_total, 1),
        ],
        notes=[total_note(old), None, total_note(new), None, None, None],
        total=True,
    )
    return table


def bijstand_overzicht(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    """Benefits, partners and persons on the last year end and the tertial ends of the year,
    and the change over the year (the factsheets' first table; Avres totaal in the report)."""
    days = [data.jaareinden[0], *data.tertiaaleinden]
    table = Table(
        f"uitkeringen-{gemeente.lower()}",
        "Totaal aantal verstrekte uitkeringen"
        + ("" if gemeente != "TOTAAL" else f" ({data.totaal})"),
        ["Omschrijving", *[korte_datum(d) for d in days], "Verschil"],
        note=f"Verschil: {korte_datum(days[-1])} ten opzichte van {korte_datum(days[0])}.",
    )
    for indicator, label, is_total in (
        ("bijstand.uitkeringen", "Uitkeringen / aanvragers", False),
        ("bijstand.partners", "Partners", False),
        ("bijstand.personen", "Totaal uitkeringsgerechtigden", True),
    ):
        values = [data.waarde(indicator, gemeente, d) for d in days]
        table.add(
            label,
            [*values, difference(values[0], values[-1])],
            cells=[*[getal(v) for v in values], verschil(difference(values[0], values[-1]))],
            notes=[
                *[note(data, gemeente, data.afwijking(indicator, gemeente, d)) for d in days],
                None,
            ],
            total=is_total,
        )
    return table


def leeftijd_duur(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    """Persons on bijstand by duration (rows, grouped as the report groups them) and age
    (columns) on 31-12 of the year, with shares."""
    day = data.jaareinden[1]
    ages = data.leeftijdsklassen
    groups = data.duurgroepen
    indicator = "bijstand.personen_naar_leeftijd_duur"
    table = Table(
        f"leeftijd-duur-{gemeente.lower()}",
        f"Mensen in de bijstand naar bijstandsduur en leeftijd op {korte_datum(day)}, "
        "aanvragers en partners" + ("" if gemeente != "TOTAAL" else f" ({data.totaal})"),
        ["Bijstandsduur", *[a["label"] for a in ages], "Totaal", "Aandeel"],
    )

    def cell(age: str, duurs: list[str]) -> float | None:
        return total([data.waarde(indicator, gemeente, day, leeftijd=age, duur=d) for d in duurs])

    grid = {
        (label, a["leeftijdsklasse"]): cell(a["leeftijdsklasse"], duurs)
        for label, duurs in groups
        for a in ages
    }
    notes = {
        (label, a["leeftijdsklasse"]): data.afwijking(
            indicator, gemeente, day, leeftijd=a["leeftijdsklasse"], duurklassen=duurs
        )
        for label, duurs in groups
        for a in ages
    }
    grand = total(list(grid.values()))
    for label, _duurs in groups:
        keys = [(label, a["leeftijdsklasse"]) for a in ages]
        values = [grid[k] for k in keys]
        row_total = total(values)
        table.add(
            label,
            [*values, row_total, None],
            cells=[*[getal(v) for v in values], getal(row_total), procent(row_total, grand)],
            notes=[
                *[note(data, gemeente, notes[k]) for k in keys],
                published_total(data, gemeente, [notes[k] for k in keys], values),
                None,
            ],
        )
    column_keys = [[(label, a["leeftijdsklasse"]) for label, _d in groups] for a in ages]
    column_totals = [total([grid[k] for k in keys]) for keys in column_keys]
    table.add(
        "Totaal",
        [*column_totals, grand, None],
        cells=[*[getal(v) for v in column_totals], getal(grand), "100%" if grand else "–"],
        notes=[
            *[
                published_total(data, gemeente, [notes[k] for k in keys], [grid[k] for k in keys])
                for keys in column_keys
            ],
            published_total(data, gemeente, list(notes.values()), list(grid.values())),
            None,
        ],
        total=True,
    )
    table.add(
        "Aandeel",
        [None] * (len(ages) + 2),
        cells=[*[procent(v, grand) for v in column_totals], "100%" if grand else "–", ""],
    )
    return table


def bijstand_stromen(data: ReportData) -> Table:
    """In- and outflow per tertial of the year and in the year, outflow by reason."""
    periods = [*data.tertialen(), data.jaar_periode()]
    table = Table(
        "bijstand-stromen",
        f"Instroom en uitstroom bijstand {data.jaar} ({data.totaal})",
        ["Uitkeringen", *data.tertiaal_labels, f"Heel {data.jaar}"],
    )
    table.add(
        "Instroom",
        [data.waarde("bijstand.instroom", "TOTAAL", e, b) for b, e in periods],
    )
    for c in data.cats("bijstand.uitstroom"):
        table.add(
            f"Uitstroom: {c['label'][:1].lower() + c['label'][1:]}",
            [data.waarde("bijstand.uitstroom", "TOTAAL", e, b, c["categorie"]) for b, e in periods],
        )
    outs = [
        total(
            [
                data.waarde("bijstand.uitstroom", "TOTAAL", e, b, c["categorie"])
                for c in data.cats("bijstand.uitstroom")
            ]
        )
        for b, e in periods
    ]
    table.add("Uitstroom totaal", outs, total=True)
    return table


def statushouders(data: ReportData, gemeente: str = "TOTAAL") -> Chart:
    days = data.peildata
    values = [data.waarde("bijstand.statushouders", gemeente, d) for d in days]
    chart = Chart(
        f"statushouders-{gemeente.lower()}",
        "Vluchtelingen met status in de bijstand (aanvragers en partners)",
        "bars",
        [korte_datum(d) for d in days],
        {"Statushouders": values},
        "Aantal personen",
        "Peildatum",
    )
    chart.table = chart_table(chart)
    return chart


def nieuw_beschut(data: ReportData) -> Table:
    _old, new = data.jaareinden
    table = Table(
        "nieuw-beschut",
        f"Nieuw beschut ({data.totaal})",
        ["Regeling", f"In dienst gekomen in {data.jaar}", f"In dienst op {korte_datum(new)}"],
    )
    year = data.jaar_periode()
    rows = []
    for c in data.cats("nieuw_beschut.medewerkers"):
        row = [
            data.waarde("nieuw_beschut.instroom", "TOTAAL", year[1], year[0], c["categorie"]),
            data.waarde("nieuw_beschut.medewerkers", "TOTAAL", new, categorie=c["categorie"]),
        ]
        rows.append(row)
        table.add(c["label"], row)
    table.add("Totaal", [total([r[0] for r in rows]), total([r[1] for r in rows])], total=True)
    return table


def minima_gebruik(data: ReportData) -> Table:
    begin, end = data.jaar_periode()
    members = data.gemeenten
    table = Table(
        "minima-gebruik",
        f"Gebruik minimaregelingen {data.jaar}",
        ["Regeling", *[g["naam"] for g in members], data.totaal, "Eenheid"],
    )
    for c in data.cats("minima.gebruik"):
        values = [
            data.waarde("minima.gebruik", g["gemeente_code"], end, begin, c["categorie"])
            for g in members
        ]
        regio = data.waarde("minima.gebruik", "TOTAAL", end, begin, c["categorie"])
        table.add(
            c["label"],
            [*values, regio, None],
            cells=[*[getal(v) for v in values], getal(regio), c["eenheid"]],
        )
    return table


def minima_uitgaven(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    """Spending per scheme, the year before and the year, the difference and its %."""
    (b0, e0), (b1, e1) = data.jaar_periode(data.jaar - 1), data.jaar_periode()
    table = Table(
        f"minima-uitgaven-{gemeente.lower()}",
        f"Uitgaven minimaregelingen en bijzondere bijstand ({data.totaal})",
        ["Regeling", str(data.jaar - 1), str(data.jaar), "Verschil (€)", "Verschil (%)"],
    )
    olds, news = [], []
    for c in data.cats("minima.uitgaven"):
        a = data.waarde("minima.uitgaven", gemeente, e0, b0, c["categorie"])
        b = data.waarde("minima.uitgaven", gemeente, e1, b1, c["categorie"])
        olds.append(a)
        news.append(b)
        table.add(
            c["label"],
            [a, b, difference(a, b), None],
            cells=[
                euro(a),
                euro(b),
                verschil(difference(a, b)),
                procent_verschil(difference(a, b), a),
            ],
        )
    a, b = total(olds), total(news)
    table.add(
        "Totaal",
        [a, b, difference(a, b), None],
        cells=[euro(a), euro(b), verschil(difference(a, b)), procent_verschil(difference(a, b), a)],
        total=True,
    )
    return table


def schuldhulp_instroom(data: ReportData) -> Table:
    (b0, e0), (b1, e1) = data.jaar_periode(data.jaar - 1), data.jaar_periode()
    table = Table(
        "schuldhulp-instroom",
        f"Gestarte trajecten schulddienstverlening ({data.totaal})",
        ["Traject", str(data.jaar - 1), str(data.jaar), "Verschil"],
    )
    olds, news = [], []
    for c in data.cats("schuldhulp.instroom"):
        a = data.waarde("schuldhulp.instroom", "TOTAAL", e0, b0, c["categorie"])
        b = data.waarde("schuldhulp.instroom", "TOTAAL", e1, b1, c["categorie"])
        olds.append(a)
        news.append(b)
        table.add(
            c["label"],
            [a, b, difference(a, b)],
            cells=[getal(a), getal(b), verschil(difference(a, b))],
        )
    a, b = total(olds), total(news)
    table.add(
        "Totaal",
        [a, b, difference(a, b)],
        cells=[getal(a), getal(b), verschil(difference(a, b))],
        total=True,
    )
    return table


def schuldhulp_lopend(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    days = data.tertiaaleinden
    table = Table(
        f"schuldhulp-lopend-{gemeente.lower()}",
        f"Lopende dossiers schulddienstverlening {data.jaar}"
        + ("" if gemeente != "TOTAAL" else f" ({data.totaal})"),
        ["Product", *[korte_datum(d) for d in days]],
    )
    for c in data.cats("schuldhulp.lopend"):
        table.add(
            c["label"],
            [data.waarde("schuldhulp.lopend", gemeente, d, categorie=c["categorie"]) for d in days],
        )
    return table


def tozo_liep(data: ReportData) -> bool:
    """Did the Tozo run in the report year: decisions taken in it, by the delivery?"""
    start, end = data.jaareinden

    def taken_by(day):  # decisions and business-capital loans up to the day (NaN: withheld)
        besluiten = total(
            [
                data.waarde("tozo.besluiten", "TOTAAL", day, categorie=c["categorie"])
                for c in data.cats("tozo.besluiten")
            ]
        )
        return (data.waarde("tozo.bedrijfskapitaal", "TOTAAL", day) or 0) + (besluiten or 0)

    before, after = taken_by(start), taken_by(end)
    if geheim(after) or geheim(before):
        return True  # withheld: a few decisions, so it ran
    return after > before


def tozo(data: ReportData) -> Table:
    """Tozo decisions on the tertial ends of the year and extra dates the delivery covers."""
    days = [
        d
        for d in [*data.tertiaaleinden, *data.extra_peildata]
        if data.gedekt("tozo.besluiten", None, d)
    ]
    table = Table(
        "tozo",
        f"Besluiten Tozo, alle uitkomsten ({data.totaal})",
        ["Regeling", *[f"t/m {korte_datum(d)}" for d in days]],
    )
    for c in data.cats("tozo.besluiten"):
        values = [
            data.waarde("tozo.besluiten", "TOTAAL", d, categorie=c["categorie"]) for d in days
        ]
        if any(values):
            table.add(f"{c['label']} levensonderhoud", values)
    table.add(
        "Lening bedrijfskapitaal", [data.waarde("tozo.bedrijfskapitaal", "TOTAAL", d) for d in days]
    )
    return table


def buig(data: ReportData, gemeente: str = "TOTAAL") -> Chart:
    days = data.tertiaaleinden
    series = {
        c["label"]: [
            data.waarde("buig.uitgaven_cumulatief", gemeente, d, categorie=c["categorie"])
            for d in days
        ]
        for c in data.cats("buig.uitgaven_cumulatief")
    }
    chart = Chart(
        f"buig-{gemeente.lower()}",
        f"Uitgaven BUIG {data.jaar}, opgeteld vanaf 1 januari",
        "bars",
        [korte_datum(d) for d in days],
        series,
        "Euro",
        "Peildatum",
        money=True,
    )
    chart.table = chart_table(chart, euro)
    return chart


# -- the factsheets -----------------------------------------------------------------------------
def minima_uitgaven_jaar(data: ReportData, gemeente: str) -> Table:
    begin, end = data.jaar_periode()
    table = Table(
        f"minima-{gemeente.lower()}",
        f"Uitgaven minimabeleid en bijzondere bijstand {data.jaar}",
        ["Regeling", "Uitgaven"],
    )
    values = []
    for c in data.cats("minima.uitgaven"):
        v = data.waarde("minima.uitgaven", gemeente, end, begin, c["categorie"])
        values.append(v)
        table.add(c["label"], [v], euro)
    table.add("Totaal", [total(values)], euro, total=True)
    return table


def sw_gemeente(data: ReportData, gemeente: str) -> Table:
    days = data.tertiaaleinden
    table = Table(
        f"sw-{gemeente.lower()}",
        "Aantal SW / Nieuw beschut",
        ["Plaatsing", *[korte_datum(d) for d in days]],
    )
    per_day = []
    for c in data.cats("sw.medewerkers"):
        values = [
            data.waarde("sw.medewerkers", gemeente, d, categorie=c["categorie"]) for d in days
        ]
        per_day.append(values)
        if c["categorie"] != "ONBEKEND" or any(values):
            table.add(c["label"], values)
    table.add("Totaal Wsw", [total([v[i] for v in per_day]) for i in range(len(days))], total=True)
    for c in data.cats("nieuw_beschut.medewerkers"):
        table.add(
            c["label"],
            [
                data.waarde("nieuw_beschut.medewerkers", gemeente, d, categorie=c["categorie"])
                for d in days
            ],
        )
    return table


def leeftijd_verloop(data: ReportData, gemeente: str) -> Chart:
    days = [data.peildata[0], data.jaareinden[0], *data.tertiaaleinden]
    series = {
        a["label"]: [
            data.waarde(
                "bijstand.uitkeringen_naar_leeftijd", gemeente, d, leeftijd=a["leeftijdsklasse"]
            )
            for d in days
        ]
        for a in data.leeftijdsklassen
    }
    chart = Chart(
        f"leeftijd-{gemeente.lower()}",
        "Verloop uitkeringen per leeftijdscategorie van de aanvrager",
        "stacked",
        [korte_datum(d) for d in days],
        series,
        "Aantal uitkeringen",
        "Peildatum",
    )
    chart.table = chart_table(chart)
    return chart


def duur_leeftijd(data: ReportData, gemeente: str) -> Chart:
    day = data.jaareinden[1]
    series = {
        a["label"]: [
            data.waarde(
                "bijstand.personen_naar_leeftijd_duur",
                gemeente,
                day,
                leeftijd=a["leeftijdsklasse"],
                duur=d["duurklasse"],
            )
            for d in data.duurklassen
        ]
        for a in data.leeftijdsklassen
    }
    chart = Chart(
        f"duur-{gemeente.lower()}",
        f"Bijstandsduur afgezet tegen leeftijd, {korte_datum(day)}",
        "bars",
        [d["label"] for d in data.duurklassen],
        series,
        "Aantal personen",
        "Bijstandsduur",
    )
    chart.table = chart_table(chart)
    return chart


def aanvullend_arbeid(data: ReportData, gemeente: str) -> Chart:
    days = [d for d in data.peildata if d.year >= data.jaar - 1]
    chart = Chart(
        f"arbeid-{gemeente.lower()}",
        "Aantal uitkeringen aanvullend op inkomsten uit arbeid",
        "bars",
        [korte_datum(d) for d in days],
        {"Uitkeringen": [data.waarde("bijstand.aanvullend_arbeid", gemeente, d) for d in days]},
        "Aantal uitkeringen",
        "Peildatum",
    )
    chart.table = chart_table(chart)
    return chart


def uitstroom_redenen(data: ReportData, gemeente: str) -> Chart:
    periods = data.tertialen()
    series = {
        f"{label} ({korte_datum(e)})": [
            data.waarde("bijstand.uitstroom", gemeente, e, b, c["categorie"])
            for c in data.cats("bijstand.uitstroom")
        ]
        for label, (b, e) in zip(data.tertiaal_labels, periods, strict=True)
    }
    chart = Chart(
        f"uitstroom-{gemeente.lower()}",
        f"Beëindigde uitkeringen (uitstroom) per tertiaal {data.jaar}, naar reden",
        "bars",
        [c["label"] for c in data.cats("bijstand.uitstroom")],
        series,
        "Aantal uitkeringen",
        "Reden",
    )
    chart.table = chart_table(chart)
    return chart
