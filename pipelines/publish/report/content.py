"""The tables, charts and sentences of the annual report and the factsheets, built from the
mart as the organisation's layout asks (its rapport.yml, read by ``layout``).

Each kind of block the layout can name has one builder here: a table (``tabel``, ``verdeling``,
``kruistabel``, ``gemeententabel``), a chart (``grafiek``: a Chart with its figures as a
table), a sentence (``zin``) or a condition (``voorwaarde``). No builder knows an indicator:
the layout names them, with their cells, dates and periods. Cells hold the mart's
figures, formatted the Dutch way; the only arithmetic here is presentation on those figures:
a total of the rows shown, a difference between two columns, a share of a total. A cell the
delivery does not cover shows "–"; a withheld figure (report from the protected figures), and
a total or difference computed from one, shows "."; a table without any covered cell is
marked empty, and the templates then say that the data is missing. Where the organisation
published a different value for a figure, the cell carries a footnote that says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipelines.publish.report.cijfers import Afwijking, Cijfer, voorlopig
from pipelines.publish.report.formatting import (
    GEEN_GEGEVENS,
    aandeel,
    datum,
    euro,
    geheim,
    getal,
    korte_datum,
    periode,
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
    cellen: list[tuple] = field(default_factory=list)  # the cells of the mart it shows
    verken: list[tuple[str, str]] = field(default_factory=list)  # (title, verkenner link)

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
        self.cellen += [
            v.cel for v in values if getattr(v, "cel", None) and v.cel not in self.cellen
        ]
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
    percent: bool = False  # the figures are shares, in percent
    legend_title: str | None = None

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
        fmt = euro if self.money else aandeel if self.percent else getal
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


# -- the kinds of block a layout can ask for ---------------------------------------------------
#
# Every builder takes the block's spec from the organisation's layout (rapport.yml; checked by
# ``layout.check_layout``) and the municipality it is about (TOTAAL in the jaarverslag). None
# knows an indicator: the layout names the indicators, cells, dates and periods.

Spec = Mapping[str, Any]


@dataclass(frozen=True)
class Cel:
    """Where a figure stands: an indicator's cell on a date or over a period."""

    indicator: str
    eind: D
    begin: D | None = None
    categorie: str | None = None
    leeftijd: str | None = None
    duur: str | None = None
    gemeente: str | None = None  # None: the municipality the block is about

    def waarde(self, data: ReportData, gemeente: str) -> float | None:
        return data.waarde(
            self.indicator,
            self.gemeente or gemeente,
            self.eind,
            self.begin,
            self.categorie,
            self.leeftijd,
            self.duur,
        )

    def noot(self, data: ReportData, gemeente: str) -> str | None:
        where = self.gemeente or gemeente
        afwijking = data.afwijking(
            self.indicator, where, self.eind, self.begin, self.categorie, self.leeftijd
        )
        return note(data, where, afwijking)


def fill(text: str, data: ReportData, about: str = "TOTAAL", **extra: object) -> str:
    """A layout's text with its placeholders filled in (layout.PLACEHOLDERS names them);
    `about`: the municipality the block is about, whose name {gemeente} is."""
    return text.format_map(data.plaatshouders(about) | extra)


def block_id(spec: Spec, data: ReportData, gemeente: str) -> str:
    """A block's id in the page; {gemeente} in it is the municipality's code (or totaal)."""
    return fill(spec["id"], data, gemeente, gemeente=gemeente.lower())


def caption(spec: Spec, data: ReportData, gemeente: str, indicator: str, **extra: object) -> str:
    """The block's title: the layout's, or the catalogue's title of its indicator."""
    return fill(spec.get("titel") or data.titel(indicator), data, gemeente, **extra)


def fmt_for(data: ReportData, indicator: str, decimalen: int | None = None) -> Fmt:
    """How a figure of the indicator prints: euros, FTE with a decimal, or a whole number."""
    eenheid = data.indicatoren[indicator]["eenheid"]
    if eenheid == "euro":
        return euro
    places = decimalen if decimalen is not None else 1 if eenheid == "fte" else 0
    return (lambda v: getal(v, places)) if places else getal


