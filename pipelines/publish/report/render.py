"""Rendering the publications of a report year, in HTML (Jinja2) and PDF (WeasyPrint):

- ``jaarverslag-<jaar>``: the annual report for policy staff, the council and the public:
  title page, contents, the chapters of the organisation's annual report, the factsheets as
  an appendix, one page "Over deze cijfers" and a colophon;
- ``factsheet-<gemeente>-<jaar>``: one per member municipality, two A4 pages;
- ``verantwoording-<jaar>``: for auditors and analysts: the run, the delivery and its hashes,
  the checks, the definitions and the full reconciliation with the published figures;
- ``index.html``: every report year published in this output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipelines.compute.disclosure import reason_texts
from pipelines.config import REPORT_TEMPLATES_DIR
from pipelines.organisation import Organisation
from pipelines.publish.publication import REPORT_YEARS_FILE
from pipelines.publish.report import content as c
from pipelines.publish.report import layout, verkenner
from pipelines.publish.report.data import ReportData, load
from pipelines.publish.report.formatting import (
    datum,
    euro,
    geheim,
    getal,
    in_woorden,
    korte_datum,
    periode,
    verschil,
)
from pipelines.publish.report.pdf import PdfPrinter

log = logging.getLogger(__name__)


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(REPORT_TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def over_deze_cijfers(data: ReportData, run: dict) -> dict:
    """The page for every reader: where the figures come from, what they count, which differ
    from what was published before and why, and where the verantwoording is."""
    regelingen = {r["regeling"]: r["naam"] for r in data.uitkeringsregelingen}
    counted = [regelingen[r] for r in data.instellingen["bijstand_regelingen"]]
    days = int(data.instellingen["aansluitdagen"])
    tellen = [
        "Een uitkering is een bijstandsuitkering aan één huishouden ("
        + ", ".join(counted[:-1])
        + f" of {counted[-1]}); de mensen in de bijstand zijn de aanvragers en hun partners.",
        "Een aantal op een peildatum telt wat op die dag liep; instroom en uitstroom tellen "
        "uitkeringen die in een tertiaal of jaar begonnen of eindigden.",
        f"Wie binnen {days} dagen na het einde van een uitkering weer bijstand krijgt, telt niet "
        "als uitgestroomd; wie binnen die termijn terugkomt, niet als ingestroomd.",
        "Bedragen zijn betalingen naar betaaldatum, correcties en terugvorderingen inbegrepen, "
        "afgerond op hele euro's.",
        (
            f"{data.totaal} is de som van de {len(data.gemeenten)} gemeenten."
            if len(data.gemeenten) > 1
            else f"{data.totaal} omvat de gemeente {data.gemeenten[0]['naam']}."
        )
        + " Cijfers van andere gemeenten tellen niet mee.",
    ]
    groups: dict[tuple, list[dict]] = {}
    for r in data.afwijkingen:
        groups.setdefault((r["indicator"], r["gemeente"], r["periode_eind"]), []).append(r)
    afwijkingen = []
    for (indicator, gemeente, eind), rows in groups.items():
        where = f"{data.titel(indicator)}, {data.gemeente_naam(gemeente)}, {datum(eind)}"
        if len(rows) == 1:
            r = rows[0]
            cell = data.label(indicator, r["categorie"]) if r["categorie"] else ""
            what = (
                f"{where}{', ' + cell.lower() if cell else ''}: in {r['publicatie']} stond "
                f"{getal(r['gepubliceerd'])}, dit verslag telt {getal(r['berekend'])}."
            )
        else:
            what = (
                f"{where}: {in_woorden(len(rows))} cellen wijken af van {rows[0]['publicatie']}; "
                "de voetnoten bij de tabel geven per cel beide waarden."
            )
        why = rows[0]["toelichting"] or ""
        afwijkingen.append(f"{what} {why}".strip())
    revisions = data.revisie_samenvatting
    if revisions.get("figures"):
        afwijkingen.append(
            f"Ten opzichte van de levering van "
            f"{datum(dt.date.fromisoformat(revisions['previous_exportdatum']))} zijn "
            f"{getal(revisions['figures'])} cijfers veranderd, doordat registraties en "
            "beëindigingen later zijn verwerkt; "
            + (
                f"{getal(revisions['definitive'])} daarvan waren al definitief. "
                if revisions["definitive"]
                else "geen daarvan was al definitief. "
            )
            + "De verantwoording somt de herzieningen op."
        )
    return {
        "bron": (
            f"De cijfers zijn berekend uit de bronbestanden die {data.teksten['organisatie']} op "
            f"{run['exportdatum']} uit haar systemen haalde: uitkeringen en wie erop staat, "
            "inkomsten, SW-dienstverbanden en plaatsingen, minimaregelingen, "
            "schulddienstverlening, BUIG-boekingen, Tozo-besluiten en plaatsingen in het kader "
            "van de banenafspraak. Elke regel is gecontroleerd; een regel die niet klopt, telt "
            "niet mee en wordt in de verantwoording vermeld."
        ),
        "tellen": tellen,
        "afwijkingen": afwijkingen,
        "verantwoording": (
            f"De verantwoording bij dit jaarverslag (verantwoording-{data.jaar}.pdf) beschrijft "
            "de levering en haar bestanden, de controles die de berekening doorstond, de "
            "definitie van elk cijfer en de vergelijking met elk eerder gepubliceerd cijfer."
        ),
    }


def checks_passed(run: dict) -> list[str]:
    dbt, validation = run.get("dbt", {}), run.get("validation", {})
    return [
        "Invoercontract: alle bestanden aanwezig en leesbaar; "
        f"{getal(run.get('rows', 0))} rijen gelezen, "
        f"{getal(run.get('rejected', 0))} apart gezet met reden (tabel raw.afgekeurde_rijen).",
        f"dbt: {getal(dbt.get('models', 0))} modellen en seeds gebouwd, "
        f"{getal(dbt.get('tests_passed', 0))} "
        f"datatests op de uitkomsten geslaagd, {getal(dbt.get('tests_failed', 0))} mislukt. "
        "De unittests (de rekenregels van elk model op vaste rijen) en de tests van de "
        "seeds controleren de code zelf; die draaien bij elke wijziging van de code.",
        f"pandera: {getal(validation.get('checks', 0))} controles op de gepubliceerde tabel, "
        f"{getal(validation.get('failed', 0))} mislukt.",
        "Onder meer: het totaal is de som van de gemeenten; elke cel van elke indicator is "
        "aanwezig; aantallen zijn gehele getallen van nul of meer; eenheden volgen de catalogus.",
    ]


def files_table(data: ReportData) -> c.Table:
    table = c.Table(
        "bestanden",
        "Bestanden van de levering",
        ["Bestand", "Rijen", "Geaccepteerd", "Apart gezet", "SHA-256"],
    )
    for f in data.bestanden:
        table.add(
            f["bestand"],
            [f["rijen"], f["geaccepteerd"], f["afgekeurd"], None],
            cells=[
                getal(f["rijen"]),
                getal(f["geaccepteerd"]),
                getal(f["afgekeurd"]),
                f["sha256"] or "niet geleverd (een optioneel bestand)",
            ],
        )
    return table


UITKOMST = {
    ("exact", True): "gelijk",
    ("exact", False): "wijkt af",
    ("inconsistent", True): "gelijk",
    ("inconsistent", False): "tegenstrijdig gepubliceerd",
}


def wanneer(row: dict) -> str:
    """A row's date or period, as the report writes it."""
    if row["periode_begin"]:
        return periode(row["periode_begin"], row["periode_eind"])
    return korte_datum(row["periode_eind"])


