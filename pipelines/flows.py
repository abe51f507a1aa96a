"""The Prefect flow: a delivery in, validated key figures, the report and an audit trail out.

The flow reads like a table of contents; each task is one call into the module that does the
work. Everything is built in the run's own work folder and published only when every step has
passed: one rename per file, the manifest last.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.logging import get_run_logger

from pipelines import audit, exports, ingest, reference, transform, validate, workspace
from pipelines.config import (
    AUDIT_DIR_NAME,
    MANIFEST_NAME,
    MARTS_DIR_NAME,
    REPORT_DIR_NAME,
    WAREHOUSE_NAME,
    RunParameters,
)
from pipelines.delivery import Delivery, open_delivery
from pipelines.manifest import build_manifest, sha256_file
from pipelines.report import render as report

STEPS = 8


def step_logger(number: int, name: str) -> logging.LoggerAdapter:
    logger = get_run_logger()
    logger.info("step %d/%d: %s", number, STEPS, name)
    return logger


@task(name="check delivery")
def check_delivery(raw_dir: Path) -> Delivery:
    logger = step_logger(1, f"check the delivery in {raw_dir}")
    delivery = open_delivery(raw_dir)
    logger.info("all %d files present and readable as the contract", len(delivery.files))
    return delivery


@task(name="ingest")
def ingest_delivery(delivery: Delivery, warehouse: Path, reference_path: Path | None):
    logger = step_logger(2, "ingest the delivery into the warehouse")
    with duckdb.connect(str(warehouse)) as con:
        result = ingest.ingest(con, delivery)
        figures = reference.load_reference(con, reference_path)
    logger.info(
        "%d rows accepted, %d set aside (see raw.afgekeurde_rijen); export date %s (%s)",
        sum(c.accepted for c in result.files.values()),
        result.rejected,
        result.exportdatum,
        result.exportdatum_bron,
    )
    if figures:
        logger.info("%d reference figures loaded from %s", figures, reference_path)
    return result


@task(name="compute figures (dbt build)")
def compute_figures(warehouse: Path, target: Path, params: RunParameters):
    step_logger(3, "compute the figures: dbt build (models, tests, unit tests)")
    return transform.build(warehouse, target, params.jaar, params.extra_peildata_iso)


@task(name="validate (pandera)")
def validate_figures(warehouse: Path):
    logger = step_logger(4, "validate the figures to publish (pandera)")
    results = validate.validate_warehouse(warehouse)
    logger.info("all %d checks passed", len(results))
    return results


@task(name="document (dbt docs)")
def document(warehouse: Path, target: Path, params: RunParameters) -> Path:
    step_logger(5, "document: dbt docs (lineage and definitions)")
    return transform.generate_docs(warehouse, target, params.jaar, params.extra_peildata_iso)


@task(name="export marts")
def export_marts(warehouse: Path, marts_dir: Path) -> list[Path]:
    logger = step_logger(6, "export the marts")
    paths = exports.export_marts(warehouse, marts_dir)
    logger.info("wrote %s", ", ".join(p.name for p in paths))
    return paths


@task(name="render report")
def render(
    warehouse: Path, dbt_target: Path, report_dir: Path, jaar: int, manifest: dict
) -> list[Path]:
    logger = step_logger(7, "render the annual report and the factsheets (HTML and PDF)")
    paths = report.render_report(warehouse, dbt_target, report_dir, jaar, report.run_info(manifest))
    logger.info("wrote %d files to %s", len(paths), report_dir)
    return paths


@task(name="audit trail")
def audit_trail(work: Path, warehouse: Path, manifest: dict, checks) -> Path:
    logger = step_logger(8, "write the audit trail and the Prefect artifacts")
    folder = work / AUDIT_DIR_NAME / manifest["run_id"]
    audit.write_audit(folder, warehouse, work / "dbt", work / "dbt-docs", manifest, checks)
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
    logger.info("audit trail in %s", folder.name)
    return folder


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
) -> dict[str, object]:
    """Run the pipeline on one delivery and publish the results in output_dir."""
    started = dt.datetime.now(dt.UTC)
    params = RunParameters(
        raw_dir=Path(raw_dir),
        jaar=jaar,
        extra_peildata=tuple(sorted({dt.date.fromisoformat(d) for d in extra_peildata or []})),
        output_dir=Path(output_dir),
        reference=Path(reference_path) if reference_path else None,
        render_report=render_report,
    )
    delivery = check_delivery(params.raw_dir)
    run_id = workspace.new_run_id(started)
    logger = get_run_logger()
    with workspace.output_lock(params.output_dir, run_id, wait_seconds):
        work = workspace.work_dir(params.output_dir, run_id)
        logger.info("run %s: working in %s", run_id, work)
        try:
            warehouse = work / WAREHOUSE_NAME
            ingested = ingest_delivery(delivery, warehouse, params.reference)
            dbt_summary = compute_figures(warehouse, work / "dbt", params)
            checks = validate_figures(warehouse)
            document(warehouse, work / "dbt-docs", params)
            marts = export_marts(warehouse, work / MARTS_DIR_NAME)
            outputs = {f"{MARTS_DIR_NAME}/{p.name}": p for p in marts}
            manifest = build_manifest(
                run_id=run_id,
                params=params,
                delivery=delivery,
                ingest=ingested,
                started=started,
                dbt={k: v for k, v in dbt_summary.as_dict().items() if k != "nodes"},
                validation={"checks": len(checks), "failed": sum(not c.passed for c in checks)},
                reconciliation=reconciliation(warehouse),
                outputs=outputs,
            )
            if params.render_report:
                pages = render(
                    warehouse, work / "dbt", work / REPORT_DIR_NAME, params.jaar, manifest
                )
                outputs |= {str(p.relative_to(work)): p for p in pages}
                manifest["outputs"] = {name: sha256_file(p) for name, p in outputs.items()}
            manifest["audit"] = f"{AUDIT_DIR_NAME}/{run_id}"
            workspace.write_json(work / MANIFEST_NAME, manifest)
            audit_trail(work, warehouse, manifest, checks)
            workspace.publish(
                work,
                params.output_dir,
                [WAREHOUSE_NAME, *outputs, manifest["audit"], MANIFEST_NAME],
            )
        except BaseException:
            workspace.discard(work)
            raise
        workspace.discard(work)
    logger.info("published in %s (%d rows set aside)", params.output_dir, ingested.rejected)
    if params.render_report:
        logger.info("report: %s", params.output_dir / REPORT_DIR_NAME / "index.html")
    return manifest
