"""The tables and charts of the annual report and the factsheets, built from the mart.

Each builder returns a Table (and a chart spec where the report has a chart). Cells hold the
mart's figures, formatted the Dutch way; the only arithmetic here is presentation on those
figures: a total of the rows shown, a difference between two columns, a share of a total.
A cell the delivery does not cover shows "–"; a table without any covered cell is marked
empty, and the templates then say that the data is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pipelines.report.data import ReportData
from pipelines.report.formatting import euro, getal, korte_datum, procent

D = dt.date


@dataclass
class Row:
    label: str
    values: list[float | None]
    cells: list[str]
    total: bool = False


@dataclass
class Table:
    id: str
    caption: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for r in self.rows for v in r.values)

    def add(
        self,
        label: str,
        values: list[float | None],
        fmt: Callable[[float | None], str] = getal,
        total: bool = False,
        cells: list[str] | None = None,
    ) -> None:
        self.rows.append(Row(label, values, cells or [fmt(v) for v in values], total))


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

    @property
    def empty(self) -> bool:
        return all(v is None for values in self.series.values() for v in values)

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
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def difference(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else new - old


def chart_table(chart: Chart, fmt: Callable[[float | None], str] = getal) -> Table:
    table = Table(
        f"{chart.id}-cijfers",
        f"Cijfers bij de grafiek: {chart.title}",
        [chart.x_label, *chart.series],
    )
    for i, x in enumerate(chart.x_labels):
        table.add(x, [chart.series[s][i] for s in chart.series], fmt)
    return table


# -- the annual report ------------------------------------------------------------------------
def detachering_sw(data: ReportData) -> Table:
    """Detachering SW: per placement the count and share at the two year ends, the
    difference, and the FTE at the last."""
    old, new = data.jaareinden
    table = Table(
        "detachering-sw",
        "Detachering SW (alle gemeenten samen)",
        [
            "Plaatsing",
            f"{korte_datum(old)} aantal",
            "%",
            f"{korte_datum(new)} aantal",
            "%",
            "Verschil aantal",
            f"Aantal fte {korte_datum(new)}",
        ],
    )
    cats = [c["categorie"] for c in data.cats("sw.medewerkers")]
    counts = {
        d: {c: data.waarde("sw.medewerkers", "TOTAAL", d, categorie=c) for c in cats}
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
                getal(difference(a, b), teken=True),
                getal(ftes[c], 1),
            ],
        )
    fte_total = total(list(ftes.values()))
    table.add(
        "Totaal",
        [totals[old], None, totals[new], None, difference(totals[old], totals[new]), fte_total],
        cells=[
            getal(totals[old]),
            "100%" if totals[old] else "–",
            getal(totals[new]),
            "100%" if totals[new] else "–",
            getal(difference(totals[old], totals[new]), teken=True),
            getal(fte_total, 1),
        ],
        total=True,
    )
    return table


def leeftijd_duur(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    """Persons on bijstand by duration (rows) and age (columns) on 31-12 of the year, with
    shares; '> 2 jaar' is 2 to 5 years plus 5 years and longer, as in the report."""
    day = data.jaareinden[1]
    ages = data.leeftijdsklassen
    groups = [
        ("tot6m", ["tot6m"], "< 6 maanden"),
        ("6mtot2j", ["6mtot2j"], "6 mnd. - 2 jaar"),
        ("2jplus", ["2jtot5j", "vanaf5j"], "> 2 jaar"),
    ]
    table = Table(
        f"leeftijd-duur-{gemeente.lower()}",
        f"Mensen in de bijstand naar bijstandsduur en leeftijd, {korte_datum(day)} "
        "(aanvragers en partners)",
        ["Bijstandsduur", *[a["label"] for a in ages], "Totaal", "%"],
    )

    def cell(age: str, duurs: list[str]) -> float | None:
        return total(
            [
                data.waarde(
                    "bijstand.personen_naar_leeftijd_duur", gemeente, day, leeftijd=age, duur=d
                )
                for d in duurs
            ]
        )

    grid = {
        (g, a["leeftijdsklasse"]): cell(a["leeftijdsklasse"], duurs)
        for g, duurs, _l in groups
        for a in ages
    }
    grand = total(list(grid.values()))
    for g, _duurs, label in groups:
        values = [grid[(g, a["leeftijdsklasse"])] for a in ages]
        row_total = total(values)
        table.add(
            label,
            [*values, row_total, None],
            cells=[*[getal(v) for v in values], getal(row_total), procent(row_total, grand)],
        )
    column_totals = [total([grid[(g, a["leeftijdsklasse"])] for g, _d, _l in groups]) for a in ages]
    table.add(
        "Totaal",
        [*column_totals, grand, None],
        cells=[*[getal(v) for v in column_totals], getal(grand), "100%" if grand else "–"],
        total=True,
    )
    table.add(
        "%",
        [None] * (len(ages) + 2),
        cells=[*[procent(v, grand) for v in column_totals], "100%" if grand else "–", ""],
    )
    return table


def bijstand_stromen(data: ReportData) -> Table:
    """In- and outflow per tertial of the year and in the year, outflow by category."""
    periods = [*data.tertialen(), data.jaar_periode()]
    labels = [f"T{i}" for i in (1, 2, 3)] + [str(data.jaar)]
    table = Table(
        "bijstand-stromen",
        f"Instroom en uitstroom bijstand {data.jaar} (alle gemeenten samen)",
        ["Stroom", *labels],
    )
    table.add(
        "Instroom (uitkeringen)",
        [data.waarde("bijstand.instroom", "TOTAAL", e, b) for b, e in periods],
    )
    for c in data.cats("bijstand.uitstroom"):
        table.add(
            f"Uitstroom: {c['label'].lower()}",
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
    old, new = data.jaareinden
    table = Table(
        "nieuw-beschut",
        "Nieuw beschut (alle gemeenten samen)",
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
        ["Regeling", *[g["naam"] for g in members], "Totaal Avres", "Eenheid"],
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
            cells=[*[getal(v) for v in values], getal(regio), c["eenheid"].capitalize()],
        )
    return table


def minima_uitgaven(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    """Spending per scheme, the year before and the year, the difference and its %."""
    (b0, e0), (b1, e1) = data.jaar_periode(data.jaar - 1), data.jaar_periode()
    table = Table(
        f"minima-uitgaven-{gemeente.lower()}",
        "Uitgaven minimaregelingen en bijzondere bijstand",
        ["Regeling", str(data.jaar - 1), str(data.jaar), "Verschil", "%"],
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
                euro(difference(a, b), teken=True),
                procent(difference(a, b), a, teken=True),
            ],
        )
    a, b = total(olds), total(news)
    table.add(
        "Totaal",
        [a, b, difference(a, b), None],
        cells=[
            euro(a),
            euro(b),
            euro(difference(a, b), teken=True),
            procent(difference(a, b), a, teken=True),
        ],
        total=True,
    )
    return table


def schuldhulp_instroom(data: ReportData) -> Table:
    (b0, e0), (b1, e1) = data.jaar_periode(data.jaar - 1), data.jaar_periode()
    table = Table(
        "schuldhulp-instroom",
        "Schulddienstverlening: gestarte trajecten (alle gemeenten samen)",
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
            cells=[getal(a), getal(b), getal(difference(a, b), teken=True)],
        )
    a, b = total(olds), total(news)
    table.add(
        "Totaal",
        [a, b, difference(a, b)],
        cells=[getal(a), getal(b), getal(difference(a, b), teken=True)],
        total=True,
    )
    return table


def schuldhulp_lopend(data: ReportData, gemeente: str = "TOTAAL") -> Table:
    days = data.tertiaaleinden
    table = Table(
        f"schuldhulp-lopend-{gemeente.lower()}",
        f"Lopende dossiers schulddienstverlening {data.jaar}",
        ["Product", *[korte_datum(d) for d in days]],
    )
    for c in data.cats("schuldhulp.lopend"):
        table.add(
            c["label"],
            [data.waarde("schuldhulp.lopend", gemeente, d, categorie=c["categorie"]) for d in days],
        )
    return table


def tozo(data: ReportData) -> Table:
    """Tozo decisions on the reference dates the delivery covers (Tozo started in 2020)."""
    days = [
        d for d in [*data.peildata, *data.extra_peildata] if data.gedekt("tozo.besluiten", None, d)
    ]
    table = Table(
        "tozo",
        "Besluiten Tozo (alle uitkomsten, alle gemeenten samen)",
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
        f"Uitgaven BUIG {data.jaar}, cumulatief",
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
def uitkeringen(data: ReportData, gemeente: str) -> Table:
    days = [data.jaareinden[0], *data.tertiaaleinden]
    table = Table(
        f"uitkeringen-{gemeente.lower()}",
        "Totaal aantal verstrekte uitkeringen",
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
            cells=[
                *[getal(v) for v in values],
                getal(difference(values[0], values[-1]), teken=True),
            ],
            total=is_total,
        )
    return table


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
    table.add("Totaal WSW", [total([v[i] for v in per_day]) for i in range(len(days))], total=True)
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
        "Verloop uitkeringen per leeftijdscategorie (aanvrager)",
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
    days = [
        D(data.jaar - 1, 4, 30),
        D(data.jaar - 1, 8, 31),
        data.jaareinden[0],
        *data.tertiaaleinden,
    ]
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
        f"T{i + 1} ({korte_datum(e)})": [
            data.waarde("bijstand.uitstroom", gemeente, e, b, c["categorie"])
            for c in data.cats("bijstand.uitstroom")
        ]
        for i, (b, e) in enumerate(periods)
    }
    chart = Chart(
        f"uitstroom-{gemeente.lower()}",
        f"Aantal uitkeringen beëindigd (uitstroom) per tertiaal {data.jaar}, naar reden",
        "bars",
        [c["label"] for c in data.cats("bijstand.uitstroom")],
        series,
        "Aantal uitkeringen",
        "Reden",
    )
    chart.table = chart_table(chart)
    return chart
