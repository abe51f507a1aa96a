"""The report's layout as data: the organisation's ``rapport.yml``, checked and turned into
the contents of its pages.

The layout names the jaarverslag's chapters (title, goal, blocks), its key points, and the
sections and charts of a factsheet. A block is a heading, a text, a sentence list, a table,
a chart, or a condition with the blocks it guards; ``content`` builds each kind from the mart.
``check_layout`` checks a layout against the catalogue before any work: an unknown indicator,
category, date or placeholder is refused in one line naming the file and the place.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pipelines.catalogue import catalogue, categories, dbt_vars
from pipelines.organisation import LAYOUT_FILE, Organisation, OrganisationError
from pipelines.publish.report import content as c
from pipelines.publish.report.data import ReportData

# The dates and periods a layout can name (ReportData.peildata_van, perioden_van).
PEILDATA = (
    "jaareinde",
    "vorig_jaareinde",
    "jaareinden",
    "tertiaaleinden",
    "peildata",
    "extra_peildata",
    "eerste_peildatum",
    "peildata_vanaf_vorig_jaar",
    "jaareinden_van_de_peildata",
    "laatste_jaareinde",
)
PERIODEN = ("jaar", "vorig_jaar", "tertialen")
# What every text may name (ReportData.plaatshouders), and what some may name besides.
PLACEHOLDERS = {"organisatie", "totaal", "jaar", "vorig_jaar", "gemeente"}
TABLES: dict[str, Callable[..., c.Table]] = {
    "tabel": c.tabel,
    "verdeling": c.verdeling,
    "kruistabel": c.kruistabel,
    "gemeententabel": c.gemeententabel,
    "herinstroomtabel": c.herinstroomtabel,
}
CHARTS: dict[str, Callable[..., c.Chart]] = {"grafiek": c.grafiek, "cohortgrafiek": c.cohortgrafiek}
TEXTS = ("kop", "tekst", "ontbreekt")
DEFAULT_INTRODUCTION = (
    "Dit jaarverslag geeft de kerncijfers van {organisatie} over {jaar}. Daarna volgt per "
    "gemeente een factsheet, en een pagina over hoe de cijfers tot stand komen."
)
ID = re.compile(r"[a-z0-9{}]+([-_][a-z0-9{}]+)*")


class LayoutError(OrganisationError):
    """The layout names what the catalogue does not have, or is not a layout."""


# -- checking ----------------------------------------------------------------------------------


class Checker:
    """Checks a layout; ``where`` is the place being checked, as the error names it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where: list[str] = []
        self.indicators = catalogue()
        self.domains = {row["domein"] for row in self.indicators.values()}
        self.settings = {n for n, v in dbt_vars().items() if isinstance(v, str | int | float)}
        self.ids: set[str] = set()
        self.per_municipality = False  # checking the factsheet: an id per municipality

    def fail(self, problem: str) -> LayoutError:
        place = " › ".join(self.where)
        return LayoutError(f"organisation folder: {self.path}: {place}: {problem}")

    def at(self, *place: str) -> _Place:
        return _Place(self, place)

    def mapping(self, value: object, required: tuple[str, ...], optional: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail("must be a mapping (key: value)")
        missing = [k for k in required if k not in value]
        if missing:
            raise self.fail(f"'{missing[0]}' is missing")
        unknown = [k for k in value if k not in required + optional]
        if unknown:
            known = ", ".join(required + optional)
            raise self.fail(f"'{unknown[0]}' is not a setting here (known: {known})")
        return value

    def listing(self, value: object) -> list:
        if not isinstance(value, list) or not value:
            raise self.fail("must be a list of one or more items")
        return value

    def text(self, value: object, *extra: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail("must be a text")
        allowed = PLACEHOLDERS | self.settings | set(extra)
        try:
            names = {name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name}
        except ValueError as error:
            raise self.fail(
                f"'{value}': {error} (a literal brace is written {{{{ or }}}})"
            ) from None
        unknown = sorted(names - allowed)
        if unknown:
            raise self.fail(f"'{{{unknown[0]}}}' is not something a text can name here")
        return value

    def indicator(self, value: object, breakdown: str | None = None) -> str:
        if value not in self.indicators:
            raise self.fail(f"indicator '{value}' is not in the catalogue (seed indicatoren)")
        if breakdown and breakdown not in self.indicators[value]["uitsplitsing"]:
            raise self.fail(f"indicator '{value}' has no breakdown by {breakdown}")
        return value

    def category(self, indicator: str, value: object) -> None:
        if value is not None and value not in categories(indicator):
            raise self.fail(f"'{value}' is not a category of {indicator}")

    def block_id(self, value: object) -> None:
        if not isinstance(value, str) or not ID.fullmatch(value):
            raise self.fail(f"id '{value}' must be lower-case letters, digits and -")
        if self.per_municipality and "{gemeente}" not in value:
            raise self.fail(
                f"id '{value}' must hold {{gemeente}}: every factsheet's charts share a folder"
            )
        if value in self.ids:
            raise self.fail(f"id '{value}' appears twice on the page")
        self.ids.add(value)

    def when(self, spec: dict, indicator: str | None = None) -> None:
        """A spec's date (peildatum/peildata) or period (periode/perioden), of the right kind
        for its indicator (a stock on dates, a flow over periods)."""
        dates = [spec[k] for k in ("peildatum", "peildata") if k in spec]
        periods = [spec[k] for k in ("periode", "perioden") if k in spec]
        if len(dates) + len(periods) != 1:
            raise self.fail("needs one of peildatum, peildata, periode or perioden")
        names = dates[0] if dates else periods[0]
        for name in names if isinstance(names, list) else [names]:
            if name not in (PEILDATA if dates else PERIODEN):
                known = ", ".join(PEILDATA if dates else PERIODEN)
                raise self.fail(f"'{name}' is not a {'date' if dates else 'period'} ({known})")
        if indicator:
            kind = self.indicators[indicator]["soort"]
            if (kind == "voorraad") != bool(dates):
                what = "a stock (on dates: peildatum)" if dates == [] else "a flow (periode)"
                raise self.fail(f"{indicator} is {what}")

    # -- the kinds of block --------------------------------------------------------------------

    def blocks(self, items: object, *extra: str, name: str = "inhoud") -> None:
        for number, block in enumerate(self.listing(items), start=1):
            with self.at(f"{name} {number}"):
                self.block(block, *extra)

    def block(self, block: object, *extra: str) -> None:
        if not isinstance(block, dict) or not block:
            raise self.fail("a block is a mapping with one kind: " + ", ".join(self.kinds()))
        kind = next(iter(block))
        if kind == "als":
            self.mapping(block, ("als", "dan"), ("anders",))
            self.condition(block["als"])
            self.blocks(block["dan"], *extra, name="dan")
            if "anders" in block:
                self.text(block["anders"], *extra)
            return
        if len(block) != 1 or kind not in self.kinds():
            raise self.fail(f"'{kind}' is not a kind of block ({', '.join(self.kinds())})")
        with self.at(kind):
            spec = block[kind]
            if kind in TEXTS:
                self.text(spec, *extra)
            elif kind == "zinnen":
                self.mapping(spec, ("lijst",), ("samen",))
                self.sentences(spec["lijst"])
            elif kind == "grafiek":
                self.chart(spec)
            else:
                getattr(self, kind)(spec)

    def herinstroomtabel(self, spec: object) -> None:
        self.mapping(spec, ("id", "indicator", "cumulatief"), ("titel", "kop", "totaal"))
        self.headings(spec)
        indicator = self.indicator(spec["indicator"], "categorie")
        labels = self.listing(spec["cumulatief"])
        if len(labels) >= len(categories(indicator)):
            raise self.fail(f"cumulatief: fewer columns than {indicator} has categories")
        for label in labels:
            self.text(label)
        if "totaal" in spec:
            self.text(spec["totaal"])

    def cohortgrafiek(self, spec: object) -> None:
        self.mapping(
            spec, ("id", "indicator", "basis", "y_as", "x_as"), ("titel", "reeks", "legenda")
        )
        self.block_id(spec["id"])
        self.indicator(spec["indicator"], "categorie_leeftijdsklasse")
        self.indicator(spec["basis"], "leeftijdsklasse")
        for key in ("y_as", "x_as"):
            self.text(spec[key])
        if "titel" in spec:
            self.text(spec["titel"])
        if "reeks" in spec:
            self.text(spec["reeks"], "jaar")
        if "legenda" in spec:
            self.text(spec["legenda"])

    @staticmethod
    def kinds() -> tuple[str, ...]:
        return (*TEXTS, "zinnen", *TABLES, *CHARTS, "als")

    def sentences(self, items: object) -> None:
        for number, item in enumerate(self.listing(items), start=1):
            with self.at(f"zin {number}"):
                self.sentence(item)

    def sentence(self, item: object) -> None:
        if (
            not isinstance(item, dict)
            or len(item) != 1
            or next(iter(item))
            not in (
                "verandering",
                "cijfer",
            )
        ):
            raise self.fail("a sentence is 'verandering' or 'cijfer'")
        kind, spec = next(iter(item.items()))
        if kind == "verandering":
            self.mapping(spec, ("onderwerp", "indicator", "eenheid"), ("categorie",))
            self.text(spec["onderwerp"])
            self.category(self.indicator(spec["indicator"]), spec.get("categorie"))
            if self.indicators[spec["indicator"]]["soort"] != "voorraad":
                raise self.fail(f"{spec['indicator']} is a flow: a change is of a stock")
        else:
            self.cell(spec, ("tekst",))
            self.text(spec["tekst"], "waarde")

    def cell(self, spec: object, required: tuple[str, ...] = ()) -> None:
        when = ("peildatum", "peildata", "periode", "perioden")
        self.mapping(spec, ("indicator", *required), ("categorie", *when))
        self.category(self.indicator(spec["indicator"]), spec.get("categorie"))
        self.when(spec, spec["indicator"])

    def condition(self, spec: object) -> None:
        with self.at("als"):
            self.mapping(spec, (), ("gegevens", "cijfer", "toename"))
            if not spec:
                raise self.fail("names no condition (gegevens, cijfer, toename)")
            if "gegevens" in spec and spec["gegevens"] not in self.domains:
                raise self.fail(
                    f"'{spec['gegevens']}' is not a domain ({', '.join(sorted(self.domains))})"
                )
            if "cijfer" in spec:
                self.cell(spec["cijfer"])
            for indicator in spec.get("toename") or []:
                self.indicator(indicator)

    def tabel(self, spec: object) -> None:
        self.mapping(
            spec,
            ("id", "rijen", "kolommen"),
            ("titel", "kop", "verschil", "verschil_procent", "noot", "totaalrij"),
        )
        self.headings(spec)
        for number, row in enumerate(self.listing(spec["rijen"]), start=1):
            with self.at(f"rij {number}"):
                if isinstance(row, dict) and "duurklassen" in row:
                    self.mapping(row, ("duurklassen",), ("subtotaal",))
                    self.indicator(row["duurklassen"], "duurklasse")
                elif isinstance(row, dict) and "categorieen" in row:
                    self.mapping(row, ("categorieen",), ("label", "weglaten_als_leeg", "subtotaal"))
                    indicator = self.indicator(row["categorieen"], "categorie")
                    if "label" in row:
                        self.text(row["label"], "label", "label_klein")
                    leave_out = row.get("weglaten_als_leeg", False)
                    if isinstance(leave_out, list):
                        for code in leave_out:
                            self.category(indicator, code)
                else:
                    self.mapping(row, ("indicator", "label"), ("categorie", "totaal"))
                    self.category(self.indicator(row["indicator"]), row.get("categorie"))
        rows = spec["rijen"]
        first = rows[0].get("indicator") or rows[0].get("categorieen") or rows[0]["duurklassen"]
        for number, column in enumerate(self.listing(spec["kolommen"]), start=1):
            with self.at(f"kolom {number}"):
                when = ("peildatum", "peildata", "periode", "perioden")
                self.mapping(column, (), ("indicator", "kop", "alleen_gedekt", *when))
                indicator = self.indicator(column.get("indicator") or first)
                self.when(column, indicator)
                if "kop" in column:
                    self.text(column["kop"], "datum")
        for key in ("verschil", "verschil_procent"):
            if key in spec:
                with self.at(key):
                    self.mapping(spec[key], ("kop",), ())
                    self.text(spec[key]["kop"])
        if "verschil_procent" in spec and "verschil" not in spec:
            raise self.fail("verschil_procent needs verschil")
        if "noot" in spec:
            self.text(spec["noot"], "eerste", "laatste")

    def headings(self, spec: dict, *extra: str) -> None:
        self.block_id(spec["id"])
        for key in ("titel", "kop", "totaalrij"):
            if key in spec:
                self.text(spec[key], *extra)

    def verdeling(self, spec: object) -> None:
        self.mapping(spec, ("id", "indicator"), ("titel", "kop", "weglaten_als_leeg", "bijkolom"))
        self.headings(spec)
        indicator = self.indicator(spec["indicator"], "categorie")
        for code in spec.get("weglaten_als_leeg") or []:
            self.category(indicator, code)
        if "bijkolom" in spec:
            with self.at("bijkolom"):
                self.mapping(spec["bijkolom"], ("indicator", "kop"), ("decimalen",))
                self.indicator(spec["bijkolom"]["indicator"], "categorie")
                self.text(spec["bijkolom"]["kop"], "datum")

    def kruistabel(self, spec: object) -> None:
        self.mapping(spec, ("id", "indicator"), ("titel", "kop", "peildatum"))
        self.headings(spec, "datum")
        self.indicator(spec["indicator"], "leeftijdsklasse_duurklasse")
        if "peildatum" in spec:
            self.when(spec, spec["indicator"])

    def gemeententabel(self, spec: object) -> None:
        when = ("peildatum", "periode")
        self.mapping(spec, ("id", "indicator"), ("titel", "kop", *when))
        self.headings(spec)
        self.when(spec, self.indicator(spec["indicator"], "categorie"))

    def chart(self, spec: object) -> None:
        self.mapping(spec, ("id", "x", "reeksen", "y_as", "x_as"), ("titel", "soort"))
        self.block_id(spec["id"])
        if spec.get("soort", "staven") not in ("staven", "gestapeld"):
            raise self.fail("soort is staven or gestapeld")
        for key in ("y_as", "x_as"):
            self.text(spec[key])
        with self.at("x"):
            x = spec["x"]
            if isinstance(x, dict) and "peildata" in x:
                self.mapping(x, ("peildata",), ("als",))
                self.when(x)
                if x.get("als", "datum") not in ("datum", "jaar"):
                    raise self.fail("als is datum or jaar")
            elif isinstance(x, dict) and "categorieen" in x:
                self.mapping(x, ("categorieen",), ())
                self.indicator(x["categorieen"], "categorie")
            else:
                self.mapping(x, ("duurklassen",), ("peildatum",))
                self.indicator(x["duurklassen"], "duurklasse")
        with self.at("reeksen"):
            series = spec["reeksen"]
            if isinstance(series, list):
                for number, s in enumerate(series, start=1):
                    with self.at(f"reeks {number}"):
                        self.mapping(s, ("indicator", "label"), ())
                        self.indicator(s["indicator"])
                        self.text(s["label"])
            elif isinstance(series, dict) and "tertialen" in series:
                self.mapping(series, ("tertialen",), ("label",))
                self.indicator(series["tertialen"])
                if "label" in series:
                    self.text(series["label"], "label", "datum")
            else:
                kinds = ("categorieen", "leeftijdsklassen")
                kind = next((k for k in kinds if isinstance(series, dict) and k in series), None)
                if kind is None:
                    raise self.fail(
                        "a list of series, or one per categorieen, leeftijdsklassen or tertialen"
                    )
                self.mapping(series, (kind,), ())
                self.indicator(
                    series[kind], {"categorieen": "categorie"}.get(kind, "leeftijdsklasse")
                )
        if "titel" in spec:
            self.text(spec["titel"], "datum")


class _Place:
    def __init__(self, checker: Checker, place: tuple[str, ...]) -> None:
        self.checker, self.place = checker, place

    def __enter__(self) -> None:
        self.checker.where.extend(self.place)

    def __exit__(self, *_exc: object) -> None:
        del self.checker.where[-len(self.place) :]


def check_layout(organisation: Organisation) -> None:
    """Check the organisation's layout against the catalogue (LayoutError in one line)."""
    checker = Checker(organisation.folder / LAYOUT_FILE)
    layout = organisation.layout
    checker.mapping(layout, ("jaarverslag", "factsheet"), ())
    with checker.at("jaarverslag"):
        report = checker.mapping(layout["jaarverslag"], ("hoofdstukken",), ("inleiding", "kern"))
        if "inleiding" in report:
            with checker.at("inleiding"):
                checker.text(report["inleiding"])
        if "kern" in report:
            with checker.at("kern"):
                checker.sentences(report["kern"])
        seen = set()
        for number, chapter in enumerate(checker.listing(report["hoofdstukken"]), start=1):
            with checker.at(f"hoofdstuk {number}"):
                checker.mapping(chapter, ("id", "titel", "inhoud"), ("doelstelling",))
                if chapter["id"] in seen or not ID.fullmatch(str(chapter["id"])):
                    raise checker.fail(f"id '{chapter['id']}' must be unique: letters, digits, -")
                seen.add(chapter["id"])
                checker.text(chapter["titel"])
                if "doelstelling" in chapter:
                    checker.text(chapter["doelstelling"])
                checker.blocks(chapter["inhoud"])
    checker.ids, checker.per_municipality = set(), True
    with checker.at("factsheet"):
        sheet = checker.mapping(layout["factsheet"], ("secties",), ("grafieken",))
        for number, section in enumerate(checker.listing(sheet["secties"]), start=1):
            with checker.at(f"sectie {number}"):
                for part in (
                    section["rij"] if isinstance(section, dict) and "rij" in section else [section]
                ):
                    checker.mapping(part, ("id", "kop", "inhoud"), ())
                    checker.text(part["kop"])
                    checker.blocks(part["inhoud"])
        if "grafieken" in sheet:
            with checker.at("grafieken"):
                charts = checker.mapping(sheet["grafieken"], ("id", "kop", "lijst"), ())
                checker.text(charts["kop"])
                for number, chart in enumerate(checker.listing(charts["lijst"]), start=1):
                    with checker.at(f"grafiek {number}"):
                        if isinstance(chart, dict) and "cohortgrafiek" in chart:
                            checker.mapping(chart, ("cohortgrafiek",), ())
                            checker.cohortgrafiek(chart["cohortgrafiek"])
                        else:
                            checker.chart(chart)


# -- the pages ---------------------------------------------------------------------------------


def blocks(data: ReportData, items: list[Mapping[str, Any]], gemeente: str) -> list[dict]:
    """The blocks of a chapter or section, built: what the template shows, in order."""
    built: list[dict] = []
    for block in items:
        kind, spec = next(iter(block.items()))
        if kind == "als":
            if c.voorwaarde(data, spec, gemeente):
                built += blocks(data, block["dan"], gemeente)
            elif "anders" in block:
                built.append(
                    {"soort": "ontbreekt", "tekst": c.fill(block["anders"], data, gemeente)}
                )
        elif kind in TEXTS:
            built.append({"soort": kind, "tekst": c.fill(spec, data, gemeente)})
        elif kind == "zinnen":
            zinnen = [z for z in (c.zin(data, s, gemeente) for s in spec["lijst"]) if z]
            built.append({"soort": "zinnen", "zinnen": zinnen, "samen": spec.get("samen", False)})
        elif kind in CHARTS:
            built.append({"soort": "grafiek", "grafiek": CHARTS[kind](data, spec, gemeente)})
        else:
            built.append({"soort": "tabel", "tabel": TABLES[kind](data, spec, gemeente)})
    return built


def jaarverslag(data: ReportData, layout: Mapping[str, Any]) -> dict:
    """The chapters of the jaarverslag and its key points."""
    report = layout["jaarverslag"]
    return {
        "inleiding": c.fill(report.get("inleiding", DEFAULT_INTRODUCTION), data),
        "kern": [z for z in (c.zin(data, s) for s in report.get("kern", [])) if z],
        "hoofdstukken": [
            {
                "id": chapter["id"],
                "titel": c.fill(chapter["titel"], data),
                "doelstelling": c.fill(chapter["doelstelling"], data)
                if "doelstelling" in chapter
                else None,
                "blokken": blocks(data, chapter["inhoud"], "TOTAAL"),
            }
            for chapter in report["hoofdstukken"]
        ],
    }


def chart(data: ReportData, spec: Mapping[str, Any], gemeente: str) -> c.Chart:
    """A chart of a factsheet's list: a bar chart's spec, or {cohortgrafiek: spec}."""
    if "cohortgrafiek" in spec:
        return c.cohortgrafiek(data, spec["cohortgrafiek"], gemeente)
    return c.grafiek(data, spec, gemeente)


def factsheet(data: ReportData, layout: Mapping[str, Any], gemeente: dict) -> dict:
    """A factsheet's sections (one, or a row of them side by side) and its charts."""
    code = gemeente["gemeente_code"]
    sheet = layout["factsheet"]

    def section(part: Mapping[str, Any]) -> dict:
        return {
            "id": f"{part['id']}-{gemeente['slug']}",
            "kop": c.fill(part["kop"], data, code),
            "blokken": blocks(data, part["inhoud"], code),
        }

    rows = [
        {"naast_elkaar": "rij" in s, "secties": [section(p) for p in s.get("rij", [s])]}
        for s in sheet["secties"]
    ]
    charts = sheet.get("grafieken")
    return {
        "gemeente": gemeente,
        "rijen": rows,
        "grafieken": {
            "id": f"{charts['id']}-{gemeente['slug']}",
            "kop": c.fill(charts["kop"], data, code),
            "lijst": [chart(data, spec, code) for spec in charts["lijst"]],
        }
        if charts
        else None,
    }
