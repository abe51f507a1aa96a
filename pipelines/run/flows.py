"""The Prefect flow: a delivery in, validated key figures, the report and an audit trail out.

The flow reads like a table of contents; each task is one call into the module that does the
work. Everything is built in the run's own work folder and published only when every step has
passed, as one unit (see ``publication``): a failure at any instant leaves the previous
publication current and whole.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import duckdb
from prefect import Task, flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from pipelines import stopping
from pipelines.compute import disclosure, history, transform, validate
from pipelines.config import (
    AUDIT_DIR_NAME,
    DEFAULT_ORGANISATION_DIR,
    HISTORY_DIR_NAME,
    MANIFEST_NAME,
    MARTS_DIR_NAME,
    OPEN_DATA_DIR_NAME,
    REPORT_DIR_NAME,
    RunParameters,
    memory_limit,
)
from pipelines.errors import disk_full, report_expected_failures_in_one_line
from pipelines.intake import ingest, reference
from pipelines.intake.delivery import Delivery, open_delivery
from pipelines.organisation import Organisation
from pipelines.publish import audit, exports, opendata, publication, workspace
from pipelines.publish.manifest import build_manifest, finish, output_hashes
from pipelines.publish.report import pdf
from pipelines.publish.report import render as report
from pipelines.publish.workspace import pause_point
from pipelines.run import preflight

report_expected_failures_in_one_line("prefect.flow_runs", "prefect.task_runs")

STEPS = 10
P = ParamSpec("P")
R = TypeVar("R")


def step(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task of the flow. Never cached: each one reads and writes this run's files, and
    some take what cannot be hashed (the run's work folder). A disk that is full fails it in
    one line (``errors.DiskFull``, exit 73), whichever library found out."""

    def decorate(function: Callable[P, R]) -> Task[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except Exception as error:
                if full := disk_full(error):
                    raise full from None
                raise

        return task(name=name, cache_policy=NO_CACHE)(wrapper)

    return decorate


def step_logger(number: int, name: str) -> logging.LoggerAdapter:
    logger = get_run_logger()
    logger.info("step %d/%d: %s", number, STEPS, name)
    return logger


@step("check delivery, organisation and output folder")
def check_run(params: RunParameters) -> tuple[Delivery, Organisation]:
    logger = step_logger(1, f"check the delivery in {params.raw_dir} and the output folder")
    organisation = preflight.check_organisation(params.organisatie)
    delivery = open_delivery(params.raw_dir)
    preflight.check_run(params, delivery, organisation)
    logger.info("all %d files present and readable as the contract", len(delivery.files))
    logger.info("organisation: %s (%s)", organisation.naam, organisation.folder)
    return delivery, organisation


@step("ingest")
@stopping.stops_on_interrupted_queries
def ingest_delivery(
    delivery: Delivery,
    organisation: Organisation,
    warehouse: Path,
    params: RunParameters,
    run_id: str,
    history: Path | None,
    previous_export_date: dt.date | None,
):
    logger = step_logger(2, "ingest the delivery into the warehouse")
    transform.preload()  # dbt's import overlaps the ingest
    with duckdb.connect(str(warehouse), config={"memory_limit": memory_limit()}) as con:
        result = ingest.ingest(con, delivery, organisation.ended())
        organisation.write_tables(con)
        ingest.record_run(con, run_id, params.jaar, list(params.extra_peildata))
        figures = reference.load_reference(con, params.reference, organisation.member_codes)
        vintages = exports.load_history(con, history)
    logger.info(
        "%d rows accepted, %d set aside (see raw.afgekeurde_rijen); export date %s (%s)",
        sum(c.accepted for c in result.files.values()),
        result.rejected,
        result.exportdatum,
        result.exportdatum_bron,
    )
    preflight.check_dates(params.jaar, list(params.extra_peildata), result.exportdatum)
    preflight.check_vintage(result.exportdatum, previous_export_date, params.ouder_toestaan)
    if figures:
        logger.info("%d reference figures loaded from %s", figures, params.reference)
    logger.info("%d vintage(s) of figures published before, to compare with", vintages)
    return result


@step("compute figures (dbt build)")
def compute_figures(warehouse: Path, target: Path, params: RunParameters):
    step_logger(3, "compute the figures: dbt build (models and their data tests)")
    summary = transform.build(warehouse, target)
    eerste = preflight.first_records(warehouse)
    preflight.check_coverage(params.jaar, list(params.extra_peildata), eerste)
    return summary


@step("validate (pandera)")
@stopping.stops_on_interrupted_queries
def validate_figures(warehouse: Path):
    logger = step_logger(4, "validate the figures to publish (pandera)")
    results = validate.validate_warehouse(warehouse)
    logger.info("all %d checks passed", len(results))
    return results


@step("document (dbt docs)")
def document(warehouse: Path, target: Path, build_target: Path) -> Path:
    step_logger(5, "document: dbt docs (lineage and definitions)")
    return transform.generate_docs(warehouse, target, build_target)


@step("export marts and history")
@stopping.stops_on_interrupted_queries
def export_marts(warehouse: Path, staged: Path) -> dict[str, object]:
    logger = step_logger(6, "export the marts, the revisions and the history")
    pause_point("exporteren")
    paths = exports.export_marts(warehouse, staged / MARTS_DIR_NAME)
    paths += exports.export_history(warehouse, staged / HISTORY_DIR_NAME)
    logger.info("wrote %s", ", ".join(str(p.relative_to(staged)) for p in paths))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        revisions = history.revision_summary(con)
    if revisions["figures"]:
        logger.info(
            "%d figure(s) revised since the vintage of %s",
            revisions["figures"],
            revisions["previous_exportdatum"],
        )
    if revisions["definitive"]:
        logger.warning(
            "%d figure(s) that were definitief before changed: the verantwoording lists them",
            revisions["definitive"],
        )
    return revisions


@step("open data (disclosure control)")
@stopping.stops_on_interrupted_queries
def release_open_data(
    warehouse: Path,
    staged: Path,
    dbt_target: Path,
    run: dict[str, str],
    organisation: Organisation,
    licence: str | None,
) -> dict[str, object]:
    logger = step_logger(7, "open data: disclosure control, CSV on the Web and DCAT metadata")
    protection = disclosure.protect_warehouse(warehouse)
    summary = disclosure.summary(protection)
    history.record_protection(warehouse)
    paths = exports.export_protection_history(warehouse, staged / HISTORY_DIR_NAME)
    paths += opendata.write_release(
        warehouse,
        staged / OPEN_DATA_DIR_NAME,
        dbt_target / "manifest.json",
        run,
        organisation,
        licence,
    )
    logger.info(
        "%d of %d cells withheld from the open data (%s); wrote %s",
        summary["geheim"],
        summary["cellen"],
        ", ".join(f"{n} {reason}" for reason, n in summary["per_reden"].items()) or "none",
        ", ".join(p.name for p in paths),
    )
    create_markdown_artifact(
        key="kerncijfers-geheimhouding",
        markdown=disclosure.markdown(summary),
        description="Disclosure control of the open data: rules, thresholds, cells withheld",
    )
    return summary


@step("render report")
@stopping.stops_on_interrupted_queries
def render(
    warehouse: Path,
    dbt_target: Path,
    report_dir: Path,
    jaar: int,
    manifest: dict,
    years: dict,
    openbaar: bool,
    organisation: Organisation,
) -> list[Path]:
    logger = step_logger(8, "render the annual report and the factsheets (HTML and PDF)")
    pause_point("drukken")
    paths = report.render_report(
        warehouse,
        dbt_target,
        report_dir,
        jaar,
        report.run_info(manifest),
        years,
        openbaar,
        organisation,
    )
    logger.info("wrote %d files to %s", len(paths), report_dir.name)
    return paths


@step("audit trail")
@stopping.stops_on_interrupted_queries
def audit_trail(
    staged: Path, dbt_target: Path, docs: Path, warehouse: Path, manifest: dict, checks
) -> Path:
    logger = step_logger(9, "write the audit trail and the Prefect artifacts")
    pause_point("verantwoorden")
    folder = staged / manifest["audit"]
    audit.write_audit(folder, warehouse, dbt_target, docs, manifest, checks)
    create_markdown_artifact(
        key="kerncijfers-validatie",
        markdown=audit.validation_markdown(manifest, checks),
        description="Validation summary of the kerncijfers run",
    )
    create_table_artifact(
        key="kerncijfers-bestanden",
        table=audit.table_rows(
            warehouse, "select bestand, rijen, geaccepteerd, afgekeurd from raw.bestanden"
        ),
        description="Rows read, accepted and set aside per file",
    )
    reconciliation = audit.table_rows(
        warehouse,
        "select indicator, gemeente, periode_eind, categorie, status, gepubliceerd, berekend, "
        "komt_overeen from marts.reconciliatie order by volgnummer",
    )
    if reconciliation:
        create_table_artifact(
            key="kerncijfers-reconciliatie",
            table=reconciliation,
            description="Published vs computed for every reference figure",
        )
    revisions = audit.table_rows(
        warehouse,
        "select indicator, gemeente, periode_begin, periode_eind, categorie, leeftijdsklasse, "
        "duurklasse, vorige_waarde, waarde, verschil, vorige_status, status from marts.revisies "
        "order by vorige_status = 'definitief' desc, abs(verschil) desc limit 200",
    )
    if revisions:
        create_table_artifact(
            key="kerncijfers-herzieningen",
            table=revisions,
            description=f"{manifest['revisions']['figures']} figure(s) revised since the vintage "
            f"of {manifest['revisions']['previous_exportdatum']}; definitief ones first",
        )
    logger.info("audit trail in %s", manifest["audit"])
    return folder


@step("publish")
def publish(work: publication.Work, keep: int) -> Path:
    logger = step_logger(10, "publish: make this run's publication current")
    published = work.publish(keep)
    logger.info("published %s", published.relative_to(work.output_dir))
    return published


def say_what_was_published(params: RunParameters, rejected: int, other_years: int) -> None:
    logger = get_run_logger()
    logger.info("published in %s (%d rows set aside)", params.output_dir, rejected)
    if params.render_report:
        logger.info("report: %s", params.output_dir / REPORT_DIR_NAME / "index.html")
    else:
        logger.info("report not rendered: %d report year(s) published before stay", other_years)


def seal(manifest: dict, staged: Path, started: dt.datetime) -> None:
    """The manifest, complete: the hash of every file of the publication, the run's end."""
    manifest["outputs"] = output_hashes(staged, exclude=(MANIFEST_NAME, AUDIT_DIR_NAME))
    finish(manifest, started)
    workspace.write_json(staged / MANIFEST_NAME, manifest)


def reconciliation(warehouse: Path) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return reference.reconciliation_summary(con)


@flow(name="kerncijfers", log_prints=True)
def kerncijfers_flow(
    raw_dir: str,
    jaar: int,
    extra_peildata: list[str] | None = None,
    output_dir: str = "data",
    reference_path: str | None = None,
    wait_seconds: float = 0,
    render_report: bool = True,
    keep: int = RunParameters.keep,
    licentie: str | None = None,
    openbaar: bool = False,
    organisatie: str | None = None,
    ouder_toestaan: bool = False,
) -> dict[str, object]:
    """Run the pipeline on one delivery and publish the results in output_dir."""
    started = dt.datetime.now(dt.UTC)
    stopping.begin_run()
    params = RunParameters(
        raw_dir=Path(raw_dir),
        jaar=jaar,
        extra_peildata=tuple(sorted({dt.date.fromisoformat(d) for d in extra_peildata or []})),
        output_dir=Path(output_dir),
        reference=Path(reference_path) if reference_path else None,
        render_report=render_report,
        keep=keep,
        licentie=licentie,
        openbaar=openbaar,
        organisatie=Path(organisatie) if organisatie else DEFAULT_ORGANISATION_DIR,
        ouder_toestaan=ouder_toestaan,
    )
    delivery, organisation = check_run(params)
    with publication.building(params.output_dir, started, wait_seconds) as work:
        ingested = ingest_delivery(
            delivery,
            organisation,
            work.warehouse,
            params,
            work.run_id,
            work.history,
            work.previous_export_date,
        )
        dbt_summary = compute_figures(work.warehouse, work.dbt_target, params)
        if params.render_report:  # the report's PDF workers start while the figures are checked
            work.keep_until_done(pdf.early_workers())
        checks = validate_figures(work.warehouse)
        docs = document(work.warehouse, work.folder / "dbt-docs", work.dbt_target)
        revisions = export_marts(work.warehouse, work.staged)
        run = {
            "run_id": work.run_id,
            "datum": started.date().isoformat(),
            "exportdatum": str(ingested.exportdatum or "onbekende datum"),
        }
        geheimhouding = release_open_data(
            work.warehouse, work.staged, work.dbt_target, run, organisation, params.licentie
        )
        years = publication.carry_forward(
            work.previous, work.staged, params.jaar if params.render_report else None, work.run_id
        )
        manifest = build_manifest(
            run_id=work.run_id,
            params=params,
            delivery=delivery,
            ingest=ingested,
            started=started,
            dbt={k: v for k, v in dbt_summary.as_dict().items() if k != "nodes"},
            validation={"checks": len(checks), "failed": sum(not c.passed for c in checks)},
            reconciliation=reconciliation(work.warehouse),
            revisions=revisions,
            disclosure=geheimhouding,
            organisation=organisation,
        )
        manifest["audit"] = f"{AUDIT_DIR_NAME}/{work.run_id}"
        if params.render_report:
            render(
                work.warehouse,
                work.dbt_target,
                work.staged / REPORT_DIR_NAME,
                params.jaar,
                manifest,
                years,
                params.openbaar,
                organisation,
            )
        seal(manifest, work.staged, started)
        audit_trail(work.staged, work.dbt_target, docs, work.warehouse, manifest, checks)
        publish(work, params.keep)
    say_what_was_published(params, ingested.rejected, len(years))
    return manifest
