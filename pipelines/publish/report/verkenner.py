"""The verkenner: every published figure, to explore in one page (``rapport/verkenner.html``).

The page works offline and without a server (from the publication folder, a USB stick or any
static host): its script and style are inline and the figures are embedded as JSON, so it
fetches nothing. What it holds is read here:

- every vintage of the history (``historie.kerncijfers``): a series shows per date the value
  of the latest delivery that has it, and the revisions between deliveries;
- per vintage, what its delivery covered (``historie.dekking``): a figure outside it is left
  out (by the report's rule, ``data.covers``), so that the page says "no data" where the
  report does, instead of showing a zero;
- with ``--openbaar``, per vintage which cells disclosure control withheld
  (``historie.geheimhouding``): such a figure is held as no value with its reason, and a
  vintage without that record is left out altogether;
- the words of the report (``ReportData``): titles, units, domains, categories and classes,
  municipality names, the definitions (dbt doc blocks) and the published figures that differ.

How a figure is formatted, charted and offered for download is the page's script
(``report_templates/verkenner.js``), which formats numbers as the report does.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlencode

import duckdb
from jinja2 import Environment

from pipelines.compute.disclosure import reason_texts, rules
from pipelines.config import REPORT_TEMPLATES_DIR
from pipelines.publish.exports import KEY
from pipelines.publish.report.cijfers import Afwijking
from pipelines.publish.report.data import ReportData, covers, rows
from pipelines.publish.report.formatting import korte_datum, periode

FILE_NAME = "verkenner.html"
KEY_COLUMNS = [name for name, _type in KEY]
DIMENSIONS = ("categorie", "leeftijdsklasse", "duurklasse")

# Every vintage's figures; with --openbaar as the open data allowed them: a withheld value is
# null with its reason, and a vintage without a record of its disclosure control is left out.
FIGURES = "select h.*, null as reden from historie.kerncijfers as h"
PROTECTED = f"""
    select h.* replace (case when g.geheim then null else h.waarde end as waarde),
        case when g.geheim then g.reden end as reden
    from historie.kerncijfers as h
    join historie.geheimhouding as g
        on g.exportdatum is not distinct from h.exportdatum
        and {" and ".join(f"g.{k} is not distinct from h.{k}" for k in KEY_COLUMNS)}
"""


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def compact(value: float | None) -> float | int | None:
    """A whole number without '.0': the page is smaller and reads the same."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def kind_and_label(data: ReportData, begin: dt.date | None, eind: dt.date) -> tuple[str, str]:
    """A date or period as the page names it: its kind (peildatum, tertiaal, jaar or
    periode) and its label ('31-12-2019', 'T1 2019', '2019')."""
    if begin is None:
        return "peildatum", korte_datum(eind)
    if (begin, eind) == data.jaar_periode(eind.year):
        return "jaar", str(eind.year)
    for (b, e), label in zip(data.tertialen(eind.year), data.tertiaal_labels, strict=True):
        if (b, e) == (begin, eind):
            return "tertiaal", f"{label} {eind.year}"
    return "periode", periode(begin, eind)


class Times:
    """The reference dates and periods of the figures, each once, in order of time, with the
    label a reader sees and their kind."""

    def __init__(self, data: ReportData, spans: set[tuple[dt.date | None, dt.date]]) -> None:
        self.spans = sorted(spans, key=lambda s: (s[1], s[0] or s[1]))
        self.index = {span: i for i, span in enumerate(self.spans)}
        self.data = data

    def as_list(self) -> list[list]:
        return [[iso(b), iso(e), *reversed(kind_and_label(self.data, b, e))] for b, e in self.spans]


def series_break_note(data: ReportData, organisation_texts: list[str]) -> str:
    """What a series break means, with what the organisation says about the changes."""
    return " ".join(
        [
            "Reeksbreuk: dit cijfer omvat niet het hele huidige gebied van de gemeente, "
            f"omdat {data.teksten['organisatie']} een deel ervan toen niet bediende.",
            *organisation_texts,
        ]
    )