def uitsplitsing(data: ReportData, row: dict) -> str:
    """A row's category and age/duration class in words ('' for the indicator's total)."""
    parts = [
        data.label(row["indicator"], row["categorie"]) if row["categorie"] else None,
        data.celnaam(row["leeftijdsklasse"], row["duurklasse"]) or None,
    ]
    return ", ".join(p for p in parts if p)


def reconciliation_table(data: ReportData) -> tuple[c.Table, str]:
    table = c.Table(
        "reconciliatie",
        "Gepubliceerd en berekend, per gepubliceerd cijfer",
        [
            "Cijfer",
            "Gemeente",
            "Peildatum of periode",
            "Uitsplitsing",
            "Gepubliceerd",
            "Berekend",
            "Uitkomst",
        ],
    )
    counts: dict[str, int] = {}
    agree: dict[str, int] = {}
    outside = 0
    withheld = 0
    for r in data.reconciliatie:
        if r["berekend"] is None:
            outside += 1
            continue
        hidden = geheim(r["berekend"])
        withheld += hidden
        fmt = euro if data.indicatoren[r["indicator"]]["eenheid"] == "euro" else getal
        when, cell = wanneer(r), uitsplitsing(data, r)
        if not hidden:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
            agree[r["status"]] = agree.get(r["status"], 0) + bool(r["komt_overeen"])
        table.add(
            data.titel(r["indicator"]),
            [r["gepubliceerd"], r["berekend"]],
            cells=[
                data.gemeente_naam(r["gemeente"]),
                when,
                cell or "—",
                fmt(r["gepubliceerd"]),
                fmt(r["berekend"]),
                "geheim" if hidden else UITKOMST[(r["status"], bool(r["komt_overeen"]))],
            ],
            notes=[None, None, None, None, None, r["toelichting"]],
        )
    summary = (
        f"Van de {getal(counts.get('exact', 0))} cijfers die als exact gelden, komen er "
        f"{getal(agree.get('exact', 0))} overeen met de berekening. Bij "
        f"{getal(counts.get('inconsistent', 0))} cijfers spreekt de publicatie zichzelf tegen "
        "(uitkomst: tegenstrijdig gepubliceerd); daar staan het gepubliceerde en het berekende "
        "cijfer naast elkaar. De voetnoten onder de tabel lichten de uitkomsten toe."
    )
    if outside:
        summary += (
            f" {getal(outside)} gepubliceerde cijfers gaan over peildata of perioden buiten dit "
            "verslagjaar en staan in de verantwoording van dat jaar."
        )
    if withheld:
        summary += (
            f" {getal(withheld)} berekende cijfers zijn geheim (uitkomst: geheim) en niet "
            "meegeteld: deze verantwoording toont de cijfers zoals de open data ze toelaat."
        )
    return table, summary