def times(data: ReportData, spec: Spec) -> list[tuple[D | None, D, str | None]]:
    """The (begin, end, default head) of a spec's date or period: peildatum/peildata (stock) or
    periode/perioden (flow)."""
    for key in ("peildatum", "peildata"):
        if key in spec:
            return [(None, d, None) for d in data.peildata_van(spec[key])]
    for key in ("periode", "perioden"):
        if key in spec:
            return list(data.perioden_van(spec[key]))
    return []


def head_context(begin: D | None, eind: D) -> dict[str, object]:
    """What a column head may say of its date or period: {datum} and {jaar}."""
    return {"datum": korte_datum(eind), "jaar": eind.year}


@dataclass
class RijSpec:
    label: str
    indicator: str
    categorie: str | None = None
    totaal: bool = False
    groep: int = 0
    weglaten_als_leeg: bool = False
    duur: str | None = None


def rows_of(data: ReportData, spec: Spec) -> tuple[list[RijSpec], dict[int, str]]:
    """A table's rows (an indicator each, or one per category of an indicator), and the label
    of the subtotal each group of categories ends with."""
    rows: list[RijSpec] = []
    subtotals: dict[int, str] = {}
    for number, row in enumerate(spec["rijen"]):
        if "categorieen" in row:
            indicator = row["categorieen"]
            leave_out = row.get("weglaten_als_leeg", False)
            for c in data.cats(indicator):
                label = c["label"]
                text = row.get("label", "{label}")
                rows.append(
                    RijSpec(
                        fill(text, data, label=label, label_klein=label[:1].lower() + label[1:]),
                        indicator,
                        c["categorie"],
                        groep=number,
                        weglaten_als_leeg=leave_out is True or c["categorie"] in (leave_out or []),
                    )
                )
            if row.get("subtotaal"):
                subtotals[number] = row["subtotaal"]
        elif "duurklassen" in row:
            for d in data.duurklassen:
                rows.append(
                    RijSpec(d["label"], row["duurklassen"], groep=number, duur=d["duurklasse"])
                )
            if row.get("subtotaal"):
                subtotals[number] = row["subtotaal"]
        else:
            rows.append(
                RijSpec(
                    row["label"],
                    row["indicator"],
                    row.get("categorie"),
                    row.get("totaal", False),
                    number,
                )
            )
    return rows, subtotals


def columns_of(data: ReportData, spec: Spec) -> list[tuple[str, str | None, D | None, D]]:
    """A table's value columns: (head, indicator override, begin, end)."""
    columns = []
    for column in spec["kolommen"]:
        spans = times(data, column)
        if column.get("alleen_gedekt"):
            indicator = column.get("indicator") or first_indicator(spec)
            spans = [(b, e, h) for b, e, h in spans if data.gedekt(indicator, b, e)]
        for begin, eind, default in spans:
            template = column.get("kop")
            head = (
                fill(template, data, **head_context(begin, eind))
                if template
                else default or korte_datum(eind)
            )
            columns.append((head, column.get("indicator"), begin, eind))
    return columns


def first_indicator(spec: Spec) -> str:
    row = spec["rijen"][0]
    return row.get("indicator") or row.get("categorieen") or row["duurklassen"]