def build(warehouse: Path, data: ReportData, openbaar: bool) -> dict:
    """Everything the page shows, as one JSON-ready dict."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        figures = rows(
            con,
            f"""select * from ({PROTECTED if openbaar else FIGURES}) as f
                order by indicator, exportdatum nulls first, gemeente, periode_begin nulls first,
                    periode_eind, categorie nulls first, leeftijdsklasse nulls first,
                    duurklasse nulls first""",
        )
        vintages = [
            r[0]
            for r in con.execute(
                "select distinct exportdatum from historie.kerncijfers order by 1 nulls first"
            ).fetchall()
        ]
        protected = {
            r[0]
            for r in con.execute(
                "select distinct exportdatum from historie.geheimhouding"
            ).fetchall()
        }
        coverage: dict[dt.date | None, dict[str, dict]] = {}
        for span in rows(con, "select * from historie.dekking"):
            coverage.setdefault(span["exportdatum"], {})[span["domein"]] = span
        domains = rows(con, "select domein, titel from referentie.domeinen order by volgorde")
        served = rows(
            con,
            "select toelichting from organisatie.bediende_gebieden "
            "where coalesce(toelichting, '') <> '' order by gemeente_code",
        )
    domain_order = {d["domein"]: i for i, d in enumerate(domains)}
    shown = [v for v in vintages if v in protected] if openbaar else vintages
    vintage_index = {v: i for i, v in enumerate(shown)}
    times = Times(data, {(f["periode_begin"], f["periode_eind"]) for f in figures})
    members = [[g["gemeente_code"], g["naam"]] for g in data.gemeenten]
    gemeenten = [*members, ["TOTAAL", data.totaal]]
    gemeente_index = {code: i for i, (code, _name) in enumerate(gemeenten)}
    notes = [series_break_note(data, [r["toelichting"] for r in served])]
    differences = reconciliation_notes(data)
    note_index: dict[str, int] = {}

    def note_of(f: dict) -> int | None:
        """The footnote of a figure this run's reference published differently."""
        text = differences.get(tuple(f[k] for k in KEY_COLUMNS))
        if text is None or f["exportdatum"] != data.levering.get("exportdatum"):
            return None
        if text not in note_index:
            note_index[text] = len(notes)
            notes.append(text)
        return note_index[text]

    cells: dict[str, dict[tuple, list]] = {}
    for f in figures:
        if f["exportdatum"] not in vintage_index or f["gemeente"] not in gemeente_index:
            continue
        if not covered(data, coverage, f):
            continue
        key = (
            gemeente_index[f["gemeente"]],
            times.index[(f["periode_begin"], f["periode_eind"])],
            f["categorie"],
            f["leeftijdsklasse"],
            f["duurklasse"],
        )
        row = cells.setdefault(f["indicator"], {}).setdefault(key, [*key, [], None])
        row[5].append(
            [
                vintage_index[f["exportdatum"]],
                compact(f["waarde"]),
                int(f["status"] == "voorlopig"),
                int(bool(f["reeksbreuk"])),
                f.get("reden"),
            ]
        )
        row[6] = note_of(f) if row[6] is None else row[6]
    return {
        "organisatie": data.teksten["organisatie"],
        "totaal": data.totaal,
        "openbaar": openbaar,
        "leveringen": [iso(v) for v in shown],
        "weggelaten_leveringen": [iso(v) for v in vintages if v not in vintage_index],
        # the delivery of this run, whose published figures that differ have a footnote
        "huidige_levering": vintage_index.get(data.levering.get("exportdatum")),
        "domeinen": [[d["domein"], d["titel"]] for d in domains],
        "gemeenten": gemeenten,
        "tijden": times.as_list(),
        "klassen": {
            "leeftijdsklasse": [[k["leeftijdsklasse"], k["label"]] for k in data.leeftijdsklassen],
            "duurklasse": [[k["duurklasse"], k["label"]] for k in data.duurklassen],
        },
        "redenen": reason_texts(rules()),
        "noten": notes,
        # in the order a reader sees them: by domain, then as the catalogue orders them
        "indicatoren": [
            indicator_entry(data, row, list(cells.get(indicator, {}).values()))
            for indicator, row in sorted(
                data.indicatoren.items(),
                key=lambda item: (domain_order[item[1]["domein"]], int(item[1]["volgorde"])),
            )
        ],
    }