def jaarverslag_context(
    data: ReportData, run: dict, factsheets: list[dict], organisation: Organisation
) -> dict:
    """The jaarverslag: the Leeswijzer, the organisation's chapters (its layout), the
    factsheets as an appendix, "Over deze cijfers" and the colophon."""
    chapters = layout.jaarverslag(data, organisation.layout)
    contents = [
        ("leeswijzer", "Leeswijzer"),
        *[(h["id"], h["titel"]) for h in chapters["hoofdstukken"]],
        *[
            (f"factsheet-{f['gemeente']['slug']}", f"{i}. Factsheet {f['gemeente']['naam']}")
            for i, f in enumerate(factsheets, start=len(chapters["hoofdstukken"]) + 1)
        ],
        ("over", "Over deze cijfers"),
        ("colofon", "Colofon"),
    ]
    return chapters | {
        "inhoud": [{"id": i, "titel": t} for i, t in contents],
        "tertialen": data.tertiaal_seed,
        "factsheets": factsheets,
        "over": over_deze_cijfers(data, run),
    }


def revision_table(data: ReportData, rows: list[dict], id_: str, caption: str) -> c.Table:
    table = c.Table(
        id_,
        caption,
        [
            "Cijfer",
            "Gemeente",
            "Peildatum of periode",
            "Uitsplitsing",
            "Was",
            "Is nu",
            "Verschil",
            "Status was / is",
        ],
    )
    for r in rows:
        fmt = euro if r["eenheid"] == "euro" else getal
        when, cell = wanneer(r), uitsplitsing(data, r)
        table.add(
            data.titel(r["indicator"]),
            [r["vorige_waarde"], r["waarde"], r["verschil"]],
            cells=[
                data.gemeente_naam(r["gemeente"]),
                when,
                cell or "—",
                fmt(r["vorige_waarde"]),
                fmt(r["waarde"]),
                verschil(r["verschil"], 2 if r["eenheid"] in ("euro", "fte") else 0),
                f"{r['vorige_status']} / {r['status']}",
            ],
        )
    return table


def revisions_context(data: ReportData) -> dict:
    """The section Herzieningen: what changed since the previous vintage."""
    summary = data.revisie_samenvatting
    previous = summary.get("previous_exportdatum")
    if not previous:
        return {
            "tekst": "Dit is de eerste levering die in deze publicatie is verwerkt: er is nog geen "
            "eerdere jaargang om de cijfers mee te vergelijken.",
            "grootste": None,
            "definitief": None,
        }
    day = datum(dt.date.fromisoformat(previous))
    text = (
        f"Ten opzichte van de jaargang van de levering van {day} zijn "
        f"{getal(summary['figures'])} cijfers van dit verslag veranderd; "
        f"{getal(summary['definitive'])} daarvan waren al definitief."
    )
    if summary["definitive"]:
        text += (
            " Een definitief cijfer hoort niet meer te veranderen: de tabel hieronder noemt ze "
            "alle, met hun oude en nieuwe waarde; ze vragen om een toelichting van de "
            "bronhouder (bijvoorbeeld een beëindiging die laat is geregistreerd)."
        )
    return {
        "tekst": text,
        "grootste": revision_table(
            data,
            data.grootste_revisies,
            "herzieningen-grootste",
            "De grootste herzieningen per cijfer",
        ),
        "definitief": revision_table(
            data,
            data.revisies,
            "herzieningen-definitief",
            "Herziene cijfers die al definitief waren",
        ),
    }