def tabel(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Table:
    """Rows (indicators, or the categories of one) by columns (dates or periods, each of the
    row's indicator or of one the column names), with the difference between the first and
    the last column and its percentage, subtotals per group of categories and a total row
    when the layout asks for them."""
    rows, subtotals = rows_of(data, spec)
    columns = columns_of(data, spec)
    extra = [spec[k]["kop"] for k in ("verschil", "verschil_procent") if k in spec]
    table = Table(
        block_id(spec, data, gemeente),
        caption(spec, data, gemeente, first_indicator(spec)),
        [spec.get("kop", ""), *[head for head, *_ in columns], *extra],
    )
    if "noot" in spec and columns:
        table.note = fill(
            spec["noot"],
            data,
            gemeente,
            eerste=korte_datum(columns[0][3]),
            laatste=korte_datum(columns[-1][3]),
        )

    def cells_of(row: RijSpec) -> list[Cel]:
        return [
            Cel(indicator or row.indicator, eind, begin, row.categorie, duur=row.duur)
            for _head, indicator, begin, eind in columns
        ]

    def add(
        label: str,
        values: list[float | None],
        notes: list[str | None],
        fmts: list[Fmt],
        is_total: bool,
    ) -> None:
        texts = [f(v) for f, v in zip(fmts, values, strict=True)]
        values, notes = list(values), list(notes)
        if "verschil" in spec:
            change = difference(values[0], values[-1]) if values else None
            if "verschil_procent" in spec:
                texts += [verschil(change), procent_verschil(change, values[0])]
                values += [change, None]
                notes += [None, None]
            else:
                texts.append(verschil(change))
                values.append(change)
                notes.append(None)
        table.add(label, values, cells=texts, notes=notes, total=is_total)

    def formats(row: RijSpec) -> list[Fmt]:
        return [fmt_for(data, c.indicator) for c in cells_of(row)]

    shown: list[tuple[RijSpec, list[Cel], list[float | None]]] = []
    for number, row in enumerate(rows):
        cells = cells_of(row)
        values = [c.waarde(data, gemeente) for c in cells]
        shown.append((row, cells, values))
        if not (row.weglaten_als_leeg and not any(values)):
            add(
                row.label, values, [c.noot(data, gemeente) for c in cells], formats(row), row.totaal
            )
        ends_group = number + 1 == len(rows) or rows[number + 1].groep != row.groep
        if ends_group and row.groep in subtotals:
            group = [s for s in shown if s[0].groep == row.groep]
            add(subtotals[row.groep], *totals_of(data, gemeente, group), formats(row), True)
    if spec.get("totaalrij") and shown:
        add(spec["totaalrij"], *totals_of(data, gemeente, shown), formats(rows[0]), True)
    return table


def totals_of(
    data: ReportData, gemeente: str, rows: list[tuple[RijSpec, list[Cel], list[float | None]]]
) -> tuple[list[float | None], list[str | None]]:
    """Per column the total of the rows, and the footnote that says what the published cells
    added up to where some were published differently."""
    sums, notes = [], []
    for i in range(len(rows[0][1])):
        cells = [cells[i] for _row, cells, _values in rows]
        values = [values[i] for _row, _cells, values in rows]
        parts = [
            data.afwijking(c.indicator, c.gemeente or gemeente, c.eind, c.begin, c.categorie)
            for c in cells
        ]
        sums.append(total(values))
        notes.append(published_total(data, gemeente, parts, values))
    return sums, notes


def verdeling(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Table:
    """The categories of an indicator at the two year ends: the count and share at each, the
    difference, and (bijkolom) another indicator's figure at the last, e.g. the FTE."""
    indicator = spec["indicator"]
    old, new = data.jaareinden
    extra = spec.get("bijkolom")
    heads = [spec.get("kop", ""), f"Aantal {korte_datum(old)}", "Aandeel"]
    heads += [f"Aantal {korte_datum(new)}", "Aandeel", "Verschil"]
    if extra:
        heads.append(fill(extra["kop"], data, gemeente, **head_context(None, new)))
    table = Table(block_id(spec, data, gemeente), caption(spec, data, gemeente, indicator), heads)
    cats = [c["categorie"] for c in data.cats(indicator)]
    leave_out = spec.get("weglaten_als_leeg") or []
    counts = {
        d: {c: Cel(indicator, d, categorie=c).waarde(data, gemeente) for c in cats}
        for d in (old, new)
    }
    notes = {
        d: {c: data.afwijking(indicator, gemeente, d, categorie=c) for c in cats}
        for d in (old, new)
    }
    extras = {
        c: Cel(extra["indicator"], new, categorie=c).waarde(data, gemeente) if extra else None
        for c in cats
    }
    places = int(extra.get("decimalen", 0)) if extra else 0
    totals = {d: total(list(counts[d].values())) for d in (old, new)}
    for c in cats:
        a, b = counts[old][c], counts[new][c]
        if (leave_out is True or c in leave_out) and not (a or b):
            continue
        values = [a, None, b, None, difference(a, b)] + ([extras[c]] if extra else [])
        cells = [getal(a), procent(a, totals[old]), getal(b), procent(b, totals[new])]
        cells += [verschil(difference(a, b))] + ([getal(extras[c], places)] if extra else [])
        row_notes = [note(data, gemeente, notes[old][c]), None, note(data, gemeente, notes[new][c])]
        table.add(
            data.label(indicator, c),
            values,
            cells=cells,
            notes=row_notes + [None] * (len(cells) - 3),
        )
    extra_total = total(list(extras.values())) if extra else None

    def total_note(day: D) -> str | None:
        return published_total(
            data, gemeente, list(notes[day].values()), list(counts[day].values())
        )

    a, b = totals[old], totals[new]
    values = [a, None, b, None, difference(a, b)] + ([extra_total] if extra else [])
    cells = [getal(a), "100%" if a else GEEN_GEGEVENS, getal(b), "100%" if b else GEEN_GEGEVENS]
    cells += [verschil(difference(a, b))] + ([getal(extra_total, places)] if extra else [])
    table.add(
        "Totaal",
        values,
        cells=cells,
        notes=[total_note(old), None, total_note(new)] + [None] * (len(cells) - 3),
        total=True,
    )
    return table


def kruistabel(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Table:
    """An indicator by age class and duration class on a date (the year end): duration in
    rows, grouped as the seed duurklassen groups them, age in columns, with totals and
    shares."""
    indicator = spec["indicator"]
    day = data.peildata_van(spec.get("peildatum", "jaareinde"))[0]
    ages = data.leeftijdsklassen
    groups = data.duurgroepen
    table = Table(
        block_id(spec, data, gemeente),
        caption(spec, data, gemeente, indicator, datum=korte_datum(day)),
        [spec.get("kop", ""), *[a["label"] for a in ages], "Totaal", "Aandeel"],
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


def gemeententabel(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Table:
    """The categories of an indicator per member municipality and in total, with the unit of
    each category."""
    indicator = spec["indicator"]
    (begin, eind, _head), *_ = times(data, spec)
    members = data.gemeenten
    table = Table(
        block_id(spec, data, gemeente),
        caption(spec, data, gemeente, indicator),
        [spec.get("kop", ""), *[g["naam"] for g in members], data.totaal, "Eenheid"],
    )
    for c in data.cats(indicator):
        cells = [
            Cel(indicator, eind, begin, c["categorie"], gemeente=code)
            for code in [*(g["gemeente_code"] for g in members), "TOTAAL"]
        ]
        values = [cell.waarde(data, gemeente) for cell in cells]
        table.add(
            c["label"],
            [*values, None],
            cells=[
                *[getal(v) for v in values],
                c["eenheid"] or data.indicatoren[indicator]["eenheid"],
            ],
            notes=[*[cell.noot(data, gemeente) for cell in cells], None],
        )
    return table


def herinstroomtabel(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Table:
    """An indicator that splits each year's cases into windows, in order (re-entry within 6
    months, 6 to 12, ...): per year the cases, and how many fell within the first one, two,
    three windows, cumulatively, with their share."""
    indicator = spec["indicator"]
    cats = [c["categorie"] for c in data.cats(indicator)]
    labels = spec["cumulatief"]
    heads = [spec.get("kop", ""), spec.get("totaal", "Totaal")]
    for label in labels:
        heads += [label, "%"]
    table = Table(block_id(spec, data, gemeente), caption(spec, data, gemeente, indicator), heads)
    for begin, eind in data.perioden_van_indicator(indicator):
        parts = [Cel(indicator, eind, begin, c).waarde(data, gemeente) for c in cats]
        table.breuken |= {v.sleutel for v in parts if getattr(v, "reeksbreuk", False)}
        cases = total(parts)
        values, cells = [cases], [getal(cases)]
        for k in range(1, len(labels) + 1):
            within = total(parts[:k])
            values += [within, None]
            cells += [getal(within), procent(within, cases)]
        table.add(periode(begin, eind), values, cells=cells)
    return table


def cohortgrafiek(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Chart:
    """Cohorts followed over the years: per cohort (a period of `basis`) the share of it that
    the indicator's categories (after 1, 2, ... years) still count, summed over the age
    classes, one line per cohort; a young cohort has fewer points."""
    indicator, basis = spec["indicator"], spec["basis"]
    cats = data.cats(indicator)
    ages = [a["leeftijdsklasse"] for a in data.leeftijdsklassen]

    def summed(name: str, begin: D, eind: D, categorie: str | None) -> float | None:
        found = [Cel(name, eind, begin, categorie, a).waarde(data, gemeente) for a in ages]
        if all(v is None for v in found):
            return None
        whole = total(found)
        breaks = any(getattr(v, "reeksbreuk", False) for v in found)
        return Cijfer(whole, voorlopig(whole), breaks, (gemeente, begin, eind))

    series: dict[str, list[float | None]] = {}
    for begin, eind in data.perioden_van_indicator(basis):
        inflow = summed(basis, begin, eind, None)
        shares: list[float | None] = []
        for c in cats:
            still = summed(indicator, begin, eind, c["categorie"])
            if still is None or not inflow:
                shares.append(None)
            elif geheim(still) or geheim(inflow):
                shares.append(float("nan"))
            else:
                shares.append(
                    Cijfer(
                        100 * still / inflow,
                        voorlopig(still, inflow),
                        getattr(inflow, "reeksbreuk", False),
                        getattr(inflow, "sleutel", None),
                    )
                )
        if any(v is not None for v in shares):
            series[fill(spec.get("reeks", "{jaar}"), data, gemeente, jaar=eind.year)] = shares
    reach = max(
        (i for vs in series.values() for i, v in enumerate(vs) if v is not None), default=-1
    )
    chart = Chart(
        block_id(spec, data, gemeente),
        caption(spec, data, gemeente, indicator),
        "lines",
        [c["label"] for c in cats[: reach + 1]],
        {name: values[: reach + 1] for name, values in series.items()},
        spec["y_as"],
        spec["x_as"],
        percent=True,
        legend_title=spec.get("legenda"),
    )
    chart.table = chart_table(chart, aandeel)
    return chart


# -- charts ------------------------------------------------------------------------------------


def x_axis(data: ReportData, spec: Spec) -> tuple[list[dict], list[str], dict[str, object]]:
    """The points of a chart's x axis, each a partial cell, with their labels, and what the
    title may say of them ({datum})."""
    x = spec["x"]
    if "peildata" in x:
        days = data.peildata_van(x["peildata"])
        labels = [str(d.year) if x.get("als") == "jaar" else korte_datum(d) for d in days]
        return [{"eind": d} for d in days], labels, {}
    if "categorieen" in x:
        cats = data.cats(x["categorieen"])
        return [{"categorie": c["categorie"]} for c in cats], [c["label"] for c in cats], {}
    day = data.peildata_van(x.get("peildatum", "jaareinde"))[0]
    return (
        [{"duur": d["duurklasse"], "eind": day} for d in data.duurklassen],
        [d["label"] for d in data.duurklassen],
        {"datum": korte_datum(day)},
    )


def series_of(data: ReportData, spec: Spec) -> list[tuple[str, dict]]:
    """A chart's series, each a name and a partial cell."""
    series = spec["reeksen"]
    if isinstance(series, list):
        return [(s["label"], {"indicator": s["indicator"]}) for s in series]
    if "categorieen" in series:
        indicator = series["categorieen"]
        return [
            (c["label"], {"indicator": indicator, "categorie": c["categorie"]})
            for c in data.cats(indicator)
        ]
    if "leeftijdsklassen" in series:
        indicator = series["leeftijdsklassen"]
        return [
            (a["label"], {"indicator": indicator, "leeftijd": a["leeftijdsklasse"]})
            for a in data.leeftijdsklassen
        ]
    indicator = series["tertialen"]
    return [
        (
            fill(series.get("label", "{label}"), data, label=label, datum=korte_datum(e)),
            {"indicator": indicator, "begin": b, "eind": e},
        )
        for b, e, label in data.perioden_van("tertialen")
    ]


def grafiek(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> Chart:
    """Bars (grouped, or stacked) of a chart's series over its x axis, with its figures as a
    table. Series of figures the organisation configures (a target) alone make no chart: when
    every series from the delivery is empty, so is the chart."""
    points, labels, about = x_axis(data, spec)
    series = series_of(data, spec)
    values = {
        name: [Cel(**(point | cell)).waarde(data, gemeente) for point in points]
        for name, cell in series
    }
    first = series[0][1]["indicator"]
    chart = Chart(
        block_id(spec, data, gemeente),
        caption(spec, data, gemeente, first, **about),
        "stacked" if spec.get("soort") == "gestapeld" else "bars",
        labels,
        values,
        spec["y_as"],
        spec["x_as"],
        money=data.indicatoren[first]["eenheid"] == "euro",
    )
    chart.table = chart_table(chart, fmt_for(data, first))
    from_delivery = [
        name for name, cell in series if data.indicatoren[cell["indicator"]]["gebied"] != "regio"
    ]
    if from_delivery and all(v is None for name in from_delivery for v in values[name]):
        chart.series = {name: [None] * len(points) for name in values}  # no data: say so
    return chart


# -- sentences and conditions ------------------------------------------------------------------


def change_sentence(
    subject: str,
    old: float | None,
    new: float | None,
    old_day: D,
    new_day: D,
    unit: str,
) -> str | None:
    """'Het aantal … is gedaald van 1.624 op 31 december 2018 naar 1.552 op 31 december 2019
    (72 minder).' — or nothing when a figure is missing."""
    if old is None or new is None or geheim(old) or geheim(new):
        return None
    if new == old:
        return (
            f"{subject} is gelijk gebleven: {getal(new)} {unit} op {datum(old_day)} "
            f"en op {datum(new_day)}."
        )
    verb, word = ("gedaald", "minder") if new < old else ("gestegen", "meer")
    return (
        f"{subject} is {verb} van {getal(old)} {unit} op {datum(old_day)} naar {getal(new)} "
        f"{unit} op {datum(new_day)} ({getal(abs(new - old))} {word})."
    )


def indicator_total(data: ReportData, spec: Spec, gemeente: str, eind: D) -> float | None:
    """An indicator's figure on a date: its cell, or the total of its categories."""
    indicator = spec["indicator"]
    if spec.get("categorie") is None and data.cats(indicator):
        return total(
            [
                Cel(indicator, eind, categorie=c["categorie"]).waarde(data, gemeente)
                for c in data.cats(indicator)
            ]
        )
    return Cel(indicator, eind, categorie=spec.get("categorie")).waarde(data, gemeente)


def zin(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> str | None:
    """One sentence about the figures, or None when its figure is missing: how a figure
    changed over the year (verandering), or a text with one figure (cijfer)."""
    if "verandering" in spec:
        s = spec["verandering"]
        old, new = data.jaareinden
        return change_sentence(
            fill(s["onderwerp"], data, gemeente),
            indicator_total(data, s, gemeente, old),
            indicator_total(data, s, gemeente, new),
            old,
            new,
            s["eenheid"],
        )
    s = spec["cijfer"]
    spans = times(data, s)
    if not spans:
        return None
    begin, eind, _head = spans[0]
    value = Cel(s["indicator"], eind, begin, s.get("categorie")).waarde(data, gemeente)
    if value is None:
        return None
    return fill(s["tekst"], data, gemeente, waarde=getal(value))


def voorwaarde(data: ReportData, spec: Spec, gemeente: str = "TOTAAL") -> bool:
    """Does a block's condition hold? Every part must: the delivery has data of a domain
    (gegevens), a figure is known (cijfer), the figures of some indicators rose over the year
    (toename: Tozo decisions taken in the report year; withheld figures are a few, so yes)."""
    if "gegevens" in spec and not data.heeft_gegevens(spec["gegevens"]):
        return False
    if "cijfer" in spec:
        s = spec["cijfer"]
        (begin, eind, _head), *_ = times(data, s) or [(None, None, None)]
        if (
            eind is None
            or Cel(s["indicator"], eind, begin, s.get("categorie")).waarde(data, gemeente) is None
        ):
            return False
    if "toename" in spec:
        start, end = data.jaareinden
        levels = [
            [indicator_total(data, {"indicator": i}, gemeente, day) for i in spec["toename"]]
            for day in (start, end)
        ]
        if not any(geheim(v) for day in levels for v in day):
            before, after = (sum(v or 0 for v in day) for day in levels)
            if after <= before:
                return False
    return True
