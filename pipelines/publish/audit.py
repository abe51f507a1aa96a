"""The audit trail of a run: `OUT/audit/<run id>/`.

What went in (the manifest: delivery hashes, parameters, versions, code revision; the row
accounting per file; the rows set aside with their reasons), what was checked (dbt's run
results, pandera's checks), what came out (the reconciliation with the published figures) and
the dbt docs (lineage and definitions). `index.html` ties them together: for every indicator
its definition, the models it is computed by down to the source files, and the tests it
passed. Only aggregates and pseudonymous ids are written; a value that looks like a citizen
service number has already been masked by ingest.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import duckdb

from pipelines.catalogue import catalogue
from pipelines.compute.validate import CheckResult
from pipelines.config import MART_NAME
from pipelines.publish.csvfiles import write_csv
from pipelines.publish.report.render import environment

ROW_TABLES = {
    "bestanden.csv": "select * from raw.bestanden order by bestand",
    "afgekeurde_rijen.csv": "select * from raw.afgekeurde_rijen order by bestand, regel",
    "reconciliatie.csv": "select * from marts.reconciliatie order by volgnummer",
    "dekking.csv": "select * from marts.dekking order by domein",
    # Why each cell is withheld from the open data (the primary rule or secondary): internal.
    "geheimhouding.csv": "select cel, reden from openbaar.geheimhouding where geheim order by cel",
}


def export_csv(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> int:
    cursor = con.execute(sql)
    return write_csv(path, [d[0] for d in cursor.description], cursor.fetchall())


def upstream(manifest: dict, unique_id: str) -> list[str]:
    """Every model, seed and source a node depends on, nearest first."""
    seen: list[str] = []
    queue = [unique_id]
    while queue:
        node = queue.pop(0)
        parents = (manifest["nodes"].get(node) or {}).get("depends_on", {}).get("nodes", [])
        for parent in parents:
            if parent not in seen:
                seen.append(parent)
                queue.append(parent)
    return seen


def lineage(manifest: dict, run_results: dict) -> list[dict]:
    """Per indicator: its model, definition, what it is computed from, the data tests it
    passed in this run (on its models and on the published table), and the unit tests of its
    models (run by `make test`, not per run)."""
    status = {r["unique_id"]: r["status"] for r in run_results.get("results", [])}
    tests_on: dict[str, list[str]] = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "test":
            for parent in node.get("depends_on", {}).get("nodes", []):
                tests_on.setdefault(parent, []).append(uid)
    unit_tests_on: dict[str, list[str]] = {}
    for uid, node in manifest.get("unit_tests", {}).items():
        model = "model." + node["package_name"] + "." + node["model"]
        unit_tests_on.setdefault(model, []).append(uid)
    published = f"model.{manifest['metadata']['project_name']}.{MART_NAME}"
    entries = []
    for uid, node in sorted(manifest["nodes"].items()):
        indicator = (node.get("config", {}).get("meta") or {}).get("indicator")
        if node["resource_type"] != "model" or not indicator:
            continue
        chain = [uid, *upstream(manifest, uid)]
        # The published table holds every indicator's rows: its tests check this one's too.
        checked = [t for n in [*chain, published] for t in tests_on.get(n, []) if t in status]
        entries.append(
            {
                "indicator": indicator,
                "titel": catalogue()[indicator]["titel"],
                "model": node["name"],
                "definition": " ".join(node["description"].split()),
                "computed_from": [
                    c.split(".", 2)[-1] for c in chain[1:] if not c.startswith("source.")
                ],
                "sources": sorted({c.split(".")[-1] for c in chain if c.startswith("source.")}),
                "tests": {t.split(".", 2)[-1]: status[t] for t in checked},
                "unit_tests": sorted(
                    t.split(".", 2)[-1] for n in chain for t in unit_tests_on.get(n, [])
                ),
            }
        )
    return entries


def index_page(run: dict, entries: list[dict]) -> str:
    return environment().get_template("audit.html.j2").render(run=run, entries=entries)


def write_audit(
    audit_dir: Path,
    warehouse: Path,
    dbt_target: Path,
    docs: Path,
    manifest: dict,
    checks: list[CheckResult],
) -> list[Path]:
    """Write the audit trail of one run; return the files written."""
    audit_dir.mkdir(parents=True, exist_ok=True)
    (audit_dir / "dbt").mkdir(exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, sql in ROW_TABLES.items():
            export_csv(con, sql, audit_dir / name)
    run_results_path = dbt_target / "run_results.json"
    shutil.copy(run_results_path, audit_dir / "dbt" / "run_results.json")
    if docs.exists():
        shutil.copy(docs, audit_dir / "dbt-docs.html")
    (audit_dir / "pandera.json").write_text(
        json.dumps([asdict(c) for c in checks], indent=2, ensure_ascii=False) + "\n"
    )
    (audit_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    dbt_manifest = json.loads((dbt_target / "manifest.json").read_text())
    entries = lineage(dbt_manifest, json.loads(run_results_path.read_text()))
    (audit_dir / "lineage.json").write_text(
        json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    )
    (audit_dir / "index.html").write_text(index_page(manifest, entries), encoding="utf-8")
    return sorted(p for p in audit_dir.rglob("*") if p.is_file())


def validation_markdown(manifest: dict, checks: list[CheckResult]) -> str:
    """The validation summary an analyst sees in the Prefect UI."""
    files = manifest["files"]
    dbt, rec = manifest["dbt"], manifest.get("reconciliation") or {}
    passed = sum(c.passed for c in checks)
    rows = sum(f["rows"] for f in files.values())
    rejected = sum(f["rejected"] for f in files.values())
    lines = [
        f"# kerncijfers run {manifest['run_id']}",
        "",
        f"Delivery `{manifest['delivery']['folder']}`, "
        f"export date {manifest['delivery']['exportdatum']}; "
        f"report year {manifest['parameters']['jaar']}.",
        "",
        "| check | result |",
        "|---|---|",
        f"| rows read | {rows:,} |",
        f"| rows set aside (raw.afgekeurde_rijen) | {rejected:,} |",
        f"| dbt models and seeds built | {dbt['models']} |",
        f"| dbt tests passed / failed | {dbt['tests_passed']} / {dbt['tests_failed']} |",
        f"| pandera checks passed / failed | {passed} / {len(checks) - passed} |",
    ]
    if rec.get("figures"):
        exact = rec.get("exact", {"figures": 0, "agree": 0})
        lines.append(
            f"| published figures reproduced (exact) | {exact['agree']} of {exact['figures']} |"
        )
    revisions = manifest.get("revisions") or {}
    if revisions.get("previous_exportdatum"):
        lines.append(
            f"| figures revised since the vintage of {revisions['previous_exportdatum']} | "
            f"{revisions['figures']} (of which definitief before: {revisions['definitive']}) |"
        )
    return "\n".join(lines) + "\n"


def table_rows(warehouse: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [
            {n: (str(v) if v is not None else "") for n, v in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]