def covered(data: ReportData, coverage: dict[dt.date | None, dict[str, dict]], f: dict) -> bool:
    """Did the figure's delivery cover it (as the report decides)? A vintage published before
    coverage was kept counts as covering what it published."""
    if f["exportdatum"] not in coverage:
        return True
    row = data.indicatoren[f["indicator"]]
    spans = coverage[f["exportdatum"]]
    return covers(spans.get(row["domein"]), row["gebied"], f["periode_begin"], f["periode_eind"])


def reconciliation_notes(data: ReportData) -> dict[tuple, str]:
    """Per cell of this run whose published figure differs, the report's footnote."""
    return {
        tuple(r[k] for k in KEY_COLUMNS): data.voetnoot(
            Afwijking(r["gepubliceerd"], r["berekend"], r["publicatie"], r["toelichting"]),
            r["gemeente"],
        )
        for r in data.afwijkingen
    }


def indicator_entry(data: ReportData, row: dict, cells: list[list]) -> dict:
    indicator = row["indicator"]
    return {
        "id": indicator,
        "titel": row["titel"],
        "domein": row["domein"],
        "eenheid": row["eenheid"],
        "soort": row["soort"],
        "aandeel": bool(row["aandeel"]),
        "decimalen": 1 if row["eenheid"] == "fte" else 0,
        "definitie": data.definities.get(indicator, ""),
        "categorieen": [
            [c["categorie"], c["label"], c["eenheid"] or row["eenheid"]]
            for c in data.cats(indicator)
        ],
        "rijen": cells,
    }


def time_key(begin: dt.date | None, eind: dt.date) -> str:
    """How the page's address names a date or period (verkenner.js: tijdSleutel)."""
    return f"{begin.isoformat()}_{eind.isoformat()}" if begin else eind.isoformat()


def links(data: ReportData, cells: list[tuple]) -> list[tuple[str, str]]:
    """Per indicator a table shows, in its order: its title and the address that opens the
    verkenner on the table's figures (the selection after '#', as verkenner.js reads it):
    its municipalities, breakdown cells and dates or periods (of the kind most of its
    figures have: tertials, years or reference dates)."""
    found: list[tuple[str, str]] = []
    for indicator in dict.fromkeys(cell[0] for cell in cells):
        own = [cell for cell in cells if cell[0] == indicator]
        kinds = [kind_and_label(data, cell[2], cell[3])[0] for cell in own]
        kind = max(dict.fromkeys(kinds), key=kinds.count)
        spans = sorted(
            {(c[2], c[3]) for c, k in zip(own, kinds, strict=True) if k == kind},
            key=lambda span: (span[1], span[0] or span[1]),
        )
        selection = {
            "i": indicator,
            "g": ",".join(data.order(cell[1] for cell in own)),
        }
        for position, dimension in enumerate(DIMENSIONS, start=4):
            values = list(dict.fromkeys(cell[position] for cell in own))
            if values != [None]:
                selection[dimension] = ",".join("-" if v is None else v for v in values)
        selection |= {"per": kind, "van": time_key(*spans[0]), "tot": time_key(*spans[-1])}
        found.append((data.titel(indicator), f"{FILE_NAME}#{urlencode(selection, safe=',')}"))
    return found


def script_json(payload: dict) -> str:
    """JSON that is safe inside a <script> element: no '</' can end it early."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def write(env: Environment, out_dir: Path, payload: dict, common: dict) -> Path:
    """The page, with its style, script and figures inline."""
    path = out_dir / FILE_NAME
    path.write_text(
        env.get_template("verkenner.html.j2").render(
            titel=f"Verkenner: kerncijfers {payload['organisatie']}",
            soort="verkenner",
            gegevens=script_json(payload),
            script=(REPORT_TEMPLATES_DIR / "verkenner.js").read_text(encoding="utf-8"),
            stijl=(REPORT_TEMPLATES_DIR / "verkenner.css").read_text(encoding="utf-8"),
            **common,
        ),
        encoding="utf-8",
    )
    return path