def verantwoording_context(data: ReportData, run: dict) -> dict:
    rec_table, rec_summary = reconciliation_table(data)
    definities = [
        {
            "indicator": i,
            "titel": meta["titel"],
            "eenheid": meta["eenheid"],
            "tekst": data.definities.get(i, ""),
        }
        for i, meta in sorted(data.indicatoren.items(), key=lambda kv: int(kv[1]["volgorde"]))
    ]
    return {
        "bestanden": files_table(data),
        "controles": checks_passed(run),
        "begrippen": data.begrippen,
        "definities": definities,
        "reconciliatie": rec_table,
        "reconciliatie_samenvatting": rec_summary,
        "herzieningen": revisions_context(data),
        "geheimhouding": disclosure_context(run.get("geheimhouding")),
        "peildata": [korte_datum(d) for d in [*data.peildata, *data.extra_peildata]],
    }


def disclosure_context(summary: dict | None) -> dict | None:
    """The verantwoording's account of the open data's disclosure control: the rules with
    their thresholds, and how many cells each withheld."""
    if not summary:
        return None
    table = c.Table(
        "geheimhouding-regels",
        "Cellen die de open data niet publiceert, per regel",
        ["Regel", "Cellen"],
    )
    for reason, text in reason_texts(summary["regels"]).items():
        table.add(text[:1].upper() + text[1:], [summary["per_reden"].get(reason, 0)])
    table.add("Totaal niet gepubliceerd", [summary["geheim"]], total=True)
    return {
        "tabel": table,
        "tekst": (
            f"De open data (open-data/kerncijfers.csv) bevat dezelfde {getal(summary['cellen'])} "
            f"cellen als de interne tabel; {getal(summary['geheim'])} daarvan zijn geheim: hun "
            "waarde is leeg en de kolom geheim is true. Geen geheime cel is uit de gepubliceerde "
            "cellen terug te rekenen: dat is voor elke groep cellen die optelt tot een "
            "gepubliceerd cijfer exact nagegaan. Hetzelfde geldt voor de "
            f"{getal(summary.get('beschermde_groepen', 0))} groepen van 1 tot en met 4 mensen "
            "die in geen cel staan maar wel als som of verschil van cellen te berekenen zouden "
            "zijn (de uitstroom over al haar redenen, wie binnen een termijn terugkwam, wie een "
            "instroomcohort tussen twee jaren verliet)."
        ),
    }


def items_in(context: object, kind: type) -> list:
    """Every Table or Chart a page shows (in its chapters and its factsheets)."""
    if isinstance(context, kind):
        return [context]
    if isinstance(context, dict):
        return [item for value in context.values() for item in items_in(value, kind)]
    if isinstance(context, list):
        return [found for value in context for found in items_in(value, kind)]
    return []


def annotate(context: dict, data: ReportData) -> None:
    """Give every table and chart whose figures break the series the note that says so, and
    every table the links that open the verkenner on its figures."""
    for table in items_in(context, c.Table):
        table.reeksbreuk = data.reeksbreuk_noot(table.breuken)
        table.verken = verkenner.links(data, table.cellen)
    for chart in items_in(context, c.Chart):
        if chart.table is not None:
            chart.reeksbreuk = data.reeksbreuk_noot(chart.table.breuken)


