"""Rendering: the annual report, a factsheet per member municipality and an index, in HTML
(Jinja2) and PDF (WeasyPrint), into one folder (`rapport/` of the run)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipelines.config import REPORT_TEMPLATES_DIR
from pipelines.publication import REPORT_YEARS_FILE
from pipelines.report import content as c
from pipelines.report.charts import draw
from pipelines.report.data import ReportData, load
from pipelines.report.formatting import datum, euro, getal, korte_datum, periode

log = logging.getLogger(__name__)


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(REPORT_TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def change_sentence(
    subject: str,
    old: float | None,
    new: float | None,
    old_day: dt.date,
    new_day: dt.date,
    unit: str,
) -> str | None:
    """'Het aantal … is gedaald van 1.624 op 31 december 2018 naar 1.552 op 31 december 2019
    (72 minder).' — or nothing when a figure is missing."""
    if old is None or new is None:
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


def key_points(data: ReportData) -> list[str]:
    old, new = data.jaareinden
    begin, end = data.jaar_periode()
    changes = (
        ("Het aantal bijstandsuitkeringen", "bijstand.uitkeringen", "uitkeringen"),
        (
            "Het aantal mensen in de bijstand (aanvragers en partners)",
            "bijstand.personen",
            "personen",
        ),
        ("Het aantal statushouders in de bijstand", "bijstand.statushouders", "personen"),
    )
    points = [
        change_sentence(
            subject,
            data.waarde(indicator, "TOTAAL", old),
            data.waarde(indicator, "TOTAAL", new),
            old,
            new,
            unit,
        )
        for subject, indicator, unit in changes
    ]
    work = data.waarde("bijstand.uitstroom", "TOTAAL", end, begin, "WERK")
    if work is not None:
        points.append(
            f"In {data.jaar} eindigden {getal(work)} bijstandsuitkeringen doordat de aanvrager "
            f"aan het werk ging (uitstroom naar werk)."
        )
    sh_work = data.waarde("bijstand.statushouders_uitstroom_werk", "TOTAAL", end, begin)
    if sh_work is not None:
        points.append(
            f"{getal(sh_work)} statushouders (inclusief partners) stroomden in {data.jaar} "
            "uit naar werk."
        )
    sw_old = c.total(
        [
            data.waarde("sw.medewerkers", "TOTAAL", old, categorie=k["categorie"])
            for k in data.cats("sw.medewerkers")
        ]
    )
    sw_new = c.total(
        [
            data.waarde("sw.medewerkers", "TOTAAL", new, categorie=k["categorie"])
            for k in data.cats("sw.medewerkers")
        ]
    )
    points.append(
        change_sentence(
            "Het aantal medewerkers met een SW-dienstverband",
            sw_old,
            sw_new,
            old,
            new,
            "medewerkers",
        )
    )
    return [p for p in points if p]


def checks_passed(run: dict) -> list[str]:
    dbt, validation = run.get("dbt", {}), run.get("validation", {})
    return [
        "Invoercontract: alle tien bestanden aanwezig en leesbaar; "
        f"{getal(run.get('rows', 0))} rijen gelezen, "
        f"{getal(run.get('rejected', 0))} apart gezet met reden (tabel raw.afgekeurde_rijen).",
        f"dbt: {getal(dbt.get('models', 0))} modellen en seeds gebouwd, "
        f"{getal(dbt.get('tests_passed', 0))} "
        f"datatests en unittests geslaagd, {getal(dbt.get('tests_failed', 0))} mislukt.",
        f"pandera: {getal(validation.get('checks', 0))} controles op de gepubliceerde tabel, "
        f"{getal(validation.get('failed', 0))} mislukt.",
        "Onder meer: TOTAAL is de som van de gemeenten; elke cel van elke indicator is "
        "aanwezig; aantallen zijn "
        "gehele getallen van nul of meer; eenheden volgen de catalogus.",
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
            cells=[getal(f["rijen"]), getal(f["geaccepteerd"]), getal(f["afgekeurd"]), f["sha256"]],
        )
    return table


def reconciliation_table(data: ReportData) -> tuple[c.Table, str]:
    table = c.Table(
        "reconciliatie",
        "Gepubliceerd en berekend, per cijfer van het referentiebestand",
        [
            "Indicator",
            "Gemeente",
            "Periode",
            "Cel",
            "Gepubliceerd",
            "Berekend",
            "Status",
            "Toelichting",
        ],
    )
    agree = {"exact": 0, "inconsistent": 0}
    counts = {"exact": 0, "inconsistent": 0}
    for r in data.reconciliatie:
        is_euro = data.indicatoren[r["indicator"]]["eenheid"] == "euro"
        fmt = euro if is_euro else getal
        when = (
            periode(r["periode_begin"], r["periode_eind"])
            if r["periode_begin"]
            else korte_datum(r["periode_eind"])
        )
        cell = (
            " / ".join(filter(None, [r["categorie"], r["leeftijdsklasse"], r["duurklasse"]])) or "—"
        )
        status = r["status"] + (" — klopt" if r["komt_overeen"] else " — wijkt af")
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        agree[r["status"]] = agree.get(r["status"], 0) + bool(r["komt_overeen"])
        table.add(
            data.indicatoren[r["indicator"]]["titel"],
            [r["gepubliceerd"], r["berekend"]],
            cells=[
                r["gemeente"],
                when,
                cell,
                fmt(r["gepubliceerd"]),
                fmt(r["berekend"]),
                status,
                r["noot"] or "",
            ],
        )
    summary = (
        f"Van de {getal(counts['exact'])} cijfers die het referentiebestand als exact aanmerkt, "
        f"komen er {getal(agree['exact'])} overeen met de berekening. Bij "
        f"{getal(counts['inconsistent'])} cijfers spreekt de publicatie zichzelf tegen; daar "
        "staan het gepubliceerde en het berekende cijfer naast elkaar."
    )
    return table, summary


def report_context(data: ReportData) -> dict:
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
    charts = [c.statushouders(data), c.buig(data)]
    return {
        "kern": key_points(data),
        "detachering": c.detachering_sw(data),
        "leeftijd_duur": c.leeftijd_duur(data),
        "stromen": c.bijstand_stromen(data),
        "statushouders": charts[0],
        "nieuw_beschut": c.nieuw_beschut(data),
        "minima_gebruik": c.minima_gebruik(data),
        "minima_uitgaven": c.minima_uitgaven(data),
        "schuldhulp_instroom": c.schuldhulp_instroom(data),
        "schuldhulp_lopend": c.schuldhulp_lopend(data),
        "buig": charts[1],
        "tozo": c.tozo(data),
        "bestanden": files_table(data),
        "begrippen": data.begrippen,
        "definities": definities,
        "reconciliatie": rec_table,
        "reconciliatie_samenvatting": rec_summary,
        "peildata": [korte_datum(d) for d in [*data.peildata, *data.extra_peildata]],
        "_charts": charts,
    }


def factsheet_context(data: ReportData, gemeente: dict) -> dict:
    code = gemeente["gemeente_code"]
    charts = [
        c.leeftijd_verloop(data, code),
        c.duur_leeftijd(data, code),
        c.aanvullend_arbeid(data, code),
        c.statushouders(data, code),
        c.buig(data, code),
        c.uitstroom_redenen(data, code),
    ]
    return {
        "gemeente": gemeente,
        "uitkeringen": c.uitkeringen(data, code),
        "minima": c.minima_uitgaven_jaar(data, code),
        "schuldhulp": c.schuldhulp_lopend(data, code),
        "sw": c.sw_gemeente(data, code),
        "grafieken": charts,
        "_charts": charts,
    }


def write_pdf(html_path: Path) -> Path:
    from weasyprint import HTML

    pdf_path = html_path.with_suffix(".pdf")
    HTML(filename=str(html_path), base_url=str(html_path.parent)).write_pdf(str(pdf_path))
    return pdf_path


def render_report(
    warehouse: Path, dbt_target: Path, out_dir: Path, jaar: int, run: dict, years: dict
) -> list[Path]:
    """Write the year's jaarverslag and factsheets (HTML and PDF) and the index of every
    published year to out_dir; return the files written. `years` holds the other years
    published so far; this year is added, and `jaren.json` records them all."""
    data = load(warehouse, dbt_target, jaar)
    env = environment()
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPORT_TEMPLATES_DIR / "stijl.css", out_dir / "stijl.css")
    charts_dir = f"grafieken-{jaar}"
    common = {"jaar": jaar, "gemeenten": data.gemeenten, "run": run, "grafieken_map": charts_dir}
    pages: list[tuple[str, str, str, dict]] = [
        (
            "jaarverslag.html.j2",
            f"jaarverslag-{jaar}.html",
            f"Jaarverslag {jaar} — kerncijfers Avres",
            report_context(data) | {"controles": checks_passed(run)},
        ),
    ]
    for g in data.gemeenten:
        pages.append(
            (
                "factsheet.html.j2",
                f"factsheet-{g['slug']}-{jaar}.html",
                f"Factsheet {g['naam']} {jaar}",
                factsheet_context(data, g),
            )
        )
    written = []
    for template, name, title, context in pages:
        for chart in context.pop("_charts"):
            if not chart.empty:
                draw(chart, out_dir / charts_dir / f"{chart.id}.svg")
        soort = "factsheet" if template.startswith("factsheet") else "jaarverslag"
        html = env.get_template(template).render(titel=title, soort=soort, **common, **context)
        path = out_dir / name
        path.write_text(html, encoding="utf-8")
        written += [path, write_pdf(path)]
        log.info("rendered %s and .pdf", name)
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
            titel="Kerncijfers Avres", soort="index", jaren=dict(sorted(years.items())), **common
        ),
        encoding="utf-8",
    )
    return [*written, index, out_dir / REPORT_YEARS_FILE, out_dir / "stijl.css"]


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
    }