def render_report(
    warehouse: Path,
    dbt_target: Path,
    out_dir: Path,
    jaar: int,
    run: dict,
    years: dict,
    openbaar: bool,
    organisation: Organisation,
) -> list[Path]:
    """Write the year's jaarverslag, factsheets and verantwoording (HTML and PDF) and the
    index of every published year to out_dir; return the files written. `years` holds the
    other years published so far; this year is added, and `jaren.json` records them all.
    `openbaar`: from the open data's protected figures (a withheld figure shows '.')."""
    with PdfPrinter() as printer:  # its workers (started early by a run) import meanwhile
        data = load(warehouse, dbt_target, jaar, organisation, openbaar)
        env = environment()
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPORT_TEMPLATES_DIR / "stijl.css", out_dir / "stijl.css")
        charts_dir = f"grafieken-{jaar}"
        common = {
            "jaar": jaar,
            "gemeenten": data.gemeenten,
            "run": run,
            "grafieken_map": charts_dir,
            "teksten": data.teksten,
            "openbaar": data.openbaar,
        }
        factsheets = [layout.factsheet(data, organisation.layout, g) for g in data.gemeenten]
        # In printing order: the verantwoording (no charts) first, then the factsheets, which
        # print on one worker as their charts appear; the jaarverslag, which shows every
        # chart, on the other. Each worker first draws every other chart.
        pages: list[tuple[str, str, str, dict]] = [
            (
                "verantwoording",
                f"verantwoording-{jaar}.html",
                f"Verantwoording {jaar}: kerncijfers Werk en Inkomen",
                verantwoording_context(data, run) | {"controles": checks_passed(run)},
            ),
            *[
                (
                    "factsheet",
                    f"factsheet-{f['gemeente']['slug']}-{jaar}.html",
                    f"Factsheet {f['gemeente']['naam']} {jaar}",
                    {"f": f},
                )
                for f in factsheets
            ],
            (
                "jaarverslag",
                f"jaarverslag-{jaar}.html",
                f"Jaarverslag {jaar}: kerncijfers Werk en Inkomen",
                jaarverslag_context(data, run, factsheets, organisation),
            ),
        ]
        for *_page, context in pages:
            annotate(context, data)
        charts = {
            chart.id: chart
            for *_page, context in pages
            for chart in items_in(context, c.Chart)
            if not chart.empty
        }

        def svg(chart_id: str) -> Path:
            return out_dir / charts_dir / f"{chart_id}.svg"

        (out_dir / charts_dir).mkdir(parents=True, exist_ok=True)
        for chart_id in charts:  # a page waits for its charts: none may be left over
            svg(chart_id).unlink(missing_ok=True)
        # With workers, they draw every chart, each every other one, before their pages (so
        # that this process does not import matplotlib); on one core this process draws.
        other = printer.workers - 1
        if printer.parallel:
            for number, (chart_id, chart) in enumerate(charts.items()):
                printer.draw(chart, svg(chart_id), other if number % 2 else 0)
        for soort, name, title, context in pages:
            html = env.get_template(f"{soort}.html.j2").render(
                titel=title, soort=soort, **common, **context
            )
            path = out_dir / name
            path.write_text(html, encoding="utf-8")
            shown = sorted({chart.id for chart in items_in(context, c.Chart)} & charts.keys())
            printer.print(path, [svg(i) for i in shown], other if soort == "jaarverslag" else 0)
        if not printer.parallel:
            from pipelines.publish.report.charts import draw

            for chart_id, chart in charts.items():
                draw(chart, svg(chart_id))
        # While the workers print: the verkenner, from every vintage of the history.
        explorer = verkenner.write(env, out_dir, verkenner.build(warehouse, data, openbaar), common)
        log.info("wrote %s (%d KB)", explorer.name, explorer.stat().st_size // 1024)
        pdfs = printer.printed()
    written: list[Path] = []
    for path, pdf in zip(printer.pages, pdfs, strict=True):
        written += [path, pdf]
        log.info("rendered %s and .pdf", path.name)
    written += sorted((out_dir / charts_dir).glob("*.svg"))
    years = years | {
        str(jaar): {
            "run_id": run["run_id"],
            "exportdatum": run["exportdatum"],
            "bestanden": sorted(
                [p.relative_to(out_dir).as_posix() for p in written if p.parent == out_dir]
                + [charts_dir]
            ),
        }
    }
    (out_dir / REPORT_YEARS_FILE).write_text(
        json.dumps(years, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    index = out_dir / "index.html"
    index.write_text(
        env.get_template("index.html.j2").render(
            titel=f"Kerncijfers {data.teksten['organisatie']}",
            soort="index",
            jaren=dict(sorted(years.items())),
            **common,
        ),
        encoding="utf-8",
    )
    return [*written, index, explorer, out_dir / REPORT_YEARS_FILE, out_dir / "stijl.css"]


def run_info(manifest: dict) -> dict:
    """What the report says about the run, from the manifest being written."""
    delivery = manifest["delivery"]
    started = dt.datetime.fromisoformat(manifest["started"])
    exportdatum = (
        dt.date.fromisoformat(delivery["exportdatum"]) if delivery["exportdatum"] else None
    )
    return {
        "run_id": manifest["run_id"],
        "datum": datum(started.date()) + started.strftime(" %H:%M UTC"),
        "exportdatum": datum(exportdatum) if exportdatum else "onbekende datum",
        "exportdatum_bron": delivery["exportdatum_bron"],
        "map": Path(delivery["folder"]).name,
        "code_revision": manifest.get("code_revision"),
        "dbt": manifest.get("dbt", {}),
        "validation": manifest.get("validation", {}),
        "rows": sum(f["rows"] for f in manifest["files"].values()),
        "rejected": sum(f["rejected"] for f in manifest["files"].values()),
        "geheimhouding": manifest.get("geheimhouding"),
    }
